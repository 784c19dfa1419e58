//! The cpu → gpu link: doorbells. Everything else the GPU needs is in the
//! shared register file; a doorbell only says "register `index` was written
//! with `value`, look". Losing one is harmless: the register keeps the value.

/// GPU register index of `CP_RB_WPTR`, the ring-buffer write pointer
/// (xenia `register_table.inc`, `graphics_system.cc`).
pub const CP_RB_WPTR: u32 = 0x01C5;

/// Guest address of the GPU register window and its size.
pub const GPU_REGISTER_BASE: u32 = 0x7FC8_0000;
pub const GPU_REGISTER_WINDOW: u32 = 0x1_0000;

/// One doorbell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct Doorbell {
    pub register: u32,
    pub value: u32,
}

/// Registers whose writes ring the doorbell.
pub const fn is_doorbell(register: u32) -> bool {
    register == CP_RB_WPTR
}
