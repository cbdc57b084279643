//! Hugging Face chat templates: the Jinja template a model ships to turn a conversation into its
//! prompt string, rendered as transformers' `apply_chat_template` renders it (on the Jinja
//! engine, configured as transformers configures Jinja2), plus a few well-known templates
//! selectable by name.
//!
//! ```
//! use bridle::chat::chat_template::apply_chat_template;
//! use serde_json::json;
//!
//! let prompt = apply_chat_template("chatml", &json!({
//!     "messages": [{"role": "user", "content": "Hi"}],
//!     "addGenerationPrompt": true,
//! }))?;
//! assert_eq!(prompt, "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
//! # Ok::<(), bridle::Error>(())
//! ```

use crate::error::{Error, ErrorKind, Result};
use crate::template::{Syntax, Template, TemplateOptions};
use serde_json::{Map, Value};
use std::rc::Rc;

/// A chat template that ships with Bridle, with its model family's special tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinChatTemplate {
    /// The name it is selected by.
    pub name: &'static str,
    /// The Jinja source, as the model family publishes it.
    pub source: &'static str,
    /// The `bos_token` given when the caller gives none.
    pub bos_token: &'static str,
    /// The `eos_token` given when the caller gives none.
    pub eos_token: &'static str,
}

/// The templates selectable by name: ChatML (Qwen, many fine-tunes), Llama 3, Mistral
/// (instruct v0.1) and Gemma.
pub const BUILTIN_CHAT_TEMPLATES: &[BuiltinChatTemplate] = &[
    BuiltinChatTemplate {
        name: "chatml",
        source: "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
        bos_token: "",
        eos_token: "<|im_end|>",
    },
    BuiltinChatTemplate {
        name: "llama3",
        source: "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
        bos_token: "<|begin_of_text|>",
        eos_token: "<|eot_id|>",
    },
    BuiltinChatTemplate {
        name: "mistral",
        source: "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}",
        bos_token: "<s>",
        eos_token: "</s>",
    },
    BuiltinChatTemplate {
        name: "gemma",
        source: "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}",
        bos_token: "<bos>",
        eos_token: "<eos>",
    },
];

/// The built-in template called `name`.
pub fn builtin_chat_template(name: &str) -> Option<&'static BuiltinChatTemplate> {
    BUILTIN_CHAT_TEMPLATES.iter().find(|builtin| builtin.name == name)
}

/// The variables a chat template renders with, from the options JavaScript callers give:
/// `messages` (required, a list), `tools`, `documents`, `addGenerationPrompt`, `bosToken`,
/// `eosToken` under transformers' names (`add_generation_prompt`, `bos_token`, ...), and every
/// other key as it is (`enable_thinking`, `reasoning`...); `tools`, `documents` (null) and
/// `add_generation_prompt` (false) are always defined, as transformers passes them. `now` is
/// left out (it sets the clock, not a variable). A built-in template's tokens fill in `bos_token`/`eos_token` when
/// they are not given.
pub fn chat_template_context(options: &Value, builtin: Option<&BuiltinChatTemplate>) -> Result<Value> {
    let Value::Object(options) = options else {
        return Err(Error::new(ErrorKind::InvalidArgument, "chat template options must be an object"));
    };
    let mut context = Map::with_capacity(options.len() + 2);
    for (key, value) in options {
        let name = match key.as_str() {
            "addGenerationPrompt" => "add_generation_prompt",
            "bosToken" => "bos_token",
            "eosToken" => "eos_token",
            "now" => continue,
            other => other,
        };
        context.insert(name.to_owned(), value.clone());
    }
    match context.get("messages") {
        Some(Value::Array(_)) => {}
        Some(_) => {
            return Err(Error::new(ErrorKind::InvalidMessage, "messages must be a list of messages")
                .with_detail("field", "messages"))
        }
        None => return Err(Error::new(ErrorKind::InvalidArgument, "chat template options need messages")),
    }
    // transformers always passes these (`render(messages=..., tools=None, documents=None,
    // add_generation_prompt=False, ...)`), so templates test them with `is defined`.
    context.entry("tools").or_insert(Value::Null);
    context.entry("documents").or_insert(Value::Null);
    context.entry("add_generation_prompt").or_insert(Value::Bool(false));
    if let Some(builtin) = builtin {
        context.entry("bos_token").or_insert_with(|| Value::from(builtin.bos_token));
        context.entry("eos_token").or_insert_with(|| Value::from(builtin.eos_token));
    }
    Ok(Value::Object(context))
}

/// A chat template compiled once: a model's Jinja source or a built-in one.
#[derive(Debug, Clone)]
pub struct ChatTemplate {
    template: Rc<Template>,
    builtin: Option<&'static BuiltinChatTemplate>,
}

impl ChatTemplate {
    /// Compiles `template`: the name of a built-in template (see [`BUILTIN_CHAT_TEMPLATES`]) or a
    /// Jinja source. `now` is the time `strftime_now` formats, in seconds since the epoch.
    pub fn compile(template: &str, now: Option<i64>) -> Result<ChatTemplate> {
        let builtin = builtin_chat_template(template);
        let mut options = TemplateOptions::new(Syntax::Jinja);
        options.now = now;
        let source = builtin.map_or(template, |builtin| builtin.source);
        Ok(ChatTemplate { template: Rc::new(Template::compile(source, &options)?), builtin })
    }

