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
    crate::icons::write()?;
    let mut cmd = Command::new(crate::util::cargo_bin("trunk"));
    offline_env(&mut cmd)
        .arg("build")
        .current_dir(root().join("app"));
    if profile == Profile::Release {
        cmd.arg("--release");
    }
    run(&mut cmd)?;
    if profile == Profile::Release {
        minify_glue(&root().join("app/dist"))?;
        minify_js(&root().join("app/dist/boot.js"))?;
        join_styles(&root().join("app/dist"))?;
        service_worker(&root().join("app/dist"))?;
    }
    cache_rules(&root().join("app/dist"))
}

/// Writes `dist/sw.js` from `app/pwa/sw.js` with this build's file list (the app shell it keeps
/// for offline use: every file trunk wrote, by the names it hashed) and a version named by
/// their content, so a new deploy is a new service worker (browsers compare its bytes).
fn service_worker(dist: &std::path::Path) -> Result {
    use sha2::{Digest, Sha256};
    let mut files = Vec::new();
    let mut dirs = vec![dist.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)
            .map_err(|e| e.to_string())?
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(rel) = path.strip_prefix(dist) {
                let name = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
                // The page is asked for as `/`: `/index.html` answers with a redirect there,
                // which a service worker may not hand to a navigation.
                let name = if name == "/index.html" {
                    "/".to_owned()
                } else {
                    name
                };
                if name != "/_headers" && name != "/sw.js" {
                    files.push((name, path));
                }
            }
        }
    }
    files.sort();
    let mut version = Sha256::new();
    for (name, path) in &files {
        version.update(name.as_bytes());
        version.update(std::fs::read(path).map_err(|e| e.to_string())?);
    }
    let version = hex16(&version.finalize());
    let list: Vec<String> = files.iter().map(|(n, _)| format!("'{n}'")).collect();
    let source =
        std::fs::read_to_string(root().join("app/pwa/sw.js")).map_err(|e| e.to_string())?;
    let (version_line, shell_line) = ("const VERSION = 'dev';", "const SHELL = [];");
    if !source.contains(version_line) || !source.contains(shell_line) {
        return Err(format!(
            "app/pwa/sw.js must hold `{version_line}` and `{shell_line}` for the build to fill"
        ));
    }
    let out = source
        .replace(version_line, &format!("const VERSION = '{version}';"))
        .replace(shell_line, &format!("const SHELL = [{}];", list.join(", ")));
    let path = dist.join("sw.js");
    std::fs::write(&path, out).map_err(|e| e.to_string())?;
    minify_js(&path)
}

/// Appends to dist/_headers how long browsers keep each file: the names trunk hashed
/// (`-` and 16 hex digits) never change content, so a year and `immutable`; the page and its
/// loader, whose names stay, are asked again every time (`no-cache`). Exact paths, not
/// patterns: rules that match one path together would join their values.
pub fn cache_rules(dist: &std::path::Path) -> Result {
    let mut hashed: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| e.to_string())?
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| is_hashed(n))
        .collect();
    hashed.sort();
    let mut rules = String::from("\n# Written by cargo xtask build app.\n");
    // The service worker and the manifest too: a new deploy must be seen at the next look.
    for path in [
        "/",
        "/index.html",
        "/boot.js",
        "/sw.js",
        "/manifest.webmanifest",
    ] {
        rules.push_str(&format!("{path}\n  Cache-Control: no-cache\n"));
    }
    for icon in ["/favicon.ico", "/icons/*"] {
        rules.push_str(&format!("{icon}\n  Cache-Control: public, max-age=86400\n"));
    }
    for name in hashed {
        rules.push_str(&format!(
            "/{name}\n  Cache-Control: public, max-age=31536000, immutable\n"
        ));
    }
    let path = dist.join("_headers");
    let base = std::fs::read_to_string(root().join("app/_headers")).map_err(|e| e.to_string())?;
    std::fs::write(&path, base + &rules).map_err(|e| e.to_string())
}

/// `pointdesk-app-0123456789abcdef_bg.wasm`, `tokens-a28a2369c301b8d.css`: trunk's file hash, a
/// 64-bit number in hex without leading zeros (so 16 digits or fewer), then `.` or `_`.
fn is_hashed(name: &str) -> bool {
    name.match_indices('-').any(|(i, _)| {
        let rest = &name[i + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        (8..=16).contains(&digits) && matches!(rest.as_bytes().get(digits), Some(b'.' | b'_'))
    })
}

/// Trunk minifies CSS but copies wasm-bindgen's JS glue as it is; esbuild (the binary trunk
/// is given) minifies it — 7.1 → 5.4 KB brotli of the app's budget — and the page's
/// `integrity` for it is brought up to date.
fn minify_glue(dist: &std::path::Path) -> Result {
    use sha2::{Digest, Sha384};
    let glue = std::fs::read_dir(dist)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.extension().is_some_and(|e| e == "js")
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("pointdesk-app-"))
        })
        .ok_or("app/dist has no wasm-bindgen glue")?;
    let before = std::fs::read(&glue).map_err(|e| e.to_string())?;
    minify_js(&glue)?;
    let after = std::fs::read(&glue).map_err(|e| e.to_string())?;
    let sri = |b: &[u8]| format!("sha384-{}", base64(&Sha384::digest(b)));
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| e.to_string())?;
    let (old, new) = (sri(&before), sri(&after));
    if !html.contains(&old) {
        return Err(format!(
            "index.html does not name the glue's integrity {old}"
        ));
    }
    let html = without_wasm_preload_integrity(&html.replace(&old, &new));
    std::fs::write(&index, html).map_err(|e| e.to_string())
}

