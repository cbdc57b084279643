//! Validation: one walk over the instance and the node arena together.
//!
//! Nothing is allocated while everything is valid: the instance location is a chain of
//! frames on the stack ([`Path`]), turned into a JSON Pointer only when a violation is
//! reported, and messages are built only then. In `is_valid` mode the walk stops at the
//! first failure; in collecting mode it goes on and reports every one.

use super::instance::{Instance, Kind};
use super::node::{ArrayRules, DynamicAnchors, Logic, Node, NodeId, NumberRules, ObjectRules, StringRules};
use super::Violation;
use serde_json::{Number, Value};
use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// How deeply the instance may nest where the schema descends into it. Past it a violation
/// (keyword `depth`) is reported instead of going deeper, so the stack stays bounded.
pub(crate) const MAX_INSTANCE_DEPTH: u32 = 512;

/// How many node evaluations may nest at once (instance levels and in-place applicators
/// together). Cycles of in-place references are refused at compile time; this bounds long
/// acyclic chains of them. Measured in a release build: about 300 bytes of stack per nested
/// `$ref` and 770 per instance level through `items: {"$ref": "#"}`, so both limits stay
/// well inside WebAssembly's 1 MiB stack (debug builds take about five times as much).
const MAX_NESTED_NODES: u32 = 1536;

/// One step of the instance location, on the stack.
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    key: Option<&'a str>,
    /// The array index, or the position of `key` among its object's entries (which orders
    /// violations as the document does).
    index: usize,
    depth: u32,
}

impl<'a> Path<'a> {
    pub(crate) const ROOT: Path<'static> = Path { parent: None, key: None, index: 0, depth: 0 };

    fn key(&'a self, key: &'a str, index: usize) -> Path<'a> {
        Path { parent: Some(self), key: Some(key), index, depth: self.depth + 1 }
    }

    fn index(&'a self, index: usize) -> Path<'a> {
        Path { parent: Some(self), key: None, index, depth: self.depth + 1 }
    }

    /// The frames from the root down (the root itself excluded).
    fn frames(&self) -> Vec<&Path<'a>> {
        let mut frames = Vec::with_capacity(self.depth as usize);
        let mut at = Some(self);
        while let Some(frame) = at {
            if frame.parent.is_some() {
                frames.push(frame);
            }
            at = frame.parent;
        }
        frames.reverse();
        frames
    }

    /// The location as an RFC 6901 JSON Pointer (`""` for the root).
    fn pointer(&self) -> String {
        pointer(&self.frames())
    }
}

/// The walk's state.
pub(crate) struct Validator<'s> {
    nodes: &'s [Node],
    dynamic_anchors: &'s [DynamicAnchors],
    /// The schema resources entered, outermost first, when the schema has a dynamic
    /// `$dynamicRef` (`None` otherwise, which costs nothing).
    scope: Option<Vec<u32>>,
    /// Whether violations are collected (and the walk goes on after one).
    collect: bool,
    /// Violations with the instance position they sort by.
    out: Vec<(Vec<usize>, Violation)>,
    nested: u32,
}

/// Records a failure: in `is_valid` mode returns `false` from the enclosing function at
/// once; in collecting mode reports it (building the message only now) and goes on.
macro_rules! fail {
    ($self:ident, $valid:ident, $path:expr, $keyword:expr, $node:expr, $message:expr) => {{
        $valid = false;
        if !$self.collect {
            return false;
        }
        let keyword = $keyword;
        $self.report($path, keyword, &$node.path, Some(keyword), || $message);
    }};
}

/// Folds a subschema's result in: in `is_valid` mode a failure returns at once.
macro_rules! check {
    ($self:ident, $valid:ident, $result:expr) => {{
        if !$result {
            $valid = false;
            if !$self.collect {
                return false;
            }
        }
    }};
}

impl<'s> Validator<'s> {
    pub(crate) fn new(schema: &'s super::Schema, collect: bool) -> Self {
        Validator {
            nodes: &schema.nodes,
            dynamic_anchors: &schema.dynamic_anchors,
            scope: schema.dynamic.then(Vec::new),
            collect,
            out: Vec::new(),
            nested: 0,
        }
    }

    /// The violations, in document order (a location before the ones inside it; entries in
    /// the order the document has them), keyword order within one location.
    pub(crate) fn finish(mut self) -> Vec<Violation> {
        self.out.sort_by(|a, b| a.0.cmp(&b.0));
        self.out.into_iter().map(|(_, v)| v).collect()
    }

