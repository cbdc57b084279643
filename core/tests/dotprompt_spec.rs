//! The Dotprompt spec (../shared/conformance/dotprompt, google/dotprompt's `spec/`), run
//! against the core's `.prompt` support. Each YAML file holds groups (`name`, `template`,
//! `partials`, `resolverPartials`, `schemas`, `data`) of tests (`desc`, `data`, `options`,
//! `expect`). A test renders the group's template with the group's data overlaid by the
//! test's (`{...group.data, ...test.data}`) and the test's options, then compares every key
//! `expect` has (`messages`, `config`, `ext`, `metadata`, `raw`, `model`, `input`, `output`)
//! with the result; `config`, `ext` and `metadata` must be `{}` when `expect` leaves them
//! out, as the reference runner requires.

use bridle::chat::prompt_file::{parse_dotprompt, DotpromptEnv};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use yaml_rust2::{Yaml, YamlLoader};

/// The number of spec tests that pass; the run fails below it.
const FLOOR: usize = 117;

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/dotprompt")
}

fn to_json(node: &Yaml) -> Value {
    match node {
        Yaml::Null | Yaml::BadValue | Yaml::Alias(_) => Value::Null,
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(n) => Value::from(*n),
        Yaml::Real(_) => node.as_f64().map_or(Value::Null, Value::from),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) | Yaml::Real(s) => s.clone(),
                        Yaml::Integer(n) => n.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        _ => "null".to_owned(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
    }
}

fn spec_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("the Dotprompt spec directory").flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            spec_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn run_case(group: &Value, test: &Value) -> Result<(), String> {
    let template = group["template"].as_str().ok_or("no template")?;
    let mut env = DotpromptEnv::default();
    for key in ["partials", "resolverPartials"] {
        if let Some(partials) = group.get(key).and_then(Value::as_object) {
            for (name, source) in partials {
                env.partials.push((name.clone(), source.as_str().unwrap_or_default().to_owned()));
            }
        }
    }
    if let Some(schemas) = group.get("schemas").and_then(Value::as_object) {
        env.schemas = schemas.clone();
    }
    let mut data = Map::new();
    for layer in [group.get("data"), test.get("data")] {
        if let Some(Value::Object(layer)) = layer {
            data.extend(layer.clone());
        }
    }
    let options = test.get("options").cloned().unwrap_or(Value::Object(Map::new()));
    let prompt = parse_dotprompt(template).map_err(|e| format!("parse error: {}", e.to_json()))?;
    let rendered =
        prompt.render_with(&Value::Object(data), &options, &env).map_err(|e| format!("render error: {}", e.to_json()))?;
    let result = rendered.to_json();
    let expect = test["expect"].as_object().ok_or("no expect")?;
    let empty = Value::Object(Map::new());
    let mut keys: Vec<&str> = expect.keys().map(String::as_str).collect();
    for key in ["config", "ext", "metadata"] {
        if !expect.contains_key(key) {
            keys.push(key);
        }
    }
    for key in keys {
        let want = expect.get(key).unwrap_or(&empty);
        let got = result.get(key).unwrap_or(&Value::Null);
        if want != got {
            return Err(format!("{key}: expected {want}, got {got}"));
        }
    }
    Ok(())
}

#[test]
fn dotprompt_spec() {
    let mut files = Vec::new();
    spec_files(&spec_dir(), &mut files);
    assert!(!files.is_empty(), "no spec files under {}", spec_dir().display());
    let (mut passed, mut total) = (0, 0);
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file.strip_prefix(spec_dir()).unwrap().display().to_string();
        for group in docs.iter().map(to_json).flat_map(|d| d.as_array().cloned().unwrap_or_default()) {
            for test in group["tests"].as_array().into_iter().flatten() {
                total += 1;
                let label = format!("{name} / {} / {}", group["name"].as_str().unwrap_or(""), test["desc"].as_str().unwrap_or(""));
                match run_case(&group, test) {
                    Ok(()) => passed += 1,
                    Err(why) => failures.push(format!("{label}: {why}")),
                }
            }
        }
    }
    for failure in &failures {
        println!("FAIL {failure}");
    }
    println!("conformance dotprompt rust: {passed}/{total}");
    assert!(passed >= FLOOR, "{passed}/{total} pass, below the floor of {FLOOR}");
}
