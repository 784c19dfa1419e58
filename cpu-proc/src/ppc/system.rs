//! System-register moves, traps, `sc`, synchronisation and cache hints.

use super::bus::Bus;
use super::decode::Ins;
use super::fault::FaultKind;
use super::state::ThreadState;
use super::{Cpu, Exec, Stop};
use shared::memory::VirtAddr;
use std::sync::atomic::{fence, Ordering};

/// SPR numbers a title may use.
pub const SPR_XER: u16 = 1;
pub const SPR_LR: u16 = 8;
pub const SPR_CTR: u16 = 9;
pub const SPR_VRSAVE: u16 = 256;
pub const SPR_TBL_READ: u16 = 268;
pub const SPR_TBU_READ: u16 = 269;

/// Longest debug print taken from the guest in one trap.
const MAX_PRINT: u64 = 64 * 1024;

pub(crate) fn mfspr<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins) -> Exec {
    if matches!(i.field_spr(), SPR_TBL_READ | SPR_TBU_READ) {
        cpu.sync_clock();
    }
    let st = &mut *cpu.st;
    let value = match i.field_spr() {
        SPR_XER => st.xer(),
        SPR_LR => st.lr,
        SPR_CTR => st.ctr,
        SPR_VRSAVE => st.vrsave as u64,
        SPR_TBL_READ => cpu.bus.time_base(),
        SPR_TBU_READ => cpu.bus.time_base() >> 32,
        _ => return Err(Stop::Fault(FaultKind::Privileged)),
    };
    cpu.st.gpr[i.field_rd() as usize] = value;
    Ok(())
}

pub(crate) fn mtspr(st: &mut ThreadState, i: Ins) -> Exec {
    let value = st.gpr[i.field_rs() as usize];
    match i.field_spr() {
        SPR_XER => st.set_xer(value),
        SPR_LR => st.lr = value,
        SPR_CTR => st.ctr = value,
        SPR_VRSAVE => st.vrsave = value as u32,
        _ => return Err(Stop::Fault(FaultKind::Privileged)),
    }
    Ok(())
}

/// `mftb` from the bus's guest clock (TBU for tbr 269).
pub(crate) fn mftb<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins) -> Exec {
    cpu.sync_clock();
    let tb = cpu.bus.time_base();
    let value = match i.field_tbr() {
        SPR_TBL_READ => tb,
        SPR_TBU_READ => tb >> 32,
        _ => return Err(Stop::Fault(FaultKind::Illegal)),
    };
    cpu.st.gpr[i.field_rd() as usize] = value;
    Ok(())
}

pub fn mfcr(st: &mut ThreadState, i: Ins) {
    st.gpr[i.field_rd() as usize] = st.cr as u64;
}

/// `mfocrf`: only the selected field, the rest zero.
pub fn mfocrf(st: &mut ThreadState, i: Ins) {
    let mask = field_mask(i.field_crm());
    st.gpr[i.field_rd() as usize] = (st.cr & mask) as u64;
}

/// `mtcrf` and `mtocrf` (the decoder hands both over as [`Opcode::Mtcrf`](super::decode::Opcode::Mtcrf)).
pub fn mtcrf(st: &mut ThreadState, i: Ins) {
    let mask = field_mask(i.field_crm());
    st.cr = (st.cr & !mask) | (st.gpr[i.field_rs() as usize] as u32 & mask);
}

fn field_mask(fxm: u8) -> u32 {
    (0..8).filter(|n| fxm & (0x80 >> n) != 0).fold(0, |m, n| m | (0xF000_0000 >> (4 * n)))
}

pub fn mcrxr(st: &mut ThreadState, i: Ins) {
    let bits = ((st.xer() >> 28) & 0xE) as u32;
    st.set_cr_field(i.field_crfd() as u32, bits);
    st.xer_so = false;
    st.xer_ov = false;
    st.xer_ca = false;
}

/// `mfmsr`, `mtmsr`, `mtmsrd`: titles use them around short critical
/// sections; the value is kept and read back, nothing else changes.
pub fn mfmsr(st: &mut ThreadState, i: Ins) {
    st.gpr[i.field_rd() as usize] = st.msr;
}

pub fn mtmsr(st: &mut ThreadState, i: Ins, doubleword: bool) {
    let value = st.gpr[i.field_rs() as usize];
    st.msr = if doubleword { value } else { (st.msr & !0xFFFF_FFFF) | (value & 0xFFFF_FFFF) };
}

/// Whether trap condition `to` holds for `a` against `b`.
fn trap_condition(to: u8, a: i64, b: i64) -> bool {
    (to & 0x10 != 0 && a < b)
        || (to & 0x08 != 0 && a > b)
        || (to & 0x04 != 0 && a == b)
        || (to & 0x02 != 0 && (a as u64) < (b as u64))
        || (to & 0x01 != 0 && (a as u64) > (b as u64))
}

