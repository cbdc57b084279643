//! Whitespace control and standalone lines, ported from handlebars.js 4.7's
//! `compiler/whitespace-control.js` step for step: `~` strips all whitespace on its side,
//! and a block, `{{else}}`, comment or partial tag alone on its line removes the line.
//! The checks read each text's source (`original`); the stripping edits what is left of it
//! (`value`), so both are kept as ranges of the source.

use super::lexer::is_js_space;
use super::parse::{Block, Program, Stmt, Strip};

/// Applies whitespace control to a parsed root program.
pub(super) fn apply(src: &str, root: &mut Program, ignore_standalone: bool) {
    let mut control = Control { src, standalone: !ignore_standalone };
    control.program(root, true);
}

struct Control<'s> {
    src: &'s str,
    standalone: bool,
}

/// What a statement asks of its neighbours (`strip` in handlebars.js).
#[derive(Default)]
struct StripInfo {
    open: bool,
    close: bool,
    open_standalone: bool,
    close_standalone: bool,
    inline_standalone: bool,
}

impl Control<'_> {
    fn program(&mut self, program: &mut Program, is_root: bool) {
        let body = &mut program.body;
        for i in 0..body.len() {
            let strip = match &mut body[i] {
                Stmt::Content { .. } => continue,
                Stmt::Comment { strip } => inline(*strip),
                Stmt::Partial(partial) => inline(partial.strip),
                Stmt::Mustache(mustache) => {
                    StripInfo { open: mustache.strip.open, close: mustache.strip.close, ..StripInfo::default() }
                }
                Stmt::Block(block) => self.block(block),
            };
            let prev_whitespace = is_prev_whitespace(self.src, body, Some(i), is_root);
            let next_whitespace = is_next_whitespace(self.src, body, Some(i), is_root);
            let open_standalone = strip.open_standalone && prev_whitespace;
            let close_standalone = strip.close_standalone && next_whitespace;
            let inline_standalone = strip.inline_standalone && prev_whitespace && next_whitespace;
            if strip.close {
                omit_right(self.src, body, Some(i), true);
            }
            if strip.open {
                omit_left(self.src, body, Some(i), true);
            }
            if self.standalone && inline_standalone {
                omit_right(self.src, body, Some(i), false);
                if omit_left(self.src, body, Some(i), false) {
                    let indent = i.checked_sub(1).and_then(|p| original(self.src, &body[p])).map(trailing_indent);
                    if let (Some(indent), Stmt::Partial(partial)) = (indent, &mut body[i]) {
                        partial.indent = indent.to_owned();
                    }
                }
            }
            if self.standalone && open_standalone {
                if let Stmt::Block(block) = &mut body[i] {
                    if let Some(program) = block.program.as_mut().or(block.inverse.as_mut()) {
                        omit_right(self.src, &mut program.body, None, false);
                    }
                }
                omit_left(self.src, body, Some(i), false);
            }
            if self.standalone && close_standalone {
                omit_right(self.src, body, Some(i), false);
                if let Stmt::Block(block) = &mut body[i] {
                    if let Some(program) = block.inverse.as_mut().or(block.program.as_mut()) {
                        omit_left(self.src, &mut program.body, None, false);
                    }
                }
            }
        }
    }

    fn block(&mut self, block: &mut Block) -> StripInfo {
        if let Some(program) = block.program.as_mut() {
            self.program(program, false);
        }
        if let Some(inverse) = block.inverse.as_mut() {
            self.program(inverse, false);
        }
        let src = self.src;
        let has_inverse = block.program.is_some() && block.inverse.is_some();
        let chained = has_inverse && block.inverse.as_ref().is_some_and(|inverse| inverse.chained);
        let mut strip = StripInfo { open: block.open_strip.open, close: block.close_strip.close, ..StripInfo::default() };
        {
            let program = match block.program.as_ref().or(block.inverse.as_ref()) {
                Some(program) => program,
                None => return strip,
            };
            strip.open_standalone = is_next_whitespace(src, &program.body, None, false);
            let first_inverse = if has_inverse { first_inverse(block) } else { None };
            strip.close_standalone = is_prev_whitespace(src, &first_inverse.unwrap_or(program).body, None, false);
        }
        if block.open_strip.close {
            if let Some(program) = block.program.as_mut().or(block.inverse.as_mut()) {
                omit_right(src, &mut program.body, None, true);
            }
        }
        if has_inverse {
            let inverse_strip = block.inverse_strip;
            let close_strip = block.close_strip;
            if inverse_strip.open {
                if let Some(program) = block.program.as_mut() {
                    omit_left(src, &mut program.body, None, true);
                }
            }
            if inverse_strip.close {
                if let Some(first) = first_inverse_mut(block, chained) {
                    omit_right(src, &mut first.body, None, true);
                }
            }
            if close_strip.open {
                if let Some(last) = last_inverse_mut(block) {
                    omit_left(src, &mut last.body, None, true);
                }
            }
            if self.standalone {
                let before_else = block.program.as_ref().is_some_and(|p| is_prev_whitespace(src, &p.body, None, false));
                let after_else = first_inverse(block).is_some_and(|p| is_next_whitespace(src, &p.body, None, false));
                if before_else && after_else {
                    if let Some(program) = block.program.as_mut() {
                        omit_left(src, &mut program.body, None, false);
                    }
                    if let Some(first) = first_inverse_mut(block, chained) {
                        omit_right(src, &mut first.body, None, false);
                    }
                }
            }
        } else if block.close_strip.open {
            if let Some(program) = block.program.as_mut().or(block.inverse.as_mut()) {
                omit_left(src, &mut program.body, None, true);
            }
        }
        strip
    }
}

