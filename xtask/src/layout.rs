//! The code's shape, checked by `cargo test`: which module imports which (no import cycle in
//! any crate; the worker's handlers lean only on its plumbing, and the plumbing never on a
//! handler), how long a file and a function may grow.
//!
//! A module is a file (`src/a/b.rs` or `src/a/b/mod.rs` is `a::b`; `lib.rs` and `main.rs` are
//! the crate root). An arrow goes from a file to the module file a path in it names: `use`
//! trees and inline `crate::…`, `super::…` and `self::…` paths, resolved to the longest prefix
//! that is a module. Code after `#[cfg(test)]` in a file is its tests and is not read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module name → the module names it imports (itself excluded).
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// `a::b` for `src/a/b.rs`, `src/a/b/mod.rs`; `crate` for `src/lib.rs`, `src/main.rs`.
pub fn module_name(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    }
    if parts.is_empty() {
        "crate".to_owned()
    } else {
        parts.join("::")
    }
}

/// The code of a file without its tests and comments.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(at) if !l[..at].contains('"') => &l[..at],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path a `use` tree names, fully expanded (`a::{b, c::d}` → `a::b`, `a::c::d`).
fn expand_use(tree: &str) -> Vec<String> {
    fn go(prefix: &str, tree: &str, out: &mut Vec<String>) {
        let tree = tree.trim();
        if let Some(open) = tree.find('{') {
            let head = tree[..open].trim().trim_end_matches("::");
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let base = join(prefix, head);
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        go(&base, &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            go(&base, &inner[start..], out);
        } else if !tree.is_empty() {
            let path = tree.split(" as ").next().unwrap_or(tree).trim();
            let path = path.trim_end_matches("::*").trim_end_matches("::self");
            if path != "self" && path != "*" {
                out.push(join(prefix, path));
            } else if !prefix.is_empty() {
                out.push(prefix.to_owned());
            }
        }
    }
    fn join(a: &str, b: &str) -> String {
        match (a.is_empty(), b.is_empty()) {
            (true, _) => b.to_owned(),
            (_, true) => a.to_owned(),
            _ => format!("{a}::{b}"),
        }
    }
    let mut out = Vec::new();
    go("", tree, &mut out);
    out
}

/// The paths a file's code names that start at `crate`, `super` or `self`.
fn named_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    // `use` trees (they may span lines).
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        let tail = &rest[at + 4..];
        let Some(end) = tail.find(';') else { break };
        if before.is_none_or(|c| c.is_whitespace() || c == '{' || c == ';') {
            out.extend(expand_use(&tail[..end]));
        }
        rest = &tail[end..];
    }
    // Inline paths.
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(start) {
            let at = from + at;
            from = at + start.len();
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
                continue;
            }
            let end = code[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| at + e);
            out.push(code[at..end].trim_end_matches(':').to_owned());
        }
    }
    out
}

/// The module a path names, seen from module `from`: the longest prefix that is a module.
fn resolve(from: &str, path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let mut segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<&str> = if from == "crate" {
        Vec::new()
    } else {
        from.split("::").collect()
    };
    match segs.first().copied() {
        Some("crate") => {
            base.clear();
            segs.remove(0);
        }
        Some("super") => {
            while segs.first() == Some(&"super") {
                base.pop();
                segs.remove(0);
            }
        }
        Some("self") => {
            segs.remove(0);
        }
        _ => return None,
    }
    let mut best = if base.is_empty() {
        "crate".to_owned()
    } else {
        base.join("::")
    };
    let mut cur = base;
    for s in segs {
        cur.push(s);
        let name = cur.join("::");
        if modules.contains(&name) {
            best = name;
        } else {
            break;
        }
    }
    Some(best)
}

/// The import graph of the crate whose sources are in `src`.
pub fn graph(src: &Path) -> Graph {
    let files = crate::tidy::rust_files(src);
    let modules: BTreeSet<String> = files.iter().map(|f| module_name(src, f)).collect();
    let mut g = Graph::new();
    for f in &files {
        let name = module_name(src, f);
        let code = code_of(&std::fs::read_to_string(f).unwrap_or_default());
        let targets = g.entry(name.clone()).or_default();
        for p in named_paths(&code) {
            if let Some(t) = resolve(&name, &p, &modules) {
                if t != name {
                    targets.insert(t);
                }
            }
        }
    }
    g
}

