//! The trace of a run: one span per step, in a tree, with its input, output or error, times,
//! usage and findings. Span fields follow OpenTelemetry's names (`traceId`, `spanId`,
//! `parentSpanId`, `name`, `startTimeUnixNano`, `endTimeUnixNano`, `status.code`,
//! `attributes`), so a span can be handed to an OTLP exporter as it is.

use serde_json::{json, Map, Value};
use std::sync::Arc;

#[derive(Debug)]
struct Span {
    parent: Option<usize>,
    name: Arc<str>,
    kind: &'static str,
    start: f64,
    end: Option<f64>,
    status: &'static str,
    input: Value,
    output: Option<Value>,
    error: Option<Value>,
    usage: (u64, u64),
    has_usage: bool,
    attributes: Map<String, Value>,
    children: Vec<usize>,
}

/// The spans of one run.
#[derive(Debug)]
pub struct Trace {
    trace_id: String,
    spans: Vec<Span>,
    seed: u64,
    /// Whether inputs and outputs are kept (a run nobody traces keeps only the tree).
    keep_values: bool,
}

fn hex(mut state: u64, digits: usize) -> String {
    let mut out = String::with_capacity(digits);
    while out.len() < digits {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.push_str(&format!("{state:016x}"));
    }
    out.truncate(digits);
    out
}

impl Trace {
    /// An empty trace whose ids derive from `seed` (the same seed, the same ids).
    pub fn new(seed: u64, keep_values: bool) -> Trace {
        Trace { trace_id: hex(seed ^ 0x9e37_79b9_7f4a_7c15, 32), spans: Vec::new(), seed, keep_values }
    }

    /// Opens a span; returns its index.
    pub fn open(&mut self, parent: Option<usize>, name: &Arc<str>, kind: &'static str, input: &Value, now: f64) -> usize {
        let index = self.spans.len();
        self.spans.push(Span {
            parent,
            name: name.clone(),
            kind,
            start: now,
            end: None,
            status: "unset",
            input: if self.keep_values { input.clone() } else { Value::Null },
            output: None,
            error: None,
            usage: (0, 0),
            has_usage: false,
            attributes: Map::new(),
            children: Vec::new(),
        });
        if let Some(parent) = parent {
            self.spans[parent].children.push(index);
        }
        index
    }

    /// A span's id (16 hex digits).
    pub fn span_id(&self, span: usize) -> String {
        // Made when asked for (events, traces), from the seed and the span's place.
        hex(self.seed.wrapping_add((span as u64 + 1).wrapping_mul(0x2545_f491_4f6c_dd1d)), 16)
    }

    /// Closes a span with its result.
    pub fn end(&mut self, span: usize, now: f64, result: Result<&Value, &Value>) {
        let keep_values = self.keep_values;
        let s = &mut self.spans[span];
        if s.end.is_some() {
            return;
        }
        s.end = Some(now);
        match result {
            Ok(output) => {
                s.status = "ok";
                if keep_values {
                    s.output = Some(output.clone());
                }
            }
            Err(error) => {
                s.status = "error";
                s.error = Some(error.clone());
            }
        }
    }

    /// Closes a span as cancelled.
    pub fn cancel(&mut self, span: usize, now: f64) {
        let s = &mut self.spans[span];
        if s.end.is_none() {
            s.end = Some(now);
            s.status = "cancelled";
        }
    }

    /// Adds a model call's usage (`{inputTokens, outputTokens}`) to a span.
    pub fn add_usage(&mut self, span: usize, usage: &Value) {
        let s = &mut self.spans[span];
        s.usage.0 += usage.get("inputTokens").and_then(Value::as_u64).unwrap_or(0);
        s.usage.1 += usage.get("outputTokens").and_then(Value::as_u64).unwrap_or(0);
        s.has_usage = true;
    }

    /// Sets an attribute of a span.
    pub fn set(&mut self, span: usize, key: &str, value: Value) {
        self.spans[span].attributes.insert(key.to_owned(), value);
    }

    /// Appends to a list attribute of a span.
    pub fn push(&mut self, span: usize, key: &str, value: Value) {
        let list = self.spans[span].attributes.entry(key.to_owned()).or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = list {
            items.push(value);
        }
    }

    fn span_json(&self, index: usize) -> Value {
        let s = &self.spans[index];
        let mut object = Map::new();
        object.insert("traceId".into(), self.trace_id.clone().into());
        object.insert("spanId".into(), self.span_id(index).into());
        object.insert("parentSpanId".into(), s.parent.map(|p| self.span_id(p)).into());
        object.insert("name".into(), s.name.as_ref().into());
        object.insert("kind".into(), s.kind.into());
        object.insert("startTime".into(), s.start.into());
        object.insert("endTime".into(), json!(s.end));
        object.insert("durationMs".into(), json!(s.end.map(|e| e - s.start)));
        object.insert("startTimeUnixNano".into(), format!("{}", (s.start * 1e6) as u128).into());
        object.insert("endTimeUnixNano".into(), json!(s.end.map(|e| format!("{}", (e * 1e6) as u128))));
        let code = match s.status {
            "ok" => "OK",
            "error" => "ERROR",
            _ => "UNSET",
        };
        let mut status = Map::new();
        status.insert("code".into(), code.into());
        if let Some(message) = s.error.as_ref().and_then(|e| e.get("message")) {
            status.insert("message".into(), message.clone());
        }
        object.insert("status".into(), Value::Object(status));
        object.insert("cancelled".into(), (s.status == "cancelled").into());
        object.insert("input".into(), s.input.clone());
        if let Some(output) = &s.output {
            object.insert("output".into(), output.clone());
        }
        if let Some(error) = &s.error {
            object.insert("error".into(), error.clone());
        }
        if s.has_usage {
            object.insert(
                "usage".into(),
                json!({"inputTokens": s.usage.0, "outputTokens": s.usage.1, "totalTokens": s.usage.0 + s.usage.1}),
            );
        }
        let mut attributes = s.attributes.clone();
        attributes.insert("bridle.step.kind".into(), s.kind.into());
        if s.has_usage {
            attributes.insert("gen_ai.usage.input_tokens".into(), s.usage.0.into());
            attributes.insert("gen_ai.usage.output_tokens".into(), s.usage.1.into());
        }
        object.insert("attributes".into(), Value::Object(attributes));
        object.insert("children".into(), Value::Array(s.children.iter().map(|&c| self.span_json(c)).collect()));
        Value::Object(object)
    }

    /// The trace as a tree: the root span with its `children`, recursively.
    pub fn to_json(&self) -> Value {
        if self.spans.is_empty() {
            return Value::Null;
        }
        self.span_json(0)
    }
}