fn inline(strip: Strip) -> StripInfo {
    StripInfo { open: strip.open, close: strip.close, inline_standalone: true, ..StripInfo::default() }
}

/// The inverse that `{{else}}` opens: for a chain, the body of the first `{{else if}}`.
fn first_inverse(block: &Block) -> Option<&Program> {
    let inverse = block.inverse.as_ref()?;
    if !inverse.chained {
        return Some(inverse);
    }
    match inverse.body.first() {
        Some(Stmt::Block(chained)) => chained.program.as_ref(),
        _ => Some(inverse),
    }
}

fn first_inverse_mut(block: &mut Block, chained: bool) -> Option<&mut Program> {
    let inverse = block.inverse.as_mut()?;
    if !chained {
        return Some(inverse);
    }
    match inverse.body.first_mut() {
        Some(Stmt::Block(first)) => first.program.as_mut(),
        _ => None,
    }
}

/// handlebars.js's `lastInverse`: down the chain, each step taking the last statement's
/// program, while the inverse is chained.
fn last_inverse_mut(block: &mut Block) -> Option<&mut Program> {
    let mut last = block.inverse.as_mut()?;
    loop {
        let descend = last.chained && matches!(last.body.last(), Some(Stmt::Block(b)) if b.program.is_some());
        if !descend {
            return Some(last);
        }
        let Some(Stmt::Block(chained)) = last.body.last_mut() else { return None };
        last = chained.program.as_mut()?;
    }
}

/// The original text of a content statement.
fn original<'s>(src: &'s str, stmt: &Stmt) -> Option<&'s str> {
    match stmt {
        Stmt::Content { original, .. } => Some(&src[original.clone()]),
        _ => None,
    }
}

/// `isPrevWhitespace`: whether the statement before `i` (the last one for `None`) ends its
/// line with only whitespace; at the edges, whether this is the root program.
fn is_prev_whitespace(src: &str, body: &[Stmt], i: Option<usize>, is_root: bool) -> bool {
    let i = i.unwrap_or(body.len());
    let Some(prev) = i.checked_sub(1).and_then(|p| body.get(p)) else {
        return is_root;
    };
    let Some(text) = original(src, prev) else {
        return false;
    };
    let has_sibling = i >= 2;
    let trailing = trailing_space(text);
    trailing.contains('\n') || (!has_sibling && is_root && trailing.len() == text.len())
}

/// `isNextWhitespace`: whether the statement after `i` (the first one for `None`) starts with
/// only whitespace up to a line end.
fn is_next_whitespace(src: &str, body: &[Stmt], i: Option<usize>, is_root: bool) -> bool {
    let next_index = i.map_or(0, |i| i + 1);
    let Some(next) = body.get(next_index) else {
        return is_root;
    };
    let Some(text) = original(src, next) else {
        return false;
    };
    let has_sibling = body.len() > next_index + 1;
    let leading = leading_space(text);
    leading.contains('\n') || (!has_sibling && is_root && leading.len() == text.len())
}

fn trailing_space(text: &str) -> &str {
    let start = text.char_indices().rev().find(|&(_, c)| !is_js_space(c)).map_or(0, |(i, c)| i + c.len_utf8());
    &text[start..]
}

fn leading_space(text: &str) -> &str {
    let end = text.char_indices().find(|&(_, c)| !is_js_space(c)).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// The spaces and tabs ending `text` (`/(?:^|[^ \t])([ \t]+)$/`).
fn trailing_indent(text: &str) -> &str {
    let trimmed = text.trim_end_matches([' ', '\t']);
    &text[trimmed.len()..]
}

/// `omitRight`: strips the start of the statement after `i` (the first for `None`): all
/// whitespace when `multiple`, else spaces and tabs up to and including one line end.
fn omit_right(src: &str, body: &mut [Stmt], i: Option<usize>, multiple: bool) {
    let index = i.map_or(0, |i| i + 1);
    let Some(Stmt::Content { value, right_stripped, .. }) = body.get_mut(index) else {
        return;
    };
    if !multiple && *right_stripped {
        return;
    }
    let text = &src[value.clone()];
    let removed = if multiple {
        leading_space(text).len()
    } else {
        let bytes = text.as_bytes();
        let mut n = bytes.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
        if bytes.get(n) == Some(&b'\r') && bytes.get(n + 1) == Some(&b'\n') {
            n += 2;
        } else if bytes.get(n) == Some(&b'\r') || bytes.get(n) == Some(&b'\n') {
            n += 1;
        }
        n
    };
    value.start += removed;
    *right_stripped = removed > 0;
}

/// `omitLeft`: strips the end of the statement before `i` (the last for `None`): all
/// whitespace when `multiple`, else trailing spaces and tabs. Returns whether it changed.
fn omit_left(src: &str, body: &mut [Stmt], i: Option<usize>, multiple: bool) -> bool {
    let index = match i {
        None => match body.len().checked_sub(1) {
            Some(last) => last,
            None => return false,
        },
        Some(i) => match i.checked_sub(1) {
            Some(prev) => prev,
            None => return false,
        },
    };
    let Some(Stmt::Content { value, left_stripped, .. }) = body.get_mut(index) else {
        return false;
    };
    if !multiple && *left_stripped {
        return false;
    }
    let text = &src[value.clone()];
    let removed = if multiple { trailing_space(text).len() } else { trailing_indent(text).len() };
    value.end -= removed;
    *left_stripped = removed > 0;
    *left_stripped
}
