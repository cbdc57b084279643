//! A chain's shape, compiled once from the JSON the facade sends: composition nodes over
//! leaves. A leaf is work done outside the core (a JavaScript function, a model call, a
//! template, a guard, a parser), named by the number the facade gave it.

use crate::guard::options::{invalid, Options};
use crate::model::retry::RetryPolicy;
use crate::parse::schema::{Schema, SchemaOptions};
use crate::{Error, ErrorKind, Result};
use serde_json::Value;
use std::sync::Arc;

/// Where a node is in [`Chain::nodes`].
pub type NodeId = usize;

/// A tool of a tool loop.
#[derive(Debug, Clone)]
pub struct ToolDef {
    /// The tool's name.
    pub name: String,
    /// Its description, for the model.
    pub description: Option<String>,
    /// The JSON Schema of its arguments, as sent to the model.
    pub parameters: Value,
    /// The same, compiled: arguments are checked before the tool runs.
    pub schema: Schema,
    /// The leaf that runs it.
    pub run: u32,
    /// Whether a call needs the approval hook's yes first.
    pub needs_approval: bool,
}

/// One node of a chain.
#[derive(Debug, Clone)]
pub enum NodeKind {
    /// Work outside the core: leaf `leaf`, of kind `kind` (`fn`, `model`, `template`, `guard`, `parser`).
    Leaf {
        /// The facade's number for it.
        leaf: u32,
        /// What it is.
        kind: String,
    },
    /// Each step's output is the next one's input.
    Sequence(Vec<NodeId>),
    /// Every branch on the same input at once; the output is `{ name: output }`.
    Parallel(Vec<(String, NodeId)>),
    /// The first case whose condition gives a truthy value runs; else `otherwise`, else the input passes.
    Branch {
        /// `(condition, step)` pairs, tried in order.
        cases: Vec<(NodeId, NodeId)>,
        /// What runs when no condition holds.
        otherwise: Option<NodeId>,
    },
    /// The router's output names the route to run.
    Route {
        /// The step that picks the route.
        router: NodeId,
        /// The routes by name.
        routes: Vec<(String, NodeId)>,
        /// What runs for a name that is not a route.
        default: Option<NodeId>,
    },
    /// The step on every item of the input list, at most `concurrency` at once; the output is the list of outputs.
    Map {
        /// The step.
        step: NodeId,
        /// Items in flight at most.
        concurrency: usize,
    },
    /// Each step on the input at once; the input object with their outputs added under their names.
    Assign(Vec<(String, NodeId)>),
    /// The input, unchanged.
    Passthrough,
    /// The step, tried again on the errors in `on` (all retryable ones when empty).
    Retry {
        /// The step.
        step: NodeId,
        /// The waits and the number of attempts (`max_retries` = attempts - 1).
        policy: RetryPolicy,
        /// The error codes to retry on.
        on: Vec<ErrorKind>,
    },
    /// The steps in order until one succeeds.
    Fallbacks(Vec<NodeId>),
    /// Model → parse (repaired) → schema → output guards, re-asking with the failures.
    Reask {
        /// The model leaf.
        model: u32,
        /// The schema the answer must meet, if any.
        schema: Option<Schema>,
        /// Output guard leaves.
        guards: Vec<u32>,
        /// Attempts at most.
        max_attempts: u32,
        /// Whether syntax repair is tried before a re-ask.
        repair: bool,
        /// Tokens (input + output, all attempts) at most.
        max_tokens: Option<u64>,
        /// Cost at most, with `pricing` per token.
        max_cost: Option<f64>,
        /// Cost per input and per output token.
        pricing: (f64, f64),
    },
    /// Model with tools; calls checked, guarded, approved, run concurrently; until an answer or `max_steps`.
    Tools {
        /// The model leaf.
        model: u32,
        /// The tools.
        tools: Vec<ToolDef>,
        /// Model calls at most.
        max_steps: u32,
        /// When the last step still asks for tools: fail with `limit_exceeded` (the result so
        /// far in `details.result`), or return that result with `stoppedBy: "maxSteps"`.
        error_at_max_steps: bool,
        /// Guard leaves run on each call's arguments before it runs.
        guards: Vec<u32>,
        /// The approval leaf, asked for tools that need approval.
        approval: Option<u32>,
    },
}

/// A node and its name (for traces and events).
#[derive(Debug, Clone)]
pub struct Node {
    /// What it does.
    pub kind: NodeKind,
    /// Its name: given, or its kind (shared, as every span of the node names it).
    pub name: Arc<str>,
}

/// A compiled chain.
#[derive(Debug, Clone)]
pub struct Chain {
    /// Every node; children come before their parents.
    pub nodes: Vec<Node>,
    /// The root.
    pub root: NodeId,
}

