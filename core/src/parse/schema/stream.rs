//! Streaming validation: checking a JSON document against a schema while it arrives, and
//! reporting the first violation that is already *certain* — one that no continuation of the
//! text can undo — so that a caller can stop a model's answer early.
//!
//! Certain at once: a value of a type the schema refuses (known from its first character; an
//! integer only when complete), a member that `additionalProperties: false` refuses (when its
//! name is complete), more members than `maxProperties` or items than `maxItems`, a string
//! longer than `maxLength` while it grows. Certain when a scalar completes: every keyword on it
//! (`enum`, `const`, `pattern`, `format`, bounds, and `anyOf`/`oneOf`/`not` over it). Certain
//! when a container closes: `required`, `minProperties`, `minItems`, `dependentRequired`.
//!
//! Through `$ref`, `$dynamicRef` (statically) and `allOf` the walk follows every schema that
//! applies; below `anyOf`, `oneOf`, `not` and `if` it does not (a branch failing is not yet a
//! violation), so containers there are checked only by the final validation.

use super::node::{NodeId, TypeSet};
use super::validate::{Path, Validator};
use super::{Schema, Violation};
use serde_json::Value;
use std::rc::Rc;

/// The kind of a value, known from its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::String => "string",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Null => "null",
        }
    }

    fn admitted_by(self, types: TypeSet) -> bool {
        match self {
            Kind::Object => types.has(TypeSet::OBJECT),
            Kind::Array => types.has(TypeSet::ARRAY),
            Kind::String => types.has(TypeSet::STRING),
            // An integer or not: only known once the number is complete.
            Kind::Number => types.has(TypeSet::NUMBER) || types.has(TypeSet::INTEGER),
            Kind::Boolean => types.has(TypeSet::BOOLEAN),
            Kind::Null => types.has(TypeSet::NULL),
        }
    }
}

/// The checker a [`JsonStream`](crate::parse::json_stream::JsonStream) drives with its events.
#[derive(Debug)]
pub(crate) struct StreamChecker {
    schema: Rc<Schema>,
    /// The open containers, outermost first.
    frames: Vec<Frame>,
    /// The schemas (as given, not expanded) of the value about to start.
    next: Vec<NodeId>,
    /// The string value being read: its schemas, raw text (when a keyword needs it) and length.
    string: Option<StringState>,
    violation: Option<Violation>,
}

#[derive(Debug)]
struct Frame {
    /// Where this container is, as JSON Pointer segments (decoded, unescaped).
    key: Option<String>,
    object: bool,
    /// The schemas that apply, with `$ref`s and `allOf`s followed.
    nodes: Vec<NodeId>,
    /// Members or items so far.
    count: u64,
    /// Member names seen, when a keyword needs them at the close.
    names: Vec<String>,
    track_names: bool,
    /// The current member's name (objects).
    member: String,
}

#[derive(Debug)]
struct StringState {
    nodes: Vec<NodeId>,
    raw: String,
    /// Code points so far.
    length: u64,
    max_length: Option<(u64, NodeId)>,
}

impl StreamChecker {
    pub(crate) fn new(schema: Rc<Schema>) -> StreamChecker {
        let root = schema.root();
        StreamChecker { schema, frames: Vec::new(), next: vec![root], string: None, violation: None }
    }

    /// The first certain violation, once there is one.
    pub(crate) fn violation(&self) -> Option<&Violation> {
        self.violation.as_ref()
    }

    fn done(&self) -> bool {
        self.violation.is_some()
    }

    /// Every schema that applies in place to a value of `nodes`: `$ref`, `$dynamicRef`, `allOf`.
    fn expand(&self, nodes: &[NodeId]) -> Vec<NodeId> {
        let mut out: Vec<NodeId> = Vec::with_capacity(nodes.len());
        let mut stack: Vec<NodeId> = nodes.to_vec();
        while let Some(id) = stack.pop() {
            if out.contains(&id) {
                continue;
            }
            out.push(id);
            if let Some(logic) = &self.schema.node(id).logic {
                stack.extend(logic.reference);
                stack.extend(logic.dynamic_reference);
                stack.extend(logic.all_of.iter().copied());
            }
        }
        out
    }

    fn pointer(&self, extra: Option<&str>) -> String {
        let mut path = String::new();
        for key in self.frames.iter().filter_map(|f| f.key.as_deref()).chain(extra) {
            path.push('/');
            path.push_str(&key.replace('~', "~0").replace('/', "~1"));
        }
        path
    }

