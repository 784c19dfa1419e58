//! Named GPU registers and their power-on values.
//!
//! Register indices are byte offsets in the `0x7FC80000` MMIO window divided
//! by four. Names and indices from xenia `src/xenia/gpu/register_table.inc`
//! and `graphics_system.cc`; the power-on values of the status registers are
//! the ones xenia's `GraphicsSystem::ReadRegister` answers (a 1280×720
//! display, vblank interrupt pending, EDRAM trained).

use shared::memory::ControlArea;
use std::sync::atomic::Ordering;

/// A named register.
#[derive(Debug, Clone, Copy)]
pub struct Register {
    pub index: u32,
    pub name: &'static str,
    /// Value at power-on, for registers the guest polls before writing.
    pub reset: Option<u32>,
}

const fn reg(index: u32, name: &'static str, reset: Option<u32>) -> Register {
    Register { index, name, reset }
}

pub const CP_RB_BASE: u32 = 0x01C0;
pub const CP_RB_CNTL: u32 = 0x01C1;
pub const CP_RB_RPTR_ADDR: u32 = 0x01C3;
pub const CP_RB_RPTR: u32 = 0x01C4;
pub const CP_RB_WPTR: u32 = shared::ipc::gpu::CP_RB_WPTR;
pub const SCRATCH_UMSK: u32 = 0x01DC;
pub const SCRATCH_ADDR: u32 = 0x01DD;
pub const SCRATCH_REG0: u32 = 0x0578;
pub const WAIT_UNTIL: u32 = 0x05C8;
pub const RB_EDRAM_TIMING: u32 = 0x0F00;
pub const RB_BC_CONTROL: u32 = 0x0F01;
pub const D1MODE_MASTER_UPDATE_LOCK: u32 = 0x1838;
pub const D1GRPH_PRIMARY_SURFACE_ADDRESS: u32 = 0x1844;
pub const D1MODE_V_COUNTER: u32 = 0x194C;
pub const D1MODE_INTERRUPT_STATUS: u32 = 0x1951;
pub const D1MODE_VIEWPORT_SIZE: u32 = 0x1961;
/// Scratch registers 0–7 follow `SCRATCH_REG0`; those enabled in
/// `SCRATCH_UMSK` are mirrored to memory at `SCRATCH_ADDR + 4·n`.
pub const SCRATCH_REG_COUNT: u32 = 8;
pub const COHER_SIZE_HOST: u32 = 0x0A2F;
pub const COHER_BASE_HOST: u32 = 0x0A30;
pub const COHER_STATUS_HOST: u32 = 0x0A31;
pub const PA_SC_VIZ_QUERY_STATUS_0: u32 = 0x0C44;
pub const PA_SC_VIZ_QUERY_STATUS_1: u32 = 0x0C45;
/// First context register (`RB_SURFACE_INFO`); `SET_CONSTANT` type 4 is relative to it.
pub const CONTEXT_BASE: u32 = 0x2000;
pub const RB_COLOR_INFO: u32 = 0x2001;
pub const RB_DEPTH_INFO: u32 = 0x2002;
pub const RB_COLOR1_INFO: u32 = 0x2003;
pub const RB_COLOR2_INFO: u32 = 0x2004;
pub const RB_COLOR3_INFO: u32 = 0x2005;
pub const PA_SC_SCREEN_SCISSOR_TL: u32 = 0x200E;
pub const PA_SC_SCREEN_SCISSOR_BR: u32 = 0x200F;
pub const PA_SC_WINDOW_OFFSET: u32 = 0x2080;
pub const PA_SC_WINDOW_SCISSOR_TL: u32 = 0x2081;
pub const PA_SC_WINDOW_SCISSOR_BR: u32 = 0x2082;
pub const VGT_EVENT_INITIATOR: u32 = 0x21F9;
pub const VGT_DMA_BASE: u32 = 0x21FA;
pub const VGT_DMA_SIZE: u32 = 0x21FB;
pub const VGT_DRAW_INITIATOR: u32 = 0x21FC;
pub const PA_SU_SC_MODE_CNTL: u32 = 0x2205;
pub const RB_MODECONTROL: u32 = 0x2208;
pub const PA_SC_VIZ_QUERY: u32 = 0x2293;
pub const PA_SU_VTX_CNTL: u32 = 0x2302;
pub const RB_COPY_CONTROL: u32 = 0x2318;
pub const RB_COPY_DEST_BASE: u32 = 0x2319;
pub const RB_COPY_DEST_PITCH: u32 = 0x231A;
pub const RB_COPY_DEST_INFO: u32 = 0x231B;
/// Adreno a2xx's `RB_COPY_DEST_PIXEL_OFFSET` (xenia's table names this
/// index `RB_HIZ_CLEAR`). Not applied: as in xenia, a resolve writes each
/// pixel at its own (x, y) in the destination.
pub const RB_COPY_DEST_PIXEL_OFFSET: u32 = 0x231C;
pub const RB_DEPTH_CLEAR: u32 = 0x231D;
pub const RB_COLOR_CLEAR: u32 = 0x231E;
pub const RB_COLOR_CLEAR_LO: u32 = 0x231F;
/// Shader constants, reached only through the command processor:
/// ALU (float4) constants, fetch constants, boolean and loop constants.
pub const SHADER_CONSTANT_000_X: u32 = 0x4000;
pub const SHADER_CONSTANT_FETCH_00_0: u32 = 0x4800;
pub const SHADER_CONSTANT_BOOL_000_031: u32 = 0x4900;
pub const SHADER_CONSTANT_LOOP_00: u32 = 0x4908;
/// Registers the command processor addresses (xenia `register_file.h`
/// `kRegisterCount`): the MMIO window's 0x4000 plus the constants above.
pub const CP_REGISTER_COUNT: u32 = 0x5003;

