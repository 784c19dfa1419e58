//! `NtAllocateVirtualMemory`, `NtFreeVirtualMemory`, `NtQueryVirtualMemory`,
//! `NtProtectVirtualMemory`: the title's view of the two virtual heaps.
//!
//! Semantics follow xenia `xboxkrnl_memory.cc` where it records console
//! behaviour (negative sizes are negated, a named base picks its heap's page
//! size, execute protections are refused by `NtProtectVirtualMemory`) and NT
//! otherwise (ranges cover every page the byte range touches, conflicts and
//! releases inside a region have their NT status).

use super::access::GuestAccess;
use super::heap::{Heap, HeapKind};
use super::page_state::{xdk, Protect};
use super::{MemState, Request};
use crate::kernel::Kernel;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

/// `MEM_*` allocation and free types (xenia `xbox.h`).
pub mod mem {
    pub const COMMIT: u32 = 0x0000_1000;
    pub const RESERVE: u32 = 0x0000_2000;
    pub const DECOMMIT: u32 = 0x0000_4000;
    pub const RELEASE: u32 = 0x0000_8000;
    pub const FREE: u32 = 0x0001_0000;
    pub const PRIVATE: u32 = 0x0002_0000;
    pub const RESET: u32 = 0x0008_0000;
    pub const TOP_DOWN: u32 = 0x0010_0000;
    pub const NOZERO: u32 = 0x0080_0000;
    pub const LARGE_PAGES: u32 = 0x2000_0000;
    pub const HEAP: u32 = 0x4000_0000;
    pub const SIXTEEN_MB_PAGES: u32 = 0x8000_0000;
}

/// `MEMORY_BASIC_INFORMATION` as the guest sees it (seven big-endian words).
pub mod mbi {
    pub const BASE_ADDRESS: u32 = 0x00;
    pub const ALLOCATION_BASE: u32 = 0x04;
    pub const ALLOCATION_PROTECT: u32 = 0x08;
    pub const REGION_SIZE: u32 = 0x0C;
    pub const STATE: u32 = 0x10;
    pub const PROTECT: u32 = 0x14;
    pub const TYPE: u32 = 0x18;
    pub const SIZE: u32 = 0x1C;
}

/// A size argument as the console reads it: some titles pass negative sizes.
fn console_size(size: u32) -> u32 {
    if (size as i32) < 0 {
        (size as i32).unsigned_abs()
    } else {
        size
    }
}

/// `NtAllocateVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG
/// AllocationType, ULONG Protect, BOOLEAN DebugMemory)`.
pub fn nt_allocate_virtual_memory(
    kernel: &mut Kernel,
    base_inout: VirtAddr,
    size_inout: VirtAddr,
    alloc_type: u32,
    protect: u32,
    _debug_memory: u32,
) -> NtStatus {
    match allocate(kernel, base_inout, size_inout, alloc_type, protect) {
        Ok(()) => NtStatus::SUCCESS,
        Err(status) => status,
    }
}

