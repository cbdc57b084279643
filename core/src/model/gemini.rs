//! Google Gemini (`POST {baseURL}/models/{model}:generateContent`, and
//! `:streamGenerateContent?alt=sse` for streams). Gemini takes schemas in its OpenAPI 3.0
//! subset, so JSON Schemas for tools and `responseSchema` are converted ([`gemini_schema`]).

use super::completion::{Accumulator, Completion, FinishReason, StreamEvent, ToolCall, Usage};
use super::http::{bad_response, parse_event, HttpRequest};
use super::openai::encode_component;
use super::options::{merge_raw, put, CallOptions, ModelConfig, Output, Provider, ToolChoice};
use super::sse::SseEvent;
use crate::chat::message::to_gemini;
use crate::{Error, ErrorKind, Result};
use serde_json::{json, Map, Value};

const PROVIDER: Provider = Provider::Gemini;

/// The request for `call`.
pub fn build(config: &ModelConfig, call: &CallOptions, stream: bool, warnings: &mut Vec<String>) -> Result<HttpRequest> {
    if call.parallel_tool_calls.is_some() {
        warnings.push("gemini: parallelToolCalls has no place in generateContent and was not sent".into());
    }
    let Value::Object(mut body) = to_gemini(&call.messages)? else { unreachable!("to_gemini returns an object") };
    if !call.tools.is_empty() {
        let declarations = call
            .tools
            .iter()
            .map(|tool| {
                let mut declaration = Map::new();
                declaration.insert("name".into(), tool.name.clone().into());
                if let Some(description) = &tool.description {
                    declaration.insert("description".into(), description.clone().into());
                }
                // Gemini refuses an object schema without properties; no parameters says the same.
                let parameters = gemini_schema(&tool.parameters)?;
                if parameters.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty()) {
                    declaration.insert("parameters".into(), parameters);
                }
                Ok(Value::Object(declaration))
            })
            .collect::<Result<Vec<_>>>()?;
        body.insert("tools".into(), json!([{ "functionDeclarations": declarations }]));
    }
    if let Some(choice) = &call.tool_choice {
        let config = match choice {
            ToolChoice::Auto => json!({"mode": "AUTO"}),
            ToolChoice::None => json!({"mode": "NONE"}),
            ToolChoice::Required => json!({"mode": "ANY"}),
            ToolChoice::Tool(name) => json!({"mode": "ANY", "allowedFunctionNames": [name]}),
        };
        body.insert("toolConfig".into(), json!({ "functionCallingConfig": config }));
    }
    let mut generation = Map::new();
    put(&mut generation, "temperature", call.temperature);
    put(&mut generation, "maxOutputTokens", call.max_tokens);
    put(&mut generation, "topP", call.top_p);
    put(&mut generation, "topK", call.top_k);
    put(&mut generation, "stopSequences", (!call.stop.is_empty()).then(|| call.stop.clone()));
    put(&mut generation, "seed", call.seed);
    put(&mut generation, "presencePenalty", call.presence_penalty);
    put(&mut generation, "frequencyPenalty", call.frequency_penalty);
    match &call.output {
        Some(Output::Schema { schema, .. }) => {
            generation.insert("responseMimeType".into(), "application/json".into());
            generation.insert("responseSchema".into(), gemini_schema(schema)?);
        }
        Some(Output::Json) => {
            generation.insert("responseMimeType".into(), "application/json".into());
        }
        None => {}
    }
    if !generation.is_empty() {
        body.insert("generationConfig".into(), Value::Object(generation));
    }
    merge_raw(&mut body, &call.raw);
    let mut headers = Map::new();
    headers.insert("content-type".into(), "application/json".into());
    if let Some(key) = &config.api_key {
        headers.insert("x-goog-api-key".into(), key.clone().into());
    }
    headers.extend(config.headers.clone());
    headers.extend(call.headers.clone());
    let model = config.model.strip_prefix("models/").unwrap_or(&config.model);
    let method = if stream { "streamGenerateContent?alt=sse" } else { "generateContent" };
    let url = format!("{}/models/{}:{method}", config.base_url, encode_component(model));
    Ok(HttpRequest { url, headers, body: Value::Object(body).to_string() })
}

/// Keywords of Gemini's schema subset that carry over as they are.
const KEPT: &[&str] = &[
    "description",
    "title",
    "enum",
    "required",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "minProperties",
    "maxProperties",
    "default",
    "example",
    "propertyOrdering",
    "nullable",
];

