//! Packing a prompt into a token budget: sections with priorities and trimming rules are cut,
//! lowest priority first, until the rendered prompt fits `maxTokens - reserve`, and every cut
//! is reported.
//!
//! The packer does not render: it is a small state machine that proposes section values,
//! is told the exact token count of the prompt rendered from them, and trims by the
//! difference until the count fits (or nothing is left to trim). So the same packer serves
//! chat prompts, templates and plain message lists, and the count it reports is exact.
//!
//! ```
//! use bridle::tokens::budget::{Packer, PackSpec};
//! use bridle::tokens::Counter;
//! use serde_json::json;
//!
//! let spec = PackSpec::from_json(&json!({
//!     "maxTokens": 40, "reserve": 10,
//!     "sections": [
//!         {"name": "docs", "value": ["One. Two. Three.", "Four. Five. Six."], "trim": "truncate", "priority": 1},
//!     ]
//! }))?;
//! let mut packer = Packer::new(spec, Counter::Estimate)?;
//! loop {
//!     let values = packer.values();
//!     let text = values["docs"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect::<Vec<_>>().join("\n");
//!     let tokens = bridle::tokens::estimate::estimate_text(&text) + 25; // the rest of the prompt
//!     if packer.observe(tokens) { break; }
//! }
//! assert!(packer.report()["fits"].as_bool().unwrap());
//! # Ok::<(), bridle::Error>(())
//! ```

use super::messages::{count_message, Counter};
use crate::chat::message::Message;
use crate::{Error, ErrorKind, Result};
use serde_json::{json, Map, Value};

/// How a section may be cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trim {
    /// Never: the section is required.
    None,
    /// Drop the oldest items first (chat history); messages go a whole turn at a time.
    DropOldest,
    /// Drop the last items first (few-shot examples, documents ranked best first); messages go
    /// a whole turn at a time.
    DropLast,
    /// Cut text at sentence boundaries, the last item first; an item cut below `minTokens`
    /// is dropped.
    Truncate,
}

impl Trim {
    fn from_name(name: &str) -> Option<Trim> {
        Some(match name {
            "none" => Trim::None,
            "drop-oldest" => Trim::DropOldest,
            "drop-last" => Trim::DropLast,
            "truncate" => Trim::Truncate,
            _ => return None,
        })
    }
}

/// One section: a named value (text or a list) with its rule.
#[derive(Debug, Clone)]
pub struct SectionSpec {
    /// The data key the value goes to.
    pub name: String,
    /// Higher is kept longer; sections are trimmed lowest first (ties: listed first, first).
    pub priority: i64,
    /// The rule.
    pub trim: Trim,
    /// Items never dropped: the newest for `drop-oldest`, the first for `drop-last` and `truncate`.
    pub keep: usize,
    /// An item truncated below this many tokens is dropped instead.
    pub min_tokens: usize,
    /// The text field of object items (default: `text`, `content` or `pageContent`, the first present).
    pub field: Option<String>,
    /// The value: a string, or an array of strings, messages or objects.
    pub value: Value,
}

/// What to pack.
#[derive(Debug, Clone)]
pub struct PackSpec {
    /// The model's context window, or the part of it the prompt may use with the answer.
    pub max_tokens: usize,
    /// Tokens kept free for the answer.
    pub reserve: usize,
    /// The sections.
    pub sections: Vec<SectionSpec>,
}

