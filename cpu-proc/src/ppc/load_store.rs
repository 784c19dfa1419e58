//! Integer and floating-point loads and stores, load-reserve /
//! store-conditional and `dcbz`.
//!
//! Effective addresses are computed in 64 bits and truncated to the 32-bit
//! guest space. Update forms write the EA back to rA after the access
//! succeeds. Loads and stores in the MMIO window go to the bus.

use super::bus::Bus;
use super::decode::Ins;
use super::fault::FaultKind;
use super::state::{Reservation, CR_EQ};
use super::{Cpu, Exec, Stop};
use shared::memory::{MemError, VirtAddr};
use std::sync::atomic::Ordering;

/// Width and extension of an integer load.
#[derive(Clone, Copy)]
pub enum Load {
    Byte,
    Half,
    HalfAlgebraic,
    Word,
    WordAlgebraic,
    Double,
    HalfReversed,
    WordReversed,
    DoubleReversed,
}

/// Width of an integer store.
#[derive(Clone, Copy)]
pub enum Store {
    Byte,
    Half,
    Word,
    Double,
    HalfReversed,
    WordReversed,
    DoubleReversed,
}

/// How the effective address is formed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `d(rA|0)`
    D,
    /// `d(rA)`, then rA = EA
    DUpdate,
    /// `ds(rA|0)` (DS-form: low two bits are part of the opcode)
    Ds,
    /// `ds(rA)`, then rA = EA
    DsUpdate,
    /// `(rA|0) + rB`
    X,
    /// `rA + rB`, then rA = EA
    XUpdate,
}

impl Form {
    #[inline(always)]
    fn ea<B: Bus>(self, cpu: &Cpu<'_, B>, i: Ins) -> u32 {
        match self {
            Form::D | Form::DUpdate => cpu.ea_d(i.field_ra(), i.field_simm() as i64),
            Form::Ds | Form::DsUpdate => cpu.ea_d(i.field_ra(), i.field_ds() as i64),
            Form::X | Form::XUpdate => cpu.ea_x(i.field_ra(), i.field_rb()),
        }
    }

    #[inline(always)]
    fn updates(self) -> bool {
        matches!(self, Form::DUpdate | Form::DsUpdate | Form::XUpdate)
    }
}

#[inline(always)]
pub(crate) fn load<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins, width: Load, form: Form) -> Exec {
    let ea = form.ea(cpu, i);
    let value = match width {
        Load::Byte => cpu.load_u8(ea)? as u64,
        Load::Half => cpu.load_u16(ea)? as u64,
        Load::HalfAlgebraic => cpu.load_u16(ea)? as i16 as i64 as u64,
        Load::Word => cpu.load_u32(ea)? as u64,
        Load::WordAlgebraic => cpu.load_u32(ea)? as i32 as i64 as u64,
        Load::Double => cpu.load_u64(ea)?,
        Load::HalfReversed => cpu.load_u16(ea)?.swap_bytes() as u64,
        Load::WordReversed => cpu.load_u32(ea)?.swap_bytes() as u64,
        Load::DoubleReversed => cpu.load_u64(ea)?.swap_bytes(),
    };
    cpu.st.gpr[i.field_rd() as usize] = value;
    if form.updates() {
        cpu.st.gpr[i.field_ra() as usize] = ea as u64;
    }
    Ok(())
}

#[inline(always)]
pub(crate) fn store<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins, width: Store, form: Form) -> Exec {
    let ea = form.ea(cpu, i);
    let value = cpu.st.gpr[i.field_rs() as usize];
    if form.updates() {
        // The update happens even when the store only resyncs the code cache.
        let result = store_value(cpu, ea, value, width);
        if !matches!(result, Err(Stop::Fault(_))) {
            cpu.st.gpr[i.field_ra() as usize] = ea as u64;
        }
        return result;
    }
    store_value(cpu, ea, value, width)
}

