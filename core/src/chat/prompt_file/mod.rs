//! Prompt files: a prompt kept as a file, with its settings (model, sampling configuration,
//! input and output schemas) in YAML front matter above a template body.
//!
//! [`dotprompt`] reads Google's Dotprompt `.prompt` files: the front matter, [`picoschema`]
//! for compact schemas, and a Handlebars body whose `role`, `history`, `media` and `section`
//! helpers turn the rendered text into messages. Messages are assembled from what the
//! helpers themselves emitted, never by parsing text a value could have written.

pub mod dotprompt;
mod front_matter;
pub mod picoschema;

pub use dotprompt::{parse_dotprompt, Dotprompt, DotpromptEnv, RenderedPrompt};
