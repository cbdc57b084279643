//! The compiled form of a schema: an arena of [`Node`]s that refer to each other by
//! [`NodeId`], with every `$ref` already resolved to the node it names.
//!
//! Besides validation, this is what streaming validation walks: from a node and a property
//! name ([`Node::property`]) or an array index ([`Node::item`]) to the subschemas that apply
//! there, and from a node to what it allows (types, `enum`/`const`, `maxLength`, ...).
//! In-place applicators (`$ref`, `allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`,
//! `dependentSchemas`) are not folded in: a walker follows them through [`Node::logic`].

use super::instance::{Instance, Kind};
use super::pattern::Pattern;
use serde_json::{Number, Value};

/// The index of a node in its schema's arena. Cheap to copy and to store in walker state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct NodeId(pub(crate) u32);

/// A set of JSON types, as the `type` keyword lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TypeSet(pub(crate) u8);

impl TypeSet {
    pub(crate) const NULL: TypeSet = TypeSet(1);
    pub(crate) const BOOLEAN: TypeSet = TypeSet(2);
    pub(crate) const OBJECT: TypeSet = TypeSet(4);
    pub(crate) const ARRAY: TypeSet = TypeSet(8);
    pub(crate) const NUMBER: TypeSet = TypeSet(16);
    pub(crate) const STRING: TypeSet = TypeSet(32);
    /// A number with no fractional part (`1` and `1.0` alike).
    pub(crate) const INTEGER: TypeSet = TypeSet(64);
    const NAMES: [&'static str; 7] = ["null", "boolean", "object", "array", "number", "string", "integer"];

    /// The type named `name` in a schema, if it is one of the seven.
    pub(crate) fn from_name(name: &str) -> Option<TypeSet> {
        TypeSet::NAMES.iter().position(|&n| n == name).map(|i| TypeSet(1 << i))
    }

    pub(crate) fn union(self, other: TypeSet) -> TypeSet {
        TypeSet(self.0 | other.0)
    }

    pub(crate) fn has(self, other: TypeSet) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether `value` is of one of the types (an integral number is an `integer`).
    pub(crate) fn admits<'i, I: Instance<'i>>(self, value: I) -> bool {
        match value.kind() {
            Kind::Null => self.has(TypeSet::NULL),
            Kind::Bool => self.has(TypeSet::BOOLEAN),
            Kind::Object => self.has(TypeSet::OBJECT),
            Kind::Array => self.has(TypeSet::ARRAY),
            Kind::String => self.has(TypeSet::STRING),
            Kind::Number => self.has(TypeSet::NUMBER) || (self.has(TypeSet::INTEGER) && value.as_number().is_some_and(|n| is_integer(&n))),
        }
    }

    /// The names in the set, in the order `null, boolean, object, array, number, string, integer`.
    pub(crate) fn names(self) -> impl Iterator<Item = &'static str> {
        (0..7).filter(move |i| self.0 & (1 << i) != 0).map(|i| TypeSet::NAMES[i])
    }
}

