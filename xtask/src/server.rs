//! A local Pointdesk: wrangler dev (workerd + local D1/KV) in its own process group, always
//! stopped: on drop, on error and on Ctrl-C.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::util::{node_bin, offline_env, root, run, Result};

/// Process groups to kill if we are interrupted.
static GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());
/// Throw-away state folders to remove if we are interrupted.
static SCRATCH: Mutex<Vec<std::path::PathBuf>> = Mutex::new(Vec::new());

/// A state folder that is removed when dropped (and on Ctrl-C).
pub struct Scratch(pub std::path::PathBuf);

impl Scratch {
    pub fn new(prefix: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        if let Ok(mut s) = SCRATCH.lock() {
            s.push(dir.clone());
        }
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        let _ = std::fs::remove_file(self.0.with_extension("log"));
    }
}

pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        kill_all();
        std::process::exit(130);
    });
}

fn kill_all() {
    if let Ok(groups) = GROUPS.lock() {
        for &pg in groups.iter() {
            kill_group(pg);
        }
    }
    // Give the servers a moment to let go of their files, then remove the scratch state.
    std::thread::sleep(Duration::from_millis(500));
    if let Ok(dirs) = SCRATCH.lock() {
        for d in dirs.iter() {
            let _ = std::fs::remove_dir_all(d);
            let _ = std::fs::remove_file(d.with_extension("log"));
        }
    }
}

fn kill_group(pgid: i32) {
    // SAFETY: kill(2) with a negative pid signals a process group we created; no memory involved.
    unsafe {
        libc::kill(-pgid, libc::SIGTERM);
    }
}

/// A child in its own process group, killed with its whole group when dropped.
pub struct Group {
    child: Child,
    name: &'static str,
}

impl Group {
    pub fn spawn(name: &'static str, cmd: &mut Command) -> Result<Group> {
        use std::os::unix::process::CommandExt;
        eprintln!("$ {}", crate::util::show(cmd));
        let child = cmd
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        if let Ok(mut g) = GROUPS.lock() {
            g.push(child.id() as i32);
        }
        Ok(Group { child, name })
    }

    pub fn has_exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    pub fn wait(&mut self) -> Result {
        let status = self.child.wait().map_err(|e| e.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{} exited with {status}", self.name))
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let pid = self.child.id() as i32;
        kill_group(pid);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // SAFETY: as above; SIGKILL for anything that ignored SIGTERM.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
        let _ = self.child.wait();
        if let Ok(mut g) = GROUPS.lock() {
            g.retain(|&p| p != pid);
        }
    }
}

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
