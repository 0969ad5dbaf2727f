//! `cargo xtask bench`: what ships (sizes raw and gzip) and how fast the API answers, as a ratio
//! against a no-op route of the same worker measured in the same run. Load is bounded and goes
//! to 127.0.0.1 only.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::build::{self, Profile};
use crate::server;
use crate::setup::{self, Need};
use crate::util::{root, Result};

const WARMUP: usize = 50;
const ROUNDS: usize = 400;
const CLIENTS: usize = 2;

pub fn run() -> Result {
    setup::ensure_all(Need { browser: false })?;
    build::app(Profile::Release)?;
    build::worker()?;

    println!("\n== sizes (release)");
    println!("{:<48} {:>10} {:>10}", "file", "raw B", "gzip B");
    let dist = root().join("app/dist");
    let mut files: Vec<_> = std::fs::read_dir(&dist)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for ext in ["wasm", "js", "css"] {
        for f in files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == ext))
        {
            size_line(
                &format!(
                    "app/{}",
                    f.file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default()
                ),
                f,
            )?;
        }
    }
    size_line(
        "worker/index_bg.wasm",
        &root().join("worker/build/index_bg.wasm"),
    )?;
    size_line("worker/index.js", &root().join("worker/build/index.js"))?;

    let scratch = server::Scratch::new("pointdesk-bench");
    let state = scratch.0.clone();
    server::prepare_database(&state, true)?;
    let srv = server::start(crate::util::free_port()?, &state, true)
        .inspect_err(|_| server::print_log_tail(&state))?;
    let routes = [
        ("GET /api/v1/ping (floor)", "/api/v1/ping"),
        ("GET /api/v1/health", "/api/v1/health"),
    ];
    println!("\n== latency: {CLIENTS} clients × {ROUNDS} requests per route, interleaved, after {WARMUP} warm-up");
    let samples = measure(&srv.url, &routes.map(|r| r.1))?;
    drop(srv);
    drop(scratch);

    println!("{:<28} {:>10} {:>10}", "route", "p50 µs", "p99 µs");
    let mut p50s = Vec::new();
    for ((label, _), mut s) in routes.iter().zip(samples) {
        s.sort_unstable();
        let p50 = percentile(&s, 50);
        let p99 = percentile(&s, 99);
        p50s.push((p50, p99));
        println!("{label:<28} {p50:>10} {p99:>10}");
    }
    let (floor50, floor99) = p50s[0];
    let (h50, h99) = p50s[1];
    println!(
        "health / floor: p50 {:.2}×, p99 {:.2}×",
        ratio(h50, floor50),
        ratio(h99, floor99)
    );
    Ok(())
}

fn size_line(label: &str, path: &Path) -> Result {
    let raw = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&raw).map_err(|e| e.to_string())?;
    let gz = gz.finish().map_err(|e| e.to_string())?;
    println!("{label:<48} {:>10} {:>10}", raw.len(), gz.len());
    Ok(())
}

/// Each client thread sends the routes in turn (so both see the same machine state), with
/// keep-alive, and records each request's latency in microseconds.
fn measure(base: &str, paths: &[&str]) -> Result<Vec<Vec<u64>>> {
    let handles: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let base = base.to_owned();
            let paths: Vec<String> = paths.iter().map(|p| (*p).to_owned()).collect();
            std::thread::spawn(move || -> Result<Vec<Vec<u64>>> {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(10))
                    .build();
                let mut out = vec![Vec::with_capacity(ROUNDS); paths.len()];
                for round in 0..WARMUP + ROUNDS {
                    for (i, p) in paths.iter().enumerate() {
                        let t = Instant::now();
                        let resp = agent
                            .get(&format!("{base}{p}"))
                            .call()
                            .map_err(|e| format!("{p}: {e}"))?;
                        let _ = resp.into_string();
                        if round >= WARMUP {
                            out[i].push(t.elapsed().as_micros() as u64);
                        }
                    }
                }
                Ok(out)
            })
        })
        .collect();
    let mut all = vec![Vec::new(); paths.len()];
    for h in handles {
        let per = h
            .join()
            .map_err(|_| "a bench client panicked".to_owned())??;
        for (i, s) in per.into_iter().enumerate() {
            all[i].extend(s);
        }
    }
    Ok(all)
}

fn percentile(sorted: &[u64], p: usize) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let idx = (sorted.len() * p).div_ceil(100).saturating_sub(1);
    sorted[idx.min(sorted.len() - 1)]
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        return 0.0;
    }
    a as f64 / b as f64
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_pick_the_nearest_rank() {
        let s: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&s, 50), 50);
        assert_eq!(percentile(&s, 99), 99);
        assert_eq!(percentile(&[7], 99), 7);
        assert_eq!(percentile(&[], 50), 0);
    }
}
