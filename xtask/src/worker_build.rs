//! The worker's build, done here rather than by installing worker-build (on a first run its
//! compilation alone took 2¼ minutes on 2 cores): cargo builds the library for wasm32,
//! wasm-bindgen (already installed for trunk) writes the ES-module bindings, wasm-opt shrinks a
//! release build, and esbuild (from wrangler's npm packages) bundles our entry shim with the
//! bindings into `worker/build/index.js` beside `index_bg.wasm` — the layout wrangler's `main`
//! points at.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{cargo_bin, offline_env, root, run, Result};

/// The entry module: a `WorkerEntrypoint` whose handlers call the exported Rust functions with
/// the request's env and context. A WebAssembly trap (a panic aborts) poisons the instance, so
/// the next call resets the module's state first (`--experimental-reset-state-function`).
const SHIM: &str = r#"import { WorkerEntrypoint } from "cloudflare:workers";
import * as wasm from "./index.js";

let poisoned = false;

function guard(call) {
  if (poisoned) {
    wasm.__wbg_reset_state();
    poisoned = false;
  }
  try {
    const result = call();
    return result instanceof Promise ? result.catch(note) : result;
  } catch (e) {
    throw note(e);
  }
}

function note(e) {
  if (e instanceof WebAssembly.RuntimeError) {
    console.error("Pointdesk worker trapped; its state is reset before the next request", e);
    poisoned = true;
  }
  throw e;
}

export default class Pointdesk extends WorkerEntrypoint {
  fetch(request) {
    return guard(() => wasm.fetch(request, this.env, this.ctx));
  }
  scheduled(event) {
    return guard(() => wasm.scheduled(event, this.env, this.ctx));
  }
  email(message) {
    return guard(() => wasm.email(message, this.env, this.ctx));
  }
}
"#;

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

fn node_tool(path: &str) -> PathBuf {
    root().join("node_modules").join(path)
}

/// Builds `worker/build/` for the dev or the release profile.
pub fn build(dev: bool) -> Result {
    let r = root();
    let mut cargo = Command::new("cargo");
    cargo
        .args([
            "build",
            "--offline",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
        ])
        // As worker-build does: wasm-bindgen's macros use js_sys's futures.
        .env("WASM_BINDGEN_USE_JS_SYS", "1")
        .current_dir(r.join("worker"));
    if !dev {
        cargo.arg("--release");
    }
    run(&mut cargo)?;
    let wasm = target_dir()
        .join("wasm32-unknown-unknown")
        .join(if dev { "debug" } else { "release" })
        .join("pointdesk_worker.wasm");

    // Built next to the output, then swapped in, so wrangler never sees half a build.
    let staging = r.join("worker/build.staging");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| e.to_string())?;
    let mut bindgen = Command::new(cargo_bin("wasm-bindgen"));
    bindgen.arg(&wasm).args(["--out-dir"]).arg(&staging).args([
        "--out-name",
        "index",
        "--target",
        "module",
        "--no-typescript",
        "--experimental-reset-state-function",
    ]);
    if dev {
        bindgen.arg("--debug");
    }
    run(&mut bindgen)?;

    let index_wasm = staging.join("index_bg.wasm");
    if !dev {
        let optimised = staging.join("index_bg.opt.wasm");
        let mut opt = Command::new(node_tool("binaryen/bin/wasm-opt"));
        opt.arg(&index_wasm).arg("-o").arg(&optimised).arg("-O");
        // The features workerd runs (the wasm32 defaults and bindgen's exception handling).
        for feature in [
            "mutable-globals",
            "sign-ext",
            "nontrapping-float-to-int",
            "bulk-memory",
            "multivalue",
            "reference-types",
            "exception-handling",
        ] {
            opt.arg(format!("--enable-{feature}"));
        }
        run(opt.arg("--debuginfo"))?;
        std::fs::rename(&optimised, &index_wasm).map_err(|e| e.to_string())?;
    }

    std::fs::write(staging.join("shim.js"), SHIM).map_err(|e| e.to_string())?;
    let mut esbuild = Command::new(node_tool("@esbuild/linux-x64/bin/esbuild"));
    offline_env(&mut esbuild)
        .args([
            "--external:./index_bg.wasm",
            "--external:cloudflare:*",
            "--format=esm",
            "--bundle",
            "./shim.js",
            "--outfile=entry.js",
            "--log-level=warning",
        ])
        .current_dir(&staging);
    if !dev {
        esbuild.arg("--minify");
    }
    run(&mut esbuild)?;
    // esbuild keeps `import source wasm from "./index_bg.wasm"` as `import ... source`; workerd
    // takes the plain import of a .wasm module.
    let entry = std::fs::read_to_string(staging.join("entry.js")).map_err(|e| e.to_string())?;
    let entry = entry.replace("import source ", "import ");
    finish(&staging, &entry)
}

/// Leaves exactly `index.js` (the bundle) and `index_bg.wasm` in worker/build/.
fn finish(staging: &Path, entry: &str) -> Result {
    let out = root().join("worker/build");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    std::fs::copy(staging.join("index_bg.wasm"), out.join("index_bg.wasm.new"))
        .map_err(|e| e.to_string())?;
    std::fs::write(out.join("index.js.new"), entry).map_err(|e| e.to_string())?;
    std::fs::rename(out.join("index_bg.wasm.new"), out.join("index_bg.wasm"))
        .map_err(|e| e.to_string())?;
    std::fs::rename(out.join("index.js.new"), out.join("index.js")).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(staging);
    // Nothing else stays (earlier tools left a package.json and a shim folder here).
    for entry in std::fs::read_dir(&out)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let name = entry.file_name();
        if !["index.js", "index_bg.wasm", ".xtask-profile"]
            .contains(&name.to_string_lossy().as_ref())
        {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
    Ok(())
}
