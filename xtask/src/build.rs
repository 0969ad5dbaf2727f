//! Builds the app (trunk) and the worker (`worker_build`), offline, skipping what is up to date.

use std::path::PathBuf;
use std::process::Command;

use crate::util::{newest, node_bin, offline_env, root, run, Result};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Dev,
    Release,
}

pub fn command(args: &[String]) -> Result {
    let profile = if args.iter().any(|a| a == "--dev") {
        Profile::Dev
    } else {
        Profile::Release
    };
    match args.first().map(String::as_str) {
        Some("app") => app(profile),
        Some("worker") => worker(),
        Some("all") | None => app(profile).and_then(|()| worker()),
        Some(other) => Err(format!("unknown build target `{other}` (app, worker, all)")),
    }
}

fn shared_sources() -> Vec<PathBuf> {
    let r = root();
    vec![
        r.join("domain/src"),
        r.join("api/src"),
        r.join("Cargo.lock"),
        r.join("Cargo.toml"),
    ]
}

/// The variable that picks the worker's profile for `build worker`. `cargo xtask dev` sets it
/// to `dev` for itself and for wrangler's build hook: a dev build of the worker compiles in a
/// fraction of the time of the size-optimised, LTO'd release build, and a local server does not
/// need the latter. Everything else (test, bench, deploy) builds the release.
pub const WORKER_PROFILE_VAR: &str = "POINTDESK_WORKER_PROFILE";

/// The worker, built into worker/build/ (release: wasm-opt'ed; see `worker_build`).
/// Skipped when the output is of the wanted profile and newer than every source, because
/// wrangler calls this at start.
pub fn worker() -> Result {
    let r = root();
    let dev = std::env::var(WORKER_PROFILE_VAR).is_ok_and(|p| p == "dev");
    let profile = if dev { "dev" } else { "release" };
    let out = r.join("worker/build/index.js");
    let marker = r.join("worker/build/.xtask-profile");
    let mut sources = shared_sources();
    sources.extend([r.join("worker/src"), r.join("worker/Cargo.toml")]);
    let built = std::fs::metadata(&out).and_then(|m| m.modified()).ok();
    let same_profile = std::fs::read_to_string(&marker).is_ok_and(|p| p.trim() == profile);
    if let (Some(b), Some(s), true) = (built, newest(&sources), same_profile) {
        if b > s {
            eprintln!("xtask: worker is up to date ({profile})");
            return Ok(());
        }
    }
    crate::worker_build::build(dev)?;
    std::fs::write(&marker, profile).map_err(|e| e.to_string())
}

/// The app, built by trunk into app/dist/.
pub fn app(profile: Profile) -> Result {
    let mut cmd = Command::new(crate::util::cargo_bin("trunk"));
    offline_env(&mut cmd)
        .arg("build")
        .current_dir(root().join("app"));
    if profile == Profile::Release {
        cmd.arg("--release");
    }
    run(&mut cmd)
}

pub fn deploy() -> Result {
    crate::setup::ensure_all(crate::setup::Need { browser: false })?;
    app(Profile::Release)?;
    worker()?;
    run(offline_env(&mut Command::new(node_bin("wrangler")))
        .args(["d1", "migrations", "apply", "DB", "--remote"])
        .current_dir(root()))?;
    run(offline_env(&mut Command::new(node_bin("wrangler")))
        .arg("deploy")
        .current_dir(root()))
}
