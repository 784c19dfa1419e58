//! Integer arithmetic, logical, rotate, shift and compare instructions.
//!
//! 64-bit mode throughout: results are 64 bits, CR0 of the record forms
//! compares the 64-bit result, XER CA is the carry out of bit 0 and OV the
//! signed 64-bit overflow, except where a word form defines them on 32 bits
//! (`mullw`, `divw[u]`, `sraw[i]`).

use super::decode::Ins;
use super::state::{ThreadState, CR_EQ, CR_GT, CR_LT};

/// `a + b + carry_in` with the carry out of bit 0 and signed overflow.
#[inline(always)]
fn add3(a: u64, b: u64, carry_in: bool) -> (u64, bool, bool) {
    let (s1, c1) = a.overflowing_add(b);
    let (s2, c2) = s1.overflowing_add(carry_in as u64);
    let overflow = ((a ^ s2) & (b ^ s2)) >> 63 != 0;
    (s2, c1 | c2, overflow)
}

#[inline(always)]
fn finish(st: &mut ThreadState, i: Ins, value: u64, overflow: bool) {
    st.gpr[i.field_rd() as usize] = value;
    if i.field_oe() {
        st.set_overflow(overflow);
    }
    if i.field_rc() {
        st.record(value);
    }
}

#[inline(always)]
fn finish_logical(st: &mut ThreadState, i: Ins, value: u64) {
    st.gpr[i.field_ra() as usize] = value;
    if i.field_rc() {
        st.record(value);
    }
}

#[inline(always)]
fn ra_or_zero(st: &ThreadState, i: Ins) -> u64 {
    match i.field_ra() {
        0 => 0,
        n => st.gpr[n as usize],
    }
}

#[inline(always)]
fn regs(st: &ThreadState, i: Ins) -> (u64, u64) {
    (st.gpr[i.field_ra() as usize], st.gpr[i.field_rb() as usize])
}

// ---- add / subtract ----

#[inline(always)]
pub fn addi(st: &mut ThreadState, i: Ins) {
    st.gpr[i.field_rd() as usize] = ra_or_zero(st, i).wrapping_add(i.field_simm() as i64 as u64);
}

#[inline(always)]
pub fn addis(st: &mut ThreadState, i: Ins) {
    st.gpr[i.field_rd() as usize] = ra_or_zero(st, i).wrapping_add(((i.field_simm() as i64) << 16) as u64);
}

/// `addic` and `addic.` (`record` for the latter).
pub fn addic(st: &mut ThreadState, i: Ins, record: bool) {
    let (r, ca, _) = add3(st.gpr[i.field_ra() as usize], i.field_simm() as i64 as u64, false);
    st.gpr[i.field_rd() as usize] = r;
    st.xer_ca = ca;
    if record {
        st.record(r);
    }
}

pub fn subfic(st: &mut ThreadState, i: Ins) {
    let (r, ca, _) = add3(!st.gpr[i.field_ra() as usize], i.field_simm() as i64 as u64, true);
    st.gpr[i.field_rd() as usize] = r;
    st.xer_ca = ca;
}

#[inline(always)]
pub fn add(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let (r, _, ov) = add3(a, b, false);
    finish(st, i, r, ov);
}

pub fn addc(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let (r, ca, ov) = add3(a, b, false);
    st.xer_ca = ca;
    finish(st, i, r, ov);
}

pub fn adde(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let (r, ca, ov) = add3(a, b, st.xer_ca);
    st.xer_ca = ca;
    finish(st, i, r, ov);
}

pub fn addme(st: &mut ThreadState, i: Ins) {
    let (r, ca, ov) = add3(st.gpr[i.field_ra() as usize], u64::MAX, st.xer_ca);
    st.xer_ca = ca;
    finish(st, i, r, ov);
}

pub fn addze(st: &mut ThreadState, i: Ins) {
    let (r, ca, ov) = add3(st.gpr[i.field_ra() as usize], 0, st.xer_ca);
    st.xer_ca = ca;
    finish(st, i, r, ov);
}

