//! Each keyword family with the violations it reports (path, keyword, message, schema path),
//! compile errors, limits, and the accessors that streaming validation walks.

use super::node::{NodeId, TypeSet};
use super::*;
use serde_json::json;

fn compile(schema: Value) -> Schema {
    Schema::compile(&schema, &SchemaOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// The violations as `(path, keyword, message)`.
fn violations(schema: &Schema, instance: Value) -> Vec<(String, String, String)> {
    let found = schema.validate(&instance);
    assert_eq!(schema.is_valid(&instance), found.is_empty(), "is_valid and validate disagree on {instance}");
    // The same from text, through the borrowed document.
    let text = instance.to_string();
    assert_eq!(schema.validate_text_json(&text).unwrap(), violations_json(&found), "validate_text_json on {text}");
    assert_eq!(schema.is_valid_json(&text).unwrap(), found.is_empty(), "is_valid_json on {text}");
    found.into_iter().map(|v| (v.path, v.keyword, v.message)).collect()
}

fn expect(schema: &Schema, instance: Value, expected: &[(&str, &str, &str)]) {
    let found = violations(schema, instance.clone());
    let expected: Vec<(String, String, String)> = expected.iter().map(|(p, k, m)| (p.to_string(), k.to_string(), m.to_string())).collect();
    assert_eq!(found, expected, "for {instance}");
}

fn compile_error(schema: Value) -> Error {
    Schema::compile(&schema, &SchemaOptions::default()).expect_err("the schema should not compile")
}

#[test]
fn types_integers_and_messages() {
    let schema = compile(json!({"type": "string"}));
    expect(&schema, json!("x"), &[]);
    expect(&schema, json!(1), &[("", "type", "must be string, got number")]);
    let schema = compile(json!({"type": ["integer", "null"]}));
    expect(&schema, json!(1.0), &[]);
    expect(&schema, json!(-3), &[]);
    expect(&schema, json!(null), &[]);
    expect(&schema, json!(1.5), &[("", "type", "must be null or integer, got number")]);
    expect(&schema, json!([]), &[("", "type", "must be null or integer, got array")]);
    assert_eq!(schema.validate(&json!("a"))[0].schema_path, "/type");
}

#[test]
fn enum_and_const_use_json_equality() {
    let schema = compile(json!({"enum": [1, "a", {"k": [true]}]}));
    expect(&schema, json!(1.0), &[]);
    expect(&schema, json!({"k": [true]}), &[]);
    expect(&schema, json!(2), &[("", "enum", r#"must be one of 1, "a", {"k":[true]}"#)]);
    let schema = compile(json!({"const": {"a": 1, "b": 2.0}}));
    expect(&schema, json!({"b": 2, "a": 1.0}), &[]);
    expect(&schema, json!({"a": 1}), &[("", "const", r#"must be equal to {"a":1,"b":2}"#)]);
}

#[test]
fn objects_report_at_the_object_in_document_order() {
    let schema = compile(json!({
        "type": "object",
        "properties": {"name": {"type": "string"}, "id": true, "tags": {"type": "array", "items": {"type": "string"}}},
        "required": ["name", "id"],
        "additionalProperties": false,
        "minProperties": 2,
    }));
    expect(&schema, json!({"name": "a", "id": 1}), &[]);
    expect(&schema, json!({"tags": ["x", 2], "name": 3, "odd": 1}), &[
        ("", "required", "must have required property 'id'"),
        ("", "additionalProperties", "must NOT have additional property 'odd'"),
        ("/tags/1", "type", "must be string, got number"),
        ("/name", "type", "must be string, got number"),
    ]);
    expect(&schema, json!({"name": "a"}), &[
        ("", "minProperties", "must NOT have fewer than 2 properties"),
        ("", "required", "must have required property 'id'"),
    ]);
    let found = schema.validate(&json!({"name": 1, "id": 1}));
    assert_eq!(found[0].schema_path, "/properties/name/type");
    assert_eq!(found[0].to_json(), json!({"path": "/name", "keyword": "type", "message": "must be string, got number", "schemaPath": "/properties/name/type"}));
}

#[test]
fn pattern_properties_property_names_and_escaped_paths() {
    let schema = compile(json!({
        "patternProperties": {"^x-": {"type": "integer"}},
        "additionalProperties": {"type": "string"},
        "propertyNames": {"maxLength": 4},
        "maxProperties": 3,
    }));
    expect(&schema, json!({"x-a": 1, "b": "s"}), &[]);
    expect(&schema, json!({"x-a": "1", "a/b": 2, "~": "ok"}), &[
        ("/x-a", "type", "must be integer, got string"),
        ("/a~1b", "type", "must be string, got number"),
    ]);
    expect(&schema, json!({"toolong": "s"}), &[("/toolong", "propertyNames", "property name 'toolong' is invalid: must NOT have more than 4 characters")]);
    expect(&schema, json!({"a": "", "b": "", "c": "", "d": ""}), &[("", "maxProperties", "must NOT have more than 3 properties")]);
}

#[test]
fn dependencies_in_both_drafts() {
    let schema = compile(json!({
        "dependentRequired": {"card": ["billing"]},
        "dependentSchemas": {"gift": {"required": ["note"]}},
    }));
    expect(&schema, json!({"card": 1, "billing": 2}), &[]);
    expect(&schema, json!({"card": 1, "gift": true}), &[
        ("", "dependentRequired", "must have property 'billing' when property 'card' is present"),
        ("", "required", "must have required property 'note'"),
    ]);
    let draft7 = compile(json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "dependencies": {"card": ["billing"], "gift": {"required": ["note"]}},
    }));
    expect(&draft7, json!({"card": 1, "gift": true}), &[
        ("", "dependentRequired", "must have property 'billing' when property 'card' is present"),
        ("", "required", "must have required property 'note'"),
    ]);
}

#[test]
fn arrays_prefix_items_contains_and_uniqueness() {
    let schema = compile(json!({
        "prefixItems": [{"type": "string"}, {"type": "number"}],
        "items": false,
        "minItems": 1,
    }));
    expect(&schema, json!(["a", 1]), &[]);
    expect(&schema, json!([1, 1, null]), &[
        ("", "items", "must NOT have more than 2 items"),
        ("/0", "type", "must be string, got number"),
    ]);
    expect(&schema, json!([]), &[("", "minItems", "must NOT have fewer than 1 items")]);
    let schema = compile(json!({"contains": {"type": "integer"}, "minContains": 2, "maxContains": 3, "maxItems": 5, "uniqueItems": true}));
    expect(&schema, json!([1, "a", 2]), &[]);
    expect(&schema, json!([1, "a"]), &[("", "minContains", "must contain at least 2 valid item(s)")]);
    expect(&schema, json!([1, 2, 3, 4]), &[("", "maxContains", "must contain at most 3 valid item(s)")]);
    expect(&schema, json!([1, 2, 1.0]), &[("", "uniqueItems", "must NOT have duplicate items (items 0 and 2 are identical)")]);
    expect(&schema, json!([1, 2, 3, 4, 5, 6]), &[
        ("", "maxItems", "must NOT have more than 5 items"),
        ("", "maxContains", "must contain at most 3 valid item(s)"),
    ]);
    // Long arrays go through the hashed path; objects compare regardless of key order.
    let mut long: Vec<Value> = (0..40).map(|i| json!({"i": i, "k": "v"})).collect();
    let schema = compile(json!({"uniqueItems": true}));
    expect(&schema, Value::Array(long.clone()), &[]);
    long.push(json!({"k": "v", "i": 7.0}));
    expect(&schema, Value::Array(long), &[("", "uniqueItems", "must NOT have duplicate items (items 7 and 40 are identical)")]);
}

#[test]
fn draft7_items_arrays_and_additional_items() {
    let schema = compile(json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "items": [{"type": "string"}],
        "additionalItems": {"type": "integer"},
    }));
    expect(&schema, json!(["a", 1, 2]), &[]);
    expect(&schema, json!(["a", 1.5]), &[("/1", "type", "must be integer, got number")]);
    assert_eq!(schema.validate(&json!(["a", 1.5]))[0].schema_path, "/additionalItems/type");
}

#[test]
fn strings_count_code_points_and_match_patterns() {
    let schema = compile(json!({"minLength": 2, "maxLength": 3, "pattern": "^[a-z😀]+$"}));
    expect(&schema, json!("😀😀😀"), &[]);
    expect(&schema, json!("a"), &[("", "minLength", "must NOT have fewer than 2 characters")]);
    expect(&schema, json!("abcd"), &[("", "maxLength", "must NOT have more than 3 characters")]);
    expect(&schema, json!("AB"), &[("", "pattern", "must match pattern \"^[a-z😀]+$\"")]);
    // Patterns search (unanchored), and `\d` is ASCII as in ECMA-262.
    let schema = compile(json!({"pattern": "\\d{2}"}));
    expect(&schema, json!("ab12cd"), &[]);
    expect(&schema, json!("٣٤"), &[("", "pattern", "must match pattern \"\\d{2}\"")]);
}

#[test]
fn formats_are_asserted_unless_turned_off() {
    let schema = compile(json!({"properties": {
        "when": {"format": "date-time"}, "mail": {"format": "email"}, "id": {"format": "uuid"},
        "other": {"format": "made-up"},
    }}));
    expect(&schema, json!({"when": "2024-02-29T12:00:00Z", "mail": "a@b.co", "id": "123e4567-e89b-12d3-a456-426614174000", "other": "x"}), &[]);
    expect(&schema, json!({"when": "2023-02-29T12:00:00Z", "mail": "nope", "id": 5}), &[
        ("/when", "format", "must match format \"date-time\""),
        ("/mail", "format", "must match format \"email\""),
    ]);
    let lenient = Schema::compile(&json!({"format": "email"}), &SchemaOptions { formats: false, ..SchemaOptions::default() }).unwrap();
    assert!(lenient.is_valid(&json!("nope")));
}

#[test]
fn format_checkers() {
    use super::format::Format;
    let cases: &[(Format, &str, bool)] = &[
        (Format::Date, "2000-02-29", true),
        (Format::Date, "1900-02-29", false),
        (Format::Time, "23:59:60Z", true),
        (Format::Time, "12:00:00", false),
        (Format::Duration, "P1Y2M3DT4H5M6S", true),
        (Format::Duration, "PT", false),
        (Format::Hostname, "api.example.com", true),
        (Format::Hostname, "-bad.com", false),
        (Format::Ipv4, "192.168.0.1", true),
        (Format::Ipv4, "192.168.0.01", false),
        (Format::Ipv6, "::ffff:1.2.3.4", true),
        (Format::Ipv6, "1:2:3", false),
        (Format::Uri, "https://example.com/a?b=c#d", true),
        (Format::Uri, "/relative", false),
        (Format::UriReference, "/relative", true),
        (Format::UriReference, "a b", false),
        (Format::JsonPointer, "/a~1b", true),
        (Format::JsonPointer, "/a~2", false),
        (Format::RelativeJsonPointer, "1/a", true),
        (Format::RelativeJsonPointer, "-1/a", false),
        (Format::Regex, "^a+$", true),
        (Format::Regex, "(a", false),
        (Format::Email, "\"quoted name\"@example.com", true),
        (Format::Email, "a..b@example.com", false),
    ];
    for &(format, text, expected) in cases {
        assert_eq!(format.check(text), expected, "{} {text:?}", format.name());
    }
}

#[test]
fn numbers_compare_exactly_and_multiples_tolerate_rounding() {
    let schema = compile(json!({"minimum": 1, "exclusiveMaximum": 10, "multipleOf": 0.1}));
    expect(&schema, json!(0.3), &[("", "minimum", "must be >= 1")]);
    expect(&schema, json!(9.9), &[]);
    expect(&schema, json!(10), &[("", "exclusiveMaximum", "must be < 10")]);
    expect(&schema, json!(1.05), &[("", "multipleOf", "must be multiple of 0.1")]);
    let schema = compile(json!({"maximum": 9007199254740993u64, "exclusiveMinimum": 0, "multipleOf": 3}));
    expect(&schema, json!(9007199254740993u64), &[]);
    expect(&schema, json!(9007199254740994u64), &[
        ("", "maximum", "must be <= 9007199254740993"),
        ("", "multipleOf", "must be multiple of 3"),
    ]);
    expect(&schema, json!(0), &[("", "exclusiveMinimum", "must be > 0")]);
    let schema = compile(json!({"multipleOf": 0.0001}));
    expect(&schema, json!(0.0075), &[]);
    assert!(!schema.is_valid(&json!(0.00751)));
    // Draft 4's boolean exclusiveMaximum.
    let schema = compile(json!({"$schema": "http://json-schema.org/draft-04/schema#", "maximum": 5, "exclusiveMaximum": true}));
    expect(&schema, json!(5), &[("", "exclusiveMaximum", "must be < 5")]);
}

#[test]
fn combinators_and_conditionals() {
    let schema = compile(json!({
        "anyOf": [{"type": "string"}, {"type": "integer"}],
        "oneOf": [{"minimum": 0}, {"multipleOf": 2}],
        "not": {"const": 7},
    }));
    expect(&schema, json!(3), &[]);
    expect(&schema, json!(7), &[("", "not", "must NOT be valid against the schema in not")]);
    expect(&schema, json!(4), &[("", "oneOf", "must match exactly one schema in oneOf (matched 0, 1)")]);
    expect(&schema, json!(-3), &[("", "oneOf", "must match exactly one schema in oneOf (matched none)")]);
    expect(&schema, json!(null), &[("", "anyOf", "must match a schema in anyOf"), ("", "oneOf", "must match exactly one schema in oneOf (matched 0, 1)")]);
    let schema = compile(json!({
        "allOf": [{"required": ["kind"]}],
        "if": {"properties": {"kind": {"const": "card"}}},
        "then": {"required": ["number"]},
        "else": {"properties": {"iban": {"type": "string"}}},
    }));
    expect(&schema, json!({"kind": "card", "number": "1"}), &[]);
    expect(&schema, json!({"kind": "card"}), &[("", "required", "must have required property 'number'")]);
    expect(&schema, json!({"kind": "bank", "iban": 1}), &[("/iban", "type", "must be string, got number")]);
    assert_eq!(schema.validate(&json!({"kind": "card"}))[0].schema_path, "/then/required");
}

#[test]
fn refs_defs_anchors_and_recursion() {
    let schema = compile(json!({
        "$id": "https://example.com/tree",
        "$defs": {
            "node": {"type": "object", "properties": {"value": {"$ref": "#/$defs/a~1b%25"}, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}},
            "a/b%": {"$anchor": "num", "type": "number"},
        },
        "properties": {"root": {"$ref": "#/$defs/node"}, "n": {"$ref": "#num"}, "abs": {"$ref": "https://example.com/tree#num"}},
    }));
    expect(&schema, json!({"root": {"value": 1, "children": [{"value": 2, "children": []}]}, "n": 3, "abs": 4}), &[]);
    expect(&schema, json!({"root": {"children": [{"value": "x"}]}, "n": "y"}), &[
        ("/root/children/0/value", "type", "must be number, got string"),
        ("/n", "type", "must be number, got string"),
    ]);
    assert_eq!(schema.validate(&json!({"n": "y"}))[0].schema_path, "/$defs/a~1b%/type");
    // Draft 7: `definitions`, and `$ref` overrides its siblings.
    let schema = compile(json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"s": {"type": "string"}},
        "properties": {"a": {"$ref": "#/definitions/s", "type": "integer"}},
    }));
    expect(&schema, json!({"a": "text"}), &[]);
    // Boolean schemas.
    expect(&compile(json!(true)), json!(1), &[]);
    expect(&compile(json!(false)), json!(1), &[("", "false", "no value is allowed here (the schema is false)")]);
}

#[test]
fn other_documents_are_given_not_fetched() {
    let options = SchemaOptions {
        resources: vec![("https://example.com/address.json".into(), json!({"$defs": {"zip": {"type": "string", "pattern": "^[0-9]{5}$"}}}))],
        ..SchemaOptions::default()
    };
    let schema = Schema::compile(&json!({"$ref": "https://example.com/address.json#/$defs/zip"}), &options).unwrap();
    assert!(schema.is_valid(&json!("12345")));
    let found = schema.validate(&json!("1234"));
    assert_eq!(found[0].schema_path, "https://example.com/address.json#/$defs/zip/pattern");
    let err = compile_error(json!({"properties": {"a": {"$ref": "https://example.com/elsewhere.json"}}}));
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_eq!(err.details()["schemaPath"], "/properties/a/$ref");
}

#[test]
fn unevaluated_properties_and_items() {
    let schema = compile(json!({
        "properties": {"a": true},
        "allOf": [{"properties": {"b": true}}],
        "anyOf": [{"properties": {"c": {"type": "integer"}}, "required": ["c"]}, true],
        "unevaluatedProperties": false,
    }));
    expect(&schema, json!({"a": 1, "b": 2, "c": 3}), &[]);
    expect(&schema, json!({"a": 1, "c": "x", "d": 4}), &[
        ("", "unevaluatedProperties", "must NOT have unevaluated property 'c'"),
        ("", "unevaluatedProperties", "must NOT have unevaluated property 'd'"),
    ]);
    let schema = compile(json!({"prefixItems": [true], "contains": {"type": "string"}, "unevaluatedItems": {"type": "integer"}}));
    expect(&schema, json!([null, "s", 2]), &[]);
    expect(&schema, json!([null, "s", 2.5]), &[("/2", "type", "must be integer, got number")]);
}

#[test]
fn malformed_schemas_are_invalid_arguments_with_a_schema_path() {
    for (schema, path) in [
        (json!({"type": "text"}), "/type"),
        (json!({"properties": {"x": {"pattern": "(unclosed"}}}), "/properties/x/pattern"),
        (json!({"properties": {"x": {"pattern": "(?=lookahead)"}}}), "/properties/x/pattern"),
        (json!({"required": "name"}), "/required"),
        (json!({"minLength": -1}), "/minLength"),
        (json!({"multipleOf": 0}), "/multipleOf"),
        (json!({"allOf": []}), "/allOf"),
        (json!({"items": 3}), "/items"),
        (json!({"$ref": "#/$defs/missing"}), "/$ref"),
        (json!({"patternProperties": {"a/(": {}}}), "/patternProperties/a~1("),
    ] {
        let err = compile_error(schema.clone());
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{schema}");
        assert_eq!(err.details()["schemaPath"], path, "{schema}: {err}");
    }
    // Unknown keywords are ignored.
    assert!(compile(json!({"x-note": {"type": 5}, "title": 3})).is_valid(&json!(1)));
}

#[test]
fn reference_cycles_that_never_descend_are_refused() {
    for schema in [
        json!({"$ref": "#"}),
        json!({"$defs": {"a": {"allOf": [{"$ref": "#/$defs/b"}]}, "b": {"anyOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}),
        json!({"dependentSchemas": {"x": {"$ref": "#"}}}),
    ] {
        let err = compile_error(schema.clone());
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{schema}");
        assert!(err.message().contains("never end"), "{err}");
    }
    // A cycle through `properties` or `items` consumes the instance, so it is fine.
    let schema = compile(json!({"type": ["array", "integer"], "items": {"$ref": "#"}}));
    assert!(schema.is_valid(&json!([1, [2, [3]]])));
}

/// An array nested `depth` deep, built without recursion.
fn nested_arrays(depth: usize) -> Value {
    let mut value = json!(0);
    for _ in 0..depth {
        value = Value::Array(vec![value]);
    }
    value
}

/// Drops a deep value without recursion (serde_json's drop recurses).
fn dismantle(mut value: Value) {
    while let Value::Array(mut items) = value {
        value = items.pop().unwrap_or(Value::Null);
    }
}

/// Runs `f` on a thread with a stack the size of a main thread's: debug builds use about
/// five times the stack per level that release builds do, more than a test thread's 2 MiB.
fn with_main_thread_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new().stack_size(8 << 20).spawn(f).unwrap().join().unwrap();
}

#[test]
fn deep_instances_hit_the_depth_limit_not_the_stack() {
    with_main_thread_stack(deep_instances);
}

fn deep_instances() {
    let deep = nested_arrays(100_000);
    let schema = compile(json!({"type": ["array", "integer"], "items": {"$ref": "#"}, "uniqueItems": true}));
    assert!(!schema.is_valid(&deep));
    let found = schema.validate(&deep);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].keyword, "depth");
    assert_eq!(found[0].path.matches("/0").count(), validate::MAX_INSTANCE_DEPTH as usize + 1);
    // A schema that does not descend never looks that deep.
    assert!(compile(json!({"type": "array", "uniqueItems": true, "maxItems": 1})).is_valid(&deep));
    let pair = Value::Array(vec![nested_arrays(5000), nested_arrays(5000)]);
    assert!(compile(json!({"uniqueItems": true})).is_valid(&pair), "deeper than the limit counts as different");
    dismantle(deep);
    if let Value::Array(items) = pair {
        items.into_iter().for_each(dismantle);
    }
    // A long acyclic chain of in-place references is bounded too.
    let mut defs = serde_json::Map::new();
    for i in 0..5000 {
        defs.insert(format!("d{i}"), json!({"$ref": format!("#/$defs/d{}", i + 1)}));
    }
    defs.insert("d5000".into(), json!({"type": "integer"}));
    let schema = compile(json!({"$defs": defs, "$ref": "#/$defs/d0"}));
    let found = schema.validate(&json!(1));
    assert_eq!(found[0].keyword, "depth");
}

#[test]
fn validate_json_parses_then_validates() {
    let schema = compile(json!({"type": "object", "required": ["a"]}));
    let (value, found) = schema.validate_json("{\"b\": 1}").unwrap();
    assert_eq!(value, json!({"b": 1}));
    assert_eq!(found[0].message, "must have required property 'a'");
    let err = schema.validate_json("{\n  \"é\": tru }").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::JsonParse);
    // At the byte where `true` stops matching; the column counts `é` as one UTF-16 unit.
    let at = err.location().unwrap();
    assert_eq!((at.line, at.column), (2, 11));
    assert!(err.message().starts_with("invalid JSON: "), "{err}");
}

#[test]
fn check_gives_a_schema_error_with_every_violation() {
    let schema = compile(json!({"properties": {"a": {"type": "string"}, "b": {"type": "string"}}}));
    assert!(schema.check(&json!({"a": "x"})).is_ok());
    let err = schema.check(&json!({"a": 1, "b": 2})).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Schema);
    assert_eq!(err.message(), "the value does not match the schema: '/a' must be string, got number (and 1 more)");
    assert_eq!(err.details()["errors"][1]["path"], "/b");
}

