//! The floating-point unit: arithmetic with FPSCR flags and rounding modes,
//! conversions, compares, selects, moves and FPSCR access.
//!
//! Each arithmetic result is computed as a host double plus the sign of the
//! rounding error (from an error-free transform), which gives inexact, FR and
//! the directed rounding modes without touching the host's rounding mode.
//! Single-precision forms round that result once more to single, resolving
//! ties with the first error so there is no double-rounding error.

use super::decode::Ins;
use super::load_store::single_to_double;
use super::state::ThreadState;

// FPSCR bits (bit 0 is the most significant).
const fn bit(n: u32) -> u32 {
    1 << (31 - n)
}
pub const FX: u32 = bit(0);
pub const FEX: u32 = bit(1);
pub const VX: u32 = bit(2);
pub const OX: u32 = bit(3);
pub const UX: u32 = bit(4);
pub const ZX: u32 = bit(5);
pub const XX: u32 = bit(6);
pub const VXSNAN: u32 = bit(7);
pub const VXISI: u32 = bit(8);
pub const VXIDI: u32 = bit(9);
pub const VXZDZ: u32 = bit(10);
pub const VXIMZ: u32 = bit(11);
pub const VXVC: u32 = bit(12);
pub const FR: u32 = bit(13);
pub const FI: u32 = bit(14);
pub const FPRF_SHIFT: u32 = 12;
pub const FPRF: u32 = 0x1F << FPRF_SHIFT;
pub const VXSOFT: u32 = bit(21);
pub const VXSQRT: u32 = bit(22);
pub const VXCVI: u32 = bit(23);
pub const VE: u32 = bit(24);
pub const OE: u32 = bit(25);
pub const UE: u32 = bit(26);
pub const ZE: u32 = bit(27);
pub const XE: u32 = bit(28);
pub const NI: u32 = bit(29);

const VX_ALL: u32 = VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI;
/// Sticky exception bits whose 0→1 transition sets FX.
const EXCEPTIONS: u32 = OX | UX | ZX | XX | VX_ALL;

const QNAN: u64 = 0x7FF8_0000_0000_0000;

/// FPRF codes (C, FL, FG, FE, FU).
const CLASS_QNAN: u32 = 0x11;
const CLASS_NEG_INF: u32 = 0x09;
const CLASS_NEG_NORMAL: u32 = 0x08;
const CLASS_NEG_DENORMAL: u32 = 0x18;
const CLASS_NEG_ZERO: u32 = 0x12;
const CLASS_POS_ZERO: u32 = 0x02;
const CLASS_POS_DENORMAL: u32 = 0x14;
const CLASS_POS_NORMAL: u32 = 0x04;
const CLASS_POS_INF: u32 = 0x05;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rounding {
    Nearest,
    Zero,
    Up,
    Down,
}

fn rounding(fpscr: u32) -> Rounding {
    match fpscr & 3 {
        0 => Rounding::Nearest,
        1 => Rounding::Zero,
        2 => Rounding::Up,
        _ => Rounding::Down,
    }
}

fn is_snan(bits: u64) -> bool {
    bits & 0x7FF8_0000_0000_0000 == 0x7FF0_0000_0000_0000 && bits & 0x000F_FFFF_FFFF_FFFF != 0
}

fn is_nan(bits: u64) -> bool {
    f64::from_bits(bits).is_nan()
}

fn quiet(bits: u64) -> u64 {
    bits | 0x0008_0000_0000_0000
}

/// Sets exception bits, keeping FX, VX and FEX consistent.
fn raise(st: &mut ThreadState, bits: u32) {
    let new = bits & !st.fpscr & EXCEPTIONS;
    st.fpscr |= bits;
    if new != 0 {
        st.fpscr |= FX;
    }
    update_summaries(st);
}