#[inline(always)]
pub fn subf(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let (r, _, ov) = add3(!a, b, true);
    finish(st, i, r, ov);
}

pub fn subfc(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let (r, ca, ov) = add3(!a, b, true);
    st.xer_ca = ca;
    finish(st, i, r, ov);
}

pub fn subfe(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let (r, ca, ov) = add3(!a, b, st.xer_ca);
    st.xer_ca = ca;
    finish(st, i, r, ov);
}

pub fn subfme(st: &mut ThreadState, i: Ins) {
    let (r, ca, ov) = add3(!st.gpr[i.field_ra() as usize], u64::MAX, st.xer_ca);
    st.xer_ca = ca;
    finish(st, i, r, ov);
}

pub fn subfze(st: &mut ThreadState, i: Ins) {
    let (r, ca, ov) = add3(!st.gpr[i.field_ra() as usize], 0, st.xer_ca);
    st.xer_ca = ca;
    finish(st, i, r, ov);
}

pub fn neg(st: &mut ThreadState, i: Ins) {
    let a = st.gpr[i.field_ra() as usize];
    finish(st, i, a.wrapping_neg(), a == 1 << 63);
}

// ---- multiply / divide ----

pub fn mulli(st: &mut ThreadState, i: Ins) {
    st.gpr[i.field_rd() as usize] = st.gpr[i.field_ra() as usize].wrapping_mul(i.field_simm() as i64 as u64);
}

pub fn mullw(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let p = (a as i32 as i64) * (b as i32 as i64);
    finish(st, i, p as u64, p != p as i32 as i64);
}

pub fn mulhw(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let p = (a as i32 as i64) * (b as i32 as i64);
    finish(st, i, (p >> 32) as u32 as u64, false);
}

pub fn mulhwu(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let p = (a as u32 as u64) * (b as u32 as u64);
    finish(st, i, p >> 32, false);
}

pub fn mulld(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let p = (a as i64 as i128) * (b as i64 as i128);
    finish(st, i, p as u64, p != p as i64 as i128);
}

pub fn mulhd(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let p = (a as i64 as i128) * (b as i64 as i128);
    finish(st, i, (p >> 64) as u64, false);
}

pub fn mulhdu(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let p = (a as u128) * (b as u128);
    finish(st, i, (p >> 64) as u64, false);
}

/// Division by zero and the one overflowing quotient give 0 and set OV
/// (the architecture leaves the result undefined).
pub fn divw(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    let (n, d) = (a as i32, b as i32);
    match n.checked_div(d) {
        Some(q) => finish(st, i, q as u32 as u64, false),
        None => finish(st, i, 0, true),
    }
}

pub fn divwu(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    match (a as u32).checked_div(b as u32) {
        Some(q) => finish(st, i, q as u64, false),
        None => finish(st, i, 0, true),
    }
}

pub fn divd(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    match (a as i64).checked_div(b as i64) {
        Some(q) => finish(st, i, q as u64, false),
        None => finish(st, i, 0, true),
    }
}

pub fn divdu(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    match a.checked_div(b) {
        Some(q) => finish(st, i, q, false),
        None => finish(st, i, 0, true),
    }
}

// ---- logical ----

#[inline(always)]
fn rs_rb(st: &ThreadState, i: Ins) -> (u64, u64) {
    (st.gpr[i.field_rs() as usize], st.gpr[i.field_rb() as usize])
}