    /// Renders the prompt for `options` (see [`chat_template_context`]).
    pub fn apply(&self, options: &Value) -> Result<String> {
        self.template.render(&chat_template_context(options, self.builtin)?)
    }
}

/// Compiles `template` (a built-in name or a Jinja source) and renders it once with `options`.
pub fn apply_chat_template(template: &str, options: &Value) -> Result<String> {
    let now = options.get("now").and_then(Value::as_i64);
    ChatTemplate::compile(template, now)?.apply(options)
}

/// The last few chat templates compiled, by source, so a caller applying the same template
/// per request compiles it once. Holds compiled templates only, never outputs.
#[derive(Debug, Default)]
pub struct ChatTemplateCache {
    entries: Vec<(Box<str>, Option<i64>, ChatTemplate)>,
}

impl ChatTemplateCache {
    /// How many compiled templates the cache keeps.
    pub const CAPACITY: usize = 8;

    /// [`ChatTemplateCache::apply`] with the options as JSON text, as the bindings get them.
    pub fn apply_json(&mut self, template: &str, options: &str) -> Result<String> {
        let options: Value = serde_json::from_str(options).map_err(|e| {
            Error::new(ErrorKind::InvalidData, format!("chat template options are not JSON: {e}")).with_source(e)
        })?;
        self.apply(template, &options)
    }

    /// [`apply_chat_template`] through the cache.
    pub fn apply(&mut self, template: &str, options: &Value) -> Result<String> {
        let now = options.get("now").and_then(Value::as_i64);
        let position = self.entries.iter().position(|(source, at, _)| &**source == template && *at == now);
        let index = match position {
            Some(index) => index,
            None => {
                let compiled = ChatTemplate::compile(template, now)?;
                if self.entries.len() == Self::CAPACITY {
                    self.entries.remove(0);
                }
                self.entries.push((template.into(), now, compiled));
                self.entries.len() - 1
            }
        };
        self.entries[index].2.apply(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn conversation() -> Value {
        json!([
            {"role": "user", "content": "Hi there"},
            {"role": "assistant", "content": "Hello!"},
            {"role": "user", "content": " What is 2+2? "},
        ])
    }

    #[test]
    fn builtins_render_their_model_formats() {
        let options = json!({"messages": conversation(), "addGenerationPrompt": true});
        assert_eq!(
            apply_chat_template("llama3", &options).unwrap(),
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
        );
        assert_eq!(
            apply_chat_template("mistral", &options).unwrap(),
            "<s>[INST] Hi there [/INST]Hello!</s>[INST]  What is 2+2?  [/INST]"
        );
        assert_eq!(
            apply_chat_template("gemma", &options).unwrap(),
            "<bos><start_of_turn>user\nHi there<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n<start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n"
        );
        assert_eq!(
            apply_chat_template("chatml", &json!({"messages": conversation()})).unwrap(),
            "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\n What is 2+2? <|im_end|>\n"
        );
    }

    #[test]
    fn options_map_to_transformers_names_and_tokens_can_be_overridden() {
        let source = "{{ bos_token }}|{{ add_generation_prompt }}|{{ enable_thinking }}|{{ tools|length }}";
        let out = apply_chat_template(
            source,
            &json!({"messages": [], "bosToken": "<B>", "addGenerationPrompt": false, "enable_thinking": true, "tools": [1, 2]}),
        );
        assert_eq!(out.unwrap(), "<B>|False|True|2"); // Python prints booleans capitalised, as Jinja2 does
        let defined = "{{ tools is defined }}|{{ tools is none }}|{{ documents is none }}|{{ add_generation_prompt }}";
        assert_eq!(apply_chat_template(defined, &json!({"messages": []})).unwrap(), "True|True|True|False");
        let out =
            apply_chat_template("llama3", &json!({"messages": [{"role": "user", "content": "x"}], "bosToken": ""})).unwrap();
        assert!(out.starts_with("<|start_header_id|>"), "{out}");
    }

    #[test]
    fn template_errors_and_bad_options_are_typed() {
        let err = apply_chat_template("mistral", &json!({"messages": [{"role": "system", "content": "x"}]})).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TemplateRender);
        assert!(err.message().contains("roles must alternate"), "{}", err.message());
        assert_eq!(apply_chat_template("chatml", &json!({})).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(apply_chat_template("chatml", &json!({"messages": "hi"})).unwrap_err().kind(), ErrorKind::InvalidMessage);
        assert_eq!(
            apply_chat_template("{% for %}", &json!({"messages": []})).unwrap_err().kind(),
            ErrorKind::TemplateSyntax
        );
    }

    #[test]
    fn the_cache_compiles_each_template_once_and_stays_small() {
        let mut cache = ChatTemplateCache::default();
        let options = json!({"messages": conversation()});
        for _ in 0..3 {
            assert!(cache.apply("chatml", &options).unwrap().starts_with("<|im_start|>user"));
        }
        assert_eq!(cache.entries.len(), 1);
        for i in 0..20 {
            cache.apply(&format!("{{{{ messages|length }}}}-{i}"), &options).unwrap();
        }
        assert_eq!(cache.entries.len(), ChatTemplateCache::CAPACITY);
    }
}
