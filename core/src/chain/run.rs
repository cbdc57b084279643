//! One run of a chain, as a sans-I/O state machine. The driver (the facade) starts it with an
//! input, then loops: take the effects ([`Run::take`]) — leaf calls to make, sleeps, calls to
//! cancel, events to hand on, the end — and feed back each call's or sleep's result
//! ([`Run::resolve`]). The core decides everything else: the order, what runs at once, retries
//! and their waits, the re-ask and tool loops, argument checks, events and the trace.

use super::spec::{Chain, NodeId, NodeKind, ToolDef};
use super::trace::Trace;
use crate::model::error_from_json;
use crate::parse::repair::extract_json;
use crate::{Error, ErrorKind, Result};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

type TaskId = usize;

/// What an effect's answer is for.
#[derive(Debug, Clone, Copy)]
enum Wait {
    /// A leaf step's call.
    Leaf(TaskId),
    /// A retry's wait.
    Sleep(TaskId),
    /// The model call of a re-ask or tool loop.
    Model(TaskId),
    /// Output guard `index` of a re-ask loop.
    ReaskGuard(TaskId),
    /// Argument guard of tool call `call`.
    ToolGuard(TaskId, usize),
    /// The approval of tool call `call`.
    ToolApproval(TaskId, usize),
    /// Running tool call `call`.
    ToolRun(TaskId, usize),
}

#[derive(Debug)]
struct ToolCall {
    id: String,
    name: String,
    input: Value,
    tool: usize,
    guards_left: usize,
    blocked: Vec<String>,
    result: Option<std::result::Result<String, String>>,
}

#[derive(Debug)]
enum State {
    Fresh,
    Leaf,
    Sequence { index: usize },
    Gather { results: Vec<Option<Value>>, left: usize },
    Map { items: Vec<Value>, next: usize, running: usize, results: Vec<Option<Value>> },
    Branch { case: usize, chosen: bool },
    Route { chosen: bool },
    Retry { attempt: u32 },
    Fallbacks { index: usize, errors: Vec<Value> },
    Reask { messages: Vec<Value>, attempt: u32, attempts: Vec<Value>, tokens: u64, cost: f64, pending: Option<Pending> },
    Tools { messages: Vec<Value>, steps: u32, calls: Vec<ToolCall>, executed: Vec<Value>, usage: (u64, u64) },
}

/// A re-ask attempt waiting for its output guards.
#[derive(Debug)]
struct Pending {
    text: String,
    value: Value,
    failures: Vec<String>,
    guards_left: usize,
}

#[derive(Debug)]
struct Task {
    node: NodeId,
    input: Value,
    parent: Option<(TaskId, usize)>,
    span: usize,
    state: State,
    live: bool,
    children: Vec<TaskId>,
}

/// A run of a chain.
#[derive(Debug)]
pub struct Run {
    chain: Arc<Chain>,
    tasks: Vec<Task>,
    /// The effects since the last take, as comma-separated JSON (written straight to text:
    /// a leaf call per step is the hot path).
    out: String,
    waits: HashMap<u64, Wait>,
    next_effect: u64,
    trace: Trace,
    /// Whether events are written (someone listens).
    events: bool,
    finished: bool,
    rng: u64,
    now: f64,
}

