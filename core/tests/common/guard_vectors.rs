//! Runs a guard vector file (`tests/vectors/guard/<name>.json`, shared with the JavaScript
//! suite) against a scanner built from each case's options.
//!
//! A file is `{ "scanner": "pii", "cases": [case...] }`; a case is
//! `{ "name", "text", "options"?, "expect": [{ "type", "text", "detail"? }] }` or
//! `{ "name", "options", "error": "<code>" }`. The findings (sorted by start) must equal
//! `expect` exactly in type and text; `detail`, when given, must be a subset of the finding's.

use bridle::guard::{sort_findings, Scanner};
use serde_json::Value;

/// Runs every case; panics listing all failures. Returns the number of cases.
pub fn run(file: &str, build: impl Fn(&Value) -> bridle::Result<Box<dyn Scanner>>) -> usize {
    let path = format!("{}/../tests/vectors/guard/{file}.json", env!("CARGO_MANIFEST_DIR"));
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let cases = vectors["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    // Scanners compile once per distinct options (compiling is the slow part in debug builds).
    let mut compiled: std::collections::HashMap<String, Box<dyn Scanner>> = std::collections::HashMap::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let options = case.get("options").cloned().unwrap_or(Value::Bool(true));
        let key = options.to_string();
        let built = match compiled.remove(&key) {
            Some(scanner) => Ok(scanner),
            None => build(&options),
        };
        let scanner = match (built, case.get("error")) {
            (Ok(_), Some(code)) => {
                failures.push(format!("{name}: expected error {code}, got a scanner"));
                continue;
            }
            (Err(error), Some(code)) => {
                if error.kind().code() != code {
                    failures.push(format!("{name}: expected error {code}, got {error}"));
                }
                continue;
            }
            (Err(error), None) => {
                failures.push(format!("{name}: options refused: {error}"));
                continue;
            }
            (Ok(scanner), None) => scanner,
        };
        let text = case["text"].as_str().expect("text");
        let mut findings = Vec::new();
        scanner.scan(text, &mut findings);
        compiled.insert(key, scanner);
        sort_findings(&mut findings);
        for f in &findings {
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end) && f.start <= f.end, "{name}: bad span");
        }
        let got: Vec<(String, &str)> = findings.iter().map(|f| (f.kind.to_string(), &text[f.start..f.end])).collect();
        let want: Vec<(String, &str)> = case["expect"]
            .as_array()
            .expect("expect")
            .iter()
            .map(|e| (e["type"].as_str().unwrap().to_owned(), e["text"].as_str().unwrap()))
            .collect();
        if got != want {
            failures.push(format!("{name}: expected {want:?}, got {got:?}"));
            continue;
        }
        for (finding, expected) in findings.iter().zip(case["expect"].as_array().unwrap()) {
            if let Some(Value::Object(detail)) = expected.get("detail") {
                for (key, value) in detail {
                    if finding.detail.get(key) != Some(value) {
                        failures.push(format!("{name}: detail.{key} expected {value}, got {:?}", finding.detail.get(key)));
                    }
                }
            }
        }
    }
    println!("guard vectors {file}: {}/{} cases pass", cases.len() - failures.len(), cases.len());
    assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
    cases.len()
}