impl PackSpec {
    /// Reads `{ maxTokens, reserve?, sections: [{ name, value, trim?, priority?, keep?, minTokens?, field? }] }`.
    pub fn from_json(value: &Value) -> Result<PackSpec> {
        let bad =
            |option: &str, message: String| Error::new(ErrorKind::InvalidArgument, message).with_detail("option", option);
        let count = |value: Option<&Value>, option: &str, default: Option<usize>| -> Result<usize> {
            match value {
                None | Some(Value::Null) => default.ok_or_else(|| bad(option, format!("`{option}` is required"))),
                Some(v) => v
                    .as_u64()
                    // At most u32::MAX, so that wasm32's 32-bit usize reads it as native does.
                    .filter(|&n| n <= u64::from(u32::MAX))
                    .map(|n| n as usize)
                    .ok_or_else(|| {
                        bad(option, format!("`{option}` must be a whole number of tokens up to 4294967295, not {v}"))
                    }),
            }
        };
        let object = value.as_object().ok_or_else(|| bad("options", "pack options must be an object".into()))?;
        let max_tokens = count(object.get("maxTokens"), "maxTokens", None)?;
        let reserve = count(object.get("reserve"), "reserve", Some(0))?;
        let list = object
            .get("sections")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("sections", "`sections` must be an array".into()))?;
        let mut sections = Vec::with_capacity(list.len());
        for (index, section) in list.iter().enumerate() {
            let option = format!("sections[{index}]");
            let section = section.as_object().ok_or_else(|| bad(&option, format!("{option} must be an object")))?;
            let name = section
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(&option, format!("{option} needs a `name`")))?;
            let trim_name = section.get("trim").and_then(Value::as_str).unwrap_or("none");
            let trim = Trim::from_name(trim_name).ok_or_else(|| {
                bad(&option, format!("{option}.trim `{trim_name}` is not one of none, drop-oldest, drop-last, truncate"))
            })?;
            let value = section.get("value").cloned().unwrap_or(Value::Null);
            if !(value.is_string() || value.is_array() || (value.is_null() && trim == Trim::None)) {
                return Err(bad(&option, format!("section `{name}` needs a string or an array as its value")));
            }
            let priority = match section.get("priority") {
                None | Some(Value::Null) => 0,
                Some(v) => v.as_i64().ok_or_else(|| bad(&option, format!("{option}.priority must be an integer")))?,
            };
            sections.push(SectionSpec {
                name: name.to_owned(),
                priority,
                trim,
                keep: count(section.get("keep"), &format!("{option}.keep"), Some(0))?,
                min_tokens: count(section.get("minTokens"), &format!("{option}.minTokens"), Some(1))?,
                field: section.get("field").and_then(Value::as_str).map(str::to_owned),
                value,
            });
        }
        Ok(PackSpec { max_tokens, reserve, sections })
    }
}

/// One cut, as reported.
#[derive(Debug, Clone)]
struct Cut {
    section: String,
    action: &'static str,
    index: usize,
    tokens_before: usize,
    tokens_after: usize,
}

struct Item {
    value: Value,
    /// Replaced text after truncation.
    text: Option<String>,
    tokens: usize,
    kept: bool,
    /// Index of the turn (drop unit) the item belongs to; pinned items are never dropped.
    unit: usize,
    pinned: bool,
}

struct Section {
    spec: SectionSpec,
    /// A string value is one item.
    is_text: bool,
    items: Vec<Item>,
}

/// The packer (see the module docs).
pub struct Packer {
    max_tokens: usize,
    reserve: usize,
    counter: Counter,
    sections: Vec<Section>,
    cuts: Vec<Cut>,
    last_total: Option<usize>,
    rounds: usize,
    fits: bool,
    done: bool,
}

/// Rounds after which the packer stops even if the estimates keep missing (they converge in
/// two or three; this only guards against a renderer whose output does not shrink).
const MAX_ROUNDS: usize = 64;

impl Packer {
    /// A packer for `spec`, counting item sizes with `counter`.
    pub fn new(spec: PackSpec, counter: Counter) -> Result<Packer> {
        let mut sections = Vec::with_capacity(spec.sections.len());
        for section in spec.sections {
            let mut items = Vec::new();
            let is_text = section.value.is_string();
            match &section.value {
                Value::String(text) => items.push(Item {
                    tokens: counter.text(text),
                    value: section.value.clone(),
                    text: None,
                    kept: true,
                    unit: 0,
                    pinned: false,
                }),
                Value::Array(list) => {
                    let mut unit = 0;
                    for (index, value) in list.iter().enumerate() {
                        let message = value.get("role").and_then(Value::as_str);
                        // A user message opens a turn; what answers it goes with it.
                        if message == Some("user") && index > 0 {
                            unit += 1;
                        } else if message.is_none() && index > 0 {
                            unit += 1;
                        }
                        let pinned = matches!(message, Some("system" | "developer")) && section.trim == Trim::DropOldest;
                        items.push(Item {
                            tokens: item_tokens(&counter, value, section.field.as_deref()),
                            value: value.clone(),
                            text: None,
                            kept: true,
                            unit,
                            pinned,
                        });
                    }
                }
                _ => {}
            }
            sections.push(Section { spec: section, is_text, items });
        }
        Ok(Packer {
            max_tokens: spec.max_tokens,
            reserve: spec.reserve,
            counter,
            sections,
            cuts: Vec::new(),
            last_total: None,
            rounds: 0,
            fits: false,
            done: false,
        })
    }

    /// The tokens the prompt may take: `maxTokens - reserve`.
    pub fn budget(&self) -> usize {
        self.max_tokens.saturating_sub(self.reserve)
    }

    /// The current value of every section, by name: what the prompt is rendered with.
    pub fn values(&self) -> Map<String, Value> {
        let mut out = Map::new();
        for section in &self.sections {
            let value = if section.is_text {
                let item = &section.items[0];
                Value::String(if item.kept {
                    item.text.clone().unwrap_or_else(|| item.value.as_str().unwrap_or("").to_owned())
                } else {
                    String::new()
                })
            } else if section.spec.value.is_null() {
                Value::Null
            } else {
                Value::Array(
                    section
                        .items
                        .iter()
                        .filter(|item| item.kept)
                        .map(|item| match &item.text {
                            None => item.value.clone(),
                            Some(text) => with_text(&item.value, text, section.spec.field.as_deref()),
                        })
                        .collect(),
                )
            };
            out.insert(section.spec.name.clone(), value);
        }
        out
    }