/// Whether a JSON number is an integer in the JSON Schema sense: no fractional part.
pub(crate) fn is_integer(n: &Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// One compiled schema. A boolean schema is a node with nothing set (`true`) or with
/// `is_false` set. Keyword groups sit behind boxes so that a node that uses none of a group
/// costs one null pointer and one branch.
#[derive(Debug, Default, Clone)]
pub(crate) struct Node {
    /// Where the schema is: a JSON Pointer into the root document (`""` for the root), or
    /// `uri#pointer` in a document given through `SchemaOptions::resources`.
    pub(crate) path: Box<str>,
    /// The `false` schema: nothing is valid.
    pub(crate) is_false: bool,
    /// `type`; `None` allows every type.
    pub(crate) types: Option<TypeSet>,
    /// `enum`: the instance must equal one of these (JSON equality, `1 == 1.0`).
    pub(crate) enum_values: Option<Box<[Value]>>,
    /// `const`.
    pub(crate) const_value: Option<Box<Value>>,
    /// Keywords that apply to objects.
    pub(crate) object: Option<Box<ObjectRules>>,
    /// Keywords that apply to arrays.
    pub(crate) array: Option<Box<ArrayRules>>,
    /// Keywords that apply to strings.
    pub(crate) string: Option<Box<StringRules>>,
    /// Keywords that apply to numbers.
    pub(crate) number: Option<Box<NumberRules>>,
    /// In-place applicators: subschemas that apply to the same instance.
    pub(crate) logic: Option<Box<Logic>>,
    /// The schema resource this node is the root of (an `$id`, or a document), as an index
    /// into the schema's dynamic anchors: entering it extends `$dynamicRef`'s dynamic scope.
    pub(crate) resource: Option<u32>,
}

/// The `$dynamicAnchor`s of one schema resource: (name, node).
pub(crate) type DynamicAnchors = Box<[(Box<str>, NodeId)]>;

/// A list of property names.
pub(crate) type Names = Box<[Box<str>]>;

/// Object keywords.
#[derive(Debug, Default, Clone)]
pub(crate) struct ObjectRules {
    /// `properties`, sorted by name for binary search.
    pub(crate) properties: Box<[(Box<str>, NodeId)]>,
    /// For each entry of `properties`: whether it is required, and the index (in
    /// `properties`) of the property written after it in the schema. Instances usually list
    /// properties in the schema's order (models write them so), so the walk guesses the next
    /// key from the last one and checks `required` by counting, without hashing.
    pub(crate) property_facts: Box<[(bool, u32)]>,
    /// The index in `properties` of the property written first in the schema.
    pub(crate) first_property: u32,
    /// Whether every `required` name is one of `properties` (so counting covers them all).
    pub(crate) required_all_named: bool,
    /// `patternProperties`: (compiled pattern, its source, subschema).
    pub(crate) pattern_properties: Box<[(Pattern, Box<str>, NodeId)]>,
    /// `additionalProperties`: applies to properties matched by neither of the above.
    pub(crate) additional: Option<NodeId>,
    /// `required`.
    pub(crate) required: Box<[Box<str>]>,
    /// `propertyNames`: applies to each name, as a string.
    pub(crate) property_names: Option<NodeId>,
    /// `minProperties`.
    pub(crate) min_properties: Option<u64>,
    /// `maxProperties`.
    pub(crate) max_properties: Option<u64>,
    /// `dependentRequired` (and the array form of draft-07 `dependencies`).
    pub(crate) dependent_required: Box<[(Box<str>, Names)]>,
    /// `dependentSchemas` (and the schema form of draft-07 `dependencies`): in place, when the
    /// property is present.
    pub(crate) dependent_schemas: Box<[(Box<str>, NodeId)]>,
    /// `unevaluatedProperties`.
    pub(crate) unevaluated: Option<NodeId>,
}

/// Array keywords, with draft-07's `items: [...]`/`additionalItems` mapped onto
/// `prefixItems`/`items`.
#[derive(Debug, Default, Clone)]
pub(crate) struct ArrayRules {
    /// `prefixItems` (draft-07: the array form of `items`): one subschema per leading index.
    pub(crate) prefix_items: Box<[NodeId]>,
    /// `items` (draft-07: `items` as one schema, or `additionalItems` after an array form):
    /// applies to every index past `prefix_items`.
    pub(crate) items: Option<NodeId>,
    /// `contains`.
    pub(crate) contains: Option<NodeId>,
    /// `minContains` (the spec's default of 1 applies when `contains` is set and this is not).
    pub(crate) min_contains: Option<u64>,
    /// `maxContains`.
    pub(crate) max_contains: Option<u64>,
    /// `minItems`.
    pub(crate) min_items: Option<u64>,
    /// `maxItems`.
    pub(crate) max_items: Option<u64>,
    /// `uniqueItems: true`.
    pub(crate) unique_items: bool,
    /// `unevaluatedItems`.
    pub(crate) unevaluated: Option<NodeId>,
}

/// String keywords.
#[derive(Debug, Default, Clone)]
pub(crate) struct StringRules {
    /// `minLength`, in Unicode code points.
    pub(crate) min_length: Option<u64>,
    /// `maxLength`, in Unicode code points.
    pub(crate) max_length: Option<u64>,
    /// `pattern`: compiled, and its source for messages.
    pub(crate) pattern: Option<(Pattern, Box<str>)>,
    /// `format`, when formats are asserted and the format is one this module knows.
    pub(crate) format: Option<super::format::Format>,
}

/// Number keywords, kept as JSON numbers so that integer limits compare exactly.
#[derive(Debug, Default, Clone)]
pub(crate) struct NumberRules {
    /// `minimum`.
    pub(crate) minimum: Option<Number>,
    /// `maximum`.
    pub(crate) maximum: Option<Number>,
    /// `exclusiveMinimum` (draft-04's boolean form is folded in at compile time).
    pub(crate) exclusive_minimum: Option<Number>,
    /// `exclusiveMaximum`.
    pub(crate) exclusive_maximum: Option<Number>,
    /// `multipleOf` (greater than zero).
    pub(crate) multiple_of: Option<Number>,
}

/// In-place applicators.
#[derive(Debug, Default, Clone)]
pub(crate) struct Logic {
    /// `$ref`, resolved.
    pub(crate) reference: Option<NodeId>,
    /// `$dynamicRef`, resolved statically like `$ref`...
    pub(crate) dynamic_reference: Option<NodeId>,
    /// ...unless its target has a `$dynamicAnchor` of the fragment's name: then the outermost
    /// resource in the dynamic scope with a `$dynamicAnchor` of that name wins.
    pub(crate) dynamic_anchor: Option<Box<str>>,
    /// `allOf`.
    pub(crate) all_of: Box<[NodeId]>,
    /// `anyOf`.
    pub(crate) any_of: Box<[NodeId]>,
    /// `oneOf`.
    pub(crate) one_of: Box<[NodeId]>,
    /// `not`.
    pub(crate) not: Option<NodeId>,
    /// `if`.
    pub(crate) if_: Option<NodeId>,
    /// `then` (ignored without `if`).
    pub(crate) then: Option<NodeId>,
    /// `else` (ignored without `if`).
    pub(crate) else_: Option<NodeId>,
}

impl Logic {
    /// Every subschema that applies in place, for walks over the graph (cycle checks).
    pub(crate) fn in_place(&self) -> impl Iterator<Item = NodeId> + '_ {
        let conditional = if self.if_.is_some() { [self.if_, self.then, self.else_] } else { [None; 3] };
        self.reference
            .into_iter()
            .chain(self.dynamic_reference)
            .chain(self.all_of.iter().copied())
            .chain(self.any_of.iter().copied())
            .chain(self.one_of.iter().copied())
            .chain(self.not)
            .chain(conditional.into_iter().flatten())
    }
}

