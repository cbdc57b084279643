//! The 53 real model chat templates of ../shared/conformance/hf-chat-templates.json, each of
//! which must render byte-identically to Python Jinja2 configured as transformers does.

use bridle::{Syntax, Template, TemplateOptions};
use serde_json::Value;
use std::path::PathBuf;

/// 2025-07-10T12:00:00Z, the time the expected outputs were rendered with.
pub const NOW: i64 = 1_752_148_800;

/// The count that must pass; raise it as templates start to pass.
const FLOOR: usize = 53;

#[test]
fn hf_chat_templates() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/hf-chat-templates.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let mut options = TemplateOptions::new(Syntax::Jinja);
        options.now = Some(NOW);
        let name = case["name"].as_str().unwrap();
        let result = Template::compile(case["template"].as_str().unwrap(), &options).and_then(|t| t.render(&case["context"]));
        let expected = case["expected"].as_str().unwrap();
        match result {
            Ok(out) if out == expected => {}
            Ok(out) => {
                let at = out.chars().zip(expected.chars()).position(|(a, b)| a != b).unwrap_or(out.len().min(expected.len()));
                let got: String = out.chars().skip(at.saturating_sub(20)).take(60).collect();
                let want: String = expected.chars().skip(at.saturating_sub(20)).take(60).collect();
                failures.push(format!("{name}: differs at char {at}: got {got:?}, want {want:?}"));
            }
            Err(e) => failures.push(format!("{name}: error {e}")),
        }
    }
    let passed = cases.len() - failures.len();
    println!("conformance hf-chat-templates rust: {passed}/{}", cases.len());
    for failure in &failures {
        println!("  FAIL {failure}");
    }
    assert_eq!(cases.len(), 53);
    assert!(passed >= FLOOR, "{passed} < {FLOOR}");
}
