//! Schema documents to the node arena: one pass over each document that allocates a node
//! per subschema and records every `$id`, `$anchor` and location, then the `$ref`s resolved
//! against those records, then a check that no chain of in-place references loops.

use super::format::Format;
use super::node::{ArrayRules, DynamicAnchors, Logic, Node, NodeId, NumberRules, ObjectRules, StringRules, TypeSet};
use super::uri;
use super::{Draft, SchemaOptions};
use crate::error::{Error, ErrorKind, Result};
use super::pattern::Pattern;
use regex_lite::Regex;
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// How deeply subschemas may nest within one document. Compilation recurses once per level,
/// so this bounds its stack; real schemas stay far below.
const MAX_SCHEMA_DEPTH: u32 = 200;

/// The base URI of a root document without `$id`: any absolute URI works, as long as no
/// real document is likely to claim it.
const DEFAULT_BASE: &str = "urn:bridle:schema";

/// The rules a subschema is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dialect {
    draft: Draft,
    /// Draft 2019-09 (read as 2020-12) still has the array form of `items` and `additionalItems`.
    legacy_items: bool,
}

impl Dialect {
    fn of(draft: Draft) -> Dialect {
        Dialect { draft, legacy_items: false }
    }

    /// The dialect a `$schema` URI names, if it is one this module knows.
    fn from_uri(uri: &str) -> Option<Dialect> {
        let uri = uri.trim_end_matches('#');
        if uri.ends_with("/draft/2020-12/schema") {
            Some(Dialect::of(Draft::Draft2020_12))
        } else if uri.ends_with("/draft/2019-09/schema") {
            Some(Dialect { draft: Draft::Draft2020_12, legacy_items: true })
        } else if ["draft-07", "draft-06", "draft-04", "draft-03"].iter().any(|d| uri.ends_with(&format!("/{d}/schema"))) {
            Some(Dialect::of(Draft::Draft7))
        } else {
            None
        }
    }
}

/// A `$ref` (or `$dynamicRef`) waiting for every document to be scanned.
struct PendingRef {
    node: NodeId,
    /// The reference resolved against its base: an absolute URI with an optional fragment.
    target: String,
    dynamic: bool,
    /// Where the keyword is, for the error when the target is not found.
    schema_path: String,
    written: String,
}

/// A location in one of the documents: (document index, JSON Pointer).
type Location = (usize, String);

struct Compiler<'a> {
    /// The root document first, then `SchemaOptions::resources`.
    docs: Vec<(&'a Value, String)>,
    scanned: Vec<bool>,
    nodes: Vec<Node>,
    by_location: HashMap<Location, NodeId>,
    /// Absolute URI (no fragment) of each schema resource, to where it is and its dialect.
    resources: HashMap<String, (usize, String, Dialect)>,
    /// `uri#name` of each `$anchor` (draft-07: `$id: "#name"`) to where it is.
    anchors: HashMap<String, Location>,
    refs: Vec<PendingRef>,
    formats: bool,
    default: Dialect,
    /// Per schema resource, its `$dynamicAnchor`s.
    dynamic_anchors: Vec<Vec<(Box<str>, NodeId)>>,
    /// Base URI of each schema resource to its index in `dynamic_anchors`.
    resource_index: HashMap<String, u32>,
}

/// A compiled schema: the node arena (the root is node 0) and, per schema resource, its
/// `$dynamicAnchor`s, which `$dynamicRef` looks through at validation time.
pub(crate) struct Compiled {
    pub(crate) nodes: Vec<Node>,
    pub(crate) dynamic_anchors: Vec<DynamicAnchors>,
}