    fn report(&mut self, path: String, keyword: &str, message: String, node: NodeId, schema_keyword: &str) {
        if self.violation.is_none() {
            let schema_path = format!("{}/{}", self.schema.node(node).path, schema_keyword);
            self.violation = Some(Violation { path, keyword: keyword.to_owned(), message, schema_path });
        }
    }

    /// The place of the value about to start, as its key in the parent (for paths).
    fn place(&self) -> Option<String> {
        let frame = self.frames.last()?;
        Some(if frame.object { frame.member.clone() } else { (frame.count - 1).to_string() })
    }

    /// A value starts. For an array item, call [`StreamChecker::item`] first.
    pub(crate) fn value_start(&mut self, kind: Kind) {
        if self.done() {
            return;
        }
        let given = std::mem::take(&mut self.next);
        let nodes = self.expand(&given);
        let place = self.place();
        for &id in &nodes {
            let node = self.schema.node(id);
            if node.is_false {
                let path = self.pointer(place.as_deref());
                self.report(path, "false", "no value is allowed here".to_owned(), id, "");
                return;
            }
            if let Some(types) = node.types {
                if !kind.admitted_by(types) {
                    let allowed: Vec<&str> = types.names().collect();
                    let path = self.pointer(place.as_deref());
                    self.report(path, "type", format!("must be {}, got {}", allowed.join(","), kind.name()), id, "type");
                    return;
                }
            }
        }
        match kind {
            Kind::Object | Kind::Array => {
                let needs_names = kind == Kind::Object
                    && nodes.iter().any(|&id| self.schema.node(id).object.as_ref().is_some_and(|o| !o.required.is_empty() || !o.dependent_required.is_empty()));
                self.frames.push(Frame { key: place, object: kind == Kind::Object, nodes, count: 0, names: Vec::new(), track_names: needs_names, member: String::new() });
            }
            Kind::String => {
                let max_length = nodes.iter().filter_map(|&id| self.schema.node(id).max_length().map(|m| (m, id))).min_by_key(|(m, _)| *m);
                self.string = Some(StringState { nodes: given, raw: String::new(), length: 0, max_length });
            }
            _ => self.next = given,
        }
    }

    /// An array item starts (before its `value_start`).
    pub(crate) fn item(&mut self) {
        if self.done() {
            return;
        }
        let Some(frame) = self.frames.last_mut() else { return };
        frame.count += 1;
        let index = frame.count - 1;
        let mut next = Vec::new();
        let mut too_many = None;
        for &id in &frame.nodes {
            let node = self.schema.node(id);
            next.extend(node.item(index as usize));
            if let Some(max) = node.max_items() {
                if frame.count > max {
                    too_many = Some((max, id));
                }
            }
        }
        self.next = next;
        if let Some((max, id)) = too_many {
            let path = self.pointer(None);
            self.report(path, "maxItems", format!("must NOT have more than {max} items"), id, "maxItems");
        }
    }

    /// A member name is complete (raw, as written between the quotes).
    pub(crate) fn member(&mut self, raw: &str) {
        if self.done() {
            return;
        }
        let name = decode_string(raw).unwrap_or_else(|| raw.to_owned());
        let Some(frame) = self.frames.last_mut() else { return };
        frame.count += 1;
        let mut next = Vec::new();
        let mut refused = None;
        let mut too_many = None;
        for &id in &frame.nodes {
            let node = self.schema.node(id);
            for child in node.property(&name) {
                if self.schema.node(child).is_false && node.object.as_ref().is_some_and(|o| o.additional == Some(child)) {
                    refused = Some(id);
                }
                next.push(child);
            }
            if let Some(max) = node.object.as_ref().and_then(|o| o.max_properties) {
                if frame.count > max {
                    too_many = Some((max, id));
                }
            }
        }
        if frame.track_names {
            frame.names.push(name.clone());
        }
        frame.member = name.clone();
        self.next = next;
        if let Some(id) = refused {
            let path = self.pointer(None);
            self.report(path, "additionalProperties", format!("must NOT have additional property '{name}'"), id, "additionalProperties");
        } else if let Some((max, id)) = too_many {
            let path = self.pointer(None);
            self.report(path, "maxProperties", format!("must NOT have more than {max} properties"), id, "maxProperties");
        }
    }

