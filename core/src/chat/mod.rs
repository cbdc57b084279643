//! Conversations: the message model and its provider shapes ([`message`]), chat prompt
//! templates ([`prompt`]), Hugging Face chat templates ([`chat_template`]) and prompt files
//! ([`prompt_file`]: Dotprompt `.prompt`, Prompty `.prompty`). Messages are assembled as
//! data, never by parsing rendered text, so a value inserted into a template cannot make a
//! new message or change a role.

pub mod chat_template;
pub mod message;
pub mod prompt;
pub mod prompt_file;
