//! The `Mm*` exports: physical allocations through the three physical views,
//! address translation, protection and allocation queries, statistics.
//!
//! `MmAllocatePhysicalMemoryEx` (xenia `xboxkrnl_memory.cc`): the page size
//! comes from the protection bits (`MEM_LARGE_PAGES`: 64 KiB from the
//! `0xA0000000` view, `MEM_16MB_PAGES`: 16 MiB from `0xC0000000`, otherwise
//! 4 KiB from `0xE0000000`); size and alignment round up to it; the address
//! range is physical; the search is always top-down; failure returns null.

use super::access::GuestAccess;
use super::heap::{Heap, HeapKind, PHYSICAL_LIMIT};
use super::page_state::{xdk, Protect};
use super::virtual_memory::mem;
use super::Request;
use crate::kernel::Kernel;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

/// `MmAllocatePhysicalMemoryEx(ULONG Flags, SIZE_T Size, ULONG Protect,
/// ULONG_PTR MinAddress, ULONG_PTR MaxAddress, ULONG Alignment)`: the base
/// address in the physical view of the page size asked for, or 0.
pub fn mm_allocate_physical_memory_ex(
    kernel: &mut Kernel,
    _flags: u32,
    size: u32,
    protect: u32,
    min_address: u32,
    max_address: u32,
    alignment: u32,
) -> u32 {
    if protect & (xdk::PAGE_READONLY | xdk::PAGE_READWRITE) == 0 || size == 0 {
        return 0;
    }
    let page_size = if protect & mem::LARGE_PAGES != 0 {
        0x1_0000
    } else if protect & mem::SIXTEEN_MB_PAGES != 0 {
        0x100_0000
    } else {
        0x1000
    };
    let heap = Heap::by_page_size(true, page_size);
    let (span_lo, span_hi) = heap.physical_span();
    let lo = min_address.clamp(span_lo, span_hi - 1);
    let hi = max_address.clamp(span_lo, span_hi - 1);
    if lo > hi {
        return 0;
    }
    let request = Request::commit(size, Protect::from_xdk(protect)).aligned(alignment).top_down(true).zeroed(false);
    let memory = kernel.memory.clone();
    match kernel.mm.alloc_range(&memory, VirtAddr(heap.from_physical(lo)), VirtAddr(heap.from_physical(hi)), request) {
        Ok(region) => region.base.0,
        Err(_) => 0,
    }
}

/// `MmAllocatePhysicalMemory(ULONG Flags, SIZE_T Size, ULONG Protect)`:
/// anywhere in physical memory, page alignment.
pub fn mm_allocate_physical_memory(kernel: &mut Kernel, flags: u32, size: u32, protect: u32) -> u32 {
    mm_allocate_physical_memory_ex(kernel, flags, size, protect, 0, u32::MAX, 0)
}

/// `MmFreePhysicalMemory(ULONG Type, PVOID BaseAddress)`.
pub fn mm_free_physical_memory(kernel: &mut Kernel, _kind: u32, base: u32) {
    if Heap::of(base).is_some_and(|h| h.kind == HeapKind::Physical) {
        let memory = kernel.memory.clone();
        if let Err(status) = kernel.mm.release(&memory, VirtAddr(base)) {
            tracing::warn!("MmFreePhysicalMemory({base:#010x}): {status}");
        }
    } else {
        tracing::warn!("MmFreePhysicalMemory({base:#010x}): not a physical address");
    }
}

/// `MmGetPhysicalAddress(PVOID Address)`: the physical address behind a
/// physical-view address (0 for other addresses).
pub fn mm_get_physical_address(_kernel: &mut Kernel, address: u32) -> u32 {
    match Heap::of(address) {
        Some(h) if h.kind == HeapKind::Physical => h.to_physical(address),
        _ => 0,
    }
}

/// `MmQueryAddressProtect(PVOID Address)`: the page's `PAGE_*` protection,
/// 0 when the page is not committed.
pub fn mm_query_address_protect(kernel: &mut Kernel, address: u32) -> u32 {
    match kernel.mm.query(&kernel.memory, VirtAddr(address)) {
        Some(info) if info.state == super::MemState::Committed => info.protect.to_xdk(),
        _ => 0,
    }
}

