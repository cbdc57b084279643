//! `bridle::template` for JavaScript: compile once into a handle, render by slots.
//!
//! Templates live in a per-thread handle table and JavaScript holds the integer handle; the
//! facade frees it with `freeTemplate` (explicitly, or from its FinalizationRegistry). The hot
//! call, `renderScratch`, is a raw Node-API function (see `hot.rs`): napi-rs's generated
//! wrappers track borrows per call, which costs more than a small render.

use crate::error::boundary;
use bridle::handles::Handles;
use bridle::template::{decode_slots, decode_slots_utf8};
use bridle::{Error, ErrorKind, Syntax, Template, TemplateOptions};
use napi_derive::napi;
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    // `Rc` so a call holds its template without holding the table's borrow.
    static TEMPLATES: RefCell<Handles<Rc<Template>>> = const { RefCell::new(Handles::new()) };
    // The output buffer reused by every render on this thread.
    static OUTPUT: RefCell<String> = const { RefCell::new(String::new()) };
}

pub(crate) fn template(handle: u32) -> bridle::Result<Rc<Template>> {
    TEMPLATES.with(|table| table.borrow().get(handle).cloned()).ok_or_else(|| {
        Error::new(ErrorKind::InvalidArgument, "this template was freed (or the handle is not a template)")
    })
}

/// Renders `template` from slots encoded as UTF-8 in `encoded` and hands the output to `emit`.
pub(crate) fn render_encoded_utf8<R>(handle: u32, encoded: &[u8], emit: impl FnOnce(&str) -> R) -> bridle::Result<R> {
    let template = template(handle)?;
    let slots = decode_slots_utf8(encoded, template.variables().len())?;
    OUTPUT.with(|output| {
        let mut output = output.borrow_mut();
        output.clear();
        template.render_slots_into(&slots, &mut output)?;
        Ok(emit(&output))
    })
}

/// Compiles `source` in the named syntax; returns the template's handle.
#[napi(js_name = "compileTemplate")]
pub fn compile_template(source: String, syntax: String) -> napi::Result<u32> {
    boundary(|| {
        let syntax: Syntax = syntax.parse()?;
        let template = Template::compile(&source, &TemplateOptions::new(syntax))?;
        Ok(TEMPLATES.with(|table| table.borrow_mut().insert(Rc::new(template))))
    })
}

/// The input names of a template, in order of first use.
#[napi(js_name = "templateVariables")]
pub fn template_variables(handle: u32) -> napi::Result<Vec<String>> {
    boundary(|| Ok(template(handle)?.variables().to_vec()))
}

/// The canonical name of a template's syntax.
#[napi(js_name = "templateSyntax")]
pub fn template_syntax(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(template(handle)?.syntax().name().to_owned()))
}

/// Renders from slots encoded as one string (`bridle::template::decode_slots`); the path for
/// values too big for the scratch buffer.
#[napi(js_name = "renderSlots")]
pub fn render_slots(handle: u32, encoded: String) -> napi::Result<String> {
    boundary(|| {
        let template = template(handle)?;
        let slots = decode_slots(&encoded, template.variables().len())?;
        template.render_slots(&slots)
    })
}

/// Frees a template; freeing twice, or an unknown handle, does nothing.
#[napi(js_name = "freeTemplate")]
pub fn free_template(handle: u32) {
    TEMPLATES.with(|table| table.borrow_mut().remove(handle));
}

/// How many templates are live on this thread (for leak tests).
#[napi(js_name = "liveTemplates")]
pub fn live_templates() -> u32 {
    TEMPLATES.with(|table| table.borrow().len() as u32)
}