#[inline(always)]
pub fn and(st: &mut ThreadState, i: Ins) {
    let (s, b) = rs_rb(st, i);
    finish_logical(st, i, s & b);
}
pub fn andc(st: &mut ThreadState, i: Ins) {
    let (s, b) = rs_rb(st, i);
    finish_logical(st, i, s & !b);
}
#[inline(always)]
pub fn or(st: &mut ThreadState, i: Ins) {
    let (s, b) = rs_rb(st, i);
    finish_logical(st, i, s | b);
}
pub fn orc(st: &mut ThreadState, i: Ins) {
    let (s, b) = rs_rb(st, i);
    finish_logical(st, i, s | !b);
}
#[inline(always)]
pub fn xor(st: &mut ThreadState, i: Ins) {
    let (s, b) = rs_rb(st, i);
    finish_logical(st, i, s ^ b);
}
pub fn nand(st: &mut ThreadState, i: Ins) {
    let (s, b) = rs_rb(st, i);
    finish_logical(st, i, !(s & b));
}
pub fn nor(st: &mut ThreadState, i: Ins) {
    let (s, b) = rs_rb(st, i);
    finish_logical(st, i, !(s | b));
}
pub fn eqv(st: &mut ThreadState, i: Ins) {
    let (s, b) = rs_rb(st, i);
    finish_logical(st, i, !(s ^ b));
}

/// `andi.` / `andis.` (`shift` 0 or 16): always record.
pub fn andi(st: &mut ThreadState, i: Ins, shift: u32) {
    let r = st.gpr[i.field_rs() as usize] & ((i.field_uimm() as u64) << shift);
    st.gpr[i.field_ra() as usize] = r;
    st.record(r);
}

/// `ori`/`oris` (`shift` 0 or 16).
#[inline(always)]
pub fn ori(st: &mut ThreadState, i: Ins, shift: u32) {
    st.gpr[i.field_ra() as usize] = st.gpr[i.field_rs() as usize] | ((i.field_uimm() as u64) << shift);
}

/// `xori`/`xoris` (`shift` 0 or 16).
pub fn xori(st: &mut ThreadState, i: Ins, shift: u32) {
    st.gpr[i.field_ra() as usize] = st.gpr[i.field_rs() as usize] ^ ((i.field_uimm() as u64) << shift);
}

pub fn extsb(st: &mut ThreadState, i: Ins) {
    finish_logical(st, i, st.gpr[i.field_rs() as usize] as i8 as i64 as u64);
}
pub fn extsh(st: &mut ThreadState, i: Ins) {
    finish_logical(st, i, st.gpr[i.field_rs() as usize] as i16 as i64 as u64);
}
pub fn extsw(st: &mut ThreadState, i: Ins) {
    finish_logical(st, i, st.gpr[i.field_rs() as usize] as i32 as i64 as u64);
}
pub fn cntlzw(st: &mut ThreadState, i: Ins) {
    finish_logical(st, i, (st.gpr[i.field_rs() as usize] as u32).leading_zeros() as u64);
}
pub fn cntlzd(st: &mut ThreadState, i: Ins) {
    finish_logical(st, i, st.gpr[i.field_rs() as usize].leading_zeros() as u64);
}

// ---- rotate and shift ----

/// The 64-bit mask with ones from bit `mb` through bit `me` (bit 0 is the
/// most significant), wrapping around when `mb > me`.
#[inline(always)]
pub fn mask64(mb: u32, me: u32) -> u64 {
    let begin = u64::MAX >> mb;
    let end = u64::MAX << (63 - me);
    if mb <= me {
        begin & end
    } else {
        begin | end
    }
}

/// The low word copied into both halves, so a 64-bit rotate rotates the word.
#[inline(always)]
fn dup_word(x: u64) -> u64 {
    (x & 0xFFFF_FFFF) | (x << 32)
}

#[inline(always)]
pub fn rlwinm(st: &mut ThreadState, i: Ins) {
    let r = dup_word(st.gpr[i.field_rs() as usize]).rotate_left(i.field_sh() as u32);
    finish_logical(st, i, r & mask64(i.field_mb() as u32 + 32, i.field_me() as u32 + 32));
}

pub fn rlwnm(st: &mut ThreadState, i: Ins) {
    let n = st.gpr[i.field_rb() as usize] as u32 & 31;
    let r = dup_word(st.gpr[i.field_rs() as usize]).rotate_left(n);
    finish_logical(st, i, r & mask64(i.field_mb() as u32 + 32, i.field_me() as u32 + 32));
}