/// `MmSetAddressProtect(PVOID Address, ULONG Size, ULONG Protect)`.
pub fn mm_set_address_protect(kernel: &mut Kernel, address: u32, size: u32, protect: u32) {
    if protect == 0 {
        return;
    }
    let memory = kernel.memory.clone();
    if let Err(status) = kernel.mm.protect(&memory, VirtAddr(address), size, Protect::from_xdk(protect)) {
        tracing::warn!("MmSetAddressProtect({address:#010x}, {size:#x}): {status}");
    }
}

/// `MmQueryAllocationSize(PVOID Address)`: bytes of the region holding it.
pub fn mm_query_allocation_size(kernel: &mut Kernel, address: u32) -> u32 {
    kernel.mm.allocation_size(&kernel.memory, VirtAddr(address))
}

/// `MmIsAddressValid(PVOID Address)`: whether the page is committed.
pub fn mm_is_address_valid(kernel: &mut Kernel, address: u32) -> bool {
    kernel.mm.is_committed(&kernel.memory, VirtAddr(address))
}

/// `MM_STATISTICS` as the guest sees it: a size word, two totals, the title
/// and system sections (eleven words each), the highest physical page.
pub mod stats {
    pub const SIZE: u32 = 104;
    pub const TOTAL_PHYSICAL_PAGES: u32 = 0x04;
    pub const KERNEL_PAGES: u32 = 0x08;
    /// Start of the title section. Each section is eleven words: available
    /// pages, total virtual bytes, reserved virtual bytes, physical pages,
    /// pool pages, stack pages, image pages, heap pages, virtual pages, page
    /// table pages, cache pages.
    pub const TITLE: u32 = 0x0C;
    pub const SYSTEM: u32 = 0x38;
    pub const HIGHEST_PHYSICAL_PAGE: u32 = 0x64;
    const _: () = assert!(SYSTEM == TITLE + 11 * 4 && HIGHEST_PHYSICAL_PAGE == SYSTEM + 11 * 4);
}