fn update_summaries(st: &mut ThreadState) {
    let f = st.fpscr;
    let vx = f & VX_ALL != 0;
    let enabled = (vx && f & VE != 0)
        || (f & OX != 0 && f & OE != 0)
        || (f & UX != 0 && f & UE != 0)
        || (f & ZX != 0 && f & ZE != 0)
        || (f & XX != 0 && f & XE != 0);
    st.fpscr = (f & !(VX | FEX)) | if vx { VX } else { 0 } | if enabled { FEX } else { 0 };
}

fn class_of(bits: u64) -> u32 {
    let v = f64::from_bits(bits);
    let neg = v.is_sign_negative();
    if v.is_nan() {
        CLASS_QNAN
    } else if v.is_infinite() {
        if neg {
            CLASS_NEG_INF
        } else {
            CLASS_POS_INF
        }
    } else if v == 0.0 {
        if neg {
            CLASS_NEG_ZERO
        } else {
            CLASS_POS_ZERO
        }
    } else if v.is_subnormal() {
        if neg {
            CLASS_NEG_DENORMAL
        } else {
            CLASS_POS_DENORMAL
        }
    } else if neg {
        CLASS_NEG_NORMAL
    } else {
        CLASS_POS_NORMAL
    }
}

fn class_of_single(bits: u64) -> u32 {
    let v = f64::from_bits(bits);
    if v != 0.0 && v.is_finite() && (v as f32).is_subnormal() {
        if v < 0.0 {
            CLASS_NEG_DENORMAL
        } else {
            CLASS_POS_DENORMAL
        }
    } else {
        class_of(bits)
    }
}

fn set_fprf(st: &mut ThreadState, class: u32) {
    st.fpscr = (st.fpscr & !FPRF) | (class << FPRF_SHIFT);
}

/// CR1 from FPSCR FX, FEX, VX, OX (the `.` forms).
fn record(st: &mut ThreadState, i: Ins) {
    if i.field_rc() {
        st.set_cr_field(1, st.fpscr >> 28);
    }
}

fn next_up(x: f64) -> f64 {
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x == 0.0 {
        return f64::from_bits(1);
    }
    let b = x.to_bits();
    f64::from_bits(if x > 0.0 { b + 1 } else { b - 1 })
}

fn next_down(x: f64) -> f64 {
    -next_up(-x)
}

fn next_up_f32(x: f32) -> f32 {
    if x.is_nan() || x == f32::INFINITY {
        return x;
    }
    if x == 0.0 {
        return f32::from_bits(1);
    }
    let b = x.to_bits();
    f32::from_bits(if x > 0.0 { b + 1 } else { b - 1 })
}

fn next_down_f32(x: f32) -> f32 {
    -next_up_f32(-x)
}

/// A rounded-to-nearest result and the sign of `exact - value`.
#[derive(Clone, Copy)]
struct Approx {
    value: f64,
    err: f64,
}

fn two_sum(a: f64, b: f64) -> Approx {
    let s = a + b;
    let bb = s - a;
    let err = (a - (s - bb)) + (b - bb);
    Approx { value: s, err }
}

/// Results below this may have an error term that itself underflows, so
/// their error sign is recomputed on scaled operands.
const TINY: f64 = 1.0e-290;
const SCALE: f64 = 1.0e300;

/// An error of the given sign, smaller than any rounding step that matters.
fn tiny_err(sign: f64) -> f64 {
    if sign > 0.0 {
        f64::from_bits(1)
    } else if sign < 0.0 {
        -f64::from_bits(1)
    } else {
        0.0
    }
}

fn product(a: f64, b: f64) -> Approx {
    let p = a * b;
    if p.abs() < TINY && a != 0.0 && b != 0.0 && a.is_finite() && b.is_finite() {
        let sa = a * SCALE;
        let sp = sa * b;
        let e = sa.mul_add(b, -sp) + (sp - p * SCALE);
        return Approx { value: p, err: tiny_err(e) };
    }
    Approx { value: p, err: a.mul_add(b, -p) }
}

