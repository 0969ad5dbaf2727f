//! Installs what a fresh machine lacks, at the pinned versions (see ../shared/TOOLCHAIN.md).
//! Every tool comes from crates.io, the npm registry or Debian's packages: nothing downloads a
//! binary from elsewhere.

use std::process::Command;

use crate::util::{cargo_bin, is_root, node_bin, output, root, run, Result};

pub const TRUNK: &str = "0.21.14";
pub const WASM_BINDGEN: &str = "0.2.130";
pub const WORKER_BUILD: &str = "0.8.7";
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

pub fn ensure_all(need: Need) -> Result {
    ensure_wasm_target()?;
    ensure_cargo_tool(
        "worker-build",
        WORKER_BUILD,
        &[
            "install",
            "--locked",
            "worker-build",
            "--version",
            WORKER_BUILD,
        ],
    )?;
    // wasm-bindgen-cli's own lockfile wants a crate release the registry lacks: no --locked.
    ensure_cargo_tool(
        "wasm-bindgen",
        WASM_BINDGEN,
        &["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN],
    )?;
    ensure_cargo_tool(
        "trunk",
        TRUNK,
        &["install", "--locked", "trunk", "--version", TRUNK],
    )?;
    ensure_npm()?;
    // trunk builds with `cargo --offline` (Trunk.toml), so the crates must be here first.
    run(Command::new("cargo").arg("fetch").current_dir(root()))?;
    if need.browser {
        ensure_chromium()?;
    }
    Ok(())
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

fn ensure_cargo_tool(bin: &str, version: &str, install: &[&str]) -> Result {
    let have = output(Command::new(cargo_bin(bin)).arg("--version")).unwrap_or_default();
    if have
        .split_whitespace()
        .any(|w| w.trim_start_matches('v') == version)
    {
        return Ok(());
    }
    eprintln!(
        "xtask: installing {bin} {version} (have: {})",
        if have.is_empty() { "none" } else { have.trim() }
    );
    // Build outside the workspace so its profile and toolchain pin do not apply.
    run(Command::new("cargo")
        .args(install)
        .current_dir(std::env::temp_dir()))
}

fn ensure_npm() -> Result {
    let lock = root().join("package-lock.json");
    let installed = root().join("node_modules/.package-lock.json");
    let fresh = match (
        std::fs::metadata(&lock).and_then(|m| m.modified()),
        std::fs::metadata(&installed).and_then(|m| m.modified()),
    ) {
        (Ok(l), Ok(i)) => i >= l,
        _ => false,
    };
    if fresh
        && node_bin("wrangler").exists()
        && root().join("node_modules/binaryen/bin/wasm-opt").exists()
    {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(root()))
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
