//! Kernel stacks a title manages itself: `MmCreateKernelStack`,
//! `MmDeleteKernelStack` (for fibers and threads it switches by hand) and
//! `KeSetCurrentStackPointers`.
//!
//! They come from the same range as thread stacks
//! ([`super::STACK_RANGE_START`]..[`super::STACK_RANGE_END`]), a 4 KiB
//! rounded size at 64 KiB alignment (4 KiB when the size is not a whole
//! number of 64 KiB, as xenia `xboxkrnl_memory.cc` aligns them), zeroed. The
//! title gets the high end (the stack base) and gives back both ends.

use super::thread::{
    KTHREAD_STACK_ALLOC_BASE, KTHREAD_STACK_BASE, KTHREAD_STACK_LIMIT, PCR_STACK_BASE, PCR_STACK_LIMIT,
};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

const PAGE: u32 = 0x1000;
const LARGE_PAGE: u32 = 0x1_0000;

/// `MmCreateKernelStack(StackSize, Unknown)`: the base (high end) of a new
/// zeroed stack of `StackSize` bytes, or 0 when the range is full.
pub fn mm_create_kernel_stack(kernel: &mut Kernel, size: u32, _unknown: u32) -> u32 {
    let Some(size) = size.max(1).checked_next_multiple_of(PAGE) else { return 0 };
    let align = if size % LARGE_PAGE != 0 { PAGE } else { LARGE_PAGE };
    let Some(limit) = kernel.threads.stacks.alloc(size, align) else {
        tracing::warn!(size, "MmCreateKernelStack: no room in the stack range");
        return 0;
    };
    let _ = kernel.memory.fill(VirtAddr(limit), size, 0);
    limit + size
}

/// `MmDeleteKernelStack(StackBase, StackLimit)`: frees a stack
/// `MmCreateKernelStack` made; `STATUS_UNSUCCESSFUL` for anything else.
pub fn mm_delete_kernel_stack(kernel: &mut Kernel, base: u32, limit: u32) -> NtStatus {
    let ours = kernel.threads.stacks.size_of(limit).is_some_and(|size| limit.wrapping_add(size) >= base);
    if ours && kernel.threads.iter().all(|t| t.stack.alloc_base != limit) && kernel.threads.stacks.free(limit) {
        NtStatus::SUCCESS
    } else {
        NtStatus::UNSUCCESSFUL
    }
}

/// `KeSetCurrentStackPointers(StackPointer, Thread, StackAllocBase,
/// StackBase, StackLimit)`: records the stack a thread runs on in its
/// `KTHREAD` and, for the calling thread, in its PCR. (The console also
/// moves the caller's r1 to `StackPointer`; the kernel link answers only
/// r3/r4, so the caller stays on its old stack.)
pub fn ke_set_current_stack_pointers(
    kernel: &mut Kernel,
    stack_pointer: u32,
    kthread: VirtAddr,
    alloc_base: u32,
    base: u32,
    limit: u32,
    call: Call,
) {
    let m = &kernel.memory;
    let _ = m.write_u32(kthread.add(KTHREAD_STACK_ALLOC_BASE), alloc_base);
    let _ = m.write_u32(kthread.add(KTHREAD_STACK_BASE), base);
    let _ = m.write_u32(kthread.add(KTHREAD_STACK_LIMIT), limit);
    let Some(me) = kernel.threads.get(call.thread) else { return };
    if me.kthread == kthread {
        let _ = m.write_u32(me.pcr.add(PCR_STACK_BASE), base);
        let _ = m.write_u32(me.pcr.add(PCR_STACK_LIMIT), limit);
    }
    tracing::debug!(thread = call.thread, "KeSetCurrentStackPointers: r1 {stack_pointer:#010x} not switched");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::*;

    #[test]
    fn a_kernel_stack_is_zeroed_in_the_stack_range_and_can_be_deleted_once() {
        let (mut k, _) = kernel_with_thread();
        let base = mm_create_kernel_stack(&mut k, 0x3000, 0);
        let limit = base - 0x3000;
        assert!((super::super::STACK_RANGE_START..super::super::STACK_RANGE_END).contains(&limit));
        assert_eq!(limit % PAGE, 0);
        assert_eq!(k.memory.read_u32(VirtAddr(base - 4)).unwrap(), 0);
        let big = mm_create_kernel_stack(&mut k, 0x2_0000, 0);
        assert_eq!((big - 0x2_0000) % LARGE_PAGE, 0, "whole 64 KiB sizes are 64 KiB aligned");
        assert_eq!(mm_delete_kernel_stack(&mut k, base, limit), NtStatus::SUCCESS);
        assert_eq!(mm_delete_kernel_stack(&mut k, base, limit), NtStatus::UNSUCCESSFUL);
    }

    #[test]
    fn a_threads_own_stack_cannot_be_deleted_as_a_kernel_stack() {
        let (mut k, t) = kernel_with_thread();
        let s = k.threads.get(t).unwrap().stack;
        assert_eq!(mm_delete_kernel_stack(&mut k, s.base, s.alloc_base), NtStatus::UNSUCCESSFUL);
    }

    #[test]
    fn set_current_stack_pointers_updates_the_kthread_and_the_callers_pcr() {
        let (mut k, t) = kernel_with_thread();
        let base = mm_create_kernel_stack(&mut k, 0x4000, 0);
        let (kthread, pcr) = (k.threads.get(t).unwrap().kthread, k.threads.get(t).unwrap().pcr);
        ke_set_current_stack_pointers(&mut k, base - 0x100, kthread, base - 0x4000, base, base - 0x4000, call_from(t));
        assert_eq!(k.memory.read_u32(kthread.add(KTHREAD_STACK_BASE)).unwrap(), base);
        assert_eq!(k.memory.read_u32(kthread.add(KTHREAD_STACK_LIMIT)).unwrap(), base - 0x4000);
        assert_eq!(k.memory.read_u32(kthread.add(KTHREAD_STACK_ALLOC_BASE)).unwrap(), base - 0x4000);
        assert_eq!(k.memory.read_u32(pcr.add(PCR_STACK_BASE)).unwrap(), base);
        assert_eq!(k.memory.read_u32(pcr.add(PCR_STACK_LIMIT)).unwrap(), base - 0x4000);
    }
}
