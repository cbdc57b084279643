//! Streaming validation: the first certain violation is reported as soon as it is certain,
//! and never for a document the schema accepts (under any chunking); whenever the stream
//! reports one, validating the whole document finds it too.

mod common;

use bridle::parse::json_stream::{JsonStream, StreamOptions};
use bridle::parse::schema::{Schema, SchemaOptions};
use common::Rng;
use serde_json::{json, Value};
use std::rc::Rc;

fn schema() -> Rc<Schema> {
    Rc::new(
        Schema::compile(
            &json!({
                "$defs": {"tag": {"type": "string", "maxLength": 8, "pattern": "^[a-z]+$"}},
                "type": "object",
                "additionalProperties": false,
                "required": ["id", "items"],
                "properties": {
                    "id": {"type": "integer", "minimum": 0},
                    "status": {"enum": ["ok", "failed"]},
                    "items": {"type": "array", "maxItems": 3, "minItems": 1, "items": {"$ref": "#/$defs/item"}},
                    "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                },
                "$defs2": {},
            })
            .as_object()
            .map(|o| {
                let mut o = o.clone();
                o["$defs"]["item"] = json!({"type": "object", "required": ["name"], "properties": {"name": {"$ref": "#/$defs/tag"}, "score": {"type": "number", "maximum": 1}}, "additionalProperties": false});
                Value::Object(o)
            })
            .unwrap(),
            &SchemaOptions::default(),
        )
        .unwrap(),
    )
}

/// Pushes `chunks`; returns the index of the chunk after which a violation was first known,
/// and the violation's (path, keyword).
fn first_violation(schema: &Rc<Schema>, chunks: &[&str]) -> Option<(usize, String, String)> {
    let mut stream = JsonStream::with_schema(StreamOptions::default(), Rc::clone(schema));
    for (i, chunk) in chunks.iter().enumerate() {
        stream.push_str(chunk).unwrap();
        let ops = stream.take_ops();
        if let Some(v) = stream.violation() {
            assert!(ops.contains("4,{"), "the violation goes out as an operation: {ops}");
            return Some((i, v.path.clone(), v.keyword.clone()));
        }
    }
    let _ = stream.end();
    let _ = stream.take_ops();
    stream.violation().map(|v| (chunks.len(), v.path.clone(), v.keyword.clone()))
}

fn at(i: usize, path: &str, keyword: &str) -> Option<(usize, String, String)> {
    Some((i, path.to_owned(), keyword.to_owned()))
}

#[test]
fn violations_are_reported_as_soon_as_they_are_certain() {
    let s = schema();
    // A wrong type is known from the first character of the value.
    assert_eq!(first_violation(&s, &[r#"{"id": "#, r#""7"#, r#""}"#]), at(1, "/id", "type"));
    // A member additionalProperties refuses, when its name is complete.
    assert_eq!(first_violation(&s, &[r#"{"id": 1, "ext"#, r#"ra": 1}"#]), at(1, "", "additionalProperties"));
    // enum when the string completes.
    assert_eq!(first_violation(&s, &[r#"{"status": "o"#, r#"k"#, r#"x", "#]), at(2, "/status", "enum"));
    // maxLength while the string grows, through $ref.
    assert_eq!(first_violation(&s, &[r#"{"items": [{"name": "abcd"#, r#"efghi"#, r#"jk"}]}"#]), at(1, "/items/0/name", "maxLength"));
    // pattern when complete.
    assert_eq!(first_violation(&s, &[r#"{"items": [{"name": "AB"}"#]), at(0, "/items/0/name", "pattern"));
    // maxItems when the extra item starts.
    assert_eq!(first_violation(&s, &[r#"{"items": [{"name": "a"}, {"name": "b"}, {"name": "c"}, "#, "{"]), at(1, "/items", "maxItems"));
    // required and minItems when the container closes.
    assert_eq!(first_violation(&s, &[r#"{"items": [{"score": 0.5"#, "}"]), at(1, "/items/0", "required"));
    assert_eq!(first_violation(&s, &[r#"{"id": 1, "items": ["#, "]"]), at(1, "/items", "minItems"));
    assert_eq!(first_violation(&s, &[r#"{"items": [{"name": "a"}]"#, "}"]), at(1, "", "required"));
    // A number only once complete: 1 is fine until it becomes 1.5 (maximum) or -3 (minimum).
    assert_eq!(first_violation(&s, &[r#"{"items": [{"name": "a", "score": 1"#, r#".5}"#]), at(1, "/items/0/score", "maximum"));
    assert_eq!(first_violation(&s, &[r#"{"id": -"#, "3,"]), at(1, "/id", "minimum"));
    // Integer: 1.0 is one, 1.5 is not.
    assert_eq!(first_violation(&s, &[r#"{"id": 1.0, "items": [{"name": "a"}]}"#]), None);
    assert_eq!(first_violation(&s, &[r#"{"id": 1.5,"#]), at(0, "/id", "type"));
    // Below anyOf nothing is decided early, but a complete scalar is decided whole.
    assert_eq!(first_violation(&s, &[r#"{"note": 5,"#]), at(0, "/note", "anyOf"));
}

#[test]
fn valid_documents_never_report_and_reports_are_real() {
    let s = schema();
    let mut rng = Rng(0x5C4E3A);
    let names = ["a", "bc", "toolong", "abcdefghij", "Up", ""];
    let mut reported = 0;
    let mut valid_docs = 0;
    for _ in 0..3000 {
        // Documents near the schema: sometimes valid, sometimes not, in many ways.
        let items: Vec<Value> = (0..rng.below(5))
            .map(|_| {
                let mut item = serde_json::Map::new();
                if rng.below(6) > 0 {
                    item.insert("name".into(), json!(names[rng.below(names.len() as u64) as usize]));
                }
                if rng.below(2) == 0 {
                    item.insert("score".into(), json!(rng.below(20) as f64 / 10.0));
                }
                if rng.below(12) == 0 {
                    item.insert("extra".into(), json!(true));
                }
                Value::Object(item)
            })
            .collect();
        let mut doc = serde_json::Map::new();
        if rng.below(8) > 0 {
            doc.insert("id".into(), if rng.below(10) == 0 { json!("1") } else { json!(rng.below(10) as i64 - 1) });
        }
        if rng.below(2) == 0 {
            doc.insert("status".into(), json!(["ok", "failed", "unknown"][rng.below(3) as usize]));
        }
        doc.insert("items".into(), Value::Array(items));
        if rng.below(4) == 0 {
            doc.insert("note".into(), [json!(null), json!("n"), json!(1)][rng.below(3) as usize].clone());
        }
        let doc = Value::Object(doc);
        let text = if rng.below(2) == 0 { serde_json::to_string_pretty(&doc) } else { serde_json::to_string(&doc) }.unwrap();
        let valid = s.is_valid(&doc);
        let mut stream = JsonStream::with_schema(StreamOptions::default(), Rc::clone(&s));
        let mut from = 0;
        let mut cuts: Vec<usize> = (0..rng.below(10)).map(|_| rng.below(text.len() as u64) as usize).collect();
        cuts.sort_unstable();
        for cut in cuts.into_iter().chain([text.len()]) {
            stream.push_str(&text[from..cut]).unwrap();
            from = cut;
            let _ = stream.take_ops();
        }
        stream.end().unwrap();
        let _ = stream.take_ops();
        match stream.violation() {
            Some(v) => {
                assert!(!valid, "a violation ({} {}) reported for a valid document: {text}", v.path, v.keyword);
                let full = s.validate(&doc);
                assert!(full.iter().any(|f| f.path == v.path && f.keyword == v.keyword), "streamed {} {} not in the full report {full:?} for {text}", v.path, v.keyword);
                reported += 1;
            }
            None => valid_docs += usize::from(valid),
        }
    }
    println!("streaming validation: {reported} documents stopped early, {valid_docs} valid documents passed");
    assert!(reported > 1000 && valid_docs > 100);
}
