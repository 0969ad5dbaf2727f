use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
        });
    home.join("bin").join(name)
}

pub fn node_bin(name: &str) -> PathBuf {
    root().join("node_modules").join(".bin").join(name)
}

/// PATH with node_modules/.bin and ~/.cargo/bin first, so the pinned tools win.
pub fn tool_path() -> String {
    let mut parts = vec![root().join("node_modules/.bin"), cargo_bin("")];
    parts.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(parts)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Environment that keeps the JS and wasm tools offline and quiet.
pub fn offline_env(cmd: &mut Command) -> &mut Command {
    let root = root();
    cmd.env("PATH", tool_path())
        .env("WRANGLER_SEND_METRICS", "false")
        .env("WRANGLER_SEND_ERROR_REPORTS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("NO_UPDATE_NOTIFIER", "1")
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("WASM_BINDGEN_BIN", cargo_bin("wasm-bindgen"))
        .env(
            "WASM_OPT_BIN",
            root.join("node_modules/binaryen/bin/wasm-opt"),
        )
        .env(
            "ESBUILD_BIN",
            root.join("node_modules/@esbuild/linux-x64/bin/esbuild"),
        )
}

/// Runs a command to completion, echoing it; fails with its exit status.
pub fn run(cmd: &mut Command) -> Result {
    eprintln!("$ {}", show(cmd));
    let status = crate::procs::run_grouped(&show(cmd), cmd)?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", show(cmd)))
    }
}

/// Runs a command and returns its stdout, or None if it cannot run or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// The newest modification time of any file under `paths` (recursively), skipping build output.
pub fn newest(paths: &[PathBuf]) -> Option<SystemTime> {
    let mut best: Option<SystemTime> = None;
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if matches!(name, "target" | "build" | "dist" | "node_modules") {
                continue;
            }
            if let Ok(rd) = std::fs::read_dir(&p) {
                stack.extend(rd.flatten().map(|e| e.path()));
            }
        } else if let Ok(m) = meta.modified() {
            best = Some(best.map_or(m, |b| b.max(m)));
        }
    }
    best
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

pub fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}