fn quotient(a: f64, b: f64) -> Approx {
    let q = a / b;
    if q.abs() < TINY && a != 0.0 && a.is_finite() && b.is_finite() && b != 0.0 {
        let sa = a * SCALE;
        let sq = sa / b;
        let r = (-sq).mul_add(b, sa);
        let e = (if b < 0.0 { -r } else { r }) / b.abs() + (sq - q * SCALE);
        return Approx { value: q, err: tiny_err(e) };
    }
    // a - q*b has the sign of (a/b - q) times the sign of b.
    let r = (-q).mul_add(b, a);
    Approx { value: q, err: if b < 0.0 { -r } else { r } }
}

fn square_root(a: f64) -> Approx {
    let r = a.sqrt();
    Approx { value: r, err: (-r).mul_add(r, a) }
}

fn fused(a: f64, c: f64, b: f64) -> Approx {
    let r = a.mul_add(c, b);
    let p = product(a, c);
    let s = two_sum(p.value, b);
    Approx { value: r, err: ((s.value - r) + s.err) + p.err }
}

/// Applies the rounding mode to a nearest-rounded double result and raises
/// XX/FI/FR/OX/UX. Returns the final bits.
fn round_double(st: &mut ThreadState, a: Approx, inputs_finite: bool) -> u64 {
    let mode = rounding(st.fpscr);
    let mut v = a.value;
    let mut flags = 0;
    let mut fr = false;
    if v.is_infinite() && inputs_finite {
        // Overflow.
        flags |= OX | XX | FI;
        let positive = v > 0.0;
        v = match (mode, positive) {
            (Rounding::Nearest, _) | (Rounding::Up, true) | (Rounding::Down, false) => v,
            _ => {
                if positive {
                    f64::MAX
                } else {
                    -f64::MAX
                }
            }
        };
        fr = v.is_infinite();
    } else if v.is_finite() && a.err != 0.0 && !a.err.is_nan() {
        flags |= XX | FI;
        v = match mode {
            Rounding::Nearest => v,
            Rounding::Zero => {
                if (v > 0.0 && a.err < 0.0) || (v < 0.0 && a.err > 0.0) {
                    if v > 0.0 {
                        next_down(v)
                    } else {
                        next_up(v)
                    }
                } else {
                    v
                }
            }
            Rounding::Up => {
                if a.err > 0.0 {
                    next_up(v)
                } else {
                    v
                }
            }
            Rounding::Down => {
                if a.err < 0.0 {
                    next_down(v)
                } else {
                    v
                }
            }
        };
        // Rounded away from zero when the result grew in magnitude.
        let exact_side = if v == a.value { a.err } else { a.err - (v - a.value) };
        fr = (v > 0.0 && exact_side < 0.0) || (v < 0.0 && exact_side > 0.0);
        if v == 0.0 || v.is_subnormal() || (v.abs() == f64::MIN_POSITIVE && a.value.abs() < f64::MIN_POSITIVE) {
            flags |= UX;
        }
        if v.is_infinite() {
            flags |= OX;
        }
    }
    st.fpscr &= !(FR | FI);
    if flags & FI != 0 {
        st.fpscr |= FI;
    }
    if fr {
        st.fpscr |= FR;
    }
    raise(st, flags & !FI);
    v.to_bits()
}

