//! What the bindings send to JavaScript, built once here so both backends send the same bytes:
//! findings and guard outcomes as JSON with offsets in UTF-16 code units (what JavaScript
//! strings index by) as well as in bytes, and texts framed as `<UTF-16 length>\n<text><JSON>`
//! so a megabyte of redacted text is not escaped into JSON and parsed back.

use super::policy::{External, Failure, Hit, Outcome};
use super::redact::Redacted;
use super::stream::StreamStep;
use super::Finding;
use crate::{Error, ErrorKind, Result};
use serde_json::{json, Value};
use std::borrow::Cow;

/// UTF-16 offsets of a set of byte offsets of one text, computed in one pass (the identity
/// for ASCII text).
pub struct Utf16Offsets {
    /// (byte, unit) pairs sorted by byte; empty for ASCII text.
    table: Vec<(usize, usize)>,
    ascii: bool,
}

impl Utf16Offsets {
    /// The mapping for `offsets` (char boundaries of `text`, in any order).
    pub fn new(text: &str, offsets: impl Iterator<Item = usize>) -> Self {
        if text.is_ascii() {
            return Utf16Offsets { table: Vec::new(), ascii: true };
        }
        let mut bytes: Vec<usize> = offsets.collect();
        bytes.sort_unstable();
        bytes.dedup();
        let mut table = Vec::with_capacity(bytes.len());
        let (mut byte, mut unit) = (0, 0);
        for at in bytes {
            let at = at.min(text.len());
            unit += text[byte..at].chars().map(char::len_utf16).sum::<usize>();
            byte = at;
            table.push((at, unit));
        }
        Utf16Offsets { table, ascii: false }
    }

    /// The UTF-16 offset of `at`, one of the offsets given to [`new`](Self::new).
    pub fn at(&self, at: usize) -> usize {
        if self.ascii {
            return at;
        }
        self.table.binary_search_by_key(&at, |&(byte, _)| byte).map_or(0, |i| self.table[i].1)
    }
}

/// Byte offsets of a set of UTF-16 offsets of one text (for findings coming from JavaScript),
/// computed in one pass; an offset inside a surrogate pair or past the end has none.
struct ByteOffsets {
    /// (unit, byte) pairs sorted by unit; empty for ASCII text.
    table: Vec<(usize, Option<usize>)>,
    ascii_len: Option<usize>,
}

impl ByteOffsets {
    fn new(text: &str, units: impl Iterator<Item = usize>) -> Self {
        if text.is_ascii() {
            return ByteOffsets { table: Vec::new(), ascii_len: Some(text.len()) };
        }
        let mut wanted: Vec<usize> = units.collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut table = Vec::with_capacity(wanted.len());
        let mut chars = text.char_indices();
        let mut unit = 0;
        let mut next = chars.next();
        for want in wanted {
            // Walk to the first char at or past `want` units.
            while let Some((_, c)) = next {
                if unit >= want {
                    break;
                }
                unit += c.len_utf16();
                next = chars.next();
            }
            let byte = if unit != want { None } else { Some(next.map_or(text.len(), |(at, _)| at)) };
            table.push((want, byte));
        }
        ByteOffsets { table, ascii_len: None }
    }

    fn at(&self, unit: usize) -> Option<usize> {
        if let Some(len) = self.ascii_len {
            return (unit <= len).then_some(unit);
        }
        self.table.binary_search_by_key(&unit, |&(u, _)| u).ok().and_then(|i| self.table[i].1)
    }
}

/// One finding as a JSON object, written straight into `out` (no intermediate values: a
/// megabyte's findings are built in a fraction of a millisecond).
fn write_finding(out: &mut String, finding: &Finding, start: usize, end: usize, extra: Option<(&str, &Value)>) {
    use std::fmt::Write;
    out.push_str("{\"scanner\":");
    crate::json::write_js_string(out, finding.scanner);
    out.push_str(",\"type\":");
    crate::json::write_js_string(out, &finding.kind);
    let _ = write!(out, ",\"start\":{start},\"end\":{end},\"byteStart\":{},\"byteEnd\":{}", finding.start, finding.end);
    if let Some(score) = finding.score.filter(|s| s.is_finite()) {
        let _ = write!(out, ",\"score\":{score}");
    }
    out.push_str(",\"detail\":{");
    for (i, (key, value)) in finding.detail.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        crate::json::write_js_string(out, key);
        out.push(':');
        crate::json::write_js_json(out, value);
    }
    out.push('}');
    if let Some((key, value)) = extra {
        out.push(',');
        crate::json::write_js_string(out, key);
        out.push(':');
        crate::json::write_js_json(out, value);
    }
    out.push('}');
}

