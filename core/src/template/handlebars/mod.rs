//! Handlebars templates, as handlebars.js 4.7 renders them. (Being written.)

use crate::error::{Error, ErrorKind, Result};
use crate::template::host::Host;
use crate::template::TemplateOptions;
use serde_json::Value;

/// A compiled Handlebars template with its partials and the names of its helpers.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {}

impl Compiled {
    pub(crate) fn compile(_source: &str, _options: &TemplateOptions) -> Result<Compiled> {
        Err(Error::new(ErrorKind::Unsupported, "handlebars is not written yet"))
    }

    /// The top-level input names the template and its partials read, in order of first use.
    pub(crate) fn variables(&self) -> Vec<String> {
        Vec::new()
    }

    pub(crate) fn render(&self, _data: &Value, _host: &mut dyn Host) -> Result<String> {
        Err(Error::new(ErrorKind::Unsupported, "handlebars is not written yet"))
    }
}
