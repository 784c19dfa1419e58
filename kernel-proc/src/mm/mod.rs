//! The memory manager: the seven heaps of the guest address space, their
//! regions and page state, and the memory exports.
//!
//! All allocation state lives in the control area's page-state table (one
//! word per 4 KiB guest page, see [`page_state`] for the encoding), so other
//! processes can see which pages are committed and with what protection. The
//! manager itself keeps only the sizes of pool blocks.
//!
//! A region is what one allocation reserved: it starts on a page of its heap,
//! spans whole heap pages, and is released as a whole. Inside it pages are
//! committed, decommitted and protected individually. The three physical views
//! share one physical allocator: a physical frame is free when no view has it.
//!
//! Submodules:
//! - [`page_state`]: the page-state word and [`Protect`];
//! - [`heap`]: the heap table and the free-space search;
//! - [`access`]: guest-memory access that fails with an NT status;
//! - [`virtual_memory`]: `NtAllocateVirtualMemory` and friends;
//! - [`physical`]: `MmAllocatePhysicalMemoryEx` and the other `Mm*` exports;
//! - [`pool`]: `ExAllocatePool*` / `ExFreePool`;
//! - [`io_space`]: device-memory mappings (`MmMapIoSpace`).

pub mod access;
pub mod heap;
pub mod io_space;
pub mod page_state;
pub mod physical;
pub mod pool;
pub mod virtual_memory;

use crate::status::NtStatus;
use heap::{find_free, physical_frame_is_free, Heap, HeapId, HeapKind, PHYSICAL_LIMIT};
pub use page_state::{PageState, Protect};
use page_state::{MAX_LINK, STATE_PAGE};
use shared::memory::{GuestMemory, VirtAddr};
use std::collections::BTreeMap;

pub use heap::{STACK_REGION_END, STACK_REGION_START};

/// `STATUS_FREE_VM_NOT_AT_BASE`: a release named an address inside a region.
pub const STATUS_FREE_VM_NOT_AT_BASE: NtStatus = NtStatus(0xC000_009F);
/// `STATUS_NOT_COMMITTED`: protection asked for pages that are not committed.
pub const STATUS_NOT_COMMITTED: NtStatus = NtStatus(0xC000_002D);

/// An allocated range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub base: VirtAddr,
    pub size: u32,
}

/// What to allocate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    /// Bytes (rounded up to the heap's page size).
    pub size: u32,
    /// Alignment of the base in bytes (rounded up to the page size; 0 = page).
    pub align: u32,
    /// Commit as well as reserve.
    pub commit: bool,
    pub protect: Protect,
    /// Search from the top of the range.
    pub top_down: bool,
    /// Zero pages as they become committed.
    pub zero: bool,
}

impl Request {
    /// Reserve only.
    pub const fn reserve(size: u32, protect: Protect) -> Request {
        Request { size, align: 0, commit: false, protect, top_down: false, zero: true }
    }

    /// Reserve and commit.
    pub const fn commit(size: u32, protect: Protect) -> Request {
        Request { size, align: 0, commit: true, protect, top_down: false, zero: true }
    }

    pub const fn top_down(self, top_down: bool) -> Request {
        Request { top_down, ..self }
    }

    pub const fn aligned(self, align: u32) -> Request {
        Request { align, ..self }
    }

    pub const fn zeroed(self, zero: bool) -> Request {
        Request { zero, ..self }
    }
}

/// State of a range as `NtQueryVirtualMemory` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemState {
    Free,
    Reserved,
    Committed,
}

/// A run of pages with the same state inside one region (or a free run).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegionInfo {
    /// The queried address rounded down to its heap page.
    pub base: VirtAddr,
    /// Base of the region (0 when free).
    pub allocation_base: VirtAddr,
    pub allocation_protect: Protect,
    /// Bytes from `base` with the same state and protection.
    pub size: u32,
    pub state: MemState,
    pub protect: Protect,
}

/// Heap and page state bookkeeping that is not in the page-state table.
#[derive(Debug, Default)]
pub struct MemoryManager {
    /// Pool blocks: base → size the caller asked for.
    pool: BTreeMap<u32, u32>,
}

fn align_up(value: u64, align: u64) -> u64 {
    value.div_ceil(align) * align
}