/// `tw`, `twi`, `td`, `tdi`. `twi 31, r0, 20` is the debug print (r3 =
/// buffer, r4 = length); any other trap whose condition holds is a fault.
pub(crate) fn trap<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins, immediate: bool, doubleword: bool) -> Exec {
    let to = i.field_to();
    if immediate && !doubleword && to == 31 && i.field_ra() == 0 && i.field_simm() == 20 {
        let len = cpu.st.gpr[4].min(MAX_PRINT) as usize;
        let addr = cpu.st.gpr[3] as u32;
        let mut text = vec![0u8; len];
        cpu.mem
            .read_bytes(VirtAddr(addr), &mut text)
            .map_err(|error| Stop::Fault(FaultKind::Memory { addr, len: len as u32, write: false, error }))?;
        cpu.bus.debug_print(&text);
        return Ok(());
    }
    let a = cpu.st.gpr[i.field_ra() as usize];
    let b = if immediate { i.field_simm() as i64 as u64 } else { cpu.st.gpr[i.field_rb() as usize] };
    let fires = if doubleword {
        trap_condition(to, a as i64, b as i64)
    } else {
        trap_condition(to, a as i32 as i64, b as i32 as i64)
    };
    if fires {
        Err(Stop::Fault(FaultKind::Trap))
    } else {
        Ok(())
    }
}

/// `sc`: the kernel call goes to the bus; decoded code is re-checked after
/// (the kernel may have loaded or patched code).
pub(crate) fn sc<B: Bus>(cpu: &mut Cpu<'_, B>) -> Exec {
    cpu.sync_clock();
    cpu.bus.system_call(cpu.st)?;
    Err(Stop::Resync)
}

/// `sync` (all forms, `lwsync` included) and `eieio`.
pub fn sync(lightweight: bool) {
    fence(if lightweight { Ordering::AcqRel } else { Ordering::SeqCst });
}

/// `icbi`: drop decoded copies of the block's page in every thread.
pub(crate) fn icbi<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins) -> Exec {
    let ea = cpu.ea_x(i.field_ra(), i.field_rb());
    cpu.code.invalidate_page(ea);
    Err(Stop::Resync)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run_with, Rig};
    use super::*;

    #[test]
    fn twi_31_r0_20_prints_the_buffer_through_the_bus() {
        let mut rig = Rig::new();
        rig.memory.write_bytes(VirtAddr(0x1000_1000), b"hello\n").unwrap();
        rig.st().gpr[3] = 0x1000_1000;
        rig.st().gpr[4] = 6;
        rig.run(&[0x0FE0_0014]).unwrap(); // twi 31,r0,20
        assert_eq!(rig.bus.printed, b"hello\n");
    }

    #[test]
    fn a_trap_that_fires_is_a_fault_with_its_disassembly() {
        let mut rig = Rig::new();
        let fault = rig.run(&[0x7FE0_0008]).unwrap_err(); // trap (tw 31,0,0)
        assert_eq!(fault.kind, FaultKind::Trap);
        assert_eq!(fault.disassembly, "trap");
    }

    #[test]
    fn twi_that_does_not_fire_falls_through() {
        // twlti r4,0 with r4 = 1
        let s = run_with(&[0x0E04_0000, 0x3860_0009], &[(4, 1)]);
        assert_eq!(s.gpr[3], 9);
    }

    #[test]
    fn sc_without_a_kernel_is_a_bus_fault() {
        let mut rig = Rig::new();
        let fault = rig.run(&[0x3800_0010, 0x4400_0002]).unwrap_err();
        assert!(matches!(fault.kind, FaultKind::Bus(_)));
        assert_eq!(fault.registers.gpr[0], 0x10);
    }

    #[test]
    fn mtcrf_and_mtocrf_move_only_selected_fields() {
        // mtcrf 0x81,r4 ; mtocrf 0x02,r5 ; mfcr r3
        let s = run_with(&[0x7C88_1120, 0x7CB0_2120, 0x7C60_0026], &[(4, 0x1234_5678), (5, 0xFFFF_FFFF)]);
        assert_eq!(s.gpr[3], 0x1000_00F8);
    }

    #[test]
    fn mfspr_reads_lr_ctr_xer_and_vrsave() {
        // mtctr r4 ; mfctr r3 ; mtspr 256,r4 ; mfspr r5,256
        let s = run_with(&[0x7C89_03A6, 0x7C69_02A6, 0x7C80_43A6, 0x7CA0_42A6], &[(4, 0x55)]);
        assert_eq!((s.gpr[3], s.gpr[5], s.vrsave), (0x55, 0x55, 0x55));
    }

    #[test]
    fn mftb_reads_the_bus_clock() {
        let s = run_with(&[0x7C6C_42E6], &[]);
        assert_eq!(s.gpr[3], 1);
    }
}
