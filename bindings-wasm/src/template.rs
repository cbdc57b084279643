//! `bridle::template` for JavaScript: compile once into a handle, render by slots.
//!
//! Mirrors the Node binding: templates live in a handle table and JavaScript holds the integer
//! handle, freed with `freeTemplate` (explicitly, or from the facade's FinalizationRegistry).
//! No borrow is held while rendering, so a panic (a trap with `panic = "abort"`) cannot leave
//! the table or the scratch buffer locked.

use crate::error::to_js;
use bridle::handles::Handles;
use bridle::template::{decode_slots, decode_slots_utf8};
use bridle::{Error, ErrorKind, Syntax, Template, TemplateOptions};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

thread_local! {
    static TEMPLATES: RefCell<Handles<Rc<Template>>> = const { RefCell::new(Handles::new()) };
    /// The buffer the facade writes template values into, in place in wasm memory: its
    /// address and length. Held as a raw pointer because JavaScript writes it between calls,
    /// so no Rust reference to it may outlive a call.
    static SCRATCH: Cell<(*mut u8, usize)> = const { Cell::new((std::ptr::null_mut(), 0)) };
    /// The output buffer reused by every render (taken out during a render, so a trap can
    /// never leave it borrowed).
    static OUTPUT: Cell<String> = const { Cell::new(String::new()) };
}

/// What `renderScratch` returns when the output did not fit the scratch buffer and must be
/// fetched with `takeOutput`.
const OUTPUT_TOO_BIG: u32 = u32::MAX;

fn template(handle: u32) -> Result<Rc<Template>, JsError> {
    TEMPLATES.with(|table| table.borrow().get(handle).cloned()).ok_or_else(|| {
        to_js(Error::new(ErrorKind::InvalidArgument, "this template was freed (or the handle is not a template)"))
    })
}

/// Allocates the scratch buffer (once; later calls return the same one) and returns its
/// address in wasm memory. The facade keeps a view of it, renewed when memory grows.
#[wasm_bindgen(js_name = scratchReserve)]
pub fn scratch_reserve(capacity: usize) -> *const u8 {
    SCRATCH.with(|scratch| {
        let (address, length) = scratch.get();
        if !address.is_null() && length >= capacity {
            return address.cast_const();
        }
        let buffer: &'static mut [u8] = Box::leak(vec![0u8; capacity].into_boxed_slice());
        scratch.set((buffer.as_mut_ptr(), capacity));
        buffer.as_ptr()
    })
}

/// Compiles `source` in the named syntax; returns the template's handle.
#[wasm_bindgen(js_name = compileTemplate)]
pub fn compile_template(source: &str, syntax: &str) -> Result<u32, JsError> {
    let syntax: Syntax = syntax.parse().map_err(to_js)?;
    let template = Template::compile(source, &TemplateOptions::new(syntax)).map_err(to_js)?;
    Ok(TEMPLATES.with(|table| table.borrow_mut().insert(Rc::new(template))))
}

/// The input names of a template, in order of first use.
#[wasm_bindgen(js_name = templateVariables)]
pub fn template_variables(handle: u32) -> Result<Vec<String>, JsError> {
    Ok(template(handle)?.variables().to_vec())
}

/// The canonical name of a template's syntax.
#[wasm_bindgen(js_name = templateSyntax)]
pub fn template_syntax(handle: u32) -> Result<String, JsError> {
    Ok(template(handle)?.syntax().name().to_owned())
}

/// Renders from slots encoded as one string (`bridle::template::decode_slots`); the path for
/// values too big for the scratch buffer.
#[wasm_bindgen(js_name = renderSlots)]
pub fn render_slots(handle: u32, encoded: &str) -> Result<String, JsError> {
    let template = template(handle)?;
    let slots = decode_slots(encoded, template.variables().len()).map_err(to_js)?;
    template.render_slots(&slots).map_err(to_js)
}

/// Renders from the slots the facade wrote as UTF-8 into the first `length` bytes of the
/// scratch buffer, and writes the output there too, returning its length in bytes (or
/// `0xFFFFFFFF` if it is too big: then `takeOutput` returns it). Nothing crosses as a string
/// on the way in, and the output costs one decode on the way out, with no allocation.
#[wasm_bindgen(js_name = renderScratch)]
pub fn render_scratch(handle: u32, length: usize) -> Result<u32, JsError> {
    let template = template(handle)?;
    let (address, capacity) = SCRATCH.with(Cell::get);
    if address.is_null() || length > capacity {
        return Err(to_js(Error::new(ErrorKind::InvalidArgument, "template values overrun the scratch buffer")));
    }
    let mut output = OUTPUT.take();
    output.clear();
    {
        // SAFETY: `address..address + capacity` is the leaked, never freed scratch allocation,
        // and `length <= capacity`. JavaScript does not run during this call, so nothing
        // writes the bytes while the slice lives, and it ends with this block.
        let bytes = unsafe { std::slice::from_raw_parts(address.cast_const(), length) };
        let slots = decode_slots_utf8(bytes, template.variables().len()).map_err(to_js)?;
        template.render_slots_into(&slots, &mut output).map_err(to_js)?;
    }
    let written = if output.len() <= capacity && output.len() < OUTPUT_TOO_BIG as usize {
        // SAFETY: as above; the input slice is gone, so this is the only view of the buffer.
        let buffer = unsafe { std::slice::from_raw_parts_mut(address, capacity) };
        buffer[..output.len()].copy_from_slice(output.as_bytes());
        output.len() as u32
    } else {
        OUTPUT_TOO_BIG
    };
    OUTPUT.set(output);
    Ok(written)
}

/// The output of the last `renderScratch` that returned `0xFFFFFFFF`.
#[wasm_bindgen(js_name = takeOutput)]
pub fn take_output() -> String {
    OUTPUT.take()
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
