//! Every process xtask starts runs in a process group of its own and is registered here, so that
//! however xtask is stopped — Ctrl-C (SIGINT), `kill` (SIGTERM), a closing terminal (SIGHUP) —
//! every group ends, with every descendant that left its group, and scratch state is removed.

use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a process step answers: nothing, or why it failed.
type Result<T = ()> = std::result::Result<T, String>;

/// Process groups (their leaders' pids) to stop if we are interrupted.
static GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());
/// Throw-away state folders to remove if we are interrupted.
static SCRATCH: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set once a stop signal arrived: what fails from then on is the stop, not an error.
static STOPPING: AtomicBool = AtomicBool::new(false);

pub fn stopping() -> bool {
    STOPPING.load(Ordering::SeqCst)
}

/// SIGINT, SIGTERM and SIGHUP (ctrlc's `termination` feature) all stop everything we started.
pub fn install_stop_handler() {
    let _ = ctrlc::set_handler(|| {
        STOPPING.store(true, Ordering::SeqCst);
        eprintln!("\nxtask: stopping everything it started…");
        stop_all();
        std::process::exit(130);
    });
}

fn stop_all() {
    let groups: Vec<i32> = GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
    let mut pids: Vec<i32> = Vec::new();
    for &leader in &groups {
        pids.extend(descendants(leader));
    }
    for &pg in &groups {
        signal_group(pg, libc::SIGTERM);
    }
    for &pid in &pids {
        signal(pid, libc::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && pids.iter().any(|&p| alive(p)) {
        std::thread::sleep(Duration::from_millis(100));
    }
    for &pg in &groups {
        signal_group(pg, libc::SIGKILL);
    }
    for &pid in pids.iter().filter(|&&p| alive(p)) {
        signal(pid, libc::SIGKILL);
    }
    // Let the killed servers release their files, then remove the scratch state.
    std::thread::sleep(Duration::from_millis(300));
    if let Ok(dirs) = SCRATCH.lock() {
        for d in dirs.iter() {
            let _ = std::fs::remove_dir_all(d);
            let _ = std::fs::remove_file(d.with_extension("log"));
        }
    }
}

fn signal_group(pgid: i32, sig: i32) {
    // SAFETY: kill(2) with a negative pid signals a process group we created; no memory involved.
    unsafe {
        libc::kill(-pgid, sig);
    }
}

fn signal(pid: i32, sig: i32) {
    // SAFETY: kill(2) on a pid we found among our own descendants; no memory involved.
    unsafe {
        libc::kill(pid, sig);
    }
}

/// A process exists and is not a zombie.
pub fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z"),
        Err(_) => false,
    }
}

/// Every process below `root` (children, their children, ...), read from /proc.
pub fn descendants(root: i32) -> Vec<i32> {
    let mut parent_of: Vec<(i32, i32)> = Vec::new();
    if let Ok(rd) = std::fs::read_dir("/proc") {
        for e in rd.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid ...; comm may contain spaces and parentheses.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<i32>().ok());
            if let Some(ppid) = ppid {
                parent_of.push((pid, ppid));
            }
        }
    }
    let mut out = Vec::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for &(child, parent) in &parent_of {
            if parent == p && !out.contains(&child) {
                out.push(child);
                frontier.push(child);
            }
        }
    }
    out
}

/// A state folder that is removed when dropped (and when xtask is stopped).
pub struct Scratch(pub PathBuf);

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

/// A child in its own process group, stopped with its whole group (and every descendant) when
/// dropped.
pub struct Group {
    child: Child,
    name: String,
}

impl Group {
    pub fn spawn(name: &str, cmd: &mut Command) -> Result<Group> {
        use std::os::unix::process::CommandExt;
        let child = cmd
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        if let Ok(mut g) = GROUPS.lock() {
            g.push(child.id() as i32);
        }
        Ok(Group {
            child,
            name: name.to_owned(),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn has_exited(&mut self) -> Option<ExitStatus> {
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
        let below = descendants(pid);
        signal_group(pid, libc::SIGTERM);
        for &p in &below {
            signal(p, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) && !below.iter().any(|&p| alive(p)) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // SIGKILL for anything that ignored SIGTERM.
        signal_group(pid, libc::SIGKILL);
        for &p in below.iter().filter(|&&p| alive(p)) {
            signal(p, libc::SIGKILL);
        }
        let _ = self.child.wait();
        if let Ok(mut g) = GROUPS.lock() {
            g.retain(|&p| p != pid);
        }
    }
}

/// Runs a command to completion in a group of its own (so a stop reaches it too).
pub fn run_grouped(name: &str, cmd: &mut Command) -> Result<ExitStatus> {
    let mut g = Group::spawn(name, cmd)?;
    let status = g.child.wait().map_err(|e| e.to_string())?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_a_group_ends_its_descendants_even_those_that_left_the_group() {
        // `setsid` puts the second sleeper in a session (and group) of its own, as a server
        // that daemonises would; the first one stays in the group.
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 60 & setsid sleep 60 & wait"]);
        let g = Group::spawn("sleepers", &mut cmd).expect("sh starts");
        let leader = g.pid() as i32;
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut below = descendants(leader);
        while below.len() < 2 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
            below = descendants(leader);
        }
        assert!(
            below.len() >= 2,
            "both sleepers run below the shell: {below:?}"
        );
        assert!(below.iter().all(|&p| alive(p)));
        drop(g);
        std::thread::sleep(Duration::from_millis(200));
        let left: Vec<i32> = below.into_iter().filter(|&p| alive(p)).collect();
        assert!(left.is_empty(), "survivors: {left:?}");
        assert!(!alive(leader));
    }
}
