//! Runs the shared template vectors in `tests/vectors/` (also run by the JS suite on both
//! backends and in every runtime), so the core and the bindings agree on one truth.

use bridle::{Template, TemplateOptions};
use serde_json::Value;
use std::path::PathBuf;

fn vectors(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// A string, or `{repeat, times, then?}` standing for `repeat * times + then`.
fn expand(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Object(spec) => {
            let mut out = spec["repeat"].as_str().unwrap().repeat(spec["times"].as_u64().unwrap() as usize);
            out.push_str(spec.get("then").and_then(Value::as_str).unwrap_or(""));
            out
        }
        other => panic!("not a template: {other}"),
    }
}

#[test]
fn fstring_vectors() {
    let doc = vectors("fstring.json");
    let options = TemplateOptions::new(doc["syntax"].as_str().unwrap().parse().unwrap());
    let cases = doc["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let result = Template::compile(&expand(&case["template"]), &options).and_then(|template| {
            if let Some(variables) = case.get("variables") {
                let expected: Vec<&str> = variables.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
                if template.variables() != expected.as_slice() {
                    failures.push(format!("{name}: variables {:?} != {expected:?}", template.variables()));
                }
            }
            template.render(&case["data"])
        });
        match (result, case.get("error")) {
            (Ok(out), None) => {
                if out != expand(&case["expected"]) {
                    failures.push(format!("{name}: rendered {:?}", truncate(&out)));
                }
            }
            (Ok(out), Some(_)) => failures.push(format!("{name}: expected an error, rendered {:?}", truncate(&out))),
            (Err(err), None) => failures.push(format!("{name}: unexpected error {err}")),
            (Err(err), Some(expected)) => {
                let mut actual = serde_json::json!({"code": err.kind().code(), "details": err.details()});
                if let Some(at) = err.location() {
                    actual["line"] = at.line.into();
                    actual["column"] = at.column.into();
                    actual["offset"] = at.offset.into();
                }
                for (key, want) in expected.as_object().unwrap() {
                    let got = &actual[key];
                    let same = match key.as_str() {
                        // Listed details must match; the core may add more.
                        "details" => want.as_object().unwrap().iter().all(|(k, v)| &got[k] == v),
                        _ => got == want,
                    };
                    if !same {
                        failures.push(format!("{name}: error {key} {got} != {want} ({err})"));
                    }
                }
            }
        }
    }
    println!("fstring vectors: {} passed, {} failed", cases.len() - failures.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn truncate(text: &str) -> String {
    text.chars().take(120).collect()
}
