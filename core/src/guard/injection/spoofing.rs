//! Role and delimiter spoofing on the raw text: chat-template special tokens, role headers at
//! the start of a line, role tags, and fake tool results (tags and chat-API JSON).

use super::phrases::PhraseHit;

/// What a raw spoofing anchor is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Token {
    /// `<|name|>`, parsed from `<|`.
    Special,
    /// A fixed template token (`[INST]`, `<<SYS>>`), with its score.
    Delimiter(f64),
    /// `<s>`, `</s>`, `<bos>`, `<eos>`: only next to a stronger token.
    WeakDelimiter,
    /// A role tag anywhere (`<system>`).
    RoleTag,
    /// A tool-result tag or chat-API key (`<tool_response>`, `"function_call"`).
    Tool(f64),
    /// `"role"` or `'role'`: parsed for its value.
    RoleKey,
}

/// The raw anchors of the spoofing checks (matched ASCII-case-insensitively).
pub(crate) const TOKENS: &[(&str, Token)] = &[
    ("<|", Token::Special),
    ("[INST]", Token::Delimiter(0.85)),
    ("[/INST]", Token::Delimiter(0.85)),
    ("<<SYS>>", Token::Delimiter(0.9)),
    ("<</SYS>>", Token::Delimiter(0.9)),
    ("<start_of_turn>", Token::Delimiter(0.9)),
    ("<end_of_turn>", Token::Delimiter(0.9)),
    ("<s>", Token::WeakDelimiter),
    ("</s>", Token::WeakDelimiter),
    ("<bos>", Token::WeakDelimiter),
    ("<eos>", Token::WeakDelimiter),
    ("<system>", Token::RoleTag),
    ("</system>", Token::RoleTag),
    ("<assistant>", Token::RoleTag),
    ("</assistant>", Token::RoleTag),
    ("<system_prompt>", Token::RoleTag),
    ("</system_prompt>", Token::RoleTag),
    ("<tool_response>", Token::Tool(0.8)),
    ("</tool_response>", Token::Tool(0.8)),
    ("<tool_result>", Token::Tool(0.8)),
    ("</tool_result>", Token::Tool(0.8)),
    ("<tool_call>", Token::Tool(0.75)),
    ("</tool_call>", Token::Tool(0.75)),
    ("<function_results>", Token::Tool(0.8)),
    ("</function_results>", Token::Tool(0.8)),
    ("<function_result>", Token::Tool(0.8)),
    ("<function_calls>", Token::Tool(0.75)),
    ("</function_calls>", Token::Tool(0.75)),
    ("<tool_output>", Token::Tool(0.8)),
    ("\"function_call\"", Token::Tool(0.65)),
    ("\"tool_calls\"", Token::Tool(0.65)),
    ("\"tool_call_id\"", Token::Tool(0.65)),
    ("\"tool_use_id\"", Token::Tool(0.65)),
    ("\"tool_result\"", Token::Tool(0.65)),
    ("\"role\"", Token::RoleKey),
    ("'role'", Token::RoleKey),
];

fn hit(kind: &'static str, start: usize, end: usize, score: f64, text: &str) -> PhraseHit {
    PhraseHit { kind, start, end, score, evidence: text[start..end].to_ascii_lowercase(), language: None, encoded: None }
}

/// Checks the anchor `token` found at `start..end` of `text`; pushes what it is.
pub(crate) fn check_token(text: &str, token: Token, start: usize, end: usize, out: &mut Vec<PhraseHit>) {
    let bytes = text.as_bytes();
    match token {
        Token::Special => {
            // `<|` name `|>`, the name 1..=32 of [A-Za-z0-9_.:-].
            let rest = &bytes[end..bytes.len().min(end + 34)];
            let name =
                rest.iter().take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-')).count();
            if (1..=32).contains(&name) && rest[name..].starts_with(b"|>") {
                out.push(hit("DELIMITER_INJECTION", start, end + name + 2, 0.9, text));
            }
        }
        Token::Delimiter(score) => out.push(hit("DELIMITER_INJECTION", start, end, score, text)),
        Token::WeakDelimiter => out.push(hit("DELIMITER_INJECTION", start, end, 0.0, text)),
        Token::RoleTag => out.push(hit("ROLE_SPOOFING", start, end, 0.75, text)),
        Token::Tool(score) => out.push(hit("FAKE_TOOL_RESULT", start, end, score, text)),
        Token::RoleKey => {
            // `"role"` `:` `"value"` with optional spaces.
            let quote = bytes[start];
            let mut i = end;
            while i < bytes.len() && i < end + 8 && bytes[i] == b' ' {
                i += 1;
            }
            if bytes.get(i) != Some(&b':') {
                return;
            }
            i += 1;
            while i < bytes.len() && i < end + 16 && bytes[i] == b' ' {
                i += 1;
            }
            if bytes.get(i) != Some(&quote) {
                return;
            }
            let value_start = i + 1;
            let value_len =
                bytes[value_start.min(bytes.len())..].iter().take(12).take_while(|b| b.is_ascii_alphabetic()).count();
            if bytes.get(value_start + value_len) != Some(&quote) {
                return;
            }
            let value = text[value_start..value_start + value_len].to_ascii_lowercase();
            let stop = value_start + value_len + 1;
            match value.as_str() {
                "system" | "developer" | "assistant" => out.push(hit("ROLE_SPOOFING", start, stop, 0.55, text)),
                "tool" | "function" | "ipython" => out.push(hit("FAKE_TOOL_RESULT", start, stop, 0.7, text)),
                _ => {}
            }
        }
    }
}