    /// Adds a violation. Cold and out of line, with the message built by a closure here,
    /// so that the formatting's temporaries do not sit in every frame of the recursion.
    #[cold]
    #[inline(never)]
    fn report(&mut self, path: &Path<'_>, keyword: &str, schema_path: &str, suffix: Option<&str>, message: impl FnOnce() -> String) {
        let frames = path.frames();
        let position = frames.iter().map(|f| f.index).collect();
        let mut full_path = String::with_capacity(schema_path.len() + suffix.map_or(0, |s| s.len() + 1));
        full_path.push_str(schema_path);
        if let Some(suffix) = suffix {
            full_path.push('/');
            full_path.push_str(suffix);
        }
        self.out.push((position, Violation { path: pointer(&frames), keyword: keyword.to_owned(), message: message(), schema_path: full_path }));
    }

    /// Validates `value` at `path` against node `id`. `marks`, when given, collects which
    /// properties or items of `value` were evaluated (for `unevaluated*` above).
    pub(crate) fn node<'i, I: Instance<'i>>(&mut self, id: NodeId, value: I, path: &Path<'_>, marks: Option<&mut [bool]>) -> bool {
        let nodes = self.nodes;
        let node = &nodes[id.0 as usize];
        if node.is_false {
            if self.collect {
                self.report(path, "false", &node.path, None, || "no value is allowed here (the schema is false)".to_owned());
            }
            return false;
        }
        if path.depth > MAX_INSTANCE_DEPTH || self.nested >= MAX_NESTED_NODES {
            if self.collect {
                let message = || format!("is nested too deeply to validate (limits: {MAX_INSTANCE_DEPTH} levels, {MAX_NESTED_NODES} nested subschemas)");
                self.report(path, "depth", &node.path, None, message);
            }
            return false;
        }
        self.nested += 1;
        let entered = match (&mut self.scope, node.resource) {
            (Some(scope), Some(resource)) => {
                scope.push(resource);
                true
            }
            _ => false,
        };
        let own = match value.kind() {
            Kind::Object if node.object.as_ref().is_some_and(|o| o.unevaluated.is_some()) => Some(value.len()),
            Kind::Array if node.array.as_ref().is_some_and(|a| a.unevaluated.is_some()) => Some(value.len()),
            _ => None,
        };
        let valid = match own {
            None => self.keywords(node, value, path, marks),
            Some(len) => {
                let mut own = vec![false; len];
                let mut valid = self.keywords(node, value, path, Some(&mut own));
                if valid || self.collect {
                    valid &= self.unevaluated(node, value, path, &mut own);
                }
                if let Some(marks) = marks {
                    marks.iter_mut().zip(&own).for_each(|(m, o)| *m |= *o);
                }
                valid
            }
        };
        self.nested -= 1;
        if entered {
            self.scope.as_mut().map(Vec::pop);
        }
        valid
    }

    /// Validates quietly (nothing reported), keeping the annotations of a valid result.
    fn passes<'i, I: Instance<'i>>(&mut self, id: NodeId, value: I, path: &Path<'_>, marks: Option<&mut [bool]>) -> bool {
        let collect = std::mem::replace(&mut self.collect, false);
        let ok = match marks {
            None => self.node(id, value, path, None),
            Some(marks) => {
                let mut own = vec![false; marks.len()];
                let ok = self.node(id, value, path, Some(&mut own));
                if ok {
                    marks.iter_mut().zip(&own).for_each(|(m, o)| *m |= *o);
                }
                ok
            }
        };
        self.collect = collect;
        ok
    }

