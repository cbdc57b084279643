//! `bridle::template` for JavaScript: compile once into a handle, render from slots.
//!
//! Templates live in a per-thread handle table and JavaScript holds the integer handle; the
//! facade frees it with `freeTemplate` (explicitly, or from its FinalizationRegistry). The hot
//! call, `renderScratch`, is a raw Node-API function in `hot.rs`.

use crate::error::boundary;
use crate::thread::THREAD;
use bridle::{Template, TemplateOptions};
use napi_derive::napi;
use std::rc::Rc;

fn template(handle: u32) -> bridle::Result<Rc<Template>> {
    THREAD.with(|thread| thread.template(handle))
}

/// Compiles `source` with options given as JSON (`bridle::TemplateOptions::from_json`);
/// returns the template's handle.
#[napi(js_name = "compileTemplate")]
pub fn compile_template(source: String, options: String) -> napi::Result<u32> {
    boundary(|| {
        let template = Template::compile(&source, &TemplateOptions::from_json(&options)?)?;
        Ok(THREAD.with(|thread| thread.templates.borrow_mut().insert(Rc::new(template))))
    })
}

/// The input names of a template, in order of first use.
#[napi(js_name = "templateVariables")]
pub fn template_variables(handle: u32) -> napi::Result<Vec<String>> {
    boundary(|| Ok(template(handle)?.variables().to_vec()))
}

/// Renders a template whose options mark untrusted variables, with data as JSON; returns the
/// framed text and the untrusted spans.
#[napi(js_name = "templateRenderSpotlit")]
pub fn template_render_spotlit(handle: u32, data: String) -> napi::Result<String> {
    boundary(|| Ok(template(handle)?.render_spotlit_json(&data)?.to_frame()))
}

/// Whether a template's options mark untrusted variables.
#[napi(js_name = "templateIsSpotlit")]
pub fn template_is_spotlit(handle: u32) -> napi::Result<bool> {
    boundary(|| Ok(template(handle)?.is_spotlit()))
}

/// The canonical name of a template's syntax.
#[napi(js_name = "templateSyntax")]
pub fn template_syntax(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(template(handle)?.syntax().name().to_owned()))
}

/// Whether a render may read any name of the data, so the facade must send all of it.
#[napi(js_name = "templateReadsWholeData")]
pub fn template_reads_whole_data(handle: u32) -> napi::Result<bool> {
    boundary(|| Ok(template(handle)?.reads_whole_data()))
}

/// Frees a template; freeing twice, or an unknown handle, does nothing.
#[napi(js_name = "freeTemplate")]
pub fn free_template(handle: u32) {
    THREAD.with(|thread| thread.templates.borrow_mut().remove(handle));
}

/// How many templates are live on this thread (for leak tests).
#[napi(js_name = "liveTemplates")]
pub fn live_templates() -> u32 {
    THREAD.with(|thread| thread.templates.borrow().len() as u32)
}
