//! Architectural state of one guest hardware thread.
//!
//! Everything a guest thread can observe lives here; the interpreter keeps
//! no other per-thread state that would need saving across a suspend.

use std::fmt;

/// One 128-bit vector register, as four 32-bit words in guest order: word 0
/// is the one at the lowest address when stored (the most significant).
pub type Vector = [u32; 4];

/// Condition-register field bits, in the order they sit in a 4-bit field.
pub const CR_LT: u32 = 0b1000;
pub const CR_GT: u32 = 0b0100;
pub const CR_EQ: u32 = 0b0010;
pub const CR_SO: u32 = 0b0001;

/// VSCR bits (the register is 32 bits; the guest sees it in the low word of
/// a vector through `mfvscr`).
pub const VSCR_NJ: u32 = 1 << 16;
pub const VSCR_SAT: u32 = 1;

/// The registers of a guest thread. Xenon runs titles in 64-bit mode with
/// 32-bit effective addresses: GPRs, LR and CTR are 64 bits wide, the
/// program counter is a 32-bit guest address.
#[derive(Clone, Debug)]
pub struct ThreadState {
    pub gpr: [u64; 32],
    /// Floating-point registers as raw IEEE double bits (bit-exact moves).
    pub fpr: [u64; 32],
    /// VMX128 exposes 128 vector registers; AltiVec forms reach `v0`–`v31`.
    pub vr: [Vector; 128],
    pub cr: u32,
    pub xer_so: bool,
    pub xer_ov: bool,
    pub xer_ca: bool,
    /// XER bits 57–63: the byte count of `lswx`/`stswx`.
    pub xer_count: u8,
    pub lr: u64,
    pub ctr: u64,
    pub fpscr: u32,
    pub vscr: u32,
    pub vrsave: u32,
    /// Address of the next instruction to execute.
    pub pc: u32,
    /// Machine state; only read back by `mfmsr`.
    pub msr: u64,
    /// The value of the reserved word/doubleword at the time of `lwarx`/`ldarx`.
    pub reserve: Option<Reservation>,
}

/// A reservation held by this thread (see [`super::ReservationTable`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reservation {
    pub addr: u32,
    pub value: u64,
    pub ticket: u64,
}

impl Default for ThreadState {
    fn default() -> Self {
        ThreadState {
            gpr: [0; 32],
            fpr: [0; 32],
            vr: [[0; 4]; 128],
            cr: 0,
            xer_so: false,
            xer_ov: false,
            xer_ca: false,
            xer_count: 0,
            lr: 0,
            ctr: 0,
            fpscr: 0,
            vscr: 0,
            vrsave: 0,
            pc: 0,
            // 64-bit mode (SF) and problem state (PR) set.
            msr: 0x8000_0000_0000_4000,
            reserve: None,
        }
    }
}

impl ThreadState {
    /// XER as `mfxer` returns it.
    pub fn xer(&self) -> u64 {
        ((self.xer_so as u64) << 31)
            | ((self.xer_ov as u64) << 30)
            | ((self.xer_ca as u64) << 29)
            | self.xer_count as u64
    }

    /// Sets XER as `mtxer` does.
    pub fn set_xer(&mut self, value: u64) {
        self.xer_so = value & (1 << 31) != 0;
        self.xer_ov = value & (1 << 30) != 0;
        self.xer_ca = value & (1 << 29) != 0;
        self.xer_count = (value & 0x7F) as u8;
    }

    /// The 4-bit CR field `n` (0 = CR0, the most significant).
    #[inline(always)]
    pub fn cr_field(&self, n: u32) -> u32 {
        (self.cr >> (28 - 4 * n)) & 0xF
    }

    #[inline(always)]
    pub fn set_cr_field(&mut self, n: u32, bits: u32) {
        let shift = 28 - 4 * n;
        self.cr = (self.cr & !(0xF << shift)) | ((bits & 0xF) << shift);
    }

    /// CR bit `bit` in the manual's numbering (0 = CR0 LT).
    #[inline(always)]
    pub fn cr_bit(&self, bit: u32) -> bool {
        self.cr & (0x8000_0000 >> bit) != 0
    }

    #[inline(always)]
    pub fn set_cr_bit(&mut self, bit: u32, value: bool) {
        let mask = 0x8000_0000 >> bit;
        self.cr = if value { self.cr | mask } else { self.cr & !mask };
    }

    /// Records a 64-bit result in CR0 (the `.` forms in 64-bit mode).
    #[inline(always)]
    pub fn record(&mut self, value: u64) {
        let v = value as i64;
        let bits = if v < 0 {
            CR_LT
        } else if v > 0 {
            CR_GT
        } else {
            CR_EQ
        };
        self.cr = (self.cr & 0x0FFF_FFFF) | ((bits | self.xer_so as u32) << 28);
    }

    /// Sets XER OV and accumulates SO (the `o` forms).
    #[inline(always)]
    pub fn set_overflow(&mut self, overflow: bool) {
        self.xer_ov = overflow;
        self.xer_so |= overflow;
    }

    pub fn fpr_f64(&self, n: usize) -> f64 {
        f64::from_bits(self.fpr[n])
    }
}

impl fmt::Display for ThreadState {
    /// A register dump for fault reports: four GPRs per line, then the
    /// special registers, then the non-zero FPRs and vector registers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for row in 0..8 {
            for col in 0..4 {
                let n = row * 4 + col;
                write!(f, "{}r{n:<2} {:016x}", if col == 0 { "" } else { "  " }, self.gpr[n])?;
            }
            writeln!(f)?;
        }
        writeln!(f, "pc  {:08x}  lr  {:016x}  ctr {:016x}  cr  {:08x}", self.pc, self.lr, self.ctr, self.cr)?;
        writeln!(
            f,
            "xer {:08x}  fpscr {:08x}  vscr {:08x}  vrsave {:08x}  msr {:016x}",
            self.xer(),
            self.fpscr,
            self.vscr,
            self.vrsave,
            self.msr
        )?;
        for (n, bits) in self.fpr.iter().enumerate().filter(|(_, b)| **b != 0) {
            writeln!(f, "f{n:<3} {bits:016x} ({})", f64::from_bits(*bits))?;
        }
        for (n, v) in self.vr.iter().enumerate().filter(|(_, v)| **v != [0; 4]) {
            writeln!(f, "v{n:<3} {:08x} {:08x} {:08x} {:08x}", v[0], v[1], v[2], v[3])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xer_round_trips_through_its_split_fields() {
        let mut s = ThreadState::default();
        s.set_xer(0xE000_0045);
        assert!(s.xer_so && s.xer_ov && s.xer_ca);
        assert_eq!(s.xer_count, 0x45);
        assert_eq!(s.xer(), 0xE000_0045);
    }

    #[test]
    fn cr_fields_are_numbered_from_the_most_significant_nibble() {
        let mut s = ThreadState::default();
        s.set_cr_field(0, CR_LT);
        s.set_cr_field(7, CR_SO);
        assert_eq!(s.cr, 0x8000_0001);
        assert!(s.cr_bit(0) && s.cr_bit(31) && !s.cr_bit(1));
    }

    #[test]
    fn record_copies_summary_overflow_into_cr0() {
        let mut s = ThreadState { xer_so: true, ..Default::default() };
        s.record(u64::MAX);
        assert_eq!(s.cr_field(0), CR_LT | CR_SO);
    }
}