#[test]
fn the_compiled_schema_can_be_walked() {
    let schema = compile(json!({
        "type": "object",
        "properties": {"name": {"type": "string", "maxLength": 10}},
        "patternProperties": {"^n": {"minLength": 1}},
        "additionalProperties": {"type": "array", "prefixItems": [{"type": "null"}], "items": {"type": "integer"}, "maxItems": 3},
        "allOf": [{"$ref": "#/$defs/extra"}],
        "$defs": {"extra": {"required": ["name"]}},
    }));
    let root = schema.node(schema.root());
    assert_eq!(root.types, Some(TypeSet::OBJECT));
    let name: Vec<NodeId> = root.property("name").collect();
    assert_eq!(name.len(), 2, "properties and patternProperties both apply");
    assert_eq!(schema.node(name[0]).max_length(), Some(10));
    assert!(schema.node(name[0]).types.is_some_and(|t| t.admits(&json!("s")) && !t.admits(&json!(1))));
    let other: Vec<NodeId> = root.property("other").collect();
    assert_eq!(other.len(), 1);
    let list = schema.node(other[0]);
    assert_eq!(list.max_items(), Some(3));
    assert_eq!(schema.node(list.item(0).unwrap()).types, Some(TypeSet::NULL));
    assert_eq!(schema.node(list.item(5).unwrap()).types, Some(TypeSet::INTEGER));
    let referenced = schema.node(root.logic.as_ref().unwrap().all_of[0]).logic.as_ref().unwrap().reference.unwrap();
    assert_eq!(&*schema.node(referenced).path, "/$defs/extra");
}

