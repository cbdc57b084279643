//! `bridle::template` for JavaScript: compile once into a handle, render by slots.
//!
//! Mirrors the Node binding: templates live in a handle table and JavaScript holds the integer
//! handle, freed with `freeTemplate` (explicitly, or from the facade's FinalizationRegistry).
//! No borrow is held while rendering, so a panic (a trap with `panic = "abort"`) cannot leave
//! the table or the scratch buffer locked.

use crate::error::to_js;
use bridle::handles::Handles;
use bridle::template::read_call;
use bridle::{Error, ErrorKind, Template, TemplateOptions};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

thread_local! {
    static TEMPLATES: RefCell<Handles<Rc<Template>>> = const { RefCell::new(Handles::new()) };
    /// The buffer the facade writes template values into (and reads outputs from), in place
    /// in wasm memory: address and length in UTF-16 units. Held as a raw pointer because
    /// JavaScript writes it between calls, so no Rust reference to it may outlive a call.
    static SCRATCH: Cell<(*mut u16, usize)> = const { Cell::new((std::ptr::null_mut(), 0)) };
    /// The output buffers reused by every render (taken out during a render, so a trap can
    /// never leave them borrowed).
    static OUTPUT: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
    static OUTPUT_WIDE: Cell<Vec<u16>> = const { Cell::new(Vec::new()) };
}

/// Set in `renderScratch`'s result when the scratch buffer had to move to hold the output.
const SCRATCH_MOVED: u32 = 1 << 31;
/// Set in `renderScratch`'s result when the output is UTF-16 units rather than UTF-8 bytes.
const OUTPUT_UTF16: u32 = 1 << 30;

pub(crate) fn template(handle: u32) -> Result<Rc<Template>, JsError> {
    TEMPLATES.with(|table| table.borrow().live(handle, "template")).map_err(to_js)
}

/// Makes the scratch buffer at least `capacity` units long, keeping its first `keep` units,
/// and returns its address in wasm memory (the facade renews its view after every move).
#[wasm_bindgen(js_name = scratchReserve)]
pub fn scratch_reserve(capacity: usize, keep: usize) -> *const u16 {
    SCRATCH.with(|scratch| {
        let (address, length) = scratch.get();
        if !address.is_null() && length >= capacity {
            return address.cast_const();
        }
        let mut grown = vec![0u16; capacity.max(length * 2)].into_boxed_slice();
        if !address.is_null() {
            // SAFETY: the old buffer is the live allocation of `length` units made below;
            // it is read once, then freed, and JavaScript renews its view before using it.
            let old = unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(address, length)) };
            let keep = keep.min(length);
            grown[..keep].copy_from_slice(&old[..keep]);
        }
        let length = grown.len();
        let address = Box::into_raw(grown).cast::<u16>();
        scratch.set((address, length));
        address.cast_const()
    })
}

/// The scratch buffer's length in UTF-16 units.
#[wasm_bindgen(js_name = scratchUnits)]
pub fn scratch_units() -> usize {
    SCRATCH.with(Cell::get).1
}

/// Compiles `source` with options given as JSON (`bridle::TemplateOptions::from_json`);
/// returns the template's handle.
#[wasm_bindgen(js_name = compileTemplate)]
pub fn compile_template(source: &str, options: &str) -> Result<u32, JsError> {
    let options = TemplateOptions::from_json(options).map_err(to_js)?;
    let template = Template::compile(source, &options).map_err(to_js)?;
    Ok(TEMPLATES.with(|table| table.borrow_mut().insert(Rc::new(template))))
}

/// The input names of a template, in order of first use.
#[wasm_bindgen(js_name = templateVariables)]
pub fn template_variables(handle: u32) -> Result<Vec<String>, JsError> {
    Ok(template(handle)?.variables().to_vec())
}

/// Renders a template whose options mark untrusted variables, with data as JSON; returns the
/// framed text and the untrusted spans.
#[wasm_bindgen(js_name = templateRenderSpotlit)]
pub fn template_render_spotlit(handle: u32, data: &str) -> Result<String, JsError> {
    Ok(template(handle)?.render_spotlit_json(data).map_err(to_js)?.to_frame())
}

