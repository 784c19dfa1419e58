//! Branches and condition-register logical instructions.
//!
//! `st.pc` already points past the branch when these run, so it is both the
//! fall-through address and the value the link forms put in LR.

use super::decode::Ins;
use super::state::ThreadState;

/// Evaluates BO/BI, decrementing CTR when BO says so (64-bit CTR).
#[inline(always)]
fn condition(st: &mut ThreadState, i: Ins, may_use_ctr: bool) -> bool {
    let bo = i.field_bo();
    let ctr_ok = if bo & 0x04 == 0 && may_use_ctr {
        st.ctr = st.ctr.wrapping_sub(1);
        (st.ctr != 0) != (bo & 0x02 != 0)
    } else {
        true
    };
    let cond_ok = bo & 0x10 != 0 || st.cr_bit(i.field_bi() as u32) == (bo & 0x08 != 0);
    ctr_ok && cond_ok
}

#[inline(always)]
fn link(st: &mut ThreadState, i: Ins) {
    if i.field_lk() {
        st.lr = st.pc as u64;
    }
}

/// `b`, `ba`, `bl`, `bla`.
#[inline(always)]
pub fn b(st: &mut ThreadState, i: Ins) {
    let here = st.pc.wrapping_sub(4);
    let target = if i.field_aa() { i.field_li() as u32 } else { here.wrapping_add(i.field_li() as u32) };
    link(st, i);
    st.pc = target;
}

/// `bc` and its link/absolute forms.
#[inline(always)]
pub fn bc(st: &mut ThreadState, i: Ins) {
    let here = st.pc.wrapping_sub(4);
    let taken = condition(st, i, true);
    link(st, i);
    if taken {
        let offset = i.field_bd() as i32 as u32;
        st.pc = if i.field_aa() { offset } else { here.wrapping_add(offset) };
    }
}

/// `bclr[l]`: the target is read before LR is updated.
#[inline(always)]
pub fn bclr(st: &mut ThreadState, i: Ins) {
    let taken = condition(st, i, true);
    let target = (st.lr as u32) & !3;
    link(st, i);
    if taken {
        st.pc = target;
    }
}

/// `bcctr[l]`: CTR is never decremented (BO[2] = 0 is an invalid form).
#[inline(always)]
pub fn bcctr(st: &mut ThreadState, i: Ins) {
    let taken = condition(st, i, false);
    let target = (st.ctr as u32) & !3;
    link(st, i);
    if taken {
        st.pc = target;
    }
}

/// The eight CR logical instructions: `op(a, b)` on bits crbA, crbB into crbD.
#[inline(always)]
pub fn cr_logical(st: &mut ThreadState, i: Ins, op: fn(bool, bool) -> bool) {
    let a = st.cr_bit(i.field_crba() as u32);
    let b = st.cr_bit(i.field_crbb() as u32);
    st.set_cr_bit(i.field_crbd() as u32, op(a, b));
}

pub fn mcrf(st: &mut ThreadState, i: Ins) {
    let field = st.cr_field(i.field_crfs() as u32);
    st.set_cr_field(i.field_crfd() as u32, field);
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run_with, Rig, CODE};

    #[test]
    fn bdnz_loops_until_ctr_reaches_zero() {
        // li r3,0 ; mtctr r4 ; loop: addi r3,r3,1 ; bdnz loop
        let s = run_with(&[0x3860_0000, 0x7C89_03A6, 0x3863_0001, 0x4200_FFFC], &[(4, 5)]);
        assert_eq!(s.gpr[3], 5);
        assert_eq!(s.ctr, 0);
    }

    #[test]
    fn bl_links_past_itself_and_blr_returns() {
        // bl +8 ; b +12 ; li r3,7 ; blr ; (mtlr restores) ...
        // bl sub; mtlr r31; (blr appended)  sub: li r3,7; blr
        let mut rig = Rig::new();
        rig.st().gpr[31] = super::super::testing::RETURN as u64;
        // 0: bl 12 -> sub at CODE+12 ; 4: mtlr r31 ; 8: blr ; 12: li r3,7 ; 16: blr
        rig.run(&[0x4800_000D, 0x7FE8_03A6, 0x4E80_0020, 0x3860_0007]).unwrap();
        assert_eq!(rig.st().gpr[3], 7);
        assert_eq!(rig.st().lr, super::super::testing::RETURN as u64);
        let _ = CODE;
    }

    #[test]
    fn beq_is_not_taken_when_cr0_eq_is_clear() {
        // cmpwi r4,0 ; beq +8 ; li r3,1 ; (blr)
        let s = run_with(&[0x2C04_0000, 0x4182_0008, 0x3860_0001], &[(4, 1)]);
        assert_eq!(s.gpr[3], 1);
        let s = run_with(&[0x2C04_0000, 0x4182_0008, 0x3860_0001], &[(4, 0)]);
        assert_eq!(s.gpr[3], 0);
    }

    #[test]
    fn crxor_clears_a_bit_with_itself() {
        // crset 6 ; crxor 6,6,6 ; mfcr r3  (crset = creqv 6,6,6)
        let s = run_with(&[0x4CC6_3242, 0x7C60_0026], &[]);
        assert_eq!(s.gpr[3], 0x0200_0000);
        let s = run_with(&[0x4CC6_3242, 0x4CC6_3182, 0x7C60_0026], &[]);
        assert_eq!(s.gpr[3], 0);
    }
}
