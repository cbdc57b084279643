//! Hot calls as raw Node-API functions. napi-rs's generated wrappers register a borrow scope
//! for every call with a reference argument; on a small render that bookkeeping costs more
//! than the work. These functions read their arguments with plain Node-API calls instead, and
//! keep the same guarantees: arguments are checked, errors are thrown as the core's JSON error
//! object, and panics are caught here, never unwinding into Node.
//!
//! The scratch buffer, a `Uint16Array` the facade owns and writes template values into, is
//! handed over by `adoptScratch` when it is created or grown: the addon keeps a reference to
//! it and its address, so a render call carries just two numbers.

use crate::error::{catch_panic, to_message};
use crate::template::render_utf16;
use bridle::{Error, ErrorKind};
use napi::bindgen_prelude::{FromNapiValue, Unknown};
use napi::sys;
use napi::JsValue;
use std::cell::Cell;
use std::ffi::{CStr, CString};
use std::ptr;

thread_local! {
    /// This thread's scratch buffer: address and length in UTF-16 units, and the reference
    /// that keeps it alive. The backing store of an ArrayBuffer never moves.
    static SCRATCH: Cell<(*const u16, usize, sys::napi_ref)> = const { Cell::new((ptr::null(), 0, ptr::null_mut())) };
}

/// `renderScratch(handle, units)`: renders the template from the slots the facade wrote into
/// `scratch[0..units]`.
unsafe extern "C" fn render_scratch(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let result = catch_panic(|| unsafe {
        let mut argc = 2usize;
        let mut argv = [ptr::null_mut(); 2];
        check(sys::napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), ptr::null_mut()))?;
        let mut handle = 0u32;
        check(sys::napi_get_value_uint32(env, argv[0], &mut handle))?;
        let mut used = 0u32;
        check(sys::napi_get_value_uint32(env, argv[1], &mut used))?;
        let (address, capacity, _) = SCRATCH.with(Cell::get);
        if address.is_null() || used as usize > capacity {
            return Err(Error::new(ErrorKind::InvalidArgument, "template values overrun the scratch buffer"));
        }
        // SAFETY: the buffer is alive (referenced) and at least `used` units long; JavaScript
        // does not run during this call, and the slice ends with it.
        let units: &[u16] = if used == 0 { &[] } else { std::slice::from_raw_parts(address, used as usize) };
        render_utf16(handle, units, |output| {
            let mut string = ptr::null_mut();
            // V8 stores the result as Latin-1 when every unit fits.
            let status = sys::napi_create_string_utf16(env, output.as_ptr(), output.len() as isize, &mut string);
            check(status).map(|()| string)
        })?
    });
    result.unwrap_or_else(|error| {
        throw(env, &error);
        ptr::null_mut()
    })
}

fn check(status: sys::napi_status) -> bridle::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::InvalidArgument, format!("bad argument (Node-API status {status})")))
    }
}

unsafe fn throw(env: sys::napi_env, error: &Error) {
    // serde_json escapes control characters, so the JSON never holds a NUL.
    let message = CString::new(to_message(error)).unwrap_or_default();
    unsafe { sys::napi_throw_error(env, ptr::null(), message.as_ptr()) };
}

/// Makes `scratch` (a `Uint16Array`) this thread's scratch buffer, releasing the previous one.
#[napi_derive::napi(js_name = "adoptScratch")]
pub fn adopt_scratch(env: napi::Env, scratch: Unknown<'_>) -> napi::Result<()> {
    let env = env.raw();
    unsafe {
        let (mut kind, mut length, mut data) = (0, 0usize, ptr::null_mut());
        let (mut buffer, mut offset) = (ptr::null_mut(), 0usize);
        let status = sys::napi_get_typedarray_info(env, scratch.raw(), &mut kind, &mut length, &mut data, &mut buffer, &mut offset);
        if status != sys::Status::napi_ok || kind != sys::TypedarrayType::uint16_array {
            return Err(napi::Error::from_reason("the scratch buffer must be a Uint16Array"));
        }
        let mut reference = ptr::null_mut();
        if sys::napi_create_reference(env, scratch.raw(), 1, &mut reference) != sys::Status::napi_ok {
            return Err(napi::Error::from_reason("could not keep a reference to the scratch buffer"));
        }
        let (_, _, previous) = SCRATCH.with(|cell| cell.replace((data.cast_const().cast::<u16>(), length, reference)));
        if !previous.is_null() {
            sys::napi_delete_reference(env, previous);
        }
    }
    Ok(())
}

type RawFunction = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

const HOT_FUNCTIONS: &[(&CStr, RawFunction)] = &[(c"renderScratch", render_scratch)];

/// The hot functions as one object (`{ renderScratch }`); the facade asks once per addon.
#[napi_derive::napi(js_name = "hotFunctions")]
pub fn hot_functions(env: napi::Env) -> napi::Result<Unknown<'static>> {
    let env = env.raw();
    let fail = |what: &str| napi::Error::from_reason(format!("could not set up the hot functions: {what}"));
    unsafe {
        let mut object = ptr::null_mut();
        if sys::napi_create_object(env, &mut object) != sys::Status::napi_ok {
            return Err(fail("object"));
        }
        for (name, function) in HOT_FUNCTIONS {
            let mut value = ptr::null_mut();
            let name_length = name.count_bytes() as isize;
            if sys::napi_create_function(env, name.as_ptr(), name_length, Some(*function), ptr::null_mut(), &mut value)
                != sys::Status::napi_ok
                || sys::napi_set_named_property(env, object, name.as_ptr(), value) != sys::Status::napi_ok
            {
                return Err(fail(&name.to_string_lossy()));
            }
        }
        Unknown::from_napi_value(env, object)
    }
}
