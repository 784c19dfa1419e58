//! The console's guest address map and where each range lives in the memfd.
//!
//! Facts from xenia `src/xenia/memory.cc` (`map_info`, heap set-up) and the
//! DESIGN map: the three physical views alias one 512 MiB region, the
//! `0xE0000000` view starts 4 KiB into it. Unlike xenia, the two XEX views
//! are backed separately, so their allocators can never hand out aliasing
//! pages.

/// Size of the console's physical RAM.
pub const PHYSICAL_SIZE: u64 = 512 << 20;

/// The guest MMIO window; never plain memory.
pub const MMIO_START: u32 = 0x7F00_0000;
pub const MMIO_END: u32 = 0x8000_0000;

/// What a guest range is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeKind {
    /// A virtual heap, backed by its own part of the memfd.
    Virtual,
    /// Memory-mapped registers: access goes through the MMIO path.
    Mmio,
    /// XEX image heap.
    Xex,
    /// A view of physical RAM.
    Physical,
}

/// One row of the guest address map.
#[derive(Clone, Copy, Debug)]
pub struct GuestRange {
    pub start: u32,
    /// Inclusive end.
    pub end: u32,
    pub kind: RangeKind,
    /// Page size of the heap that allocates in this range.
    pub page_size: u32,
    /// Offset in the memfd of the byte at `start` (unused for MMIO).
    pub file_offset: u64,
}

impl GuestRange {
    pub const fn size(&self) -> u64 {
        self.end as u64 - self.start as u64 + 1
    }

    pub const fn contains(&self, addr: u32) -> bool {
        addr >= self.start && addr <= self.end
    }
}

/// Where the physical RAM sits in the memfd. One extra 4 KiB page follows it
/// so the last page of the `0xE0000000` view (which starts 4 KiB in) is backed.
pub const PHYSICAL_FILE_OFFSET: u64 = 0;
const PHYSICAL_FILE_LEN: u64 = PHYSICAL_SIZE + 0x1000;

const V00_FILE: u64 = 0x2000_0000 + 0x0001_0000;
const V40_FILE: u64 = V00_FILE + 0x4000_0000;
const V80_FILE: u64 = V40_FILE + 0x3F00_0000;
const V90_FILE: u64 = V80_FILE + 0x1000_0000;

/// Offset in the memfd of the control area (GPU registers, rings, bitmaps).
pub const CONTROL_FILE_OFFSET: u64 = V90_FILE + 0x1000_0000;
/// Size of the control area; see [`super::control`] for its layout.
pub const CONTROL_SIZE: u64 = 64 << 20;
/// Total size of the memfd (sparse: untouched pages cost nothing).
pub const FILE_SIZE: u64 = CONTROL_FILE_OFFSET + CONTROL_SIZE;

/// The guest address map, in address order, covering all 4 GiB.
pub const GUEST_MAP: [GuestRange; 8] = [
    GuestRange {
        start: 0x0000_0000,
        end: 0x3FFF_FFFF,
        kind: RangeKind::Virtual,
        page_size: 0x1000,
        file_offset: V00_FILE,
    },
    GuestRange {
        start: 0x4000_0000,
        end: 0x7EFF_FFFF,
        kind: RangeKind::Virtual,
        page_size: 0x1_0000,
        file_offset: V40_FILE,
    },
    GuestRange { start: 0x7F00_0000, end: 0x7FFF_FFFF, kind: RangeKind::Mmio, page_size: 0x1000, file_offset: 0 },
    GuestRange {
        start: 0x8000_0000,
        end: 0x8FFF_FFFF,
        kind: RangeKind::Xex,
        page_size: 0x1_0000,
        file_offset: V80_FILE,
    },
    GuestRange { start: 0x9000_0000, end: 0x9FFF_FFFF, kind: RangeKind::Xex, page_size: 0x1000, file_offset: V90_FILE },
    GuestRange {
        start: 0xA000_0000,
        end: 0xBFFF_FFFF,
        kind: RangeKind::Physical,
        page_size: 0x1_0000,
        file_offset: PHYSICAL_FILE_OFFSET,
    },
    GuestRange {
        start: 0xC000_0000,
        end: 0xDFFF_FFFF,
        kind: RangeKind::Physical,
        page_size: 0x100_0000,
        file_offset: PHYSICAL_FILE_OFFSET,
    },
    GuestRange {
        start: 0xE000_0000,
        end: 0xFFFF_FFFF,
        kind: RangeKind::Physical,
        page_size: 0x1000,
        file_offset: PHYSICAL_FILE_OFFSET + 0x1000,
    },
];

/// The row of [`GUEST_MAP`] that holds `addr`.
pub fn range_of(addr: u32) -> &'static GuestRange {
    // The map is small and in order; the top bits decide.
    let index = match addr {
        0x0000_0000..=0x3FFF_FFFF => 0,
        0x4000_0000..=0x7EFF_FFFF => 1,
        0x7F00_0000..=0x7FFF_FFFF => 2,
        0x8000_0000..=0x8FFF_FFFF => 3,
        0x9000_0000..=0x9FFF_FFFF => 4,
        0xA000_0000..=0xBFFF_FFFF => 5,
        0xC000_0000..=0xDFFF_FFFF => 6,
        0xE000_0000..=0xFFFF_FFFF => 7,
    };
    &GUEST_MAP[index]
}

// The map must tile the 32-bit space without gaps, and every backed range
// must fit in the file before the control area.
const _: () = {
    let mut i = 0;
    let mut next: u64 = 0;
    while i < GUEST_MAP.len() {
        let r = &GUEST_MAP[i];
        assert!(r.start as u64 == next);
        next = r.end as u64 + 1;
        if !matches!(r.kind, RangeKind::Mmio) {
            let backed_end = r.file_offset + r.size();
            if matches!(r.kind, RangeKind::Physical) {
                assert!(backed_end <= PHYSICAL_FILE_OFFSET + PHYSICAL_FILE_LEN);
            } else {
                assert!(backed_end <= CONTROL_FILE_OFFSET);
            }
        }
        i += 1;
    }
    assert!(next == 1 << 32);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_of_agrees_with_the_table_at_every_boundary() {
        for r in &GUEST_MAP {
            assert_eq!(range_of(r.start).start, r.start);
            assert_eq!(range_of(r.end).start, r.start);
        }
    }

    #[test]
    fn physical_views_alias_with_the_e0_view_4k_in() {
        let a = range_of(0xA000_0000).file_offset;
        let c = range_of(0xC000_0000).file_offset;
        let e = range_of(0xE000_0000).file_offset;
        assert_eq!(a, c);
        assert_eq!(e, a + 0x1000);
    }
}