/// The page's stylesheets (tokens, layout, components: kept apart in `style/` for readers) as
/// one file in a release build: one request fewer on the first visit and one compressed stream
/// (0.26 KB brotli less than three). Named by its content's hash like trunk's files, with its
/// `integrity`; the first `<link>` points at it and the others go.
fn join_styles(dist: &std::path::Path) -> Result {
    use sha2::{Digest, Sha384};
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| e.to_string())?;
    let mut links = Vec::new();
    for range in link_tags(&html) {
        let tag = &html[range.clone()];
        if tag.contains("rel=stylesheet") {
            let href = tag
                .split_once("href=")
                .and_then(|(_, rest)| rest.split([' ', '>']).next())
                .ok_or_else(|| format!("a stylesheet link without href: {tag}"))?;
            links.push((range, href.trim_start_matches('/').to_owned()));
        }
    }
    if links.len() < 2 {
        return Ok(());
    }
    let mut css = String::new();
    for (_, name) in &links {
        css.push_str(&std::fs::read_to_string(dist.join(name)).map_err(|e| e.to_string())?);
        css.push('\n');
        std::fs::remove_file(dist.join(name)).map_err(|e| e.to_string())?;
    }
    let digest = Sha384::digest(css.as_bytes());
    let name = format!("styles-{}.css", hex16(&digest));
    std::fs::write(dist.join(&name), &css).map_err(|e| e.to_string())?;
    let link = format!(
        "<link href=/{name} integrity=sha384-{} rel=stylesheet>",
        base64(&digest)
    );
    let mut out = String::new();
    let mut last = 0;
    for (i, (range, _)) in links.iter().enumerate() {
        out.push_str(&html[last..range.start]);
        if i == 0 {
            out.push_str(&link);
        }
        last = range.end;
    }
    out.push_str(&html[last..]);
    std::fs::write(&index, out).map_err(|e| e.to_string())
}

/// The first 16 hex digits of a digest (trunk's file-hash length).
fn hex16(digest: &[u8]) -> String {
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Minifies a script in place with esbuild (the glue; the loader, `boot.js`, whose comments
/// are for readers of the source, not for every phone that loads it).
fn minify_js(file: &std::path::Path) -> Result {
    let out = file.with_extension("min.js");
    run(
        Command::new(root().join("node_modules/@esbuild/linux-x64/bin/esbuild"))
            .arg(file)
            .args(["--minify", "--format=esm", "--log-level=warning"])
            .arg(format!("--outfile={}", out.display())),
    )?;
    std::fs::rename(&out, file).map_err(|e| e.to_string())
}

/// Chromium ignores `integrity` on a `preload` of the wasm (a fetch destination has no
/// subresource integrity) and says so in the console on every visit; trunk writes it anyway.
fn without_wasm_preload_integrity(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for range in link_tags(html) {
        let tag = &html[range.clone()];
        let Some(i) = tag.find(" integrity=").filter(|_| tag.contains("_bg.wasm")) else {
            continue;
        };
        let value_end = tag[i + 1..]
            .find([' ', '>'])
            .map_or(tag.len(), |e| i + 1 + e);
        out.push_str(&html[last..range.start + i]);
        last = range.start + value_end;
    }
    out.push_str(&html[last..]);
    out
}

/// Where each `<link …>` tag of a page is, `>` included (the one tag trunk's pages carry
/// that xtask rewrites).
fn link_tags(html: &str) -> Vec<std::ops::Range<usize>> {
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(start) = html[at..].find("<link").map(|i| at + i) {
        let end = html[start..]
            .find('>')
            .map_or(html.len(), |e| start + e + 1);
        tags.push(start..end);
        at = end;
    }
    tags
}

#[cfg(test)]
#[test]
fn the_wasm_preload_loses_its_integrity_and_nothing_else() {
    let html = "<script data-w=/p-1_bg.wasm src=/boot.js></script><link href=/a.js integrity=sha384-A rel=modulepreload><link as=fetch crossorigin href=/p-1_bg.wasm integrity=sha384-B rel=preload type=application/wasm></head>";
    assert_eq!(
        without_wasm_preload_integrity(html),
        "<script data-w=/p-1_bg.wasm src=/boot.js></script><link href=/a.js integrity=sha384-A rel=modulepreload><link as=fetch crossorigin href=/p-1_bg.wasm rel=preload type=application/wasm></head>"
    );
}

/// Standard base64 with padding (for `integrity` attributes).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(A[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn trunks_hashed_names_are_told_from_the_rest() {
        for hashed in [
            "pointdesk-app-22a805381d343991.js",
            "pointdesk-app-22a805381d343991_bg.wasm",
            "pointdesk-app-88ca732cf6ba495.js",
            "tokens-a28a2369c301b8d.css",
        ] {
            assert!(is_hashed(hashed), "{hashed}");
        }
        for plain in [
            "index.html",
            "boot.js",
            "favicon.ico",
            "_headers",
            "pointdesk-app.js",
        ] {
            assert!(!is_hashed(plain), "{plain}");
        }
    }

    #[test]
    fn base64_pads_like_the_standard() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(super::base64(b"foobar"), "Zm9vYmFy");
    }
}
