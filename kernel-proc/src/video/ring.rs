//! Engine and ring-buffer set-up: `VdInitializeEngines`,
//! `VdShutdownEngines`, `VdInitializeRingBuffer`,
//! `VdEnableRingBufferRPtrWriteBack`, `VdGetSystemCommandBuffer`,
//! `VdSetSystemCommandBufferGpuIdentifierAddress`,
//! `VdSetGraphicsInterruptCallback`.

use super::registers::*;
use super::{gpu_address, gpu_register};
use crate::kernel::Kernel;
use shared::memory::VirtAddr;
use std::sync::atomic::Ordering;

/// Size of the system command buffer descriptor `VdGetSystemCommandBuffer` clears.
pub const SYSTEM_COMMAND_BUFFER_SIZE: u32 = 0x94;
/// The tokens `VdGetSystemCommandBuffer` reports (xenia's values; titles
/// only pass them back to `VdSwap`).
pub const SYSTEM_COMMAND_BUFFER_TOKEN: u32 = 0xBEEF_0000;
pub const SYSTEM_COMMAND_BUFFER_TOKEN2: u32 = 0xBEEF_0001;

/// `VdInitializeEngines(Unknown, Callback, Context, PfpMicrocode,
/// MeMicrocode)`: the engines run from power-on; success (1).
pub fn vd_initialize_engines(
    _kernel: &mut Kernel,
    _unknown: u32,
    _callback: u32,
    _context: u32,
    _pfp: u32,
    _me: u32,
) -> u32 {
    1
}

/// `VdShutdownEngines()`: titles pair it with a later re-initialisation;
/// nothing to stop.
pub fn vd_shutdown_engines(_kernel: &mut Kernel) {}

/// `VdInitializeRingBuffer(PhysicalAddress, SizeLog2)`: the primary ring
/// at that physical address, 2^(SizeLog2+3) bytes, both pointers at 0.
/// The write-back settings of `CP_RB_CNTL` are kept.
pub fn vd_initialize_ring_buffer(kernel: &mut Kernel, address: u32, size_log2: u32) {
    let m = &kernel.memory;
    let Some(base) = gpu_address(address) else {
        tracing::error!("VdInitializeRingBuffer({address:#010x}): not a physical address; ring not set up");
        return;
    };
    gpu_register(m, CP_RB_RPTR).store(0, Ordering::SeqCst);
    gpu_register(m, CP_RB_WPTR).store(0, Ordering::SeqCst);
    gpu_register(m, CP_RB_BASE).store(base, Ordering::SeqCst);
    let cntl = gpu_register(m, CP_RB_CNTL);
    let old = cntl.load(Ordering::SeqCst);
    cntl.store(old & !RB_BUFSZ_MASK | size_log2 & RB_BUFSZ_MASK, Ordering::SeqCst);
}

/// `VdEnableRingBufferRPtrWriteBack(Address, BlockSizeLog2)`: the GPU
/// writes its read pointer (in dwords, big-endian) to `Address` as it
/// consumes the ring.
pub fn vd_enable_ring_buffer_rptr_write_back(kernel: &mut Kernel, address: u32, block_size_log2: u32) {
    let m = &kernel.memory;
    let Some(phys) = gpu_address(address) else {
        tracing::error!("VdEnableRingBufferRPtrWriteBack({address:#010x}): not a physical address; ignored");
        return;
    };
    gpu_register(m, CP_RB_RPTR_ADDR).store(phys & !3, Ordering::SeqCst);
    let cntl = gpu_register(m, CP_RB_CNTL);
    let old = cntl.load(Ordering::SeqCst);
    let blksz = (block_size_log2 << RB_BLKSZ_SHIFT) & RB_BLKSZ_MASK;
    cntl.store(old & !(RB_BLKSZ_MASK | RB_NO_UPDATE) | blksz, Ordering::SeqCst);
}

/// `VdGetSystemCommandBuffer(Buffer, Token)`: a cleared descriptor whose
/// first word, and `*Token`, are tokens the title later hands to `VdSwap`.
pub fn vd_get_system_command_buffer(kernel: &mut Kernel, buffer: Option<VirtAddr>, token: Option<VirtAddr>) {
    let m = &kernel.memory;
    if let Some(buffer) = buffer {
        let _ = m.fill(buffer, SYSTEM_COMMAND_BUFFER_SIZE, 0);
        let _ = m.write_u32(buffer, SYSTEM_COMMAND_BUFFER_TOKEN);
    }
    if let Some(token) = token {
        let _ = m.write_u32(token, SYSTEM_COMMAND_BUFFER_TOKEN2);
    }
}

