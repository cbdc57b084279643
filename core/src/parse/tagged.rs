//! XML-ish tagged sections in model output (`<thinking>…</thinking><answer>…</answer>`), read
//! whole or as a stream that reports each section's text as it arrives and each section once
//! it closes. Only top-level sections count: tags inside a section are its content, and a tag
//! of the same name nests. Text outside sections is ignored.
//!
//! ```
//! use bridle::parse::tagged::{parse_tagged, TaggedOptions};
//!
//! let sections = parse_tagged("<thinking>a < b</thinking>\n<answer lang=\"en\">Yes, <b>b</b>.</answer>", &TaggedOptions::default());
//! assert_eq!(sections[1].tag, "answer");
//! assert_eq!(sections[1].attributes, [("lang".to_owned(), "en".to_owned())]);
//! assert_eq!(sections[1].content, "Yes, <b>b</b>.");
//! assert_eq!(sections[0].content, "a < b");
//! ```

use serde_json::{json, Map, Value};

/// Which tags start sections.
#[derive(Debug, Clone, Default)]
pub struct TaggedOptions {
    /// Only these tag names (case-sensitive); empty means any name.
    pub tags: Vec<String>,
}

/// One section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The tag name.
    pub tag: String,
    /// The opening tag's attributes, in order (`name` alone has an empty value).
    pub attributes: Vec<(String, String)>,
    /// The text between the tags, exactly.
    pub content: String,
    /// Whether the closing tag was seen (false when the text ended first).
    pub complete: bool,
}

impl Section {
    /// As a JSON object `{tag, attributes, content, complete}`.
    pub fn to_json(&self) -> Value {
        let attributes: Map<String, Value> =
            self.attributes.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
        json!({"tag": self.tag, "attributes": attributes, "content": self.content, "complete": self.complete})
    }
}

/// What a push reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaggedEvent {
    /// A section opened.
    Open {
        /// Its tag.
        tag: String,
        /// Its attributes.
        attributes: Vec<(String, String)>,
    },
    /// More text of the open section.
    Text {
        /// The section's tag.
        tag: String,
        /// The new text.
        text: String,
    },
    /// A section is complete (or, from `end`, cut off: `complete` false).
    Close(Section),
}

impl TaggedEvent {
    /// As a JSON object with a `type` of `open`, `text` or `close`.
    pub fn to_json(&self) -> Value {
        match self {
            TaggedEvent::Open { tag, attributes } => {
                let attributes: Map<String, Value> =
                    attributes.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
                json!({"type": "open", "tag": tag, "attributes": attributes})
            }
            TaggedEvent::Text { tag, text } => json!({"type": "text", "tag": tag, "text": text}),
            TaggedEvent::Close(section) => {
                let mut value = section.to_json();
                value["type"] = json!("close");
                value
            }
        }
    }
}

impl TaggedOptions {
    /// Options from JSON text: `{"tags": ["answer", ...]}` (optional).
    pub fn from_json(text: &str) -> crate::Result<TaggedOptions> {
        use crate::error::{Error, ErrorKind};
        let invalid = |message: &str| Error::new(ErrorKind::InvalidArgument, message.to_owned());
        let value: Value = serde_json::from_str(text).map_err(|_| invalid("tagged-section options are not JSON"))?;
        let Value::Object(map) = value else { return Err(invalid("tagged-section options must be an object")) };
        let mut options = TaggedOptions::default();
        for (name, value) in map {
            match name.as_str() {
                "tags" => {
                    let tags = value.as_array().ok_or_else(|| invalid("options.tags must be an array of tag names"))?;
                    for tag in tags {
                        let tag = tag.as_str().filter(|t| {
                            !t.is_empty()
                                && t.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':' | b'.'))
                        });
                        options.tags.push(
                            tag.ok_or_else(|| invalid("options.tags must hold tag names (letters, digits, _ - : .)"))?
                                .to_owned(),
                        );
                    }
                }
                _ => {
                    return Err(Error::new(ErrorKind::InvalidArgument, format!("unknown tagged-section option '{name}'"))
                        .with_detail("option", name.as_str()))
                }
            }
        }
        Ok(options)
    }
}

/// Events as a JSON array, for the bindings.
pub fn events_json(events: &[TaggedEvent]) -> String {
    Value::Array(events.iter().map(TaggedEvent::to_json).collect()).to_string()
}

/// [`parse_tagged`] as a JSON array of sections, for the bindings.
pub fn parse_tagged_json(text: &str, options: &str) -> crate::Result<String> {
    let options = TaggedOptions::from_json(options)?;
    Ok(Value::Array(parse_tagged(text, &options).iter().map(Section::to_json).collect()).to_string())
}