/// Converts a JSON Schema to Gemini's OpenAPI 3.0 subset: local `$ref`s inlined, `type:
/// [T, "null"]` as `nullable`, `const` as a one-value `enum`, `oneOf` as `anyOf`, and the
/// keywords Gemini refuses (`additionalProperties`, `$schema`, formats it lacks) left out.
/// `allOf`, `not` and recursive references are `unsupported`.
pub fn gemini_schema(schema: &Value) -> Result<Value> {
    let empty = Map::new();
    let defs = schema.get("$defs").or_else(|| schema.get("definitions")).and_then(Value::as_object).unwrap_or(&empty);
    convert(schema, defs, 0)
}

fn convert(schema: &Value, defs: &Map<String, Value>, depth: usize) -> Result<Value> {
    let unsupported = |message: String| Error::new(ErrorKind::Unsupported, message).with_detail("provider", "gemini");
    if depth > 32 {
        return Err(unsupported(
            "the schema nests deeper than 32 levels or refers to itself, which Gemini's schemas cannot".into(),
        ));
    }
    let Value::Object(map) = schema else {
        return Ok(json!({}));
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        let name = reference.strip_prefix("#/$defs/").or_else(|| reference.strip_prefix("#/definitions/"));
        let target = name
            .and_then(|name| defs.get(name))
            .ok_or_else(|| unsupported(format!("cannot resolve '$ref': '{reference}'")))?;
        return convert(target, defs, depth + 1);
    }
    for keyword in ["allOf", "not"] {
        if map.contains_key(keyword) {
            return Err(unsupported(format!("Gemini's schemas have no '{keyword}'")));
        }
    }
    let mut out = Map::new();
    match map.get("type") {
        Some(Value::String(kind)) => {
            out.insert("type".into(), kind.clone().into());
        }
        Some(Value::Array(kinds)) => {
            let non_null: Vec<&Value> = kinds.iter().filter(|kind| kind.as_str() != Some("null")).collect();
            if non_null.len() < kinds.len() {
                out.insert("nullable".into(), true.into());
            }
            match non_null.as_slice() {
                [one] => {
                    out.insert("type".into(), (*one).clone());
                }
                [] => {}
                many => {
                    let mut rest = map.clone();
                    rest.remove("type");
                    let choices = many
                        .iter()
                        .map(|kind| {
                            let mut one = rest.clone();
                            one.insert("type".into(), (*kind).clone());
                            convert(&Value::Object(one), defs, depth + 1)
                        })
                        .collect::<Result<Vec<_>>>()?;
                    out.insert("anyOf".into(), Value::Array(choices));
                    return Ok(Value::Object(out));
                }
            }
        }
        _ => {}
    }
    for keyword in KEPT {
        if let Some(value) = map.get(*keyword) {
            out.insert((*keyword).into(), value.clone());
        }
    }
    if let Some(value) = map.get("const") {
        out.insert("enum".into(), json!([value]));
    }
    // Gemini takes `enum` on strings only: a string enum gets its type, any other is left out.
    if let Some(Value::Array(values)) = out.get("enum") {
        if values.iter().all(Value::is_string) {
            out.entry("type").or_insert_with(|| "string".into());
        } else {
            out.remove("enum");
        }
    }
    if let Some(format) = map.get("format").and_then(Value::as_str) {
        if matches!(format, "date-time" | "enum" | "int32" | "int64" | "float" | "double") {
            out.insert("format".into(), format.into());
        }
    }
    if let Some(Value::Object(properties)) = map.get("properties") {
        let mut converted = Map::new();
        for (name, property) in properties {
            converted.insert(name.clone(), convert(property, defs, depth + 1)?);
        }
        out.insert("properties".into(), Value::Object(converted));
    }
    if let Some(items) = map.get("items") {
        out.insert("items".into(), convert(items, defs, depth + 1)?);
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(Value::Array(choices)) = map.get(keyword) {
            let null = choices.iter().any(|choice| choice.get("type").and_then(Value::as_str) == Some("null"));
            let rest: Vec<&Value> =
                choices.iter().filter(|choice| choice.get("type").and_then(Value::as_str) != Some("null")).collect();
            if null {
                out.insert("nullable".into(), true.into());
            }
            if let [only] = rest.as_slice() {
                let Value::Object(inner) = convert(only, defs, depth + 1)? else { unreachable!() };
                for (key, value) in inner {
                    out.entry(key).or_insert(value);
                }
            } else {
                let converted = rest.iter().map(|choice| convert(choice, defs, depth + 1)).collect::<Result<Vec<_>>>()?;
                out.insert("anyOf".into(), Value::Array(converted));
            }
        }
    }
    Ok(Value::Object(out))
}