#[test]
fn dynamic_refs_follow_the_dynamic_scope() {
    let list = json!({"$id": "list", "type": "array", "items": {"$dynamicRef": "#item"}, "$defs": {"any": {"$dynamicAnchor": "item"}}});
    let strings = compile(json!({
        "$id": "https://example.com/strings",
        "$ref": "list",
        "$defs": {"list": list.clone(), "string": {"$dynamicAnchor": "item", "type": "string"}},
    }));
    expect(&strings, json!(["a", "b"]), &[]);
    expect(&strings, json!(["a", 1]), &[("/1", "type", "must be string, got number")]);
    // The list alone keeps its own anchor: anything goes.
    assert!(compile(json!({"$id": "https://example.com/base", "$ref": "list", "$defs": {"list": list}})).is_valid(&json!([1, "a"])));
}

#[test]
fn deeply_nested_schemas_are_refused_not_overflowed() {
    with_main_thread_stack(|| {
        let mut schema = json!({"type": "integer"});
        for _ in 0..1000 {
            schema = json!({"items": schema});
        }
        let err = compile_error(schema.clone());
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(err.message().contains("nest more than"), "{err}");
        let mut schema = schema;
        while let Some(inner) = schema.get_mut("items").map(Value::take) {
            schema = inner;
        }
    });
}

