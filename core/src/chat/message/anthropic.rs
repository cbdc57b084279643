//! Anthropic Messages: `{system, messages: [{role: user|assistant, content}]}`.

use super::{
    arguments_object, data_url, invalid, non_empty, split_data_url, string_field, texts_to_content, type_name, validate,
    Content, ContentPart, Message, Role, ToolCall,
};
use crate::error::{Error, ErrorKind, Result};
use serde_json::{json, Map, Value};

const PROVIDER: &str = "Anthropic";

/// One turn being built: a role and its content, kept as a string while it is one unmerged
/// string message.
struct Turn {
    role: &'static str,
    text: Option<String>,
    blocks: Vec<Value>,
}

impl Turn {
    fn into_value(self) -> Value {
        let content = match self.text {
            Some(text) => Value::String(text),
            None => Value::Array(self.blocks),
        };
        json!({"role": self.role, "content": content})
    }
}

/// Converts OpenAI messages to an Anthropic Messages request body (the `system` and
/// `messages` fields only).
///
/// `system` and `developer` messages, wherever they are, become `system`: a string when there
/// is exactly one such message and its content is a string, text blocks otherwise. Tool
/// results become `tool_result` blocks of a user turn; turns of the same role in a row are
/// merged into one (their string contents become text blocks). Arguments become the
/// `tool_use` block's `input` object. Images become `image` blocks (`base64` for a `data:`
/// URL, `url` otherwise); files become `document` blocks (filename as `title`). Dropped, as
/// Anthropic has no place for them: `name` and an image's `detail`. Errors
/// (`invalid_message`, `details.index`): an invalid list, empty text (except the empty
/// content of an assistant message with tool calls, which is left out), arguments that are
/// not a JSON object, and audio (`unsupported`).
pub fn to_anthropic(messages: &[Message]) -> Result<Value> {
    validate(messages)?;
    let mut system: Vec<Value> = Vec::new();
    let mut system_string: Option<String> = None;
    let mut instruction_count = 0;
    let mut turns: Vec<Turn> = Vec::new();
    for (index, message) in messages.iter().enumerate() {
        let (role, text, blocks) = match message.role {
            Role::System | Role::Developer => {
                instruction_count += 1;
                match message.content.as_ref() {
                    Some(Content::Text(text)) => {
                        system_string = Some(non_empty(text, index, PROVIDER)?.to_owned());
                        system.push(text_block(text));
                    }
                    Some(Content::Parts(parts)) => {
                        system_string = None;
                        for part in parts {
                            system.push(part_to_block(part, index)?);
                        }
                    }
                    None => {}
                }
                continue;
            }
            Role::User => match message.content.as_ref() {
                Some(Content::Text(text)) => ("user", Some(non_empty(text, index, PROVIDER)?.to_owned()), Vec::new()),
                Some(Content::Parts(parts)) => {
                    ("user", None, parts.iter().map(|part| part_to_block(part, index)).collect::<Result<_>>()?)
                }
                None => ("user", None, Vec::new()),
            },
            Role::Assistant => {
                let mut blocks = Vec::new();
                let mut text = None;
                match message.content.as_ref() {
                    Some(Content::Text(t)) if t.is_empty() && !message.tool_calls.is_empty() => {}
                    Some(Content::Text(t)) if message.tool_calls.is_empty() => {
                        text = Some(non_empty(t, index, PROVIDER)?.to_owned())
                    }
                    Some(Content::Text(t)) => blocks.push(text_block(non_empty(t, index, PROVIDER)?)),
                    Some(Content::Parts(parts)) => {
                        for part in parts {
                            blocks.push(part_to_block(part, index)?);
                        }
                    }
                    None => {}
                }
                for call in &message.tool_calls {
                    blocks.push(json!({
                        "type": "tool_use",
                        "id": call.id,
                        "name": call.name,
                        "input": arguments_object(call, index)?,
                    }));
                }
                ("assistant", text, blocks)
            }
            Role::Tool => {
                let content = match message.content.as_ref() {
                    Some(Content::Text(text)) => Value::String(text.clone()),
                    Some(Content::Parts(parts)) => {
                        Value::Array(parts.iter().map(|part| part_to_block(part, index)).collect::<Result<_>>()?)
                    }
                    None => Value::String(String::new()),
                };
                let block = json!({
                    "type": "tool_result",
                    "tool_use_id": message.tool_call_id.as_deref().unwrap_or_default(),
                    "content": content,
                });
                ("user", None, vec![block])
            }
        };
        match turns.last_mut() {
            Some(last) if last.role == role => {
                if let Some(previous) = last.text.take() {
                    last.blocks.push(text_block(&previous));
                }
                match text {
                    Some(text) => last.blocks.push(text_block(&text)),
                    None => last.blocks.extend(blocks),
                }
            }
            _ => turns.push(Turn { role, text, blocks }),
        }
    }
    let mut body = Map::new();
    if instruction_count == 1 && system_string.is_some() {
        body.insert("system".into(), system_string.map(Value::String).unwrap_or_default());
    } else if !system.is_empty() {
        body.insert("system".into(), Value::Array(system));
    }
    body.insert("messages".into(), Value::Array(turns.into_iter().map(Turn::into_value).collect()));
    Ok(Value::Object(body))
}

