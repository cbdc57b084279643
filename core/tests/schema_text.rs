//! Validation from JSON text without a `Value` (`Schema::validate_text_json`,
//! `Schema::is_valid_json`) against the reference: `serde_json::from_str` then
//! `Schema::validate`. Random documents (with number forms, escapes, duplicate keys and
//! whitespace that `serde_json::to_string` never writes) must give the same violations, and
//! random corruptions of them must fail exactly when serde_json fails, with the same message
//! at the same place. The two knowing differences (lone surrogate escapes, nesting past 128)
//! are tested on their own.

mod common;

use bridle::parse::schema::{violations_json, Schema, SchemaOptions};
use bridle::ErrorKind;
use common::Rng;
use serde_json::{json, Value};

fn schemas() -> Vec<Schema> {
    let schemas = [
        json!(true),
        json!({"type": "object", "additionalProperties": {"type": ["string", "number", "array"]}, "propertyNames": {"maxLength": 3}, "minProperties": 2}),
        json!({"items": {"anyOf": [
            {"type": "integer", "minimum": -5, "maximum": 1e6, "multipleOf": 3},
            {"type": "number", "exclusiveMinimum": 0.5, "multipleOf": 0.25},
            {"type": "string", "pattern": "^[a-z ]*$", "maxLength": 4},
            {"type": "array", "uniqueItems": true},
            {"type": "object", "required": ["a"]}
        ]}, "uniqueItems": true, "contains": {"type": "null"}, "maxContains": 2}),
        json!({"type": ["array", "number"], "items": {"type": "integer", "multipleOf": 3, "exclusiveMinimum": -3, "maximum": 1e21},
               "minimum": 3, "exclusiveMaximum": 18446744073709551615u64, "multipleOf": 0.5}),
        json!({"enum": [1, "a", [1, 2.0], {"a": 1, "b": [true]}, null, 1.5e3, -0.0]}),
        json!({"const": {"a": 1, "ab": "\u{e9}", "b": [1.0, {"c": null}]}}),
        json!({"type": "object", "properties": {"a": {"type": "integer"}, "ab": {"type": "string", "minLength": 2}, "b": {"type": "array", "maxItems": 2}},
               "required": ["a", "b"], "dependentRequired": {"a": ["ab"]}, "unevaluatedProperties": {"type": "boolean"}}),
        json!({"anyOf": [{"type": "object", "patternProperties": {"^\u{e9}": {"type": "string"}}}, {"type": "array", "prefixItems": [{"type": "number"}], "unevaluatedItems": false}],
               "not": {"type": "object", "maxProperties": 0}}),
        json!({"oneOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 3}, {"type": "number", "minimum": 0}, {"type": "integer"}],
               "if": {"type": "integer"}, "then": {"maximum": 1000}, "else": {"type": ["string", "number", "object", "array", "null", "boolean"]}}),
        json!({"$defs": {"tree": {"type": ["object", "array", "string", "number", "boolean", "null"], "items": {"$ref": "#/$defs/tree"},
               "additionalProperties": {"$ref": "#/$defs/tree"}, "minLength": 1, "uniqueItems": true}}, "$ref": "#/$defs/tree"}),
    ];
    schemas.iter().map(|s| Schema::compile(s, &SchemaOptions::default()).unwrap_or_else(|e| panic!("{s}: {e}"))).collect()
}

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "1.0",
    "1e0",
    "1E+2",
    "100",
    "3",
    "-3",
    "0.5",
    "0.75",
    "2.5e-1",
    "-0.0",
    "0e10",
    "12345678901234567",
    "123456789012345678",
    "1234567890123456789",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "1e308",
    "1.7976931348623157e308",
    "4.9e-324",
    "1e-400",
    "0.30000000000000004",
    "1500",
    "1.5e3",
    "999999999999999999999999",
    "0.1",
    "1e2",
    "-5",
    "6",
    "1000",
    "1001",
];