// The walking accessors serve streaming validation, which is built on this next.
#[cfg_attr(not(test), allow(dead_code))]
impl Node {
    /// The subschemas that apply to the value of property `name` of an object, by this node's
    /// own `properties`, `patternProperties` and `additionalProperties` (in that order;
    /// `additionalProperties` only when neither of the others matched). In-place applicators
    /// in [`Node::logic`] may add more: a walker follows them too.
    pub(crate) fn property<'a>(&'a self, name: &'a str) -> impl Iterator<Item = NodeId> + 'a {
        let rules = self.object.as_deref();
        let named = rules.and_then(|r| r.named(name));
        let patterns = rules.into_iter().flat_map(move |r| {
            r.pattern_properties.iter().filter(move |(re, _, _)| re.is_match(name)).map(|(_, _, id)| *id)
        });
        let additional = rules.and_then(|r| if r.matches_named_or_pattern(name) { None } else { r.additional });
        named.into_iter().chain(patterns).chain(additional)
    }

    /// The subschema that applies to item `index` of an array by this node's own
    /// `prefixItems`/`items` (draft-07: `items`/`additionalItems`), if any.
    pub(crate) fn item(&self, index: usize) -> Option<NodeId> {
        let rules = self.array.as_deref()?;
        rules.prefix_items.get(index).copied().or(if index >= rules.prefix_items.len() { rules.items } else { None })
    }

    /// `maxLength`, for a walker that wants to stop a string early.
    pub(crate) fn max_length(&self) -> Option<u64> {
        self.string.as_ref()?.max_length
    }

    /// `maxItems`, for a walker that wants to stop an array early.
    pub(crate) fn max_items(&self) -> Option<u64> {
        self.array.as_ref()?.max_items
    }
}

impl ObjectRules {
    pub(crate) fn is_empty(&self) -> bool {
        self.properties.is_empty()
            && self.pattern_properties.is_empty()
            && self.additional.is_none()
            && self.required.is_empty()
            && self.property_names.is_none()
            && self.min_properties.is_none()
            && self.max_properties.is_none()
            && self.dependent_required.is_empty()
            && self.dependent_schemas.is_empty()
            && self.unevaluated.is_none()
    }

    /// The `properties` subschema for `name`.
    pub(crate) fn named(&self, name: &str) -> Option<NodeId> {
        self.properties.binary_search_by(|(n, _)| (**n).cmp(name)).ok().map(|i| self.properties[i].1)
    }

    #[cfg_attr(not(test), allow(dead_code))]
    /// Whether `properties` or `patternProperties` covers `name` (so `additionalProperties`
    /// does not).
    pub(crate) fn matches_named_or_pattern(&self, name: &str) -> bool {
        self.named(name).is_some() || self.pattern_properties.iter().any(|(re, _, _)| re.is_match(name))
    }
}

impl ArrayRules {
    pub(crate) fn is_empty(&self) -> bool {
        self.prefix_items.is_empty()
            && self.items.is_none()
            && self.contains.is_none()
            && self.min_items.is_none()
            && self.max_items.is_none()
            && !self.unique_items
            && self.unevaluated.is_none()
    }
}

impl StringRules {
    pub(crate) fn is_empty(&self) -> bool {
        self.min_length.is_none() && self.max_length.is_none() && self.pattern.is_none() && self.format.is_none()
    }
}

impl NumberRules {
    pub(crate) fn is_empty(&self) -> bool {
        self.minimum.is_none()
            && self.maximum.is_none()
            && self.exclusive_minimum.is_none()
            && self.exclusive_maximum.is_none()
            && self.multiple_of.is_none()
    }
}

impl Logic {
    pub(crate) fn is_empty(&self) -> bool {
        self.in_place().next().is_none() && self.then.is_none() && self.else_.is_none()
    }
}
