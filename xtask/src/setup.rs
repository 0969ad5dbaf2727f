//! Installs what a fresh machine lacks, at the pinned versions (see ../shared/TOOLCHAIN.md).
//! Every tool comes from crates.io, the npm registry or Debian's packages: nothing downloads a
//! binary from elsewhere.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::procs::Group;
use crate::util::{cargo_bin, is_root, node_bin, output, root, run, Result};

pub const TRUNK: &str = "0.21.14";
pub const WASM_BINDGEN: &str = "0.2.130";
pub const CHROMIUM: &str = "/usr/bin/chromium";

#[derive(Clone, Copy)]
pub struct Need {
    pub browser: bool,
}

impl Need {
    pub fn everything() -> Need {
        Need { browser: true }
    }
}

/// A tool built from crates.io on the first run.
struct Tool {
    bin: &'static str,
    krate: &'static str,
    version: &'static str,
    /// Extra `cargo install` arguments (`--locked`, features).
    args: &'static [&'static str],
    /// Profile overrides for `cargo install` (CARGO_PROFILE_RELEASE_*).
    profile: &'static [(&'static str, &'static str)],
    /// About how long the first install takes on a 2-core machine, for the progress line.
    estimate: &'static str,
}

/// On a first run their build time is what a newcomer waits for, while in the dev loop they
/// mostly wait on cargo: no optimisation, no LTO (trunk asks for fat LTO in one unit), no TLS or
/// update check for trunk (nothing is downloaded). Measured alone on 2 cores: trunk 647 s →
/// 246 s, wasm-bindgen-cli 201 s → 95 s; a no-change app build takes 2.7 s instead of 2.2 s
/// (dev) and the same 9 s (release). worker-build (324 s, 139 s unoptimised) is not installed
/// at all: `worker_build` does its job with wasm-bindgen, wasm-opt and esbuild.
const ORCHESTRATOR: &[(&str, &str)] = &[
    ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0"),
    ("CARGO_PROFILE_RELEASE_LTO", "off"),
    ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256"),
    ("CARGO_PROFILE_RELEASE_DEBUG", "0"),
];

const TOOLS: [Tool; 2] = [
    Tool {
        bin: "trunk",
        krate: "trunk",
        version: TRUNK,
        args: &["--locked", "--no-default-features"],
        profile: ORCHESTRATOR,
        estimate: "~4 min",
    },
    // Its own lockfile wants a crate release the registry lacks: no --locked. It transforms
    // every build: unoptimised it took 0.7 s on the release app (0.2 s optimised) and 3.6 s on
    // a 128 MB dev app with full debug info (1.4 s), which the workspace no longer produces; it
    // builds in 95 s instead of 201 s.
    Tool {
        bin: "wasm-bindgen",
        krate: "wasm-bindgen-cli",
        version: WASM_BINDGEN,
        args: &[],
        profile: ORCHESTRATOR,
        estimate: "~1½ min",
    },
];

/// Installs what is missing. The cargo tools are built one after another (side by side on two
/// cores they took longer than in a row), while the npm packages and the crates the offline
/// builds need download beside them; each step has a log, a line when it starts and one with
/// the time it took.
pub fn ensure_all(need: Need) -> Result {
    let started = Instant::now();
    ensure_wasm_target()?;
    if need.browser {
        ensure_chromium()?;
    }
    let logs = root().join("target/xtask");
    std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;
    // One build folder for the tools, so what they share is compiled once; removed after.
    let tool_target = logs.join("tool-build");
    let mut in_a_row = Vec::new();
    for tool in TOOLS.iter().filter(|t| !has_tool(t.bin, t.version)) {
        let mut cmd = Command::new("cargo");
        cmd.args(["install", tool.krate, "--version", tool.version])
            .args(tool.args)
            .env("CARGO_TARGET_DIR", &tool_target)
            // Build outside the workspace so its profile and toolchain pin do not apply.
            .current_dir(std::env::temp_dir());
        for (k, v) in tool.profile {
            cmd.env(k, v);
        }
        in_a_row.push(Pending {
            what: format!("{} {}", tool.krate, tool.version),
            doing: Some(format!("installing (first run only, {})", tool.estimate)),
            cmd,
        });
    }
    let mut beside = Vec::new();
    if !npm_is_fresh() {
        let mut cmd = Command::new("npm");
        cmd.args(["ci", "--no-audit", "--no-fund"])
            .current_dir(root());
        beside.push(Pending {
            what: "npm packages (wrangler, workerd, Node.js 22, binaryen, playwright-core)".into(),
            doing: Some("installing from package-lock.json (~30 s)".into()),
            cmd,
        });
    }
    // trunk builds with `cargo --offline` (Trunk.toml), so the crates must be here first.
    // Seconds the first time, nothing later: said only when it takes a while.
    let mut cmd = Command::new("cargo");
    cmd.arg("fetch").current_dir(root());
    beside.push(Pending {
        what: "the workspace's crates".into(),
        doing: None,
        cmd,
    });
    let result = run_all(beside, in_a_row, &logs);
    let _ = std::fs::remove_dir_all(&tool_target);
    result?;
    if started.elapsed() > Duration::from_secs(5) {
        eprintln!("xtask: set-up done in {}", took(started.elapsed()));
    }
    Ok(())
}

