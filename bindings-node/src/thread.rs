//! Everything the addon keeps per JavaScript thread, in one thread-local, so the hot call
//! looks it up once (in a dynamically loaded library each thread-local access is a call).

use bridle::handles::Handles;
use bridle::Template;
use napi::sys;
use std::cell::{Cell, RefCell};
use std::ptr;
use std::rc::Rc;

pub(crate) struct ThreadState {
    /// Compiled templates by handle. `Rc` so a call holds its template without holding the
    /// table's borrow.
    pub(crate) templates: RefCell<Handles<Rc<Template>>>,
    /// The output buffer reused by every render.
    pub(crate) output: RefCell<Vec<u16>>,
    /// The UTF-8 output buffer of the engines that render UTF-8.
    pub(crate) output_utf8: RefCell<Vec<u8>>,
    /// The Latin-1 form of a UTF-8 output whose characters all fit a byte.
    pub(crate) output_latin1: RefCell<Vec<u8>>,
    /// The scratch buffer the facade writes calls into: address and length in UTF-16 units,
    /// and the reference that keeps it alive (an ArrayBuffer's backing store never moves).
    pub(crate) scratch: Cell<(*const u16, usize, sys::napi_ref)>,
}

thread_local! {
    pub(crate) static THREAD: ThreadState = const {
        ThreadState {
            templates: RefCell::new(Handles::new()),
            output: RefCell::new(Vec::new()),
            output_utf8: RefCell::new(Vec::new()),
            output_latin1: RefCell::new(Vec::new()),
            scratch: Cell::new((ptr::null(), 0, ptr::null_mut())),
        }
    };
}

impl ThreadState {
    pub(crate) fn template(&self, handle: u32) -> bridle::Result<Rc<Template>> {
        self.templates.borrow().live(handle, "template")
    }
}