    /// Takes the exact token count of the prompt rendered from [`values`](Packer::values);
    /// returns true when packing is done (it fits, or nothing more can be cut), false when the
    /// values changed and the prompt should be rendered and counted again.
    pub fn observe(&mut self, total: usize) -> bool {
        if self.done {
            return true;
        }
        self.rounds += 1;
        self.last_total = Some(total);
        let budget = self.budget();
        if total <= budget {
            self.fits = true;
            self.done = true;
            return true;
        }
        let mut need = total - budget;
        let mut order: Vec<usize> = (0..self.sections.len()).filter(|&i| self.sections[i].spec.trim != Trim::None).collect();
        order.sort_by_key(|&i| (self.sections[i].spec.priority, i));
        let mut cut_any = false;
        for index in order {
            while need > 0 {
                match self.cut_once(index, need) {
                    Some(freed) => {
                        cut_any = true;
                        need = need.saturating_sub(freed.max(1));
                    }
                    None => break,
                }
            }
            // Item counts leave out what the prompt adds around each item, so before cutting
            // into a higher-priority section, measure again: it may fit already.
            if need == 0 || cut_any {
                break;
            }
        }
        if !cut_any || self.rounds >= MAX_ROUNDS {
            self.done = true;
            return true;
        }
        false
    }

    /// One cut in section `index` towards freeing `need` tokens; the tokens it freed (by the
    /// items' own counts), or `None` when the section has nothing left to cut.
    fn cut_once(&mut self, index: usize, need: usize) -> Option<usize> {
        let counter = self.counter.clone();
        let section = &mut self.sections[index];
        let name = section.spec.name.clone();
        let keep = section.spec.keep;
        match section.spec.trim {
            Trim::None => None,
            Trim::DropOldest | Trim::DropLast => {
                // Whole units (a message turn, or one item), leaving `keep` units: the newest
                // for drop-oldest, the first for drop-last.
                let mut units: Vec<usize> = section.items.iter().filter(|i| i.kept && !i.pinned).map(|i| i.unit).collect();
                units.dedup();
                if units.len() <= keep {
                    return None;
                }
                let unit = if section.spec.trim == Trim::DropOldest { units[0] } else { *units.last()? };
                let mut freed = 0;
                for (i, item) in section.items.iter_mut().enumerate() {
                    if item.kept && !item.pinned && item.unit == unit {
                        item.kept = false;
                        freed += item.tokens;
                        self.cuts.push(Cut {
                            section: name.clone(),
                            action: "drop",
                            index: i,
                            tokens_before: item.tokens,
                            tokens_after: 0,
                        });
                    }
                }
                Some(freed)
            }
            Trim::Truncate => {
                let kept: Vec<usize> = (0..section.items.len()).filter(|&i| section.items[i].kept).collect();
                if kept.len() <= keep {
                    return None;
                }
                let i = *kept.last()?;
                let field = section.spec.field.clone();
                let min_tokens = section.spec.min_tokens;
                let item = &mut section.items[i];
                let text = item
                    .text
                    .clone()
                    .or_else(|| item_text(&item.value, field.as_deref()).map(str::to_owned))
                    .unwrap_or_default();
                let target = item.tokens.saturating_sub(need);
                let cut = if target >= min_tokens { truncate_to(&text, target, &counter) } else { None };
                match cut {
                    Some((prefix, tokens)) if tokens >= min_tokens && tokens < item.tokens => {
                        let freed = item.tokens - tokens;
                        self.cuts.push(Cut {
                            section: name,
                            action: "truncate",
                            index: i,
                            tokens_before: item.tokens,
                            tokens_after: tokens,
                        });
                        item.text = Some(prefix);
                        item.tokens = tokens;
                        Some(freed)
                    }
                    _ => {
                        item.kept = false;
                        self.cuts.push(Cut {
                            section: name,
                            action: "drop",
                            index: i,
                            tokens_before: item.tokens,
                            tokens_after: 0,
                        });
                        Some(item.tokens)
                    }
                }
            }
        }
    }

