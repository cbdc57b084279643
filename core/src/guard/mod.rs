//! Guardrails: deterministic checks on text going to a model and coming back.
//!
//! Scanners ([`Scanner`]) report [`Finding`]s as data: PII validated by check digits and
//! issuer rules ([`pii`]), secrets by a keyword-prefiltered rule set ([`secrets`]),
//! prompt-injection heuristics ([`injection`]), Unicode hygiene ([`unicode`]) and text rules
//! for input and output ([`text`]). They are compiled once from JSON options
//! ([`options::Options`]) and hold no per-text state.

pub mod checksum;
pub mod finding;
pub mod injection;
pub mod options;
pub mod pii;
pub mod policy;
pub mod redact;
pub mod scan;
pub mod secrets;
pub mod stream;
pub mod text;
pub mod unicode;
pub mod wire;

pub use finding::{sort_findings, trailing_token_start, Finding, Scanner};
