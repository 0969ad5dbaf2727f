//! `cargo xtask <command>`: Pointdesk's orchestration, in Rust (matklad's cargo-xtask).
//!
//! - `dev`: set up what is missing, build app and worker, migrate and seed a local D1, serve
//!   on http://127.0.0.1:8787 with rebuilds on change
//! - `test`: every check: fmt, clippy (host + wasm32), unit tests, both wasm builds, then API
//!   and browser end-to-end tests against an isolated `wrangler dev`
//! - `check-ledger [--state DIR]`: recompute every balance from its entries in a local D1
//! - `bench`: sizes of what ships and the API's latency against a no-op floor, in one run
//! - `build`: `app`, `worker` or `all` (wrangler's build hook calls `build worker`)
//! - `deploy`: build and `wrangler deploy` to Cloudflare (needs an account; see README)

mod bench;
mod bootstrap;
mod build;
mod check_ledger;
mod dev;
mod icons;
#[cfg(test)]
mod layout;
mod procs;
mod server;
mod setup;
mod stop_test;
mod test;
#[cfg(test)]
mod tidy;
mod util;
mod worker_build;

use std::process::ExitCode;

fn main() -> ExitCode {
    procs::install_stop_handler();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("build") => build::command(&args[1..]),
        Some("deploy") => build::deploy(),
        Some("setup") => setup::ensure_all(setup::Need::everything()),
        Some("openapi") => write_openapi(),
        Some("check-ledger") => check_ledger::command(&args[1..]),
        Some("bootstrap-manager") => bootstrap::run_command(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <dev [--port N] | test [--skip-e2e] | bench [--first-screen] | build <app|worker|all> [--dev] | deploy | setup | openapi | check-ledger [--state DIR] | bootstrap-manager --email E --name N [--origin URL] [--remote]>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) if procs::stopping() => loop {
            // The children ended because we are stopping: the handler exits the process.
            std::thread::park();
        },
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Regenerates `openapi/openapi.json` from the one declaration of the routes
/// (`api/src/routes.rs`) and the wire types; commit the result.
fn write_openapi() -> util::Result {
    util::run(
        std::process::Command::new("cargo")
            .args([
                "test",
                "-p",
                "pointdesk-api",
                "--features",
                "openapi",
                "--lib",
                "committed_document_is_current",
            ])
            .env("POINTDESK_WRITE_OPENAPI", "1")
            .current_dir(util::root()),
    )
}
