//! The repository's own invariants, checked by `cargo test` (matklad's "tidy" tests):
//! no floating point near points, and no SQL outside `worker/src/db`.

use std::path::{Path, PathBuf};

use crate::util::root;

pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Lines that name a floating-point type as a word (`f64`, `f32`), outside comments.
pub fn float_uses(source: &str) -> Vec<usize> {
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            // The one sanctioned use: handing an integer to JS, whose numbers are f64 (exact
            // within ±2^53, the bound every amount keeps), marked where it happens.
            if l.contains("tidy: js-number") {
                return false;
            }
            let code = l.split("//").next().unwrap_or("");
            code.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .any(|w| w == "f64" || w == "f32")
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// Lines with a string literal that starts an SQL statement.
pub fn sql_uses(source: &str) -> Vec<usize> {
    const STARTS: [&str; 8] = [
        "SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE ", "DROP ", "ALTER ", "WITH ",
    ];
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.split('"').skip(1).step_by(2).any(|lit| {
                let t = lit.trim_start().to_ascii_uppercase();
                STARTS.iter().any(|s| t.starts_with(s))
            })
        })
        .map(|(i, _)| i + 1)
        .collect()
}

fn violations(dirs: &[&str], skip: Option<&str>, check: fn(&str) -> Vec<usize>) -> Vec<String> {
    let mut found = Vec::new();
    for d in dirs {
        for f in rust_files(&root().join(d)) {
            if skip.is_some_and(|s| f.starts_with(root().join(s))) {
                continue;
            }
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            for line in check(&text) {
                found.push(format!(
                    "{}:{line}",
                    f.strip_prefix(root()).unwrap_or(&f).display()
                ));
            }
        }
    }
    found
}

#[test]
fn no_floating_point_near_points() {
    let found = violations(
        &["domain/src", "domain/tests", "api/src", "worker/src"],
        None,
        float_uses,
    );
    assert!(
        found.is_empty(),
        "points are integer hundredths; floats found at:\n{}",
        found.join("\n")
    );
}

#[test]
fn sql_lives_only_in_worker_db() {
    let found = violations(
        &["worker/src", "domain/src", "api/src", "app/src"],
        Some("worker/src/db"),
        sql_uses,
    );
    assert!(
        found.is_empty(),
        "SQL belongs in worker/src/db; found at:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_tidy_scanners_catch_what_they_look_for() {
    assert_eq!(
        float_uses("let a: i64 = 1;\nlet b = x as f64;\n// f64 in a comment\nfn f(_: f32) {}"),
        vec![2, 4]
    );
    assert!(float_uses("let f64_like = 1; let buf64 = 2;").is_empty());
    assert_eq!(
        sql_uses(
            "let q = \"select * from t\";\nlet s = \"selected\";\n.prepare(\"INSERT INTO x\")"
        ),
        vec![1, 3]
    );
}
