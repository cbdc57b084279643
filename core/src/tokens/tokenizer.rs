//! [`Tokenizer`]: encode, decode and count with one encoding's rank table, special tokens
//! handled as tiktoken handles them.

use super::bpe::encode_piece;
use super::encoding::Encoding;
use super::ranks::{Rank, Ranks};
use super::split::{pieces, Pattern};
use crate::{Error, ErrorKind, Result};
use serde_json::Value;

/// Which special tokens a call lets through, as tiktoken's `allowed_special` and
/// `disallowed_special`: an allowed one in the text becomes its id; a disallowed one is an
/// error (`special_token`); one that is neither is encoded as ordinary text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpecialPolicy {
    /// The special tokens encoded as themselves.
    pub allowed: Specials,
    /// The special tokens whose appearance is an error; `All` means all not allowed.
    pub disallowed: Specials,
}

/// A set of special tokens.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Specials {
    /// None of them.
    None,
    /// All of them (`"all"`).
    #[default]
    All,
    /// These, by their text.
    Some(Vec<String>),
}

impl SpecialPolicy {
    /// tiktoken's default: nothing allowed, everything disallowed.
    pub fn strict() -> SpecialPolicy {
        SpecialPolicy { allowed: Specials::None, disallowed: Specials::All }
    }

    /// Special tokens are ordinary text: neither allowed nor disallowed.
    pub fn ordinary() -> SpecialPolicy {
        SpecialPolicy { allowed: Specials::None, disallowed: Specials::None }
    }

    /// Every special token is allowed.
    pub fn all() -> SpecialPolicy {
        SpecialPolicy { allowed: Specials::All, disallowed: Specials::None }
    }
}

/// An encoding with its rank table loaded: encodes, decodes and counts tokens.
///
/// ```no_run
/// use bridle::tokens::{Tokenizer, SpecialPolicy};
/// // The bytes of a rank table: `o200k_base.tiktoken`, or the `bpe_ranks` of js-tiktoken's ranks.
/// let table = std::fs::read("o200k_base.tiktoken")?;
/// let tokenizer = Tokenizer::load(&table, Some("o200k_base"))?;
/// let ids = tokenizer.encode("Hello, world!", &SpecialPolicy::strict())?;
/// assert_eq!(tokenizer.decode(&ids)?, "Hello, world!");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Tokenizer {
    encoding: Encoding,
    pattern: Pattern,
    ranks: Ranks,
    specials: Vec<(String, Rank)>,
}