    #[inline(always)]
    fn keywords<'i, I: Instance<'i>>(&mut self, node: &'s Node, value: I, path: &Path<'_>, mut marks: Option<&mut [bool]>) -> bool {
        let mut valid = true;
        if let Some(types) = node.types {
            if !types.admits(value) {
                fail!(self, valid, path, "type", node, format!("must be {}, got {}", types.names().collect::<Vec<_>>().join(" or "), type_name(value)));
            }
        }
        if let Some(constant) = &node.const_value {
            if !json_equal(&**constant, value, 0) {
                fail!(self, valid, path, "const", node, format!("must be equal to {}", short_json(constant)));
            }
        }
        if let Some(values) = &node.enum_values {
            if !values.iter().any(|v| json_equal(v, value, 0)) {
                fail!(self, valid, path, "enum", node, enum_message(values));
            }
        }
        match value.kind() {
            Kind::Object => {
                if let Some(rules) = &node.object {
                    check!(self, valid, self.object(node, rules, value, path, marks.as_deref_mut()));
                }
            }
            Kind::Array => {
                if let Some(rules) = &node.array {
                    check!(self, valid, self.array(node, rules, value, path, marks.as_deref_mut()));
                }
            }
            // The value is read only when the node has keywords for it.
            Kind::String => {
                if let Some(rules) = &node.string {
                    if let Some(text) = value.as_str() {
                        check!(self, valid, self.string(node, rules, text, path));
                    }
                }
            }
            Kind::Number => {
                if let Some(rules) = &node.number {
                    if let Some(n) = value.as_number() {
                        check!(self, valid, self.number(node, rules, &n, path));
                    }
                }
            }
            _ => {}
        }
        if let Some(logic) = &node.logic {
            check!(self, valid, self.logic(node, logic, value, path, marks));
        }
        valid
    }

    #[inline(never)]
    fn object<'i, I: Instance<'i>>(&mut self, node: &'s Node, rules: &'s ObjectRules, value: I, path: &Path<'_>, mut marks: Option<&mut [bool]>) -> bool {
        let mut valid = true;
        // Violations about the object as a whole are found after its properties (required
        // names are counted on the way) but listed before theirs: they go in at `first`.
        let first = self.out.len();
        let mut required_seen = 0;
        let per_property =
            !rules.properties.is_empty() || !rules.pattern_properties.is_empty() || rules.additional.is_some() || rules.property_names.is_some();
        if per_property {
            let mut guess = rules.first_property as usize;
            for (i, (key, item)) in value.entries().enumerate() {
                let child = path.key(key, i);
                let mut matched = false;
                let named = match rules.properties.get(guess) {
                    Some((name, _)) if **name == *key => Some(guess),
                    _ => rules.properties.binary_search_by(|(name, _)| (**name).cmp(key)).ok(),
                };
                if let Some(index) = named {
                    let (required, next) = rules.property_facts[index];
                    required_seen += usize::from(required);
                    guess = next as usize;
                    matched = true;
                    check!(self, valid, self.node(rules.properties[index].1, item, &child, None));
                }
                for (regex, _, id) in rules.pattern_properties.iter() {
                    if regex.is_match(key) {
                        matched = true;
                        check!(self, valid, self.node(*id, item, &child, None));
                    }
                }
                if let Some(id) = rules.additional.filter(|_| !matched) {
                    matched = true;
                    if self.nodes[id.0 as usize].is_false {
                        fail!(self, valid, path, "additionalProperties", node, format!("must NOT have additional property '{key}'"));
                    } else {
                        check!(self, valid, self.node(id, item, &child, None));
                    }
                }
                if matched {
                    if let Some(marks) = marks.as_deref_mut() {
                        marks[i] = true;
                    }
                }
                if let Some(id) = rules.property_names {
                    check!(self, valid, self.property_name(id, key, &child));
                }
            }
        }
        for (name, id) in rules.dependent_schemas.iter() {
            if value.get(name).is_some() {
                check!(self, valid, self.node(*id, value, path, marks.as_deref_mut()));
            }
        }
        let tail = self.out.len();
        let count = value.len() as u64;
        if let Some(min) = rules.min_properties.filter(|&min| count < min) {
            fail!(self, valid, path, "minProperties", node, format!("must NOT have fewer than {min} properties"));
        }
        if let Some(max) = rules.max_properties.filter(|&max| count > max) {
            fail!(self, valid, path, "maxProperties", node, format!("must NOT have more than {max} properties"));
        }
        // Duplicate keys cannot occur in an instance, so every required property was seen once.
        let all_required = per_property && rules.required_all_named && required_seen == rules.required.len();
        if !all_required {
            for name in rules.required.iter() {
                if value.get(name).is_none() {
                    fail!(self, valid, path, "required", node, format!("must have required property '{name}'"));
                }
            }
        }
        for (name, needed) in rules.dependent_required.iter() {
            if value.get(name).is_some() {
                for other in needed.iter().filter(|other| value.get(other).is_none()) {
                    fail!(self, valid, path, "dependentRequired", node, format!("must have property '{other}' when property '{name}' is present"));
                }
            }
        }
        if self.out.len() > tail {
            self.out[first..].rotate_left(tail - first);
        }
        valid
    }