/// Writes the page-state words of a new region.
fn mark_region(memory: &GuestMemory, base: u32, size: u32, commit: bool, protect: Protect) {
    let pages = size / STATE_PAGE;
    debug_assert!(pages > 0 && pages <= MAX_LINK);
    // Inner pages first so a reader never sees a start page with missing tail pages.
    for i in (1..pages).rev() {
        PageState::reserved(false, i, commit, protect, protect).store(memory, base + i * STATE_PAGE);
    }
    PageState::reserved(true, pages, commit, protect, protect).store(memory, base);
}

/// Page range `[start, end)` of `size` bytes at `addr`, rounded out to the heap's pages.
fn page_span(heap: &Heap, addr: u32, size: u32) -> Result<(u32, u32), NtStatus> {
    let start = addr / heap.page_size * heap.page_size;
    let end = align_up(addr as u64 + size as u64, heap.page_size as u64);
    if size == 0 || end > heap.end as u64 {
        return Err(NtStatus::INVALID_PARAMETER);
    }
    Ok((start, end as u32))
}

/// What a page range holds.
enum Occupancy {
    Free,
    /// Every page belongs to one region.
    OneRegion,
    Mixed,
}

fn occupancy(memory: &GuestMemory, heap: &Heap, start: u32, end: u32) -> Occupancy {
    let mut region = None;
    let mut free = 0u32;
    let mut taken = 0u32;
    let mut at = start;
    while at < end {
        match PageState::region_of(memory, at) {
            None => free += 1,
            Some((base, _)) => {
                taken += 1;
                match region {
                    None => region = Some(base),
                    Some(r) if r != base => return Occupancy::Mixed,
                    Some(_) => {}
                }
            }
        }
        if free > 0 && taken > 0 {
            return Occupancy::Mixed;
        }
        at += heap.page_size;
    }
    if region.is_some() {
        Occupancy::OneRegion
    } else {
        Occupancy::Free
    }
}

/// Whether every physical frame behind `[start, end)` of a physical view is
/// free in the other views.
fn physical_range_is_free(memory: &GuestMemory, heap: &Heap, start: u32, end: u32) -> bool {
    let (lo, hi) = (heap.to_physical(start), heap.to_physical(start) + (end - start));
    hi <= PHYSICAL_LIMIT && (lo..hi).step_by(STATE_PAGE as usize).all(|p| physical_frame_is_free(memory, p))
}

impl MemoryManager {
    /// Allocates in `heap`'s general range (for the 64 KiB heap: below the
    /// thread-stack region).
    pub fn alloc(&mut self, memory: &GuestMemory, heap: HeapId, req: Request) -> Result<Region, NtStatus> {
        let h = heap.heap();
        self.alloc_in(memory, h, h.general.0, h.general.1, req)
    }

