//! `bridle::template` for JavaScript: compile once into a handle, render from slots.
//!
//! Templates live in a per-thread handle table and JavaScript holds the integer handle; the
//! facade frees it with `freeTemplate` (explicitly, or from its FinalizationRegistry). The hot
//! call, `renderScratch`, is a raw Node-API function in `hot.rs`.

use crate::error::boundary;
use bridle::handles::Handles;
use bridle::{Error, ErrorKind, Syntax, Template, TemplateOptions};
use napi_derive::napi;
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    // `Rc` so a call holds its template without holding the table's borrow.
    static TEMPLATES: RefCell<Handles<Rc<Template>>> = const { RefCell::new(Handles::new()) };
    // The output buffer reused by every render on this thread.
    static OUTPUT: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

fn template(handle: u32) -> bridle::Result<Rc<Template>> {
    TEMPLATES.with(|table| table.borrow().get(handle).cloned()).ok_or_else(|| {
        Error::new(ErrorKind::InvalidArgument, "this template was freed (or the handle is not a template)")
    })
}

/// Renders template `handle` from UTF-16 slots and hands the output units to `emit`.
pub(crate) fn render_utf16<R>(handle: u32, encoded: &[u16], emit: impl FnOnce(&[u16]) -> R) -> bridle::Result<R> {
    let template = template(handle)?;
    OUTPUT.with(|output| {
        let mut output = output.borrow_mut();
        output.clear();
        template.render_utf16(encoded, &mut output)?;
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
