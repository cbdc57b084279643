//! `bridle::chat` for JavaScript: Hugging Face chat templates and prompt files.

use crate::error::boundary;
use bridle::chat::chat_template::{ChatTemplateCache, BUILTIN_CHAT_TEMPLATES};
use bridle::chat::prompt::ChatPrompt;
use bridle::chat::prompt_file::{self, PromptFile};
use bridle::handles::Handles;
use napi_derive::napi;
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    /// The chat templates compiled last, so applying one per request compiles it once.
    static CHAT_TEMPLATES: RefCell<ChatTemplateCache> = RefCell::new(ChatTemplateCache::default());
}

/// Renders a chat template (a built-in name or a Jinja source) with options given as JSON
/// (`bridle::chat::chat_template::chat_template_context`).
#[napi(js_name = "applyChatTemplate")]
pub fn apply_chat_template(template: String, options: String) -> napi::Result<String> {
    boundary(|| CHAT_TEMPLATES.with(|cache| cache.borrow_mut().apply_json(&template, &options)))
}

/// The names of the built-in chat templates.
#[napi(js_name = "chatTemplateNames")]
pub fn chat_template_names() -> Vec<String> {
    BUILTIN_CHAT_TEMPLATES.iter().map(|builtin| builtin.name.to_owned()).collect()
}

thread_local! {
    /// Loaded prompt files by handle (see `template.rs` for the handle discipline).
    static PROMPTS: RefCell<Handles<Rc<PromptFile>>> = const { RefCell::new(Handles::new()) };
}

fn prompt(handle: u32) -> bridle::Result<Rc<PromptFile>> {
    PROMPTS.with(|table| table.borrow().live(handle, "prompt"))
}

/// Parses a prompt file of `format` (`dotprompt`, `prompty`) with the values of its
/// references (JSON: `{"env": {...}, "files": {...}}` for `${env:NAME}` and `${file:path}`);
/// returns its handle.
#[napi(js_name = "loadPrompt")]
pub fn load_prompt(source: String, format: String, refs: String) -> napi::Result<u32> {
    boundary(|| {
        let prompt = prompt_file::load_prompt_json(&source, &format, &refs)?;
        Ok(PROMPTS.with(|table| table.borrow_mut().insert(Rc::new(prompt))))
    })
}

/// A prompt file's front matter metadata, as JSON.
#[napi(js_name = "promptFrontMatter")]
pub fn prompt_front_matter(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(prompt(handle)?.front_matter_json()))
}

/// A prompt file's template body.
#[napi(js_name = "promptTemplate")]
pub fn prompt_template(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(prompt(handle)?.template().to_owned()))
}

/// Renders a prompt file: data, options and environment as JSON; the result as JSON.
#[napi(js_name = "renderPrompt")]
pub fn render_prompt(handle: u32, data: String, options: String, env: String) -> napi::Result<String> {
    boundary(|| prompt(handle)?.render_json(&data, &options, &env))
}

/// The metadata a render with these options would have, as JSON.
#[napi(js_name = "renderPromptMetadata")]
pub fn render_prompt_metadata(handle: u32, options: String, env: String) -> napi::Result<String> {
    boundary(|| prompt(handle)?.render_metadata_json(&options, &env))
}

/// Frees a prompt file; freeing twice, or an unknown handle, does nothing.
#[napi(js_name = "freePrompt")]
pub fn free_prompt(handle: u32) {
    PROMPTS.with(|table| table.borrow_mut().remove(handle));
}

/// A message-list operation (`normalize`, `toAnthropic`, `fromAnthropic`, `toGemini`,
/// `fromGemini`) on JSON text.
#[napi(js_name = "convertMessages")]
pub fn convert_messages(operation: String, input: String) -> napi::Result<String> {
    boundary(|| bridle::chat::message::convert_messages_json(&operation, &input))
}

thread_local! {
    /// Compiled chat prompts by handle.
    static CHAT_PROMPTS: RefCell<Handles<Rc<ChatPrompt>>> = const { RefCell::new(Handles::new()) };
}

fn chat_prompt(handle: u32) -> bridle::Result<Rc<ChatPrompt>> {
    CHAT_PROMPTS.with(|table| table.borrow().live(handle, "chat prompt"))
}

fn keep_chat_prompt(prompt: ChatPrompt) -> u32 {
    CHAT_PROMPTS.with(|table| table.borrow_mut().insert(Rc::new(prompt)))
}

/// Compiles a chat prompt from its entries and template options, both as JSON; its handle.
#[napi(js_name = "compileChatPrompt")]
pub fn compile_chat_prompt(entries: String, options: String) -> napi::Result<u32> {
    boundary(|| Ok(keep_chat_prompt(ChatPrompt::from_json_text(&entries, &options)?)))
}

/// The input names a chat prompt reads, placeholders included.
#[napi(js_name = "chatPromptVariables")]
pub fn chat_prompt_variables(handle: u32) -> napi::Result<Vec<String>> {
    boundary(|| Ok(chat_prompt(handle)?.variables().to_vec()))
}

/// Renders a chat prompt with data as JSON; OpenAI messages as JSON.
#[napi(js_name = "renderChatPrompt")]
pub fn render_chat_prompt(handle: u32, data: String) -> napi::Result<String> {
    boundary(|| chat_prompt(handle)?.render_json(&data))
}

/// A new chat prompt with some variables fixed; its handle.
#[napi(js_name = "partialChatPrompt")]
pub fn partial_chat_prompt(handle: u32, values: String) -> napi::Result<u32> {
    boundary(|| Ok(keep_chat_prompt(chat_prompt(handle)?.partial_json(&values)?)))
}

/// Frees a chat prompt; freeing twice, or an unknown handle, does nothing.
#[napi(js_name = "freeChatPrompt")]
pub fn free_chat_prompt(handle: u32) {
    CHAT_PROMPTS.with(|table| table.borrow_mut().remove(handle));
}