    /// `propertyNames`: the name validated as a string; its violations are reported at the
    /// property, each message saying which name it is about.
    #[cold]
    fn property_name(&mut self, id: NodeId, key: &str, path: &Path<'_>) -> bool {
        let name = Value::String(key.to_owned());
        if !self.collect {
            return self.node(id, &name, path, None);
        }
        let outer = std::mem::take(&mut self.out);
        let ok = self.node(id, &name, path, None);
        let inner = std::mem::replace(&mut self.out, outer);
        for (position, v) in inner {
            let message = format!("property name '{key}' is invalid: {}", v.message);
            self.out.push((position, Violation { path: path.pointer(), keyword: "propertyNames".to_owned(), message, schema_path: v.schema_path }));
        }
        ok
    }

    #[inline(never)]
    fn array<'i, I: Instance<'i>>(&mut self, node: &'s Node, rules: &'s ArrayRules, items: I, path: &Path<'_>, mut marks: Option<&mut [bool]>) -> bool {
        let mut valid = true;
        let count = items.len() as u64;
        if let Some(min) = rules.min_items.filter(|&min| count < min) {
            fail!(self, valid, path, "minItems", node, format!("must NOT have fewer than {min} items"));
        }
        if let Some(max) = rules.max_items.filter(|&max| count > max) {
            fail!(self, valid, path, "maxItems", node, format!("must NOT have more than {max} items"));
        }
        if rules.unique_items {
            if let Some((i, j)) = first_duplicate(items) {
                fail!(self, valid, path, "uniqueItems", node, format!("must NOT have duplicate items (items {i} and {j} are identical)"));
            }
        }
        let prefix = rules.prefix_items.len();
        if prefix > 0 || rules.items.is_some() {
            for (i, item) in items.items().enumerate() {
                let Some(id) = rules.prefix_items.get(i).copied().or(rules.items) else { break };
                let subschema = &self.nodes[id.0 as usize];
                if i >= prefix && subschema.is_false {
                    valid = false;
                    if !self.collect {
                        return false;
                    }
                    self.report(path, "items", &subschema.path, None, || format!("must NOT have more than {prefix} items"));
                    break;
                }
                check!(self, valid, self.node(id, item, &path.index(i), None));
                if let Some(marks) = marks.as_deref_mut() {
                    marks[i] = true;
                }
            }
        }
        if let Some(id) = rules.contains {
            let min = rules.min_contains.unwrap_or(1);
            let mut found = 0u64;
            for (i, item) in items.items().enumerate() {
                if self.passes(id, item, &path.index(i), None) {
                    found += 1;
                    if let Some(marks) = marks.as_deref_mut() {
                        marks[i] = true;
                    } else if found >= min && rules.max_contains.is_none() {
                        break;
                    }
                }
            }
            if found < min {
                let keyword = if rules.min_contains.is_some() { "minContains" } else { "contains" };
                fail!(self, valid, path, keyword, node, format!("must contain at least {min} valid item(s)"));
            }
            if let Some(max) = rules.max_contains.filter(|&max| found > max) {
                fail!(self, valid, path, "maxContains", node, format!("must contain at most {max} valid item(s)"));
            }
        }
        valid
    }

    #[inline(never)]
    fn string(&mut self, node: &'s Node, rules: &'s StringRules, text: &str, path: &Path<'_>) -> bool {
        let mut valid = true;
        let bytes = text.len() as u64;
        // Bytes bound code points from above (and four bytes per code point from below), so
        // counting is needed only near the limits.
        if let Some(max) = rules.max_length.filter(|&max| bytes > max && text.chars().count() as u64 > max) {
            fail!(self, valid, path, "maxLength", node, format!("must NOT have more than {max} characters"));
        }
        if let Some(min) = rules.min_length.filter(|&min| bytes < min.saturating_mul(4) && (text.chars().count() as u64) < min) {
            fail!(self, valid, path, "minLength", node, format!("must NOT have fewer than {min} characters"));
        }
        if let Some((regex, source)) = &rules.pattern {
            if !regex.is_match(text) {
                fail!(self, valid, path, "pattern", node, format!("must match pattern \"{source}\""));
            }
        }
        if let Some(format) = rules.format {
            if !format.check(text) {
                fail!(self, valid, path, "format", node, format!("must match format \"{}\"", format.name()));
            }
        }
        valid
    }

