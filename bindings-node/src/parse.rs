//! `bridle::parse` for JavaScript: the incremental JSON stream.

use crate::error::boundary;
use crate::text::Text;
use bridle::handles::Handles;
use bridle::parse::json_stream::{JsonStream, StreamOptions};
use bridle::parse::schema::Schema;
use bridle::parse::tagged::{events_json, TaggedOptions, TaggedStream};
use napi::bindgen_prelude::Uint8Array;
use napi_derive::napi;
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    /// Open JSON streams by handle (see `template.rs` for the handle discipline).
    static STREAMS: RefCell<Handles<Rc<RefCell<JsonStream>>>> = const { RefCell::new(Handles::new()) };
}

fn stream(handle: u32) -> bridle::Result<Rc<RefCell<JsonStream>>> {
    STREAMS.with(|table| table.borrow().live(handle, "JSON stream"))
}

/// Opens a JSON stream with options given as JSON, checked against a compiled schema when
/// `schema` is a schema handle; returns its handle.
#[napi(js_name = "jsonStreamOpen")]
pub fn json_stream_open(options: String, schema_handle: Option<u32>) -> napi::Result<u32> {
    boundary(|| {
        let options = StreamOptions::from_json(&options)?;
        let stream = match schema_handle {
            Some(handle) => JsonStream::with_schema(options, schema(handle)?),
            None => JsonStream::new(options),
        };
        Ok(STREAMS.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(stream)))))
    })
}

/// Parses a text chunk; returns the operations it produced (JSON).
#[napi(js_name = "jsonStreamPush")]
pub fn json_stream_push(handle: u32, chunk: String) -> napi::Result<String> {
    boundary(|| {
        let stream = stream(handle)?;
        let mut stream = stream.borrow_mut();
        stream.push_str(&chunk)?;
        Ok(stream.take_ops())
    })
}

/// Parses a chunk of UTF-8 bytes; returns the operations it produced (JSON).
#[napi(js_name = "jsonStreamPushBytes")]
pub fn json_stream_push_bytes(handle: u32, chunk: Uint8Array) -> napi::Result<String> {
    boundary(|| {
        let stream = stream(handle)?;
        let mut stream = stream.borrow_mut();
        stream.push_bytes(&chunk)?;
        Ok(stream.take_ops())
    })
}

/// Ends the stream; returns the last operations (JSON).
#[napi(js_name = "jsonStreamEnd")]
pub fn json_stream_end(handle: u32) -> napi::Result<String> {
    boundary(|| {
        let stream = stream(handle)?;
        let mut stream = stream.borrow_mut();
        stream.end()?;
        Ok(stream.take_ops())
    })
}

/// The operations not yet taken (after a failed push, what came before the error).
#[napi(js_name = "jsonStreamTakeOps")]
pub fn json_stream_take_ops(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(stream(handle)?.borrow_mut().take_ops()))
}

/// Frees a JSON stream; freeing twice, or an unknown handle, does nothing.
#[napi(js_name = "jsonStreamFree")]
pub fn json_stream_free(handle: u32) {
    STREAMS.with(|table| table.borrow_mut().remove(handle));
}

/// Repairs JSON text; returns `{json, repairs, start, end}` as JSON.
#[napi(js_name = "repairJson")]
pub fn repair_json(text: String) -> napi::Result<String> {
    boundary(|| Ok(bridle::parse::repair::repair_json(&text)?.to_json(&text)))
}

/// Finds the JSON in a model's answer: the first value, or with `limit` > 1 up to that many.
#[napi(js_name = "extractJson")]
pub fn extract_json(text: String, limit: u32) -> napi::Result<String> {
    boundary(|| bridle::parse::repair::extract_json_json(&text, limit as usize))
}

/// The items of a list in model output, as a JSON array.
#[napi(js_name = "parseList")]
pub fn parse_list(text: String) -> String {
    bridle::parse::list::parse_list_json(&text)
}

/// `key: value` lines, as a JSON array of pairs.
#[napi(js_name = "parseFields")]
pub fn parse_fields(text: String) -> String {
    bridle::parse::list::parse_fields_json(&text)
}

/// Tagged sections of a whole text, as JSON.
#[napi(js_name = "parseTagged")]
pub fn parse_tagged(text: String, options: String) -> napi::Result<String> {
    boundary(|| bridle::parse::tagged::parse_tagged_json(&text, &options))
}

thread_local! {
    /// Open tagged-section streams by handle.
    static TAGGED: RefCell<Handles<Rc<RefCell<TaggedStream>>>> = const { RefCell::new(Handles::new()) };
}

fn tagged(handle: u32) -> bridle::Result<Rc<RefCell<TaggedStream>>> {
    TAGGED.with(|table| table.borrow().live(handle, "tagged-section stream"))
}

/// Opens a tagged-section stream with options given as JSON; returns its handle.
#[napi(js_name = "taggedStreamOpen")]
pub fn tagged_stream_open(options: String) -> napi::Result<u32> {
    boundary(|| {
        let stream = TaggedStream::new(TaggedOptions::from_json(&options)?);
        Ok(TAGGED.with(|table| table.borrow_mut().insert(Rc::new(RefCell::new(stream)))))
    })
}

/// Reads a chunk; returns the events as JSON.
#[napi(js_name = "taggedStreamPush")]
pub fn tagged_stream_push(handle: u32, chunk: String) -> napi::Result<String> {
    boundary(|| Ok(events_json(&tagged(handle)?.borrow_mut().push(&chunk))))
}

/// Ends the text; returns the last events as JSON.
#[napi(js_name = "taggedStreamEnd")]
pub fn tagged_stream_end(handle: u32) -> napi::Result<String> {
    boundary(|| Ok(events_json(&tagged(handle)?.borrow_mut().end())))
}

/// Frees a tagged-section stream; idempotent.
#[napi(js_name = "taggedStreamFree")]
pub fn tagged_stream_free(handle: u32) {
    TAGGED.with(|table| table.borrow_mut().remove(handle));
}

thread_local! {
    /// Compiled JSON Schemas by handle.
    static SCHEMAS: RefCell<Handles<Rc<Schema>>> = const { RefCell::new(Handles::new()) };
}

fn schema(handle: u32) -> bridle::Result<Rc<Schema>> {
    SCHEMAS.with(|table| table.borrow().live(handle, "schema"))
}

/// Compiles a JSON Schema (JSON text) with options (JSON); returns its handle.
#[napi(js_name = "compileSchema")]
pub fn compile_schema(schema: String, options: String) -> napi::Result<u32> {
    boundary(|| {
        let compiled = Schema::compile_json(&schema, &options)?;
        Ok(SCHEMAS.with(|table| table.borrow_mut().insert(Rc::new(compiled))))
    })
}

/// Validates a value given as JSON text; returns the violations as JSON (`[]` when valid).
#[napi(js_name = "schemaValidate", ts_args_type = "handle: number, value: string")]
pub fn schema_validate(handle: u32, value: Text) -> napi::Result<String> {
    boundary(|| schema(handle)?.validate_value_json(&value.0))
}

/// Parses JSON text and validates it; returns the violations as JSON. Bad JSON is `json_parse`.
#[napi(js_name = "schemaValidateText", ts_args_type = "handle: number, text: string")]
pub fn schema_validate_text(handle: u32, text: Text) -> napi::Result<String> {
    boundary(|| schema(handle)?.validate_text_json(&text.0))
}

/// Frees a compiled schema; idempotent.
#[napi(js_name = "freeSchema")]
pub fn free_schema(handle: u32) {
    SCHEMAS.with(|table| table.borrow_mut().remove(handle));
}