/// Findings (sorted by start) as a JSON list of `{ scanner, type, start, end, byteStart,
/// byteEnd, score?, detail }`, offsets into `text`.
pub fn findings_json(text: &str, findings: &[Finding]) -> String {
    findings_json_of(text, findings.iter())
}

fn findings_json_of<'f>(text: &str, findings: impl Iterator<Item = &'f Finding> + Clone) -> String {
    let map = Utf16Offsets::new(text, findings.clone().flat_map(|f| [f.start, f.end]));
    let mut out = String::from("[");
    for (i, f) in findings.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_finding(&mut out, f, map.at(f.start), map.at(f.end), None);
    }
    out.push(']');
    out
}

/// `<UTF-16 length of text>\n<text><json>`.
pub fn frame(text: &str, json: &str) -> String {
    let units = if text.is_ascii() { text.len() } else { text.encode_utf16().count() };
    let mut out = String::with_capacity(text.len() + json.len() + 12);
    out.push_str(&units.to_string());
    out.push('\n');
    out.push_str(text);
    out.push_str(json);
    out
}

/// A redaction: the framed redacted text, then the applied findings (spans in the original;
/// `findings` is the list given to the redaction).
pub fn redacted_frame(original: &str, findings: &[Finding], redacted: &Redacted) -> String {
    frame(&redacted.text, &findings_json_of(original, redacted.applied.iter().map(|&i| &findings[i])))
}

/// Hits as a JSON list of findings with their check's name; `span` gives each hit's UTF-16
/// start and end.
fn hits_json<'h>(hits: impl Iterator<Item = (&'h Hit, (usize, usize))>, names: &[&str]) -> String {
    let mut out = String::from("[");
    for (i, (hit, (start, end))) in hits.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let check = Value::from(names.get(hit.check).copied().unwrap_or("?"));
        write_finding(&mut out, &hit.finding, start, end, Some(("check", &check)));
    }
    out.push(']');
    out
}

fn failures_json(failures: &[Failure]) -> Vec<Value> {
    failures
        .iter()
        .map(|f| json!({ "check": f.name, "action": f.action.name(), "message": f.message, "findings": f.hits }))
        .collect()
}

/// `{ blocked, blockedMessage?, findings, failures }` around already written findings.
fn result_json(blocked_message: Option<String>, findings: &str, failures: &[Failure]) -> String {
    let mut out = String::from("{\"blocked\":");
    out.push_str(if blocked_message.is_some() { "true" } else { "false" });
    if let Some(message) = blocked_message {
        out.push_str(",\"blockedMessage\":");
        crate::json::write_js_string(&mut out, &message);
    }
    out.push_str(",\"findings\":");
    out.push_str(findings);
    out.push_str(",\"failures\":");
    crate::json::write_js_json(&mut out, &Value::Array(failures_json(failures)));
    out.push('}');
    out
}

/// A guard outcome: framed output text, then `{ blocked, blockedMessage?, findings: [finding +
/// check], failures: [{ check, action, message, findings: [index] }] }`. `blockedMessage` is
/// [`Outcome::blocked_error`]'s, so both backends throw the same words.
pub fn outcome_frame(checked: &str, outcome: &Outcome, names: &[&str]) -> String {
    let map = Utf16Offsets::new(checked, outcome.hits.iter().flat_map(|h| [h.finding.start, h.finding.end]));
    let findings = hits_json(outcome.hits.iter().map(|h| (h, (map.at(h.finding.start), map.at(h.finding.end)))), names);
    let blocked = outcome.blocked.then(|| outcome.blocked_error().message().to_owned());
    frame(&outcome.text, &result_json(blocked, &findings, &outcome.failures))
}