pub fn rlwimi(st: &mut ThreadState, i: Ins) {
    let r = dup_word(st.gpr[i.field_rs() as usize]).rotate_left(i.field_sh() as u32);
    let m = mask64(i.field_mb() as u32 + 32, i.field_me() as u32 + 32);
    let a = st.gpr[i.field_ra() as usize];
    finish_logical(st, i, (r & m) | (a & !m));
}

pub fn rldicl(st: &mut ThreadState, i: Ins) {
    let r = st.gpr[i.field_rs() as usize].rotate_left(i.field_sh64() as u32);
    finish_logical(st, i, r & mask64(i.field_mb64() as u32, 63));
}

pub fn rldicr(st: &mut ThreadState, i: Ins) {
    let r = st.gpr[i.field_rs() as usize].rotate_left(i.field_sh64() as u32);
    finish_logical(st, i, r & mask64(0, i.field_me64() as u32));
}

pub fn rldic(st: &mut ThreadState, i: Ins) {
    let sh = i.field_sh64() as u32;
    let r = st.gpr[i.field_rs() as usize].rotate_left(sh);
    finish_logical(st, i, r & mask64(i.field_mb64() as u32, 63 - sh));
}

pub fn rldimi(st: &mut ThreadState, i: Ins) {
    let sh = i.field_sh64() as u32;
    let r = st.gpr[i.field_rs() as usize].rotate_left(sh);
    let m = mask64(i.field_mb64() as u32, 63 - sh);
    let a = st.gpr[i.field_ra() as usize];
    finish_logical(st, i, (r & m) | (a & !m));
}

pub fn rldcl(st: &mut ThreadState, i: Ins) {
    let n = st.gpr[i.field_rb() as usize] as u32 & 63;
    let r = st.gpr[i.field_rs() as usize].rotate_left(n);
    finish_logical(st, i, r & mask64(i.field_mb64() as u32, 63));
}

pub fn rldcr(st: &mut ThreadState, i: Ins) {
    let n = st.gpr[i.field_rb() as usize] as u32 & 63;
    let r = st.gpr[i.field_rs() as usize].rotate_left(n);
    finish_logical(st, i, r & mask64(0, i.field_me64() as u32));
}

pub fn slw(st: &mut ThreadState, i: Ins) {
    let (s, b) = rs_rb(st, i);
    let n = b & 0x3F;
    let r = if n >= 32 { 0 } else { ((s as u32) << n) as u64 };
    finish_logical(st, i, r);
}

pub fn srw(st: &mut ThreadState, i: Ins) {
    let (s, b) = rs_rb(st, i);
    let n = b & 0x3F;
    let r = if n >= 32 { 0 } else { ((s as u32) >> n) as u64 };
    finish_logical(st, i, r);
}

fn sraw_by(st: &mut ThreadState, i: Ins, n: u32) {
    let s = st.gpr[i.field_rs() as usize] as u32 as i32;
    let (r, lost) =
        if n >= 32 { ((s >> 31) as i64, s != 0) } else { ((s >> n) as i64, n != 0 && (s as u32) << (32 - n) != 0) };
    st.xer_ca = s < 0 && lost;
    finish_logical(st, i, r as u64);
}

pub fn sraw(st: &mut ThreadState, i: Ins) {
    let n = (st.gpr[i.field_rb() as usize] & 0x3F) as u32;
    sraw_by(st, i, n);
}

pub fn srawi(st: &mut ThreadState, i: Ins) {
    sraw_by(st, i, i.field_sh() as u32);
}

pub fn sld(st: &mut ThreadState, i: Ins) {
    let (s, b) = rs_rb(st, i);
    let n = b & 0x7F;
    finish_logical(st, i, if n >= 64 { 0 } else { s << n });
}

