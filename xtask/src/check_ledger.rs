//! `cargo xtask check-ledger [--state DIR]`: recomputes every organisation's balance state from
//! its entries in a local D1 (`cargo xtask dev`'s, `.state/dev`, by default) and fails on any difference — the
//! stored balance against Σ entries, Σ block remainders − debt and the last entry's balance
//! after; the daily roll-up against the entries; reserved points against hold reservations.

use std::path::Path;
use std::process::Command;

use crate::util::{node_bin, offline_env, root, Result};

const DISAGREE: &str = include_str!("check_ledger.sql");

pub fn command(args: &[String]) -> Result {
    let state = match args {
        [flag, dir] if flag == "--state" => dir.clone(),
        [] => root().join(".state/dev").display().to_string(),
        _ => return Err("usage: cargo xtask check-ledger [--state DIR]".into()),
    };
    check(Path::new(&state))
}

/// Fails unless the books in the local D1 at `state` agree with their entries.
pub fn check(state: &Path) -> Result {
    let out = offline_env(&mut Command::new(node_bin("wrangler")))
        .args(["d1", "execute", "DB", "--local", "--persist-to"])
        .arg(state)
        .args(["--json", "--command", DISAGREE])
        .env("CI", "true")
        .current_dir(root())
        .output()
        .map_err(|e| format!("wrangler: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "check-ledger: wrangler failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    // wrangler answers `[{"results": [...], "success": true, ...}]`: nothing disagrees when the
    // results are empty.
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if squeezed.contains("\"results\":[]") {
        println!("check-ledger: every organisation's balance agrees with its entries");
        Ok(())
    } else if squeezed.contains("\"results\":[{") {
        eprintln!("check-ledger: these organisations disagree with their entries:\n{text}");
        Err("check-ledger: the books disagree with their entries".into())
    } else {
        Err(format!(
            "check-ledger: unexpected answer from wrangler: {text}"
        ))
    }
}
