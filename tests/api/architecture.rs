//! The layers of `docs/architecture.md`, held to the code: every
//! `crate::…` path in `src/` is read, and the modules they tie must form no
//! circle — neither the top-level modules nor the files of one folder — and
//! the kernel and the domains must know nothing of HTTP.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The modules that are not domains: the faces, their plumbing, the jobs,
/// the kernel and what drives them.
const NOT_DOMAINS: [&str; 7] = ["api", "cli", "demo", "http", "jobs", "kernel", "web"];
/// What only the faces (and the command line that serves them) may use.
const FACE_ONLY: [&str; 3] = ["axum", "crate::http", "crate::api"];

/// A source file: its path under `src/`, its text without its tests.
struct Source {
    path: Vec<String>,
    text: String,
}

fn sources(root: &Path) -> Vec<Source> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                found.push(Source {
                    path: relative(root, &path),
                    text: without_tests(&text),
                });
            }
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

fn relative(root: &Path, path: &Path) -> Vec<String> {
    path.strip_prefix(root)
        .expect("under src")
        .components()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .collect()
}

/// The code of a file: before its unit tests (which may reach further, a
/// kernel test building an operation's input, say), without its comments
/// (a doc comment may link to any module).
fn without_tests(text: &str) -> String {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules one file names, as paths from the crate's root: every
/// `crate::a::b` and each branch of `crate::{a::b, c}`.
fn named(text: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = closing_brace(group);
            for branch in split_top_level(&group[..end]) {
                paths.push(path_of(branch.trim()));
            }
        } else {
            paths.push(path_of(rest));
        }
    }
    paths.retain(|p| !p.is_empty());
    paths
}

fn closing_brace(text: &str) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

fn split_top_level(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// `a::b::C` → `["a", "b", "C"]`, up to the first character that is not
/// part of a path.
fn path_of(text: &str) -> Vec<String> {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    text[..end]
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// The circles of a graph (each as its modules, in order), by depth-first
/// search from every module.
fn circles(graph: &Graph) -> Vec<Vec<String>> {
    fn visit(
        graph: &Graph,
        node: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        if let Some(at) = path.iter().position(|n| n == node) {
            found.push(path[at..].to_vec());
            return;
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|edges| edges.keys()) {
            visit(graph, next, path, done, found);
        }
        path.pop();
        done.insert(node.to_string());
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(graph, node, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

fn describe(graph: &Graph, circle: &[String]) -> String {
    let mut lines = vec![circle.join(" → ")];
    for (i, from) in circle.iter().enumerate() {
        let to = &circle[(i + 1) % circle.len()];
        let files = &graph[from][to];
        lines.push(format!(
            "  {from} → {to} in {}",
            files.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    lines.join("\n")
}

/// The graphs: between top-level modules, and between the parts (files or
/// sub-folders) of each folder.
fn graphs(sources: &[Source]) -> BTreeMap<String, Graph> {
    let mut graphs: BTreeMap<String, Graph> = BTreeMap::new();
    let is_root = |path: &[String]| path.len() == 1 && (path[0] == "lib" || path[0] == "main");
    for source in sources.iter().filter(|s| !is_root(&s.path)) {
        let file = source.path.join("/");
        let top = &source.path[0];
        let mut edges: Vec<(String, String, String)> = Vec::new();
        for target in named(&source.text) {
            if &target[0] != top {
                edges.push((String::new(), top.clone(), target[0].clone()));
            } else if source.path.len() > 1 && target.len() > 1 {
                // Within one folder: from this file's part to the part named.
                let from = &source.path[1];
                let to = &target[1];
                if from != to && from != "mod" {
                    edges.push((top.clone(), from.clone(), to.clone()));
                }
            }
        }
        if source.path.len() > 1 && source.path[1] != "mod" {
            for line in source.text.lines() {
                if let Some(rest) = line.trim().strip_prefix("use super::") {
                    for branch in sibling_names(rest) {
                        if branch != source.path[1] && source.path.len() == 2 {
                            edges.push((top.clone(), source.path[1].clone(), branch));
                        }
                    }
                }
            }
        }
        for (graph, from, to) in edges {
            graphs
                .entry(graph)
                .or_default()
                .entry(from)
                .or_default()
                .entry(to)
                .or_default()
                .insert(file.clone());
        }
    }
    graphs
}

/// The first names of `use super::{a::x, b}` (or `use super::a::x`).
fn sibling_names(rest: &str) -> Vec<String> {
    let rest = rest.trim_end_matches(';');
    match rest.strip_prefix('{') {
        Some(group) => split_top_level(&group[..closing_brace(group)])
            .into_iter()
            .filter_map(|b| path_of(b.trim()).into_iter().next())
            .collect(),
        None => path_of(rest).into_iter().next().into_iter().collect(),
    }
}

/// Every failing rule, in words.
fn broken_rules(sources: &[Source]) -> Vec<String> {
    let mut broken = Vec::new();
    for (folder, graph) in graphs(sources) {
        for circle in circles(&graph) {
            let place = if folder.is_empty() {
                "between top-level modules".to_string()
            } else {
                format!("between the parts of src/{folder}/")
            };
            broken.push(format!(
                "an import circle {place}: {}",
                describe(&graph, &circle)
            ));
        }
    }
    for source in sources {
        let top = source.path[0].as_str();
        let layered = top == "kernel" || !NOT_DOMAINS.contains(&top) && source.path.len() > 1;
        if !layered {
            continue;
        }
        for word in FACE_ONLY {
            let uses = source.text.lines().any(|line| {
                let line = line.trim_start();
                !line.starts_with("//") && line.contains(&format!("{word}::"))
            });
            if uses {
                broken.push(format!(
                    "src/{}.rs uses `{word}`, which only the faces may",
                    source.path.join("/")
                ));
            }
        }
    }
    broken
}

#[test]
fn the_modules_import_one_way_and_only_the_faces_know_http() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let broken = broken_rules(&sources(&root));
    assert!(broken.is_empty(), "{}", broken.join("\n\n"));
}

/// The check finds what it is for: a circle of two domains, one inside a
/// folder, and a domain that answers HTTP itself.
#[test]
fn the_check_finds_a_circle_and_a_domain_that_knows_http() {
    let file = |path: &str, text: &str| Source {
        path: path.split('/').map(str::to_string).collect(),
        text: text.to_string(),
    };
    let sources = [
        file("actions/change", "use crate::plans::{self, load};\n"),
        file(
            "plans/read",
            "use crate::{kernel::error::ApiError, actions::ActionOut};\n",
        ),
        file("meetings/edit", "use super::queries::lock;\n"),
        file("meetings/queries", "use crate::meetings::edit::Changes;\n"),
        file("issues/routes", "use axum::extract::State;\n"),
        file("kernel/error", "use sea_orm::DbErr;\n"),
        file(
            "api/actions",
            "use axum::extract::State;\nuse crate::actions;\n",
        ),
    ];

    let broken = broken_rules(&sources);

    assert!(
        broken
            .iter()
            .any(|b| b.contains("between top-level modules")
                && b.contains("actions")
                && b.contains("plans")),
        "{broken:#?}"
    );
    assert!(
        broken.iter().any(|b| b.contains("src/meetings/")),
        "{broken:#?}"
    );
    assert!(
        broken
            .iter()
            .any(|b| b.contains("src/issues/routes.rs uses `axum`")),
        "{broken:#?}"
    );
    assert_eq!(broken.len(), 3, "{broken:#?}");
}