fn allocate(
    kernel: &mut Kernel,
    base_inout: VirtAddr,
    size_inout: VirtAddr,
    alloc_type: u32,
    protect: u32,
) -> Result<(), NtStatus> {
    let memory = kernel.memory.clone();
    let base = memory.r32(base_inout)?;
    let size = console_size(memory.r32(size_inout)?);
    if size == 0 || alloc_type & (mem::COMMIT | mem::RESERVE | mem::RESET) == 0 {
        return Err(NtStatus::INVALID_PARAMETER);
    }
    if alloc_type & mem::RESET != 0 && alloc_type & !mem::RESET != 0 {
        return Err(NtStatus::INVALID_PARAMETER);
    }
    let protect = Protect::from_xdk(protect);
    if alloc_type & mem::RESET != 0 {
        // The contents may be discarded; keeping them is a valid answer.
        let heap = Heap::of(base).filter(|h| h.kind == HeapKind::Virtual).ok_or(NtStatus::INVALID_PARAMETER)?;
        let info = kernel.mm.query(&memory, VirtAddr(base)).ok_or(NtStatus::INVALID_PARAMETER)?;
        if info.state != MemState::Committed {
            return Err(STATUS_NOT_COMMITTED_RESET);
        }
        let start = base / heap.page_size * heap.page_size;
        let end = (base as u64 + size as u64).div_ceil(heap.page_size as u64) * heap.page_size as u64;
        memory.w32(base_inout, start)?;
        return memory.w32(size_inout, (end - start as u64) as u32);
    }
    let request = Request {
        size,
        align: 0,
        commit: alloc_type & mem::COMMIT != 0,
        protect,
        top_down: alloc_type & mem::TOP_DOWN != 0,
        zero: alloc_type & mem::NOZERO == 0,
    };
    let region = if base != 0 {
        // A named base decides the heap, and so the page size.
        let heap = Heap::of(base).ok_or(NtStatus::INVALID_PARAMETER)?;
        if heap.kind != HeapKind::Virtual {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        kernel.mm.alloc_fixed(&memory, VirtAddr(base), request)?
    } else {
        let page_size = if alloc_type & mem::LARGE_PAGES != 0 { 0x1_0000 } else { 0x1000 };
        let heap = Heap::by_page_size(false, page_size);
        kernel.mm.alloc(&memory, heap.id, request).map_err(|_| NtStatus::NO_MEMORY)?
    };
    memory.w32(base_inout, region.base.0)?;
    memory.w32(size_inout, region.size)
}

/// `MEM_RESET` of pages that are not committed (`STATUS_NOT_COMMITTED`).
const STATUS_NOT_COMMITTED_RESET: NtStatus = super::STATUS_NOT_COMMITTED;

/// `NtFreeVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG
/// FreeType, BOOLEAN DebugMemory)`: `MEM_RELEASE` frees the region starting
/// at the base (the size is ignored and set to the region's), `MEM_DECOMMIT`
/// decommits the pages of the range (size 0: to the end of the region).
pub fn nt_free_virtual_memory(
    kernel: &mut Kernel,
    base_inout: VirtAddr,
    size_inout: VirtAddr,
    free_type: u32,
    _debug_memory: u32,
) -> NtStatus {
    let result = (|| {
        let memory = kernel.memory.clone();
        let base = memory.r32(base_inout)?;
        let size = memory.r32(size_inout)?;
        if base == 0 {
            return Err(NtStatus::MEMORY_NOT_ALLOCATED);
        }
        let heap = Heap::of(base).ok_or(NtStatus::INVALID_PARAMETER)?;
        if heap.kind != HeapKind::Virtual {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        let region = if free_type & mem::RELEASE != 0 {
            kernel.mm.release(&memory, VirtAddr(base))?
        } else if free_type & mem::DECOMMIT != 0 {
            kernel.mm.decommit(&memory, VirtAddr(base), size)?
        } else {
            return Err(NtStatus::INVALID_PARAMETER);
        };
        memory.w32(base_inout, region.base.0)?;
        memory.w32(size_inout, region.size)
    })();
    result.err().unwrap_or(NtStatus::SUCCESS)
}

/// `NtQueryVirtualMemory(PVOID BaseAddress, PMEMORY_BASIC_INFORMATION Info)`.
pub fn nt_query_virtual_memory(kernel: &mut Kernel, base: u32, info: VirtAddr) -> NtStatus {
    let Some(region) = kernel.mm.query(&kernel.memory, VirtAddr(base)) else {
        return NtStatus::INVALID_PARAMETER;
    };
    let (state, kind, protect) = match region.state {
        MemState::Free => (mem::FREE, 0, xdk::PAGE_NOACCESS),
        MemState::Reserved => (mem::RESERVE, mem::PRIVATE, region.protect.to_xdk()),
        MemState::Committed => (mem::COMMIT, mem::PRIVATE, region.protect.to_xdk()),
    };
    let allocation_protect = if region.state == MemState::Free { 0 } else { region.allocation_protect.to_xdk() };
    let words = [
        (mbi::BASE_ADDRESS, region.base.0),
        (mbi::ALLOCATION_BASE, region.allocation_base.0),
        (mbi::ALLOCATION_PROTECT, allocation_protect),
        (mbi::REGION_SIZE, region.size),
        (mbi::STATE, state),
        (mbi::PROTECT, protect),
        (mbi::TYPE, kind),
    ];
    for (offset, value) in words {
        if let Err(status) = kernel.memory.w32(info.add(offset), value) {
            return status;
        }
    }
    NtStatus::SUCCESS
}

/// `NtProtectVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG
/// NewProtect, PULONG OldProtect, BOOLEAN DebugMemory)`.
pub fn nt_protect_virtual_memory(
    kernel: &mut Kernel,
    base_inout: VirtAddr,
    size_inout: VirtAddr,
    protect: u32,
    old_protect_out: Option<VirtAddr>,
    _debug_memory: u32,
) -> NtStatus {
    let result = (|| {
        let memory = kernel.memory.clone();
        let base = memory.r32(base_inout)?;
        let size = memory.r32(size_inout)?;
        if size == 0 {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        // The console refuses executable protections here.
        if protect & xdk::PAGE_ANY_EXECUTE != 0 {
            return Err(NtStatus::ACCESS_DENIED);
        }
        if protect & 0xFF == 0 {
            return Err(NtStatus::INVALID_PAGE_PROTECTION);
        }
        let heap = Heap::of(base).ok_or(NtStatus::INVALID_PARAMETER)?;
        if heap.kind != HeapKind::Virtual {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        let (region, old) = kernel.mm.protect(&memory, VirtAddr(base), size, Protect::from_xdk(protect))?;
        memory.w32(base_inout, region.base.0)?;
        memory.w32(size_inout, region.size)?;
        if let Some(out) = old_protect_out {
            memory.w32(out, old.to_xdk())?;
        }
        Ok(())
    })();
    result.err().unwrap_or(NtStatus::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mm::heap::STACK_REGION_START;

    /// Scratch guest memory for in/out arguments (the first 64 KiB are never allocated).
    const BASE_P: VirtAddr = VirtAddr(0x100);
    const SIZE_P: VirtAddr = VirtAddr(0x104);
    const OLD_P: VirtAddr = VirtAddr(0x108);
    const INFO: VirtAddr = VirtAddr(0x200);

    fn alloc(k: &mut Kernel, base: u32, size: u32, ty: u32, protect: u32) -> (NtStatus, u32, u32) {
        k.memory.write_u32(BASE_P, base).unwrap();
        k.memory.write_u32(SIZE_P, size).unwrap();
        let s = nt_allocate_virtual_memory(k, BASE_P, SIZE_P, ty, protect, 0);
        (s, k.memory.read_u32(BASE_P).unwrap(), k.memory.read_u32(SIZE_P).unwrap())
    }

    fn query(k: &mut Kernel, base: u32) -> [u32; 7] {
        assert_eq!(nt_query_virtual_memory(k, base, INFO), NtStatus::SUCCESS);
        std::array::from_fn(|i| k.memory.read_u32(INFO.add(4 * i as u32)).unwrap())
    }

    #[test]
    fn allocation_without_base_rounds_to_the_page_size_of_the_requested_heap() {
        let mut k = Kernel::for_tests();
        let rc = mem::RESERVE | mem::COMMIT;
        let (s, base, size) = alloc(&mut k, 0, 0x3001, rc, xdk::PAGE_READWRITE);
        assert_eq!((s, base & 0xFFF, size), (NtStatus::SUCCESS, 0, 0x4000));
        assert!(base < 0x4000_0000);
        let (s, base, size) = alloc(&mut k, 0, 0x2_0000, rc | mem::LARGE_PAGES, xdk::PAGE_READWRITE);
        assert_eq!((s, base & 0xFFFF, size), (NtStatus::SUCCESS, 0, 0x2_0000));
        assert!((0x4000_0000..STACK_REGION_START).contains(&base));
        let (s, top, _) = alloc(&mut k, 0, 0x1000, rc | mem::TOP_DOWN, xdk::PAGE_READWRITE);
        assert_eq!((s, top), (NtStatus::SUCCESS, 0x3FFF_F000));
    }

    #[test]
    fn a_named_base_uses_its_heap_and_covers_every_touched_page() {
        let mut k = Kernel::for_tests();
        let (s, base, size) = alloc(&mut k, 0x1000_1800, 0x1000, mem::RESERVE, xdk::PAGE_READWRITE);
        assert_eq!((s, base, size), (NtStatus::SUCCESS, 0x1000_1000, 0x2000));
        // Commit-only inside the reservation.
        let (s, base, size) = alloc(&mut k, 0x1000_2000, 4, mem::COMMIT, xdk::PAGE_READONLY);
        assert_eq!((s, base, size), (NtStatus::SUCCESS, 0x1000_2000, 0x1000));
        let q = query(&mut k, 0x1000_2000);
        assert_eq!(q[4], mem::COMMIT);
        assert_eq!(q[5], xdk::PAGE_READONLY);
        assert_eq!(q[1], 0x1000_1000);
        // Reserving over it again conflicts.
        let (s, _, _) = alloc(&mut k, 0x1000_1000, 0x1000, mem::RESERVE, xdk::PAGE_READWRITE);
        assert_eq!(s, NtStatus::CONFLICTING_ADDRESSES);
        // The 64 KiB heap rounds to 64 KiB even with 4 KiB requested.
        let (s, base, size) = alloc(&mut k, 0x5000_1234, 0x10, mem::RESERVE | mem::COMMIT, xdk::PAGE_READWRITE);
        assert_eq!((s, base, size), (NtStatus::SUCCESS, 0x5000_0000, 0x1_0000));
    }

    #[test]
    fn negative_sizes_are_negated_and_bad_arguments_refused() {
        let mut k = Kernel::for_tests();
        let (s, _, size) = alloc(&mut k, 0, (-0x2000i32) as u32, mem::COMMIT, xdk::PAGE_READWRITE);
        assert_eq!((s, size), (NtStatus::SUCCESS, 0x2000));
        assert_eq!(alloc(&mut k, 0, 0, mem::COMMIT, 4).0, NtStatus::INVALID_PARAMETER);
        assert_eq!(alloc(&mut k, 0, 0x1000, mem::TOP_DOWN, 4).0, NtStatus::INVALID_PARAMETER);
        assert_eq!(alloc(&mut k, 0, 0x1000, mem::RESET | mem::COMMIT, 4).0, NtStatus::INVALID_PARAMETER);
        // XEX and physical ranges are not NtAllocateVirtualMemory's.
        assert_eq!(alloc(&mut k, 0x8200_0000, 0x1000, mem::COMMIT, 4).0, NtStatus::INVALID_PARAMETER);
        assert_eq!(alloc(&mut k, 0xA000_0000, 0x1000, mem::COMMIT, 4).0, NtStatus::INVALID_PARAMETER);
        assert_eq!(alloc(&mut k, 0x7F00_0000, 0x1000, mem::COMMIT, 4).0, NtStatus::INVALID_PARAMETER);
        // A pointer argument that is not guest memory faults as an NT status.
        assert_eq!(
            nt_allocate_virtual_memory(&mut k, VirtAddr(0x7FC8_0000), SIZE_P, mem::COMMIT, 4, 0),
            NtStatus::ACCESS_VIOLATION
        );
    }

    #[test]
    fn committed_memory_reads_as_zero_unless_nozero() {
        let mut k = Kernel::for_tests();
        let (_, base, _) = alloc(&mut k, 0x2000_0000, 0x1000, mem::RESERVE | mem::COMMIT, 4);
        k.memory.write_u32(VirtAddr(base), 0x1234).unwrap();
        k.memory.write_u32(BASE_P, base).unwrap();
        k.memory.write_u32(SIZE_P, 0).unwrap();
        assert_eq!(nt_free_virtual_memory(&mut k, BASE_P, SIZE_P, mem::RELEASE, 0), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(SIZE_P).unwrap(), 0x1000);
        alloc(&mut k, base, 0x1000, mem::RESERVE | mem::COMMIT | mem::NOZERO, 4);
        assert_eq!(k.memory.read_u32(VirtAddr(base)).unwrap(), 0x1234);
        k.memory.write_u32(BASE_P, base).unwrap();
        nt_free_virtual_memory(&mut k, BASE_P, SIZE_P, mem::RELEASE, 0);
        alloc(&mut k, base, 0x1000, mem::RESERVE | mem::COMMIT, 4);
        assert_eq!(k.memory.read_u32(VirtAddr(base)).unwrap(), 0);
    }

    #[test]
    fn free_decommits_ranges_and_releases_only_at_the_base() {
        let mut k = Kernel::for_tests();
        let (_, base, _) = alloc(&mut k, 0, 0x3000, mem::RESERVE | mem::COMMIT, 4);
        k.memory.write_u32(BASE_P, base + 0x1000).unwrap();
        k.memory.write_u32(SIZE_P, 0x1000).unwrap();
        assert_eq!(nt_free_virtual_memory(&mut k, BASE_P, SIZE_P, mem::DECOMMIT, 0), NtStatus::SUCCESS);
        assert_eq!(query(&mut k, base + 0x1000)[4], mem::RESERVE);
        assert_eq!(query(&mut k, base + 0x2000)[4], mem::COMMIT);
        k.memory.write_u32(BASE_P, base + 0x1000).unwrap();
        assert_eq!(
            nt_free_virtual_memory(&mut k, BASE_P, SIZE_P, mem::RELEASE, 0),
            crate::mm::STATUS_FREE_VM_NOT_AT_BASE
        );
        k.memory.write_u32(BASE_P, 0).unwrap();
        assert_eq!(nt_free_virtual_memory(&mut k, BASE_P, SIZE_P, mem::RELEASE, 0), NtStatus::MEMORY_NOT_ALLOCATED);
        k.memory.write_u32(BASE_P, base).unwrap();
        assert_eq!(nt_free_virtual_memory(&mut k, BASE_P, SIZE_P, 0, 0), NtStatus::INVALID_PARAMETER);
        assert_eq!(nt_free_virtual_memory(&mut k, BASE_P, SIZE_P, mem::RELEASE, 0), NtStatus::SUCCESS);
        assert_eq!(query(&mut k, base)[4], mem::FREE);
    }

    #[test]
    fn query_fills_memory_basic_information() {
        let mut k = Kernel::for_tests();
        let (_, base, _) = alloc(&mut k, 0x3000_0000, 0x2000, mem::RESERVE | mem::COMMIT, xdk::PAGE_READWRITE);
        let q = query(&mut k, base + 0x10);
        assert_eq!(q, [base, base, xdk::PAGE_READWRITE, 0x2000, mem::COMMIT, xdk::PAGE_READWRITE, mem::PRIVATE]);
        assert_eq!(nt_query_virtual_memory(&mut k, 0x7F00_0000, INFO), NtStatus::INVALID_PARAMETER);
    }

    #[test]
    fn protect_changes_committed_pages_and_reports_the_old_protection() {
        let mut k = Kernel::for_tests();
        let (_, base, _) = alloc(&mut k, 0, 0x2000, mem::RESERVE | mem::COMMIT, xdk::PAGE_READWRITE);
        k.memory.write_u32(BASE_P, base + 4).unwrap();
        k.memory.write_u32(SIZE_P, 0x10).unwrap();
        let s = nt_protect_virtual_memory(&mut k, BASE_P, SIZE_P, xdk::PAGE_READONLY, Some(OLD_P), 0);
        assert_eq!(s, NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(OLD_P).unwrap(), xdk::PAGE_READWRITE);
        assert_eq!((k.memory.read_u32(BASE_P).unwrap(), k.memory.read_u32(SIZE_P).unwrap()), (base, 0x1000));
        assert_eq!(query(&mut k, base)[5], xdk::PAGE_READONLY);
        assert_eq!(query(&mut k, base + 0x1000)[5], xdk::PAGE_READWRITE);
        let s = nt_protect_virtual_memory(&mut k, BASE_P, SIZE_P, xdk::PAGE_EXECUTE_READ, None, 0);
        assert_eq!(s, NtStatus::ACCESS_DENIED);
    }
}