/// The text of a failed step, for tool results and re-ask messages.
fn error_text(error: &Value) -> String {
    error.get("message").and_then(Value::as_str).unwrap_or("failed").to_owned()
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

/// A conversation from a step's input: a list of messages, a prompt string, or `{ messages }`.
fn messages_of(input: &Value) -> Result<Vec<Value>> {
    match input {
        Value::Array(items) => Ok(items.clone()),
        Value::String(text) => Ok(vec![json!({"role": "user", "content": text})]),
        Value::Object(map) => match map.get("messages") {
            Some(Value::Array(items)) => Ok(items.clone()),
            _ => match map.get("prompt").and_then(Value::as_str) {
                Some(text) => Ok(vec![json!({"role": "user", "content": text})]),
                None => Err(Error::new(
                    ErrorKind::InvalidData,
                    "this step needs messages: a list, a prompt string, or { messages }",
                )),
            },
        },
        _ => Err(Error::new(ErrorKind::InvalidData, "this step needs messages: a list, a prompt string, or { messages }")),
    }
}

fn error_json(error: &Error) -> Value {
    serde_json::from_str(&error.to_json()).unwrap_or(Value::Null)
}

impl Run {
    /// Starts a run of `chain` on `input` at `now_ms`; `seed` drives retry jitter (so a run
    /// replays exactly).
    pub fn start(chain: Arc<Chain>, input: Value, now_ms: f64, seed: u64) -> Run {
        Run::start_with(chain, input, now_ms, seed, true, true)
    }

    /// [`Run::start`], writing events only when `events` and keeping inputs and outputs in the
    /// trace only when `trace`: a run nobody watches does only its work.
    pub fn start_with(chain: Arc<Chain>, input: Value, now_ms: f64, seed: u64, events: bool, trace: bool) -> Run {
        let mut run = Run {
            chain,
            tasks: Vec::new(),
            out: String::new(),
            waits: HashMap::new(),
            next_effect: 1,
            trace: Trace::new(seed, trace),
            events,
            finished: false,
            rng: seed | 1,
            now: now_ms,
        };
        let root = run.chain.root;
        run.spawn(root, input, None);
        run
    }

    /// The effects since the last call.
    pub fn take(&mut self) -> Vec<Value> {
        serde_json::from_str(&self.take_json()).unwrap_or_default()
    }

    /// The effects since the last call, as a JSON array (what the bindings hand on).
    pub fn take_json(&mut self) -> String {
        let mut text = String::with_capacity(self.out.len() + 2);
        text.push('[');
        text.push_str(&self.out);
        text.push(']');
        self.out.clear();
        text
    }

    fn push(&mut self, effect: &Value) {
        if !self.out.is_empty() {
            self.out.push(',');
        }
        self.out.push_str(&effect.to_string());
    }

    /// Whether the run has ended.
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// The trace so far, as JSON.
    pub fn trace(&self) -> Value {
        self.trace.to_json()
    }

    /// Answers effect `id` at `now_ms`: `Ok(result)` (for a call `{output, usage?, findings?}`),
    /// or `Err(error)` as JSON (`{code, message, details}`). Unknown ids (cancelled calls
    /// answering late) are ignored.
    pub fn resolve(&mut self, id: u64, result: std::result::Result<Value, Value>, now_ms: f64) {
        self.now = now_ms.max(self.now);
        let Some(wait) = self.waits.remove(&id) else { return };
        let (output, meta) = match result {
            Ok(Value::Object(mut map)) => {
                let output = map.remove("output").unwrap_or(Value::Null);
                (Ok(output), Value::Object(map))
            }
            Ok(other) => (Ok(other), Value::Null),
            Err(error) => (Err(error), Value::Null),
        };
        match wait {
            Wait::Leaf(task) => {
                if let Some(usage) = meta.get("usage") {
                    self.trace.add_usage(self.tasks[task].span, usage);
                }
                if let Some(findings) = meta.get("findings").filter(|f| f.as_array().is_some_and(|a| !a.is_empty())) {
                    self.trace.set(self.tasks[task].span, "findings", findings.clone());
                    self.event(json!({"type": "guard-finding", "span": self.trace.span_id(self.tasks[task].span), "name": self.name(task), "findings": findings}));
                }
                self.finish(task, output);
            }
            Wait::Sleep(task) => {
                if self.tasks[task].live {
                    let NodeKind::Retry { step, .. } = self.chain.nodes[self.tasks[task].node].kind else { return };
                    let input = self.tasks[task].input.clone();
                    self.spawn(step, input, Some((task, 0)));
                }
            }
            Wait::Model(task) => self.model_answered(task, output, &meta),
            Wait::ReaskGuard(task) => self.reask_guard_answered(task, output),
            Wait::ToolGuard(task, call) => self.tool_guard_answered(task, call, output),
            Wait::ToolApproval(task, call) => self.tool_approved(task, call, output),
            Wait::ToolRun(task, call) => {
                let result = match output {
                    Ok(Value::String(text)) => Ok(text),
                    Ok(value) => Ok(value.to_string()),
                    Err(error) => Err(format!("Error: {}", error_text(&error))),
                };
                self.tool_done(task, call, result);
            }
        }
    }

    /// Cancels the whole run (the caller aborted): every call in flight is cancelled.
    pub fn cancel(&mut self, error: Value, now_ms: f64) {
        self.now = now_ms.max(self.now);
        if self.finished {
            return;
        }
        let root = 0;
        self.cancel_task(root);
        self.finished = true;
        self.trace.end(self.tasks[root].span, self.now, Err(&error));
        self.push(&json!({"type": "error", "error": error}));
    }

    fn random(&mut self) -> f64 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        (self.rng >> 11) as f64 / (1u64 << 53) as f64
    }

    fn name(&self, task: TaskId) -> &str {
        &self.chain.nodes[self.tasks[task].node].name
    }

    fn event(&mut self, event: Value) {
        if !self.events {
            return;
        }
        self.push(&json!({"type": "event", "event": event}));
    }

    fn effect(&mut self, wait: Wait, mut effect: Value) -> u64 {
        let id = self.next_effect;
        self.next_effect += 1;
        effect["id"] = id.into();
        self.waits.insert(id, wait);
        self.push(&effect);
        id
    }

    fn call(&mut self, wait: Wait, task: TaskId, leaf: u32, input: Value, mode: &str) {
        let span = self.trace.span_id(self.tasks[task].span);
        self.effect(wait, json!({"type": "call", "leaf": leaf, "input": input, "span": span, "mode": mode}));
    }

    fn spawn(&mut self, node: NodeId, input: Value, parent: Option<(TaskId, usize)>) -> TaskId {
        let id = self.tasks.len();
        let parent_span = parent.map(|(p, _)| self.tasks[p].span);
        let kind = kind_name(&self.chain.nodes[node].kind);
        let chain = self.chain.clone();
        let name = &chain.nodes[node].name;
        let span = self.trace.open(parent_span, name, kind, &input, self.now);
        self.tasks.push(Task { node, input, parent, span, state: State::Fresh, live: true, children: Vec::new() });
        if let Some((p, _)) = parent {
            self.tasks[p].children.push(id);
        }
        if self.events {
            let span_id = self.trace.span_id(span);
            let parent_id = parent_span.map(|s| self.trace.span_id(s));
            self.event(json!({"type": "step-start", "span": span_id, "parent": parent_id, "name": &**name, "kind": kind}));
        }
        self.begin(id);
        id
    }

    fn begin(&mut self, task: TaskId) {
        let chain = self.chain.clone();
        if let NodeKind::Leaf { leaf, kind } = &chain.nodes[self.tasks[task].node].kind {
            // The hot path (one per step): the call is written straight to JSON text.
            self.tasks[task].state = State::Leaf;
            let id = self.next_effect;
            self.next_effect += 1;
            self.waits.insert(id, Wait::Leaf(task));
            if !self.out.is_empty() {
                self.out.push(',');
            }
            let _ = write!(self.out, r#"{{"type":"call","id":{id},"leaf":{leaf},"mode":"value","kind":"#);
            crate::json::write_js_string(&mut self.out, kind);
            self.out.push_str(",\"span\":");
            if self.events {
                let span = self.trace.span_id(self.tasks[task].span);
                crate::json::write_js_string(&mut self.out, &span);
            } else {
                self.out.push_str("null");
            }
            self.out.push_str(",\"input\":");
            let _ = serde_json::to_writer(unsafe_free::StringWriter(&mut self.out), &self.tasks[task].input);
            self.out.push('}');
            return;
        }
        let input = self.tasks[task].input.clone();
        match &chain.nodes[self.tasks[task].node].kind {
            NodeKind::Leaf { .. } => unreachable!("handled above"),
            NodeKind::Sequence(steps) => {
                if steps.is_empty() {
                    return self.finish(task, Ok(input));
                }
                self.tasks[task].state = State::Sequence { index: 0 };
                self.spawn(steps[0], input, Some((task, 0)));
            }
            NodeKind::Parallel(branches) => self.gather(task, branches.iter().map(|(_, n)| *n).collect(), input),
            NodeKind::Assign(keys) => {
                if !input.is_object() {
                    return self.finish(
                        task,
                        Err(json!({"code": "invalid_data", "message": "assign needs an object input", "details": {}})),
                    );
                }
                self.gather(task, keys.iter().map(|(_, n)| *n).collect(), input)
            }
            NodeKind::Passthrough => self.finish(task, Ok(input)),
            NodeKind::Map { step, concurrency } => {
                let Value::Array(items) = input else {
                    return self.finish(
                        task,
                        Err(json!({"code": "invalid_data", "message": "map needs a list input", "details": {}})),
                    );
                };
                if items.is_empty() {
                    return self.finish(task, Ok(json!([])));
                }
                let count = items.len();
                self.tasks[task].state = State::Map { items, next: 0, running: 0, results: vec![None; count] };
                for _ in 0..(*concurrency).min(count) {
                    self.map_next(task, *step);
                }
            }
            NodeKind::Branch { cases, otherwise } => {
                if let Some((when, _)) = cases.first() {
                    self.tasks[task].state = State::Branch { case: 0, chosen: false };
                    self.spawn(*when, input, Some((task, 0)));
                } else if let Some(otherwise) = otherwise {
                    self.tasks[task].state = State::Branch { case: 0, chosen: true };
                    self.spawn(*otherwise, input, Some((task, 0)));
                } else {
                    self.finish(task, Ok(input));
                }
            }
            NodeKind::Route { router, .. } => {
                self.tasks[task].state = State::Route { chosen: false };
                self.spawn(*router, input, Some((task, 0)));
            }
            NodeKind::Retry { step, .. } => {
                self.tasks[task].state = State::Retry { attempt: 1 };
                self.spawn(*step, input, Some((task, 0)));
            }
            NodeKind::Fallbacks(steps) => {
                if steps.is_empty() {
                    return self.finish(task, Ok(input));
                }
                self.tasks[task].state = State::Fallbacks { index: 0, errors: Vec::new() };
                self.spawn(steps[0], input, Some((task, 0)));
            }
            NodeKind::Reask { .. } => match messages_of(&input) {
                Ok(messages) => {
                    self.tasks[task].state =
                        State::Reask { messages, attempt: 0, attempts: Vec::new(), tokens: 0, cost: 0.0, pending: None };
                    self.reask_call(task);
                }
                Err(error) => self.finish(task, Err(error_json(&error))),
            },
            NodeKind::Tools { .. } => match messages_of(&input) {
                Ok(messages) => {
                    self.tasks[task].state =
                        State::Tools { messages, steps: 0, calls: Vec::new(), executed: Vec::new(), usage: (0, 0) };
                    self.tools_call(task);
                }
                Err(error) => self.finish(task, Err(error_json(&error))),
            },
        }
    }

    fn gather(&mut self, task: TaskId, children: Vec<NodeId>, input: Value) {
        if children.is_empty() {
            let output = if input.is_object() && matches!(self.chain.nodes[self.tasks[task].node].kind, NodeKind::Assign(_))
            {
                input
            } else {
                json!({})
            };
            return self.finish(task, Ok(output));
        }
        self.tasks[task].state = State::Gather { results: vec![None; children.len()], left: children.len() };
        for (slot, child) in children.into_iter().enumerate() {
            if !self.tasks[task].live {
                break;
            }
            self.spawn(child, input.clone(), Some((task, slot)));
        }
    }

    fn map_next(&mut self, task: TaskId, step: NodeId) {
        let State::Map { items, next, running, .. } = &mut self.tasks[task].state else { return };
        if *next >= items.len() {
            return;
        }
        let slot = *next;
        let item = items[slot].clone();
        *next += 1;
        *running += 1;
        self.spawn(step, item, Some((task, slot)));
    }

    fn child_done(&mut self, task: TaskId, slot: usize, result: std::result::Result<Value, Value>) {
        if !self.tasks[task].live {
            return;
        }
        let chain = self.chain.clone();
        let node = &chain.nodes[self.tasks[task].node].kind;
        match node {
            NodeKind::Sequence(steps) => {
                let State::Sequence { index } = &mut self.tasks[task].state else { return };
                match result {
                    Ok(output) if *index + 1 < steps.len() => {
                        *index += 1;
                        let next = steps[*index];
                        self.spawn(next, output, Some((task, 0)));
                    }
                    other => self.finish(task, other),
                }
            }
            NodeKind::Parallel(_) | NodeKind::Assign(_) => match result {
                Err(error) => {
                    self.cancel_children(task);
                    self.finish(task, Err(error));
                }
                Ok(output) => {
                    let State::Gather { results, left } = &mut self.tasks[task].state else { return };
                    results[slot] = Some(output);
                    *left -= 1;
                    if *left == 0 {
                        let results: Vec<Value> = results.iter_mut().map(|r| r.take().unwrap_or(Value::Null)).collect();
                        let mut object = match node {
                            NodeKind::Assign(_) => self.tasks[task].input.as_object().cloned().unwrap_or_default(),
                            _ => Map::new(),
                        };
                        let names = match node {
                            NodeKind::Parallel(branches) | NodeKind::Assign(branches) => branches,
                            _ => unreachable!(),
                        };
                        for ((name, _), value) in names.iter().zip(results) {
                            object.insert(name.clone(), value);
                        }
                        self.finish(task, Ok(Value::Object(object)));
                    }
                }
            },
            NodeKind::Map { step, .. } => match result {
                Err(error) => {
                    self.cancel_children(task);
                    self.finish(task, Err(error));
                }
                Ok(output) => {
                    let State::Map { results, running, next, items } = &mut self.tasks[task].state else { return };
                    results[slot] = Some(output);
                    *running -= 1;
                    if *running == 0 && *next >= items.len() {
                        let list = results.iter_mut().map(|r| r.take().unwrap_or(Value::Null)).collect();
                        self.finish(task, Ok(Value::Array(list)));
                    } else {
                        self.map_next(task, *step);
                    }
                }
            },
            NodeKind::Branch { cases, otherwise } => {
                let State::Branch { case, chosen } = self.tasks[task].state else { return };
                if chosen {
                    return self.finish(task, result);
                }
                let input = self.tasks[task].input.clone();
                match result {
                    Err(error) => self.finish(task, Err(error)),
                    Ok(value) if truthy(&value) => {
                        self.tasks[task].state = State::Branch { case, chosen: true };
                        self.event_branch(task, json!(case));
                        self.spawn(cases[case].1, input, Some((task, 0)));
                    }
                    Ok(_) if case + 1 < cases.len() => {
                        self.tasks[task].state = State::Branch { case: case + 1, chosen: false };
                        self.spawn(cases[case + 1].0, input, Some((task, 0)));
                    }
                    Ok(_) => match otherwise {
                        Some(otherwise) => {
                            self.tasks[task].state = State::Branch { case, chosen: true };
                            self.event_branch(task, json!("otherwise"));
                            self.spawn(*otherwise, input, Some((task, 0)));
                        }
                        None => self.finish(task, Ok(input)),
                    },
                }
            }
            NodeKind::Route { routes, default, .. } => {
                let State::Route { chosen } = &mut self.tasks[task].state else { return };
                if *chosen {
                    return self.finish(task, result);
                }
                *chosen = true;
                let input = self.tasks[task].input.clone();
                match result {
                    Err(error) => self.finish(task, Err(error)),
                    Ok(value) => {
                        let name = value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
                        let target = routes.iter().find(|(route, _)| *route == name).map(|(_, n)| *n).or(*default);
                        match target {
                            Some(target) => {
                                self.event_branch(task, json!(name));
                                self.spawn(target, input, Some((task, 0)));
                            }
                            None => {
                                let known: Vec<&str> = routes.iter().map(|(r, _)| r.as_str()).collect();
                                self.finish(
                                    task,
                                    Err(json!({"code": "invalid_argument", "message": format!("the router chose '{name}', which is not a route ({})", known.join(", ")), "details": {"route": name}})),
                                )
                            }
                        }
                    }
                }
            }
            NodeKind::Retry { policy, on, .. } => {
                let State::Retry { attempt } = &mut self.tasks[task].state else { return };
                match result {
                    Ok(output) => self.finish(task, Ok(output)),
                    Err(error) => {
                        let number = *attempt;
                        let parsed = error_from_json(&error);
                        // Any error but an abort is retried, or with `on` only those codes.
                        let allowed = parsed.kind() != ErrorKind::Aborted && (on.is_empty() || on.contains(&parsed.kind()));
                        let random = self.random();
                        let mut probe = Error::new(ErrorKind::Server, "").with_detail("shouldRetry", true);
                        if let Some(after) = parsed.details().get("retryAfter") {
                            probe = probe.with_detail("retryAfter", after.clone());
                        }
                        let delay = if allowed { policy.delay(number, &probe, random) } else { None };
                        match delay {
                            Some(ms) => {
                                if let State::Retry { attempt } = &mut self.tasks[task].state {
                                    *attempt += 1;
                                }
                                let span = self.trace.span_id(self.tasks[task].span);
                                self.event(json!({"type": "retry", "span": span, "name": self.name(task), "attempt": number + 1, "delay": ms, "error": {"code": error.get("code"), "message": error.get("message")}}));
                                self.trace.push(
                                    self.tasks[task].span,
                                    "attempts",
                                    json!({"attempt": number, "error": error}),
                                );
                                self.effect(Wait::Sleep(task), json!({"type": "sleep", "ms": ms}));
                            }
                            None => {
                                let mut error = error;
                                if let Some(details) = error.get_mut("details").and_then(Value::as_object_mut) {
                                    details.insert("attempts".into(), number.into());
                                }
                                self.finish(task, Err(error));
                            }
                        }
                    }
                }
            }
            NodeKind::Fallbacks(steps) => {
                let State::Fallbacks { index, errors } = &mut self.tasks[task].state else { return };
                match result {
                    Ok(output) => self.finish(task, Ok(output)),
                    Err(error) => {
                        errors.push(error);
                        if *index + 1 < steps.len() {
                            *index += 1;
                            let next = steps[*index];
                            let input = self.tasks[task].input.clone();
                            self.spawn(next, input, Some((task, 0)));
                        } else {
                            let mut last = errors.last().cloned().unwrap_or(Value::Null);
                            let all = Value::Array(std::mem::take(errors));
                            if let Some(details) = last.get_mut("details").and_then(Value::as_object_mut) {
                                details.insert("fallbackErrors".into(), all);
                            }
                            self.finish(task, Err(last));
                        }
                    }
                }
            }
            NodeKind::Leaf { .. } | NodeKind::Passthrough | NodeKind::Reask { .. } | NodeKind::Tools { .. } => {}
        }
    }

    fn event_branch(&mut self, task: TaskId, chosen: Value) {
        self.trace.set(self.tasks[task].span, "chosen", chosen);
    }

    fn finish(&mut self, task: TaskId, result: std::result::Result<Value, Value>) {
        if !self.tasks[task].live {
            return;
        }
        self.tasks[task].live = false;
        let span = self.tasks[task].span;
        self.trace.end(span, self.now, result.as_ref());
        if self.events {
            let span_id = self.trace.span_id(span);
            let name = self.name(task).to_owned();
            let ok = result.is_ok();
            // No timings in events, so a replayed run's events are the same, bit for bit (the trace has them).
            self.event(json!({"type": "step-end", "span": span_id, "name": name, "ok": ok}));
        }
        match self.tasks[task].parent {
            Some((parent, slot)) => self.child_done(parent, slot, result),
            None => {
                self.finished = true;
                match result {
                    Ok(output) => {
                        self.event(json!({"type": "final", "output": output}));
                        self.push(&json!({"type": "done", "output": output}));
                    }
                    Err(error) => self.push(&json!({"type": "error", "error": error})),
                }
            }
        }
    }

    fn cancel_children(&mut self, task: TaskId) {
        let children = self.tasks[task].children.clone();
        for child in children {
            self.cancel_task(child);
        }
        let mine: Vec<u64> = self.waits.iter().filter(|(_, w)| wait_task(**w) == task).map(|(id, _)| *id).collect();
        for id in mine {
            self.waits.remove(&id);
            self.push(&json!({"type": "cancel", "id": id}));
        }
    }

    fn cancel_task(&mut self, task: TaskId) {
        if !self.tasks[task].live {
            return;
        }
        self.cancel_children(task);
        self.tasks[task].live = false;
        let span = self.tasks[task].span;
        self.trace.cancel(span, self.now);
    }

    // ----------------------------------------------------------------- the re-ask loop

    fn reask_call(&mut self, task: TaskId) {
        let NodeKind::Reask { model, .. } = self.chain.nodes[self.tasks[task].node].kind else { return };
        let State::Reask { messages, attempt, .. } = &mut self.tasks[task].state else { return };
        *attempt += 1;
        let input = json!({ "messages": messages });
        self.call(Wait::Model(task), task, model, input, "completion");
    }

    fn model_answered(&mut self, task: TaskId, output: std::result::Result<Value, Value>, meta: &Value) {
        if !self.tasks[task].live {
            return;
        }
        let completion = match output {
            Ok(completion) => completion,
            Err(error) => return self.finish(task, Err(error)),
        };
        if let Some(usage) = completion.get("usage").or_else(|| meta.get("usage")) {
            self.trace.add_usage(self.tasks[task].span, usage);
        }
        match self.chain.nodes[self.tasks[task].node].kind {
            NodeKind::Reask { .. } => self.reask_check(task, completion),
            NodeKind::Tools { .. } => self.tools_answered(task, completion),
            _ => {}
        }
    }

    fn reask_check(&mut self, task: TaskId, completion: Value) {
        let chain = self.chain.clone();
        let NodeKind::Reask { schema, guards, repair, pricing, .. } = &chain.nodes[self.tasks[task].node].kind else {
            return;
        };
        let text = completion.get("text").and_then(Value::as_str).unwrap_or_default().to_owned();
        let usage = completion.get("usage").cloned().unwrap_or(Value::Null);
        let input_tokens = usage.get("inputTokens").and_then(Value::as_u64).unwrap_or(0);
        let output_tokens = usage.get("outputTokens").and_then(Value::as_u64).unwrap_or(0);
        if let State::Reask { tokens, cost, .. } = &mut self.tasks[task].state {
            *tokens += input_tokens + output_tokens;
            *cost += input_tokens as f64 * pricing.0 + output_tokens as f64 * pricing.1;
        }
        let mut failures = Vec::new();
        let mut repaired = false;
        let mut value = Value::String(text.clone());
        if schema.is_some() || completion.get("object").is_some() {
            match serde_json::from_str::<Value>(&text) {
                Ok(parsed) => value = parsed,
                Err(error) if *repair => match extract_json(&text) {
                    Ok(fixed) => {
                        value = serde_json::from_str(&fixed.json).unwrap_or(Value::Null);
                        repaired = true;
                    }
                    Err(_) => failures.push(format!("the answer is not JSON ({error})")),
                },
                Err(error) => failures.push(format!("the answer is not JSON ({error})")),
            }
            if failures.is_empty() {
                if let Some(schema) = schema {
                    for violation in schema.validate(&value) {
                        let at = if violation.path.is_empty() {
                            "the answer".to_owned()
                        } else {
                            format!("'{}'", violation.path)
                        };
                        failures.push(format!("{at} {}", violation.message));
                    }
                }
            }
        }
        let record = json!({"text": text, "usage": usage, "repaired": repaired});
        if let State::Reask { attempts, attempt, .. } = &mut self.tasks[task].state {
            let mut record = record;
            record["attempt"] = (*attempt).into();
            attempts.push(record);
        }
        if failures.is_empty() && !guards.is_empty() {
            if let State::Reask { pending, .. } = &mut self.tasks[task].state {
                *pending = Some(Pending { text: text.clone(), value, failures, guards_left: guards.len() });
            }
            for guard in guards.clone() {
                self.call(Wait::ReaskGuard(task), task, guard, Value::String(text.clone()), "check");
            }
            return;
        }
        self.reask_decide(task, text, value, failures, false);
    }

    fn reask_guard_answered(&mut self, task: TaskId, output: std::result::Result<Value, Value>) {
        if !self.tasks[task].live {
            return;
        }
        let State::Reask { pending: Some(pending), .. } = &mut self.tasks[task].state else { return };
        match output {
            Ok(outcome) => {
                if outcome.get("passed").and_then(Value::as_bool) == Some(false) {
                    let messages = outcome.get("failures").and_then(Value::as_array).cloned().unwrap_or_default();
                    if messages.is_empty() {
                        pending.failures.push("an output guard failed".into());
                    }
                    for message in messages {
                        pending.failures.push(message.as_str().map_or_else(|| message.to_string(), str::to_owned));
                    }
                }
            }
            Err(error) => {
                let failed = Err(error);
                return self.finish(task, failed);
            }
        }
        pending.guards_left -= 1;
        if pending.guards_left == 0 {
            let Pending { text, value, failures, .. } = pending.take_fields();
            if let State::Reask { pending, .. } = &mut self.tasks[task].state {
                *pending = None;
            }
            let guarded = !failures.is_empty();
            self.reask_decide(task, text, value, failures, guarded);
        }
    }

    fn reask_decide(&mut self, task: TaskId, text: String, value: Value, failures: Vec<String>, guarded: bool) {
        let chain = self.chain.clone();
        let NodeKind::Reask { schema, max_attempts, max_tokens, max_cost, .. } = &chain.nodes[self.tasks[task].node].kind
        else {
            return;
        };
        let span = self.tasks[task].span;
        let State::Reask { messages, attempt, attempts, tokens, cost, .. } = &mut self.tasks[task].state else { return };
        if let Some(last) = attempts.last_mut() {
            last["failures"] = json!(failures);
        }
        let records = Value::Array(attempts.clone());
        if failures.is_empty() {
            self.trace.set(span, "attempts", records);
            let output = if schema.is_some() || !value.is_string() { value } else { Value::String(text) };
            return self.finish(task, Ok(output));
        }
        let number = *attempt;
        let over = if max_tokens.is_some_and(|max| *tokens >= max) {
            Some(("tokens", format!("{tokens} tokens used")))
        } else if max_cost.is_some_and(|max| *cost >= max) {
            Some(("cost", format!("a cost of {cost}")))
        } else {
            None
        };
        if number >= *max_attempts || over.is_some() {
            self.trace.set(span, "attempts", records.clone());
            let (kind, code) = match over {
                Some(_) => (ErrorKind::LimitExceeded, "limit_exceeded"),
                None if guarded => (ErrorKind::GuardBlocked, "guard_blocked"),
                None => (ErrorKind::Schema, "schema"),
            };
            let why = match &over {
                Some((_, spent)) => format!("the re-ask budget ran out ({spent})"),
                None => format!("after {number} attempts"),
            };
            let mut error = error_json(&Error::new(
                kind,
                format!("the model's answer is still not acceptable {why}: {}", failures.join("; ")),
            ));
            error["code"] = code.into();
            error["details"]["attempts"] = records;
            error["details"]["failures"] = json!(failures);
            if let Some((limit, _)) = over {
                error["details"]["limit"] = limit.into();
            }
            return self.finish(task, Err(error));
        }
        messages.push(json!({"role": "assistant", "content": text}));
        let list: String = failures.iter().map(|f| format!("\n- {f}")).collect();
        messages.push(json!({"role": "user", "content": format!("Your answer could not be accepted:{list}\nReply again with the corrected answer only.")}));
        let span_id = self.trace.span_id(span);
        let name = self.name(task).to_owned();
        self.event(
            json!({"type": "retry", "span": span_id, "name": name, "attempt": number + 1, "delay": 0, "failures": failures}),
        );
        self.reask_call(task);
    }

    // ----------------------------------------------------------------- the tool loop

    fn tools_call(&mut self, task: TaskId) {
        let chain = self.chain.clone();
        let NodeKind::Tools { model, tools, .. } = &chain.nodes[self.tasks[task].node].kind else { return };
        let State::Tools { messages, steps, .. } = &mut self.tasks[task].state else { return };
        *steps += 1;
        let definitions: Vec<Value> = tools.iter().map(tool_definition).collect();
        let input = json!({ "messages": messages, "tools": definitions });
        self.call(Wait::Model(task), task, *model, input, "completion");
    }

    fn tools_answered(&mut self, task: TaskId, completion: Value) {
        let chain = self.chain.clone();
        let NodeKind::Tools { tools, max_steps, error_at_max_steps, guards, approval, .. } =
            &chain.nodes[self.tasks[task].node].kind
        else {
            return;
        };
        let span = self.tasks[task].span;
        let span_id = self.trace.span_id(span);
        let State::Tools { messages, steps, calls, executed, usage } = &mut self.tasks[task].state else { return };
        if let Some(u) = completion.get("usage") {
            usage.0 += u.get("inputTokens").and_then(Value::as_u64).unwrap_or(0);
            usage.1 += u.get("outputTokens").and_then(Value::as_u64).unwrap_or(0);
        }
        let requested = completion.get("toolCalls").and_then(Value::as_array).cloned().unwrap_or_default();
        let message = completion
            .get("message")
            .cloned()
            .unwrap_or_else(|| json!({"role": "assistant", "content": completion.get("text").cloned().unwrap_or_default()}));
        messages.push(message);
        let text = completion.get("text").cloned().unwrap_or(Value::String(String::new()));
        if requested.is_empty() || *steps >= *max_steps {
            let stopped = if requested.is_empty() { "answer" } else { "maxSteps" };
            let output = json!({"text": text, "steps": *steps, "toolCalls": executed, "messages": messages, "stoppedBy": stopped, "usage": {"inputTokens": usage.0, "outputTokens": usage.1}});
            if !requested.is_empty() && *error_at_max_steps {
                let error = Error::new(
                    ErrorKind::LimitExceeded,
                    format!("the tool loop reached maxSteps ({max_steps}) with the model still calling tools"),
                )
                .with_detail("limit", "max_steps")
                .with_detail("result", output);
                return self.finish(task, Err(error_json(&error)));
            }
            return self.finish(task, Ok(output));
        }
        let mut problems = Vec::new();
        calls.clear();
        for call in &requested {
            let id = call.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
            let name = call.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
            let input = call.get("input").cloned().unwrap_or(Value::Null);
            let tool = tools.iter().position(|t| t.name == name);
            problems.push(match tool {
                None => Some(format!("Error: there is no tool named '{name}'")),
                Some(_) if input.is_null() => Some("Error: the arguments are not JSON".to_owned()),
                Some(index) => {
                    let violations = tools[index].schema.validate(&input);
                    (!violations.is_empty()).then(|| {
                        let list: Vec<String> = violations
                            .iter()
                            .map(|v| format!("{} {}", if v.path.is_empty() { "(root)" } else { &v.path }, v.message))
                            .collect();
                        format!("Error: invalid arguments: {}", list.join("; "))
                    })
                }
            });
            calls.push(ToolCall {
                id,
                name,
                input,
                tool: tool.unwrap_or(0),
                guards_left: guards.len(),
                blocked: Vec::new(),
                result: None,
            });
        }
        let announced: Vec<(String, String, Value)> =
            calls.iter().map(|c| (c.id.clone(), c.name.clone(), c.input.clone())).collect();
        for (index, ((id, name, input), problem)) in announced.into_iter().zip(problems).enumerate() {
            self.event(json!({"type": "tool-call", "span": span_id, "toolCall": {"id": id, "name": name, "input": input}}));
            if !self.tasks[task].live {
                return;
            }
            if let Some(problem) = problem {
                self.tool_done(task, index, Err(problem));
            } else if !guards.is_empty() {
                let arguments = json!({"tool": name, "input": input, "text": input.to_string()});
                for guard in guards.clone() {
                    self.call(Wait::ToolGuard(task, index), task, guard, arguments.clone(), "check");
                }
            } else {
                self.tool_approve_or_run(task, index, *approval, tools);
            }
        }
    }

    fn tool_guard_answered(&mut self, task: TaskId, index: usize, output: std::result::Result<Value, Value>) {
        if !self.tasks[task].live {
            return;
        }
        let chain = self.chain.clone();
        let NodeKind::Tools { tools, approval, .. } = &chain.nodes[self.tasks[task].node].kind else { return };
        let span_id = self.trace.span_id(self.tasks[task].span);
        let State::Tools { calls, .. } = &mut self.tasks[task].state else { return };
        let call = &mut calls[index];
        match output {
            Ok(outcome) if outcome.get("passed").and_then(Value::as_bool) == Some(false) => {
                let failures = outcome.get("failures").and_then(Value::as_array).cloned().unwrap_or_default();
                call.blocked.extend(failures.iter().map(|f| f.as_str().map_or_else(|| f.to_string(), str::to_owned)));
                if failures.is_empty() {
                    call.blocked.push("a guard failed".into());
                }
                let event = json!({"type": "guard-finding", "span": span_id, "toolCall": call.id, "failures": failures, "findings": outcome.get("findings")});
                self.event(event);
            }
            Ok(_) => {}
            Err(error) => call.blocked.push(error_text(&error)),
        }
        let State::Tools { calls, .. } = &mut self.tasks[task].state else { return };
        let call = &mut calls[index];
        call.guards_left -= 1;
        if call.guards_left == 0 {
            if call.blocked.is_empty() {
                self.tool_approve_or_run(task, index, *approval, tools);
            } else {
                let reason = format!("Error: this tool call was blocked by a guard: {}", call.blocked.join("; "));
                self.tool_done(task, index, Err(reason));
            }
        }
    }

    fn tool_approve_or_run(&mut self, task: TaskId, index: usize, approval: Option<u32>, tools: &[ToolDef]) {
        let State::Tools { calls, .. } = &self.tasks[task].state else { return };
        let call = &calls[index];
        let tool = &tools[call.tool];
        if tool.needs_approval {
            match approval {
                Some(leaf) => {
                    let input = json!({"id": call.id, "tool": call.name, "input": call.input});
                    self.call(Wait::ToolApproval(task, index), task, leaf, input, "value");
                }
                None => {
                    self.tool_done(task, index, Err("Error: this tool needs approval and no approval hook is set".into()))
                }
            }
        } else {
            let input = call.input.clone();
            self.call(Wait::ToolRun(task, index), task, tool.run, input, "value");
        }
    }

    fn tool_approved(&mut self, task: TaskId, index: usize, output: std::result::Result<Value, Value>) {
        if !self.tasks[task].live {
            return;
        }
        let chain = self.chain.clone();
        let NodeKind::Tools { tools, .. } = &chain.nodes[self.tasks[task].node].kind else { return };
        match output {
            Ok(answer) if truthy(&answer) => {
                let State::Tools { calls, .. } = &self.tasks[task].state else { return };
                let input = calls[index].input.clone();
                let run = tools[calls[index].tool].run;
                self.call(Wait::ToolRun(task, index), task, run, input, "value");
            }
            Ok(_) => self.tool_done(task, index, Err("Error: the user denied this tool call".into())),
            Err(error) => self.finish(task, Err(error)),
        }
    }

    fn tool_done(&mut self, task: TaskId, index: usize, result: std::result::Result<String, String>) {
        if !self.tasks[task].live {
            return;
        }
        let span_id = self.trace.span_id(self.tasks[task].span);
        let State::Tools { calls, .. } = &mut self.tasks[task].state else { return };
        let call = &mut calls[index];
        let (ok, content) = match &result {
            Ok(text) => (true, text.clone()),
            Err(text) => (false, text.clone()),
        };
        let event = json!({"type": "tool-result", "span": span_id, "toolCall": call.id, "name": call.name, "ok": ok, "output": content});
        call.result = Some(result);
        self.event(event);
        let State::Tools { calls, messages, executed, .. } = &mut self.tasks[task].state else { return };
        if calls.iter().all(|c| c.result.is_some()) {
            for call in calls.drain(..) {
                let (ok, content) = match call.result.unwrap_or(Err(String::new())) {
                    Ok(text) => (true, text),
                    Err(text) => (false, text),
                };
                executed.push(json!({"id": call.id, "name": call.name, "input": call.input, "ok": ok, "output": content}));
                messages.push(json!({"role": "tool", "tool_call_id": call.id, "content": content}));
            }
            self.tools_call(task);
        }
    }
}

impl Pending {
    fn take_fields(&mut self) -> Pending {
        Pending {
            text: std::mem::take(&mut self.text),
            value: std::mem::take(&mut self.value),
            failures: std::mem::take(&mut self.failures),
            guards_left: 0,
        }
    }
}

fn tool_definition(tool: &ToolDef) -> Value {
    let mut definition = Map::new();
    definition.insert("name".into(), tool.name.clone().into());
    if let Some(description) = &tool.description {
        definition.insert("description".into(), description.clone().into());
    }
    definition.insert("parameters".into(), tool.parameters.clone());
    Value::Object(definition)
}

fn wait_task(wait: Wait) -> TaskId {
    match wait {
        Wait::Leaf(t) | Wait::Sleep(t) | Wait::Model(t) | Wait::ReaskGuard(t) => t,
        Wait::ToolGuard(t, _) | Wait::ToolApproval(t, _) | Wait::ToolRun(t, _) => t,
    }
}

/// The kind of a node, as traces and events name it.
pub fn kind_name(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Leaf { .. } => "step",
        NodeKind::Sequence(_) => "sequence",
        NodeKind::Parallel(_) => "parallel",
        NodeKind::Branch { .. } => "branch",
        NodeKind::Route { .. } => "route",
        NodeKind::Map { .. } => "map",
        NodeKind::Assign(_) => "assign",
        NodeKind::Passthrough => "passthrough",
        NodeKind::Retry { .. } => "retry",
        NodeKind::Fallbacks(_) => "fallbacks",
        NodeKind::Reask { .. } => "reask",
        NodeKind::Tools { .. } => "tools",
    }
}

/// Lets serde_json write into a `String` it is appending to (what it writes is valid UTF-8).
mod unsafe_free {
    /// An `io::Write` over a `String`.
    pub struct StringWriter<'a>(pub &'a mut String);

    impl std::io::Write for StringWriter<'_> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            match std::str::from_utf8(bytes) {
                Ok(text) => {
                    self.0.push_str(text);
                    Ok(bytes.len())
                }
                Err(error) => Err(std::io::Error::new(std::io::ErrorKind::InvalidData, error)),
            }
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}
