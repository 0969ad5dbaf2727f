//! `cargo xtask dev`: everything from a fresh machine to a seeded local Pointdesk, saying what
//! it does and how long each step took. However it is stopped (Ctrl-C, SIGTERM, SIGHUP), every
//! process it started ends (see `procs`).

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use crate::build;
use crate::procs::Group;
use crate::server;
use crate::setup::{self, took, Need};
use crate::util::{cargo_bin, offline_env, root, Result};

struct Options {
    port: u16,
    state: PathBuf,
    /// `--release`: the app as it ships (minified, with its service worker: installable and
    /// offline), built once instead of watched.
    release: bool,
}

fn options(args: &[String]) -> Result<Options> {
    let value = |flag: &str| -> Option<&String> {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let port = match value("--port") {
        Some(p) => p.parse().map_err(|_| "--port needs a number")?,
        None => 8787,
    };
    // The developer's local state lives in .state/dev (git-ignored) and survives restarts.
    let state = value("--state").map_or_else(|| root().join(".state/dev"), PathBuf::from);
    let release = args.iter().any(|a| a == "--release");
    Ok(Options {
        port,
        state,
        release,
    })
}

pub fn run(args: &[String]) -> Result {
    let opts = options(args)?;
    let started = Instant::now();
    // Before any thread or child starts: our worker build and wrangler's build hook (which
    // inherits the variable) make a dev build of the worker.
    std::env::set_var(build::WORKER_PROFILE_VAR, "dev");
    setup::ensure_all(Need { browser: false })?;

    // trunk watch builds the app once at start and again on every change: start it first and
    // let that first build be the only one.
    let t = Instant::now();
    eprintln!(
        "xtask: building the app (trunk, {}; ~2 min the first time, ~15 s after)",
        if opts.release {
            "release profile, with the service worker"
        } else {
            "dev profile"
        }
    );
    let dist = root().join("app/dist/index.html");
    let before = modified(&dist);
    // The icons trunk copies are drawn from app/pwa/icon.svg. The dev build has no service
    // worker (`build app` writes it after trunk): a reload always shows the change just made.
    crate::icons::write()?;
    let mut watch = if opts.release {
        None
    } else {
        Some(Group::spawn(
            "trunk watch",
            offline_env(&mut Command::new(cargo_bin("trunk")))
                .args(["watch", "--ignore", "dist"])
                .current_dir(root().join("app")),
        )?)
    };

    // Meanwhile: the local database (migrations and demo data).
    std::fs::create_dir_all(&opts.state).map_err(|e| e.to_string())?;
    let state = opts.state.clone();
    let database = std::thread::spawn(move || server::prepare_database(&state, true));

    match watch.as_mut() {
        Some(w) => wait_for_build(w, &dist, before)?,
        None => build::app(build::Profile::Release)?,
    }
    eprintln!("xtask: app built ({})", took(t.elapsed()));

    let t = Instant::now();
    eprintln!("xtask: building the worker (dev profile; ~1 min the first time, seconds after)");
    build::worker()?;
    eprintln!("xtask: worker built ({})", took(t.elapsed()));

    database
        .join()
        .map_err(|_| "preparing the database panicked".to_owned())??;

    let t = Instant::now();
    eprintln!("xtask: starting wrangler dev (workerd with local D1 and KV; ~20 s)");
    let srv = server::start(opts.port, &opts.state, false)?;
    eprintln!("xtask: server up ({})", took(t.elapsed()));
    eprintln!(
        "\n  Pointdesk is running at {}/  (ready in {}; Ctrl-C stops it)\n",
        srv.url,
        took(started.elapsed())
    );
    eprintln!(
        "  Mail to support@ (as Acme's user, from a fixture with its placeholders filled):\n    \
         sed -e 's/{{FROM}}/user@acme.test/; s/{{TO}}/support@pointdesk.local/; s/{{SUBJECT}}/Printer/; s/{{ID}}/demo-1/' \\\n      \
         tests/fixtures/mail/outlook-html.eml | curl -X POST --data-binary @- \\\n      \
         '{}/cdn-cgi/local/email?format=json&from=user@acme.test&to=support@pointdesk.local'\n",
        srv.url
    );
    match watch {
        Some(mut w) => w.wait(),
        None => srv.wait(),
    }
}

fn modified(path: &std::path::Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Waits until trunk has written a new index.html (its last step), or fails if trunk stops.
fn wait_for_build(watch: &mut Group, dist: &std::path::Path, before: Option<SystemTime>) -> Result {
    let deadline = Instant::now() + Duration::from_secs(30 * 60);
    loop {
        if let Some(status) = watch.has_exited() {
            return Err(format!(
                "trunk watch stopped ({status}) before the app was built"
            ));
        }
        let now = modified(dist);
        if now.is_some() && now != before {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err("the app was not built within 30 minutes".into());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}