/// Whether a template's options mark untrusted variables.
#[wasm_bindgen(js_name = templateIsSpotlit)]
pub fn template_is_spotlit(handle: u32) -> Result<bool, JsError> {
    Ok(template(handle)?.is_spotlit())
}

/// The canonical name of a template's syntax.
#[wasm_bindgen(js_name = templateSyntax)]
pub fn template_syntax(handle: u32) -> Result<String, JsError> {
    Ok(template(handle)?.syntax().name().to_owned())
}

/// Whether a render may read any name of the data, so the facade must send all of it.
#[wasm_bindgen(js_name = templateReadsWholeData)]
pub fn template_reads_whole_data(handle: u32) -> Result<bool, JsError> {
    Ok(template(handle)?.reads_whole_data())
}

/// Renders the call the facade wrote into the scratch buffer (`bridle::template::read_call`),
/// and writes the output there too (moving the buffer if the output needs more room): as
/// UTF-8, which JavaScript decodes fastest, or as UTF-16 if a value holds a lone surrogate.
/// Returns the output's length (bytes or units), with bit 30 set for UTF-16 and bit 31 set
/// if the buffer moved. Nothing crosses as a string on the way in.
#[wasm_bindgen(js_name = renderScratch)]
pub fn render_scratch() -> Result<u32, JsError> {
    let (address, capacity) = SCRATCH.with(Cell::get);
    if address.is_null() {
        return Err(to_js(Error::new(ErrorKind::InvalidArgument, "no scratch buffer was reserved")));
    }
    // SAFETY: `address..address + capacity` is the live scratch allocation. JavaScript does
    // not run during this call, so nothing writes the buffer while the slice lives; it is not
    // used after the output is written below.
    let scratch = unsafe { std::slice::from_raw_parts(address.cast_const(), capacity) };
    let (handle, encoded) = read_call(scratch).map_err(to_js)?;
    let template = template(handle)?;
    let mut text = OUTPUT.take();
    text.clear();
    let result = if template.render_utf16_to_utf8(encoded, &mut text).map_err(to_js)? {
        write_output(&text).map(|moved| text.len() as u32 | moved)
    } else {
        let mut wide = OUTPUT_WIDE.take();
        wide.clear();
        template.render_utf16(encoded, &mut wide).map_err(to_js)?;
        // SAFETY: `wide` read as bytes; u16 has no padding and every byte is a valid u8.
        let bytes = unsafe { std::slice::from_raw_parts(wide.as_ptr().cast::<u8>(), wide.len() * 2) };
        let result = write_output(bytes).map(|moved| wide.len() as u32 | OUTPUT_UTF16 | moved);
        OUTPUT_WIDE.set(wide);
        result
    };
    OUTPUT.set(text);
    result
}

/// Copies `bytes` to the start of the scratch buffer, growing it if needed; returns
/// [`SCRATCH_MOVED`] if it moved, else 0.
fn write_output(bytes: &[u8]) -> Result<u32, JsError> {
    if bytes.len() >= OUTPUT_UTF16 as usize {
        return Err(to_js(Error::new(ErrorKind::TemplateRender, "the output is over 1 GiB")));
    }
    let (mut address, capacity) = SCRATCH.with(Cell::get);
    let moved = bytes.len() > capacity * 2;
    if moved {
        address = scratch_reserve(bytes.len().div_ceil(2), 0).cast_mut();
    }
    // SAFETY: the scratch buffer is live and at least `bytes.len()` bytes long (2 per unit),
    // and no other reference to it exists during this call.
    let buffer = unsafe { std::slice::from_raw_parts_mut(address.cast::<u8>(), bytes.len()) };
    buffer.copy_from_slice(bytes);
    Ok(if moved { SCRATCH_MOVED } else { 0 })
}

/// Frees a template; freeing twice, or an unknown handle, does nothing.
#[wasm_bindgen(js_name = freeTemplate)]
pub fn free_template(handle: u32) {
    TEMPLATES.with(|table| table.borrow_mut().remove(handle));
}

/// How many templates are live (for leak tests).
#[wasm_bindgen(js_name = liveTemplates)]
pub fn live_templates() -> u32 {
    TEMPLATES.with(|table| table.borrow().len() as u32)
}
