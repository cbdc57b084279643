//! The encodings Bridle knows: each one's splitting pattern, special tokens and size, and the
//! models that use it.

use super::split::Pattern;

/// A tiktoken encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// GPT-4o, GPT-4.1, GPT-5, o-series reasoning models.
    O200kBase,
    /// GPT-4, GPT-3.5 Turbo, the `text-embedding-3` models.
    Cl100kBase,
    /// Codex and `text-davinci-002/003`.
    P50kBase,
    /// `p50k_base` with fill-in-the-middle specials (the edit models).
    P50kEdit,
    /// GPT-3 (`davinci`, `curie`, ...); `gpt2` has the same ranks.
    R50kBase,
}

impl Encoding {
    /// Every encoding.
    pub const ALL: [Encoding; 5] =
        [Encoding::O200kBase, Encoding::Cl100kBase, Encoding::P50kBase, Encoding::P50kEdit, Encoding::R50kBase];

    /// tiktoken's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
            Encoding::P50kBase => "p50k_base",
            Encoding::P50kEdit => "p50k_edit",
            Encoding::R50kBase => "r50k_base",
        }
    }

    /// The encoding of a tiktoken name (`gpt2` is `r50k_base`).
    pub fn from_name(name: &str) -> Option<Encoding> {
        if name == "gpt2" {
            return Some(Encoding::R50kBase);
        }
        Encoding::ALL.into_iter().find(|encoding| encoding.name() == name)
    }

    /// The pattern that splits text before merging.
    pub fn pattern(self) -> Pattern {
        match self {
            Encoding::O200kBase => Pattern::O200k,
            Encoding::Cl100kBase => Pattern::Cl100k,
            _ => Pattern::Gpt2,
        }
    }

    /// Its special tokens and their ids.
    pub fn special_tokens(self) -> &'static [(&'static str, u32)] {
        match self {
            Encoding::O200kBase => &[("<|endoftext|>", 199999), ("<|endofprompt|>", 200018)],
            Encoding::Cl100kBase => &[
                ("<|endoftext|>", 100257),
                ("<|fim_prefix|>", 100258),
                ("<|fim_middle|>", 100259),
                ("<|fim_suffix|>", 100260),
                ("<|endofprompt|>", 100276),
            ],
            Encoding::P50kBase | Encoding::R50kBase => &[("<|endoftext|>", 50256)],
            Encoding::P50kEdit => {
                &[("<|endoftext|>", 50256), ("<|fim_prefix|>", 50281), ("<|fim_middle|>", 50282), ("<|fim_suffix|>", 50283)]
            }
        }
    }

    /// How many mergeable tokens its rank table has (a check that the right table was given).
    pub fn mergeable_tokens(self) -> usize {
        match self {
            Encoding::O200kBase => 199_998,
            Encoding::Cl100kBase => 100_256,
            Encoding::P50kBase | Encoding::P50kEdit => 50_280,
            Encoding::R50kBase => 50_256,
        }
    }

    /// The encoding a rank table of `tokens` mergeable tokens belongs to, when only one does
    /// (`p50k_base` and `p50k_edit` share a table: `p50k_base` is chosen).
    pub fn from_table_size(tokens: usize) -> Option<Encoding> {
        Encoding::ALL.into_iter().find(|encoding| encoding.mergeable_tokens() == tokens)
    }

    /// The encoding of an OpenAI model name, by the names tiktoken knows and their prefixes.
    pub fn for_model(model: &str) -> Option<Encoding> {
        // Exact names first, then prefixes (dated snapshots, fine-tunes `ft:gpt-4o:...`).
        let model = model.strip_prefix("ft:").unwrap_or(model);
        const EXACT: &[(&str, Encoding)] = &[
            ("gpt-4", Encoding::Cl100kBase),
            ("gpt-3.5-turbo", Encoding::Cl100kBase),
            ("gpt-35-turbo", Encoding::Cl100kBase),
            ("davinci-002", Encoding::Cl100kBase),
            ("babbage-002", Encoding::Cl100kBase),
            ("text-embedding-ada-002", Encoding::Cl100kBase),
            ("text-embedding-3-small", Encoding::Cl100kBase),
            ("text-embedding-3-large", Encoding::Cl100kBase),
            ("text-davinci-003", Encoding::P50kBase),
            ("text-davinci-002", Encoding::P50kBase),
            ("code-davinci-002", Encoding::P50kBase),
            ("code-davinci-001", Encoding::P50kBase),
            ("code-cushman-002", Encoding::P50kBase),
            ("code-cushman-001", Encoding::P50kBase),
            ("davinci-codex", Encoding::P50kBase),
            ("cushman-codex", Encoding::P50kBase),
            ("text-davinci-edit-001", Encoding::P50kEdit),
            ("code-davinci-edit-001", Encoding::P50kEdit),
            ("text-davinci-001", Encoding::R50kBase),
            ("text-curie-001", Encoding::R50kBase),
            ("text-babbage-001", Encoding::R50kBase),
            ("text-ada-001", Encoding::R50kBase),
            ("davinci", Encoding::R50kBase),
            ("curie", Encoding::R50kBase),
            ("babbage", Encoding::R50kBase),
            ("ada", Encoding::R50kBase),
            ("gpt2", Encoding::R50kBase),
        ];
        const PREFIXES: &[(&str, Encoding)] = &[
            ("o1", Encoding::O200kBase),
            ("o3", Encoding::O200kBase),
            ("o4", Encoding::O200kBase),
            ("gpt-5", Encoding::O200kBase),
            ("gpt-4.1", Encoding::O200kBase),
            ("gpt-4.5", Encoding::O200kBase),
            ("gpt-4o", Encoding::O200kBase),
            ("chatgpt-4o", Encoding::O200kBase),
            ("gpt-oss", Encoding::O200kBase),
            ("gpt-4-", Encoding::Cl100kBase),
            ("gpt-3.5-turbo-", Encoding::Cl100kBase),
            ("gpt-35-turbo-", Encoding::Cl100kBase),
            ("text-embedding-", Encoding::Cl100kBase),
        ];
        if let Some(&(_, encoding)) = EXACT.iter().find(|(name, _)| *name == model) {
            return Some(encoding);
        }
        let base = model.split(':').next().unwrap_or(model);
        PREFIXES.iter().find(|(prefix, _)| base.starts_with(prefix)).map(|&(_, encoding)| encoding)
    }
}