    #[inline(never)]
    fn number(&mut self, node: &'s Node, rules: &'s NumberRules, n: &Number, path: &Path<'_>) -> bool {
        let mut valid = true;
        // (limit, keyword, relation in the message, whether `compare(n, limit)` passes)
        type Check<'r> = (&'r Option<Number>, &'static str, &'static str, fn(Ordering) -> bool);
        let checks: [Check<'s>; 4] = [
            (&rules.minimum, "minimum", ">=", |o| o != Ordering::Less),
            (&rules.maximum, "maximum", "<=", |o| o != Ordering::Greater),
            (&rules.exclusive_minimum, "exclusiveMinimum", ">", |o| o == Ordering::Greater),
            (&rules.exclusive_maximum, "exclusiveMaximum", "<", |o| o == Ordering::Less),
        ];
        for (limit, keyword, relation, holds) in checks {
            if let Some(limit) = limit {
                if !holds(compare(n, limit)) {
                    fail!(self, valid, path, keyword, node, format!("must be {relation} {}", short_json(&Value::Number(limit.clone()))));
                }
            }
        }
        if let Some(divisor) = &rules.multiple_of {
            if !is_multiple(n, divisor) {
                fail!(self, valid, path, "multipleOf", node, format!("must be multiple of {}", short_json(&Value::Number(divisor.clone()))));
            }
        }
        valid
    }

    #[inline(never)]
    fn logic<'i, I: Instance<'i>>(&mut self, node: &'s Node, logic: &'s Logic, value: I, path: &Path<'_>, mut marks: Option<&mut [bool]>) -> bool {
        let mut valid = true;
        let dynamic = logic.dynamic_reference.map(|id| match (&logic.dynamic_anchor, &self.scope) {
            (Some(name), Some(scope)) => scope
                .iter()
                .find_map(|&r| self.dynamic_anchors[r as usize].iter().find(|(n, _)| n == name).map(|(_, id)| *id))
                .unwrap_or(id),
            _ => id,
        });
        for id in logic.reference.iter().chain(&dynamic).chain(logic.all_of.iter()) {
            check!(self, valid, self.node(*id, value, path, marks.as_deref_mut()));
        }
        if !logic.any_of.is_empty() {
            let mut matched = false;
            for id in logic.any_of.iter() {
                if self.passes(*id, value, path, marks.as_deref_mut()) {
                    matched = true;
                    // Every valid branch adds annotations; without them the first one is enough.
                    if marks.is_none() {
                        break;
                    }
                }
            }
            if !matched {
                fail!(self, valid, path, "anyOf", node, "must match a schema in anyOf".to_owned());
            }
        }
        if !logic.one_of.is_empty() {
            // Which branches matched, as bits (the first 64; enough for a message).
            let (mut count, mut matched) = (0usize, 0u64);
            for (i, id) in logic.one_of.iter().enumerate() {
                if self.passes(*id, value, path, marks.as_deref_mut()) {
                    count += 1;
                    matched |= 1u64.checked_shl(i as u32).unwrap_or(0);
                    if count > 1 && !self.collect {
                        break;
                    }
                }
            }
            if count != 1 {
                fail!(self, valid, path, "oneOf", node, one_of_message(matched));
            }
        }
        if let Some(id) = logic.not {
            if self.passes(id, value, path, None) {
                fail!(self, valid, path, "not", node, "must NOT be valid against the schema in not".to_owned());
            }
        }
        if let Some(id) = logic.if_ {
            let branch = if self.passes(id, value, path, marks.as_deref_mut()) { logic.then } else { logic.else_ };
            if let Some(branch) = branch {
                check!(self, valid, self.node(branch, value, path, marks));
            }
        }
        valid
    }

    /// `unevaluatedProperties` / `unevaluatedItems`: applied to every property or item that
    /// no other keyword of the node (or its valid in-place subschemas) evaluated.
    #[inline(never)]
    fn unevaluated<'i, I: Instance<'i>>(&mut self, node: &'s Node, value: I, path: &Path<'_>, own: &mut [bool]) -> bool {
        let mut valid = true;
        match value.kind() {
            Kind::Object => {
                let Some(id) = node.object.as_ref().and_then(|o| o.unevaluated) else { return true };
                for (i, (key, item)) in value.entries().enumerate() {
                    if own[i] {
                        continue;
                    }
                    if self.nodes[id.0 as usize].is_false {
                        fail!(self, valid, path, "unevaluatedProperties", node, format!("must NOT have unevaluated property '{key}'"));
                    } else {
                        check!(self, valid, self.node(id, item, &path.key(key, i), None));
                    }
                    own[i] = true;
                }
            }
            Kind::Array => {
                let Some(id) = node.array.as_ref().and_then(|a| a.unevaluated) else { return true };
                for (i, item) in value.items().enumerate() {
                    if own[i] {
                        continue;
                    }
                    if self.nodes[id.0 as usize].is_false {
                        fail!(self, valid, path, "unevaluatedItems", node, format!("must NOT have unevaluated item {i}"));
                    } else {
                        check!(self, valid, self.node(id, item, &path.index(i), None));
                    }
                    own[i] = true;
                }
            }
            _ => {}
        }
        valid
    }
}