/// Converts an Anthropic Messages request body (`{system?, messages}`; other fields such as
/// `model` are ignored) to OpenAI messages, and [`validate`]s them.
///
/// A string `system` becomes one `system` message; each block of a `system` array becomes
/// one `system` message with string content. A user turn's `tool_result` blocks become
/// `tool` messages and its other blocks, in order, `user` messages (an array content gives
/// parts, a string a string). An assistant turn becomes one message: its `tool_use` blocks
/// are the tool calls (arguments written as compact JSON), its text blocks the content (one
/// block is a string, several are parts). `image` and `document` blocks become `image_url` and
/// `file` parts. Dropped: `cache_control`, `citations` and a tool result's `is_error`. Other
/// block types (`thinking`, `search_result`...) are `invalid_message` errors;
/// `details.index` is the turn's position in `messages`.
pub fn from_anthropic(value: &Value) -> Result<Vec<Message>> {
    let Value::Object(body) = value else {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!("an Anthropic request must be an object, not {}", type_name(value)),
        ));
    };
    let mut out = Vec::new();
    match body.get("system") {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) => out.push(Message::system(text.as_str())),
        Some(Value::Array(blocks)) => {
            for block in blocks {
                match block_type(block, None)? {
                    "text" => out.push(Message::system(block_text(block, None)?)),
                    other => return Err(invalid(None, format!("system blocks must be text, not '{other}'"))),
                }
            }
        }
        Some(other) => {
            return Err(invalid(None, format!("system must be a string or an array of text blocks, not {}", type_name(other))))
        }
    }
    let Some(Value::Array(turns)) = body.get("messages") else {
        return Err(Error::new(ErrorKind::InvalidData, "an Anthropic request needs a messages array"));
    };
    for (index, turn) in turns.iter().enumerate() {
        let at = Some(index);
        let Value::Object(turn) = turn else {
            return Err(invalid(at, "a turn must be an object"));
        };
        let role = string_field(turn.get("role").unwrap_or(&Value::Null), "role", at)?;
        let content = turn.get("content").unwrap_or(&Value::Null);
        match (role.as_str(), content) {
            ("user" | "assistant", Value::String(text)) => {
                out.push(Message::new(if role == "user" { Role::User } else { Role::Assistant }, text.as_str()))
            }
            ("user", Value::Array(blocks)) => {
                let mut parts: Vec<ContentPart> = Vec::new();
                for block in blocks {
                    if block_type(block, at)? == "tool_result" {
                        if !parts.is_empty() {
                            out.push(Message::user(Content::Parts(std::mem::take(&mut parts))));
                        }
                        out.push(tool_result(block, index)?);
                    } else {
                        parts.push(block_to_part(block, index)?);
                    }
                }
                if !parts.is_empty() {
                    out.push(Message::user(Content::Parts(parts)));
                }
            }
            ("assistant", Value::Array(blocks)) => {
                let mut texts = Vec::new();
                let mut calls = Vec::new();
                for block in blocks {
                    match block_type(block, at)? {
                        "text" => texts.push(block_text(block, at)?),
                        "tool_use" => {
                            let id = string_field(block.get("id").unwrap_or(&Value::Null), "id", at)?;
                            let name = string_field(block.get("name").unwrap_or(&Value::Null), "name", at)?;
                            let arguments = match block.get("input") {
                                None | Some(Value::Null) => "{}".to_owned(),
                                Some(input) => input.to_string(),
                            };
                            calls.push(ToolCall { id, name, arguments });
                        }
                        other => {
                            return Err(invalid(at, format!("unsupported assistant block type '{other}'"))
                                .with_detail("type", other))
                        }
                    }
                }
                let content = texts_to_content(texts);
                if content.is_none() && calls.is_empty() {
                    return Err(invalid(at, "an assistant turn needs content"));
                }
                out.push(Message { role: Role::Assistant, content, name: None, tool_calls: calls, tool_call_id: None });
            }
            ("user" | "assistant", other) => {
                return Err(invalid(at, format!("content must be a string or an array of blocks, not {}", type_name(other))))
            }
            (other, _) => {
                return Err(invalid(at, format!("unknown Anthropic role '{other}' (expected user or assistant)"))
                    .with_detail("role", other))
            }
        }
    }
    validate(&out)?;
    Ok(out)
}

