//! Gemini `generateContent`: `{systemInstruction: {parts}, contents: [{role: user|model, parts}]}`.

use super::{
    arguments_object, data_url, invalid, non_empty, split_data_url, string_field, texts_to_content, type_name, validate,
    Content, ContentPart, Message, Role, ToolCall,
};
use crate::error::{Error, ErrorKind, Result};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const PROVIDER: &str = "Gemini";

/// Converts OpenAI messages to a Gemini `generateContent` request body (the
/// `systemInstruction` and `contents` fields only).
///
/// `system` and `developer` messages, wherever they are, become `systemInstruction` text
/// parts. `assistant` is role `model`; tool results are `functionResponse` parts of a `user`
/// turn, named after the call they answer, with `response` the tool's content when it is the
/// text of a JSON object, `{"content": text}` otherwise. Turns of the same role in a row are
/// merged. Arguments become `functionCall.args`. A `data:` URL image, audio and `file_data`
/// become `inlineData`; an image URL and a `file_id` become `fileData` (with a MIME type
/// guessed from the extension when there is one). Dropped: `name`, an image's `detail`, a
/// file's `filename` and the tool call ids (Gemini matches results by name; see
/// [`from_gemini`]). Errors as for [`super::to_anthropic`]: empty text, arguments that are not
/// a JSON object.
pub fn to_gemini(messages: &[Message]) -> Result<Value> {
    validate(messages)?;
    let mut system: Vec<Value> = Vec::new();
    let mut turns: Vec<(&'static str, Vec<Value>)> = Vec::new();
    let mut call_names: HashMap<&str, &str> = HashMap::new();
    for (index, message) in messages.iter().enumerate() {
        let mut parts = Vec::new();
        let role = match message.role {
            Role::System | Role::Developer => {
                match message.content.as_ref() {
                    Some(Content::Text(text)) => system.push(json!({"text": non_empty(text, index, PROVIDER)?})),
                    Some(Content::Parts(items)) => {
                        for part in items {
                            system.push(part_to_gemini(part, index)?);
                        }
                    }
                    None => {}
                }
                continue;
            }
            Role::User => {
                match message.content.as_ref() {
                    Some(Content::Text(text)) => parts.push(json!({"text": non_empty(text, index, PROVIDER)?})),
                    Some(Content::Parts(items)) => {
                        for part in items {
                            parts.push(part_to_gemini(part, index)?);
                        }
                    }
                    None => {}
                }
                "user"
            }
            Role::Assistant => {
                match message.content.as_ref() {
                    Some(Content::Text(text)) if text.is_empty() && !message.tool_calls.is_empty() => {}
                    Some(Content::Text(text)) => parts.push(json!({"text": non_empty(text, index, PROVIDER)?})),
                    Some(Content::Parts(items)) => {
                        for part in items {
                            parts.push(part_to_gemini(part, index)?);
                        }
                    }
                    None => {}
                }
                for call in &message.tool_calls {
                    call_names.insert(call.id.as_str(), call.name.as_str());
                    parts.push(json!({"functionCall": {"name": call.name, "args": arguments_object(call, index)?}}));
                }
                "model"
            }
            Role::Tool => {
                let id = message.tool_call_id.as_deref().unwrap_or_default();
                let name = call_names.get(id).copied().unwrap_or_default();
                let text = message.content.as_ref().map(Content::text).unwrap_or_default();
                parts.push(json!({"functionResponse": {"name": name, "response": response_object(text)}}));
                "user"
            }
        };
        match turns.last_mut() {
            Some((last, existing)) if *last == role => existing.extend(parts),
            _ => turns.push((role, parts)),
        }
    }
    let mut body = Map::new();
    if !system.is_empty() {
        body.insert("systemInstruction".into(), json!({"parts": system}));
    }
    let contents = turns.into_iter().map(|(role, parts)| json!({"role": role, "parts": parts})).collect();
    body.insert("contents".into(), Value::Array(contents));
    Ok(Value::Object(body))
}

/// Converts a Gemini `generateContent` request body (`{systemInstruction?, contents}`;
/// snake_case keys are accepted too, other fields ignored) to OpenAI messages, and
/// [`validate`]s them.
///
/// Each `systemInstruction` text part becomes one `system` message. A `model` turn becomes
/// one assistant message (text parts as content, one part as a string; `functionCall` parts
/// as tool calls). A `user` (or `function`) turn becomes `tool` messages for its
/// `functionResponse` parts and, in order, `user` messages for its other parts (a single text
/// part is a string). Gemini has no call ids: a call without an `id` gets `call_<n>`, `n`
/// counting the function calls of the conversation from 0, and a response is matched to the
/// first unanswered call of the same name (or by `id` when it has one). A response
/// `{"content": "<text>"}` gives the text back; any other response its compact JSON. Thought
/// parts (`"thought": true`) are skipped; other unknown parts are `invalid_message` errors
/// with `details.index`, the turn's position in `contents`.
pub fn from_gemini(value: &Value) -> Result<Vec<Message>> {
    let Value::Object(body) = value else {
        return Err(Error::new(ErrorKind::InvalidData, format!("a Gemini request must be an object, not {}", type_name(value))));
    };
    let mut out = Vec::new();
    if let Some(instruction) = get(body, "systemInstruction", "system_instruction").filter(|v| !v.is_null()) {
        for part in parts_of(instruction, None)? {
            match get_object(part, "text", "text") {
                Some(Value::String(text)) => out.push(Message::system(text.as_str())),
                _ => return Err(invalid(None, "systemInstruction parts must be text")),
            }
        }
    }
    let Some(Value::Array(contents)) = get(body, "contents", "contents") else {
        return Err(Error::new(ErrorKind::InvalidData, "a Gemini request needs a contents array"));
    };
    let mut call_count = 0;
    // Calls of the last model turn still waiting for a response: (id, name).
    let mut pending: Vec<(String, String)> = Vec::new();
    for (index, content) in contents.iter().enumerate() {
        let at = Some(index);
        let role = match content.get("role") {
            None | Some(Value::Null) => "user",
            Some(Value::String(role)) => role.as_str(),
            Some(other) => return Err(invalid(at, format!("role must be a string, not {}", type_name(other)))),
        };
        let parts = parts_of(content, at)?;
        match role {
            "model" => {
                let mut texts = Vec::new();
                let mut calls = Vec::new();
                pending.clear();
                for part in parts {
                    if is_thought(part) {
                        continue;
                    }
                    if let Some(text) = get_object(part, "text", "text") {
                        texts.push(string_field(text, "text", at)?);
                    } else if let Some(call) = get_object(part, "functionCall", "function_call") {
                        let name = string_field(call.get("name").unwrap_or(&Value::Null), "name", at)?;
                        let id = match call.get("id") {
                            Some(Value::String(id)) if !id.is_empty() => id.clone(),
                            _ => format!("call_{call_count}"),
                        };
                        call_count += 1;
                        let arguments = match call.get("args") {
                            None | Some(Value::Null) => "{}".to_owned(),
                            Some(args) => args.to_string(),
                        };
                        pending.push((id.clone(), name.clone()));
                        calls.push(ToolCall { id, name, arguments });
                    } else {
                        return Err(unknown_part(part, at));
                    }
                }
                let content = texts_to_content(texts);
                if content.is_none() && calls.is_empty() {
                    continue;
                }
                out.push(Message { role: Role::Assistant, content, name: None, tool_calls: calls, tool_call_id: None });
            }
            "user" | "function" => {
                let mut items: Vec<ContentPart> = Vec::new();
                let flush = |items: &mut Vec<ContentPart>, out: &mut Vec<Message>| {
                    if items.is_empty() {
                        return;
                    }
                    let content = match items.as_slice() {
                        [ContentPart::Text(text)] => Content::Text(text.clone()),
                        _ => Content::Parts(std::mem::take(items)),
                    };
                    items.clear();
                    out.push(Message::user(content));
                };
                for part in parts {
                    if is_thought(part) {
                        continue;
                    }
                    if let Some(response) = get_object(part, "functionResponse", "function_response") {
                        flush(&mut items, &mut out);
                        let name = string_field(response.get("name").unwrap_or(&Value::Null), "name", at)?;
                        let position = match response.get("id") {
                            Some(Value::String(id)) if !id.is_empty() => pending.iter().position(|(p, _)| p == id),
                            _ => pending.iter().position(|(_, n)| *n == name),
                        };
                        let Some(position) = position else {
                            return Err(invalid(at, format!("the function response '{name}' answers no earlier function call"))
                                .with_detail("name", name));
                        };
                        let (id, _) = pending.remove(position);
                        let text = response_text(response.get("response").unwrap_or(&Value::Null));
                        out.push(Message::tool(id, text));
                    } else {
                        items.push(gemini_to_part(part, at)?);
                    }
                }
                flush(&mut items, &mut out);
            }
            other => {
                return Err(invalid(at, format!("unknown Gemini role '{other}' (expected user or model)"))
                    .with_detail("role", other))
            }
        }
    }
    validate(&out)?;
    Ok(out)
}

/// Looks a key up in its camelCase or snake_case spelling.
fn get<'a>(object: &'a Map<String, Value>, camel: &str, snake: &str) -> Option<&'a Value> {
    object.get(camel).or_else(|| object.get(snake))
}