#[inline(always)]
fn store_value<B: Bus>(cpu: &mut Cpu<'_, B>, ea: u32, value: u64, width: Store) -> Exec {
    match width {
        Store::Byte => cpu.store_u8(ea, value as u8),
        Store::Half => cpu.store_u16(ea, value as u16),
        Store::Word => cpu.store_u32(ea, value as u32),
        Store::Double => cpu.store_u64(ea, value),
        Store::HalfReversed => cpu.store_u16(ea, (value as u16).swap_bytes()),
        Store::WordReversed => cpu.store_u32(ea, (value as u32).swap_bytes()),
        Store::DoubleReversed => cpu.store_u64(ea, value.swap_bytes()),
    }
}

/// Runs `body`, and if it only asked for a resync, finishes the remaining
/// work first and then reports the resync.
fn keep_going(result: Exec, resync: &mut bool) -> Exec {
    match result {
        Err(Stop::Resync) => {
            *resync = true;
            Ok(())
        }
        other => other,
    }
}

fn resync_if(resync: bool) -> Exec {
    if resync {
        Err(Stop::Resync)
    } else {
        Ok(())
    }
}

pub(crate) fn lmw<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins) -> Exec {
    let mut ea = cpu.ea_d(i.field_ra(), i.field_simm() as i64);
    for r in i.field_rd() as usize..32 {
        cpu.st.gpr[r] = cpu.load_u32(ea)? as u64;
        ea = ea.wrapping_add(4);
    }
    Ok(())
}

pub(crate) fn stmw<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins) -> Exec {
    let mut ea = cpu.ea_d(i.field_ra(), i.field_simm() as i64);
    let mut resync = false;
    for r in i.field_rs() as usize..32 {
        let value = cpu.st.gpr[r] as u32;
        keep_going(cpu.store_u32(ea, value), &mut resync)?;
        ea = ea.wrapping_add(4);
    }
    resync_if(resync)
}

/// `lswi` (count from NB, 0 meaning 32) and `lswx` (count from XER).
pub(crate) fn load_string<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins, indexed: bool) -> Exec {
    let (mut ea, count) = if indexed {
        (cpu.ea_x(i.field_ra(), i.field_rb()), cpu.st.xer_count as u32)
    } else {
        let nb = i.field_nb() as u32;
        (cpu.ea_d(i.field_ra(), 0), if nb == 0 { 32 } else { nb })
    };
    let mut r = i.field_rd() as usize;
    let mut word = 0u32;
    for n in 0..count {
        word |= (cpu.load_u8(ea)? as u32) << (24 - 8 * (n % 4));
        ea = ea.wrapping_add(1);
        if n % 4 == 3 || n + 1 == count {
            cpu.st.gpr[r] = word as u64;
            word = 0;
            r = (r + 1) % 32;
        }
    }
    Ok(())
}

/// `stswi` and `stswx`.
pub(crate) fn store_string<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins, indexed: bool) -> Exec {
    let (mut ea, count) = if indexed {
        (cpu.ea_x(i.field_ra(), i.field_rb()), cpu.st.xer_count as u32)
    } else {
        let nb = i.field_nb() as u32;
        (cpu.ea_d(i.field_ra(), 0), if nb == 0 { 32 } else { nb })
    };
    let mut resync = false;
    for n in 0..count {
        let r = (i.field_rs() as usize + (n / 4) as usize) % 32;
        let byte = (cpu.st.gpr[r] as u32 >> (24 - 8 * (n % 4))) as u8;
        keep_going(cpu.store_u8(ea, byte), &mut resync)?;
        ea = ea.wrapping_add(1);
    }
    resync_if(resync)
}

fn atomic_fault(error: MemError, addr: u32, len: u32, write: bool) -> Stop {
    Stop::Fault(FaultKind::Memory { addr, len, write, error })
}

