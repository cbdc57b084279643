//! The mustache spec (../shared/conformance/mustache, v1.4.2), run against the core with
//! `escape: html` as the spec requires. Lambdas run here through a Rust [`Host`] that ports
//! each case's JavaScript function; the JS suite runs the real ones through the bindings.

use bridle::template::host::{function_id, Blocks, Callee, Host, HostCall, HostValue};
use bridle::template::Escape;
use bridle::{Result, Syntax, Template, TemplateOptions};
use serde_json::{json, Value};
use std::path::PathBuf;

const CORE: &[&str] = &["comments", "delimiters", "interpolation", "inverted", "partials", "sections"];
const OPTIONAL: &[&str] = &["~inheritance", "~dynamic-names"];

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/mustache")
}

/// Runs one spec file; returns (passed, total, failures).
fn run_file(name: &str) -> (usize, usize, Vec<String>) {
    let path = spec_dir().join(format!("{name}.json"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap();
    let tests = doc["tests"].as_array().unwrap();
    let mut failures = Vec::new();
    for test in tests {
        let mut options = TemplateOptions::new(Syntax::Mustache);
        options.escape = Escape::Html;
        if let Some(partials) = test.get("partials").and_then(Value::as_object) {
            options.partials = partials.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect();
        }
        let result = Template::compile(test["template"].as_str().unwrap(), &options).and_then(|t| t.render(&test["data"]));
        let expected = test["expected"].as_str().unwrap();
        match result {
            Ok(out) if out == expected => {}
            Ok(out) => failures.push(format!("{name} / {}: got {out:?}, want {expected:?}", test["name"])),
            Err(e) => failures.push(format!("{name} / {}: error {e}", test["name"])),
        }
    }
    (tests.len() - failures.len(), tests.len(), failures)
}

fn run_group(label: &str, files: &[&str]) -> (usize, usize, Vec<String>) {
    let (mut passed, mut total, mut failures) = (0, 0, Vec::new());
    for file in files {
        let (p, t, f) = run_file(file);
        passed += p;
        total += t;
        failures.extend(f);
    }
    println!("conformance {label} rust: {passed}/{total}");
    for failure in &failures {
        println!("  FAIL {failure}");
    }
    (passed, total, failures)
}

#[test]
fn mustache_core_spec() {
    let (passed, total, failures) = run_group("mustache-core", CORE);
    assert_eq!(total, 136);
    assert_eq!(passed, total, "{}", failures.join("\n"));
}

/// Every case of `~inheritance` (27) and `~dynamic-names` (21) passes; the floor keeps it so.
const OPTIONAL_FLOOR: usize = 48;

#[test]
fn mustache_optional_spec() {
    let (passed, total, failures) = run_group("mustache-optional", OPTIONAL);
    assert_eq!(total, 48);
    assert!(passed >= OPTIONAL_FLOOR, "{passed}/{total} (floor {OPTIONAL_FLOOR}):\n{}", failures.join("\n"));
}

/// The spec's lambdas, ported from each case's `js` function, keyed by case name. A lambda
/// gets the call's arguments (a section's raw text, or nothing) and the number of calls so
/// far (for the cases that count).
fn spec_lambda(test: &str, args: &[Value], calls: u64) -> HostValue {
    let text = || args.first().and_then(Value::as_str).expect("a section lambda gets the section's text").to_owned();
    let string = |s: String| HostValue::Value(Value::String(s));
    match test {
        "Interpolation" => string("world".into()),
        "Interpolation - Expansion" => string("{{planet}}".into()),
        "Interpolation - Alternate Delimiters" => string("|planet| => {{planet}}".into()),
        // `(g.calls = (g.calls || 0) + 1)`: a number.
        "Interpolation - Multiple Calls" => HostValue::Value(json!(calls + 1)),
        "Escaping" => string(">".into()),
        "Section" => string(if text() == "{{x}}" { "yes" } else { "no" }.into()),
        "Section - Expansion" => string(format!("{0}{{{{planet}}}}{0}", text())),
        "Section - Alternate Delimiters" => string(format!("{0}{{{{planet}}}} => |planet|{0}", text())),
        "Section - Multiple Calls" => string(format!("__{}__", text())),
        "Inverted Section" => HostValue::Value(Value::Bool(false)),
        other => panic!("no Rust port of the lambda of '{other}'"),
    }
}

/// A host whose one function (number 0) is the lambda of one spec case.
struct SpecHost {
    test: String,
    calls: u64,
}

impl Host for SpecHost {
    fn call(&mut self, call: &HostCall<'_>, _blocks: &mut dyn Blocks) -> Result<HostValue> {
        assert_eq!(call.callee, Callee::Function(0), "{}", self.test);
        assert_eq!(call.name, "lambda", "{}", self.test);
        assert_eq!(call.block, call.args.len() == 1, "{}: a section call has one argument", self.test);
        assert!(call.this.is_object(), "{}: `this` is the context", self.test);
        let value = spec_lambda(&self.test, call.args, self.calls);
        self.calls += 1;
        Ok(value)
    }
}

/// The data with each `{"__tag__": "code", ...}` function replaced by function 0's marker.
fn with_function_markers(value: &Value) -> Value {
    match value {
        Value::Object(map) if map.get("__tag__").and_then(Value::as_str) == Some("code") => json!({"\u{0}fn": 0}),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), with_function_markers(v))).collect()),
        Value::Array(items) => Value::Array(items.iter().map(with_function_markers).collect()),
        other => other.clone(),
    }
}

#[test]
fn mustache_lambdas_spec() {
    let path = spec_dir().join("~lambdas.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap();
    let tests = doc["tests"].as_array().unwrap();
    let mut failures = Vec::new();
    for test in tests {
        let name = test["name"].as_str().unwrap();
        let mut options = TemplateOptions::new(Syntax::Mustache);
        options.escape = Escape::Html;
        if let Some(partials) = test.get("partials").and_then(Value::as_object) {
            options.partials = partials.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect();
        }
        let data = with_function_markers(&test["data"]);
        assert!(function_id(&data["lambda"]) == Some(0), "{name}: the lambda becomes function 0");
        let mut host = SpecHost { test: name.to_owned(), calls: 0 };
        let result = Template::compile(test["template"].as_str().unwrap(), &options)
            .and_then(|t| t.render_with_host(&data, &mut host));
        let expected = test["expected"].as_str().unwrap();
        match result {
            Ok(out) if out == expected => {}
            Ok(out) => failures.push(format!("~lambdas / {name:?}: got {out:?}, want {expected:?}")),
            Err(e) => failures.push(format!("~lambdas / {name:?}: error {e}")),
        }
    }
    println!("conformance mustache-lambdas rust: {}/{}", tests.len() - failures.len(), tests.len());
    for failure in &failures {
        println!("  FAIL {failure}");
    }
    assert_eq!(tests.len(), 10);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
