//! The blocks of the host calls in progress, shared by both bindings (each includes this file
//! with `#[path]`): while a call out of a render runs in JavaScript, its `Blocks` is
//! registered under a token, and `renderBlock(token, ...)` renders through it. Only the
//! innermost call's blocks may render, which is what makes the raw pointer here the only live
//! use of the `&mut dyn Blocks` it came from.

use bridle::template::host::Blocks;
use bridle::{Error, ErrorKind};
use std::cell::{Cell, RefCell};

type ActiveBlocks = *mut (dyn Blocks + 'static);

thread_local! {
    /// The blocks of the calls in progress, innermost last, with their tokens.
    static ACTIVE: RefCell<Vec<(u32, ActiveBlocks)>> = const { RefCell::new(Vec::new()) };
    static NEXT_TOKEN: Cell<u32> = const { Cell::new(1) };
}

/// Keeps a call's blocks registered; unregisters them when dropped, however the call ends.
pub(crate) struct Registered;

impl Drop for Registered {
    fn drop(&mut self) {
        ACTIVE.with(|active| active.borrow_mut().pop());
    }
}

/// Registers `blocks` for the call about to run; returns its token and the guard.
pub(crate) fn register(blocks: &mut dyn Blocks) -> (u32, Registered) {
    let token = NEXT_TOKEN.with(|next| {
        let token = next.get();
        next.set(token.wrapping_add(1).max(1));
        token
    });
    let pointer: *mut (dyn Blocks + '_) = blocks;
    // SAFETY: only the lifetime is erased. The pointer is used by `with_innermost` only while
    // it is in ACTIVE, which `Registered` ends before the borrow it came from ends.
    let pointer: ActiveBlocks = unsafe { std::mem::transmute(pointer) };
    ACTIVE.with(|active| active.borrow_mut().push((token, pointer)));
    (token, Registered)
}

/// Runs `body` on the blocks of call `token`, if it is the innermost call in progress.
pub(crate) fn with_innermost<T>(token: u32, body: impl FnOnce(&mut dyn Blocks) -> bridle::Result<T>) -> bridle::Result<T> {
    let innermost = ACTIVE.with(|active| active.borrow().last().copied());
    let pointer =
        match innermost {
            Some((live, pointer)) if live == token => pointer,
            _ => return Err(Error::new(
                ErrorKind::InvalidArgument,
                "a helper's options.fn or options.inverse was called after the helper returned, or while another helper ran",
            )),
        };
    // SAFETY: `pointer` is the innermost call's blocks, registered for the duration of that
    // call, which is suspended in JavaScript now; nothing else uses it meanwhile.
    body(unsafe { &mut *pointer })
}