/// The registers Xenact knows by name.
pub const REGISTERS: &[Register] = &[
    reg(CP_RB_BASE, "CP_RB_BASE", None),
    reg(CP_RB_CNTL, "CP_RB_CNTL", None),
    reg(CP_RB_RPTR_ADDR, "CP_RB_RPTR_ADDR", None),
    reg(CP_RB_RPTR, "CP_RB_RPTR", None),
    reg(CP_RB_WPTR, "CP_RB_WPTR", None),
    reg(SCRATCH_UMSK, "SCRATCH_UMSK", None),
    reg(SCRATCH_ADDR, "SCRATCH_ADDR", None),
    reg(SCRATCH_REG0, "SCRATCH_REG0", None),
    reg(WAIT_UNTIL, "WAIT_UNTIL", None),
    reg(RB_EDRAM_TIMING, "RB_EDRAM_TIMING", Some(0x0810_0748)),
    reg(RB_BC_CONTROL, "RB_BC_CONTROL", Some(0x0000_200E)),
    reg(D1MODE_MASTER_UPDATE_LOCK, "D1MODE_MASTER_UPDATE_LOCK", None),
    reg(D1GRPH_PRIMARY_SURFACE_ADDRESS, "D1GRPH_PRIMARY_SURFACE_ADDRESS", None),
    reg(D1MODE_V_COUNTER, "D1MODE_V_COUNTER", Some(0x0000_02D0)),
    reg(D1MODE_INTERRUPT_STATUS, "D1MODE_INTERRUPT_STATUS", Some(0x0000_0001)),
    reg(D1MODE_VIEWPORT_SIZE, "D1MODE_VIEWPORT_SIZE", Some(0x0500_02D0)),
    reg(COHER_SIZE_HOST, "COHER_SIZE_HOST", None),
    reg(COHER_BASE_HOST, "COHER_BASE_HOST", None),
    reg(COHER_STATUS_HOST, "COHER_STATUS_HOST", None),
    reg(PA_SC_VIZ_QUERY_STATUS_0, "PA_SC_VIZ_QUERY_STATUS_0", None),
    reg(PA_SC_VIZ_QUERY_STATUS_1, "PA_SC_VIZ_QUERY_STATUS_1", None),
    reg(CONTEXT_BASE, "RB_SURFACE_INFO", None),
    reg(RB_COLOR_INFO, "RB_COLOR_INFO", None),
    reg(RB_DEPTH_INFO, "RB_DEPTH_INFO", None),
    reg(RB_COLOR1_INFO, "RB_COLOR1_INFO", None),
    reg(RB_COLOR2_INFO, "RB_COLOR2_INFO", None),
    reg(RB_COLOR3_INFO, "RB_COLOR3_INFO", None),
    reg(PA_SC_SCREEN_SCISSOR_TL, "PA_SC_SCREEN_SCISSOR_TL", None),
    reg(PA_SC_SCREEN_SCISSOR_BR, "PA_SC_SCREEN_SCISSOR_BR", None),
    reg(PA_SC_WINDOW_OFFSET, "PA_SC_WINDOW_OFFSET", None),
    reg(PA_SC_WINDOW_SCISSOR_TL, "PA_SC_WINDOW_SCISSOR_TL", None),
    reg(PA_SC_WINDOW_SCISSOR_BR, "PA_SC_WINDOW_SCISSOR_BR", None),
    reg(VGT_EVENT_INITIATOR, "VGT_EVENT_INITIATOR", None),
    reg(VGT_DMA_BASE, "VGT_DMA_BASE", None),
    reg(VGT_DMA_SIZE, "VGT_DMA_SIZE", None),
    reg(VGT_DRAW_INITIATOR, "VGT_DRAW_INITIATOR", None),
    reg(PA_SU_SC_MODE_CNTL, "PA_SU_SC_MODE_CNTL", None),
    reg(RB_MODECONTROL, "RB_MODECONTROL", None),
    reg(PA_SC_VIZ_QUERY, "PA_SC_VIZ_QUERY", None),
    reg(PA_SU_VTX_CNTL, "PA_SU_VTX_CNTL", None),
    reg(RB_COPY_CONTROL, "RB_COPY_CONTROL", None),
    reg(RB_COPY_DEST_BASE, "RB_COPY_DEST_BASE", None),
    reg(RB_COPY_DEST_PITCH, "RB_COPY_DEST_PITCH", None),
    reg(RB_COPY_DEST_INFO, "RB_COPY_DEST_INFO", None),
    reg(RB_COPY_DEST_PIXEL_OFFSET, "RB_COPY_DEST_PIXEL_OFFSET", None),
    reg(RB_DEPTH_CLEAR, "RB_DEPTH_CLEAR", None),
    reg(RB_COLOR_CLEAR, "RB_COLOR_CLEAR", None),
    reg(RB_COLOR_CLEAR_LO, "RB_COLOR_CLEAR_LO", None),
];