/// The instance location of `frames` (from the root down) as an RFC 6901 JSON Pointer.
fn pointer(frames: &[&Path<'_>]) -> String {
    let mut out = String::with_capacity(frames.iter().map(|f| f.key.map_or(4, |k| k.len() + 1)).sum());
    for frame in frames {
        match frame.key {
            Some(key) => super::uri::push_segment(&mut out, key),
            None => {
                out.push('/');
                push_index(&mut out, frame.index);
            }
        }
    }
    out
}

/// Appends an index in decimal (without `to_string`'s allocation).
fn push_index(out: &mut String, mut index: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (index % 10) as u8;
        index /= 10;
        if index == 0 {
            break;
        }
    }
    digits[at..].iter().for_each(|&d| out.push(d as char));
}

fn enum_message(values: &[Value]) -> String {
    if values.len() > 8 {
        return "must be equal to one of the allowed values".to_owned();
    }
    let mut out = String::with_capacity(16 + values.len() * 12);
    out.push_str("must be one of ");
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_short_json(&mut out, value);
    }
    out
}

fn one_of_message(matched: u64) -> String {
    if matched == 0 {
        return "must match exactly one schema in oneOf (matched none)".to_owned();
    }
    let listed: Vec<String> = (0..64).filter(|i| matched & (1 << i) != 0).map(|i: u32| i.to_string()).collect();
    format!("must match exactly one schema in oneOf (matched {})", listed.join(", "))
}

fn type_name<'i, I: Instance<'i>>(value: I) -> &'static str {
    match value.kind() {
        Kind::Null => "null",
        Kind::Bool => "boolean",
        Kind::Object => "object",
        Kind::Array => "array",
        Kind::Number => "number",
        Kind::String => "string",
    }
}

/// A value as JSON for a message, as JavaScript writes it (`1` for `1.0`), cut short when long.
fn short_json(value: &Value) -> String {
    let mut text = String::new();
    push_short_json(&mut text, value);
    text
}

/// Appends [`short_json`] of `value`: past 60 characters, the first 57 and `...`.
fn push_short_json(out: &mut String, value: &Value) {
    let start = out.len();
    crate::json::write_js_json(out, value);
    if out.len() - start > 60 {
        if let Some((cut, _)) = out[start..].char_indices().nth(60) {
            let keep = out[start..].char_indices().nth(57).map_or(cut, |(i, _)| i);
            out.truncate(start + keep);
            out.push_str("...");
        }
    }
}

fn as_integer(n: &Number) -> Option<i128> {
    n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from))
}

