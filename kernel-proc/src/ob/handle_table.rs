//! The handle table: handle values as the console's kernel hands them out.
//!
//! A handle is `0xF8000000 + 4·slot` with slot ≥ 1; a new handle takes the
//! lowest free slot (facts from xenia `kernel/util/object_table.cc` and
//! `XObject::kHandleBase`: some titles do arithmetic on handle values). The
//! low two bits of a handle are ignored on lookup.

use super::ObjectId;

/// Base of every handle value.
pub const HANDLE_BASE: u32 = 0xF800_0000;
/// `NtCurrentThread()`.
pub const CURRENT_THREAD: u32 = 0xFFFF_FFFE;
/// `NtCurrentProcess()`.
pub const CURRENT_PROCESS: u32 = 0xFFFF_FFFF;
/// Slots a title may hold at once.
const CAPACITY: usize = 0x10_0000;

/// Slot → object.
#[derive(Debug, Default)]
pub struct HandleTable {
    slots: Vec<Option<ObjectId>>,
    /// No free slot below this one.
    lowest_free: usize,
}

impl HandleTable {
    /// Takes the lowest free slot for `object`; `None` when the table is full.
    pub fn insert(&mut self, object: ObjectId) -> Option<u32> {
        let mut slot = self.lowest_free.max(1);
        while slot < self.slots.len() && self.slots[slot].is_some() {
            slot += 1;
        }
        if slot >= CAPACITY {
            return None;
        }
        if slot >= self.slots.len() {
            self.slots.resize(slot + 1, None);
        }
        self.slots[slot] = Some(object);
        self.lowest_free = slot + 1;
        Some(HANDLE_BASE + ((slot as u32) << 2))
    }

    /// The object behind `handle`.
    pub fn get(&self, handle: u32) -> Option<ObjectId> {
        self.slots.get(Self::slot(handle)?).copied().flatten()
    }

    /// Frees `handle`'s slot, returning the object it named.
    pub fn remove(&mut self, handle: u32) -> Option<ObjectId> {
        let slot = Self::slot(handle)?;
        let object = self.slots.get_mut(slot)?.take()?;
        self.lowest_free = self.lowest_free.min(slot);
        Some(object)
    }

    /// Every handle naming `object`.
    pub fn handles_of(&self, object: ObjectId) -> impl Iterator<Item = u32> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(move |(_, o)| **o == Some(object))
            .map(|(slot, _)| HANDLE_BASE + ((slot as u32) << 2))
    }

    fn slot(handle: u32) -> Option<usize> {
        let offset = handle.checked_sub(HANDLE_BASE)?;
        let slot = (offset >> 2) as usize;
        (slot >= 1).then_some(slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_start_at_slot_one_and_reuse_the_lowest_free_slot() {
        let mut t = HandleTable::default();
        assert_eq!(t.insert(10), Some(0xF800_0004));
        assert_eq!(t.insert(11), Some(0xF800_0008));
        assert_eq!(t.insert(12), Some(0xF800_000C));
        assert_eq!(t.remove(0xF800_0004), Some(10));
        assert_eq!(t.get(0xF800_0004), None);
        assert_eq!(t.insert(13), Some(0xF800_0004));
        assert_eq!(t.insert(14), Some(0xF800_0010));
    }

    #[test]
    fn values_outside_the_table_name_nothing() {
        let mut t = HandleTable::default();
        t.insert(1);
        assert_eq!(t.get(0), None);
        assert_eq!(t.get(0xF800_0000), None);
        assert_eq!(t.get(0x1234), None);
        assert_eq!(t.get(0xF800_0007), Some(1));
        assert_eq!(t.remove(0xF800_0100), None);
    }
}
