//! A rough timing of schema validation, not run by default:
//! `cargo test --release -p bridle --test schema_bench -- --ignored --nocapture`.
//! A ~2 KB object against a 30-property schema (strings with limits, patterns and formats,
//! numbers, enums, a nested object, arrays); valid, so the path that must not allocate. Each
//! is timed from a `Value` and from JSON text (`validate_text_json`, no `Value` built, against
//! `serde_json::from_str` then `validate`); `validate_the_w6_sample` does the same on the
//! schema and texts of the bindings' benchmark W6 (tests/bench/w6-sample.json).

use bridle::parse::schema::{Schema, SchemaOptions};
use serde_json::{json, Map, Value};
use std::time::Instant;

fn schema_and_instance() -> (Value, Value) {
    let mut properties = Map::new();
    let mut instance = Map::new();
    for i in 0..30 {
        let (schema, value) = match i % 6 {
            0 => (json!({"type": "string", "minLength": 1, "maxLength": 200}), json!(format!("a reasonably long text value for field {i}, as models write them: a sentence or two of prose, with some detail, and a clause more so that the object weighs about two kilobytes"))),
            1 => (json!({"type": "integer", "minimum": 0, "maximum": 1000000}), json!(i * 1234)),
            2 => (json!({"enum": ["draft", "review", "published", "archived"]}), json!("published")),
            3 => (json!({"type": "string", "pattern": "^[a-z]+(-[a-z]+)*$", "format": "hostname"}), json!("api-gateway-eu-west")),
            4 => (
                json!({"type": "array", "items": {"type": "string", "maxLength": 20}, "maxItems": 10, "uniqueItems": true}),
                json!(["alpha", "beta", "gamma", "delta", "epsilon"]),
            ),
            _ => (
                json!({"type": "object", "properties": {"x": {"type": "number"}, "y": {"type": "number"}, "label": {"type": "string"}}, "required": ["x", "y"], "additionalProperties": false}),
                json!({"x": 1.5, "y": -2.25, "label": "point"}),
            ),
        };
        properties.insert(format!("field_{i:02}"), schema);
        instance.insert(format!("field_{i:02}"), value);
    }
    let required: Vec<Value> = properties.keys().take(20).map(|k| json!(k)).collect();
    let schema = json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false});
    (schema, Value::Object(instance))
}

#[test]
#[ignore]
fn validate_a_2kb_object() {
    let (schema, instance) = schema_and_instance();
    let size = serde_json::to_string(&instance).unwrap().len();
    let compiled = Schema::compile(&schema, &SchemaOptions::default()).unwrap();
    assert!(compiled.validate(&instance).is_empty());
    let text = serde_json::to_string(&instance).unwrap();
    let rounds = 200_000;
    type Run<'a> = Box<dyn Fn() -> bool + 'a>;
    let runs: [(&str, Run); 5] = [
        ("validate", Box::new(|| compiled.validate(&instance).is_empty())),
        ("is_valid", Box::new(|| compiled.is_valid(&instance))),
        // From text, as the bindings' `validateJson` calls it.
        (
            "serde_json::from_str + validate",
            Box::new(|| compiled.validate(&serde_json::from_str(&text).unwrap()).is_empty()),
        ),
        ("validate_text_json", Box::new(|| compiled.validate_text_json(&text).unwrap() == "[]")),
        ("validate_json (returns the Value)", Box::new(|| compiled.validate_json(&text).unwrap().1.is_empty())),
    ];
    for (name, run) in runs {
        let start = Instant::now();
        let mut ok = 0;
        for _ in 0..rounds {
            ok += usize::from(std::hint::black_box(run()));
        }
        let each = start.elapsed().as_secs_f64() / rounds as f64;
        assert_eq!(ok, rounds);
        println!("{name}: {:.2} us per {size}-byte object", each * 1e6);
    }
    for (name, pick) in [("no patterns", 3usize), ("no arrays", 4), ("no nested objects", 5)] {
        let mut schema = schema.clone();
        let mut instance = instance.clone();
        for i in (pick..30).step_by(6) {
            schema["properties"][format!("field_{i:02}")] = json!(true);
            instance[format!("field_{i:02}")] = json!(1);
        }
        let compiled = Schema::compile(&schema, &SchemaOptions::default()).unwrap();
        let start = Instant::now();
        for _ in 0..rounds {
            assert!(std::hint::black_box(compiled.is_valid(&instance)));
        }
        println!("  is_valid with {name}: {:.2} us", start.elapsed().as_secs_f64() / rounds as f64 * 1e6);
    }
    // What reading the text costs alone: a schema that checks nothing.
    let anything = Schema::compile(&json!(true), &SchemaOptions::default()).unwrap();
    time("  parse only: serde_json::from_str::<Value>", rounds, || serde_json::from_str::<Value>(&text).is_ok());
    time("  parse only: is_valid_json against `true`", rounds, || anything.is_valid_json(&text).unwrap());
    let start = Instant::now();
    for _ in 0..2_000 {
        std::hint::black_box(Schema::compile(&schema, &SchemaOptions::default()).unwrap());
    }
    println!("compile: {:.1} us", start.elapsed().as_secs_f64() / 2_000.0 * 1e6);
}

fn time(name: &str, rounds: usize, run: impl Fn() -> bool) {
    let start = Instant::now();
    for _ in 0..rounds {
        assert!(std::hint::black_box(run()));
    }
    println!("{name}: {:.2} us", start.elapsed().as_secs_f64() / rounds as f64 * 1e6);
}

/// The bindings' benchmark W6 (tests/bench/w6.mjs): its draft-07 schema and one valid and one
/// invalid ~2 KB text, as `JSON.stringify` wrote them (tests/bench/w6-sample.json).
#[test]
#[ignore]
fn validate_the_w6_sample() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/bench/w6-sample.json");
    let sample: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let schema = Schema::compile(&sample["schema"], &SchemaOptions::default()).unwrap();
    let rounds = 200_000;
    for name in ["valid", "invalid"] {
        let text = sample[name].as_str().unwrap();
        let value: Value = serde_json::from_str(text).unwrap();
        let violations = schema.validate(&value).len();
        assert_eq!(violations == 0, name == "valid");
        println!("W6 {name} ({} bytes, {violations} violations):", text.len());
        time("  validate (the Value parsed beforehand)", rounds, || schema.validate(&value).len() == violations);
        time("  serde_json::from_str + validate", rounds, || {
            schema.validate(&serde_json::from_str(text).unwrap()).len() == violations
        });
        time("  validate_text_json", rounds, || (schema.validate_text_json(text).unwrap() == "[]") == (violations == 0));
        time("  is_valid_json", rounds, || schema.is_valid_json(text).unwrap() == (violations == 0));
    }
}
