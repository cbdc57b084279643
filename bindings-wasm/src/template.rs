//! `bridle::template` for JavaScript: compile once, keep the handle, render by slots.

use crate::error::to_js;
use bridle::template::decode_slots;
use bridle::{Syntax, Template, TemplateOptions};
use wasm_bindgen::prelude::*;

/// A compiled template held in wasm memory until `free()` (or the finalizer) releases it.
#[wasm_bindgen(js_name = CompiledTemplate)]
pub struct JsTemplate {
    inner: Template,
}

/// Compiles `source` in the named syntax.
#[wasm_bindgen(js_name = compileTemplate)]
pub fn compile_template(source: &str, syntax: &str) -> Result<JsTemplate, JsError> {
    let syntax: Syntax = syntax.parse().map_err(to_js)?;
    let inner = Template::compile(source, &TemplateOptions::new(syntax)).map_err(to_js)?;
    Ok(JsTemplate { inner })
}

#[wasm_bindgen(js_class = CompiledTemplate)]
impl JsTemplate {
    /// The input names, in order of first use.
    #[wasm_bindgen(getter)]
    pub fn variables(&self) -> Vec<String> {
        self.inner.variables().to_vec()
    }

    /// The canonical name of the template's syntax.
    #[wasm_bindgen(getter)]
    pub fn syntax(&self) -> String {
        self.inner.syntax().name().to_owned()
    }

    /// Renders from values encoded as `bridle::template::decode_slots` describes.
    #[wasm_bindgen(js_name = renderSlots)]
    pub fn render_slots(&self, encoded: &str) -> Result<String, JsError> {
        let slots = decode_slots(encoded, self.inner.variables().len()).map_err(to_js)?;
        self.inner.render_slots(&slots).map_err(to_js)
    }
}