/// The sections of a whole text.
pub fn parse_tagged(text: &str, options: &TaggedOptions) -> Vec<Section> {
    let mut stream = TaggedStream::new(options.clone());
    let mut events = stream.push(text);
    events.extend(stream.end());
    events
        .into_iter()
        .filter_map(|event| match event {
            TaggedEvent::Close(section) => Some(section),
            _ => None,
        })
        .collect()
}

/// The incremental reader: text arrives in chunks split anywhere (inside tags too).
#[derive(Debug)]
pub struct TaggedStream {
    options: TaggedOptions,
    /// Text not yet consumed: at most a partial tag outside a section, or text inside one
    /// that might start its closing tag.
    pending: String,
    open: Option<OpenSection>,
}

#[derive(Debug)]
struct OpenSection {
    tag: String,
    attributes: Vec<(String, String)>,
    content: String,
    /// Nested tags of the same name still open.
    depth: usize,
}

/// How a `<` at the start of some text reads.
enum TagRead {
    /// Not a tag (or one we do not want): skip the `<`.
    No,
    /// Could be a tag once more text arrives.
    NeedMore,
    /// An opening tag of `len` bytes.
    Open { name: String, attributes: Vec<(String, String)>, len: usize, self_closing: bool },
    /// A closing tag of `len` bytes.
    Close { name: String, len: usize },
}

impl TaggedStream {
    /// A reader that has seen nothing.
    pub fn new(options: TaggedOptions) -> TaggedStream {
        TaggedStream { options, pending: String::new(), open: None }
    }

    /// Reads a chunk; returns what it completed or extended.
    pub fn push(&mut self, chunk: &str) -> Vec<TaggedEvent> {
        self.pending.push_str(chunk);
        let mut events = Vec::new();
        let mut at = 0;
        loop {
            let rest = &self.pending[at..];
            match &mut self.open {
                None => {
                    let Some(lt) = rest.find('<') else {
                        at = self.pending.len();
                        break;
                    };
                    at += lt;
                    match read_tag(&self.pending[at..]) {
                        TagRead::NeedMore => break,
                        TagRead::Open { name, attributes, len, self_closing } if self.wanted(&name) => {
                            at += len;
                            if self_closing {
                                events.push(TaggedEvent::Open { tag: name.clone(), attributes: attributes.clone() });
                                events.push(TaggedEvent::Close(Section {
                                    tag: name,
                                    attributes,
                                    content: String::new(),
                                    complete: true,
                                }));
                            } else {
                                events.push(TaggedEvent::Open { tag: name.clone(), attributes: attributes.clone() });
                                self.open = Some(OpenSection { tag: name, attributes, content: String::new(), depth: 0 });
                            }
                        }
                        _ => at += 1,
                    }
                }
                Some(open) => {
                    // Text up to the next `<` is content; a `<` may be our closing tag.
                    let Some(lt) = rest.find('<') else {
                        push_text(&mut events, open, rest);
                        at = self.pending.len();
                        break;
                    };
                    push_text(&mut events, open, &rest[..lt]);
                    at += lt;
                    match read_tag(&self.pending[at..]) {
                        TagRead::NeedMore => break,
                        TagRead::Close { name, len } if name == open.tag => {
                            if open.depth == 0 {
                                at += len;
                                let open = self.open.take().expect("open");
                                events.push(TaggedEvent::Close(Section {
                                    tag: open.tag,
                                    attributes: open.attributes,
                                    content: open.content,
                                    complete: true,
                                }));
                            } else {
                                open.depth -= 1;
                                push_text(&mut events, open, &self.pending[at..at + len]);
                                at += len;
                            }
                        }
                        TagRead::Open { name, len, self_closing, .. } if name == open.tag => {
                            if !self_closing {
                                open.depth += 1;
                            }
                            push_text(&mut events, open, &self.pending[at..at + len]);
                            at += len;
                        }
                        TagRead::Open { len, .. } | TagRead::Close { len, .. } => {
                            push_text(&mut events, open, &self.pending[at..at + len]);
                            at += len;
                        }
                        TagRead::No => {
                            push_text(&mut events, open, "<");
                            at += 1;
                        }
                    }
                }
            }
        }
        self.pending.drain(..at);
        events
    }

    /// Ends the text: an open section is reported cut off (`complete: false`), with any held
    /// text.
    pub fn end(&mut self) -> Vec<TaggedEvent> {
        let mut events = Vec::new();
        if let Some(mut open) = self.open.take() {
            let rest = std::mem::take(&mut self.pending);
            push_text(&mut events, &mut open, &rest);
            events.push(TaggedEvent::Close(Section {
                tag: open.tag,
                attributes: open.attributes,
                content: open.content,
                complete: false,
            }));
        }
        self.pending.clear();
        events
    }

    fn wanted(&self, name: &str) -> bool {
        self.options.tags.is_empty() || self.options.tags.iter().any(|tag| tag == name)
    }
}