fn text_block(text: &str) -> Value {
    json!({"type": "text", "text": text})
}

fn part_to_block(part: &ContentPart, index: usize) -> Result<Value> {
    Ok(match part {
        ContentPart::Text(text) => text_block(non_empty(text, index, PROVIDER)?),
        ContentPart::Image { url, .. } => match split_data_url(url) {
            Some((mime, data)) => json!({"type": "image", "source": {"type": "base64", "media_type": mime, "data": data}}),
            None if url.starts_with("data:") => {
                return Err(invalid(Some(index), "an image data URL must be base64 (data:<mime>;base64,...)"))
            }
            None => json!({"type": "image", "source": {"type": "url", "url": url}}),
        },
        ContentPart::Audio { .. } => {
            return Err(Error::new(ErrorKind::Unsupported, format!("message {index}: Anthropic does not accept audio input"))
                .with_detail("index", index))
        }
        ContentPart::File { file_data, file_id, filename } => {
            let source = match (file_data, file_id) {
                (Some(file_data), _) => {
                    let Some((mime, data)) = split_data_url(file_data) else {
                        return Err(invalid(Some(index), "file_data must be a base64 data URL (data:<mime>;base64,...)"));
                    };
                    json!({"type": "base64", "media_type": mime, "data": data})
                }
                (None, Some(file_id)) => json!({"type": "file", "file_id": file_id}),
                (None, None) => return Err(invalid(Some(index), "a file part needs file_data or file_id")),
            };
            let mut block = json!({"type": "document", "source": source});
            if let Some(filename) = filename {
                block["title"] = filename.as_str().into();
            }
            block
        }
    })
}

fn block_type(block: &Value, at: Option<usize>) -> Result<&str> {
    match block.get("type") {
        Some(Value::String(kind)) => Ok(kind),
        _ => Err(invalid(at, "a content block needs a string type")),
    }
}

fn block_text(block: &Value, at: Option<usize>) -> Result<String> {
    string_field(block.get("text").unwrap_or(&Value::Null), "text", at)
}

fn block_to_part(block: &Value, index: usize) -> Result<ContentPart> {
    let at = Some(index);
    let source = || -> Result<(&str, &Value)> {
        let source = block.get("source").filter(|s| s.is_object()).ok_or_else(|| invalid(at, "a block needs a source object"))?;
        let kind = source.get("type").and_then(Value::as_str).ok_or_else(|| invalid(at, "a source needs a type"))?;
        Ok((kind, source))
    };
    let field = |value: &Value, name: &str| string_field(value.get(name).unwrap_or(&Value::Null), name, at);
    match block_type(block, at)? {
        "text" => Ok(ContentPart::Text(block_text(block, at)?)),
        "image" => {
            let (kind, source) = source()?;
            let url = match kind {
                "base64" => data_url(&field(source, "media_type")?, &field(source, "data")?),
                "url" => field(source, "url")?,
                other => return Err(invalid(at, format!("unsupported image source type '{other}'"))),
            };
            Ok(ContentPart::Image { url, detail: None })
        }
        "document" => {
            let (kind, source) = source()?;
            let filename = match block.get("title") {
                None | Some(Value::Null) => None,
                Some(title) => Some(string_field(title, "title", at)?),
            };
            match kind {
                "base64" => Ok(ContentPart::File {
                    file_data: Some(data_url(&field(source, "media_type")?, &field(source, "data")?)),
                    file_id: None,
                    filename,
                }),
                "file" => Ok(ContentPart::File { file_data: None, file_id: Some(field(source, "file_id")?), filename }),
                other => Err(invalid(at, format!("unsupported document source type '{other}'"))),
            }
        }
        other => Err(invalid(at, format!("unsupported user block type '{other}'")).with_detail("type", other)),
    }
}

fn tool_result(block: &Value, index: usize) -> Result<Message> {
    let at = Some(index);
    let id = string_field(block.get("tool_use_id").unwrap_or(&Value::Null), "tool_use_id", at)?;
    let content = match block.get("content") {
        None | Some(Value::Null) => Content::Text(String::new()),
        Some(Value::String(text)) => Content::Text(text.clone()),
        Some(Value::Array(blocks)) => {
            let mut parts = Vec::new();
            for block in blocks {
                match block_type(block, at)? {
                    "text" => parts.push(ContentPart::Text(block_text(block, at)?)),
                    other => {
                        return Err(invalid(at, format!("a tool result may hold text blocks only here, not '{other}'"))
                            .with_detail("type", other))
                    }
                }
            }
            Content::Parts(parts)
        }
        Some(other) => return Err(invalid(at, format!("tool_result content must be a string or blocks, not {}", type_name(other)))),
    };
    Ok(Message::tool(id, content))
}