/// Merges delimiter tokens separated only by whitespace into one finding and drops weak
/// tokens (`<s>`, `</s>`) that stand alone. `found` holds this text's spoofing hits in order.
pub(crate) fn merge_delimiters(text: &str, found: &mut Vec<PhraseHit>) {
    let mut merged: Vec<PhraseHit> = Vec::with_capacity(found.len());
    for h in found.drain(..) {
        if h.kind == "DELIMITER_INJECTION" {
            if let Some(last) = merged.last_mut() {
                if last.kind == "DELIMITER_INJECTION"
                    && last.end <= h.start
                    && text[last.end..h.start].bytes().all(|b| b.is_ascii_whitespace())
                {
                    last.end = h.end;
                    last.score = last.score.max(h.score);
                    last.evidence = text[last.start..last.end].to_ascii_lowercase();
                    continue;
                }
            }
        }
        merged.push(h);
    }
    merged.retain(|h| h.kind != "DELIMITER_INJECTION" || h.score > 0.0);
    *found = merged;
}

/// Words that make a `System:` header an instruction rather than a field in a bug report.
const INSTRUCTION_START: &[&str] = &[
    "you ",
    "you'",
    "your ",
    "ignore",
    "disregard",
    "forget",
    "override",
    "new ",
    "from now",
    "always",
    "never",
    "do ",
    "don't",
    "respond",
    "answer",
    "reply",
    "act ",
    "follow",
    "the assistant",
    "assistant",
    "important",
    "note:",
    "developer mode",
    "all ",
    "updated",
    "instructions",
    "the user",
    "user ",
];

/// Role headers at the start of each line: `System:`, `### System:`, `[system]`,
/// How a forged assistant turn primes the model to go on complying ("Assistant: Sure, here is").
const COMPLIANCE_START: &[&str] = &["sure", "certainly", "of course", "absolutely", "here is", "here's", "here are", "ok, here", "okay, here", "i will", "i'll"];

/// `Assistant:`, `Human:`, `### Instruction:`, `Tool result:`.
pub(crate) fn line_headers(text: &str, out: &mut Vec<PhraseHit>) {
    let bytes = text.as_bytes();
    let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1));
    for line in starts {
        let mut i = line;
        while i < bytes.len() && i < line + 16 && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'>') {
            i += 1;
        }
        let begin = i;
        let mut hashes = 0;
        while i < bytes.len() && bytes[i] == b'#' && hashes < 6 {
            i += 1;
            hashes += 1;
        }
        let bracket = hashes == 0 && bytes.get(i) == Some(&b'[');
        let bold = hashes == 0 && bytes[i..].starts_with(b"**");
        if bracket {
            i += 1;
        } else if bold {
            i += 2;
        }
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        // The role name: letters and single spaces, up to 24 bytes.
        let name_start = i;
        while i < bytes.len()
            && i < name_start + 24
            && (bytes[i].is_ascii_alphabetic() || bytes[i] == b' ' || bytes[i] == b'_')
        {
            i += 1;
        }
        let name = text[name_start..i].trim_end().to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let mut j = name_start + text[name_start..i].trim_end().len();
        if bold && bytes[j..].starts_with(b"**") {
            j += 2;
        }
        let close = if bracket { b']' } else { b':' };
        if bytes.get(j) != Some(&close) {
            // `**System:**` puts the colon inside the bold.
            if !(bold && bytes.get(j) == Some(&b':')) {
                continue;
            }
        }
        let mut end = j + 1;
        if bold && bytes[end..].starts_with(b"**") {
            end += 2;
        }
        let follow: String =
            text[end..].trim_start_matches([' ', '\t']).bytes().take(16).map(|b| b.to_ascii_lowercase() as char).collect();
        let instruction = INSTRUCTION_START.iter().any(|w| follow.starts_with(w));
        let (kind, score) = match name.as_str() {
            "system" | "system prompt" | "system message" | "sys" => {
                ("ROLE_SPOOFING", if hashes > 0 || instruction { 0.8 } else { 0.4 })
            }
            // A bare `Assistant:` line is how pasted transcripts look; it counts when it heads an
            // instruction or a markdown header.
            "assistant" | "chatgpt" => {
                let priming = COMPLIANCE_START.iter().any(|w| follow.starts_with(w));
                ("ROLE_SPOOFING", if hashes > 0 || instruction || priming { 0.75 } else { 0.4 })
            }
            "human" => ("ROLE_SPOOFING", if hashes > 0 || instruction { 0.75 } else { 0.4 }),
            "user" | "developer" => ("ROLE_SPOOFING", if hashes > 0 || instruction { 0.6 } else { 0.4 }),
            "instruction" | "instructions" | "response" if hashes > 0 => ("ROLE_SPOOFING", 0.7),
            "tool" | "tool result" | "tool output" | "tool response" | "function result" | "function output"
            | "function response" | "tool_result" | "function_result" => ("FAKE_TOOL_RESULT", 0.6),
            "observation" => ("FAKE_TOOL_RESULT", 0.4),
            _ => continue,
        };
        out.push(hit(kind, begin, end, score, text));
    }
}
