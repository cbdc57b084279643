//! The official JSON-Schema-Test-Suite (drafts 2020-12 and 7), run against the core's
//! validator. `scripts/fetch-json-schema-suite.sh` puts it in `tests/.cache/json-schema-suite`
//! (from the pinned `jsonschema` 4.26.0 sdist).
//!
//! Required tests run with formats as annotations (what the suite expects there); the
//! `optional/format` files run with formats asserted and are counted apart, as are the
//! other optional files. The documents under `remotes/` are given to every compile as
//! `http://localhost:1234/...`, the URIs the tests use for them. `SCHEMA_SUITE_VERBOSE=1`
//! lists the failing tests by file.

use bridle::parse::schema::{violations_json, Draft, Schema, SchemaOptions};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Passing counts the run must reach: set just under what the validator passes today, so
/// that a regression fails the test (raise them when more passes).
const FLOOR_2020_12: usize = 1248;
const FLOOR_DRAFT7: usize = 905;
const FLOOR_2020_12_FORMAT: usize = 445;
const FLOOR_DRAFT7_FORMAT: usize = 388;

fn suite_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/.cache/json-schema-suite");
    assert!(
        dir.join("draft2020-12").is_dir() && dir.join("draft7").is_dir() && dir.join("remotes").is_dir(),
        "the JSON-Schema-Test-Suite is missing from {}: run scripts/fetch-json-schema-suite.sh",
        dir.display()
    );
    dir
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// Every document under `remotes/`, keyed by the URI the tests give it.
fn remotes(dir: &Path) -> Vec<(String, Value)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Value)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.push((format!("http://localhost:1234/{relative}"), read_json(&path)));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[derive(Default)]
struct Tally {
    passed: usize,
    total: usize,
    /// Failing test descriptions by file.
    failures: BTreeMap<String, Vec<String>>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.total += other.total;
        self.failures.extend(other.failures);
    }
}

fn run_file(path: &Path, draft: Draft, formats: bool, resources: &[(String, Value)]) -> Tally {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut tally = Tally::default();
    let groups = read_json(path);
    for group in groups.as_array().unwrap() {
        let options = SchemaOptions { formats, draft: Some(draft), resources: resources.to_vec() };
        let compiled = Schema::compile(&group["schema"], &options);
        for test in group["tests"].as_array().unwrap() {
            tally.total += 1;
            let expected = test["valid"].as_bool().unwrap();
            let label = format!("{} / {}", group["description"].as_str().unwrap(), test["description"].as_str().unwrap());
            match &compiled {
                Ok(schema) => {
                    let valid = schema.is_valid(&test["data"]);
                    let violations = schema.validate(&test["data"]);
                    // The same from text, through the borrowed document rather than the `Value`.
                    let text = test["data"].to_string();
                    let from_text = schema.validate_text_json(&text).unwrap();
                    if valid != violations.is_empty() {
                        tally.failures.entry(name.clone()).or_default().push(format!("{label}: is_valid and validate disagree"));
                    } else if from_text != violations_json(&violations) || schema.is_valid_json(&text).unwrap() != valid {
                        tally.failures.entry(name.clone()).or_default().push(format!("{label}: validating the text disagrees: {from_text}"));
                    } else if valid == expected {
                        tally.passed += 1;
                    } else {
                        tally.failures.entry(name.clone()).or_default().push(format!("{label}: expected valid={expected}"));
                    }
                }
                Err(e) => tally.failures.entry(name.clone()).or_default().push(format!("{label}: compile error: {e}")),
            }
        }
    }
    tally
}

fn run_files(files: &[PathBuf], draft: Draft, formats: bool, resources: &[(String, Value)]) -> Tally {
    let mut tally = Tally::default();
    for file in files {
        tally.add(run_file(file, draft, formats, resources));
    }
    tally
}

fn run_draft(folder: &str, draft: Draft, label: &str) -> (Tally, Tally, Tally) {
    let dir = suite_dir();
    let resources = remotes(&dir.join("remotes"));
    let root = dir.join(folder);
    let required = run_files(&json_files(&root), draft, false, &resources);
    let formats = run_files(&json_files(&root.join("optional/format")), draft, true, &resources);
    let optional = run_files(&json_files(&root.join("optional")), draft, false, &resources);

    println!("json-schema {label}: {}/{}", required.passed, required.total);
    println!("json-schema {label} optional/format: {}/{}", formats.passed, formats.total);
    println!("json-schema {label} other optional: {}/{}", optional.passed, optional.total);
    if std::env::var("SCHEMA_SUITE_VERBOSE").is_ok_and(|v| v == "1") {
        for (kind, tally) in [("required", &required), ("optional/format", &formats), ("optional", &optional)] {
            for (file, failures) in &tally.failures {
                println!("  {label} {kind} {file}: {} failing", failures.len());
                for failure in failures {
                    println!("    - {failure}");
                }
            }
        }
    }
    (required, formats, optional)
}

#[test]
fn json_schema_suite_draft2020_12() {
    let (required, formats, _) = run_draft("draft2020-12", Draft::Draft2020_12, "draft2020-12");
    assert!(required.passed >= FLOOR_2020_12, "draft2020-12: {} passed, below the floor of {FLOOR_2020_12}", required.passed);
    assert!(formats.passed >= FLOOR_2020_12_FORMAT, "draft2020-12 formats: {} passed, below the floor of {FLOOR_2020_12_FORMAT}", formats.passed);
}

#[test]
fn json_schema_suite_draft7() {
    let (required, formats, _) = run_draft("draft7", Draft::Draft7, "draft7");
    assert!(required.passed >= FLOOR_DRAFT7, "draft7: {} passed, below the floor of {FLOOR_DRAFT7}", required.passed);
    assert!(formats.passed >= FLOOR_DRAFT7_FORMAT, "draft7 formats: {} passed, below the floor of {FLOOR_DRAFT7_FORMAT}", formats.passed);
}
