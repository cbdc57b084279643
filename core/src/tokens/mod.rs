//! Tokens: an exact byte-pair-encoding tokenizer for OpenAI's tiktoken encodings, message
//! counting, estimates, and prompts packed to a token budget.

mod bpe;
pub mod encoding;
pub mod ranks;
pub mod split;
mod tokenizer;
pub mod unicode;

pub use encoding::Encoding;
pub use ranks::{Rank, Ranks};
pub use tokenizer::{SpecialPolicy, Specials, Tokenizer};