/// As [`round_double`], then to single precision.
fn round_single(st: &mut ThreadState, a: Approx, inputs_finite: bool) -> u64 {
    let mode = rounding(st.fpscr);
    let d = a.value;
    if !d.is_finite() {
        return round_double(st, a, inputs_finite);
    }
    let mut s = d as f32;
    let mut err = d - s as f64;
    if err == 0.0 {
        err = a.err;
    } else if mode == Rounding::Nearest && a.err != 0.0 {
        // A tie at single precision is decided by the first error.
        let other = if err > 0.0 { next_up_f32(s) } else { next_down_f32(s) };
        if other.is_finite() && (other as f64 - d) == err {
            let goes_up = a.err > 0.0;
            if (other as f64 > s as f64) == goes_up {
                s = other;
                err = d - s as f64;
            }
        }
    }
    let mut flags = 0;
    let mut fr = false;
    if s.is_infinite() {
        flags |= OX | XX | FI;
        let positive = s > 0.0;
        if !matches!((mode, positive), (Rounding::Nearest, _) | (Rounding::Up, true) | (Rounding::Down, false)) {
            s = if positive { f32::MAX } else { -f32::MAX };
        }
        fr = s.is_infinite();
    } else if err != 0.0 && !err.is_nan() {
        flags |= XX | FI;
        let before = s;
        s = match mode {
            Rounding::Nearest => s,
            Rounding::Zero => {
                if (s > 0.0 && err < 0.0) || (s < 0.0 && err > 0.0) {
                    if s > 0.0 {
                        next_down_f32(s)
                    } else {
                        next_up_f32(s)
                    }
                } else {
                    s
                }
            }
            Rounding::Up => {
                if err > 0.0 {
                    next_up_f32(s)
                } else {
                    s
                }
            }
            Rounding::Down => {
                if err < 0.0 {
                    next_down_f32(s)
                } else {
                    s
                }
            }
        };
        let exact_side = if s == before { err } else { err - (s as f64 - before as f64) };
        fr = (s > 0.0 && exact_side < 0.0) || (s < 0.0 && exact_side > 0.0);
        if s == 0.0 || s.is_subnormal() {
            flags |= UX;
        }
        if s.is_infinite() {
            flags |= OX;
        }
    }
    st.fpscr &= !(FR | FI);
    if flags & FI != 0 {
        st.fpscr |= FI;
    }
    if fr {
        st.fpscr |= FR;
    }
    raise(st, flags & !FI);
    (s as f64).to_bits()
}

/// The arithmetic operations, for NaN and invalid-operation handling.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Sqrt,
    /// `a * c + b`, negated and/or with `b` subtracted per the flags.
    MulAdd {
        subtract: bool,
        negate: bool,
    },
}