    /// More raw text of the string value being read (complete escapes only).
    pub(crate) fn string_text(&mut self, raw: &str) {
        if self.done() {
            return;
        }
        let Some(string) = self.string.as_mut() else { return };
        string.length += code_points(raw);
        string.raw.push_str(raw);
        if let Some((max, id)) = string.max_length {
            if string.length > max {
                let place = self.place();
                let path = self.pointer(place.as_deref());
                self.report(path, "maxLength", format!("must NOT have more than {max} characters"), id, "maxLength");
            }
        }
    }

    /// The string value is complete.
    pub(crate) fn string_end(&mut self) {
        let Some(string) = self.string.take() else { return };
        if self.done() {
            return;
        }
        // A lone surrogate escape has no Rust string: such a string is left to the final check.
        if let Some(text) = decode_string(&string.raw) {
            self.scalar(&string.nodes, &Value::String(text));
        }
    }

    /// A number, `true`, `false` or `null` is complete (its JSON text).
    pub(crate) fn scalar_end(&mut self, raw: &str) {
        if self.done() {
            return;
        }
        let nodes = std::mem::take(&mut self.next);
        if let Ok(value) = serde_json::from_str::<Value>(raw) {
            self.scalar(&nodes, &value);
        }
    }

    /// A complete scalar: every keyword of its schemas can be decided now.
    fn scalar(&mut self, nodes: &[NodeId], value: &Value) {
        for &id in nodes {
            let mut validator = Validator::new(&self.schema, true);
            validator.node(id, value, &Path::ROOT, None);
            if let Some(first) = validator.finish().into_iter().next() {
                let place = self.place();
                let path = self.pointer(place.as_deref()) + &first.path;
                self.violation = Some(Violation { path, ..first });
                return;
            }
        }
    }

    /// The innermost container is complete.
    pub(crate) fn close(&mut self) {
        let Some(frame) = self.frames.pop() else { return };
        if self.done() {
            return;
        }
        let schema = Rc::clone(&self.schema);
        let mut container = self.pointer(None);
        if let Some(key) = &frame.key {
            container.push('/');
            container.push_str(&key.replace('~', "~0").replace('/', "~1"));
        }
        for &id in &frame.nodes {
            let node = schema.node(id);
            if let Some(rules) = &node.object {
                if let Some(missing) = rules.required.iter().find(|name| !frame.names.iter().any(|n| n == &***name)) {
                    let path = container.clone();
                    self.report(path, "required", format!("must have required property '{missing}'"), id, "required");
                    return;
                }
                for (name, needed) in rules.dependent_required.iter() {
                    if frame.names.iter().any(|n| n == &**name) {
                        if let Some(other) = needed.iter().find(|other| !frame.names.iter().any(|n| n == &***other)) {
                            let path = container.clone();
                            let message = format!("must have property '{other}' when property '{name}' is present");
                            self.report(path, "dependentRequired", message, id, "dependentRequired");
                            return;
                        }
                    }
                }
                if let Some(min) = rules.min_properties {
                    if frame.count < min {
                        let path = container.clone();
                        self.report(path, "minProperties", format!("must NOT have fewer than {min} properties"), id, "minProperties");
                        return;
                    }
                }
            }
            if let Some(min) = node.array.as_ref().and_then(|a| a.min_items) {
                if frame.count < min {
                    let path = container.clone();
                    self.report(path, "minItems", format!("must NOT have fewer than {min} items"), id, "minItems");
                    return;
                }
            }
        }
    }
}

/// A raw JSON string body, decoded; `None` for a lone surrogate escape.
fn decode_string(raw: &str) -> Option<String> {
    if !raw.contains('\\') {
        return Some(raw.to_owned());
    }
    serde_json::from_str::<String>(&format!("\"{raw}\"")).ok()
}

/// Code points in a raw JSON string body made of complete escapes: an escape is one, and the
/// low half of an escaped surrogate pair adds none.
fn code_points(raw: &str) -> u64 {
    let bytes = raw.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes.get(i + 1) == Some(&b'u') {
                let low = raw.get(i + 2..i + 6).and_then(|h| u16::from_str_radix(h, 16).ok()).is_some_and(|u| (0xDC00..0xE000).contains(&u));
                count += u64::from(!low);
                i += 6;
            } else {
                count += 1;
                i += 2;
            }
        } else {
            // Count characters, not bytes: skip UTF-8 continuation bytes.
            if bytes[i] & 0xC0 != 0x80 {
                count += 1;
            }
            i += 1;
        }
    }
    count
}