/// Compiles `schema` into its node arena; the root is node 0.
pub(crate) fn compile(schema: &Value, options: &SchemaOptions) -> Result<Compiled> {
    let default = Dialect::of(options.draft.unwrap_or(Draft::Draft2020_12));
    let mut compiler = Compiler {
        docs: vec![(schema, String::new())],
        scanned: vec![true],
        nodes: Vec::new(),
        by_location: HashMap::new(),
        resources: HashMap::new(),
        anchors: HashMap::new(),
        refs: Vec::new(),
        formats: options.formats,
        default,
        dynamic_anchors: Vec::new(),
        resource_index: HashMap::new(),
    };
    for (uri, document) in &options.resources {
        compiler.docs.push((document, uri::resolve(DEFAULT_BASE, uri)));
        compiler.scanned.push(false);
    }
    compiler.resources.insert(DEFAULT_BASE.to_owned(), (0, String::new(), default));
    compiler.scan(schema, 0, String::new(), DEFAULT_BASE, default, 0)?;
    while let Some(pending) = compiler.refs.pop() {
        let target = compiler.resolve(&pending)?;
        // A `$dynamicRef` is dynamic only when its target has a `$dynamicAnchor` named as its fragment.
        let (_, fragment) = uri::split_fragment(&pending.target);
        let dynamic_anchor = pending.dynamic
            && !fragment.is_empty()
            && compiler.dynamic_anchors.iter().flatten().any(|(name, id)| **name == *fragment && *id == target);
        let dynamic_anchor = dynamic_anchor.then_some(fragment);
        let logic = compiler.nodes[pending.node.0 as usize].logic.get_or_insert_with(Default::default);
        if pending.dynamic {
            logic.dynamic_reference = Some(target);
            logic.dynamic_anchor = dynamic_anchor.map(Box::from);
        } else {
            logic.reference = Some(target);
        }
    }
    check_cycles(&compiler.nodes)?;
    Ok(Compiled { nodes: compiler.nodes, dynamic_anchors: compiler.dynamic_anchors.into_iter().map(Vec::into_boxed_slice).collect() })
}

fn invalid(path: &str, message: impl std::fmt::Display) -> Error {
    let at = if path.is_empty() { "the root".to_owned() } else { format!("'{path}'") };
    Error::new(ErrorKind::InvalidArgument, format!("invalid schema at {at}: {message}")).with_detail("schemaPath", path)
}

impl<'a> Compiler<'a> {
    /// The path shown for a location: the pointer itself in the root document, `uri#pointer`
    /// in another.
    fn display_path(&self, doc: usize, pointer: &str) -> String {
        if doc == 0 {
            pointer.to_owned()
        } else {
            format!("{}#{pointer}", self.docs[doc].1)
        }
    }

