//! The bindings' side of `tokens`: the calls both bindings make, with their arguments as the
//! bindings pass them (JSON text for structured ones), so the two stay the same by construction.

use super::budget::{PackSpec, Packer};
use super::messages::{count_messages, Counter};
use super::tokenizer::{SpecialPolicy, Specials, Tokenizer};
use super::Encoding;
use crate::chat::message::parse_openai;
use crate::{Error, ErrorKind, Result};
use serde_json::{json, Value};

/// Loads a tokenizer from rank-table bytes; `encoding` empty means "tell it from the table".
pub fn tokenizer_load(table: &[u8], encoding: &str) -> Result<Tokenizer> {
    Tokenizer::load(table, (!encoding.is_empty()).then_some(encoding))
}

/// `{ encoding, vocabSize, specialTokens: { text: id } }`.
pub fn tokenizer_info(tokenizer: &Tokenizer) -> String {
    let specials: serde_json::Map<String, Value> =
        tokenizer.special_tokens().iter().map(|(text, id)| (text.clone(), Value::from(*id))).collect();
    json!({
        "encoding": tokenizer.encoding().name(),
        "vocabSize": tokenizer.vocab_size(),
        "specialTokens": specials,
    })
    .to_string()
}

/// The special-token policy of a call: mode 0 is tiktoken's default (none allowed, all
/// disallowed), 1 allows all, 2 treats them as text, 3 reads `custom`:
/// `{"allowed": "all" | [..] | null, "disallowed": "all" | [..] | null}`.
pub fn policy(mode: u32, custom: &str) -> Result<SpecialPolicy> {
    Ok(match mode {
        0 => SpecialPolicy::strict(),
        1 => SpecialPolicy::all(),
        2 => SpecialPolicy::ordinary(),
        _ => {
            let value: Value = serde_json::from_str(custom)
                .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("special-token options: {e}")))?;
            let set = |key: &str, default: Specials| -> Result<Specials> {
                match value.get(key) {
                    None | Some(Value::Null) => Ok(default),
                    Some(Value::String(all)) if all == "all" => Ok(Specials::All),
                    Some(Value::Array(list)) => list
                        .iter()
                        .map(|v| v.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                        .map(Specials::Some)
                        .ok_or_else(|| bad_set(key)),
                    Some(_) => Err(bad_set(key)),
                }
            };
            SpecialPolicy { allowed: set("allowed", Specials::None)?, disallowed: set("disallowed", Specials::All)? }
        }
    })
}

fn bad_set(key: &str) -> Error {
    let option = if key == "allowed" { "allowedSpecial" } else { "disallowedSpecial" };
    Error::new(ErrorKind::InvalidArgument, format!("`{option}` must be \"all\" or an array of special-token strings"))
        .with_detail("option", option)
}

/// `{ tokens, perMessage, exact }` for OpenAI-format messages (JSON).
pub fn count_messages_call(counter: &Counter, messages: &str) -> Result<String> {
    let value: Value = crate::json::from_js_json(messages)
        .map_err(|e| Error::new(ErrorKind::InvalidData, format!("messages are not JSON: {e}")))?;
    let messages = parse_openai(&value)?;
    let count = count_messages(counter, &messages);
    Ok(json!({ "tokens": count.tokens, "perMessage": count.per_message, "exact": count.exact }).to_string())
}

/// A packer from its options (JSON).
pub fn packer_new(counter: Counter, spec: &str) -> Result<Packer> {
    let value: Value = crate::json::from_js_json(spec)
        .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("pack options are not JSON: {e}")))?;
    Packer::new(PackSpec::from_json(&value)?, counter)
}

/// The packer's current section values (JSON object).
pub fn packer_values(packer: &Packer) -> String {
    Value::Object(packer.values()).to_string()
}

/// The packer's report (JSON).
pub fn packer_report(packer: &Packer) -> String {
    packer.report().to_string()
}

/// The encoding of an OpenAI model name, or `""`.
pub fn encoding_for_model(model: &str) -> &'static str {
    Encoding::for_model(model).map_or("", Encoding::name)
}