/// Nodes deeper than this are refused (a chain is written by hand; this bounds recursion, and
/// keeps a chain's JSON description within serde_json's 128 levels).
pub const MAX_DEPTH: usize = 60;

impl Chain {
    /// Compiles a chain from its JSON description.
    pub fn from_value(value: &Value) -> Result<Chain> {
        let mut nodes = Vec::new();
        let root = read(value, "chain", &mut nodes, 0)?;
        Ok(Chain { nodes, root })
    }
}

fn read(value: &Value, path: &str, nodes: &mut Vec<Node>, depth: usize) -> Result<NodeId> {
    if depth > MAX_DEPTH {
        return Err(Error::new(ErrorKind::LimitExceeded, format!("the chain nests deeper than {MAX_DEPTH} steps"))
            .with_detail("limit", "depth"));
    }
    let kind_name =
        value.get("kind").and_then(Value::as_str).ok_or_else(|| invalid(path, format!("{path} has no 'kind'")))?;
    let child = |key: &str, nodes: &mut Vec<Node>| -> Result<NodeId> {
        let v = value.get(key).ok_or_else(|| invalid(path, format!("{path} needs '{key}'")))?;
        read(v, &format!("{path}.{key}"), nodes, depth + 1)
    };
    let list = |key: &str, nodes: &mut Vec<Node>| -> Result<Vec<NodeId>> {
        let items = value
            .get(key)
            .and_then(Value::as_array)
            .ok_or_else(|| invalid(path, format!("{path}.{key} must be a list of steps")))?;
        items.iter().enumerate().map(|(i, item)| read(item, &format!("{path}.{key}.{i}"), nodes, depth + 1)).collect()
    };
    let named = |key: &str, nodes: &mut Vec<Node>| -> Result<Vec<(String, NodeId)>> {
        let map = value
            .get(key)
            .and_then(Value::as_object)
            .ok_or_else(|| invalid(path, format!("{path}.{key} must be an object of steps")))?;
        map.iter()
            .map(|(name, item)| Ok((name.clone(), read(item, &format!("{path}.{key}.{name}"), nodes, depth + 1)?)))
            .collect()
    };
    let leaf = |key: &str| -> Result<u32> {
        value
            .get(key)
            .and_then(Value::as_u64)
            .map(|n| n as u32)
            .ok_or_else(|| invalid(path, format!("{path}.{key} must be a leaf number")))
    };
    let leaves = |key: &str| -> Result<Vec<u32>> {
        match value.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    item.as_u64()
                        .map(|n| n as u32)
                        .ok_or_else(|| invalid(path, format!("{path}.{key} must list leaf numbers")))
                })
                .collect(),
            Some(_) => Err(invalid(path, format!("{path}.{key} must list leaf numbers"))),
        }
    };
    let count = |key: &str, default: u64, max: u64| -> Result<u64> {
        match value.get(key) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => v
                .as_u64()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| invalid(&format!("{path}.{key}"), format!("{key} must be an integer from 1 to {max}"))),
        }
    };
    let kind = match kind_name {
        "leaf" => NodeKind::Leaf {
            leaf: leaf("leaf")?,
            kind: value.get("type").and_then(Value::as_str).unwrap_or("fn").to_owned(),
        },
        "sequence" => NodeKind::Sequence(list("steps", nodes)?),
        "parallel" => NodeKind::Parallel(named("branches", nodes)?),
        "branch" => {
            let items = value
                .get("cases")
                .and_then(Value::as_array)
                .ok_or_else(|| invalid(path, format!("{path}.cases must be a list")))?;
            let mut cases = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let at = format!("{path}.cases.{i}");
                let when = item.get("when").ok_or_else(|| invalid(&at, format!("{at} needs 'when'")))?;
                let then = item.get("then").ok_or_else(|| invalid(&at, format!("{at} needs 'then'")))?;
                cases.push((
                    read(when, &format!("{at}.when"), nodes, depth + 1)?,
                    read(then, &format!("{at}.then"), nodes, depth + 1)?,
                ));
            }
            let otherwise = match value.get("otherwise") {
                Some(v) if !v.is_null() => Some(read(v, &format!("{path}.otherwise"), nodes, depth + 1)?),
                _ => None,
            };
            NodeKind::Branch { cases, otherwise }
        }
        "route" => {
            let router = child("router", nodes)?;
            let routes = named("routes", nodes)?;
            let default = match value.get("default") {
                Some(v) if !v.is_null() => Some(read(v, &format!("{path}.default"), nodes, depth + 1)?),
                _ => None,
            };
            NodeKind::Route { router, routes, default }
        }
        "map" => NodeKind::Map {
            step: child("step", nodes)?,
            concurrency: count("concurrency", u32::MAX as u64, u32::MAX as u64)? as usize,
        },
        "assign" => NodeKind::Assign(named("keys", nodes)?),
        "passthrough" => NodeKind::Passthrough,
        "retry" => {
            let attempts = count("attempts", 3, 100)? as u32;
            let mut policy = RetryPolicy { max_retries: attempts - 1, ..RetryPolicy::default() };
            if let Some(backoff) = value.get("backoff").filter(|v| !v.is_null()) {
                let options = Options::new("backoff", backoff, &["initialDelay", "maxDelay", "factor", "jitter"])?;
                policy.initial_delay_ms = options.number("initialDelay", 0.0, 1e9)?.unwrap_or(policy.initial_delay_ms);
                policy.max_delay_ms = options.number("maxDelay", 0.0, 1e9)?.unwrap_or(policy.max_delay_ms);
                policy.factor = options.number("factor", 1.0, 100.0)?.unwrap_or(policy.factor);
                policy.jitter = options.number("jitter", 0.0, 1.0)?.unwrap_or(policy.jitter);
            }
            let on = match value.get("on") {
                Some(Value::Array(codes)) => codes
                    .iter()
                    .map(|code| {
                        code.as_str()
                            .and_then(ErrorKind::from_code)
                            .ok_or_else(|| invalid(&format!("{path}.on"), format!("'{code}' is not an error code")))
                    })
                    .collect::<Result<Vec<_>>>()?,
                _ => Vec::new(),
            };
            NodeKind::Retry { step: child("step", nodes)?, policy, on }
        }
        "fallbacks" => NodeKind::Fallbacks(list("steps", nodes)?),
        "reask" => {
            let schema = match value.get("schema") {
                Some(s) if !s.is_null() => Some(Schema::compile(s, &SchemaOptions::default())?),
                _ => None,
            };
            let number = |key: &str| value.get(key).and_then(Value::as_f64);
            NodeKind::Reask {
                model: leaf("model")?,
                schema,
                guards: leaves("guards")?,
                max_attempts: count("maxAttempts", 3, 100)? as u32,
                repair: value.get("repair").and_then(Value::as_bool).unwrap_or(true),
                max_tokens: value.get("maxTokens").and_then(Value::as_u64),
                max_cost: number("maxCost"),
                pricing: (
                    value.get("pricing").and_then(|p| p.get("input")).and_then(Value::as_f64).unwrap_or(0.0),
                    value.get("pricing").and_then(|p| p.get("output")).and_then(Value::as_f64).unwrap_or(0.0),
                ),
            }
        }
        "tools" => {
            let items = value
                .get("tools")
                .and_then(Value::as_array)
                .ok_or_else(|| invalid(path, format!("{path}.tools must be a list")))?;
            let mut tools = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let at = format!("{path}.tools.{i}");
                let name =
                    item.get("name").and_then(Value::as_str).ok_or_else(|| invalid(&at, format!("{at} needs a name")))?;
                let parameters = item.get("parameters").cloned().unwrap_or_else(|| serde_json::json!({"type": "object"}));
                let schema = Schema::compile(&parameters, &SchemaOptions::default()).map_err(|e| {
                    invalid(&at, format!("the parameters of tool '{name}' are not a valid schema: {}", e.message()))
                })?;
                tools.push(ToolDef {
                    name: name.to_owned(),
                    description: item.get("description").and_then(Value::as_str).map(str::to_owned),
                    parameters,
                    schema,
                    run: item
                        .get("run")
                        .and_then(Value::as_u64)
                        .ok_or_else(|| invalid(&at, format!("{at} needs a run leaf")))? as u32,
                    needs_approval: item.get("needsApproval").and_then(Value::as_bool).unwrap_or(false),
                });
            }
            NodeKind::Tools {
                model: leaf("model")?,
                tools,
                max_steps: count("maxSteps", 5, 1000)? as u32,
                error_at_max_steps: match value.get("onMaxSteps").and_then(Value::as_str).unwrap_or("error") {
                    "error" => true,
                    "return" => false,
                    other => return Err(invalid(path, format!("{path}.onMaxSteps is '{other}', not 'error' or 'return'"))),
                },
                guards: leaves("guards")?,
                approval: value.get("approval").and_then(Value::as_u64).map(|n| n as u32),
            }
        }
        other => return Err(invalid(path, format!("unknown step kind '{other}'"))),
    };
    let name: Arc<str> = value.get("name").and_then(Value::as_str).unwrap_or(kind_name).into();
    nodes.push(Node { kind, name });
    Ok(nodes.len() - 1)
}
