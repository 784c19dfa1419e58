//! A first-fit allocator over a fixed guest address range.
//!
//! The kernel keeps two of these in the part of the 64 KiB heap the memory
//! manager leaves out of general allocation (`0x70000000–0x7EFFFFFF`, see
//! `mm::STACK_REGION_START`): thread stacks (`threading`) and the guest
//! bodies of kernel objects, PCRs and TLS blocks ([`super::Objects`]).

use std::collections::{BTreeMap, HashMap};

/// Free and used blocks of one address range.
#[derive(Debug)]
pub struct RangeAllocator {
    /// Free blocks: start → length.
    free: BTreeMap<u32, u32>,
    /// Allocated blocks: start → length.
    used: HashMap<u32, u32>,
}

impl RangeAllocator {
    /// An allocator over `start..end` (exclusive end).
    pub fn new(start: u32, end: u32) -> RangeAllocator {
        let mut free = BTreeMap::new();
        free.insert(start, end - start);
        RangeAllocator { free, used: HashMap::new() }
    }

    /// The lowest block of `size` bytes aligned to `align` (a power of two).
    pub fn alloc(&mut self, size: u32, align: u32) -> Option<u32> {
        let size = size.max(1).checked_next_multiple_of(align)?;
        let (block, len, at) = self.free.iter().find_map(|(&block, &len)| {
            let at = block.checked_next_multiple_of(align)?;
            let end = block as u64 + len as u64;
            (at as u64 + size as u64 <= end).then_some((block, len, at))
        })?;
        self.free.remove(&block);
        if at > block {
            self.free.insert(block, at - block);
        }
        let tail = (block as u64 + len as u64) - (at as u64 + size as u64);
        if tail > 0 {
            self.free.insert(at + size, tail as u32);
        }
        self.used.insert(at, size);
        Some(at)
    }

    /// Returns the block that starts at `addr`; false if there is none.
    pub fn free(&mut self, addr: u32) -> bool {
        let Some(mut len) = self.used.remove(&addr) else { return false };
        let mut start = addr;
        if let Some((&prev, &prev_len)) = self.free.range(..addr).next_back() {
            if prev as u64 + prev_len as u64 == addr as u64 {
                self.free.remove(&prev);
                start = prev;
                len += prev_len;
            }
        }
        let end = start as u64 + len as u64;
        if end <= u32::MAX as u64 {
            if let Some(next_len) = self.free.remove(&(end as u32)) {
                len += next_len;
            }
        }
        self.free.insert(start, len);
        true
    }

    /// Size of the allocated block at `addr`.
    pub fn size_of(&self, addr: u32) -> Option<u32> {
        self.used.get(&addr).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freed_blocks_coalesce_and_are_reused_lowest_first() {
        let mut a = RangeAllocator::new(0x1000, 0x2000);
        let x = a.alloc(0x100, 0x10).unwrap();
        let y = a.alloc(0x100, 0x10).unwrap();
        let z = a.alloc(0x100, 0x10).unwrap();
        assert_eq!((x, y, z), (0x1000, 0x1100, 0x1200));
        assert!(a.free(y));
        assert!(a.free(x));
        assert_eq!(a.alloc(0x200, 0x10), Some(0x1000));
        assert!(!a.free(0x1234));
    }

    #[test]
    fn alignment_and_exhaustion_are_respected() {
        let mut a = RangeAllocator::new(0x1008, 0x3000);
        assert_eq!(a.alloc(0x10, 0x1000), Some(0x2000));
        assert_eq!(a.alloc(0x2000, 0x10), None);
        assert_eq!(a.alloc(0x10, 0x10), Some(0x1010));
    }
}
