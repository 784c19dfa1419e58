//! The seven heaps of the guest address space and the search for free space.
//!
//! Bounds and page sizes are facts from xenia `memory.cc` (`Memory::Initialize`,
//! `LookupHeap`, `LookupHeapByType`): the `0xE0000000` view ends at
//! `0xFFD00000` and reaches physical memory 4 KiB further on; the top 64 KiB
//! of physical memory are never handed out.

use super::page_state::{PageState, STATE_PAGE};
use shared::memory::GuestMemory;

/// One heap of the guest address space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeapId {
    /// `0x00000000–0x3FFFFFFF`, 4 KiB pages.
    Virtual4K,
    /// `0x40000000–0x7EFFFFFF`, 64 KiB pages (thread stacks live at `0x70000000` and up).
    Virtual64K,
    /// `0x80000000–0x8FFFFFFF`, XEX images, 64 KiB pages.
    Xex64K,
    /// `0x90000000–0x9FFFFFFF`, XEX images, 4 KiB pages.
    Xex4K,
    /// `0xA0000000–0xBFFFFFFF`, physical view, 64 KiB pages.
    Physical64K,
    /// `0xC0000000–0xDFFFFFFF`, physical view, 16 MiB pages.
    Physical16M,
    /// `0xE0000000–0xFFCFFFFF`, physical view, 4 KiB pages.
    Physical4K,
}

/// What kind of memory a heap hands out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeapKind {
    Virtual,
    Xex,
    Physical,
}

/// The static description of a heap.
#[derive(Clone, Copy, Debug)]
pub struct Heap {
    pub id: HeapId,
    pub kind: HeapKind,
    pub base: u32,
    /// Exclusive end.
    pub end: u32,
    pub page_size: u32,
    /// Range searched by allocations that name no address ([`MemoryManager::alloc`](super::MemoryManager::alloc)).
    pub general: (u32, u32),
    /// Physical address of `base` (physical views only).
    pub physical_base: u32,
}

/// Where thread stacks (`0x70000000` up) and the kernel-object pool
/// (`0x7E000000` up) go: the top of the 64 KiB heap. The threading and object
/// managers allocate there themselves; general and fixed allocations never
/// reach it (only an explicit [`alloc_range`](super::MemoryManager::alloc_range) does).
pub const STACK_REGION_START: u32 = 0x7000_0000;
/// Exclusive end of the stack and object-pool region.
pub const STACK_REGION_END: u32 = 0x7F00_0000;
/// The first 64 KiB are never handed out, so null pointers fault.
pub const NULL_GUARD: u32 = 0x1_0000;
/// Physical memory handed out: all but the top 64 KiB.
pub const PHYSICAL_LIMIT: u32 = 0x1FFF_0000;

pub const HEAPS: [Heap; 7] = [
    Heap {
        id: HeapId::Virtual4K,
        kind: HeapKind::Virtual,
        base: 0x0000_0000,
        end: 0x4000_0000,
        page_size: 0x1000,
        general: (NULL_GUARD, 0x4000_0000),
        physical_base: 0,
    },
    Heap {
        id: HeapId::Virtual64K,
        kind: HeapKind::Virtual,
        base: 0x4000_0000,
        end: 0x7F00_0000,
        page_size: 0x1_0000,
        general: (0x4000_0000, STACK_REGION_START),
        physical_base: 0,
    },
    Heap {
        id: HeapId::Xex64K,
        kind: HeapKind::Xex,
        base: 0x8000_0000,
        end: 0x9000_0000,
        page_size: 0x1_0000,
        general: (0x8000_0000, 0x9000_0000),
        physical_base: 0,
    },
    Heap {
        id: HeapId::Xex4K,
        kind: HeapKind::Xex,
        base: 0x9000_0000,
        end: 0xA000_0000,
        page_size: 0x1000,
        general: (0x9000_0000, 0xA000_0000),
        physical_base: 0,
    },
    Heap {
        id: HeapId::Physical64K,
        kind: HeapKind::Physical,
        base: 0xA000_0000,
        end: 0xC000_0000,
        page_size: 0x1_0000,
        general: (0xA000_0000, 0xC000_0000),
        physical_base: 0,
    },
    Heap {
        id: HeapId::Physical16M,
        kind: HeapKind::Physical,
        base: 0xC000_0000,
        end: 0xE000_0000,
        page_size: 0x100_0000,
        general: (0xC000_0000, 0xE000_0000),
        physical_base: 0,
    },
    Heap {
        id: HeapId::Physical4K,
        kind: HeapKind::Physical,
        base: 0xE000_0000,
        end: 0xFFD0_0000,
        page_size: 0x1000,
        general: (0xE000_0000, 0xFFD0_0000),
        physical_base: 0x1000,
    },
];

impl HeapId {
    pub fn heap(self) -> &'static Heap {
        &HEAPS[self as usize]
    }
}

