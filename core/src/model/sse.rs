//! A Server-Sent Events decoder, as the WHATWG HTML standard defines the `text/event-stream`
//! format: fed bytes in chunks cut anywhere, it yields whole events.
//!
//! ```
//! use bridle::model::sse::SseDecoder;
//!
//! let mut decoder = SseDecoder::new();
//! let mut events = decoder.push(b": comment\r\nevent: delta\r\ndata: {\"a\"");
//! assert!(events.is_empty());
//! events.extend(decoder.push(b":1}\r\ndata: second line\r\n\r\ndata: [DONE]\n\n"));
//! assert_eq!(events[0].event, "delta");
//! assert_eq!(events[0].data, "{\"a\":1}\nsecond line");
//! assert_eq!(events[1].data, "[DONE]");
//! ```
//!
//! Lines end at CRLF, LF or a lone CR (a CRLF split between two chunks counts once); a UTF-8
//! character split between chunks is joined; invalid UTF-8 becomes U+FFFD; a leading BOM is
//! skipped; comment lines (`:`) and unknown fields are ignored; `data` lines join with `\n`.
//! An event with no `data` line is not dispatched, and neither is one still open when the
//! stream ends (the standard discards it; [`SseDecoder::finish`] says whether there was one).

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event` field, or `message` when the event named none.
    pub event: String,
    /// The `data` lines joined with `\n`.
    pub data: String,
    /// The last `id` field seen so far (it persists across events, as the standard says).
    pub id: String,
}

/// Decodes `text/event-stream` bytes into [`SseEvent`]s (see the module docs).
#[derive(Debug, Default)]
pub struct SseDecoder {
    /// Bytes of an unfinished line.
    line: Vec<u8>,
    /// The previous chunk ended in CR, so an LF at the start of this one ends nothing.
    after_cr: bool,
    /// Whether the stream's first bytes have been seen (for the BOM).
    started: bool,
    event: String,
    data: String,
    has_data: bool,
    id: String,
    /// Whether any field line has been read since the last dispatch.
    open: bool,
    /// An event grew past [`MAX_EVENT_BYTES`]; the rest of the stream is ignored.
    overflowed: bool,
}

/// The most bytes one event (its unfinished line and its `data` so far) may hold, 16 MiB: a
/// stream that never ends a line or an event is an error rather than unbounded memory.
pub const MAX_EVENT_BYTES: usize = 16 << 20;

impl SseDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> SseDecoder {
        SseDecoder::default()
    }

    /// Feeds the next bytes; returns the events they complete. Once an event has grown past
    /// [`MAX_EVENT_BYTES`] (see [`overflowed`](Self::overflowed)), nothing more is decoded.
    pub fn push(&mut self, mut bytes: &[u8]) -> Vec<SseEvent> {
        let mut events = Vec::new();
        if bytes.is_empty() || self.overflowed {
            return events;
        }
        if !self.started {
            // The BOM may itself arrive split; wait until three bytes can be compared.
            if self.line.len() + bytes.len() < 3 && b"\xEF\xBB\xBF".starts_with(&[&self.line[..], bytes].concat()) {
                self.line.extend_from_slice(bytes);
                return events;
            }
            self.started = true;
            let mut head = std::mem::take(&mut self.line);
            head.extend_from_slice(bytes);
            let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head).to_vec();
            self.feed(&body, &mut events);
            return events;
        }
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = bytes.strip_prefix(b"\n") {
                bytes = rest;
            }
        }
        self.feed(bytes, &mut events);
        events
    }

    fn feed(&mut self, bytes: &[u8], events: &mut Vec<SseEvent>) {
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' | b'\r' => {
                    let line = if self.line.is_empty() {
                        std::borrow::Cow::Borrowed(&bytes[start..i])
                    } else {
                        self.line.extend_from_slice(&bytes[start..i]);
                        std::borrow::Cow::Owned(std::mem::take(&mut self.line))
                    };
                    self.line_done(&line, events);
                    if self.overflowed {
                        return;
                    }
                    if bytes[i] == b'\r' {
                        if i + 1 < bytes.len() {
                            if bytes[i + 1] == b'\n' {
                                i += 1;
                            }
                        } else {
                            self.after_cr = true;
                        }
                    }
                    i += 1;
                    start = i;
                }
                _ => i += 1,
            }
        }
        self.line.extend_from_slice(&bytes[start..]);
        if self.line.len() + self.data.len() > MAX_EVENT_BYTES {
            self.overflow();
        }
    }

    /// Whether an event grew past [`MAX_EVENT_BYTES`], which ended the decoding.
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    fn overflow(&mut self) {
        *self = SseDecoder { overflowed: true, ..SseDecoder::default() };
    }

    fn line_done(&mut self, line: &[u8], events: &mut Vec<SseEvent>) {
        if line.is_empty() {
            self.dispatch(events);
            return;
        }
        if line[0] == b':' {
            return;
        }
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        let value = String::from_utf8_lossy(value);
        self.open = true;
        match name {
            b"event" => self.event = value.into_owned(),
            b"data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(&value);
                self.has_data = true;
                if self.data.len() > MAX_EVENT_BYTES {
                    self.overflow();
                }
            }
            b"id" if !value.contains('\0') => self.id = value.into_owned(),
            _ => {}
        }
    }

    fn dispatch(&mut self, events: &mut Vec<SseEvent>) {
        self.open = false;
        let event = std::mem::take(&mut self.event);
        if !self.has_data {
            return;
        }
        self.has_data = false;
        let data = std::mem::take(&mut self.data);
        let event = if event.is_empty() { "message".to_owned() } else { event };
        events.push(SseEvent { event, data, id: self.id.clone() });
    }

    /// Ends the stream: whether an unfinished event (or line) was left, which the standard
    /// discards.
    pub fn finish(&mut self) -> bool {
        let open = self.open || !self.line.is_empty();
        *self = SseDecoder::default();
        open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_split(stream: &[u8], cuts: &[usize]) -> Vec<SseEvent> {
        let mut decoder = SseDecoder::new();
        let mut events = Vec::new();
        let mut from = 0;
        for &cut in cuts.iter().chain([stream.len()].iter()) {
            events.extend(decoder.push(&stream[from..cut]));
            from = cut;
        }
        events
    }

    const STREAM: &[u8] = "\u{FEFF}: hello\r\n\r\nevent: a\r\ndata: x\r\ndata:y\r\nid: 7\r\n\r\ndata: é😀\rdata\r\r: c\n\nretry: 5\nfoo: bar\n\ndata: [DONE]\n\n".as_bytes();

    #[test]
    fn an_event_past_the_limit_ends_decoding() {
        // A line that never ends, fed in chunks.
        let mut decoder = SseDecoder::new();
        assert_eq!(decoder.push(b"data: ok\n\n").len(), 1);
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..16 {
            assert!(decoder.push(&chunk).is_empty());
        }
        assert!(!decoder.overflowed());
        assert!(decoder.push(b"x").is_empty());
        assert!(decoder.overflowed());
        assert!(decoder.push(b"\n\ndata: later\n\n").is_empty(), "nothing after the overflow");
        // Many short data lines that never end the event.
        let mut decoder = SseDecoder::new();
        let line = [b"data: ".as_slice(), &vec![b'y'; 1 << 16], b"\n"].concat();
        let mut pushed = 0;
        while !decoder.overflowed() {
            assert!(decoder.push(&line).is_empty());
            pushed += 1;
            assert!(pushed <= 257, "the limit holds");
        }
    }

    #[test]
    fn decodes_every_field_and_line_ending() {
        let events = decode_split(STREAM, &[]);
        assert_eq!(
            events,
            vec![
                SseEvent { event: "a".into(), data: "x\ny".into(), id: "7".into() },
                SseEvent { event: "message".into(), data: "é😀\n".into(), id: "7".into() },
                SseEvent { event: "message".into(), data: "[DONE]".into(), id: "7".into() },
            ]
        );
    }

    #[test]
    fn every_two_cut_split_gives_the_same_events() {
        let whole = decode_split(STREAM, &[]);
        for a in 0..=STREAM.len() {
            for b in a..=STREAM.len() {
                assert_eq!(decode_split(STREAM, &[a, b]), whole, "cuts {a} {b}");
            }
        }
    }

    #[test]
    fn unfinished_events_are_reported_and_dropped() {
        let mut decoder = SseDecoder::new();
        assert!(decoder.push(b"data: {\"partial\"").is_empty());
        assert!(decoder.finish());
        assert!(decoder.push(b"data: 1\n\n").len() == 1);
        assert!(!decoder.finish());
    }

    #[test]
    fn invalid_utf8_becomes_replacement_characters() {
        let events = decode_split(b"data: a\xFFb\n\n", &[]);
        assert_eq!(events[0].data, "a\u{FFFD}b");
    }
}
