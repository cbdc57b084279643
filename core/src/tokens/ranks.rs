//! The rank table: every mergeable token's bytes and its rank (which is also its id), read
//! from the formats the registry packages ship, and a hash table to find a byte string's rank.
//!
//! Accepted formats, told apart by their first bytes:
//! - tiktoken's own `.tiktoken` file: one `base64 rank` line per token;
//! - the `bpe_ranks` text of `js-tiktoken`'s and `tiktoken`'s rank objects: lines of
//!   `! first-rank base64 base64 ...`, ranks counting up from the first;
//! - the JSON of those objects (`{"pat_str", "special_tokens", "bpe_ranks"}`), as the
//!   `tiktoken` package's `encoders/*.json` files hold them.

use crate::{Error, ErrorKind, Result};

/// A token's rank, which is its id.
pub type Rank = u32;

/// Ranks above this are refused: they would make the id table larger than any real encoding.
const MAX_RANK: u32 = 1 << 24;

/// The mergeable tokens of an encoding.
pub struct Ranks {
    /// All token bytes, back to back.
    arena: Vec<u8>,
    /// Per rank: where its bytes are in `arena` (`start`, `end`); an unused rank is empty.
    spans: Vec<(u32, u32)>,
    /// Open-addressing hash table of `rank + 1` (0 is empty), sized a power of two.
    slots: Vec<u32>,
    mask: usize,
    /// The rank of each single byte.
    bytes: [Rank; 256],
    len: usize,
}

impl Ranks {
    /// Reads a rank table in one of the accepted formats.
    pub fn parse(data: &[u8]) -> Result<Ranks> {
        let trimmed = data.trim_ascii_start();
        let parsed = if trimmed.first() == Some(&b'{') {
            let value: serde_json::Value = serde_json::from_slice(data)
                .map_err(|error| Error::new(ErrorKind::InvalidData, format!("the rank table is not valid JSON: {error}")))?;
            let text = value
                .get("bpe_ranks")
                .and_then(|v| v.as_str())
                .ok_or_else(|| Error::new(ErrorKind::InvalidData, "the rank table's JSON has no `bpe_ranks` string"))?;
            parse_lines(text.as_bytes())?
        } else {
            parse_lines(data)?
        };
        Ranks::build(parsed)
    }

    /// Builds the table from `(bytes, rank)` pairs.
    pub fn from_entries(entries: Vec<(Vec<u8>, Rank)>) -> Result<Ranks> {
        let mut parsed = Parsed::default();
        for (bytes, rank) in entries {
            let start = parsed.arena.len() as u32;
            parsed.arena.extend_from_slice(&bytes);
            parsed.entries.push((start, parsed.arena.len() as u32, rank));
        }
        Ranks::build(parsed)
    }