/// Runs one arithmetic instruction: `frD = op(frA, frB, frC)`.
pub fn arith(st: &mut ThreadState, i: Ins, op: Arith, single: bool) {
    let a_bits = st.fpr[i.field_fra() as usize];
    let b_bits = st.fpr[i.field_frb() as usize];
    let c_bits = st.fpr[i.field_frc() as usize];
    let (a, b, c) = (f64::from_bits(a_bits), f64::from_bits(b_bits), f64::from_bits(c_bits));
    // Operands each form reads, in NaN-priority order.
    let operands: &[u64] = match op {
        Arith::Add | Arith::Sub | Arith::Div => &[a_bits, b_bits],
        Arith::Mul => &[a_bits, c_bits],
        Arith::Sqrt => &[b_bits],
        Arith::MulAdd { .. } => &[a_bits, b_bits, c_bits],
    };
    let mut invalid = 0;
    if operands.iter().any(|x| is_snan(*x)) {
        invalid |= VXSNAN;
    }
    let result = if let Some(nan) = operands.iter().find(|x| is_nan(**x)) {
        raise(st, invalid);
        st.fpscr &= !(FR | FI);
        let r = quiet(*nan);
        // fnmadd/fnmsub negate NaN results too? No: NaNs pass through unnegated.
        if single {
            single_to_double(super::load_store::double_to_single(r))
        } else {
            r
        }
    } else {
        let finite = operands.iter().all(|x| f64::from_bits(*x).is_finite());
        let approx = match op {
            Arith::Add => {
                if a.is_infinite() && b.is_infinite() && a.signum() != b.signum() {
                    invalid |= VXISI;
                }
                two_sum(a, b)
            }
            Arith::Sub => {
                if a.is_infinite() && b.is_infinite() && a.signum() == b.signum() {
                    invalid |= VXISI;
                }
                two_sum(a, -b)
            }
            Arith::Mul => {
                if (a.is_infinite() && c == 0.0) || (a == 0.0 && c.is_infinite()) {
                    invalid |= VXIMZ;
                }
                product(a, c)
            }
            Arith::Div => {
                if a.is_infinite() && b.is_infinite() {
                    invalid |= VXIDI;
                } else if a == 0.0 && b == 0.0 {
                    invalid |= VXZDZ;
                } else if b == 0.0 && a.is_finite() {
                    raise(st, ZX);
                    st.fpscr &= !(FR | FI);
                }
                quotient(a, b)
            }
            Arith::Sqrt => {
                if b < 0.0 {
                    invalid |= VXSQRT;
                }
                square_root(b)
            }
            Arith::MulAdd { subtract, .. } => {
                let addend = if subtract { -b } else { b };
                if (a.is_infinite() && c == 0.0) || (a == 0.0 && c.is_infinite()) {
                    invalid |= VXIMZ;
                } else if (a * c).is_infinite() && addend.is_infinite() && (a * c).signum() != addend.signum() {
                    invalid |= VXISI;
                }
                fused(a, c, addend)
            }
        };
        if invalid != 0 {
            raise(st, invalid);
            st.fpscr &= !(FR | FI);
            QNAN
        } else {
            let finite = finite && !(op == Arith::Div && b == 0.0);
            let mut approx = approx;
            if approx.value == 0.0 && approx.err == 0.0 && rounding(st.fpscr) == Rounding::Down {
                // An exact zero sum of opposite-signed terms is -0 when rounding down.
                let terms_cancel = match op {
                    Arith::Add => !(a == 0.0 && b == 0.0),
                    Arith::Sub => !(a == 0.0 && b == 0.0),
                    Arith::MulAdd { .. } => !((a == 0.0 || c == 0.0) && b == 0.0),
                    _ => false,
                };
                if terms_cancel {
                    approx.value = -0.0;
                }
            }
            let bits = if single { round_single(st, approx, finite) } else { round_double(st, approx, finite) };
            match op {
                Arith::MulAdd { negate: true, .. } => bits ^ (1 << 63),
                _ => bits,
            }
        }
    };
    st.fpr[i.field_frd() as usize] = result;
    set_fprf(st, if single { class_of_single(result) } else { class_of(result) });
    record(st, i);
}

/// `frsp`: round to single with the current rounding mode.
pub fn frsp(st: &mut ThreadState, i: Ins) {
    let b = st.fpr[i.field_frb() as usize];
    let result = if is_nan(b) {
        if is_snan(b) {
            raise(st, VXSNAN);
        }
        st.fpscr &= !(FR | FI);
        single_to_double(super::load_store::double_to_single(quiet(b)))
    } else {
        let finite = f64::from_bits(b).is_finite();
        round_single(st, Approx { value: f64::from_bits(b), err: 0.0 }, finite)
    };
    st.fpr[i.field_frd() as usize] = result;
    set_fprf(st, class_of_single(result));
    record(st, i);
}

/// `fres`: single-precision reciprocal (computed exactly, then rounded).
pub fn fres(st: &mut ThreadState, i: Ins) {
    let b = f64::from_bits(st.fpr[i.field_frb() as usize]);
    let result = if b.is_nan() {
        if is_snan(b.to_bits()) {
            raise(st, VXSNAN);
        }
        single_to_double(super::load_store::double_to_single(quiet(b.to_bits())))
    } else {
        if b == 0.0 {
            raise(st, ZX);
        }
        ((1.0 / b) as f32 as f64).to_bits()
    };
    st.fpr[i.field_frd() as usize] = result;
    set_fprf(st, class_of_single(result));
    record(st, i);
}

