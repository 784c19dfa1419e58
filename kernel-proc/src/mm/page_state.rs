//! The page-state word: one `u32` per 4 KiB guest page in the control area
//! (`memory.control().page_state(addr)`), written only by the kernel's
//! memory manager and readable by every process.
//!
//! | bits | meaning |
//! | --- | --- |
//! | 0 | reserved: the page belongs to a region (0 = free; a free page's word is 0) |
//! | 1 | committed |
//! | 2 | first page of its region |
//! | 3–6 | current protection ([`Protect`] bits: read, write, no-cache, write-combine) |
//! | 7–10 | protection the region was allocated with (same bits) |
//! | 11 | always 0 |
//! | 12–31 | on a region's first page: the region's length in 4 KiB pages; on any other page: the distance back to the first page, in 4 KiB pages |
//!
//! The link field makes a region's base and length an O(1) lookup from any
//! of its pages. Pages of a heap with 64 KiB or 16 MiB pages carry identical
//! flags in each of their 4 KiB words. The physical views keep their own
//! words: a physical frame is in use when the word of its address in any of
//! the three views is non-zero.

use shared::memory::GuestMemory;
use std::sync::atomic::Ordering;

/// Granularity of the page-state table.
pub const STATE_PAGE: u32 = 0x1000;

/// Access rights of a page, as the memory manager keeps them (the guest's
/// `PAGE_*` constants are converted with [`Protect::from_xdk`] and
/// [`Protect::to_xdk`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub struct Protect(u8);

/// The guest's `PAGE_*` protection constants (xenia `xbox.h`).
pub mod xdk {
    pub const PAGE_NOACCESS: u32 = 0x01;
    pub const PAGE_READONLY: u32 = 0x02;
    pub const PAGE_READWRITE: u32 = 0x04;
    pub const PAGE_WRITECOPY: u32 = 0x08;
    pub const PAGE_EXECUTE: u32 = 0x10;
    pub const PAGE_EXECUTE_READ: u32 = 0x20;
    pub const PAGE_EXECUTE_READWRITE: u32 = 0x40;
    pub const PAGE_EXECUTE_WRITECOPY: u32 = 0x80;
    pub const PAGE_GUARD: u32 = 0x100;
    pub const PAGE_NOCACHE: u32 = 0x200;
    pub const PAGE_WRITECOMBINE: u32 = 0x400;
    /// Any of the execute variants.
    pub const PAGE_ANY_EXECUTE: u32 =
        PAGE_EXECUTE | PAGE_EXECUTE_READ | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY;
}

impl Protect {
    pub const NONE: Protect = Protect(0);
    pub const READ: Protect = Protect(1);
    pub const WRITE: Protect = Protect(2);
    pub const NOCACHE: Protect = Protect(4);
    pub const WRITE_COMBINE: Protect = Protect(8);
    pub const READ_WRITE: Protect = Protect(1 | 2);

    pub const fn bits(self) -> u8 {
        self.0
    }

    pub const fn from_bits(bits: u8) -> Protect {
        Protect(bits & 0xF)
    }

    pub const fn union(self, other: Protect) -> Protect {
        Protect(self.0 | other.0)
    }

    pub const fn contains(self, other: Protect) -> bool {
        self.0 & other.0 == other.0
    }

    pub const fn is_readable(self) -> bool {
        self.contains(Protect::READ)
    }

    pub const fn is_writable(self) -> bool {
        self.contains(Protect::WRITE)
    }

    /// From the guest's `PAGE_*` bits: read-only and execute-read give read;
    /// read-write, write-copy and their execute forms give read and write;
    /// anything else gives no access. No-cache and write-combine carry over.
    pub const fn from_xdk(flags: u32) -> Protect {
        use xdk::*;
        let mut p = if flags & (PAGE_READWRITE | PAGE_EXECUTE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_WRITECOPY) != 0
        {
            Protect::READ_WRITE
        } else if flags & (PAGE_READONLY | PAGE_EXECUTE_READ | PAGE_EXECUTE) != 0 {
            Protect::READ
        } else {
            Protect::NONE
        };
        if flags & PAGE_NOCACHE != 0 {
            p = p.union(Protect::NOCACHE);
        }
        if flags & PAGE_WRITECOMBINE != 0 {
            p = p.union(Protect::WRITE_COMBINE);
        }
        p
    }

    /// To the guest's `PAGE_*` bits.
    pub const fn to_xdk(self) -> u32 {
        use xdk::*;
        let mut flags = if self.is_writable() {
            PAGE_READWRITE
        } else if self.is_readable() {
            PAGE_READONLY
        } else {
            PAGE_NOACCESS
        };
        if self.contains(Protect::NOCACHE) {
            flags |= PAGE_NOCACHE;
        }
        if self.contains(Protect::WRITE_COMBINE) {
            flags |= PAGE_WRITECOMBINE;
        }
        flags
    }
}

/// One decoded page-state word.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct PageState(pub u32);

const RESERVED: u32 = 1 << 0;
const COMMITTED: u32 = 1 << 1;
const REGION_START: u32 = 1 << 2;
const PROTECT_SHIFT: u32 = 3;
const ALLOC_PROTECT_SHIFT: u32 = 7;
const LINK_SHIFT: u32 = 12;
/// Largest value of the link field.
pub const MAX_LINK: u32 = (1 << (32 - LINK_SHIFT)) - 1;

