//! Runs the Prompty vectors (`tests/vectors/prompty.json`, also run by the JS suite on both
//! backends). Each case's `expected` was checked against Prompty 2.1.0 by
//! `scripts/prompty-reference.py`; this test needs no Python and compares with `expected` only.

use bridle::chat::prompt_file::{parse_prompty, PromptyEnv};
use serde_json::{Map, Value};
use std::path::PathBuf;

fn object(value: Option<&Value>) -> Map<String, Value> {
    value.and_then(Value::as_object).cloned().unwrap_or_default()
}

/// The value at a dotted path of the front matter.
fn lookup<'a>(tree: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut keys = path.split('.');
    let mut value = tree.get(keys.next()?)?;
    for key in keys {
        value = value.get(key)?;
    }
    Some(value)
}

/// What is wrong with Bridle's result for `case`, if anything.
fn check(case: &Value) -> Option<String> {
    let refs = PromptyEnv { env: object(case.get("env")), files: object(case.get("files")) };
    let expected = &case["expected"];
    let result = parse_prompty(case["source"].as_str().unwrap(), &refs).and_then(|prompt| {
        let out = prompt.render(&case["inputs"])?;
        Ok((out, prompt.front_matter().clone()))
    });
    match (result, expected.get("error")) {
        (Ok((out, front_matter)), None) => {
            if out["messages"] != expected["messages"] {
                return Some(format!("messages {}", out["messages"]));
            }
            for (path, want) in object(expected.get("values")) {
                if lookup(&front_matter, &path) != Some(&want) {
                    return Some(format!("{path} is {:?}", lookup(&front_matter, &path)));
                }
            }
            None
        }
        (Ok((out, _)), Some(code)) => Some(format!("expected error {code}, got messages {}", out["messages"])),
        (Err(err), None) => Some(format!("unexpected error {}: {}", err.kind().code(), err.message())),
        (Err(err), Some(code)) => {
            if err.kind().code() != code {
                return Some(format!("error {} ({}) instead of {code}", err.kind().code(), err.message()));
            }
            object(expected.get("details"))
                .into_iter()
                .find(|(key, want)| err.details().get(key) != Some(want))
                .map(|(key, want)| format!("details.{key} is {:?}, not {want}", err.details().get(&key)))
        }
    }
}

#[test]
fn prompty_vectors() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/prompty.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| check(case).map(|problem| format!("{}: {problem}", case["name"].as_str().unwrap())))
        .collect();
    println!("prompty vectors rust: {}/{}", cases.len() - failures.len(), cases.len());
    assert!(failures.is_empty(), "{} failing:\n{}", failures.len(), failures.join("\n"));
}