/// `frsqrte`: reciprocal square root estimate (computed exactly).
pub fn frsqrte(st: &mut ThreadState, i: Ins) {
    let b = f64::from_bits(st.fpr[i.field_frb() as usize]);
    let result = if b.is_nan() {
        if is_snan(b.to_bits()) {
            raise(st, VXSNAN);
        }
        quiet(b.to_bits())
    } else if b < 0.0 {
        raise(st, VXSQRT);
        QNAN
    } else {
        if b == 0.0 {
            raise(st, ZX);
        }
        (1.0 / b.sqrt()).to_bits()
    };
    st.fpr[i.field_frd() as usize] = result;
    set_fprf(st, class_of(result));
    record(st, i);
}

/// `fsel`: frC if frA ≥ 0 (either zero counts), else frB; NaN picks frB.
pub fn fsel(st: &mut ThreadState, i: Ins) {
    let a = f64::from_bits(st.fpr[i.field_fra() as usize]);
    let pick = if a >= 0.0 { i.field_frc() } else { i.field_frb() };
    st.fpr[i.field_frd() as usize] = st.fpr[pick as usize];
    record(st, i);
}

/// `fmr`, `fneg`, `fabs`, `fnabs`: bit operations on the sign, no flags.
pub fn sign_op(st: &mut ThreadState, i: Ins, op: fn(u64) -> u64) {
    st.fpr[i.field_frd() as usize] = op(st.fpr[i.field_frb() as usize]);
    record(st, i);
}

/// `fctiw[z]` (`word`) and `fctid[z]`; `toward_zero` for the `z` forms.
pub fn convert_to_integer(st: &mut ThreadState, i: Ins, word: bool, toward_zero: bool) {
    let bits = st.fpr[i.field_frb() as usize];
    let b = f64::from_bits(bits);
    let (min, max) = if word { (i32::MIN as f64, i32::MAX as f64) } else { (i64::MIN as f64, i64::MAX as f64) };
    let result = if b.is_nan() {
        raise(st, VXCVI | if is_snan(bits) { VXSNAN } else { 0 });
        st.fpscr &= !(FR | FI);
        if word {
            0x8000_0000
        } else {
            1 << 63
        }
    } else {
        let mode = if toward_zero { Rounding::Zero } else { rounding(st.fpscr) };
        let r = match mode {
            Rounding::Nearest => b.round_ties_even(),
            Rounding::Zero => b.trunc(),
            Rounding::Up => b.ceil(),
            Rounding::Down => b.floor(),
        };
        if r < min || r > max || (!word && r >= 9_223_372_036_854_775_808.0) {
            raise(st, VXCVI);
            st.fpscr &= !(FR | FI);
            match (word, r > 0.0) {
                (true, true) => 0x7FFF_FFFF,
                (true, false) => 0xFFFF_FFFF_8000_0000,
                (false, true) => i64::MAX as u64,
                (false, false) => 1 << 63,
            }
        } else {
            st.fpscr &= !(FR | FI);
            if r != b {
                st.fpscr |= FI;
                if r.abs() > b.abs() {
                    st.fpscr |= FR;
                }
                raise(st, XX);
            }
            if word {
                r as i32 as i64 as u64
            } else {
                r as i64 as u64
            }
        }
    };
    st.fpr[i.field_frd() as usize] = result;
    record(st, i);
}

/// `fcfid`: signed doubleword to double, rounded per FPSCR.
pub fn fcfid(st: &mut ThreadState, i: Ins) {
    let n = st.fpr[i.field_frb() as usize] as i64;
    let v = n as f64;
    let err = if v.is_finite() && v.abs() < 9.3e18 {
        // The difference between the integer and its rounding, exactly.
        (n as i128 - v as i128) as f64
    } else {
        (n as i128 - i64::MIN as i128) as f64
    };
    let bits = round_double(st, Approx { value: v, err }, true);
    st.fpr[i.field_frd() as usize] = bits;
    set_fprf(st, class_of(bits));
    record(st, i);
}

