//! `cargo xtask dev`: everything from a fresh machine to a seeded local Pointdesk.

use std::process::Command;

use crate::build::{self, Profile};
use crate::server::{self, Group};
use crate::setup::{self, Need};
use crate::util::{cargo_bin, offline_env, root, Result};

pub fn run(args: &[String]) -> Result {
    let port = match args.iter().position(|a| a == "--port") {
        Some(i) => args
            .get(i + 1)
            .and_then(|p| p.parse().ok())
            .ok_or("--port needs a number")?,
        None => 8787,
    };
    setup::ensure_all(Need { browser: false })?;
    build::app(Profile::Dev)?;
    build::worker()?;
    // The developer's local state lives in .state/dev (git-ignored) and survives restarts.
    let state = root().join(".state/dev");
    std::fs::create_dir_all(&state).map_err(|e| e.to_string())?;
    server::prepare_database(&state, true)?;
    // trunk rebuilds the app on change; wrangler rebuilds the worker (wrangler.toml [build]).
    let mut watch = Group::spawn(
        "trunk watch",
        offline_env(&mut Command::new(cargo_bin("trunk")))
            .args(["watch", "--ignore", "dist"])
            .current_dir(root().join("app")),
    )?;
    let srv = server::start(port, &state, false)?;
    eprintln!(
        "\n  Pointdesk is running at {}/  (Ctrl-C stops it)\n",
        srv.url
    );
    watch.wait()
}