    /// Allocates nodes for `value` and every subschema in it, and records its `$id`s and
    /// anchors. `$ref`s are queued, to be resolved once every document is known.
    fn scan(&mut self, value: &'a Value, doc: usize, pointer: String, base: &str, dialect: Dialect, depth: u32) -> Result<NodeId> {
        let path = self.display_path(doc, &pointer);
        if depth > MAX_SCHEMA_DEPTH {
            return Err(invalid(&path, format!("subschemas nest more than {MAX_SCHEMA_DEPTH} levels deep")));
        }
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(Node { path: path.clone().into(), ..Node::default() });
        self.by_location.insert((doc, pointer.clone()), id);
        let map = match value {
            Value::Bool(allowed) => {
                self.nodes[id.0 as usize].is_false = !allowed;
                return Ok(id);
            }
            Value::Object(map) => map,
            _ => return Err(invalid(&path, "a schema must be an object or a boolean")),
        };
        let mut dialect = dialect;
        if depth == 0 || map.contains_key("$id") {
            if let Some(d) = map.get("$schema").and_then(Value::as_str).and_then(Dialect::from_uri) {
                dialect = d;
            }
        }
        let draft7 = dialect.draft == Draft::Draft7;
        let at = |keyword: &str| format!("{path}/{keyword}");
        let child = |keyword: &str| format!("{pointer}/{keyword}");
        // Draft 7 ignores every keyword beside `$ref`, `$id` included.
        let ref_only = draft7 && map.contains_key("$ref");
        let mut base = base.to_owned();
        let mut resource_root = depth == 0;
        if let Some(v) = map.get("$id").filter(|_| !ref_only) {
            let written = v.as_str().ok_or_else(|| invalid(&at("$id"), "must be a string"))?;
            let resolved = uri::resolve(&base, written);
            let (resource, fragment) = uri::split_fragment(&resolved);
            if !(draft7 && written.starts_with('#')) {
                base = resource.to_owned();
                resource_root = true;
                self.resources.entry(base.clone()).or_insert((doc, pointer.clone(), dialect));
            }
            if draft7 && !fragment.is_empty() {
                self.anchors.insert(format!("{base}#{fragment}"), (doc, pointer.clone()));
            }
        }
        let resource = resource_root.then(|| self.resource_index(&base));
        if !draft7 {
            for keyword in ["$anchor", "$dynamicAnchor"] {
                if let Some(v) = map.get(keyword) {
                    let name = v.as_str().ok_or_else(|| invalid(&at(keyword), "must be a string"))?;
                    self.anchors.entry(format!("{base}#{name}")).or_insert((doc, pointer.clone()));
                    if keyword == "$dynamicAnchor" {
                        let index = self.resource_index(&base);
                        self.dynamic_anchors[index as usize].push((name.into(), id));
                    }
                }
            }
        }
        // Definitions are scanned (for their `$id`s and anchors) even beside a draft-7 `$ref`.
        for keyword in ["$defs", "definitions"] {
            if let Some(v) = map.get(keyword) {
                for (name, sub) in object_of(v, &at(keyword))? {
                    let mut p = child(keyword);
                    uri::push_segment(&mut p, name);
                    self.scan(sub, doc, p, &base, dialect, depth + 1)?;
                }
            }
        }
        let mut logic = Logic::default();
        for (keyword, dynamic) in [("$ref", false), ("$dynamicRef", true)] {
            if dynamic && draft7 {
                continue;
            }
            if let Some(v) = map.get(keyword) {
                let written = v.as_str().ok_or_else(|| invalid(&at(keyword), "must be a string"))?;
                self.refs.push(PendingRef {
                    node: id,
                    target: uri::resolve(&base, written),
                    dynamic,
                    schema_path: at(keyword),
                    written: written.to_owned(),
                });
            }
        }
        if ref_only {
            self.nodes[id.0 as usize].resource = resource;
            return Ok(id);
        }

        // Subschemas, each scanned at its own pointer.
        let sub = |this: &mut Self, value: &'a Value, pointer: String| this.scan(value, doc, pointer, &base, dialect, depth + 1);
        let mut node = Node { path: path.clone().into(), resource, ..Node::default() };

        if let Some(v) = map.get("type") {
            node.types = Some(types_of(v).ok_or_else(|| invalid(&at("type"), "must be a type name or an array of type names"))?);
        }
        if let Some(v) = map.get("enum") {
            let values = v.as_array().ok_or_else(|| invalid(&at("enum"), "must be an array"))?;
            node.enum_values = Some(values.clone().into_boxed_slice());
        }
        if let Some(v) = map.get("const") {
            node.const_value = Some(Box::new(v.clone()));
        }

        let mut object = ObjectRules::default();
        if let Some(v) = map.get("properties") {
            let mut properties = Vec::new();
            for (name, value) in object_of(v, &at("properties"))? {
                let mut p = child("properties");
                uri::push_segment(&mut p, name);
                properties.push((Box::<str>::from(name.as_str()), sub(self, value, p)?));
            }
            // Sorted for lookups, remembering the written order for the walk's guesses.
            let mut order: Vec<usize> = (0..properties.len()).collect();
            order.sort_by(|&a, &b| properties[a].0.cmp(&properties[b].0));
            let mut sorted_index = vec![0u32; properties.len()];
            for (sorted, &written) in order.iter().enumerate() {
                sorted_index[written] = sorted as u32;
            }
            object.property_facts = order.iter().map(|&written| (false, sorted_index.get(written + 1).copied().unwrap_or(0))).collect();
            object.first_property = sorted_index.first().copied().unwrap_or(0);
            object.properties = order.iter().map(|&written| properties[written].clone()).collect();
        }
        if let Some(v) = map.get("patternProperties") {
            let mut patterns = Vec::new();
            for (source, value) in object_of(v, &at("patternProperties"))? {
                let mut p = child("patternProperties");
                uri::push_segment(&mut p, source);
                let regex = compile_pattern(source, &self.display_path(doc, &p))?;
                patterns.push((regex, Box::<str>::from(source.as_str()), sub(self, value, p)?));
            }
            object.pattern_properties = patterns.into();
        }
        if let Some(v) = map.get("additionalProperties") {
            object.additional = Some(sub(self, v, child("additionalProperties"))?);
        }
        if let Some(v) = map.get("required") {
            object.required = strings_of(v).ok_or_else(|| invalid(&at("required"), "must be an array of strings"))?;
            object.required_all_named = true;
            for name in object.required.iter() {
                match object.properties.binary_search_by(|(n, _)| n.cmp(name)) {
                    Ok(i) => object.property_facts[i].0 = true,
                    Err(_) => object.required_all_named = false,
                }
            }
        }
        if let Some(v) = map.get("propertyNames") {
            object.property_names = Some(sub(self, v, child("propertyNames"))?);
        }
        object.min_properties = count_of(map, "minProperties", &at)?;
        object.max_properties = count_of(map, "maxProperties", &at)?;
        let mut dependent_required = Vec::new();
        let mut dependent_schemas = Vec::new();
        // Draft 2020-12 split `dependencies` in two; the old keyword is still read there, as
        // schemas written for both drafts use it.
        let dependencies: &[&str] = if draft7 { &["dependencies"] } else { &["dependentRequired", "dependentSchemas", "dependencies"] };
        for &keyword in dependencies {
            let Some(v) = map.get(keyword) else { continue };
            for (name, value) in object_of(v, &at(keyword))? {
                let mut p = child(keyword);
                uri::push_segment(&mut p, name);
                let name = Box::<str>::from(name.as_str());
                if keyword != "dependentSchemas" && value.is_array() || keyword == "dependentRequired" {
                    let names = strings_of(value).ok_or_else(|| invalid(&self.display_path(doc, &p), "must be an array of strings"))?;
                    dependent_required.push((name, names));
                } else {
                    dependent_schemas.push((name, sub(self, value, p)?));
                }
            }
        }
        object.dependent_required = dependent_required.into();
        object.dependent_schemas = dependent_schemas.into();
        if !draft7 {
            if let Some(v) = map.get("unevaluatedProperties") {
                object.unevaluated = Some(sub(self, v, child("unevaluatedProperties"))?);
            }
        }

        let mut array = ArrayRules::default();
        let items = map.get("items");
        if let Some(Value::Array(list)) = items.filter(|_| draft7 || dialect.legacy_items) {
            let mut prefix = Vec::new();
            for (i, value) in list.iter().enumerate() {
                prefix.push(sub(self, value, format!("{pointer}/items/{i}"))?);
            }
            array.prefix_items = prefix.into();
            if let Some(v) = map.get("additionalItems") {
                array.items = Some(sub(self, v, child("additionalItems"))?);
            }
        } else {
            if let Some(v) = items {
                array.items = Some(sub(self, v, child("items"))?);
            }
            if let Some(v) = map.get("prefixItems").filter(|_| !draft7) {
                let list = v.as_array().ok_or_else(|| invalid(&at("prefixItems"), "must be an array of schemas"))?;
                let mut prefix = Vec::new();
                for (i, value) in list.iter().enumerate() {
                    prefix.push(sub(self, value, format!("{pointer}/prefixItems/{i}"))?);
                }
                array.prefix_items = prefix.into();
            }
        }
        if let Some(v) = map.get("contains") {
            array.contains = Some(sub(self, v, child("contains"))?);
        }
        if !draft7 {
            array.min_contains = count_of(map, "minContains", &at)?;
            array.max_contains = count_of(map, "maxContains", &at)?;
            if let Some(v) = map.get("unevaluatedItems") {
                array.unevaluated = Some(sub(self, v, child("unevaluatedItems"))?);
            }
        }
        array.min_items = count_of(map, "minItems", &at)?;
        array.max_items = count_of(map, "maxItems", &at)?;
        if let Some(v) = map.get("uniqueItems") {
            array.unique_items = v.as_bool().ok_or_else(|| invalid(&at("uniqueItems"), "must be a boolean"))?;
        }

        let mut string = StringRules {
            min_length: count_of(map, "minLength", &at)?,
            max_length: count_of(map, "maxLength", &at)?,
            ..StringRules::default()
        };
        if let Some(v) = map.get("pattern") {
            let source = v.as_str().ok_or_else(|| invalid(&at("pattern"), "must be a string"))?;
            string.pattern = Some((compile_pattern(source, &at("pattern"))?, source.into()));
        }
        if let Some(v) = map.get("format") {
            let name = v.as_str().ok_or_else(|| invalid(&at("format"), "must be a string"))?;
            string.format = if self.formats { Format::from_name(name) } else { None };
        }

        let mut number = NumberRules::default();
        let limit = |keyword: &str| -> Result<Option<Number>> {
            match map.get(keyword) {
                None => Ok(None),
                Some(Value::Number(n)) => Ok(Some(n.clone())),
                // Draft 4's boolean form, folded in below.
                Some(Value::Bool(_)) if draft7 && keyword.starts_with("exclusive") => Ok(None),
                Some(_) => Err(invalid(&at(keyword), "must be a number")),
            }
        };
        number.minimum = limit("minimum")?;
        number.maximum = limit("maximum")?;
        number.exclusive_minimum = limit("exclusiveMinimum")?;
        number.exclusive_maximum = limit("exclusiveMaximum")?;
        if map.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
            number.exclusive_minimum = number.minimum.take();
        }
        if map.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
            number.exclusive_maximum = number.maximum.take();
        }
        number.multiple_of = limit("multipleOf")?;
        if number.multiple_of.as_ref().is_some_and(|n| n.as_f64().is_none_or(|f| f <= 0.0)) {
            return Err(invalid(&at("multipleOf"), "must be greater than 0"));
        }

        for (keyword, list) in [("allOf", &mut logic.all_of), ("anyOf", &mut logic.any_of), ("oneOf", &mut logic.one_of)] {
            if let Some(v) = map.get(keyword) {
                let values = v.as_array().filter(|a| !a.is_empty()).ok_or_else(|| invalid(&at(keyword), "must be a non-empty array of schemas"))?;
                let mut ids = Vec::with_capacity(values.len());
                for (i, value) in values.iter().enumerate() {
                    ids.push(sub(self, value, format!("{pointer}/{keyword}/{i}"))?);
                }
                *list = ids.into();
            }
        }
        for (keyword, slot) in [("not", &mut logic.not), ("if", &mut logic.if_), ("then", &mut logic.then), ("else", &mut logic.else_)] {
            if let Some(v) = map.get(keyword) {
                *slot = Some(sub(self, v, child(keyword))?);
            }
        }

        node.object = (!object.is_empty()).then(|| Box::new(object));
        node.array = (!array.is_empty()).then(|| Box::new(array));
        node.string = (!string.is_empty()).then(|| Box::new(string));
        node.number = (!number.is_empty()).then(|| Box::new(number));
        node.logic = (!logic.is_empty()).then(|| Box::new(logic));
        self.nodes[id.0 as usize] = node;
        Ok(id)
    }

    /// The node a pending `$ref` names, scanning documents and places that were not scanned
    /// as schemas yet (another resource, or a pointer into an unknown keyword).
    fn resolve(&mut self, pending: &PendingRef) -> Result<NodeId> {
        let not_found = || {
            invalid(&pending.schema_path, format!("cannot resolve $ref '{}' (only the schema and the documents given with it are searched)", pending.written))
        };
        let (resource, fragment) = uri::split_fragment(&pending.target);
        let fragment = uri::percent_decode(fragment);
        if !self.resources.contains_key(resource) && !self.anchors.contains_key(&pending.target) {
            // Scan the document with that URI, or failing that every unscanned one (the
            // target may be an `$id` inside one of them).
            let named = (0..self.docs.len()).find(|&d| !self.scanned[d] && self.docs[d].1 == resource);
            let docs: Vec<usize> = match named {
                Some(d) => vec![d],
                None => (0..self.docs.len()).filter(|&d| !self.scanned[d]).collect(),
            };
            for doc in docs {
                self.scan_document(doc)?;
            }
        }
        if fragment.is_empty() || fragment.starts_with('/') {
            let (doc, root, dialect) = self.resources.get(resource).cloned().ok_or_else(not_found)?;
            let pointer = root + &fragment;
            if let Some(&id) = self.by_location.get(&(doc, pointer.clone())) {
                return Ok(id);
            }
            let value = uri::lookup(self.docs[doc].0, &pointer).ok_or_else(not_found)?;
            self.scan(value, doc, pointer, resource, dialect, 1)
        } else {
            let location = self.anchors.get(&format!("{resource}#{fragment}")).ok_or_else(not_found)?;
            Ok(self.by_location[location])
        }
    }

    /// The index of the schema resource with base URI `base`, made on first use.
    fn resource_index(&mut self, base: &str) -> u32 {
        if let Some(&index) = self.resource_index.get(base) {
            return index;
        }
        let index = self.dynamic_anchors.len() as u32;
        self.dynamic_anchors.push(Vec::new());
        self.resource_index.insert(base.to_owned(), index);
        index
    }

    fn scan_document(&mut self, doc: usize) -> Result<()> {
        self.scanned[doc] = true;
        let (value, uri) = self.docs[doc].clone();
        let dialect = value.get("$schema").and_then(Value::as_str).and_then(Dialect::from_uri).unwrap_or(self.default);
        self.resources.entry(uri.clone()).or_insert((doc, String::new(), dialect));
        self.scan(value, doc, String::new(), &uri, dialect, 0)?;
        Ok(())
    }
}