    fn build(parsed: Parsed) -> Result<Ranks> {
        let Parsed { arena, entries } = parsed;
        if entries.is_empty() {
            return Err(Error::new(ErrorKind::InvalidData, "the rank table holds no tokens"));
        }
        let max_rank = entries.iter().map(|&(_, _, rank)| rank).max().unwrap_or(0);
        let mut spans = vec![(0u32, 0u32); max_rank as usize + 1];
        let capacity = (entries.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![0u32; capacity];
        let mask = capacity - 1;
        let mut bytes = [Rank::MAX; 256];
        for &(start, end, rank) in &entries {
            if start == end {
                return Err(Error::new(ErrorKind::InvalidData, format!("rank {rank} has an empty token")));
            }
            spans[rank as usize] = (start, end);
        }
        for &(start, end, rank) in &entries {
            let token = &arena[start as usize..end as usize];
            let mut slot = hash(token) as usize & mask;
            loop {
                match slots[slot] {
                    0 => {
                        slots[slot] = rank + 1;
                        break;
                    }
                    taken => {
                        let (s, e) = spans[taken as usize - 1];
                        if &arena[s as usize..e as usize] == token {
                            return Err(Error::new(
                                ErrorKind::InvalidData,
                                format!("ranks {} and {rank} have the same bytes", taken - 1),
                            ));
                        }
                        slot = (slot + 1) & mask;
                    }
                }
            }
            if token.len() == 1 {
                bytes[token[0] as usize] = rank;
            }
        }
        if let Some(missing) = bytes.iter().position(|&rank| rank == Rank::MAX) {
            return Err(Error::new(
                ErrorKind::InvalidData,
                format!("the rank table has no token for the byte 0x{missing:02X}; every byte needs one"),
            ));
        }
        Ok(Ranks { arena, spans, slots, mask, bytes, len: entries.len() })
    }

    /// How many mergeable tokens there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table is empty (never, once built).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// One more than the highest rank.
    pub fn end(&self) -> u32 {
        self.spans.len() as u32
    }

    /// The bytes of the token of `rank` (empty when no token has it).
    #[inline]
    pub fn token(&self, rank: Rank) -> &[u8] {
        match self.spans.get(rank as usize) {
            Some(&(start, end)) => &self.arena[start as usize..end as usize],
            None => &[],
        }
    }

    /// The rank of a single byte.
    #[inline]
    pub fn byte(&self, byte: u8) -> Rank {
        self.bytes[byte as usize]
    }

    /// The rank of `bytes`, if they are a token.
    #[inline]
    pub fn get(&self, bytes: &[u8]) -> Option<Rank> {
        if bytes.len() == 1 {
            return Some(self.bytes[bytes[0] as usize]);
        }
        let mut slot = hash(bytes) as usize & self.mask;
        loop {
            let entry = self.slots[slot];
            if entry == 0 {
                return None;
            }
            let (start, end) = self.spans[entry as usize - 1];
            if &self.arena[start as usize..end as usize] == bytes {
                return Some(entry - 1);
            }
            slot = (slot + 1) & self.mask;
        }
    }
}

/// A fast multiplicative hash over 8-byte words (the table is ours, the keys are not
/// adversarial: they come from the rank file, and lookups only probe).
#[inline]
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = 0u64;
        for (i, &b) in rest.iter().enumerate() {
            word |= (b as u64) << (8 * i);
        }
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

impl std::fmt::Debug for Ranks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ranks").field("len", &self.len).finish_non_exhaustive()
    }
}

/// Token bytes back to back, and each token's `(start, end, rank)` in them.
#[derive(Default)]
struct Parsed {
    arena: Vec<u8>,
    entries: Vec<(u32, u32, Rank)>,
}

/// Reads `.tiktoken` lines (`base64 rank`) or `bpe_ranks` lines (`! first base64 ...`).
fn parse_lines(data: &[u8]) -> Result<Parsed> {
    let mut parsed = Parsed { arena: Vec::with_capacity(data.len() * 3 / 5), entries: Vec::with_capacity(data.len() / 10) };
    let decode = |token: &[u8], rank: Rank, parsed: &mut Parsed| -> bool {
        let start = parsed.arena.len() as u32;
        if !decode_base64_into(token, &mut parsed.arena) {
            return false;
        }
        parsed.entries.push((start, parsed.arena.len() as u32, rank));
        true
    };
    for (index, line) in data.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let bad = |what: &str| {
            Error::new(ErrorKind::InvalidData, format!("rank table line {}: {what}", index + 1))
                .with_detail("line", serde_json::Value::from(index + 1))
        };
        let mut fields = line.split(|&b| b == b' ').filter(|field| !field.is_empty());
        let first = fields.next().ok_or_else(|| bad("empty"))?;
        if first == b"!" {
            let mut rank = parse_rank(fields.next().ok_or_else(|| bad("no first rank"))?).ok_or_else(|| bad("bad rank"))?;
            for token in fields {
                if !decode(token, rank, &mut parsed) {
                    return Err(bad("bad base64"));
                }
                rank = rank.checked_add(1).filter(|&r| r < MAX_RANK).ok_or_else(|| bad("rank too large"))?;
            }
        } else {
            let rank = parse_rank(fields.next().ok_or_else(|| bad("no rank"))?).ok_or_else(|| bad("bad rank"))?;
            if fields.next().is_some() {
                return Err(bad("more than two fields"));
            }
            if !decode(first, rank, &mut parsed) {
                return Err(bad("bad base64"));
            }
        }
    }
    Ok(parsed)
}