fn get_object<'a>(value: &'a Value, camel: &str, snake: &str) -> Option<&'a Value> {
    value.as_object().and_then(|object| get(object, camel, snake)).filter(|v| !v.is_null())
}

fn parts_of(content: &Value, at: Option<usize>) -> Result<&Vec<Value>> {
    match content.get("parts") {
        Some(Value::Array(parts)) => Ok(parts),
        _ => Err(invalid(at, "a Gemini content needs a parts array")),
    }
}

fn is_thought(part: &Value) -> bool {
    part.get("thought") == Some(&Value::Bool(true))
}

fn unknown_part(part: &Value, at: Option<usize>) -> Error {
    let keys = part.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>().join(", ")).unwrap_or_default();
    invalid(at, format!("unsupported Gemini part ({keys})"))
}

/// The `response` object of a tool's text: a JSON object's text as the object (unless it is
/// the `{"content": string}` shape, which is wrapped so it comes back as it was), any other
/// text as `{"content": text}`.
fn response_object(text: String) -> Value {
    if let Ok(Value::Object(object)) = serde_json::from_str::<Value>(&text) {
        if !is_content_wrapper(&object) {
            return Value::Object(object);
        }
    }
    json!({"content": text})
}

fn is_content_wrapper(object: &Map<String, Value>) -> bool {
    object.len() == 1 && matches!(object.get("content"), Some(Value::String(_)))
}