/// A stream step: framed released text, then the same object as [`outcome_frame`]'s with
/// offsets in the whole stream.
pub fn step_frame(step: &StreamStep, names: &[&str]) -> String {
    let findings = hits_json(step.hits.iter().zip(step.utf16.iter().copied()), names);
    let blocked = step.blocked.then(|| super::policy::blocked_message(&step.failures));
    frame(&step.text, &result_json(blocked, &findings, &step.failures))
}

/// The results of checks run in JavaScript: `[{ check, failed?, message?, findings?: [{ type,
/// start, end, score?, detail? }] }]` with UTF-16 offsets into `text`.
pub fn externals_from_json(text: &str, json: &str) -> Result<Vec<External>> {
    let bad = |why: String| Error::new(ErrorKind::InvalidArgument, why);
    let value: Value = serde_json::from_str(json).map_err(|e| bad(format!("check results are not JSON: {e}")))?;
    let Value::Array(list) = value else { return Err(bad("check results must be a list".into())) };
    let units = list
        .iter()
        .filter_map(|item| item.get("findings").and_then(Value::as_array))
        .flatten()
        .flat_map(|f| [f.get("start"), f.get("end")])
        .filter_map(|unit| unit.and_then(Value::as_u64).map(|u| u as usize));
    let offsets = ByteOffsets::new(text, units);
    let mut externals = Vec::with_capacity(list.len());
    for item in list {
        let check =
            item.get("check").and_then(Value::as_u64).ok_or_else(|| bad("a check result has no index".into()))? as usize;
        let mut findings = Vec::new();
        for (i, f) in item.get("findings").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
            let span = |key: &str| f.get(key).and_then(Value::as_u64).and_then(|unit| offsets.at(unit as usize));
            let (Some(start), Some(end)) = (span("start"), span("end")) else {
                return Err(bad(format!(
                    "finding {i} of a custom check has no valid start and end (UTF-16 offsets into the text)"
                ))
                .with_detail("check", check));
            };
            if start > end {
                return Err(bad(format!("finding {i} of a custom check ends before it starts")).with_detail("check", check));
            }
            let kind = f.get("type").and_then(Value::as_str).unwrap_or("CUSTOM");
            let mut finding = Finding::new("custom", Cow::Owned(kind.to_owned()), start, end);
            finding.score = f.get("score").and_then(Value::as_f64);
            if let Some(Value::Object(detail)) = f.get("detail") {
                finding.detail = detail.clone();
            }
            findings.push(finding);
        }
        externals.push(External {
            check,
            failed: item.get("failed").and_then(Value::as_bool).unwrap_or(!findings.is_empty()),
            findings,
            message: item.get("message").and_then(Value::as_str).map(str::to_owned),
        });
    }
    Ok(externals)
}

/// `scan` for the bindings: the findings of `set` in `text` as JSON.
pub fn scan_call(set: &super::scan::ScanSet, text: &str) -> String {
    findings_json(text, &set.scan(text))
}

/// `redact` for the bindings: redaction options as JSON text (`""` for the defaults).
pub fn redact_call(
    set: &super::scan::ScanSet,
    text: &str,
    options: &str,
    vault: &mut super::redact::Vault,
) -> Result<String> {
    let options = if options.is_empty() {
        super::redact::RedactOptions::default()
    } else {
        let value: Value = serde_json::from_str(options)
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("redaction options are not JSON: {e}")))?;
        super::redact::RedactOptions::from_json(&value)?
    };
    let findings = set.scan(text);
    Ok(redacted_frame(text, &findings, &super::redact::redact(text, &findings, &options, vault)))
}

/// `restore` for the bindings: the framed text, then `{ restored, unknown }`.
pub fn restore_call(vault: &super::redact::Vault, text: &str) -> String {
    let restored = super::redact::restore(text, vault);
    frame(&restored.text, &json!({ "restored": restored.restored, "unknown": restored.unknown }).to_string())
}

/// A vault from its JSON text.
pub fn vault_from_json(json: &str) -> Result<super::redact::Vault> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("not a serialised vault: {e}")))?;
    super::redact::Vault::from_json(&value)
}