impl Tokenizer {
    /// Loads a rank table (any format [`Ranks::parse`] reads) for `encoding` (a tiktoken name);
    /// without a name, the encoding is told from the table's size.
    pub fn load(table: &[u8], encoding: Option<&str>) -> Result<Tokenizer> {
        let ranks = Ranks::parse(table)?;
        let encoding = match encoding {
            Some(name) => Encoding::from_name(name).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!("unknown encoding `{name}`; known: {}", Encoding::ALL.map(Encoding::name).join(", ")),
                )
                .with_detail("option", "encoding")
            })?,
            None => Encoding::from_table_size(ranks.len()).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!("a rank table of {} tokens is not one of the known encodings; name it", ranks.len()),
                )
                .with_detail("option", "encoding")
            })?,
        };
        if ranks.len() != encoding.mergeable_tokens() {
            return Err(Error::new(
                ErrorKind::InvalidData,
                format!(
                    "{} has {} mergeable tokens but this rank table has {}: it is another encoding's table",
                    encoding.name(),
                    encoding.mergeable_tokens(),
                    ranks.len()
                ),
            ));
        }
        Tokenizer::new(encoding, ranks)
    }

    /// A tokenizer over an already-read rank table.
    pub fn new(encoding: Encoding, ranks: Ranks) -> Result<Tokenizer> {
        let specials: Vec<(String, Rank)> =
            encoding.special_tokens().iter().map(|&(text, id)| (text.to_owned(), id)).collect();
        Ok(Tokenizer { encoding, pattern: encoding.pattern(), ranks, specials })
    }

    /// The encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// One more than the highest token id, special tokens included.
    pub fn vocab_size(&self) -> u32 {
        self.specials.iter().map(|&(_, id)| id + 1).max().unwrap_or(0).max(self.ranks.end())
    }

    /// The special tokens and their ids.
    pub fn special_tokens(&self) -> &[(String, Rank)] {
        &self.specials
    }

    /// The token ids of `text`.
    pub fn encode(&self, text: &str, policy: &SpecialPolicy) -> Result<Vec<Rank>> {
        let mut out = Vec::with_capacity(text.len() / 4 + 1);
        self.encode_into(text, policy, &mut out)?;
        Ok(out)
    }

    /// How many tokens `text` has.
    pub fn count(&self, text: &str, policy: &SpecialPolicy) -> Result<usize> {
        let mut count = 0;
        let mut scratch = Vec::with_capacity(64);
        self.segments(text, policy, |segment| match segment {
            Segment::Ordinary(part) => {
                for piece in pieces(part, self.pattern) {
                    if self.ranks.get(piece.as_bytes()).is_some() {
                        count += 1;
                    } else {
                        scratch.clear();
                        encode_piece(piece.as_bytes(), &self.ranks, &mut scratch);
                        count += scratch.len();
                    }
                }
            }
            Segment::Special(_) => count += 1,
        })?;
        Ok(count)
    }

    /// Appends the token ids of `text` to `out`.
    pub fn encode_into(&self, text: &str, policy: &SpecialPolicy, out: &mut Vec<Rank>) -> Result<()> {
        self.segments(text, policy, |segment| match segment {
            Segment::Ordinary(part) => self.encode_ordinary_into(part, out),
            Segment::Special(id) => out.push(id),
        })
    }

    /// Encodes `text` with special tokens as ordinary text (tiktoken's `encode_ordinary`).
    pub fn encode_ordinary_into(&self, text: &str, out: &mut Vec<Rank>) {
        for piece in pieces(text, self.pattern) {
            encode_piece(piece.as_bytes(), &self.ranks, out);
        }
    }

    /// The bytes of `ids`; an id that is no token is an `invalid_argument` error.
    pub fn decode_bytes(&self, ids: &[Rank]) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(ids.len() * 4);
        for (index, &id) in ids.iter().enumerate() {
            let token = self.ranks.token(id);
            if !token.is_empty() {
                out.extend_from_slice(token);
            } else if let Some((text, _)) = self.specials.iter().find(|&&(_, special)| special == id) {
                out.extend_from_slice(text.as_bytes());
            } else {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("token id {id} (at index {index}) is not in {}", self.encoding.name()),
                )
                .with_detail("index", Value::from(index))
                .with_detail("id", Value::from(id)));
            }
        }
        Ok(out)
    }

    /// The text of `ids`; bytes that are not UTF-8 (a token can hold part of a character)
    /// become U+FFFD, as tiktoken's `decode` does.
    pub fn decode(&self, ids: &[Rank]) -> Result<String> {
        let bytes = self.decode_bytes(ids)?;
        Ok(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        })
    }

    /// The bytes of one token id.
    pub fn token_bytes(&self, id: Rank) -> Option<&[u8]> {
        let token = self.ranks.token(id);
        if !token.is_empty() {
            return Some(token);
        }
        self.specials.iter().find(|&&(_, special)| special == id).map(|(text, _)| text.as_bytes())
    }

    /// Walks `text` as ordinary segments and allowed special tokens, in order.
    fn segments(&self, text: &str, policy: &SpecialPolicy, mut each: impl FnMut(Segment<'_>)) -> Result<()> {
        let is_in = |set: &Specials, token: &str| match set {
            Specials::None => false,
            Specials::All => true,
            Specials::Some(list) => list.iter().any(|t| t == token),
        };
        if let Specials::Some(list) = &policy.allowed {
            self.check_known(list, "allowedSpecial")?;
        }
        if let Specials::Some(list) = &policy.disallowed {
            self.check_known(list, "disallowedSpecial")?;
        }
        let allowed = |token: &str| is_in(&policy.allowed, token);
        let disallowed = |token: &str| match &policy.disallowed {
            // "all" means all that are not allowed.
            Specials::All => !allowed(token),
            set => is_in(set, token),
        };
        let nothing_special = matches!(policy.allowed, Specials::None) && matches!(policy.disallowed, Specials::None);
        let mut start = 0;
        if !nothing_special {
            // Overlapping matches matter: a disallowed token may hide inside an allowed one's
            // span only if one special contains another, which no encoding's do.
            for (found_start, index) in self.find_specials(text) {
                let (token, id) = (self.specials[index].0.as_str(), self.specials[index].1);
                let found_end = found_start + token.len();
                if disallowed(token) {
                    let chars = text[..found_start].chars().count();
                    return Err(Error::new(
                        ErrorKind::SpecialToken,
                        format!(
                            "the text holds the special token {token} at character {chars}; allow it \
                             (allowedSpecial) to encode it as one token, or let it through as text \
                             (disallowedSpecial: [] or countText)"
                        ),
                    )
                    .with_detail("token", token)
                    .with_detail("offset", Value::from(text[..found_start].encode_utf16().count())));
                }
                if allowed(token) {
                    if found_start > start {
                        each(Segment::Ordinary(&text[start..found_start]));
                    }
                    each(Segment::Special(id));
                    start = found_end;
                }
            }
        }
        if start < text.len() {
            each(Segment::Ordinary(&text[start..]));
        }
        Ok(())
    }

    /// The special tokens in `text`, left to right without overlaps, the longest at a place:
    /// `(start, index into specials)`. They are few and all start with a rare byte (`<`), so a
    /// byte scan beats building an automaton.
    fn find_specials<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize)> + 't {
        let bytes = text.as_bytes();
        let mut at = 0;
        std::iter::from_fn(move || {
            while at < bytes.len() {
                let here = at;
                at += 1;
                if !self.specials.iter().any(|(special, _)| special.as_bytes()[0] == bytes[here]) {
                    continue;
                }
                let found = self
                    .specials
                    .iter()
                    .enumerate()
                    .filter(|(_, (special, _))| bytes[here..].starts_with(special.as_bytes()))
                    .max_by_key(|(_, (special, _))| special.len());
                if let Some((index, (special, _))) = found {
                    at = here + special.len();
                    return Some((here, index));
                }
            }
            None
        })
    }

    fn check_known(&self, list: &[String], option: &str) -> Result<()> {
        match list.iter().find(|token| !self.specials.iter().any(|(known, _)| known == *token)) {
            Some(unknown) => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("`{unknown}` is not a special token of {}", self.encoding.name()),
            )
            .with_detail("option", option)),
            None => Ok(()),
        }
    }
}

enum Segment<'a> {
    Ordinary(&'a str),
    Special(Rank),
}