const PIECES: &[&str] = &[
    "a",
    "b",
    " ",
    "é",
    "漢字",
    "🚀",
    "\\n",
    "\\\"",
    "\\\\",
    "\\/",
    "\\u00e9",
    "\\u0041",
    "\\ud83d\\ude80",
    "\\t",
    "\\b\\f\\r",
    "\u{7f}",
    "\u{2028}",
    "2024-02-29",
];
const KEYS: &[&str] = &["a", "b", "ab", "a\\u0062", "é", "\\u00e9", "c", "long key with spaces", ""];

fn space(rng: &mut Rng) -> &'static str {
    [" ", "", "", "\n", "\t", "\r\n  "][rng.below(6) as usize]
}

/// A random JSON text, written directly so that it has what serde_json never writes.
fn gen_text(rng: &mut Rng, depth: u32, out: &mut String) {
    let kinds = if depth > 4 { 5 } else { 7 };
    match rng.below(kinds) {
        0 => out.push_str(["null", "true", "false"][rng.below(3) as usize]),
        1 | 2 => out.push_str(NUMBERS[rng.below(NUMBERS.len() as u64) as usize]),
        3 | 4 => {
            out.push('"');
            for _ in 0..rng.below(5) {
                out.push_str(PIECES[rng.below(PIECES.len() as u64) as usize]);
            }
            out.push('"');
        }
        5 => {
            out.push('[');
            for i in 0..rng.below(5) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(space(rng));
                gen_text(rng, depth + 1, out);
                out.push_str(space(rng));
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            for i in 0..rng.below(5) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(space(rng));
                out.push('"');
                out.push_str(KEYS[rng.below(KEYS.len() as u64) as usize]);
                out.push('"');
                out.push_str(space(rng));
                out.push(':');
                out.push_str(space(rng));
                gen_text(rng, depth + 1, out);
            }
            out.push_str(space(rng));
            out.push('}');
        }
    }
}

/// Where the two readings may differ on purpose: serde_json refuses lone surrogates and
/// nesting past 128 levels, `JSON.parse` (and the text path) does not.
fn knowingly_different(serde_message: &str) -> bool {
    serde_message.contains("surrogate") || serde_message.contains("hex escape") || serde_message.contains("recursion limit")
}

/// Compares the text path with the reference on one text, for every schema. Returns whether
/// the text is JSON.
fn compare(schemas: &[Schema], text: &str) -> bool {
    let reference: Result<Value, _> = serde_json::from_str(text);
    for schema in schemas {
        let from_text = schema.validate_text_json(text);
        match (&reference, from_text) {
            (Ok(value), Ok(found)) => {
                let expected = violations_json(&schema.validate(value));
                assert_eq!(found, expected, "violations of {text:?}");
                assert_eq!(schema.is_valid_json(text).unwrap(), expected == "[]", "is_valid_json of {text:?}");
                assert_eq!(schema.validate_value_json(text).unwrap(), expected, "validate_value_json of {text:?}");
            }
            (Err(e), _) if knowingly_different(&e.to_string()) => return false,
            (Err(_), Ok(found)) => panic!("serde_json refuses {text:?}, the text path gives {found}"),
            (Ok(_), Err(e)) => panic!("serde_json reads {text:?}, the text path refuses it: {e}"),
            (Err(serde), Err(e)) => {
                let old = schema.validate_json(text).unwrap_err();
                assert_eq!(e.kind(), ErrorKind::JsonParse);
                assert_eq!((e.message(), e.location()), (old.message(), old.location()), "error on {text:?} ({serde})");
                assert_eq!(e.details(), old.details(), "error details on {text:?}");
                assert_eq!(schema.is_valid_json(text).unwrap_err().location(), old.location());
                let value_error = schema.validate_value_json(text).unwrap_err();
                assert_eq!(
                    value_error.message(),
                    format!("the value is not JSON: {serde}"),
                    "validate_value_json on {text:?}"
                );
            }
        }
    }
    reference.is_ok()
}