pub fn srd(st: &mut ThreadState, i: Ins) {
    let (s, b) = rs_rb(st, i);
    let n = b & 0x7F;
    finish_logical(st, i, if n >= 64 { 0 } else { s >> n });
}

fn srad_by(st: &mut ThreadState, i: Ins, n: u32) {
    let s = st.gpr[i.field_rs() as usize] as i64;
    let (r, lost) = if n >= 64 { (s >> 63, s != 0) } else { (s >> n, n != 0 && (s as u64) << (64 - n) != 0) };
    st.xer_ca = s < 0 && lost;
    finish_logical(st, i, r as u64);
}

pub fn srad(st: &mut ThreadState, i: Ins) {
    let n = (st.gpr[i.field_rb() as usize] & 0x7F) as u32;
    srad_by(st, i, n);
}

pub fn sradi(st: &mut ThreadState, i: Ins) {
    srad_by(st, i, i.field_sh64() as u32);
}

// ---- compare ----

#[inline(always)]
fn compare_result<T: Ord>(a: T, b: T) -> u32 {
    match a.cmp(&b) {
        std::cmp::Ordering::Less => CR_LT,
        std::cmp::Ordering::Greater => CR_GT,
        std::cmp::Ordering::Equal => CR_EQ,
    }
}

#[inline(always)]
fn signed_compare(st: &mut ThreadState, i: Ins, a: u64, b: u64) {
    let bits = if i.field_l() == 1 { compare_result(a as i64, b as i64) } else { compare_result(a as i32, b as i32) };
    st.set_cr_field(i.field_crfd() as u32, bits | st.xer_so as u32);
}

#[inline(always)]
fn unsigned_compare(st: &mut ThreadState, i: Ins, a: u64, b: u64) {
    let bits = if i.field_l() == 1 { compare_result(a, b) } else { compare_result(a as u32, b as u32) };
    st.set_cr_field(i.field_crfd() as u32, bits | st.xer_so as u32);
}

#[inline(always)]
pub fn cmp(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    signed_compare(st, i, a, b);
}

#[inline(always)]
pub fn cmpi(st: &mut ThreadState, i: Ins) {
    signed_compare(st, i, st.gpr[i.field_ra() as usize], i.field_simm() as i64 as u64);
}

pub fn cmpl(st: &mut ThreadState, i: Ins) {
    let (a, b) = regs(st, i);
    unsigned_compare(st, i, a, b);
}

#[inline(always)]
pub fn cmpli(st: &mut ThreadState, i: Ins) {
    unsigned_compare(st, i, st.gpr[i.field_ra() as usize], i.field_uimm() as u64);
}

#[cfg(test)]
mod tests {
    use super::super::testing::run_with;
    use super::*;

    // Words assembled with powerpc-linux-gnu-as -a64 -mppc64.
    const ADDCO_DOT_R3_R4_R5: u32 = 0x7C64_2C15; // addco. r3,r4,r5
    const ADDE_R3_R4_R5: u32 = 0x7C64_2914;
    const SUBFC_R3_R4_R5: u32 = 0x7C64_2810;
    const SRAWI_R3_R4_1: u32 = 0x7C83_0E70;
    const RLWINM_R3_R4_8_24_7: u32 = 0x5483_460E; // wraps: mb 24 > me 7
    const RLDICL_R3_R4_8_0: u32 = 0x7883_4000; // rotldi r3,r4,8
    const CMPW_CR1_R4_R5: u32 = 0x7C84_2800;
    const CMPLD_R4_R5: u32 = 0x7C24_2840;
    const MULLWO_R3_R4_R5: u32 = 0x7C64_2DD6;
    const DIVWU_R3_R4_R5: u32 = 0x7C64_2B96;
    const NEGO_R3_R4: u32 = 0x7C64_04D0;

    #[test]
    fn addco_record_sets_carry_overflow_and_cr0_at_the_signed_boundary() {
        let s = run_with(&[ADDCO_DOT_R3_R4_R5], &[(4, i64::MAX as u64), (5, 1)]);
        assert_eq!(s.gpr[3], 1 << 63);
        assert!(!s.xer_ca && s.xer_ov && s.xer_so);
        assert_eq!(s.cr_field(0), CR_LT | 1);
    }