/// Orders two JSON numbers: exactly when both are integers, as doubles otherwise.
pub(crate) fn compare(a: &Number, b: &Number) -> Ordering {
    match (as_integer(a), as_integer(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
    }
}

/// `multipleOf`: exact for integers. For doubles the quotient is checked for being whole
/// within a few units in the last place, so `0.3 / 0.1` (2.9999999999999996) counts and
/// `0.00751 / 0.0001` does not.
fn is_multiple(n: &Number, divisor: &Number) -> bool {
    if let (Some(x), Some(y)) = (as_integer(n), as_integer(divisor)) {
        return y != 0 && x % y == 0;
    }
    let (x, y) = (n.as_f64().unwrap_or(0.0), divisor.as_f64().unwrap_or(0.0));
    let quotient = x / y;
    if !quotient.is_finite() {
        // The quotient overflowed (1e308 / 0.5): the remainder still tells.
        return y != 0.0 && x % y == 0.0;
    }
    let whole = quotient.round();
    quotient == whole || (quotient - whole).abs() <= 16.0 * f64::EPSILON * whole.abs().max(1.0)
}

/// JSON equality: numbers by value (`1 == 1.0`), objects regardless of key order. Values
/// nested deeper than the instance limit count as different rather than being recursed into.
/// Generic on both sides: `const`/`enum` compare the schema's `Value`s with the instance,
/// `uniqueItems` the instance's items with each other.
pub(crate) fn json_equal<'a, 'b, A: Instance<'a>, B: Instance<'b>>(a: A, b: B, depth: u32) -> bool {
    if depth > MAX_INSTANCE_DEPTH {
        return false;
    }
    match (a.kind(), b.kind()) {
        (Kind::Null, Kind::Null) => true,
        (Kind::Bool, Kind::Bool) => a.as_bool() == b.as_bool(),
        (Kind::String, Kind::String) => a.as_str() == b.as_str(),
        (Kind::Number, Kind::Number) => match (a.as_number(), b.as_number()) {
            (Some(x), Some(y)) => compare(&x, &y) == Ordering::Equal,
            _ => false,
        },
        (Kind::Array, Kind::Array) => a.len() == b.len() && a.items().zip(b.items()).all(|(x, y)| json_equal(x, y, depth + 1)),
        (Kind::Object, Kind::Object) => {
            a.len() == b.len() && a.entries().all(|(k, v)| b.get(k).is_some_and(|w| json_equal(v, w, depth + 1)))
        }
        _ => false,
    }
}

/// The first pair of equal items, by position. Pairwise for short arrays; longer ones are
/// hashed first so that only items with equal hashes are compared.
fn first_duplicate<'i, I: Instance<'i>>(items: I) -> Option<(usize, usize)> {
    if items.len() <= 16 {
        for (j, item) in items.items().enumerate().skip(1) {
            if let Some(i) = items.items().take(j).position(|other| json_equal(other, item, 1)) {
                return Some((i, j));
            }
        }
        return None;
    }
    let all: Vec<I> = items.items().collect();
    let at = |i: usize| all[i];
    let mut hashed: Vec<(u64, usize)> = all
        .iter()
        .copied()
        .enumerate()
        .map(|(i, item)| {
            let mut hasher = DefaultHasher::new();
            hash_json(item, &mut hasher, 1);
            (hasher.finish(), i)
        })
        .collect();
    hashed.sort_unstable();
    let mut best: Option<(usize, usize)> = None;
    for run in hashed.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        for (k, &(_, j)) in run.iter().enumerate() {
            if let Some(&(_, i)) = run[..k].iter().find(|(_, i)| json_equal(at(*i), at(j), 1)) {
                let pair = (i.min(j), i.max(j));
                if best.is_none_or(|b| pair.1 < b.1 || (pair.1 == b.1 && pair.0 < b.0)) {
                    best = Some(pair);
                }
            }
        }
    }
    best
}

/// A hash consistent with [`json_equal`]: integral numbers hash alike whatever their
/// representation, object entries in any order.
fn hash_json<'i, I: Instance<'i>>(value: I, hasher: &mut DefaultHasher, depth: u32) {
    value.kind().hash(hasher);
    if depth > MAX_INSTANCE_DEPTH {
        return;
    }
    match value.kind() {
        Kind::Null => {}
        Kind::Bool => value.as_bool().hash(hasher),
        Kind::Number => {
            if let Some(n) = value.as_number() {
                match as_integer(&n) {
                    Some(i) => i.hash(hasher),
                    None => {
                        let f = n.as_f64().unwrap_or(0.0);
                        if f.fract() == 0.0 && f.abs() < 1e38 {
                            (f as i128).hash(hasher)
                        } else {
                            f.to_bits().hash(hasher)
                        }
                    }
                }
            }
        }
        Kind::String => value.as_str().hash(hasher),
        Kind::Array => {
            value.len().hash(hasher);
            value.items().for_each(|item| hash_json(item, hasher, depth + 1));
        }
        Kind::Object => {
            let mut sum = 0u64;
            for (key, item) in value.entries() {
                let mut entry = DefaultHasher::new();
                key.hash(&mut entry);
                hash_json(item, &mut entry, depth + 1);
                sum = sum.wrapping_add(entry.finish());
            }
            sum.hash(hasher);
        }
    }
}
