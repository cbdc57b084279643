//! Tokens: an exact byte-pair-encoding tokenizer for OpenAI's tiktoken encodings, message
//! counting, estimates, and prompts packed to a token budget.

mod bpe;
pub mod budget;
pub mod encoding;
pub mod estimate;
pub mod messages;
pub mod ranks;
pub mod split;
mod tokenizer;
pub mod unicode;
pub mod wire;

pub use encoding::Encoding;
pub use messages::{count_messages, Counter, MessageCount};
pub use ranks::{Rank, Ranks};
pub use tokenizer::{SpecialPolicy, Specials, Tokenizer};