impl Heap {
    /// The heap holding `addr`, if any (none for MMIO and the top of the space).
    pub fn of(addr: u32) -> Option<&'static Heap> {
        HEAPS.iter().find(|h| addr >= h.base && addr < h.end)
    }

    /// The heap of `kind` with pages of `page_size` bytes (as xenia's
    /// `LookupHeapByType`: the smallest page size at least as large).
    pub fn by_page_size(physical: bool, page_size: u32) -> &'static Heap {
        match (physical, page_size) {
            (false, 0..=0x1000) => HeapId::Virtual4K.heap(),
            (false, _) => HeapId::Virtual64K.heap(),
            (true, 0..=0x1000) => HeapId::Physical4K.heap(),
            (true, 0x1001..=0x1_0000) => HeapId::Physical64K.heap(),
            (true, _) => HeapId::Physical16M.heap(),
        }
    }

    /// Physical address of a guest address in this physical view.
    pub fn to_physical(&self, addr: u32) -> u32 {
        addr - self.base + self.physical_base
    }

    /// Guest address in this physical view of a physical address.
    pub fn from_physical(&self, phys: u32) -> u32 {
        phys - self.physical_base + self.base
    }

    /// Lowest and (exclusive) highest physical address this view reaches.
    pub fn physical_span(&self) -> (u32, u32) {
        (self.physical_base, (self.end - self.base + self.physical_base).min(PHYSICAL_LIMIT))
    }
}

/// Whether the physical 4 KiB frame at `phys` is free in all three views.
pub fn physical_frame_is_free(memory: &GuestMemory, phys: u32) -> bool {
    [HeapId::Physical64K, HeapId::Physical16M, HeapId::Physical4K].iter().all(|id| {
        let h = id.heap();
        let (lo, hi) = (h.physical_base, h.end - h.base + h.physical_base);
        phys < lo || phys >= hi || PageState::load(memory, h.from_physical(phys)).is_free()
    })
}

/// Finds `count` consecutive free units in `[lo, hi)` whose first unit is a
/// multiple of `align` (all in units of a granule, e.g. pages). `used(u)`
/// says whether unit `u` is taken. Scans from the top when `top_down`.
pub fn find_free(lo: u64, hi: u64, count: u64, align: u64, top_down: bool, used: impl Fn(u64) -> bool) -> Option<u64> {
    if count == 0 || align == 0 || hi < lo || hi - lo < count {
        return None;
    }
    if top_down {
        let mut start = (hi - count) / align * align;
        loop {
            if start < lo {
                return None;
            }
            // The highest taken unit of the candidate decides where to look next.
            match (start..start + count).rev().find(|&u| used(u)) {
                None => return Some(start),
                Some(u) => {
                    // The next candidate must end at or below the taken unit.
                    if u < count {
                        return None;
                    }
                    start = (u - count) / align * align;
                }
            }
        }
    } else {
        let mut start = lo.div_ceil(align) * align;
        loop {
            if start + count > hi {
                return None;
            }
            match (start..start + count).find(|&u| used(u)) {
                None => return Some(start),
                Some(u) => start = (u + 1).div_ceil(align) * align,
            }
        }
    }
}

/// Whether any 4 KiB state page of the heap page at `addr` is reserved.
pub fn heap_page_is_used(memory: &GuestMemory, addr: u32) -> bool {
    !PageState::load(memory, addr).is_free()
}

/// Number of 4 KiB state pages in `bytes`.
pub const fn state_pages(bytes: u32) -> u32 {
    bytes / STATE_PAGE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heaps_tile_their_ranges_with_the_documented_page_sizes() {
        assert_eq!(Heap::of(0x0000_1000).unwrap().id, HeapId::Virtual4K);
        assert_eq!(Heap::of(0x7EFF_0000).unwrap().page_size, 0x1_0000);
        assert!(Heap::of(0x7F00_0000).is_none());
        assert_eq!(Heap::of(0x8200_0000).unwrap().id, HeapId::Xex64K);
        assert_eq!(Heap::of(0x9000_0000).unwrap().page_size, 0x1000);
        assert_eq!(Heap::of(0xC000_0000).unwrap().page_size, 0x100_0000);
        assert_eq!(Heap::of(0xFFCF_F000).unwrap().id, HeapId::Physical4K);
        assert!(Heap::of(0xFFD0_0000).is_none());
        for h in HEAPS {
            assert_eq!(h.base % h.page_size, 0);
            assert_eq!(h.end % h.page_size, 0);
        }
    }

    #[test]
    fn the_e0_view_starts_4k_into_physical_memory() {
        let h = HeapId::Physical4K.heap();
        assert_eq!(h.to_physical(0xE000_0000), 0x1000);
        assert_eq!(h.from_physical(0x2000), 0xE000_1000);
        assert_eq!(HeapId::Physical64K.heap().to_physical(0xA001_0000), 0x1_0000);
    }

    #[test]
    fn find_free_respects_alignment_and_used_units_both_ways() {
        let used = |u: u64| (5..7).contains(&u);
        assert_eq!(find_free(0, 16, 4, 1, false, used), Some(0));
        assert_eq!(find_free(2, 16, 4, 1, false, used), Some(7));
        assert_eq!(find_free(2, 16, 4, 4, false, used), Some(8));
        assert_eq!(find_free(0, 16, 4, 1, true, used), Some(12));
        assert_eq!(find_free(0, 10, 4, 1, true, used), Some(1));
        assert_eq!(find_free(0, 10, 4, 2, true, used), Some(0));
        assert_eq!(find_free(0, 7, 3, 1, true, |u| u == 2), Some(4));
        assert_eq!(find_free(0, 7, 3, 1, true, |u| u == 5), Some(2));
        assert_eq!(find_free(0, 6, 3, 1, true, |u| u == 2 || u == 5), None);
        assert_eq!(find_free(0, 4, 5, 1, false, |_| false), None);
    }
}