/// The import cycles of a graph: each strongly connected set of more than one module.
pub fn cycles(g: &Graph) -> Vec<Vec<String>> {
    // Tarjan's algorithm, recursive (module graphs are small).
    struct T<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let i = t.index.len();
        t.index.insert(v, i);
        t.low.insert(v, i);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut set = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                set.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if set.len() > 1 {
                set.sort();
                t.out.push(set);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

/// The worker's layering: a handler (`routes::x…`) imports only the plumbing below and its own
/// resource's files; nothing but the router and the entry points imports a handler.
pub fn worker_layering(g: &Graph) -> Vec<String> {
    const PLUMBING: [&str; 11] = [
        "docs",
        "guard",
        "http",
        "idempotency",
        "books",
        "db",
        "mail",
        "pay",
        "auth",
        "error",
        "zone",
    ];
    let top = |m: &str| m.split("::").next().unwrap_or("").to_owned();
    let resource = |m: &str| m.split("::").take(2).collect::<Vec<_>>().join("::");
    let mut bad = Vec::new();
    for (from, targets) in g {
        for to in targets {
            let ok = if from.starts_with("routes::") {
                PLUMBING.contains(&top(to).as_str()) || resource(to) == resource(from)
            } else if from == "routes" {
                true
            } else if to == "routes" || to.starts_with("routes::") {
                from == "crate"
            } else {
                true
            };
            if !ok {
                bad.push(format!("{from} → {to}"));
            }
        }
    }
    bad
}

/// Functions longer than `limit` lines in a file's code (tests excluded): `(line, name, lines)`.
pub fn long_functions(text: &str, limit: usize) -> Vec<(usize, String, usize)> {
    let code = code_of(text);
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let t = t
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub(super) ")
            .trim_start_matches("pub ")
            .trim_start_matches("const ")
            .trim_start_matches("async ");
        let Some(rest) = t.strip_prefix("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // The body: from the first `{` after the signature to its match.
        let mut depth = 0i32;
        let mut opened = false;
        let mut end = i;
        'scan: for (j, body) in lines.iter().enumerate().skip(i) {
            if !opened && j > i && body.trim_end().ends_with(';') && depth == 0 {
                break; // a declaration without a body
            }
            for c in body.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    ';' if !opened && depth == 0 => break 'scan,
                    _ => {}
                }
                if opened && depth == 0 {
                    end = j;
                    break 'scan;
                }
            }
        }
        let len = end + 1 - i;
        if opened && len > limit {
            out.push((i + 1, name, len));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::root;

    const CRATES: [&str; 6] = [
        "domain/src",
        "api/src",
        "worker/src",
        "app/src",
        "xtask/src",
        "tests/src",
    ];

    #[test]
    fn no_crate_has_an_import_cycle() {
        let mut found = Vec::new();
        for c in CRATES {
            for cycle in cycles(&graph(&root().join(c))) {
                found.push(format!("{c}: {}", cycle.join(" ⇄ ")));
            }
        }
        assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
    }

    #[test]
    fn handlers_lean_on_plumbing_and_plumbing_on_no_handler() {
        let bad = worker_layering(&graph(&root().join("worker/src")));
        assert!(
            bad.is_empty(),
            "worker/src/routes may import http, idempotency, books, db, mail, pay, auth, \
             error, zone and its own resource; nothing else imports routes:\n{}",
            bad.join("\n")
        );
    }

    #[test]
    fn files_and_functions_stay_readable() {
        let mut found = Vec::new();
        for c in ["app/src", "worker/src"] {
            for f in crate::tidy::rust_files(&root().join(c)) {
                let text = std::fs::read_to_string(&f).unwrap_or_default();
                let n = text.lines().count();
                let rel = f.strip_prefix(root()).unwrap_or(&f).display().to_string();
                if n > 600 {
                    found.push(format!("{rel}: {n} lines (at most 600)"));
                }
            }
        }
        for c in CRATES {
            for f in crate::tidy::rust_files(&root().join(c)) {
                let text = std::fs::read_to_string(&f).unwrap_or_default();
                let rel = f.strip_prefix(root()).unwrap_or(&f).display().to_string();
                for (line, name, len) in long_functions(&text, 100) {
                    found.push(format!(
                        "{rel}:{line}: fn {name} is {len} lines (at most 100)"
                    ));
                }
            }
        }
        assert!(found.is_empty(), "too long:\n{}", found.join("\n"));
    }

    #[test]
    fn the_layout_scanners_see_what_they_look_for() {
        assert_eq!(
            expand_use("crate::http::{json, body::{a, b as c}, self}"),
            vec![
                "crate::http::json",
                "crate::http::body::a",
                "crate::http::body::b",
                "crate::http"
            ]
        );
        let modules: BTreeSet<String> = ["crate", "a", "a::b", "c"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            resolve("a::b", "super::Thing", &modules).as_deref(),
            Some("a")
        );
        assert_eq!(resolve("a", "crate::c::f", &modules).as_deref(), Some("c"));
        assert_eq!(
            resolve("a", "self::b::X", &modules).as_deref(),
            Some("a::b")
        );
        let mut g = Graph::new();
        g.entry("a".into()).or_default().insert("b".into());
        g.entry("b".into()).or_default().insert("a".into());
        g.entry("c".into()).or_default().insert("a".into());
        assert_eq!(cycles(&g), vec![vec!["a".to_owned(), "b".to_owned()]]);
        g.entry("routes::x::y".into())
            .or_default()
            .insert("routes::z".into());
        assert_eq!(worker_layering(&g), vec!["routes::x::y → routes::z"]);
        let long = format!("fn f() {{\n{}}}\nfn g() {{}}\n", "    x;\n".repeat(101));
        assert_eq!(long_functions(&long, 100), vec![(1, "f".to_owned(), 103)]);
    }
}