/// `VdSetSystemCommandBufferGpuIdentifierAddress(Address)`: recorded in
/// the shared GPU state.
pub fn vd_set_system_command_buffer_gpu_identifier_address(kernel: &mut Kernel, address: u32) {
    kernel.memory.control().gpu_state().gpu_identifier_address.store(address, Ordering::SeqCst);
}

/// `VdSetGraphicsInterruptCallback(Callback, UserData)`: the guest function
/// called on each graphics interrupt with r3 = source (0 vblank, 1 command
/// processor) and r4 = `UserData`. Kept in the shared GPU state, where the
/// units that raise interrupts find it; a null callback disables delivery.
pub fn vd_set_graphics_interrupt_callback(kernel: &mut Kernel, callback: u32, user_data: u32) {
    let gpu = kernel.memory.control().gpu_state();
    gpu.interrupt_user_data.store(user_data, Ordering::SeqCst);
    gpu.interrupt_callback.store(callback, Ordering::SeqCst);
    tracing::debug!("graphics interrupt callback {callback:#010x} (user data {user_data:#010x})");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::video::read_register;

    #[test]
    fn ring_set_up_lands_in_the_shared_register_file() {
        let mut k = Kernel::for_tests();
        gpu_register(&k.memory, CP_RB_WPTR).store(9, Ordering::SeqCst);
        vd_initialize_ring_buffer(&mut k, 0x0123_0000, 12);
        vd_enable_ring_buffer_rptr_write_back(&mut k, 0xA000_4000, 6);
        let m = &k.memory;
        assert_eq!(read_register(m, CP_RB_BASE), 0x0123_0000);
        assert_eq!(read_register(m, CP_RB_CNTL), 12 | 6 << RB_BLKSZ_SHIFT);
        assert_eq!(read_register(m, CP_RB_RPTR_ADDR), 0x4000);
        assert_eq!((read_register(m, CP_RB_RPTR), read_register(m, CP_RB_WPTR)), (0, 0));
        // A later re-initialisation keeps write-back on.
        vd_initialize_ring_buffer(&mut k, 0xA020_0000, 10);
        assert_eq!(read_register(&k.memory, CP_RB_BASE), 0x0020_0000);
        assert_eq!(read_register(&k.memory, CP_RB_CNTL), 10 | 6 << RB_BLKSZ_SHIFT);
    }

    #[test]
    fn write_back_through_the_e0_view_is_translated_with_its_offset() {
        let mut k = Kernel::for_tests();
        vd_enable_ring_buffer_rptr_write_back(&mut k, 0xE000_0100, 6);
        assert_eq!(read_register(&k.memory, CP_RB_RPTR_ADDR), 0x1100);
        // A virtual-heap address has no GPU address: nothing changes.
        vd_enable_ring_buffer_rptr_write_back(&mut k, 0x4000_0000, 6);
        assert_eq!(read_register(&k.memory, CP_RB_RPTR_ADDR), 0x1100);
    }

    #[test]
    fn system_command_buffer_is_cleared_and_tokens_are_written() {
        let mut k = Kernel::for_tests();
        let (buffer, token) = (VirtAddr(0x1000), VirtAddr(0x2000));
        k.memory.fill(buffer, 0x100, 0xFF).unwrap();
        vd_get_system_command_buffer(&mut k, Some(buffer), Some(token));
        assert_eq!(k.memory.read_u32(buffer).unwrap(), 0xBEEF_0000);
        assert_eq!(k.memory.read_u32(buffer.add(0x90)).unwrap(), 0);
        assert_eq!(k.memory.read_u32(buffer.add(0x94)).unwrap(), 0xFFFF_FFFF);
        assert_eq!(k.memory.read_u32(token).unwrap(), 0xBEEF_0001);
    }

    #[test]
    fn interrupt_callback_and_identifier_address_go_to_the_shared_gpu_state() {
        let mut k = Kernel::for_tests();
        assert_eq!(vd_initialize_engines(&mut k, 0x4F81_0000, 0, 0, 0, 0), 1);
        vd_set_graphics_interrupt_callback(&mut k, 0x8201_0000, 0x1234);
        vd_set_system_command_buffer_gpu_identifier_address(&mut k, 0x2B18);
        vd_shutdown_engines(&mut k);
        let gpu = k.memory.control().gpu_state();
        assert_eq!(gpu.interrupt_callback.load(Ordering::SeqCst), 0x8201_0000);
        assert_eq!(gpu.interrupt_user_data.load(Ordering::SeqCst), 0x1234);
        assert_eq!(gpu.gpu_identifier_address.load(Ordering::SeqCst), 0x2B18);
    }
}