fn finish_reason(reason: Option<&str>) -> FinishReason {
    match reason {
        Some("STOP") => FinishReason::Stop,
        Some("MAX_TOKENS") => FinishReason::Length,
        Some(
            "SAFETY"
            | "RECITATION"
            | "BLOCKLIST"
            | "PROHIBITED_CONTENT"
            | "SPII"
            | "IMAGE_SAFETY"
            | "IMAGE_PROHIBITED_CONTENT",
        ) => FinishReason::ContentFilter,
        Some("MALFORMED_FUNCTION_CALL" | "UNEXPECTED_TOOL_CALL") => FinishReason::Error,
        Some("FINISH_REASON_UNSPECIFIED") | None => FinishReason::Unknown,
        Some(_) => FinishReason::Other,
    }
}

fn read_usage(value: &Value) -> Usage {
    let count = |key: &str| value.get(key).and_then(Value::as_u64);
    let thoughts = count("thoughtsTokenCount");
    Usage {
        input_tokens: count("promptTokenCount"),
        // Gemini counts thinking apart from the answer; output counts both, as OpenAI's does.
        output_tokens: count("candidatesTokenCount").map(|n| n + thoughts.unwrap_or(0)).or(thoughts),
        cached_input_tokens: count("cachedContentTokenCount"),
        reasoning_tokens: thoughts,
    }
}

/// A prompt Gemini blocked (`promptFeedback.blockReason` and no candidates).
fn blocked(body: &Value) -> Option<Error> {
    let reason = body.get("promptFeedback")?.get("blockReason")?.as_str()?;
    let no_candidates = body.get("candidates").and_then(Value::as_array).is_none_or(Vec::is_empty);
    no_candidates.then(|| {
        Error::new(ErrorKind::ContentFilter, format!("gemini blocked the prompt ({reason})"))
            .with_detail("provider", "gemini")
            .with_detail("providerCode", reason)
    })
}

/// The parts of a response's first candidate, fed to `part` one by one.
fn read_parts(body: &Value, mut part: impl FnMut(&Value) -> Result<()>) -> Result<Option<&str>> {
    let Some(candidate) = body.get("candidates").and_then(Value::as_array).and_then(|c| c.first()) else {
        return Ok(None);
    };
    for item in candidate.get("content").and_then(|c| c.get("parts")).and_then(Value::as_array).into_iter().flatten() {
        part(item)?;
    }
    Ok(candidate.get("finishReason").and_then(Value::as_str))
}

/// The completion in a non-streamed response body.
pub fn parse(body: Value) -> Result<Completion> {
    if let Some(error) = blocked(&body) {
        return Err(error);
    }
    if body.get("candidates").and_then(Value::as_array).is_none_or(Vec::is_empty) {
        return Err(bad_response(PROVIDER, "no 'candidates' in the response"));
    }
    let mut completion = Completion::new();
    let mut reasoning = String::new();
    let reason = read_parts(&body, |part| {
        if let Some(text) = part.get("text").and_then(Value::as_str) {
            if part.get("thought").and_then(Value::as_bool) == Some(true) {
                reasoning.push_str(text);
            } else {
                completion.text.push_str(text);
            }
        } else if let Some(call) = part.get("functionCall") {
            completion.tool_calls.push(function_call(call, completion.tool_calls.len())?);
        }
        Ok(())
    })?
    .map(str::to_owned);
    if !reasoning.is_empty() {
        completion.reasoning = Some(reasoning);
    }
    completion.finish_reason = finish_reason(reason.as_deref());
    if !completion.tool_calls.is_empty() && completion.finish_reason == FinishReason::Stop {
        completion.finish_reason = FinishReason::ToolCalls;
    }
    completion.usage = body.get("usageMetadata").map(read_usage).unwrap_or_default();
    completion.id = body.get("responseId").and_then(Value::as_str).map(str::to_owned);
    completion.model = body.get("modelVersion").and_then(Value::as_str).map(str::to_owned);
    completion.raw = Some(body);
    Ok(completion)
}