fn push_text(events: &mut Vec<TaggedEvent>, open: &mut OpenSection, text: &str) {
    if text.is_empty() {
        return;
    }
    open.content.push_str(text);
    // Merge with the previous text event of this push.
    if let Some(TaggedEvent::Text { text: last, .. }) = events.last_mut() {
        last.push_str(text);
    } else {
        events.push(TaggedEvent::Text { tag: open.tag.clone(), text: text.to_owned() });
    }
}

/// Longest tag text considered; a `<` with no `>` within this is not a tag.
const MAX_TAG: usize = 1024;

fn read_tag(text: &str) -> TagRead {
    let bytes = text.as_bytes();
    debug_assert_eq!(bytes.first(), Some(&b'<'));
    let mut i = 1;
    let closing = bytes.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'-' | b':' | b'.')) {
        i += 1;
    }
    if i == bytes.len() {
        return if i - name_start < 64 { TagRead::NeedMore } else { TagRead::No };
    }
    if i == name_start || !bytes[name_start].is_ascii_alphabetic() && bytes[name_start] != b'_' {
        return TagRead::No;
    }
    let name = text[name_start..i].to_owned();
    if closing {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        return match bytes.get(i) {
            Some(b'>') => TagRead::Close { name, len: i + 1 },
            None => TagRead::NeedMore,
            _ => TagRead::No,
        };
    }
    // Attributes until `>` or `/>`.
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            return if i < MAX_TAG { TagRead::NeedMore } else { TagRead::No };
        }
        match bytes[i] {
            b'>' => return TagRead::Open { name, attributes, len: i + 1, self_closing: false },
            b'/' => {
                return match bytes.get(i + 1) {
                    Some(b'>') => TagRead::Open { name, attributes, len: i + 2, self_closing: true },
                    None => TagRead::NeedMore,
                    _ => TagRead::No,
                }
            }
            _ => {}
        }
        let key_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'-' | b':' | b'.')) {
            i += 1;
        }
        if i == key_start {
            return TagRead::No;
        }
        let key = text[key_start..i].to_owned();
        if i >= bytes.len() {
            return TagRead::NeedMore;
        }
        if bytes[i] != b'=' {
            attributes.push((key, String::new()));
            continue;
        }
        i += 1;
        let Some(&quote) = bytes.get(i) else { return TagRead::NeedMore };
        if quote == b'"' || quote == b'\'' {
            let Some(end) = text[i + 1..].find(quote as char) else {
                return if text.len() - i < MAX_TAG { TagRead::NeedMore } else { TagRead::No };
            };
            attributes.push((key, text[i + 1..i + 1 + end].to_owned()));
            i += end + 2;
        } else {
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b'/' {
                i += 1;
            }
            attributes.push((key, text[start..i].to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_texts() {
        let options = TaggedOptions::default();
        let sections = parse_tagged("x <a>1 <a>2</a> 3</a> y <b k='v' flag/> <c>cut", &options);
        let summary: Vec<_> = sections.iter().map(|s| (s.tag.as_str(), s.content.as_str(), s.complete)).collect();
        assert_eq!(summary, [("a", "1 <a>2</a> 3", true), ("b", "", true), ("c", "cut", false)]);
        assert_eq!(sections[1].attributes, [("k".to_owned(), "v".to_owned()), ("flag".to_owned(), String::new())]);
        let only = parse_tagged("<p>no</p><answer>yes</answer>", &TaggedOptions { tags: vec!["answer".into()] });
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].content, "yes");
        assert!(parse_tagged("1 < 2 and 3 > 2", &options).is_empty());
    }

    #[test]
    fn every_split_gives_the_same_sections() {
        let text = "<thinking>a < b <i>x</i></thinking> <answer id=\"7\">yes é 🚀</answer>";
        let whole = parse_tagged(text, &TaggedOptions::default());
        for cut in (0..=text.len()).filter(|&c| text.is_char_boundary(c)) {
            let mut stream = TaggedStream::new(TaggedOptions::default());
            let mut events = stream.push(&text[..cut]);
            events.extend(stream.push(&text[cut..]));
            events.extend(stream.end());
            let sections: Vec<_> =
                events.iter().filter_map(|e| if let TaggedEvent::Close(s) = e { Some(s.clone()) } else { None }).collect();
            assert_eq!(sections, whole, "cut at {cut}");
            // The text events add up to the contents.
            let text_of = |tag: &str| {
                events
                    .iter()
                    .filter_map(|e| match e {
                        TaggedEvent::Text { tag: t, text } if t == tag => Some(text.as_str()),
                        _ => None,
                    })
                    .collect::<String>()
            };
            assert_eq!(text_of("answer"), "yes é 🚀");
            assert_eq!(text_of("thinking"), "a < b <i>x</i>");
        }
    }
}
