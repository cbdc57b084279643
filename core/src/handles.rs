//! A table of live objects addressed by small integer handles: how the bindings let
//! JavaScript hold compiled things (templates now; schemas, guards, tokenizers later) without
//! a per-call object unwrap, which costs more than a small render on Node-API.
//!
//! A handle packs a slot index with the slot's generation, so a handle kept after `remove`
//! is refused (until the 8-bit generation wraps) rather than reaching whatever reused the
//! slot.
//!
//! ```
//! use bridle::handles::Handles;
//! let mut table = Handles::new();
//! let a = table.insert("first");
//! assert_eq!(table.get(a), Some(&"first"));
//! assert_eq!(table.remove(a), Some("first"));
//! let b = table.insert("second"); // reuses the slot with a new generation
//! assert_eq!(table.get(a), None);
//! assert_eq!(table.get(b), Some(&"second"));
//! ```

const INDEX_BITS: u32 = 24;
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;

/// Live objects by handle. Not thread-safe by design: each JavaScript thread (isolate) owns one.
#[derive(Debug)]
pub struct Handles<T> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
}

#[derive(Debug)]
struct Slot<T> {
    generation: u8,
    value: Option<T>,
}

impl<T> Default for Handles<T> {
    fn default() -> Self {
        Handles { slots: Vec::new(), free: Vec::new() }
    }
}

impl<T> Handles<T> {
    /// An empty table.
    pub const fn new() -> Self {
        Handles { slots: Vec::new(), free: Vec::new() }
    }

    /// Stores `value` and returns its handle. Panics past 2^24 live values (16.7 million).
    pub fn insert(&mut self, value: T) -> u32 {
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.value = Some(value);
            return index | (u32::from(slot.generation) << INDEX_BITS);
        }
        let index = self.slots.len() as u32;
        assert!(index <= INDEX_MASK, "more than 2^24 live handles");
        self.slots.push(Slot { generation: 0, value: Some(value) });
        index
    }

    /// The value behind `handle`, if it is live.
    pub fn get(&self, handle: u32) -> Option<&T> {
        let slot = self.slots.get((handle & INDEX_MASK) as usize)?;
        if u32::from(slot.generation) != handle >> INDEX_BITS {
            return None;
        }
        slot.value.as_ref()
    }

    /// A copy of the value behind `handle` (an `Rc`, typically), or the `invalid_argument`
    /// error every binding gives for a handle that is not live: "this {what} was freed (or the
    /// handle is not a {what})".
    pub fn live(&self, handle: u32, what: &str) -> crate::Result<T>
    where
        T: Clone,
    {
        self.get(handle).cloned().ok_or_else(|| {
            crate::Error::new(
                crate::ErrorKind::InvalidArgument,
                format!("this {what} was freed (or the handle is not a {what})"),
            )
        })
    }

    /// Removes and returns the value behind `handle`; `None` if it was not live.
    pub fn remove(&mut self, handle: u32) -> Option<T> {
        let index = handle & INDEX_MASK;
        let slot = self.slots.get_mut(index as usize)?;
        if u32::from(slot.generation) != handle >> INDEX_BITS {
            return None;
        }
        let value = slot.value.take()?;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(index);
        Some(value)
    }

    /// How many values are live.
    pub fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Whether no value is live.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_and_foreign_handles_are_refused() {
        let mut table = Handles::new();
        let a = table.insert(1);
        let b = table.insert(2);
        assert_eq!(table.len(), 2);
        assert_eq!(table.remove(a), Some(1));
        assert_eq!(table.remove(a), None);
        let c = table.insert(3);
        assert_ne!(a, c);
        assert_eq!(table.get(a), None);
        assert_eq!(table.get(c), Some(&3));
        assert_eq!(table.get(b), Some(&2));
        assert_eq!(table.get(12345), None);
        assert_eq!(table.get(u32::MAX), None);
        assert_eq!(table.len(), 2);
        assert_eq!(table.live(c, "template").unwrap(), 3);
        let err = table.live(a, "chat prompt").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument);
        assert_eq!(err.message(), "this chat prompt was freed (or the handle is not a chat prompt)");
    }
}
