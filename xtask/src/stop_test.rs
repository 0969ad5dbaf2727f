//! Proves that `cargo xtask dev` stops cleanly however it is stopped: started against a scratch
//! state on a free port, sent SIGTERM (then, in a second run, SIGHUP) once it serves, it must
//! exit, leave no process it started behind, and free its port.
//!
//! Every process of the run is found two ways: by a marker in the environment (inherited by
//! everything it starts, whichever process group it ends up in) and by the process tree just
//! before the signal.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::procs::{alive, descendants, Group, Scratch};
use crate::setup::took;
use crate::util::{free_port, root, Result};

const MARKER: &str = "POINTDESK_STOP_TEST";

pub fn check() -> Result {
    for (sig, name) in [(libc::SIGTERM, "SIGTERM"), (libc::SIGHUP, "SIGHUP")] {
        one(sig, name)?;
    }
    Ok(())
}

fn one(sig: i32, name: &str) -> Result {
    let started = Instant::now();
    let port = free_port()?;
    let scratch = Scratch::new(&format!("pointdesk-stop-{}", name.to_lowercase()));
    let marker = format!("{}-{name}", std::process::id());
    let log_path = scratch.0.with_extension("out");
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
    let err = log.try_clone().map_err(|e| e.to_string())?;
    // Like a terminal's job: a process group of its own. Registered, so that stopping this test
    // stops it too; dropping it cleans up what a failed run left.
    let mut child = Group::spawn(
        "cargo xtask dev",
        Command::new("cargo")
            .args(["xtask", "dev", "--port", &port.to_string(), "--state"])
            .arg(&scratch.0)
            .env(MARKER, &marker)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err),
    )?;
    let pid = child.pid() as i32;
    let outcome = (|| -> Result {
        wait_until_serving(port, &mut child)?;
        let tree = descendants(pid);
        eprintln!(
            "xtask: `cargo xtask dev` serves on {port} with {} processes below it; sending {name}",
            tree.len()
        );
        // SAFETY: kill(2) on the child we started; no memory involved.
        unsafe {
            libc::kill(pid, sig);
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while child.has_exited().is_none() {
            if Instant::now() > deadline {
                return Err(format!(
                    "`cargo xtask dev` did not exit within 30 s of {name}"
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // A moment for init to reap what was killed last.
        std::thread::sleep(Duration::from_secs(1));
        let mut left: Vec<String> = marked(&marker)
            .into_iter()
            .chain(tree.into_iter().filter(|&p| alive(p)))
            .map(describe)
            .collect();
        left.sort();
        left.dedup();
        if !left.is_empty() {
            return Err(format!(
                "after {name}, these processes of `cargo xtask dev` survive:\n  {}",
                left.join("\n  ")
            ));
        }
        std::net::TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| format!("after {name}, port {port} is still taken: {e}"))?;
        Ok(())
    })();
    if outcome.is_err() {
        print_log(&log_path);
    }
    // Clean up whatever a failed run left, so one failure does not spill into the next steps.
    for p in marked(&marker) {
        // SAFETY: as above, on a process of this test run.
        unsafe {
            libc::kill(p, libc::SIGKILL);
        }
    }
    drop(child);
    let _ = std::fs::remove_file(&log_path);
    outcome?;
    eprintln!(
        "xtask: {name} stopped `cargo xtask dev` cleanly: no process left, port {port} free ({})",
        took(started.elapsed())
    );
    Ok(())
}

fn wait_until_serving(port: u16, child: &mut Group) -> Result {
    let url = format!("http://127.0.0.1:{port}/api/v1/health");
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(5))
        .build();
    let deadline = Instant::now() + Duration::from_secs(20 * 60);
    loop {
        if let Some(status) = child.has_exited() {
            return Err(format!(
                "`cargo xtask dev` exited ({status}) before serving"
            ));
        }
        if agent.get(&url).call().is_ok_and(|r| r.status() == 200) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err("`cargo xtask dev` did not serve within 20 minutes".into());
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// Processes whose environment carries this run's marker.
fn marked(marker: &str) -> Vec<i32> {
    let needle = format!("{MARKER}={marker}");
    let me = std::process::id() as i32;
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if pid == me || !alive(pid) {
            continue;
        }
        let mut env = Vec::new();
        if std::fs::File::open(e.path().join("environ"))
            .and_then(|mut f| f.read_to_end(&mut env))
            .is_ok()
            && env.split(|&b| b == 0).any(|kv| kv == needle.as_bytes())
        {
            out.push(pid);
        }
    }
    out
}

fn describe(pid: i32) -> String {
    let cmd = std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| {
            String::from_utf8_lossy(&b)
                .replace('\0', " ")
                .trim()
                .to_owned()
        })
        .unwrap_or_default();
    format!("{pid} {cmd}")
}

fn print_log(path: &std::path::Path) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    eprintln!("--- last lines of `cargo xtask dev` ---");
    for l in &lines[lines.len().saturating_sub(40)..] {
        eprintln!("{l}");
    }
}