/// `fcmpu` (`ordered` false) and `fcmpo`.
pub fn compare(st: &mut ThreadState, i: Ins, ordered: bool) {
    let a_bits = st.fpr[i.field_fra() as usize];
    let b_bits = st.fpr[i.field_frb() as usize];
    let (a, b) = (f64::from_bits(a_bits), f64::from_bits(b_bits));
    let c = if a.is_nan() || b.is_nan() {
        0b0001
    } else if a < b {
        0b1000
    } else if a > b {
        0b0100
    } else {
        0b0010
    };
    st.fpscr = (st.fpscr & !(0xF << FPRF_SHIFT)) | (c << FPRF_SHIFT);
    st.set_cr_field(i.field_crfd() as u32, c);
    let snan = is_snan(a_bits) || is_snan(b_bits);
    let mut flags = if snan { VXSNAN } else { 0 };
    if ordered && (a.is_nan() || b.is_nan()) && (!snan || st.fpscr & VE == 0) {
        flags |= VXVC;
    }
    if flags != 0 {
        raise(st, flags);
    }
}

/// `mffs`: FPSCR into the low word of frD.
pub fn mffs(st: &mut ThreadState, i: Ins) {
    st.fpr[i.field_frd() as usize] = st.fpscr as u64;
    record(st, i);
}

/// Writes FPSCR fields selected by `mask` (FEX and VX are recomputed).
fn write_fpscr(st: &mut ThreadState, value: u32, mask: u32) {
    let old = st.fpscr;
    let mask = mask & !(FEX | VX);
    st.fpscr = (old & !mask) | (value & mask);
    // FX changes only through an explicit write of field 0.
    update_summaries(st);
}

pub fn mtfsf(st: &mut ThreadState, i: Ins) {
    let fm = i.field_mtfsf_fm();
    let mask = (0..8).filter(|n| fm & (0x80 >> n) != 0).fold(0u32, |m, n| m | (0xF000_0000 >> (4 * n)));
    write_fpscr(st, st.fpr[i.field_frb() as usize] as u32, mask);
    record(st, i);
}

pub fn mtfsfi(st: &mut ThreadState, i: Ins) {
    let field = i.field_crfd() as u32;
    let shift = 28 - 4 * field;
    write_fpscr(st, (i.field_mtfsf_imm() as u32) << shift, 0xF << shift);
    record(st, i);
}

/// `mtfsb0` / `mtfsb1` (`set`).
pub fn mtfsb(st: &mut ThreadState, i: Ins, set: bool) {
    let b = bit(i.field_crbd() as u32);
    if b & (FEX | VX) == 0 {
        if set {
            raise(st, b);
        } else {
            st.fpscr &= !b;
            update_summaries(st);
        }
    }
    record(st, i);
}