/// `MmQueryStatistics(PMM_STATISTICS Stats)`: the caller sets the size word
/// to 104 first. Totals are the console's (512 MiB in 4 KiB pages); the
/// title's available and physical pages come from the allocator.
pub fn mm_query_statistics(kernel: &mut Kernel, out: Option<VirtAddr>) -> NtStatus {
    let Some(out) = out else { return NtStatus::INVALID_PARAMETER };
    let result = (|| {
        let memory = kernel.memory.clone();
        if memory.r32(out)? != stats::SIZE {
            return Err(NtStatus::BUFFER_TOO_SMALL);
        }
        memory.zero(out, stats::SIZE)?;
        let used = kernel.mm.physical_frames_used(&memory);
        memory.w32(out, stats::SIZE)?;
        memory.w32(out.add(stats::TOTAL_PHYSICAL_PAGES), 0x2_0000)?;
        memory.w32(out.add(stats::KERNEL_PAGES), (0x2000_0000 - PHYSICAL_LIMIT) / 0x1000)?;
        memory.w32(out.add(stats::TITLE), PHYSICAL_LIMIT / 0x1000 - used)?;
        memory.w32(out.add(stats::TITLE + 3 * 4), used)?;
        memory.w32(out.add(stats::TITLE + 4 * 4), kernel.mm.pool_pages())?;
        memory.w32(out.add(stats::HIGHEST_PHYSICAL_PAGE), 0x1_FFFF)
    })();
    result.err().unwrap_or(NtStatus::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RW: u32 = xdk::PAGE_READWRITE;

    #[test]
    fn page_size_bits_pick_the_view() {
        let mut k = Kernel::for_tests();
        let p4 = mm_allocate_physical_memory_ex(&mut k, 0, 0x2000, RW, 0, u32::MAX, 0);
        let p64 = mm_allocate_physical_memory_ex(&mut k, 0, 0x2_0000, RW | mem::LARGE_PAGES, 0, u32::MAX, 0);
        let p16m = mm_allocate_physical_memory_ex(&mut k, 0, 0x100_0000, RW | mem::SIXTEEN_MB_PAGES, 0, u32::MAX, 0);
        assert!((0xE000_0000..0xFFD0_0000).contains(&p4), "{p4:#x}");
        assert!((0xA000_0000..0xC000_0000).contains(&p64) && p64 % 0x1_0000 == 0, "{p64:#x}");
        assert!((0xC000_0000..0xE000_0000).contains(&p16m) && p16m % 0x100_0000 == 0, "{p16m:#x}");
        let phys = [p4, p64, p16m].map(|a| mm_get_physical_address(&mut k, a));
        assert!(phys.iter().all(|&p| p < 0x2000_0000));
        // No two allocations share physical frames.
        let sizes = [0x2000, 0x2_0000, 0x100_0000];
        for i in 0..3 {
            for j in i + 1..3 {
                assert!(phys[i] + sizes[i] <= phys[j] || phys[j] + sizes[j] <= phys[i]);
            }
        }
        assert_eq!(mm_query_address_protect(&mut k, p64) & 0xFF, RW);
        assert_eq!(mm_query_allocation_size(&mut k, p64 + 0x1_0004), 0x2_0000);
    }

    #[test]
    fn the_physical_range_and_alignment_are_honoured() {
        let mut k = Kernel::for_tests();
        let p = mm_allocate_physical_memory_ex(&mut k, 0, 0x1000, RW, 0x100_0000, 0x1FF_FFFF, 0x10_0000);
        let phys = mm_get_physical_address(&mut k, p);
        assert!((0x100_0000..0x200_0000).contains(&phys), "{phys:#x}");
        assert_eq!(phys % 0x10_0000, 0);
        // Top-down: the highest aligned spot of the range.
        assert_eq!(phys, 0x1F0_0000);
        assert_eq!(mm_allocate_physical_memory_ex(&mut k, 0, 0x1000, xdk::PAGE_NOACCESS, 0, u32::MAX, 0), 0);
    }

    #[test]
    fn freed_physical_memory_is_handed_out_again() {
        let mut k = Kernel::for_tests();
        let a = mm_allocate_physical_memory(&mut k, 0, 0x1_0000, RW | mem::LARGE_PAGES);
        mm_free_physical_memory(&mut k, 0, a);
        assert_eq!(mm_query_address_protect(&mut k, a), 0);
        assert_eq!(mm_allocate_physical_memory(&mut k, 0, 0x1_0000, RW | mem::LARGE_PAGES), a);
    }

    #[test]
    fn physical_addresses_of_each_view() {
        let mut k = Kernel::for_tests();
        assert_eq!(mm_get_physical_address(&mut k, 0xA123_4000), 0x0123_4000);
        assert_eq!(mm_get_physical_address(&mut k, 0xC123_4000), 0x0123_4000);
        assert_eq!(mm_get_physical_address(&mut k, 0xE123_4000), 0x0123_5000);
        assert_eq!(mm_get_physical_address(&mut k, 0x8200_0000), 0);
    }

    #[test]
    fn set_address_protect_and_is_address_valid() {
        let mut k = Kernel::for_tests();
        let a = mm_allocate_physical_memory(&mut k, 0, 0x2000, RW);
        mm_set_address_protect(&mut k, a, 0x1000, xdk::PAGE_READONLY | xdk::PAGE_NOCACHE);
        assert_eq!(mm_query_address_protect(&mut k, a), xdk::PAGE_READONLY | xdk::PAGE_NOCACHE);
        assert_eq!(mm_query_address_protect(&mut k, a + 0x1000), RW);
        assert!(mm_is_address_valid(&mut k, a + 0x1FFF));
        assert!(!mm_is_address_valid(&mut k, 0x7FC8_0000));
    }

    #[test]
    fn statistics_need_the_size_word_and_count_physical_use() {
        let mut k = Kernel::for_tests();
        let out = VirtAddr(0x200);
        assert_eq!(mm_query_statistics(&mut k, Some(out)), NtStatus::BUFFER_TOO_SMALL);
        k.memory.write_u32(out, stats::SIZE).unwrap();
        let before = {
            assert_eq!(mm_query_statistics(&mut k, Some(out)), NtStatus::SUCCESS);
            k.memory.read_u32(out.add(stats::TITLE)).unwrap()
        };
        mm_allocate_physical_memory(&mut k, 0, 0x1_0000, RW | mem::LARGE_PAGES);
        assert_eq!(mm_query_statistics(&mut k, Some(out)), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(out.add(stats::TITLE)).unwrap(), before - 0x10);
        assert_eq!(k.memory.read_u32(out.add(stats::TOTAL_PHYSICAL_PAGES)).unwrap(), 0x2_0000);
        assert_eq!(mm_query_statistics(&mut k, None), NtStatus::INVALID_PARAMETER);
    }
}