const JUNK: &[&str] = &[
    ",", "]", "}", "[", "{", ":", "\"", "\\", " ", "x", "0", "-", ".", "e", "E", "+", "\u{1}", "\n", "é", "\\u", "\\ud83d",
    "tru", "n", "1e999", ",]", ",}",
];

/// `text` with one random corruption: a byte range cut out, junk put in, or the end cut off.
fn corrupt(rng: &mut Rng, text: &str) -> String {
    let boundary = |rng: &mut Rng| {
        let mut at = rng.below(text.len() as u64 + 1) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let at = boundary(rng);
    match rng.below(3) {
        0 => text[..at].to_owned(),
        1 => {
            let end = (at + 1 + rng.below(3) as usize).min(text.len());
            let end = (end..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap();
            format!("{}{}", &text[..at], &text[end..])
        }
        _ => format!("{}{}{}", &text[..at], JUNK[rng.below(JUNK.len() as u64) as usize], &text[at..]),
    }
}

#[test]
fn random_texts_give_the_reference_violations_and_errors() {
    let schemas = schemas();
    let mut rng = Rng(0x5eed_7e57);
    let (mut valid, mut invalid) = (0, 0);
    for round in 0..3000 {
        let mut text = String::new();
        out_space(&mut rng, &mut text);
        gen_text(&mut rng, 0, &mut text);
        out_space(&mut rng, &mut text);
        if compare(&schemas, &text) {
            valid += 1;
        } else {
            invalid += 1;
        }
        for _ in 0..4 {
            let broken = corrupt(&mut rng, &text);
            if compare(&schemas, &broken) {
                valid += 1;
            } else {
                invalid += 1;
            }
        }
        // Documents as serde_json writes them (the shapes of the other tests).
        if round % 3 == 0 {
            let value = common::gen_value(&mut rng, 0);
            let text = common::serialise(&value, &mut rng);
            assert!(compare(&schemas, &text), "{text}");
        }
    }
    // Both sides of the comparison were exercised.
    assert!(valid > 3000 && invalid > 3000, "{valid} texts read, {invalid} refused");
}

fn out_space(rng: &mut Rng, out: &mut String) {
    out.push_str(space(rng));
}

#[test]
fn errors_are_serde_jsons_at_the_same_places() {
    let schemas = schemas();
    let texts = [
        "",
        " ",
        "\n",
        "x",
        "nul",
        "nulL",
        "tru",
        "[",
        "[1",
        "[1,",
        "[1,]",
        "[1 2]",
        "{",
        "{\"a\"",
        "{\"a\" 1}",
        "{\"a\":",
        "{\"a\":1,}",
        "{\"a\":1 \"b\":2}",
        "{1:2}",
        "{\"a\":1,2}",
        "\"abc",
        "\"a\u{1}b\"",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\u12\"}",
        "\"\\u12g4\"",
        "01",
        "-",
        "-a",
        "1.",
        "1.x",
        "1e",
        "1e+",
        "1ex",
        "1e400",
        "-1e400",
        "1e99999999999999",
        "0e99999999999",
        "1 2",
        "[]]",
        "{}}",
        "\"é\" é",
        "[\n1,\n]",
        "{\n\"a\":\n}",
        "\n\n  x",
        "[1,\n\n",
        "\"\\",
        "\"\\u",
        "\"a\\\"",
        "[-]",
        "[.5]",
        "[1.e5]",
        "[+1]",
        "[1e5.5]",
        "[0x10]",
        "[Infinity]",
        "[NaN]",
        "[\"\t\"]",
        "[1]\u{0}",
        "{\"a\":1}\n\n}",
        "1e-99999999999999999999",
        "123456789012345678901234567890e300",
        "0.000000000000000000000000000001e330",
    ];
    for text in texts {
        compare(&schemas, text);
    }
}

#[test]
fn lone_surrogates_are_accepted_as_replacement_characters() {
    // serde_json refuses these; JSON.parse accepts them, and the bindings' values come from it.
    let schema = Schema::compile(&json!({"items": {"const": "a\u{fffd}b"}}), &SchemaOptions::default()).unwrap();
    for text in [
        r#"["a\ud800b"]"#,
        r#"["a\udc00b"]"#,
        r#"["a\ud83d\u0062"]"#.replace("\\u0062", "b").as_str(),
        r#"["a\udbff"]"#.replace("\"]", "b\"]").as_str(),
    ] {
        assert!(serde_json::from_str::<Value>(text).is_err(), "{text}");
        assert_eq!(schema.validate_text_json(text).unwrap(), "[]", "{text}");
    }
    // A lone high surrogate before another escape, or before another surrogate.
    let schema = Schema::compile(&json!({"const": "\u{fffd}\n\u{fffd}\u{1f680}"}), &SchemaOptions::default()).unwrap();
    assert_eq!(schema.validate_text_json(r#""\ud800\n\udbff\ud83d\ude80""#).unwrap(), "[]");
    // Errors after a lone surrogate are still errors.
    assert!(schema.validate_text_json(r#""\ud800\u12""#).is_err());
    assert!(schema.validate_text_json(r#""\ud800\x""#).is_err());
}

#[test]
fn nesting_has_no_parse_limit_and_the_validator_reports_depth() {
    // A main thread's stack: debug builds take about five times the stack per level that
    // release builds do, more than a test thread's 2 MiB at the validator's 512 levels.
    std::thread::Builder::new().stack_size(8 << 20).spawn(deep_texts).unwrap().join().unwrap();
}

fn deep_texts() {
    let schema = Schema::compile(&json!({"items": {"$ref": "#"}}), &SchemaOptions::default()).unwrap();
    for depth in [1_000, 100_000] {
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let found: Value = serde_json::from_str(&schema.validate_text_json(&text).unwrap()).unwrap();
        assert_eq!(found[0]["keyword"], "depth", "{depth} levels");
        // Where the schema does not descend, depth does not matter.
        assert_eq!(
            Schema::compile(&json!({"type": "array"}), &SchemaOptions::default())
                .unwrap()
                .validate_text_json(&text)
                .unwrap(),
            "[]"
        );
    }
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(99_999));
    let error = schema.validate_text_json(&text).unwrap_err();
    assert_eq!(error.message(), "invalid JSON: EOF while parsing a list");
}

#[test]
fn duplicate_keys_keep_the_first_place_and_the_last_value() {
    let schema = Schema::compile(
        &json!({"properties": {"a": {"type": "string"}}, "propertyNames": {"maxLength": 1}, "maxProperties": 2,
                "additionalProperties": {"type": "array", "items": {"type": "object", "required": ["y"]}}}),
        &SchemaOptions::default(),
    )
    .unwrap();
    for keys in [2, 12, 30] {
        for first in ["1", "[1, {\"x\": [2, 3]}, [[]]]", "{\"b\": {\"c\": 1}, \"b\": 2}"] {
            // `"a"` first, then others (some repeated, with values of other sizes), then
            // `"\u0061"` (the same key) with a string.
            let others: Vec<String> = (0..keys)
                .map(|i| format!("\"{}\": [{}]", (b'b' + (i % 20) as u8) as char, "{\"z\": 1}, ".repeat(i % 3) + "{}"))
                .collect();
            let text = format!("{{\"a\": {first}, {}, \"\\u0061\": \"x\", \"c\": [[1]]}}", others.join(", "));
            let value: Value = serde_json::from_str(&text).unwrap();
            let expected = violations_json(&schema.validate(&value));
            assert_eq!(schema.validate_text_json(&text).unwrap(), expected, "{text}");
            assert!(!expected.contains("\"path\":\"/a\""), "the last value, a string, counts: {expected}");
        }
    }
}
