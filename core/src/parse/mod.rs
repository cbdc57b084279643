//! Structured output: turning a model's text into values. An incremental JSON parser that
//! emits changes as text streams in ([`json_stream`]), JSON Schema validation ([`schema`]).
//!
//! Everything here works on text already received; nothing waits or does I/O.

pub mod json_stream;
pub mod list;
pub mod repair;
pub mod schema;
pub mod tagged;
