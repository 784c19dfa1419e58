//! The `Vd*` exports: the kernel side of the Xenos GPU.
//!
//! The GPU's state is not kept here: the ring-buffer registers live in the
//! shared GPU register file (which kernel-proc maps like every unit), and
//! the interrupt callback and the GPU identifier address in the shared
//! [`GpuState`](shared::memory::control::GpuState), where gpu-proc and
//! cpu-proc read them. Submodules:
//! - [`ring`]: engine and ring-buffer set-up, the interrupt callback.
//! - [`display`]: video mode, display information, gamma, EDRAM training
//!   and other answers about the display.
//! - [`swap`]: `VdSwap`, which writes the swap packet into the ring.
//! - [`mode`]: display-mode requests, clock gating, the ASIC id.
//! - [`variables`]: the `VdGlobalDevice`-style variable exports.
//!
//! Values and layouts are facts from xenia `xboxkrnl_video.cc`.

pub mod display;
pub mod mode;
pub mod ring;
pub mod swap;
pub mod variables;

use shared::memory::{GuestMemory, VirtAddr};
use std::sync::atomic::{AtomicU32, Ordering};

/// GPU register indices the kernel writes (xenia `register_table.inc`; the
/// same values as gpu-proc's register table).
pub mod registers {
    pub const CP_RB_BASE: u32 = 0x01C0;
    pub const CP_RB_CNTL: u32 = 0x01C1;
    pub const CP_RB_RPTR_ADDR: u32 = 0x01C3;
    pub const CP_RB_RPTR: u32 = 0x01C4;
    pub const CP_RB_WPTR: u32 = shared::ipc::gpu::CP_RB_WPTR;
    /// First texture fetch constant (reached through type-0 packets only).
    pub const SHADER_CONSTANT_FETCH_00_0: u32 = 0x4800;
    /// `CP_RB_CNTL` fields (R6xx layout): `RB_BUFSZ` (ring of 2^(n+3)
    /// bytes), `RB_BLKSZ` (read-pointer write-back granularity), `RB_NO_UPDATE`.
    pub const RB_BUFSZ_MASK: u32 = 0x3F;
    pub const RB_BLKSZ_SHIFT: u32 = 8;
    pub const RB_BLKSZ_MASK: u32 = 0x3F << RB_BLKSZ_SHIFT;
    pub const RB_NO_UPDATE: u32 = 1 << 27;
}

/// The display Xenact reports: 1280×720 at 60 Hz (xenia's `VdQueryVideoMode`).
pub const DISPLAY_WIDTH: u32 = 1280;
pub const DISPLAY_HEIGHT: u32 = 720;
pub const REFRESH_RATE: f32 = 60.0;

fn gpu_register(memory: &GuestMemory, index: u32) -> &AtomicU32 {
    memory.control().gpu_register(index as usize)
}

/// The GPU (physical) address of a guest pointer: addresses in the
/// physical views are translated, addresses below 512 MiB are taken as
/// physical already; others have no GPU address.
pub fn gpu_address(addr: u32) -> Option<u32> {
    match GuestMemory::translate(VirtAddr(addr)) {
        Some(phys) => Some(phys.0),
        None if addr < 0x2000_0000 => Some(addr),
        None => None,
    }
}

/// Reads a register of the shared file (for tests and the swap packet).
pub fn read_register(memory: &GuestMemory, index: u32) -> u32 {
    gpu_register(memory, index).load(Ordering::Acquire)
}
