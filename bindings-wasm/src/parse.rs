//! `bridle::parse` for JavaScript: the incremental JSON stream.

use crate::error::to_js;
use bridle::handles::Handles;
use bridle::parse::json_stream::{JsonStream, StreamOptions};
use bridle::parse::schema::Schema;
use bridle::parse::tagged::{events_json, TaggedOptions, TaggedStream};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

thread_local! {
    /// Open JSON streams by handle (see `template.rs` for the handle discipline).
    static STREAMS: RefCell<Handles<Rc<RefCell<JsonStream>>>> = const { RefCell::new(Handles::new()) };
}

fn stream(handle: u32) -> Result<Rc<RefCell<JsonStream>>, JsError> {
    STREAMS.with(|table| table.borrow().live(handle, "JSON stream")).map_err(to_js)
}

/// Opens a JSON stream with options given as JSON, checked against a compiled schema when
/// `schema` is a schema handle; returns its handle.
#[wasm_bindgen(js_name = jsonStreamOpen)]
pub fn json_stream_open(options: &str, schema_handle: Option<u32>) -> Result<u32, JsError> {
    let options = StreamOptions::from_json(options).map_err(to_js)?;
    let stream = match schema_handle {
        Some(handle) => JsonStream::with_schema(options, schema(handle)?),
        None => JsonStream::new(options),
    };
    Ok(STREAMS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(stream)))))
}

/// Parses a text chunk; returns the operations it produced (JSON).
#[wasm_bindgen(js_name = jsonStreamPush)]
pub fn json_stream_push(handle: u32, chunk: &str) -> Result<String, JsError> {
    let stream = stream(handle)?;
    let mut stream = stream.borrow_mut();
    stream.push_str(chunk).map_err(to_js)?;
    Ok(stream.take_ops())
}

/// Parses a chunk of UTF-8 bytes; returns the operations it produced (JSON).
#[wasm_bindgen(js_name = jsonStreamPushBytes)]
pub fn json_stream_push_bytes(handle: u32, chunk: &[u8]) -> Result<String, JsError> {
    let stream = stream(handle)?;
    let mut stream = stream.borrow_mut();
    stream.push_bytes(chunk).map_err(to_js)?;
    Ok(stream.take_ops())
}

/// Ends the stream; returns the last operations (JSON).
#[wasm_bindgen(js_name = jsonStreamEnd)]
pub fn json_stream_end(handle: u32) -> Result<String, JsError> {
    let stream = stream(handle)?;
    let mut stream = stream.borrow_mut();
    stream.end().map_err(to_js)?;
    Ok(stream.take_ops())
}

/// The operations not yet taken (after a failed push, what came before the error).
#[wasm_bindgen(js_name = jsonStreamTakeOps)]
pub fn json_stream_take_ops(handle: u32) -> Result<String, JsError> {
    Ok(stream(handle)?.borrow_mut().take_ops())
}

/// Frees a JSON stream; freeing twice, or an unknown handle, does nothing.
#[wasm_bindgen(js_name = jsonStreamFree)]
pub fn json_stream_free(handle: u32) {
    STREAMS.with(|table| table.borrow_mut().remove(handle));
}

/// Repairs JSON text; returns `{json, repairs, start, end}` as JSON.
#[wasm_bindgen(js_name = repairJson)]
pub fn repair_json(text: &str) -> Result<String, JsError> {
    Ok(bridle::parse::repair::repair_json(text).map_err(to_js)?.to_json(text))
}

/// Finds the JSON in a model's answer: the first value, or with `limit` > 1 up to that many.
#[wasm_bindgen(js_name = extractJson)]
pub fn extract_json(text: &str, limit: u32) -> Result<String, JsError> {
    bridle::parse::repair::extract_json_json(text, limit as usize).map_err(to_js)
}