fn object_of<'v>(value: &'v Value, path: &str) -> Result<&'v Map<String, Value>> {
    value.as_object().ok_or_else(|| invalid(path, "must be an object"))
}

fn types_of(value: &Value) -> Option<TypeSet> {
    match value {
        Value::String(name) => TypeSet::from_name(name),
        Value::Array(names) => names.iter().try_fold(TypeSet(0), |set, name| Some(set.union(TypeSet::from_name(name.as_str()?)?))),
        _ => None,
    }
}

fn strings_of(value: &Value) -> Option<Box<[Box<str>]>> {
    value.as_array()?.iter().map(|v| v.as_str().map(Box::from)).collect()
}

/// A non-negative integer keyword (`minLength`, ...); `2.0` counts as 2.
fn count_of(map: &Map<String, Value>, keyword: &str, at: &dyn Fn(&str) -> String) -> Result<Option<u64>> {
    let Some(v) = map.get(keyword) else { return Ok(None) };
    let count = v.as_u64().or_else(|| v.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0).map(|f| f as u64));
    count.map(Some).ok_or_else(|| invalid(&at(keyword), "must be a non-negative integer"))
}

/// Compiles an ECMA-262 pattern with the `regex` crate (see [`translate_pattern`]).
fn compile_pattern(source: &str, path: &str) -> Result<Pattern> {
    let translated = translate_pattern(source).ok_or_else(|| invalid(path, format!("pattern '{source}' is not a valid regular expression")))?;
    let regex = Regex::new(&translated).map_err(|e| {
        invalid(path, format!("pattern '{source}' is not supported (ECMA-262 patterns are run with Rust's regex crate, which has no look-around or backreferences): {e}"))
    })?;
    Ok(Pattern::new(regex, source))
}

