//! # Bridle
//!
//! The core of Bridle: deterministic code for building products on foundation models —
//! prompt templates first, with chat prompts, structured output, guardrails, model wire
//! formats, chains and token budgets to follow. The crate has no I/O and no async runtime of
//! its own and no dependency on any JavaScript binding: the WebAssembly module and the Node
//! addon are thin layers over it, which is why both behave identically.
//!
//! ```
//! use bridle::{Template, TemplateOptions};
//! use serde_json::json;
//!
//! let prompt = Template::compile(
//!     "Summarise {{the text}} for {audience}:\n{text}",
//!     &TemplateOptions::default(),
//! )?;
//! assert_eq!(prompt.variables(), ["audience", "text"]);
//! let out = prompt.render(&json!({"audience": "a child", "text": "Rust is a language."}))?;
//! assert_eq!(out, "Summarise {the text} for a child:\nRust is a language.");
//! # Ok::<(), bridle::Error>(())
//! ```
//!
//! Every failure is an [`Error`] whose [`ErrorKind`] has a stable code string
//! ([`ErrorKind::code`]); JavaScript sees the same code on `BridleError.code`.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod chain;
pub mod chat;
pub mod error;
pub mod guard;
pub mod handles;
pub mod json;
pub mod model;
pub mod parse;
pub mod template;
pub mod tokens;

pub use error::{Error, ErrorKind, Location, Result};
pub use template::{Escape, HandlebarsOptions, JinjaWhitespace, Syntax, Template, TemplateOptions};

/// The version of this crate, which the bindings report to JavaScript.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
