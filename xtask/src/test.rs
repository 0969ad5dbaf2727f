//! `cargo xtask test`: every check the project has, in order, always stopping the server it
//! started, and exiting non-zero if anything failed.

use std::process::Command;
use std::time::Instant;

use crate::build::{self, Profile};
use crate::server;
use crate::setup::{self, Need};
use crate::util::{offline_env, root, run as sh, Result};

struct Step {
    name: &'static str,
    result: Result,
    secs: u64,
}

pub fn run(args: &[String]) -> Result {
    let skip_e2e = args.iter().any(|a| a == "--skip-e2e");
    setup::ensure_all(Need { browser: !skip_e2e })?;
    let mut steps: Vec<Step> = Vec::new();
    let cargo = || {
        let mut c = Command::new("cargo");
        c.current_dir(root());
        c
    };

    step(&mut steps, "fmt", &mut || {
        sh(cargo().args(["fmt", "--all", "--check"]))
    });
    step(&mut steps, "clippy host", &mut || {
        sh(cargo().args([
            "clippy",
            "--workspace",
            "--exclude",
            "pointdesk-app",
            "--all-targets",
            "--features",
            "pointdesk-api/openapi",
            "--",
            "-D",
            "warnings",
        ]))
    });
    step(&mut steps, "clippy wasm32", &mut || {
        sh(cargo().args([
            "clippy",
            "-p",
            "pointdesk-app",
            "-p",
            "pointdesk-worker",
            "-p",
            "pointdesk-domain",
            "-p",
            "pointdesk-api",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]))
    });
    step(&mut steps, "unit tests", &mut || {
        sh(cargo().args([
            "test",
            "--workspace",
            "--exclude",
            "pointdesk-e2e",
            "--features",
            "pointdesk-api/openapi",
        ]))
    });
    step(&mut steps, "build app", &mut || {
        build::app(Profile::Release)
    });
    step(&mut steps, "build worker", &mut || build::worker());

    let built = steps.iter().all(|s| s.result.is_ok());
    if skip_e2e {
        eprintln!("xtask: end-to-end tests skipped (--skip-e2e)");
    } else if !built {
        eprintln!("xtask: end-to-end tests not run: an earlier step failed");
    } else {
        end_to_end(&mut steps);
    }

    eprintln!("\n==> summary");
    for s in &steps {
        eprintln!(
            "  {:<16} {:>4} s  {}",
            s.name,
            s.secs,
            if s.result.is_ok() { "ok" } else { "FAILED" }
        );
    }
    let failed = steps.iter().filter(|s| s.result.is_err()).count();
    // The plain closing line CI reads.
    println!("steps: {} passed, {failed} failed", steps.len() - failed);
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} step(s) failed"))
    }
}

/// Against one isolated server: the API suite, the books check, the browser suite, the books
/// again; then that `cargo xtask dev` stops on a signal.
fn end_to_end(steps: &mut Vec<Step>) {
    let cargo = || {
        let mut c = Command::new("cargo");
        c.current_dir(root());
        c
    };
    let scratch = server::Scratch::new("pointdesk-test");
    let state = scratch.0.clone();
    let started = server::prepare_database(&state, false)
        .and_then(|()| crate::util::free_port())
        .and_then(|port| server::start(port, &state, true));
    match started {
        Err(e) => {
            server::print_log_tail(&state);
            step(steps, "start server", &mut || Err(e.clone()))
        }
        Ok(srv) => {
            eprintln!(
                "xtask: isolated server at {} (state {})",
                srv.url,
                state.display()
            );
            step(steps, "api e2e", &mut || {
                // The schema tests call wrangler: give them the same offline environment.
                sh(offline_env(&mut cargo())
                    .args(["test", "-p", "pointdesk-e2e", "--no-fail-fast"])
                    .env("POINTDESK_URL", &srv.url)
                    .env("POINTDESK_STATE", &state)
                    .env("POINTDESK_WRANGLER", crate::util::node_bin("wrangler")))
            });
            step(steps, "books after api", &mut || {
                crate::check_ledger::check(&state)
            });
            step(steps, "browser e2e", &mut || {
                sh(offline_env(&mut Command::new("node"))
                    .args([
                        "--test",
                        "--test-concurrency=1",
                        // A glob: Node 22 (wrangler's) runs no directory given as is.
                        "tests/browser/*.test.mjs",
                    ])
                    .env("POINTDESK_URL", &srv.url)
                    .env("POINTDESK_STATE", &state)
                    .env("POINTDESK_WRANGLER", crate::util::node_bin("wrangler"))
                    .current_dir(root()))
            });
            step(steps, "books after all", &mut || {
                crate::check_ledger::check(&state)
            });
            if steps.iter().any(|s| s.result.is_err()) {
                server::print_log_tail(&state);
            }
            drop(srv);
        }
    }
    drop(scratch);
    // Last: it runs `cargo xtask dev`, whose trunk writes a dev build into app/dist.
    step(steps, "stop on signal", &mut crate::stop_test::check);
}

fn step(steps: &mut Vec<Step>, name: &'static str, f: &mut dyn FnMut() -> Result) {
    eprintln!("\n==> {name}");
    let t = Instant::now();
    let result = f();
    if let Err(e) = &result {
        eprintln!("xtask: step `{name}` failed: {e}");
    }
    steps.push(Step {
        name,
        result,
        secs: t.elapsed().as_secs(),
    });
}