fn response_text(response: &Value) -> String {
    match response {
        Value::Object(object) if is_content_wrapper(object) => object["content"].as_str().unwrap_or_default().to_owned(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn part_to_gemini(part: &ContentPart, index: usize) -> Result<Value> {
    Ok(match part {
        ContentPart::Text(text) => json!({"text": non_empty(text, index, PROVIDER)?}),
        ContentPart::Image { url, .. } => match split_data_url(url) {
            Some((mime, data)) => json!({"inlineData": {"mimeType": mime, "data": data}}),
            None if url.starts_with("data:") => {
                return Err(invalid(Some(index), "an image data URL must be base64 (data:<mime>;base64,...)"))
            }
            None => file_data(url, guess_mime(url)),
        },
        ContentPart::Audio { data, format } => {
            json!({"inlineData": {"mimeType": format!("audio/{format}"), "data": data}})
        }
        ContentPart::File { file_data: Some(data), .. } => match split_data_url(data) {
            Some((mime, data)) => json!({"inlineData": {"mimeType": mime, "data": data}}),
            None => return Err(invalid(Some(index), "file_data must be a base64 data URL (data:<mime>;base64,...)")),
        },
        ContentPart::File { file_id: Some(id), filename, .. } => {
            file_data(id, filename.as_deref().and_then(guess_mime).or_else(|| guess_mime(id)).or(Some("application/octet-stream")))
        }
        ContentPart::File { .. } => return Err(invalid(Some(index), "a file part needs file_data or file_id")),
    })
}

fn file_data(uri: &str, mime: Option<&str>) -> Value {
    match mime {
        Some(mime) => json!({"fileData": {"mimeType": mime, "fileUri": uri}}),
        None => json!({"fileData": {"fileUri": uri}}),
    }
}

fn gemini_to_part(part: &Value, at: Option<usize>) -> Result<ContentPart> {
    if let Some(text) = get_object(part, "text", "text") {
        return Ok(ContentPart::Text(string_field(text, "text", at)?));
    }
    if let Some(inline) = get_object(part, "inlineData", "inline_data") {
        let mime = string_field(inline_field(inline, "mimeType", "mime_type"), "mimeType", at)?;
        let data = string_field(inline.get("data").unwrap_or(&Value::Null), "data", at)?;
        return Ok(if mime.starts_with("image/") {
            ContentPart::Image { url: data_url(&mime, &data), detail: None }
        } else if let Some(format) = mime.strip_prefix("audio/").filter(|f| matches!(*f, "wav" | "mp3")) {
            ContentPart::Audio { data, format: format.to_owned() }
        } else {
            ContentPart::File { file_data: Some(data_url(&mime, &data)), file_id: None, filename: None }
        });
    }
    if let Some(file) = get_object(part, "fileData", "file_data") {
        let uri = string_field(inline_field(file, "fileUri", "file_uri"), "fileUri", at)?;
        let mime = inline_field(file, "mimeType", "mime_type").as_str();
        return Ok(match mime {
            None => ContentPart::Image { url: uri, detail: None },
            Some(mime) if mime.starts_with("image/") => ContentPart::Image { url: uri, detail: None },
            Some(_) => ContentPart::File { file_data: None, file_id: Some(uri), filename: None },
        });
    }
    Err(unknown_part(part, at))
}

fn inline_field<'a>(value: &'a Value, camel: &str, snake: &str) -> &'a Value {
    get_object(value, camel, snake).unwrap_or(&Value::Null)
}

/// The MIME type of a URL or file name by its extension, for the common image and document
/// types.
fn guess_mime(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "wav" => "audio/wav",
        "mp3" => "audio/mp3",
        "mp4" => "video/mp4",
        _ => return None,
    })
}