/// `lwarx` (`double` false) and `ldarx`.
pub(crate) fn load_reserve<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins, double: bool) -> Exec {
    let ea = cpu.ea_x(i.field_ra(), i.field_rb());
    let value = if double {
        u64::from_be(
            cpu.mem.atomic_u64(VirtAddr(ea)).map_err(|e| atomic_fault(e, ea, 8, false))?.load(Ordering::Acquire),
        )
    } else {
        u32::from_be(
            cpu.mem.atomic_u32(VirtAddr(ea)).map_err(|e| atomic_fault(e, ea, 4, false))?.load(Ordering::Acquire),
        ) as u64
    };
    let ticket = cpu.res.reserve(ea);
    cpu.st.reserve = Some(Reservation { addr: ea, value, ticket });
    cpu.st.gpr[i.field_rd() as usize] = value;
    Ok(())
}

/// `stwcx.` (`double` false) and `stdcx.`: CR0 EQ tells whether it stored.
pub(crate) fn store_conditional<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins, double: bool) -> Exec {
    let ea = cpu.ea_x(i.field_ra(), i.field_rb());
    let len = if double { 8 } else { 4 };
    // Alignment is checked whether or not a reservation is held.
    let new = cpu.st.gpr[i.field_rs() as usize];
    let reservation = cpu.st.reserve.take();
    let stored = match reservation {
        Some(r) if r.addr == ea && cpu.res.take(ea, r.ticket) => {
            if double {
                let cell = cpu.mem.atomic_u64(VirtAddr(ea)).map_err(|e| atomic_fault(e, ea, len, true))?;
                cell.compare_exchange(r.value.to_be(), new.to_be(), Ordering::AcqRel, Ordering::Acquire).is_ok()
            } else {
                let cell = cpu.mem.atomic_u32(VirtAddr(ea)).map_err(|e| atomic_fault(e, ea, len, true))?;
                cell.compare_exchange(
                    (r.value as u32).to_be(),
                    (new as u32).to_be(),
                    Ordering::AcqRel,
                    Ordering::Acquire,
                )
                .is_ok()
            }
        }
        _ => {
            let check = if double {
                cpu.mem.atomic_u64(VirtAddr(ea)).map(|_| ())
            } else {
                cpu.mem.atomic_u32(VirtAddr(ea)).map(|_| ())
            };
            check.map_err(|e| atomic_fault(e, ea, len, true))?;
            false
        }
    };
    let so = cpu.st.xer_so as u32;
    cpu.st.set_cr_field(0, if stored { CR_EQ | so } else { so });
    if stored {
        cpu.after_store(ea, len)?;
    }
    Ok(())
}

/// `dcbz` (32-byte block) and `dcbz128` (`line` 128).
pub(crate) fn dcbz<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins, line: u32) -> Exec {
    let ea = cpu.ea_x(i.field_ra(), i.field_rb()) & !(line - 1);
    cpu.mem.fill(VirtAddr(ea), line, 0).map_err(|e| atomic_fault(e, ea, line, true))?;
    cpu.after_store(ea, line)
}

// ---- floating-point loads and stores ----

/// Single to double as `lfs` does: exact, and NaNs keep their payload and
/// their signalling bit (a host conversion would quiet them).
#[inline(always)]
pub fn single_to_double(word: u32) -> u64 {
    if word & 0x7F80_0000 == 0x7F80_0000 {
        ((word as u64 & 0x8000_0000) << 32) | 0x7FF0_0000_0000_0000 | ((word as u64 & 0x007F_FFFF) << 29)
    } else {
        (f32::from_bits(word) as f64).to_bits()
    }
}

/// Double to single as `stfs` does: a bit-field copy, with denormalisation
/// for values in the single denormal range (no rounding).
#[inline(always)]
pub fn double_to_single(bits: u64) -> u32 {
    let exp = ((bits >> 52) & 0x7FF) as i32;
    if (874..=896).contains(&exp) {
        let sign = ((bits >> 63) as u32) << 31;
        let mut frac = (bits & 0x000F_FFFF_FFFF_FFFF) | (1 << 52);
        let mut e = exp - 1023;
        while e < -126 {
            frac >>= 1;
            e += 1;
        }
        sign | ((frac >> 29) as u32 & 0x007F_FFFF)
    } else {
        (((bits >> 32) & 0xC000_0000) | ((bits >> 29) & 0x3FFF_FFFF)) as u32
    }
}

