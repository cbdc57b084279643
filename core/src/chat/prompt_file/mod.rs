//! Prompt files: a prompt kept as a file, with its settings (model, sampling configuration,
//! input and output schemas) in YAML front matter above a template body.
//!
//! [`dotprompt`] reads Google's Dotprompt `.prompt` files: the front matter, [`picoschema`]
//! for compact schemas, and a Handlebars body whose `role`, `history`, `media` and `section`
//! helpers turn the rendered text into messages. Messages are assembled from what the
//! helpers themselves emitted, never by parsing text a value could have written.
//!
//! [`prompty`] reads Microsoft's Prompty `.prompty` files: the body is cut into role sections
//! before it is rendered, so again no value can start a message.

pub mod dotprompt;
mod front_matter;
pub mod picoschema;
pub mod prompty;

pub use dotprompt::{parse_dotprompt, Dotprompt, DotpromptEnv, RenderedPrompt};
pub use prompty::{parse_prompty, Prompty, PromptyEnv};

use crate::error::{Error, ErrorKind, Result};
use serde_json::{Map, Value};

/// A prompt file of any supported format, for callers that pick the format by name.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PromptFile {
    /// A Dotprompt `.prompt` file.
    Dotprompt(Dotprompt),
    /// A Prompty `.prompty` file.
    Prompty(prompty::Prompty),
}

/// Parses `source` as a prompt file of `format`: `"dotprompt"` or `"prompty"`, whose
/// `${env:NAME}` and `${file:path}` references read `refs` (Dotprompt files have none).
pub fn load_prompt(source: &str, format: &str, refs: &PromptyEnv) -> Result<PromptFile> {
    match format {
        "dotprompt" | "prompt" => Ok(PromptFile::Dotprompt(parse_dotprompt(source)?)),
        "prompty" => Ok(PromptFile::Prompty(prompty::parse_prompty(source, refs)?)),
        other => Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("unknown prompt file format '{other}' (expected 'dotprompt' or 'prompty')"),
        )
        .with_detail("format", other)),
    }
}

/// [`load_prompt`] with the references' values as JSON text, as the bindings get them:
/// `{"env": {name: value}, "files": {path: text}}`, both optional.
pub fn load_prompt_json(source: &str, format: &str, refs: &str) -> Result<PromptFile> {
    let Value::Object(mut map) = parse(refs, "load options")? else {
        return Err(Error::new(ErrorKind::InvalidArgument, "the prompt's load options must be an object"));
    };
    let mut take = |key: &str, what: &str| match map.remove(key) {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(values)) => Ok(values),
        Some(_) => Err(Error::new(ErrorKind::InvalidArgument, format!("the prompt's {what} must be an object"))),
    };
    let refs = PromptyEnv { env: take("env", "environment variables")?, files: take("files", "files")? };
    if let Some(key) = map.keys().next() {
        return Err(Error::new(ErrorKind::InvalidArgument, format!("unknown prompt load option '{key}'")));
    }
    load_prompt(source, format, &refs)
}

impl PromptFile {
    /// The front matter's metadata as JSON (Dotprompt: `model`, `config`, `ext`, `metadata`,
    /// `raw`, the schemas as written...).
    pub fn front_matter_json(&self) -> String {
        match self {
            PromptFile::Dotprompt(prompt) => Value::Object(prompt.front_matter().clone()).to_string(),
            PromptFile::Prompty(prompt) => Value::Object(prompt.front_matter().clone()).to_string(),
        }
    }

    /// The template body.
    pub fn template(&self) -> &str {
        match self {
            PromptFile::Dotprompt(prompt) => prompt.template(),
            PromptFile::Prompty(prompt) => prompt.template(),
        }
    }

    /// Renders with `data`, render `options` and an environment (`{"partials": {name:
    /// source}, "schemas": {name: schema}}`), all as JSON text, as the bindings get them; the
    /// result as JSON text (Dotprompt: the metadata's fields and `messages`).
    pub fn render_json(&self, data: &str, options: &str, env: &str) -> Result<String> {
        let (data, options, env) = (parse(data, "data")?, parse(options, "options")?, environment(env)?);
        match self {
            PromptFile::Dotprompt(prompt) => Ok(prompt.render_with(&data, &options, &env)?.to_json().to_string()),
            PromptFile::Prompty(prompt) => Ok(prompt.render(&data)?.to_string()),
        }
    }

    /// The metadata a render with `options` would have, without rendering the body, as JSON.
    pub fn render_metadata_json(&self, options: &str, env: &str) -> Result<String> {
        let (options, env) = (parse(options, "options")?, environment(env)?);
        match self {
            PromptFile::Dotprompt(prompt) => Ok(Value::Object(prompt.render_metadata(&options, &env)?).to_string()),
            PromptFile::Prompty(prompt) => Ok(Value::Object(prompt.front_matter().clone()).to_string()),
        }
    }
}

fn parse(text: &str, what: &str) -> Result<Value> {
    crate::json::from_js_json(text)
        .map_err(|e| Error::new(ErrorKind::InvalidData, format!("the prompt's {what} are not JSON: {e}")).with_source(e))
}

/// `{"partials": {name: source}, "schemas": {name: schema}}` as a [`DotpromptEnv`].
fn environment(text: &str) -> Result<DotpromptEnv> {
    let mut env = DotpromptEnv::default();
    let Value::Object(mut map) = parse(text, "environment")? else {
        return Err(Error::new(ErrorKind::InvalidArgument, "the prompt's environment must be an object"));
    };
    if let Some(Value::Object(partials)) = map.remove("partials") {
        for (name, source) in partials {
            let Value::String(source) = source else {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("partial '{name}' must be a string of template source"),
                ));
            };
            env.partials.push((name, source));
        }
    }
    if let Some(Value::Object(schemas)) = map.remove("schemas") {
        env.schemas = schemas;
    }
    if let Some(key) = map.keys().next() {
        return Err(Error::new(ErrorKind::InvalidArgument, format!("unknown prompt option '{key}'")));
    }
    Ok(env)
}