fn function_call(call: &Value, index: usize) -> Result<ToolCall> {
    let name =
        call.get("name").and_then(Value::as_str).ok_or_else(|| bad_response(PROVIDER, "a functionCall has no name"))?;
    let id = call.get("id").and_then(Value::as_str).map_or_else(|| format!("call_{index}"), str::to_owned);
    let arguments = call.get("args").map_or_else(|| "{}".to_owned(), Value::to_string);
    Ok(ToolCall { id, name: name.to_owned(), arguments })
}

/// The state of a streamed answer.
#[derive(Debug, Default)]
pub struct Stream {
    finish: Option<FinishReason>,
    usage: Usage,
}

impl Stream {
    /// Decodes one SSE event (each is a whole `GenerateContentResponse`).
    pub fn event(&mut self, event: &SseEvent, acc: &mut Accumulator, out: &mut Vec<StreamEvent>) -> Result<()> {
        let body: Value = parse_event(PROVIDER, &event.data)?;
        if let Some(error) = body.get("error").filter(|e| !e.is_null()) {
            let status = error.get("code").and_then(Value::as_u64).filter(|c| (400..600).contains(c)).unwrap_or(500) as u16;
            return Err(super::http::status_error(PROVIDER, status, &Map::new(), event.data.as_bytes(), 0.0)
                .with_detail("inStream", true));
        }
        if let Some(error) = blocked(&body) {
            return Err(error);
        }
        if acc.completion.id.is_none() {
            acc.completion.id = body.get("responseId").and_then(Value::as_str).map(str::to_owned);
            acc.completion.model = body.get("modelVersion").and_then(Value::as_str).map(str::to_owned);
        }
        if let Some(usage) = body.get("usageMetadata") {
            self.usage = read_usage(usage);
        }
        let reason = read_parts(&body, |part| {
            if let Some(text) = part.get("text").and_then(Value::as_str).filter(|t| !t.is_empty()) {
                if part.get("thought").and_then(Value::as_bool) == Some(true) {
                    acc.record(StreamEvent::ReasoningDelta(text.to_owned()), out);
                } else {
                    acc.record(StreamEvent::TextDelta(text.to_owned()), out);
                }
            } else if let Some(call) = part.get("functionCall") {
                // Gemini sends each call whole.
                let index = acc.call_count();
                let call = function_call(call, index)?;
                acc.call_delta(index, &call.id, &call.name, &call.arguments, out);
                acc.close_call(index, out);
            }
            Ok(())
        })?;
        if let Some(reason) = reason {
            self.finish = Some(finish_reason(Some(reason)));
            // Gemini's streams have no end marker; its last chunk carries the finish reason
            // with the usage. Ending here means a connection kept open (or dropped) after it
            // cannot cost the answer.
            if body.get("usageMetadata").is_some() {
                self.close(acc, out);
            }
        }
        Ok(())
    }

    /// The byte stream ended: complete when a finish reason came (if a chunk with the finish
    /// reason and the usage has not already ended the answer).
    pub fn close(&mut self, acc: &mut Accumulator, out: &mut Vec<StreamEvent>) -> bool {
        if let Some(mut finish_reason) = self.finish {
            if acc.call_count() > 0 && finish_reason == FinishReason::Stop {
                finish_reason = FinishReason::ToolCalls;
            }
            acc.finish(finish_reason, self.usage, out);
        }
        acc.finished
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_schemas_become_gemini_schemas() {
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "name": {"type": ["string", "null"], "format": "email"},
                "kind": {"const": "person"},
                "when": {"type": "string", "format": "date-time"},
                "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}},
                "either": {"anyOf": [{"type": "integer"}, {"type": "null"}]}
            },
            "required": ["name"],
            "$defs": {"tag": {"type": "string", "enum": ["a", "b"]}}
        });
        assert_eq!(
            gemini_schema(&schema).unwrap(),
            json!({
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "nullable": true},
                    "kind": {"enum": ["person"], "type": "string"},
                    "when": {"type": "string", "format": "date-time"},
                    "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
                    "either": {"nullable": true, "type": "integer"}
                }
            })
        );
        let recursive = json!({"$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}}}, "$ref": "#/$defs/node"});
        assert_eq!(gemini_schema(&recursive).unwrap_err().kind(), ErrorKind::Unsupported);
    }
}