/// `lfs`/`lfd` and their update and indexed forms.
pub(crate) fn load_float<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins, double: bool, form: Form) -> Exec {
    let ea = form.ea(cpu, i);
    let bits = if double { cpu.load_u64(ea)? } else { single_to_double(cpu.load_u32(ea)?) };
    cpu.st.fpr[i.field_frd() as usize] = bits;
    if form.updates() {
        cpu.st.gpr[i.field_ra() as usize] = ea as u64;
    }
    Ok(())
}

/// `stfs`/`stfd` and their update and indexed forms.
pub(crate) fn store_float<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins, double: bool, form: Form) -> Exec {
    let ea = form.ea(cpu, i);
    let bits = cpu.st.fpr[i.field_frs() as usize];
    let result = if double { cpu.store_u64(ea, bits) } else { cpu.store_u32(ea, double_to_single(bits)) };
    if form.updates() && !matches!(result, Err(Stop::Fault(_))) {
        cpu.st.gpr[i.field_ra() as usize] = ea as u64;
    }
    result
}

pub(crate) fn stfiwx<B: Bus>(cpu: &mut Cpu<'_, B>, i: Ins) -> Exec {
    let ea = cpu.ea_x(i.field_ra(), i.field_rb());
    let bits = cpu.st.fpr[i.field_frs() as usize] as u32;
    cpu.store_u32(ea, bits)
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rig;
    use super::super::RunExit;
    use super::*;
    use crate::ppc::state::CR_EQ;

    const DATA: u64 = 0x1000_1000;

    #[test]
    fn lwzu_loads_and_updates_the_base() {
        let mut rig = Rig::new();
        rig.memory.write_u32(VirtAddr(0x1000_1008), 0xDEAD_BEEF).unwrap();
        rig.st().gpr[4] = DATA;
        rig.run(&[0x8464_0008]).unwrap(); // lwzu r3,8(r4)
        assert_eq!(rig.st().gpr[3], 0xDEAD_BEEF);
        assert_eq!(rig.st().gpr[4], DATA + 8);
    }

    #[test]
    fn lha_sign_extends_and_lhbrx_reverses() {
        let mut rig = Rig::new();
        rig.memory.write_u16(VirtAddr(0x1000_1000), 0x80FF).unwrap();
        rig.st().gpr[4] = DATA;
        rig.run(&[0xA864_0000, 0x7CA0_262C]).unwrap(); // lha r3,0(r4) ; lhbrx r5,0,r4
        assert_eq!(rig.st().gpr[3], 0xFFFF_FFFF_FFFF_80FF);
        assert_eq!(rig.st().gpr[5], 0xFF80);
    }

    #[test]
    fn std_and_ld_move_all_64_bits_big_endian() {
        let mut rig = Rig::new();
        rig.st().gpr[4] = DATA;
        rig.st().gpr[5] = 0x0102_0304_0506_0708;
        rig.run(&[0xF8A4_0010, 0xE864_0010]).unwrap(); // std r5,16(r4) ; ld r3,16(r4)
        assert_eq!(rig.st().gpr[3], 0x0102_0304_0506_0708);
        assert_eq!(rig.memory.read_u8(VirtAddr(0x1000_1010)).unwrap(), 1);
    }

    #[test]
    fn stmw_and_lmw_round_trip_the_top_registers() {
        let mut rig = Rig::new();
        rig.st().gpr[4] = DATA;
        rig.st().gpr[30] = 0xFFFF_FFFF_1111_1111;
        rig.st().gpr[31] = 0x2222_2222;
        rig.run(&[0xBFC4_0000, 0x3BC0_0000, 0x3BE0_0000, 0xBBC4_0000]).unwrap();
        assert_eq!(rig.st().gpr[30], 0x1111_1111);
        assert_eq!(rig.st().gpr[31], 0x2222_2222);
    }

    #[test]
    fn lwarx_stwcx_succeeds_once_then_fails_without_a_reservation() {
        let mut rig = Rig::new();
        rig.st().gpr[4] = DATA;
        rig.st().gpr[5] = 42;
        // lwarx r3,0,r4 ; stwcx. r5,0,r4 ; mfcr r6 ; stwcx. r5,0,r4 ; mfcr r7
        rig.run(&[0x7C60_2028, 0x7CA0_212D, 0x7CC0_0026, 0x7CA0_212D, 0x7CE0_0026]).unwrap();
        assert_eq!(rig.memory.read_u32(VirtAddr(0x1000_1000)).unwrap(), 42);
        assert_eq!(rig.st().gpr[6] >> 28, CR_EQ as u64);
        assert_eq!(rig.st().gpr[7] >> 28, 0);
    }

    #[test]
    fn a_plain_store_between_lwarx_and_stwcx_breaks_the_reservation() {
        let mut rig = Rig::new();
        rig.st().gpr[4] = DATA;
        // lwarx r3,0,r4 ; stw r3,0(r4) ; stwcx. r5,0,r4 ; mfcr r6
        rig.run(&[0x7C60_2028, 0x9064_0000, 0x7CA0_212D, 0x7CC0_0026]).unwrap();
        assert_eq!(rig.st().gpr[6] >> 28, 0);
    }

    #[test]
    fn dcbz128_clears_the_whole_128_byte_line() {
        let mut rig = Rig::new();
        rig.memory.fill(VirtAddr(0x1000_1000), 0x200, 0xAA).unwrap();
        rig.st().gpr[4] = DATA + 0x84;
        rig.run(&[0x7C20_27EC]).unwrap(); // dcbz128 0,r4
        assert_eq!(rig.memory.read_u8(VirtAddr(0x1000_107F)).unwrap(), 0xAA);
        assert_eq!(rig.memory.read_u8(VirtAddr(0x1000_1080)).unwrap(), 0);
        assert_eq!(rig.memory.read_u8(VirtAddr(0x1000_10FF)).unwrap(), 0);
        assert_eq!(rig.memory.read_u8(VirtAddr(0x1000_1100)).unwrap(), 0xAA);
    }

    #[test]
    fn a_load_past_the_address_space_is_a_fault_report_not_a_panic() {
        let mut rig = Rig::new();
        rig.st().gpr[4] = 0xFFFF_FFFE;
        let fault = rig.run(&[0x8064_0000]).unwrap_err(); // lwz r3,0(r4)
        assert!(matches!(fault.kind, FaultKind::Memory { addr: 0xFFFF_FFFE, len: 4, write: false, .. }));
        assert_eq!(fault.pc, super::super::testing::CODE);
        assert!(fault.to_string().contains("lwz r3, 0x0(r4)"), "{fault}");
    }

    #[test]
    fn mmio_loads_without_a_device_fault_through_the_bus() {
        let mut rig = Rig::new();
        rig.st().gpr[4] = 0x7FC8_0000;
        let fault = rig.run(&[0x8064_0000]).unwrap_err();
        assert!(matches!(fault.kind, FaultKind::Bus(_)));
    }

    #[test]
    fn a_store_into_running_code_takes_effect_on_the_next_fetch() {
        let mut rig = Rig::new();
        // stw r5,8(r6) overwrites the `li r3,1` that follows with `li r3,2`.
        rig.st().gpr[5] = 0x3860_0002;
        rig.st().gpr[6] = super::super::testing::CODE as u64;
        assert_eq!(rig.run(&[0x90A6_0008, 0x6000_0000, 0x3860_0001]).unwrap(), RunExit::ReachedStop);
        assert_eq!(rig.st().gpr[3], 2);
    }

    #[test]
    fn single_conversions_keep_nan_payloads_and_denormalise_on_store() {
        assert_eq!(single_to_double(0x7F80_0001), 0x7FF0_0000_2000_0000);
        assert_eq!(double_to_single(0x7FF0_0000_2000_0000), 0x7F80_0001);
        assert_eq!(double_to_single(1.5f64.to_bits()), 1.5f32.to_bits());
        let tiny = f32::from_bits(1) as f64;
        assert_eq!(double_to_single(tiny.to_bits()), 1);
    }
}