/// `mcrfs`: copy an FPSCR field to CR, clearing its exception bits.
pub fn mcrfs(st: &mut ThreadState, i: Ins) {
    let shift = 28 - 4 * i.field_crfs() as u32;
    st.set_cr_field(i.field_crfd() as u32, (st.fpscr >> shift) & 0xF);
    st.fpscr &= !((0xF << shift) & (EXCEPTIONS | FX));
    update_summaries(st);
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rig;
    use super::*;

    fn run_fp(words: &[u32], regs: &[(usize, f64)], fpscr: u32) -> ThreadState {
        let mut rig = Rig::new();
        for (n, v) in regs {
            rig.st().fpr[*n] = v.to_bits();
        }
        rig.st().fpscr = fpscr;
        rig.run(words).unwrap();
        rig.cpu.state.clone()
    }

    const FADD_F1_F2_F3: u32 = 0xFC22_182A;
    const FADDS_F1_F2_F3: u32 = 0xEC22_182A;
    const FDIV_F1_F2_F3: u32 = 0xFC22_1824;
    const FMADD_F1_F2_F3_F4: u32 = 0xFC22_20FA; // f1 = f2*f3 + f4
    const FCTIWZ_F1_F2: u32 = 0xFC20_101E;
    const FCMPU_CR1_F2_F3: u32 = 0xFC82_1800;

    #[test]
    fn fadd_exact_result_sets_no_inexact_and_classifies_positive_normal() {
        let s = run_fp(&[FADD_F1_F2_F3], &[(2, 1.5), (3, 2.25)], 0);
        assert_eq!(s.fpr_f64(1), 3.75);
        assert_eq!(s.fpscr, CLASS_POS_NORMAL << FPRF_SHIFT);
    }

    #[test]
    fn fadd_inexact_sets_xx_fi_and_fx() {
        let s = run_fp(&[FADD_F1_F2_F3], &[(2, 1.0), (3, 1e-30)], 0);
        assert_eq!(s.fpr_f64(1), 1.0);
        assert_eq!(s.fpscr & (FX | XX | FI | FR), FX | XX | FI);
    }

    #[test]
    fn round_toward_plus_infinity_steps_up() {
        let s = run_fp(&[FADD_F1_F2_F3], &[(2, 1.0), (3, 1e-30)], 2);
        assert_eq!(s.fpr_f64(1), next_up(1.0));
        assert!(s.fpscr & FR != 0);
        let s = run_fp(&[FADD_F1_F2_F3], &[(2, -1.0), (3, -1e-30)], 1);
        assert_eq!(s.fpr_f64(1), -1.0);
    }

    #[test]
    fn fadds_rounds_to_single() {
        let s = run_fp(&[FADDS_F1_F2_F3], &[(2, 1.0), (3, 1e-10)], 0);
        assert_eq!(s.fpr_f64(1), 1.0);
        assert!(s.fpscr & XX != 0);
    }

    #[test]
    fn zero_divided_by_zero_is_the_default_nan_with_vxzdz() {
        let s = run_fp(&[FDIV_F1_F2_F3], &[(2, 0.0), (3, 0.0)], 0);
        assert_eq!(s.fpr[1], QNAN);
        assert_eq!(s.fpscr & (FX | VX | VXZDZ), FX | VX | VXZDZ);
        assert_eq!((s.fpscr & FPRF) >> FPRF_SHIFT, CLASS_QNAN);
    }

    #[test]
    fn one_divided_by_zero_raises_zx_and_gives_infinity() {
        let s = run_fp(&[FDIV_F1_F2_F3], &[(2, 1.0), (3, 0.0)], 0);
        assert_eq!(s.fpr_f64(1), f64::INFINITY);
        assert!(s.fpscr & ZX != 0);
    }

    #[test]
    fn fmadd_is_fused() {
        // (1 + 2^-30)^2 - 1 keeps the 2^-60 term only when fused.
        let x = 1.0 + 2f64.powi(-30);
        let s = run_fp(&[FMADD_F1_F2_F3_F4], &[(2, x), (3, x), (4, -1.0)], 0);
        assert_eq!(s.fpr_f64(1), 2f64.powi(-29) + 2f64.powi(-60));
    }

    #[test]
    fn fctiwz_truncates_and_saturates_with_vxcvi() {
        let s = run_fp(&[FCTIWZ_F1_F2], &[(2, -2.7)], 0);
        assert_eq!(s.fpr[1] as u32, (-2i32) as u32);
        let s = run_fp(&[FCTIWZ_F1_F2], &[(2, 3e10)], 0);
        assert_eq!(s.fpr[1] as u32, 0x7FFF_FFFF);
        assert!(s.fpscr & VXCVI != 0);
    }

    #[test]
    fn fcmpu_with_nan_is_unordered_in_cr_and_fpcc() {
        let s = run_fp(&[FCMPU_CR1_F2_F3], &[(2, f64::NAN), (3, 1.0)], 0);
        assert_eq!(s.cr_field(1), 1);
        assert_eq!((s.fpscr >> FPRF_SHIFT) & 0xF, 1);
    }
}
