//! A local Pointdesk: wrangler dev (workerd + local D1/KV) in its own process group, always
//! stopped: on drop, on error and on SIGINT, SIGTERM or SIGHUP (see `procs`).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::procs::Group;
pub use crate::procs::Scratch;
use crate::util::{node_bin, offline_env, root, run, Result};

/// Applies D1 migrations (and optionally the demo seed) to a local state folder.
pub fn prepare_database(state: &Path, seed: bool) -> Result {
    let wrangler = node_bin("wrangler");
    let persist = state.to_string_lossy().into_owned();
    run(offline_env(&mut Command::new(&wrangler))
        .args([
            "d1",
            "migrations",
            "apply",
            "DB",
            "--local",
            "--persist-to",
            &persist,
        ])
        .env("CI", "true")
        .stdout(Stdio::from(std::io::stderr()))
        .current_dir(root()))?;
    if seed {
        run(offline_env(&mut Command::new(&wrangler))
            .args([
                "d1",
                "execute",
                "DB",
                "--local",
                "--persist-to",
                &persist,
                "--file",
                "worker/seed/demo.sql",
            ])
            .env("CI", "true")
            .stdout(Stdio::null())
            .current_dir(root()))?;
    }
    Ok(())
}

/// Shows the end of a quiet server's log (wrangler's own words about what went wrong).
pub fn print_log_tail(state: &Path) {
    let log = state.with_extension("log");
    if let Ok(text) = std::fs::read_to_string(&log) {
        let lines: Vec<&str> = text.lines().collect();
        eprintln!("--- last lines of {} ---", log.display());
        for l in &lines[lines.len().saturating_sub(40)..] {
            eprintln!("{l}");
        }
    }
}

pub struct Server {
    pub url: String,
    _group: Group,
}

/// Starts `wrangler dev` on 127.0.0.1:`port` with its state in `state`, and waits until
/// `/api/v1/health` answers 200.
pub fn start(port: u16, state: &Path, quiet: bool) -> Result<Server> {
    let inspector = crate::util::free_port()?;
    let mut cmd = Command::new(node_bin("wrangler"));
    offline_env(&mut cmd)
        .args(["dev", "--local", "--ip", "127.0.0.1"])
        .args([
            "--port",
            &port.to_string(),
            "--inspector-port",
            &inspector.to_string(),
        ])
        .args([
            "--persist-to",
            &state.to_string_lossy(),
            "--show-interactive-dev-session=false",
            "--test-scheduled",
        ])
        .current_dir(root())
        .stdin(Stdio::null());
    if quiet {
        let log = std::fs::File::create(state.with_extension("log")).map_err(|e| e.to_string())?;
        let err = log.try_clone().map_err(|e| e.to_string())?;
        cmd.args(["--log-level", "warn"]).stdout(log).stderr(err);
    }
    eprintln!("$ {}", crate::util::show(&cmd));
    let mut group = Group::spawn("wrangler dev", &mut cmd)?;
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(240);
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(5))
        .build();
    loop {
        if let Some(status) = group.has_exited() {
            return Err(format!(
                "wrangler dev exited early ({status}); see {}",
                state.with_extension("log").display()
            ));
        }
        if let Ok(resp) = agent.get(&format!("{url}/api/v1/health")).call() {
            if resp.status() == 200 {
                break;
            }
        }
        if Instant::now() > deadline {
            return Err(format!(
                "wrangler dev did not become healthy within 240 s at {url}"
            ));
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    Ok(Server { url, _group: group })
}