    /// Allocates anywhere in `[lo, hi]` (inclusive; both in one heap). For a
    /// physical view the range is of view addresses. Thread stacks use this
    /// with [`STACK_REGION_START`]..[`STACK_REGION_END`].
    pub fn alloc_range(
        &mut self,
        memory: &GuestMemory,
        lo: VirtAddr,
        hi: VirtAddr,
        req: Request,
    ) -> Result<Region, NtStatus> {
        let heap = Heap::of(lo.0).ok_or(NtStatus::INVALID_PARAMETER)?;
        if hi.0 < lo.0 {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        let hi_end = (hi.0 as u64 + 1).min(heap.end as u64) as u32;
        self.alloc_in(memory, heap, lo.0, hi_end, req)
    }

    /// Allocates in `[lo, hi)` of `heap`.
    fn alloc_in(
        &mut self,
        memory: &GuestMemory,
        heap: &Heap,
        lo: u32,
        hi: u32,
        req: Request,
    ) -> Result<Region, NtStatus> {
        if lo >= hi {
            return Err(NtStatus::NO_MEMORY);
        }
        let page = heap.page_size as u64;
        let size = align_up(req.size as u64, page);
        let align = align_up(req.align.max(1) as u64, page);
        if size == 0 || size / STATE_PAGE as u64 > MAX_LINK as u64 {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        let base = if heap.kind == HeapKind::Physical {
            // Search physical frames free in all three views.
            let (span_lo, span_hi) = heap.physical_span();
            let lo_phys = heap.to_physical(lo.max(heap.base)).max(span_lo) as u64;
            let hi_phys = (heap.to_physical(hi.min(heap.end) - 1) as u64 + 1).min(span_hi as u64);
            // Alignment is of the physical address; every view's base is
            // aligned to its page size in physical memory too.
            let frame = STATE_PAGE as u64;
            let found =
                find_free(lo_phys.div_ceil(frame), hi_phys / frame, size / frame, align / frame, req.top_down, |f| {
                    !physical_frame_is_free(memory, (f * frame) as u32)
                });
            heap.from_physical((found.ok_or(NtStatus::NO_MEMORY)? * frame) as u32)
        } else {
            let lo_p = (lo.max(heap.base) - heap.base) as u64 / page;
            let hi_p = (hi.min(heap.end) - heap.base) as u64 / page;
            let found = find_free(lo_p, hi_p, size / page, align / page, req.top_down, |p| {
                !PageState::load(memory, heap.base + (p * page) as u32).is_free()
            });
            heap.base + (found.ok_or(NtStatus::NO_MEMORY)? * page) as u32
        };
        let size = size as u32;
        mark_region(memory, base, size, req.commit, req.protect);
        if req.commit && req.zero {
            let _ = memory.fill(VirtAddr(base), size, 0);
        }
        Ok(Region { base: VirtAddr(base), size })
    }

    /// Records the thread-stack and object-pool range (`0x70000000–0x7EFFFFFF`,
    /// allocated by `threading` and `ob` themselves, never handed out here)
    /// as one committed read-write region in the page-state table, so other
    /// processes and `NtQueryVirtualMemory` see it in use.
    pub fn record_system_range(&mut self, memory: &GuestMemory) {
        mark_region(memory, STACK_REGION_START, STACK_REGION_END - STACK_REGION_START, true, Protect::READ_WRITE);
    }

    /// Reserves (and commits) exactly the pages covering `req.size` bytes at
    /// `base`, in whatever heap holds `base`. The loader maps XEX images with
    /// this. Committing inside one existing region commits its pages; any
    /// other overlap with allocated pages fails with `CONFLICTING_ADDRESSES`.
    pub fn alloc_fixed(&mut self, memory: &GuestMemory, base: VirtAddr, req: Request) -> Result<Region, NtStatus> {
        let heap = Heap::of(base.0).ok_or(NtStatus::INVALID_PARAMETER)?;
        let (start, end) = page_span(heap, base.0, req.size)?;
        // The null guard, and the stack and object-pool range the threading
        // and object managers allocate from themselves, are never handed out.
        let reserved = (0, heap::NULL_GUARD);
        let system = (STACK_REGION_START, STACK_REGION_END);
        if [reserved, system].iter().any(|&(lo, hi)| start < hi && end > lo) {
            return Err(NtStatus::CONFLICTING_ADDRESSES);
        }
        match occupancy(memory, heap, start, end) {
            Occupancy::Free => {
                if (end - start) / STATE_PAGE > MAX_LINK {
                    return Err(NtStatus::INVALID_PARAMETER);
                }
                if heap.kind == HeapKind::Physical && !physical_range_is_free(memory, heap, start, end) {
                    return Err(NtStatus::CONFLICTING_ADDRESSES);
                }
                mark_region(memory, start, end - start, req.commit, req.protect);
                if req.commit && req.zero {
                    let _ = memory.fill(VirtAddr(start), end - start, 0);
                }
            }
            Occupancy::OneRegion if req.commit => {
                let mut at = start;
                while at < end {
                    let state = PageState::load(memory, at);
                    if !state.is_committed() && req.zero {
                        let _ = memory.fill(VirtAddr(at), STATE_PAGE, 0);
                    }
                    state.with(true, req.protect).store(memory, at);
                    at += STATE_PAGE;
                }
            }
            Occupancy::OneRegion | Occupancy::Mixed => return Err(NtStatus::CONFLICTING_ADDRESSES),
        }
        Ok(Region { base: VirtAddr(start), size: end - start })
    }

    /// Releases the whole region that starts at `base`; returns it.
    pub fn release(&mut self, memory: &GuestMemory, base: VirtAddr) -> Result<Region, NtStatus> {
        let heap = Heap::of(base.0).ok_or(NtStatus::INVALID_PARAMETER)?;
        let (start, size) = PageState::region_of(memory, base.0).ok_or(NtStatus::MEMORY_NOT_ALLOCATED)?;
        if start != base.0 / heap.page_size * heap.page_size {
            return Err(STATUS_FREE_VM_NOT_AT_BASE);
        }
        // Start page first so no reader sees a start page without its tail.
        let mut at = start;
        while at < start + size {
            PageState::FREE.store(memory, at);
            at += STATE_PAGE;
        }
        self.pool.remove(&start);
        Ok(Region { base: VirtAddr(start), size })
    }

    /// Decommits the pages covering `size` bytes at `base` (0 = to the end of
    /// the region). All of them must belong to one region.
    pub fn decommit(&mut self, memory: &GuestMemory, base: VirtAddr, size: u32) -> Result<Region, NtStatus> {
        let heap = Heap::of(base.0).ok_or(NtStatus::INVALID_PARAMETER)?;
        let (region, region_size) = PageState::region_of(memory, base.0).ok_or(NtStatus::MEMORY_NOT_ALLOCATED)?;
        let size = if size == 0 { region + region_size - base.0 } else { size };
        let (start, end) = page_span(heap, base.0, size)?;
        match occupancy(memory, heap, start, end) {
            Occupancy::OneRegion => {}
            _ => return Err(NtStatus::MEMORY_NOT_ALLOCATED),
        }
        let mut at = start;
        while at < end {
            let state = PageState::load(memory, at);
            state.with(false, state.protect()).store(memory, at);
            at += STATE_PAGE;
        }
        Ok(Region { base: VirtAddr(start), size: end - start })
    }

    /// Sets the protection of the committed pages covering `size` bytes at
    /// `base` (one region); returns the range and the first page's old protection.
    pub fn protect(
        &mut self,
        memory: &GuestMemory,
        base: VirtAddr,
        size: u32,
        protect: Protect,
    ) -> Result<(Region, Protect), NtStatus> {
        let heap = Heap::of(base.0).ok_or(NtStatus::INVALID_PARAMETER)?;
        let (start, end) = page_span(heap, base.0, size)?;
        match occupancy(memory, heap, start, end) {
            Occupancy::OneRegion => {}
            Occupancy::Free => return Err(NtStatus::MEMORY_NOT_ALLOCATED),
            Occupancy::Mixed => return Err(NtStatus::CONFLICTING_ADDRESSES),
        }
        let mut at = start;
        while at < end {
            if !PageState::load(memory, at).is_committed() {
                return Err(STATUS_NOT_COMMITTED);
            }
            at += heap.page_size;
        }
        let old = PageState::load(memory, start).protect();
        let mut at = start;
        while at < end {
            let state = PageState::load(memory, at);
            state.with(true, protect).store(memory, at);
            at += STATE_PAGE;
        }
        Ok((Region { base: VirtAddr(start), size: end - start }, old))
    }

    /// What `NtQueryVirtualMemory` reports for `addr` (None outside the heaps).
    pub fn query(&self, memory: &GuestMemory, addr: VirtAddr) -> Option<RegionInfo> {
        let heap = Heap::of(addr.0)?;
        let base = addr.0 / heap.page_size * heap.page_size;
        let first = PageState::load(memory, base);
        let mut at = base;
        match PageState::region_of(memory, base) {
            None => {
                while at < heap.end && PageState::load(memory, at).is_free() {
                    at += heap.page_size;
                }
                Some(RegionInfo {
                    base: VirtAddr(base),
                    allocation_base: VirtAddr(0),
                    allocation_protect: Protect::NONE,
                    size: at - base,
                    state: MemState::Free,
                    protect: Protect::NONE,
                })
            }
            Some((region, region_size)) => {
                let region_end = region + region_size;
                while at < region_end && PageState::load(memory, at).attributes() == first.attributes() {
                    at += heap.page_size;
                }
                Some(RegionInfo {
                    base: VirtAddr(base),
                    allocation_base: VirtAddr(region),
                    allocation_protect: first.alloc_protect(),
                    size: at - base,
                    state: if first.is_committed() { MemState::Committed } else { MemState::Reserved },
                    protect: first.protect(),
                })
            }
        }
    }

    /// Size of the whole region holding `addr` (0 when free).
    pub fn allocation_size(&self, memory: &GuestMemory, addr: VirtAddr) -> u32 {
        PageState::region_of(memory, addr.0).map_or(0, |(_, size)| size)
    }

    /// Whether the page holding `addr` is committed.
    pub fn is_committed(&self, memory: &GuestMemory, addr: VirtAddr) -> bool {
        Heap::of(addr.0).is_some() && PageState::load(memory, addr.0).is_committed()
    }

    /// Number of 4 KiB physical frames in use in any view.
    pub fn physical_frames_used(&self, memory: &GuestMemory) -> u32 {
        (0..PHYSICAL_LIMIT).step_by(STATE_PAGE as usize).filter(|&p| !physical_frame_is_free(memory, p)).count() as u32
    }

    /// Pool blocks: allocate, free and query (the `ExAllocatePool` family).
    pub fn pool_alloc(&mut self, memory: &GuestMemory, size: u32) -> Option<VirtAddr> {
        let region =
            self.alloc(memory, HeapId::Virtual4K, Request::commit(size.max(1), Protect::READ_WRITE).top_down(true));
        let region = region.ok()?;
        self.pool.insert(region.base.0, size);
        Some(region.base)
    }

    /// Frees a pool block; false when `addr` is not one.
    pub fn pool_free(&mut self, memory: &GuestMemory, addr: VirtAddr) -> bool {
        if !self.pool.contains_key(&addr.0) {
            return false;
        }
        self.release(memory, addr).is_ok()
    }

    /// Size the caller asked for when allocating the pool block at `addr`.
    pub fn pool_block_size(&self, addr: VirtAddr) -> Option<u32> {
        self.pool.get(&addr.0).copied()
    }

    /// Number of live pool blocks and the 4 KiB pages they hold.
    pub fn pool_pages(&self) -> u32 {
        self.pool.values().map(|&s| s.max(1).div_ceil(STATE_PAGE)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::Kernel;

    fn rw() -> Protect {
        Protect::READ_WRITE
    }

    #[test]
    fn general_allocations_land_in_their_heap_and_never_on_the_null_page() {
        let k = Kernel::for_tests();
        let mut mm = MemoryManager::default();
        let a = mm.alloc(&k.memory, HeapId::Virtual4K, Request::commit(0x1800, rw())).unwrap();
        assert_eq!(a, Region { base: VirtAddr(0x1_0000), size: 0x2000 });
        let b = mm.alloc(&k.memory, HeapId::Virtual4K, Request::commit(0x1000, rw())).unwrap();
        assert_eq!(b.base, VirtAddr(0x1_2000));
        let top = mm.alloc(&k.memory, HeapId::Virtual64K, Request::reserve(0x1_0000, rw()).top_down(true)).unwrap();
        assert_eq!(top.base, VirtAddr(STACK_REGION_START - 0x1_0000));
    }

    #[test]
    fn page_state_records_region_links_from_every_page() {
        let k = Kernel::for_tests();
        let mut mm = MemoryManager::default();
        let r = mm.alloc(&k.memory, HeapId::Virtual64K, Request::commit(0x3_0000, rw())).unwrap();
        let inner = r.base.0 + 0x2_1000;
        assert_eq!(PageState::region_of(&k.memory, inner), Some((r.base.0, 0x3_0000)));
        let s = PageState::load(&k.memory, inner);
        assert!(s.is_committed() && !s.is_region_start() && s.protect() == rw());
        assert!(PageState::load(&k.memory, r.base.0 + 0x3_0000).is_free());
    }

    #[test]
    fn fixed_reservations_conflict_but_commits_inside_a_region_succeed() {
        let k = Kernel::for_tests();
        let mut mm = MemoryManager::default();
        let base = VirtAddr(0x8200_0000);
        let r = mm.alloc_fixed(&k.memory, base, Request::reserve(0x2_0000, rw())).unwrap();
        assert_eq!(r, Region { base, size: 0x2_0000 });
        assert_eq!(
            mm.alloc_fixed(&k.memory, VirtAddr(0x8201_0000), Request::reserve(0x1000, rw())),
            Err(NtStatus::CONFLICTING_ADDRESSES)
        );
        let c = mm.alloc_fixed(&k.memory, VirtAddr(0x8201_0004), Request::commit(4, Protect::READ)).unwrap();
        assert_eq!(c, Region { base: VirtAddr(0x8201_0000), size: 0x1_0000 });
        assert!(!mm.is_committed(&k.memory, base));
        assert!(mm.is_committed(&k.memory, VirtAddr(0x8201_FFFC)));
        // Straddling the region's end is refused.
        assert_eq!(
            mm.alloc_fixed(&k.memory, VirtAddr(0x8201_0000), Request::commit(0x2_0000, rw())),
            Err(NtStatus::CONFLICTING_ADDRESSES)
        );
    }

    #[test]
    fn committing_zeroes_only_pages_that_were_not_committed() {
        let k = Kernel::for_tests();
        let mut mm = MemoryManager::default();
        let r = mm.alloc_fixed(&k.memory, VirtAddr(0x2000_0000), Request::reserve(0x2000, rw())).unwrap();
        k.memory.write_u32(VirtAddr(0x2000_0000), 0xDEAD).unwrap();
        k.memory.write_u32(VirtAddr(0x2000_1000), 0xBEEF).unwrap();
        mm.alloc_fixed(&k.memory, r.base, Request::commit(0x1000, rw())).unwrap();
        k.memory.write_u32(VirtAddr(0x2000_0000), 7).unwrap();
        mm.alloc_fixed(&k.memory, r.base, Request::commit(0x2000, rw())).unwrap();
        assert_eq!(k.memory.read_u32(VirtAddr(0x2000_0000)).unwrap(), 7);
        assert_eq!(k.memory.read_u32(VirtAddr(0x2000_1000)).unwrap(), 0);
    }

    #[test]
    fn release_frees_the_whole_region_and_refuses_inner_addresses() {
        let k = Kernel::for_tests();
        let mut mm = MemoryManager::default();
        let r = mm.alloc(&k.memory, HeapId::Virtual4K, Request::commit(0x3000, rw())).unwrap();
        assert_eq!(mm.release(&k.memory, r.base.add(0x1000)), Err(STATUS_FREE_VM_NOT_AT_BASE));
        assert_eq!(mm.release(&k.memory, r.base), Ok(r));
        assert_eq!(mm.release(&k.memory, r.base), Err(NtStatus::MEMORY_NOT_ALLOCATED));
        assert_eq!(mm.alloc(&k.memory, HeapId::Virtual4K, Request::commit(0x1000, rw())).unwrap().base, r.base);
    }

    #[test]
    fn query_reports_runs_of_equal_state_inside_a_region() {
        let k = Kernel::for_tests();
        let mut mm = MemoryManager::default();
        let r = mm.alloc(&k.memory, HeapId::Virtual4K, Request::commit(0x4000, rw())).unwrap();
        mm.protect(&k.memory, r.base.add(0x1000), 0x1000, Protect::READ).unwrap();
        mm.decommit(&k.memory, r.base.add(0x3000), 0x1000).unwrap();
        let q = |a: u32| mm.query(&k.memory, r.base.add(a)).unwrap();
        assert_eq!((q(0).size, q(0).state, q(0).protect), (0x1000, MemState::Committed, rw()));
        assert_eq!((q(0x1004).base, q(0x1004).size, q(0x1004).protect), (r.base.add(0x1000), 0x1000, Protect::READ));
        assert_eq!((q(0x2000).size, q(0x2000).allocation_base), (0x1000, r.base));
        assert_eq!(q(0x3000).state, MemState::Reserved);
        let free = q(0x4000);
        assert_eq!((free.state, free.allocation_base), (MemState::Free, VirtAddr(0)));
        assert_eq!(free.size, 0x4000_0000 - r.base.0 - 0x4000);
        assert!(mm.query(&k.memory, VirtAddr(0x7F00_0000)).is_none());
    }

    #[test]
    fn protect_needs_committed_pages_of_one_region() {
        let k = Kernel::for_tests();
        let mut mm = MemoryManager::default();
        let a = mm.alloc(&k.memory, HeapId::Virtual4K, Request::commit(0x1000, rw())).unwrap();
        let b = mm.alloc(&k.memory, HeapId::Virtual4K, Request::reserve(0x1000, rw())).unwrap();
        assert_eq!(b.base, a.base.add(0x1000));
        assert_eq!(mm.protect(&k.memory, a.base, 0x2000, Protect::READ), Err(NtStatus::CONFLICTING_ADDRESSES));
        assert_eq!(mm.protect(&k.memory, b.base, 0x1000, Protect::READ), Err(STATUS_NOT_COMMITTED));
        let (range, old) = mm.protect(&k.memory, a.base.add(8), 4, Protect::READ).unwrap();
        assert_eq!((range, old), (a, rw()));
    }

    #[test]
    fn physical_views_share_one_allocator() {
        let k = Kernel::for_tests();
        let mut mm = MemoryManager::default();
        let a = mm.alloc(&k.memory, HeapId::Physical64K, Request::commit(0x1_0000, rw()).top_down(true)).unwrap();
        // The top 64 KiB of physical memory are never handed out.
        assert_eq!(a.base, VirtAddr(0xA000_0000 + PHYSICAL_LIMIT - 0x1_0000));
        // The 4 KiB view below it must not reuse the same frames.
        let e = mm.alloc(&k.memory, HeapId::Physical4K, Request::commit(0x1000, rw()).top_down(true)).unwrap();
        let e_phys = HeapId::Physical4K.heap().to_physical(e.base.0);
        assert!(e_phys + 0x1000 <= PHYSICAL_LIMIT - 0x1_0000, "{e_phys:#x}");
        // A fixed allocation over frames another view holds conflicts.
        let alias = 0xC000_0000 + PHYSICAL_LIMIT - 0x1_0000;
        assert_eq!(
            mm.alloc_fixed(&k.memory, VirtAddr(alias / 0x100_0000 * 0x100_0000), Request::commit(0x100_0000, rw())),
            Err(NtStatus::CONFLICTING_ADDRESSES)
        );
        assert_eq!(mm.physical_frames_used(&k.memory), 0x11);
        mm.release(&k.memory, a.base).unwrap();
        assert_eq!(mm.physical_frames_used(&k.memory), 1);
    }

    #[test]
    fn sixteen_megabyte_pages_come_from_the_c0_view_aligned() {
        let k = Kernel::for_tests();
        let mut mm = MemoryManager::default();
        let r = mm.alloc(&k.memory, HeapId::Physical16M, Request::commit(0x10, rw()).top_down(true)).unwrap();
        assert_eq!(r.size, 0x100_0000);
        assert_eq!(r.base.0 % 0x100_0000, 0);
        // The top 16 MiB frame holds the never-handed-out 64 KiB.
        assert_eq!(r.base, VirtAddr(0xDE00_0000));
    }

    #[test]
    fn the_stack_region_is_only_reached_by_explicit_ranges() {
        let k = Kernel::for_tests();
        let mut mm = MemoryManager::default();
        let s = mm
            .alloc_range(
                &k.memory,
                VirtAddr(STACK_REGION_START),
                VirtAddr(STACK_REGION_END - 1),
                Request::commit(0x4000, rw()),
            )
            .unwrap();
        assert_eq!(s, Region { base: VirtAddr(STACK_REGION_START), size: 0x1_0000 });
        let fixed = mm.alloc_fixed(&k.memory, VirtAddr(0x7E00_0000), Request::commit(0x1000, rw()));
        assert_eq!(fixed, Err(NtStatus::CONFLICTING_ADDRESSES));
        let null = mm.alloc_fixed(&k.memory, VirtAddr(0x8000), Request::commit(0x1000, rw()));
        assert_eq!(null, Err(NtStatus::CONFLICTING_ADDRESSES));
        let general = mm.alloc(&k.memory, HeapId::Virtual64K, Request::commit(0x1_0000, rw()).top_down(true)).unwrap();
        assert!(general.base.0 < STACK_REGION_START);
    }

    #[test]
    fn pool_blocks_remember_their_size_and_free_once() {
        let k = Kernel::for_tests();
        let mut mm = MemoryManager::default();
        let p = mm.pool_alloc(&k.memory, 24).unwrap();
        assert_eq!(mm.pool_block_size(p), Some(24));
        assert!(mm.is_committed(&k.memory, p));
        assert!(!mm.pool_free(&k.memory, p.add(8)));
        assert!(mm.pool_free(&k.memory, p));
        assert!(!mm.pool_free(&k.memory, p));
        assert_eq!(mm.pool_block_size(p), None);
    }
}