/// The name of register `index`, if Xenact knows it.
pub fn name(index: u32) -> Option<&'static str> {
    REGISTERS.iter().find(|r| r.index == index).map(|r| r.name)
}

/// Writes the power-on values, once per session: a restarted gpu-proc
/// leaves the register file as the guest last saw it.
pub fn initialise_once(control: &ControlArea<'_>) {
    let gpu = control.gpu_state();
    if gpu.registers_initialised.load(Ordering::SeqCst) != 0 {
        return;
    }
    for r in REGISTERS {
        if let Some(value) = r.reset {
            control.gpu_register(r.index as usize).store(value, Ordering::SeqCst);
        }
    }
    gpu.registers_initialised.store(1, Ordering::SeqCst);
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::memory::GuestMemory;
    use std::os::fd::AsFd;

    #[test]
    fn register_indices_are_unique_and_inside_the_window() {
        let mut seen = std::collections::HashSet::new();
        for r in REGISTERS {
            assert!(seen.insert(r.index), "{} listed twice", r.name);
            assert!((r.index as usize) < shared::memory::control::GPU_REGISTER_COUNT);
        }
    }

    #[test]
    fn power_on_values_are_written_once_and_survive_a_second_start() {
        let fd = GuestMemory::create_file().unwrap();
        let m = GuestMemory::map(fd.as_fd()).unwrap();
        let c = m.control();
        initialise_once(&c);
        assert_eq!(c.gpu_register(D1MODE_VIEWPORT_SIZE as usize).load(Ordering::SeqCst), 0x0500_02D0);
        c.gpu_register(D1MODE_VIEWPORT_SIZE as usize).store(7, Ordering::SeqCst);
        initialise_once(&c);
        assert_eq!(c.gpu_register(D1MODE_VIEWPORT_SIZE as usize).load(Ordering::SeqCst), 7);
    }
}
