//! Picoschema, Dotprompt's compact schema notation, turned into JSON Schema as Dotprompt's
//! reference implementation does.
//!
//! ```yaml
//! schema:
//!   name: string, the user's name        # type, then a description after a comma
//!   age?: integer                        # `?`: optional (and nullable)
//!   tags(array, labels): string          # an array of strings
//!   address?(object):                    # a nested object
//!     city: string
//!   color(enum): [RED, GREEN]            # an enum
//!   (*): any                             # other keys allowed, of any type
//! ```
//!
//! Scalar types are `string`, `number`, `integer`, `boolean`, `null` and `any`; any other
//! name is looked up among the named schemas. A schema that already has a JSON Schema `type`
//! or `properties` at the top is kept as JSON Schema.

use crate::error::{Error, ErrorKind, Result};
use serde_json::{json, Map, Value};

const SCALAR_TYPES: &[&str] = &["string", "boolean", "null", "number", "integer", "any"];
const WILDCARD: &str = "(*)";

fn error(message: String) -> Error {
    Error::new(ErrorKind::PromptSyntax, message)
}

/// Splits `type, description` at its first comma, both trimmed.
fn extract_description(input: &str) -> (&str, Option<&str>) {
    match input.split_once(',') {
        None => (input.trim(), None),
        Some((kind, description)) => {
            let description = description.trim();
            (kind.trim(), (!description.is_empty()).then_some(description))
        }
    }
}

/// Turns a Picoschema (or JSON Schema) `schema` into JSON Schema, with `schemas` the named
/// schemas a type name may refer to. `null` stays `null`. An unknown type name or a bad
/// parenthetical type is a `prompt_syntax` error.
pub fn to_json_schema(schema: &Value, schemas: &Map<String, Value>) -> Result<Value> {
    match schema {
        Value::Null | Value::Bool(false) => Ok(Value::Null),
        Value::String(text) => {
            let (kind, description) = extract_description(text);
            if SCALAR_TYPES.contains(&kind) {
                let mut out = Map::new();
                out.insert("type".to_owned(), json!(kind));
                if let Some(description) = description {
                    out.insert("description".to_owned(), json!(description));
                }
                return Ok(Value::Object(out));
            }
            resolve(kind, description, schemas)
        }
        Value::Object(map) => {
            let is_json_schema_type = map
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| SCALAR_TYPES.contains(&t) || t == "object" || t == "array");
            if is_json_schema_type {
                return Ok(schema.clone());
            }
            if map.get("properties").is_some_and(Value::is_object) {
                let mut out = map.clone();
                out.insert("type".to_owned(), json!("object"));
                return Ok(Value::Object(out));
            }
            parse_pico(schema, schemas)
        }
        other => parse_pico(other, schemas),
    }
}

fn resolve(name: &str, description: Option<&str>, schemas: &Map<String, Value>) -> Result<Value> {
    let mut schema = schemas.get(name).filter(|s| !s.is_null()).cloned().ok_or_else(|| {
        error(format!("Picoschema: unsupported scalar type or unknown schema '{name}'")).with_detail("schema", name)
    })?;
    if let (Some(description), Value::Object(map)) = (description, &mut schema) {
        map.insert("description".to_owned(), json!(description));
    }
    Ok(schema)
}

fn make_nullable(schema: &mut Value) {
    if let Some(Value::String(kind)) = schema.get("type") {
        let kind = kind.clone();
        schema["type"] = json!([kind, "null"]);
    }
}

fn parse_pico(node: &Value, schemas: &Map<String, Value>) -> Result<Value> {
    let map = match node {
        Value::String(text) => {
            let (kind, description) = extract_description(text);
            if !SCALAR_TYPES.contains(&kind) {
                return resolve(kind, description, schemas);
            }
            let mut out = Map::new();
            if kind != "any" {
                out.insert("type".to_owned(), json!(kind));
            }
            if let Some(description) = description {
                out.insert("description".to_owned(), json!(description));
            }
            return Ok(Value::Object(out));
        }
        Value::Object(map) => map,
        other => {
            let mut text = String::new();
            crate::json::write_js_json(&mut text, other);
            return Err(error(format!("Picoschema: only consists of objects and strings. Got: {text}")));
        }
    };
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut additional = Value::Bool(false);
    for (key, value) in map {
        if key == WILDCARD {
            additional = parse_pico(value, schemas)?;
            continue;
        }
        let (name, type_info) = match key.split_once('(') {
            Some((name, info)) => (name, Some(info)),
            None => (key.as_str(), None),
        };
        let optional = name.ends_with('?');
        let name = name.strip_suffix('?').unwrap_or(name).to_owned();
        if !optional {
            required.push(json!(name));
        }
        let Some(type_info) = type_info else {
            let mut prop = parse_pico(value, schemas)?;
            if optional {
                make_nullable(&mut prop);
            }
            properties.insert(name, prop);
            continue;
        };
        let type_info = type_info.strip_suffix(')').unwrap_or(type_info);
        let (kind, description) = extract_description(type_info);
        let mut prop = match kind {
            "array" => {
                json!({"type": if optional { json!(["array", "null"]) } else { json!("array") }, "items": parse_pico(value, schemas)?})
            }
            "object" => {
                let mut prop = parse_pico(value, schemas)?;
                if optional {
                    make_nullable(&mut prop);
                }
                prop
            }
            "enum" => {
                let Value::Array(items) = value else {
                    return Err(error(format!("Picoschema: the enum '{name}' must list its values")));
                };
                let mut items = items.clone();
                if optional && !items.contains(&Value::Null) {
                    items.push(Value::Null);
                }
                json!({"enum": items})
            }
            other => {
                return Err(error(format!("Picoschema: parenthetical types must be 'object' or 'array', got: {other}")))
            }
        };
        if let (Some(description), Value::Object(map)) = (description, &mut prop) {
            map.insert("description".to_owned(), json!(description));
        }
        properties.insert(name, prop);
    }
    let mut out = Map::new();
    out.insert("type".to_owned(), json!("object"));
    out.insert("properties".to_owned(), Value::Object(properties));
    if !required.is_empty() {
        out.insert("required".to_owned(), Value::Array(required));
    }
    out.insert("additionalProperties".to_owned(), additional);
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_and_objects() {
        let none = Map::new();
        assert_eq!(
            to_json_schema(&json!("number, a count"), &none).unwrap(),
            json!({"type": "number", "description": "a count"})
        );
        let schema = json!({"a": "string", "b?": "boolean", "c(array)": "number"});
        assert_eq!(
            to_json_schema(&schema, &none).unwrap(),
            json!({"type": "object", "additionalProperties": false, "required": ["a", "c"], "properties": {
                "a": {"type": "string"}, "b": {"type": ["boolean", "null"]}, "c": {"type": "array", "items": {"type": "number"}}}})
        );
        assert_eq!(to_json_schema(&json!("Nope"), &none).unwrap_err().kind(), ErrorKind::PromptSyntax);
    }
}