/// A set-up step not started yet.
struct Pending {
    what: String,
    doing: Option<String>,
    cmd: Command,
}

/// Starts every step of `beside` at once and the steps of `in_a_row` one after another,
/// reporting each as it ends and, every minute, what is still running.
fn run_all(beside: Vec<Pending>, in_a_row: Vec<Pending>, logs: &Path) -> Result {
    let mut queue = std::collections::VecDeque::from(in_a_row);
    let mut running: Vec<(Job, bool)> = Vec::new();
    for mut p in beside {
        running.push((Job::start(p.what, p.doing, &mut p.cmd, logs)?, false));
    }
    let mut next_note = Instant::now() + Duration::from_secs(60);
    let mut failed: Vec<String> = Vec::new();
    let started = Instant::now();
    loop {
        if failed.is_empty() && !running.iter().any(|(_, queued)| *queued) {
            if let Some(mut p) = queue.pop_front() {
                running.push((Job::start(p.what, p.doing, &mut p.cmd, logs)?, true));
            }
        }
        if running.is_empty() {
            break;
        }
        let mut i = 0;
        while i < running.len() {
            match running[i].0.group.has_exited() {
                Some(status) => {
                    let (job, _) = running.remove(i);
                    if status.success() {
                        if !job.quiet || job.started.elapsed() > Duration::from_secs(3) {
                            eprintln!(
                                "xtask: {} ready ({})",
                                job.what,
                                took(job.started.elapsed())
                            );
                        }
                    } else {
                        eprintln!(
                            "xtask: {} failed ({status}); the end of {}:",
                            job.what,
                            job.log.display()
                        );
                        print_tail(&job.log);
                        failed.push(job.what);
                    }
                }
                None => i += 1,
            }
        }
        if !running.is_empty() && Instant::now() >= next_note {
            let names: Vec<&str> = running.iter().map(|(j, _)| j.what.as_str()).collect();
            eprintln!(
                "xtask: still working on {} ({} since set-up began)",
                names.join(", "),
                took(started.elapsed())
            );
            next_note += Duration::from_secs(60);
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("set-up failed: {}", failed.join(", ")))
    }
}

/// A set-up step running in the background, its output in a log.
struct Job {
    what: String,
    log: PathBuf,
    started: Instant,
    quiet: bool,
    group: Group,
}

impl Job {
    /// `doing` announces the step; a step without it is reported only if it takes a while.
    fn start(what: String, doing: Option<String>, cmd: &mut Command, logs: &Path) -> Result<Job> {
        let slug: String = what
            .chars()
            .take_while(|c| *c != '(')
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let log = logs.join(format!("setup-{}.log", slug.trim_matches('-')));
        let file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
        let err = file.try_clone().map_err(|e| e.to_string())?;
        if let Some(doing) = &doing {
            eprintln!("xtask: {what}: {doing}; log: {}", log.display());
        }
        let group = Group::spawn(&what, cmd.stdin(Stdio::null()).stdout(file).stderr(err))?;
        Ok(Job {
            what,
            log,
            started: Instant::now(),
            quiet: doing.is_none(),
            group,
        })
    }
}

fn print_tail(log: &Path) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    for l in &lines[lines.len().saturating_sub(30)..] {
        eprintln!("  {l}");
    }
}

/// `3m 05s`, `42 s`.
pub fn took(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

fn has_tool(bin: &str, version: &str) -> bool {
    output(Command::new(cargo_bin(bin)).arg("--version"))
        .unwrap_or_default()
        .split_whitespace()
        .any(|w| w.trim_start_matches('v') == version)
}

fn ensure_wasm_target() -> Result {
    let installed = output(
        Command::new("rustup")
            .args(["target", "list", "--installed"])
            .current_dir(root()),
    )
    .unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(Command::new("rustup")
        .args(["target", "add", "wasm32-unknown-unknown"])
        .current_dir(root()))
}

/// node_modules matches package-lock.json and has the binaries the builds call.
fn npm_is_fresh() -> bool {
    let lock = root().join("package-lock.json");
    let installed = root().join("node_modules/.package-lock.json");
    let fresh = match (
        std::fs::metadata(&lock).and_then(|m| m.modified()),
        std::fs::metadata(&installed).and_then(|m| m.modified()),
    ) {
        (Ok(l), Ok(i)) => i >= l,
        _ => false,
    };
    fresh
        && node_bin("wrangler").exists()
        && node_bin("node").exists()
        && root().join("node_modules/binaryen/bin/wasm-opt").exists()
}

fn ensure_chromium() -> Result {
    if std::path::Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    if !is_root() {
        return Err(format!(
            "{CHROMIUM} is missing. Install Debian's Chromium: sudo apt-get update && sudo apt-get install -y chromium chromium-driver"
        ));
    }
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args([
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
            "fonts-dejavu-core",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}