/// An ECMA-262 pattern rewritten for the `regex` crate, where the two differ in meaning:
/// `\d` and `\w` are ASCII-only in ECMA-262 but Unicode-aware in `regex`, `\cX` names a
/// control character, `\s` takes in U+FEFF, and `\/` is a plain `/`. `None` for what is
/// not an ECMA-262 pattern: a trailing lone backslash, an unknown letter escape (`\a`).
pub(crate) fn translate_pattern(source: &str) -> Option<String> {
    let mut out = String::with_capacity(source.len() + 8);
    let mut chars = source.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next()?;
                match (escaped, in_class) {
                    ('d', false) => out.push_str("[0-9]"),
                    ('d', true) => out.push_str("0-9"),
                    ('D', false) => out.push_str("[^0-9]"),
                    ('w', false) => out.push_str("[0-9A-Za-z_]"),
                    ('w', true) => out.push_str("0-9A-Za-z_"),
                    ('W', false) => out.push_str("[^0-9A-Za-z_]"),
                    // ECMA-262's white space also has U+FEFF, which Unicode's does not.
                    ('s', false) => out.push_str("[\\s\\x{FEFF}]"),
                    ('s', true) => out.push_str("\\s\\x{FEFF}"),
                    ('S', false) => out.push_str("[^\\s\\x{FEFF}]"),
                    ('0', _) => out.push_str("\\x00"),
                    ('/', _) => out.push('/'),
                    ('c', _) => {
                        let letter = chars.next().filter(char::is_ascii_alphabetic)?;
                        out.push_str(&format!("\\x{:02X}", (letter as u8) % 32));
                    }
                    // No other letter escapes exist in ECMA-262 (with the `u` flag, as JSON
                    // Schema reads patterns); `regex` would take some (`\a`, `\z`) differently.
                    (letter, _) if letter.is_ascii_alphabetic() && !"bBnrtfvxukpPSDW".contains(letter) => return None,
                    (other, _) => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            // Literal inside an ECMA-262 class; `regex` reads them as nested classes and set
            // operators (`&&`, `~~`).
            '[' | '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// Fails when a chain of in-place references (`$ref`, `allOf`, `if`, ... without descending
/// into the instance) loops: validating would never end, so the schema is refused up front.
fn check_cycles(nodes: &[Node]) -> Result<()> {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let edges = |id: usize| -> Vec<NodeId> {
        let node = &nodes[id];
        let mut out: Vec<NodeId> = node.logic.as_ref().map(|l| l.in_place().collect()).unwrap_or_default();
        if let Some(object) = &node.object {
            out.extend(object.dependent_schemas.iter().map(|(_, id)| *id));
        }
        out
    };
    let mut state = vec![NEW; nodes.len()];
    for start in 0..nodes.len() {
        if state[start] != NEW {
            continue;
        }
        let mut stack = vec![(start, edges(start), 0usize)];
        state[start] = OPEN;
        while let Some((id, next, i)) = stack.last_mut() {
            if let Some(&NodeId(to)) = next.get(*i) {
                *i += 1;
                let to = to as usize;
                match state[to] {
                    NEW => {
                        state[to] = OPEN;
                        let e = edges(to);
                        stack.push((to, e, 0));
                    }
                    OPEN => {
                        return Err(invalid(
                            &nodes[to].path,
                            "a chain of $ref (or allOf/anyOf/oneOf/not/if) leads back here without descending into the instance, so validation would never end",
                        ));
                    }
                    _ => {}
                }
            } else {
                state[*id] = DONE;
                stack.pop();
            }
        }
    }
    Ok(())
}