    #[test]
    fn adde_carries_in_and_out_of_bit_zero() {
        let mut rig = super::super::testing::Rig::new();
        rig.st().gpr[4] = u64::MAX;
        rig.st().xer_ca = true;
        rig.run(&[ADDE_R3_R4_R5]).unwrap();
        assert_eq!(rig.st().gpr[3], 0);
        assert!(rig.st().xer_ca);
    }

    #[test]
    fn subfc_sets_carry_when_no_borrow() {
        let s = run_with(&[SUBFC_R3_R4_R5], &[(4, 3), (5, 5)]);
        assert_eq!(s.gpr[3], 2);
        assert!(s.xer_ca);
        let s = run_with(&[SUBFC_R3_R4_R5], &[(4, 5), (5, 3)]);
        assert_eq!(s.gpr[3], (-2i64) as u64);
        assert!(!s.xer_ca);
    }

    #[test]
    fn srawi_sets_carry_only_when_negative_and_ones_shifted_out() {
        let s = run_with(&[SRAWI_R3_R4_1], &[(4, 0xFFFF_FFFF)]);
        assert_eq!(s.gpr[3], u64::MAX);
        assert!(s.xer_ca);
        let s = run_with(&[SRAWI_R3_R4_1], &[(4, 0x8000_0000_0000_0003)]);
        assert_eq!(s.gpr[3], 1);
        assert!(!s.xer_ca);
    }

    #[test]
    fn rlwinm_with_wrapping_mask_keeps_the_duplicated_high_word() {
        let s = run_with(&[RLWINM_R3_R4_8_24_7], &[(4, 0x1234_5678)]);
        // rotated word 0x34567812 in both halves, mask 0xFFFFFFFF_FF0000FF
        assert_eq!(s.gpr[3], 0x3456_7812_3400_0012);
    }

    #[test]
    fn rotldi_rotates_all_64_bits() {
        let s = run_with(&[RLDICL_R3_R4_8_0], &[(4, 0x1122_3344_5566_7788)]);
        assert_eq!(s.gpr[3], 0x2233_4455_6677_8811);
    }

    #[test]
    fn cmpw_compares_low_words_signed_and_cmpld_all_bits_unsigned() {
        let s = run_with(&[CMPW_CR1_R4_R5], &[(4, 0x1_FFFF_FFFF), (5, 0)]);
        assert_eq!(s.cr_field(1), CR_LT);
        let s = run_with(&[CMPLD_R4_R5], &[(4, 0x1_0000_0000), (5, 0xFFFF_FFFF)]);
        assert_eq!(s.cr_field(0), CR_GT);
    }

    #[test]
    fn mullwo_flags_overflow_of_the_32_bit_product() {
        let s = run_with(&[MULLWO_R3_R4_R5], &[(4, 0x10000), (5, 0x10000)]);
        assert_eq!(s.gpr[3], 0x1_0000_0000);
        assert!(s.xer_ov);
    }

    #[test]
    fn divwu_by_zero_gives_zero_without_a_host_panic() {
        let s = run_with(&[DIVWU_R3_R4_R5], &[(4, 7), (5, 0), (3, 99)]);
        assert_eq!(s.gpr[3], 0);
    }

    #[test]
    fn nego_of_the_minimum_overflows() {
        let s = run_with(&[NEGO_R3_R4], &[(4, 1 << 63)]);
        assert_eq!(s.gpr[3], 1 << 63);
        assert!(s.xer_ov);
    }

    #[test]
    fn mask64_wraps_when_begin_exceeds_end() {
        assert_eq!(mask64(0, 63), u64::MAX);
        assert_eq!(mask64(32, 63), 0xFFFF_FFFF);
        assert_eq!(mask64(63, 0), 0x8000_0000_0000_0001);
    }
}
