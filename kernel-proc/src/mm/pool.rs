//! The executive pool: `ExAllocatePool`, `ExAllocatePoolWithTag`,
//! `ExAllocatePoolTypeWithTag`, `ExFreePool`, `ExQueryPoolBlockSize`.
//!
//! Each block is its own committed, zeroed region of the 4 KiB virtual heap
//! (as xenia's system heap does), taken from the top so title allocations
//! from the bottom stay contiguous.

use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// `ExAllocatePoolTypeWithTag(SIZE_T Size, ULONG Tag, ULONG PoolType)`: the
/// block's address, or 0.
pub fn ex_allocate_pool_type_with_tag(kernel: &mut Kernel, size: u32, _tag: u32, _pool_type: u32) -> u32 {
    let memory = kernel.memory.clone();
    kernel.mm.pool_alloc(&memory, size).map_or(0, |a| a.0)
}

/// `ExAllocatePoolWithTag(SIZE_T Size, ULONG Tag)`.
pub fn ex_allocate_pool_with_tag(kernel: &mut Kernel, size: u32, tag: u32) -> u32 {
    ex_allocate_pool_type_with_tag(kernel, size, tag, 0)
}

/// `ExAllocatePool(SIZE_T Size)` (tag `'None'`).
pub fn ex_allocate_pool(kernel: &mut Kernel, size: u32) -> u32 {
    ex_allocate_pool_type_with_tag(kernel, size, u32::from_be_bytes(*b"None"), 0)
}

/// `ExFreePool(PVOID Block)`.
pub fn ex_free_pool(kernel: &mut Kernel, block: u32) {
    let memory = kernel.memory.clone();
    if block != 0 && !kernel.mm.pool_free(&memory, VirtAddr(block)) {
        tracing::warn!("ExFreePool({block:#010x}): not a pool block");
    }
}

/// `ExQueryPoolBlockSize(PVOID Block, PBOOLEAN QuotaCharged)`: the size the
/// block was allocated with (0 when it is not a block).
pub fn ex_query_pool_block_size(kernel: &mut Kernel, block: u32, quota_charged: Option<VirtAddr>) -> u32 {
    if let Some(out) = quota_charged {
        let _ = kernel.memory.write_u8(out, 0);
    }
    kernel.mm.pool_block_size(VirtAddr(block)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_blocks_are_zeroed_writable_and_freed() {
        let mut k = Kernel::for_tests();
        let a = ex_allocate_pool_with_tag(&mut k, 100, 0x5465_7374);
        let b = ex_allocate_pool(&mut k, 5000);
        assert!(a != 0 && b != 0 && a != b);
        assert_eq!(k.memory.read_u64(VirtAddr(a + 8)).unwrap(), 0);
        k.memory.write_u32(VirtAddr(a + 96), 1).unwrap();
        assert_eq!(ex_query_pool_block_size(&mut k, b, None), 5000);
        ex_free_pool(&mut k, a);
        assert_eq!(ex_query_pool_block_size(&mut k, a, None), 0);
        assert!(!k.mm.is_committed(&k.memory, VirtAddr(a)));
        // A fresh block at the same place is zero again.
        let c = ex_allocate_pool_type_with_tag(&mut k, 100, 0, 0);
        assert_eq!(c, a);
        assert_eq!(k.memory.read_u32(VirtAddr(c + 96)).unwrap(), 0);
    }
}
