//! `bridle::template` for JavaScript: compile once, keep the handle, render by slots.

use crate::error::boundary;
use bridle::template::decode_slots;
use bridle::{Error, ErrorKind, Syntax, Template, TemplateOptions};
use napi_derive::napi;

/// A compiled template. Node's garbage collector frees it; `free()` releases it earlier.
#[napi(js_name = "CompiledTemplate")]
pub struct JsTemplate {
    inner: Option<Template>,
}

/// Compiles `source` in the named syntax.
#[napi(js_name = "compileTemplate")]
pub fn compile_template(source: String, syntax: String) -> napi::Result<JsTemplate> {
    boundary(|| {
        let syntax: Syntax = syntax.parse()?;
        let inner = Template::compile(&source, &TemplateOptions::new(syntax))?;
        Ok(JsTemplate { inner: Some(inner) })
    })
}

#[napi]
impl JsTemplate {
    /// The input names, in order of first use.
    #[napi(getter)]
    pub fn variables(&self) -> napi::Result<Vec<String>> {
        boundary(|| Ok(self.template()?.variables().to_vec()))
    }

    /// The canonical name of the template's syntax.
    #[napi(getter)]
    pub fn syntax(&self) -> napi::Result<String> {
        boundary(|| Ok(self.template()?.syntax().name().to_owned()))
    }

    /// Renders from values encoded as `bridle::template::decode_slots` describes.
    #[napi(js_name = "renderSlots")]
    pub fn render_slots(&self, encoded: String) -> napi::Result<String> {
        boundary(|| {
            let template = self.template()?;
            let slots = decode_slots(&encoded, template.variables().len())?;
            template.render_slots(&slots)
        })
    }

    /// Releases the compiled template now rather than at garbage collection.
    #[napi]
    pub fn free(&mut self) {
        self.inner = None;
    }

    fn template(&self) -> bridle::Result<&Template> {
        self.inner
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "this template was freed"))
    }
}