/// The items of a list in model output, as a JSON array.
#[wasm_bindgen(js_name = parseList)]
pub fn parse_list(text: &str) -> String {
    bridle::parse::list::parse_list_json(text)
}

/// `key: value` lines, as a JSON array of pairs.
#[wasm_bindgen(js_name = parseFields)]
pub fn parse_fields(text: &str) -> String {
    bridle::parse::list::parse_fields_json(text)
}

/// Tagged sections of a whole text, as JSON.
#[wasm_bindgen(js_name = parseTagged)]
pub fn parse_tagged(text: &str, options: &str) -> Result<String, JsError> {
    bridle::parse::tagged::parse_tagged_json(text, options).map_err(to_js)
}

thread_local! {
    /// Open tagged-section streams by handle.
    static TAGGED: RefCell<Handles<Rc<RefCell<TaggedStream>>>> = const { RefCell::new(Handles::new()) };
}

fn tagged(handle: u32) -> Result<Rc<RefCell<TaggedStream>>, JsError> {
    TAGGED.with(|table| table.borrow().live(handle, "tagged-section stream")).map_err(to_js)
}

/// Opens a tagged-section stream with options given as JSON; returns its handle.
#[wasm_bindgen(js_name = taggedStreamOpen)]
pub fn tagged_stream_open(options: &str) -> Result<u32, JsError> {
    let stream = TaggedStream::new(TaggedOptions::from_json(options).map_err(to_js)?);
    Ok(TAGGED.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(stream)))))
}

/// Reads a chunk; returns the events as JSON.
#[wasm_bindgen(js_name = taggedStreamPush)]
pub fn tagged_stream_push(handle: u32, chunk: &str) -> Result<String, JsError> {
    Ok(events_json(&tagged(handle)?.borrow_mut().push(chunk)))
}

/// Ends the text; returns the last events as JSON.
#[wasm_bindgen(js_name = taggedStreamEnd)]
pub fn tagged_stream_end(handle: u32) -> Result<String, JsError> {
    Ok(events_json(&tagged(handle)?.borrow_mut().end()))
}

/// Frees a tagged-section stream; idempotent.
#[wasm_bindgen(js_name = taggedStreamFree)]
pub fn tagged_stream_free(handle: u32) {
    TAGGED.with(|table| table.borrow_mut().remove(handle));
}

thread_local! {
    /// Compiled JSON Schemas by handle.
    static SCHEMAS: RefCell<Handles<Rc<Schema>>> = const { RefCell::new(Handles::new()) };
}

fn schema(handle: u32) -> Result<Rc<Schema>, JsError> {
    SCHEMAS.with(|table| table.borrow().live(handle, "schema")).map_err(to_js)
}

/// Compiles a JSON Schema (JSON text) with options (JSON); returns its handle.
#[wasm_bindgen(js_name = compileSchema)]
pub fn compile_schema(schema: &str, options: &str) -> Result<u32, JsError> {
    let compiled = Schema::compile_json(schema, options).map_err(to_js)?;
    Ok(SCHEMAS.with(|table| table.borrow_mut().insert(Rc::new(compiled))))
}

/// Validates a value given as JSON text; returns the violations as JSON (`[]` when valid).
#[wasm_bindgen(js_name = schemaValidate)]
pub fn schema_validate(handle: u32, value: &str) -> Result<String, JsError> {
    schema(handle)?.validate_value_json(value).map_err(to_js)
}

/// Parses JSON text and validates it; returns the violations as JSON. Bad JSON is `json_parse`.
#[wasm_bindgen(js_name = schemaValidateText)]
pub fn schema_validate_text(handle: u32, text: &str) -> Result<String, JsError> {
    schema(handle)?.validate_text_json(text).map_err(to_js)
}

/// Frees a compiled schema; idempotent.
#[wasm_bindgen(js_name = freeSchema)]
pub fn free_schema(handle: u32) {
    SCHEMAS.with(|table| table.borrow_mut().remove(handle));
}