    /// The report: `{ fits, tokens, maxTokens, reserve, budget, rounds, trimmed: [...], sections: [...] }`.
    pub fn report(&self) -> Value {
        let trimmed: Vec<Value> = self
            .cuts
            .iter()
            .map(|cut| {
                json!({
                    "section": cut.section, "action": cut.action, "index": cut.index,
                    "tokensBefore": cut.tokens_before, "tokensAfter": cut.tokens_after,
                })
            })
            .collect();
        let sections: Vec<Value> = self
            .sections
            .iter()
            .map(|section| {
                let kept = section.items.iter().filter(|item| item.kept).count();
                let truncated = section.items.iter().filter(|item| item.kept && item.text.is_some()).count();
                json!({
                    "name": section.spec.name,
                    "items": section.items.len(),
                    "kept": kept,
                    "dropped": section.items.len() - kept,
                    "truncated": truncated,
                    "tokens": section.items.iter().filter(|item| item.kept).map(|item| item.tokens).sum::<usize>(),
                })
            })
            .collect();
        json!({
            "fits": self.fits,
            "tokens": self.last_total,
            "maxTokens": self.max_tokens,
            "reserve": self.reserve,
            "budget": self.budget(),
            "overflow": self.last_total.map(|t| t.saturating_sub(self.budget())),
            "estimated": !self.counter.is_exact(),
            "rounds": self.rounds,
            "trimmed": trimmed,
            "sections": sections,
        })
    }
}

/// The text field of an item: the string itself, or `field` / `text` / `content` / `pageContent`.
fn item_text<'v>(value: &'v Value, field: Option<&str>) -> Option<&'v str> {
    match value {
        Value::String(text) => Some(text),
        Value::Object(object) => match field {
            Some(field) => object.get(field).and_then(Value::as_str),
            None => ["text", "content", "pageContent"].iter().find_map(|key| object.get(*key).and_then(Value::as_str)),
        },
        _ => None,
    }
}

fn with_text(value: &Value, text: &str, field: Option<&str>) -> Value {
    match value {
        Value::Object(object) => {
            let mut object = object.clone();
            let key = field
                .map(str::to_owned)
                .or_else(|| {
                    ["text", "content", "pageContent"]
                        .iter()
                        .find(|k| object.get(**k).is_some_and(Value::is_string))
                        .map(|k| k.to_string())
                })
                .unwrap_or_else(|| "text".into());
            object.insert(key, Value::String(text.to_owned()));
            Value::Object(object)
        }
        _ => Value::String(text.to_owned()),
    }
}

fn item_tokens(counter: &Counter, value: &Value, field: Option<&str>) -> usize {
    if value.get("role").is_some() {
        if let Ok(message) = Message::from_openai(value) {
            return count_message(counter, &message).0;
        }
    }
    match item_text(value, field) {
        Some(text) => counter.text(text),
        None => counter.text(&value.to_string()),
    }
}

/// Where sentences end in `text`: after `.`, `!`, `?` (and their CJK forms, and `…`) followed by
/// whitespace or the end, and after every line break.
fn sentence_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let end = at + c.len_utf8();
        let next = chars.peek().map(|&(_, n)| n);
        let boundary = match c {
            '\n' => true,
            '。' | '！' | '？' => true,
            '.' | '!' | '?' | '…' => {
                next.is_none_or(char::is_whitespace) || matches!(next, Some('"' | '\'' | ')' | '”' | '’'))
            }
            '"' | '\'' | ')' | '”' | '’' => {
                text[..at].ends_with(['.', '!', '?']) && next.is_none_or(char::is_whitespace)
            }
            _ => false,
        };
        if boundary {
            ends.push(end);
        }
    }
    ends
}

/// The longest sentence prefix of `text` (trailing whitespace removed) with at most `target`
/// tokens, and its count; `None` when not even the first sentence fits.
fn truncate_to(text: &str, target: usize, counter: &Counter) -> Option<(String, usize)> {
    let ends = sentence_ends(text);
    let prefix = |i: usize| text[..ends[i]].trim_end();
    let (mut lo, mut hi) = (0usize, ends.len());
    let mut best = None;
    // The count grows with the prefix, so binary search the last that fits.
    while lo < hi {
        let mid = (lo + hi) / 2;
        let candidate = prefix(mid);
        let tokens = counter.text(candidate);
        if tokens <= target {
            best = Some((candidate.to_owned(), tokens));
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    best.filter(|(prefix, _)| !prefix.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_terminal_punctuation_and_line_breaks() {
        let text = "Dr. Who? Yes! It is 3.14 here. \"Quoted.\" Next\nline 日本語。終わり";
        let ends = sentence_ends(text);
        let pieces: Vec<&str> = ends.iter().map(|&e| &text[..e]).collect();
        assert!(pieces.contains(&"Dr. Who?"));
        assert!(pieces.contains(&"Dr. Who? Yes! It is 3.14 here."));
        assert!(pieces.contains(&"Dr. Who? Yes! It is 3.14 here. \"Quoted.\""));
        assert!(!pieces.iter().any(|p| p.ends_with("3.")));
        assert!(pieces.iter().any(|p| p.ends_with("日本語。")));
    }
}