#[test]
fn numbers_from_text_are_serde_jsons_to_the_bit() {
    use super::instance::Instance;
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for _ in 0..200_000 {
        let digits = |count: u64, next: &mut dyn FnMut(u64) -> u64| (0..count).map(|_| char::from(b'0' + next(10) as u8)).collect::<String>();
        let mut text = String::new();
        if next(2) == 0 {
            text.push('-');
        }
        let whole = digits(1 + next(20), &mut next);
        text.push_str(whole.trim_start_matches('0'));
        if text.is_empty() || text == "-" {
            text.push('0');
        }
        if next(2) == 0 {
            text.push('.');
            text.push_str(&digits(1 + next(18), &mut next));
        }
        if next(2) == 0 {
            text.push(['e', 'E'][next(2) as usize]);
            text.push_str(["", "+", "-"][next(3) as usize]);
            text.push_str(&(next(40)).to_string());
        }
        let expected: serde_json::Number = serde_json::from_str(&text).unwrap();
        let found = borrowed::with_root(&text, |root| root.unwrap().as_number().unwrap());
        assert_eq!(found, expected, "{text}");
        assert_eq!(found.as_f64().map(f64::to_bits), expected.as_f64().map(f64::to_bits), "{text}");
    }
}

#[test]
fn violations_json_is_what_serde_json_writes() {
    let odd = "q\"b\\s/\u{1}\u{1f}\u{7f}\n\r\t\u{8}\u{c}é漢🚀\u{2028}";
    let violations: Vec<Violation> = (0..3)
        .map(|i| Violation {
            path: format!("/{odd}/{i}"),
            keyword: "type".into(),
            message: format!("must be string, got {odd}"),
            schema_path: format!("/properties/{odd}"),
        })
        .collect();
    for n in 0..=3 {
        let expected = Value::Array(violations[..n].iter().map(Violation::to_json).collect()).to_string();
        assert_eq!(violations_json(&violations[..n]), expected);
    }
}

#[test]
fn long_values_are_cut_short_in_messages_and_indices_are_written_out() {
    let long = "é".repeat(70);
    let schema = compile(json!({"items": {"const": long.clone()}, "maxItems": 20}));
    let mut instance = vec![json!(long); 12];
    instance[11] = json!("x");
    let cut: String = format!("\"{long}").chars().take(57).collect();
    expect(&schema, Value::Array(instance), &[("/11", "const", &format!("must be equal to {cut}..."))]);
    // Exactly 60 characters stay whole.
    let sixty = "a".repeat(58);
    let schema = compile(json!({"enum": [sixty.clone(), 0, 1e21, -0.5]}));
    expect(&schema, json!(1), &[("", "enum", &format!("must be one of \"{sixty}\", 0, 1e+21, -0.5"))]);
}