fn parse_rank(field: &[u8]) -> Option<Rank> {
    let text = std::str::from_utf8(field).ok()?;
    text.parse::<u32>().ok().filter(|&rank| rank < MAX_RANK)
}

/// Standard base64 with padding, as tiktoken writes it, appended to `out`; false if malformed.
fn decode_base64_into(text: &[u8], out: &mut Vec<u8>) -> bool {
    const INVALID: u8 = 0xFF;
    const TABLE: [u8; 256] = {
        let mut table = [INVALID; 256];
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut i = 0;
        while i < 64 {
            table[alphabet[i] as usize] = i as u8;
            i += 1;
        }
        table
    };
    if text.is_empty() || text.len() % 4 != 0 {
        return false;
    }
    let quads = text.len() / 4;
    for (i, quad) in text.chunks_exact(4).enumerate() {
        let pad = if i + 1 == quads { quad.iter().rev().take_while(|&&c| c == b'=').count() } else { 0 };
        if pad > 2 {
            return false;
        }
        let mut bits = 0u32;
        for &c in &quad[..4 - pad] {
            let value = TABLE[c as usize];
            if value == INVALID {
                return false;
            }
            bits = bits << 6 | value as u32;
        }
        bits <<= 6 * pad as u32;
        let bytes = [(bits >> 16) as u8, (bits >> 8) as u8, bits as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    true
}

#[cfg(test)]
fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    decode_base64_into(text, &mut out).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_tiktoken_tokens() {
        assert_eq!(decode_base64(b"IQ==").unwrap(), b"!");
        assert_eq!(decode_base64(b"IGhl").unwrap(), b" he");
        assert_eq!(decode_base64(b"aGVsbG8=").unwrap(), b"hello");
        assert!(decode_base64(b"a===").is_none());
        assert!(decode_base64(b"IQ==IQ==").is_none());
        assert!(decode_base64(b"I*==").is_none());
    }

    fn all_bytes() -> String {
        (0..=255u8).map(|b| format!("! {b} {}\n", b64(&[b]))).collect()
    }

    fn b64(bytes: &[u8]) -> String {
        const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.len();
            let bits =
                (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
            for i in 0..4 {
                out.push(if i <= n { ABC[(bits >> (18 - 6 * i)) as usize & 63] as char } else { '=' });
            }
        }
        out
    }

    #[test]
    fn both_line_formats_read_the_same_table() {
        let compressed = format!("{}! 256 {} {}\n", all_bytes(), b64(b"he"), b64(b"hello"));
        let plain: String = (0..=255u8).map(|b| format!("{} {b}\n", b64(&[b]))).collect::<String>()
            + &format!("{} 256\r\n{} 257\n", b64(b"he"), b64(b"hello"));
        for text in [compressed, plain] {
            let ranks = Ranks::parse(text.as_bytes()).unwrap();
            assert_eq!(ranks.len(), 258);
            assert_eq!(ranks.get(b"hello"), Some(257));
            assert_eq!(ranks.get(b"he"), Some(256));
            assert_eq!(ranks.get(b"hel"), None);
            assert_eq!(ranks.get(b"A"), Some(65));
            assert_eq!(ranks.token(257), b"hello");
        }
    }

    #[test]
    fn bad_tables_are_typed_errors_with_the_line() {
        let error = Ranks::parse(b"IQ== 0\nnot-base64 1\n").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidData);
        assert!(error.to_string().contains("line 2"), "{error}");
        let error = Ranks::parse(b"IQ== 0\n").unwrap_err();
        assert!(error.to_string().contains("0x00"), "{error}");
        let error = Ranks::parse(format!("{}{} 300\n", all_bytes(), b64(b"!")).as_bytes()).unwrap_err();
        assert!(error.to_string().contains("same bytes"), "{error}");
        assert_eq!(Ranks::parse(b"{\"x\": 1}").unwrap_err().kind(), ErrorKind::InvalidData);
    }
}