impl PageState {
    pub const FREE: PageState = PageState(0);

    /// The word of a reserved page. `link` is the region length (first
    /// page) or the distance back to the first page (other pages).
    pub const fn reserved(start: bool, link: u32, committed: bool, protect: Protect, alloc_protect: Protect) -> Self {
        debug_assert!(link <= MAX_LINK);
        let mut w =
            RESERVED | (protect.bits() as u32) << PROTECT_SHIFT | (alloc_protect.bits() as u32) << ALLOC_PROTECT_SHIFT;
        if committed {
            w |= COMMITTED;
        }
        if start {
            w |= REGION_START;
        }
        PageState(w | link << LINK_SHIFT)
    }

    /// The word of the page holding `addr`.
    pub fn load(memory: &GuestMemory, addr: u32) -> PageState {
        PageState(memory.control().page_state(addr).load(Ordering::Acquire))
    }

    pub(crate) fn store(self, memory: &GuestMemory, addr: u32) {
        memory.control().page_state(addr).store(self.0, Ordering::Release);
    }

    pub const fn is_free(self) -> bool {
        self.0 & RESERVED == 0
    }

    pub const fn is_reserved(self) -> bool {
        !self.is_free()
    }

    pub const fn is_committed(self) -> bool {
        self.0 & COMMITTED != 0
    }

    pub const fn is_region_start(self) -> bool {
        self.0 & REGION_START != 0
    }

    pub const fn protect(self) -> Protect {
        Protect::from_bits((self.0 >> PROTECT_SHIFT) as u8)
    }

    pub const fn alloc_protect(self) -> Protect {
        Protect::from_bits((self.0 >> ALLOC_PROTECT_SHIFT) as u8)
    }

    pub const fn link(self) -> u32 {
        self.0 >> LINK_SHIFT
    }

    /// The flags that decide whether two pages of one region look alike to
    /// `NtQueryVirtualMemory` (state and protection, not position).
    pub const fn attributes(self) -> u32 {
        self.0 & ((1 << LINK_SHIFT) - 1) & !REGION_START
    }

    /// The same word with other commit state and current protection.
    pub const fn with(self, committed: bool, protect: Protect) -> PageState {
        let mut w = self.0 & !(COMMITTED | 0xF << PROTECT_SHIFT);
        if committed {
            w |= COMMITTED;
        }
        PageState(w | (protect.bits() as u32) << PROTECT_SHIFT)
    }

    /// First address and length in bytes of the region holding the page at
    /// `addr` (None for a free page).
    pub fn region_of(memory: &GuestMemory, addr: u32) -> Option<(u32, u32)> {
        let state = PageState::load(memory, addr);
        if state.is_free() {
            return None;
        }
        let page = addr & !(STATE_PAGE - 1);
        let start = if state.is_region_start() { page } else { page - state.link() * STATE_PAGE };
        let pages = PageState::load(memory, start).link();
        Some((start, pages * STATE_PAGE))
    }
}

impl std::fmt::Debug for PageState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_free() {
            return write!(f, "Free");
        }
        write!(
            f,
            "{}{}(protect {:?}, link {})",
            if self.is_committed() { "Committed" } else { "Reserved" },
            if self.is_region_start() { "Start" } else { "" },
            self.protect(),
            self.link()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_protection_round_trips_through_the_internal_form() {
        assert_eq!(Protect::from_xdk(xdk::PAGE_READWRITE).to_xdk(), xdk::PAGE_READWRITE);
        assert_eq!(Protect::from_xdk(xdk::PAGE_READONLY).to_xdk(), xdk::PAGE_READONLY);
        assert_eq!(Protect::from_xdk(xdk::PAGE_NOACCESS).to_xdk(), xdk::PAGE_NOACCESS);
        assert_eq!(Protect::from_xdk(xdk::PAGE_EXECUTE_READ), Protect::READ);
        let wc = xdk::PAGE_READWRITE | xdk::PAGE_WRITECOMBINE;
        assert_eq!(Protect::from_xdk(wc).to_xdk(), wc);
        let nc = xdk::PAGE_READONLY | xdk::PAGE_NOCACHE;
        assert_eq!(Protect::from_xdk(nc).to_xdk(), nc);
    }

    #[test]
    fn a_reserved_word_decodes_to_what_was_encoded() {
        let w = PageState::reserved(true, 0x4_0000, true, Protect::READ, Protect::READ_WRITE);
        assert!(w.is_reserved() && w.is_committed() && w.is_region_start());
        assert_eq!(w.protect(), Protect::READ);
        assert_eq!(w.alloc_protect(), Protect::READ_WRITE);
        assert_eq!(w.link(), 0x4_0000);
        let d = w.with(false, Protect::NONE);
        assert!(!d.is_committed() && d.is_region_start());
        assert_eq!(d.protect(), Protect::NONE);
        assert_eq!(d.link(), 0x4_0000);
        assert_eq!(PageState::FREE.0, 0);
        assert!(PageState::FREE.is_free());
    }
}