/// A guard from its JSON options text.
pub fn guard_from_json(json: &str) -> Result<super::policy::Guard> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("guard options are not JSON: {e}")))?;
    super::policy::Guard::from_json(&value)
}

/// A scanner set from its JSON options text (`""` for the defaults).
pub fn scan_set_from_json(json: &str) -> Result<super::scan::ScanSet> {
    let value: Value = if json.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(json)
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("scan options are not JSON: {e}")))?
    };
    super::scan::ScanSet::from_options(&value)
}

fn check_names(guard: &super::policy::Guard) -> Vec<&str> {
    guard.checks().iter().map(|c| c.name.as_str()).collect()
}

/// `guard.check` for the bindings: runs the guard with the JSON results of the caller's
/// checks (`""` for none); returns the outcome frame.
pub fn guard_call(
    guard: &super::policy::Guard,
    text: &str,
    externals: &str,
    vault: &mut super::redact::Vault,
) -> Result<String> {
    let externals = if externals.is_empty() { Vec::new() } else { externals_from_json(text, externals)? };
    let outcome = guard.resolve(text, guard.scan(text), externals, vault);
    Ok(outcome_frame(text, &outcome, &check_names(guard)))
}

/// Stream options from JSON text (`""` for the defaults): `{ maxHold?, context? }`.
pub fn stream_options_from_json(json: &str) -> Result<super::stream::StreamOptions> {
    let mut options = super::stream::StreamOptions::default();
    if json.is_empty() {
        return Ok(options);
    }
    let value: Value = serde_json::from_str(json)
        .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("stream options are not JSON: {e}")))?;
    let read = super::options::Options::new("stream", &value, &["maxHold", "context"])?;
    if let Some(n) = read.count("maxHold", 1 << 24)? {
        options.max_hold = n.max(1);
    }
    if let Some(n) = read.count("context", 1 << 16)? {
        options.context = n;
    }
    Ok(options)
}

/// A stream step for the bindings (`last` ends the stream).
pub fn stream_call(
    stream: &mut super::stream::GuardStream,
    chunk: &str,
    last: bool,
    vault: &mut super::redact::Vault,
) -> Result<String> {
    let step = if last { stream.finish(vault)? } else { stream.push(chunk, vault)? };
    Ok(step_frame(&step, &check_names(stream.guard())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets() {
        let text = "é😀a";
        let map = Utf16Offsets::new(text, [7, 2, 0, 6].into_iter());
        assert_eq!([map.at(0), map.at(2), map.at(6), map.at(7)], [0, 1, 3, 4]);
        let bytes = ByteOffsets::new(text, [4, 0, 2, 5, 1, 3].into_iter());
        assert_eq!([0, 1, 3, 4].map(|u| bytes.at(u)), [Some(0), Some(2), Some(6), Some(7)]);
        assert_eq!(bytes.at(2), None, "inside a surrogate pair");
        assert_eq!(bytes.at(5), None);
        assert_eq!(ByteOffsets::new("ab", [].into_iter()).at(3), None);
    }

    #[test]
    fn frames() {
        assert_eq!(frame("h😀", "[]"), "3\nh😀[]");
        let json = findings_json("é a@b.io", &[Finding::new("pii", "EMAIL", 3, 9).with_score(0.5)]);
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value[0]["start"], 2);
        assert_eq!(value[0]["end"], 8);
        assert_eq!(value[0]["byteStart"], 3);
        assert_eq!(value[0]["score"], 0.5);
    }

    #[test]
    fn externals() {
        let text = "é abc";
        let list = externals_from_json(text, r#"[{"check": 1, "findings": [{"type": "X", "start": 2, "end": 5}]}, {"check": 0, "failed": true, "message": "m"}]"#).unwrap();
        assert_eq!((list[0].findings[0].start, list[0].findings[0].end), (3, 6));
        assert!(list[0].failed && list[1].failed);
        assert!(externals_from_json(text, r#"[{"check": 0, "findings": [{"start": 9, "end": 10}]}]"#).is_err());
        assert!(externals_from_json(text, "{}").is_err());
    }
}
