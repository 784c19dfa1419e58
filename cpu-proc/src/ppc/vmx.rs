//! AltiVec (VMX): the 32-register vector instructions.
//!
//! Element 0 is the leftmost element (lowest address in memory). Saturating
//! forms set VSCR SAT; float forms round to nearest, raise no exceptions and,
//! with VSCR NJ set, flush denormal inputs and results to zero. The
//! operations are written once over `[u32; 4]` and reused by [`super::vmx128`]
//! with its wider register fields.

use super::bus::Bus;
use super::decode::Ins;
use super::state::{ThreadState, Vector, VSCR_NJ, VSCR_SAT};
use super::{Cpu, Exec};

// ---- lane views ----

pub fn to_bytes(v: Vector) -> [u8; 16] {
    let mut out = [0; 16];
    for (i, w) in v.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&w.to_be_bytes());
    }
    out
}

pub fn from_bytes(b: [u8; 16]) -> Vector {
    std::array::from_fn(|i| u32::from_be_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]]))
}

pub fn to_halves(v: Vector) -> [u16; 8] {
    std::array::from_fn(|i| (v[i / 2] >> (16 * (1 - i % 2))) as u16)
}

pub fn from_halves(h: [u16; 8]) -> Vector {
    std::array::from_fn(|i| (h[2 * i] as u32) << 16 | h[2 * i + 1] as u32)
}

fn to_u128(v: Vector) -> u128 {
    (v[0] as u128) << 96 | (v[1] as u128) << 64 | (v[2] as u128) << 32 | v[3] as u128
}

fn from_u128(x: u128) -> Vector {
    [(x >> 96) as u32, (x >> 64) as u32, (x >> 32) as u32, x as u32]
}

fn map_bytes(a: Vector, b: Vector, f: impl Fn(u8, u8) -> u8) -> Vector {
    let (a, b) = (to_bytes(a), to_bytes(b));
    from_bytes(std::array::from_fn(|i| f(a[i], b[i])))
}

fn map_halves(a: Vector, b: Vector, f: impl Fn(u16, u16) -> u16) -> Vector {
    let (a, b) = (to_halves(a), to_halves(b));
    from_halves(std::array::from_fn(|i| f(a[i], b[i])))
}

fn map_words(a: Vector, b: Vector, f: impl Fn(u32, u32) -> u32) -> Vector {
    std::array::from_fn(|i| f(a[i], b[i]))
}

/// Integer element sizes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lane {
    Byte,
    Half,
    Word,
}

impl Lane {
    fn bits(self) -> u32 {
        match self {
            Lane::Byte => 8,
            Lane::Half => 16,
            Lane::Word => 32,
        }
    }
}

/// Applies `f` to each pair of elements as `u32` (zero-extended); the result
/// is truncated back to the element size.
fn lanes(a: Vector, b: Vector, lane: Lane, f: impl Fn(u32, u32) -> u32) -> Vector {
    match lane {
        Lane::Byte => map_bytes(a, b, |x, y| f(x as u32, y as u32) as u8),
        Lane::Half => map_halves(a, b, |x, y| f(x as u32, y as u32) as u16),
        Lane::Word => map_words(a, b, f),
    }
}

fn sext(x: u32, lane: Lane) -> i64 {
    match lane {
        Lane::Byte => x as u8 as i8 as i64,
        Lane::Half => x as u16 as i16 as i64,
        Lane::Word => x as i32 as i64,
    }
}

/// Clamps to the signed or unsigned range of `lane`, noting saturation.
fn saturate(v: i64, lane: Lane, signed: bool, sat: &mut bool) -> u32 {
    let bits = lane.bits();
    let (lo, hi) = if signed { (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1) } else { (0, (1i64 << bits) - 1) };
    if v < lo {
        *sat = true;
        lo as u32
    } else if v > hi {
        *sat = true;
        hi as u32
    } else {
        v as u32
    }
}

fn set_sat(st: &mut ThreadState, sat: bool) {
    if sat {
        st.vscr |= VSCR_SAT;
    }
}

// ---- integer arithmetic ----

pub fn add_modulo(a: Vector, b: Vector, lane: Lane) -> Vector {
    lanes(a, b, lane, u32::wrapping_add)
}

pub fn sub_modulo(a: Vector, b: Vector, lane: Lane) -> Vector {
    lanes(a, b, lane, u32::wrapping_sub)
}

/// `vadd[su][bhw]s` and `vsub[su][bhw]s`.
pub fn add_saturate(st: &mut ThreadState, a: Vector, b: Vector, lane: Lane, signed: bool, subtract: bool) -> Vector {
    let sat = std::cell::Cell::new(false);
    let r = lanes(a, b, lane, |x, y| {
        let (x, y) = if signed { (sext(x, lane), sext(y, lane)) } else { (x as i64, y as i64) };
        let mut s = false;
        let v = saturate(if subtract { x - y } else { x + y }, lane, signed, &mut s);
        if s {
            sat.set(true);
        }
        v
    });
    set_sat(st, sat.get());
    r
}

pub fn add_carry(a: Vector, b: Vector) -> Vector {
    map_words(a, b, |x, y| x.overflowing_add(y).1 as u32)
}

pub fn sub_carry(a: Vector, b: Vector) -> Vector {
    map_words(a, b, |x, y| (x >= y) as u32)
}

pub fn average(a: Vector, b: Vector, lane: Lane, signed: bool) -> Vector {
    lanes(a, b, lane, |x, y| {
        let (x, y) = if signed { (sext(x, lane), sext(y, lane)) } else { (x as i64, y as i64) };
        ((x + y + 1) >> 1) as u32
    })
}

pub fn max_min(a: Vector, b: Vector, lane: Lane, signed: bool, max: bool) -> Vector {
    lanes(a, b, lane, |x, y| {
        let (sx, sy) = if signed { (sext(x, lane), sext(y, lane)) } else { (x as i64, y as i64) };
        if (sx > sy) == max {
            x
        } else {
            y
        }
    })
}

/// `vmul[eo][su][bh]`: `odd` picks elements 1, 3, …; products are twice as wide.
pub fn multiply_even_odd(a: Vector, b: Vector, lane: Lane, signed: bool, odd: bool) -> Vector {
    let o = odd as usize;
    match lane {
        Lane::Byte => {
            let (a, b) = (to_bytes(a), to_bytes(b));
            from_halves(std::array::from_fn(|i| {
                let (x, y) = (a[2 * i + o], b[2 * i + o]);
                if signed {
                    (x as i8 as i16 * y as i8 as i16) as u16
                } else {
                    x as u16 * y as u16
                }
            }))
        }
        _ => {
            let (a, b) = (to_halves(a), to_halves(b));
            std::array::from_fn(|i| {
                let (x, y) = (a[2 * i + o], b[2 * i + o]);
                if signed {
                    (x as i16 as i32 * y as i16 as i32) as u32
                } else {
                    x as u32 * y as u32
                }
            })
        }
    }
}

/// `vmhaddshs` / `vmhraddshs` (`round`).
pub fn multiply_high_add(st: &mut ThreadState, a: Vector, b: Vector, c: Vector, round: bool) -> Vector {
    let (a, b, c) = (to_halves(a), to_halves(b), to_halves(c));
    let mut sat = false;
    let r = from_halves(std::array::from_fn(|i| {
        let p = a[i] as i16 as i64 * b[i] as i16 as i64 + if round { 0x4000 } else { 0 };
        saturate((p >> 15) + c[i] as i16 as i64, Lane::Half, true, &mut sat) as u16
    }));
    set_sat(st, sat);
    r
}

pub fn multiply_low_add(a: Vector, b: Vector, c: Vector) -> Vector {
    let (a, b, c) = (to_halves(a), to_halves(b), to_halves(c));
    from_halves(std::array::from_fn(|i| a[i].wrapping_mul(b[i]).wrapping_add(c[i])))
}

/// The `vmsum*` family. `kind`: 0 ubm, 1 mbm, 2 uhm, 3 uhs, 4 shm, 5 shs.
pub fn multiply_sum(st: &mut ThreadState, a: Vector, b: Vector, c: Vector, kind: u8) -> Vector {
    let mut sat = false;
    let r = std::array::from_fn(|w| {
        let sum: i64 = match kind {
            0 | 1 => {
                let (ab, bb) = (to_bytes(a), to_bytes(b));
                (0..4)
                    .map(|k| {
                        let x = ab[4 * w + k];
                        let y = bb[4 * w + k] as i64;
                        if kind == 1 {
                            x as i8 as i64 * y
                        } else {
                            x as i64 * y
                        }
                    })
                    .sum()
            }
            _ => {
                let (ah, bh) = (to_halves(a), to_halves(b));
                (0..2)
                    .map(|k| {
                        let (x, y) = (ah[2 * w + k], bh[2 * w + k]);
                        if kind >= 4 {
                            x as i16 as i64 * y as i16 as i64
                        } else {
                            x as i64 * y as i64
                        }
                    })
                    .sum()
            }
        };
        let acc = if kind >= 4 || kind == 1 { c[w] as i32 as i64 } else { c[w] as i64 };
        match kind {
            3 => saturate(sum + acc, Lane::Word, false, &mut sat),
            5 => saturate(sum + acc, Lane::Word, true, &mut sat),
            _ => (sum + acc) as u32,
        }
    });
    set_sat(st, sat);
    r
}

/// `vsum4ubs`, `vsum4sbs`, `vsum4shs`.
pub fn sum_across_quarter(st: &mut ThreadState, a: Vector, b: Vector, lane: Lane, signed: bool) -> Vector {
    let mut sat = false;
    let r = std::array::from_fn(|w| {
        let sum: i64 = match lane {
            Lane::Byte => {
                let ab = to_bytes(a);
                (0..4).map(|k| if signed { ab[4 * w + k] as i8 as i64 } else { ab[4 * w + k] as i64 }).sum()
            }
            _ => {
                let ah = to_halves(a);
                (0..2).map(|k| ah[2 * w + k] as i16 as i64).sum()
            }
        };
        let acc = if signed { b[w] as i32 as i64 } else { b[w] as i64 };
        saturate(sum + acc, Lane::Word, signed, &mut sat)
    });
    set_sat(st, sat);
    r
}

pub fn sum2(st: &mut ThreadState, a: Vector, b: Vector) -> Vector {
    let mut sat = false;
    let s = |x: u32| x as i32 as i64;
    let r1 = saturate(s(a[0]) + s(a[1]) + s(b[1]), Lane::Word, true, &mut sat);
    let r3 = saturate(s(a[2]) + s(a[3]) + s(b[3]), Lane::Word, true, &mut sat);
    set_sat(st, sat);
    [0, r1, 0, r3]
}

pub fn sum_all(st: &mut ThreadState, a: Vector, b: Vector) -> Vector {
    let mut sat = false;
    let total: i64 = a.iter().map(|x| *x as i32 as i64).sum::<i64>() + b[3] as i32 as i64;
    let r = saturate(total, Lane::Word, true, &mut sat);
    set_sat(st, sat);
    [0, 0, 0, r]
}

// ---- shifts, rotates, permutes ----

pub fn shift_lanes(a: Vector, b: Vector, lane: Lane, kind: Shift) -> Vector {
    let bits = lane.bits();
    lanes(a, b, lane, |x, y| {
        let n = y % bits;
        match kind {
            Shift::Left => x << n,
            Shift::Right => x >> n,
            Shift::RightAlgebraic => (sext(x, lane) >> n) as u32,
            Shift::Rotate => {
                if n == 0 {
                    x
                } else {
                    let mask = if bits == 32 { u32::MAX } else { (1 << bits) - 1 };
                    ((x << n) | (x >> (bits - n))) & mask
                }
            }
        }
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    Left,
    Right,
    RightAlgebraic,
    Rotate,
}

/// `vsl`/`vsr`: the whole register by 0–7 bits (count from byte 15 of vB).
pub fn shift_bits(a: Vector, b: Vector, left: bool) -> Vector {
    let n = b[3] & 7;
    let x = to_u128(a);
    from_u128(if left { x << n } else { x >> n })
}

/// `vslo`/`vsro`: the whole register by whole bytes.
pub fn shift_octets(a: Vector, b: Vector, left: bool) -> Vector {
    let n = ((b[3] >> 3) & 0xF) * 8;
    let x = to_u128(a);
    from_u128(if n == 0 {
        x
    } else if left {
        x << n
    } else {
        x >> n
    })
}

pub fn sldoi(a: Vector, b: Vector, sh: u32) -> Vector {
    let (a, b) = (to_bytes(a), to_bytes(b));
    from_bytes(std::array::from_fn(|i| {
        let k = i + sh as usize;
        if k < 16 {
            a[k]
        } else {
            b[k - 16]
        }
    }))
}

pub fn perm(a: Vector, b: Vector, c: Vector) -> Vector {
    let (a, b, c) = (to_bytes(a), to_bytes(b), to_bytes(c));
    from_bytes(std::array::from_fn(|i| {
        let k = (c[i] & 0x1F) as usize;
        if k < 16 {
            a[k]
        } else {
            b[k - 16]
        }
    }))
}

pub fn select(a: Vector, b: Vector, c: Vector) -> Vector {
    std::array::from_fn(|i| (a[i] & !c[i]) | (b[i] & c[i]))
}

/// `vmrgh*` (`high`) and `vmrgl*`.
pub fn merge(a: Vector, b: Vector, lane: Lane, high: bool) -> Vector {
    match lane {
        Lane::Byte => {
            let (a, b) = (to_bytes(a), to_bytes(b));
            let base = if high { 0 } else { 8 };
            from_bytes(std::array::from_fn(|i| if i % 2 == 0 { a[base + i / 2] } else { b[base + i / 2] }))
        }
        Lane::Half => {
            let (a, b) = (to_halves(a), to_halves(b));
            let base = if high { 0 } else { 4 };
            from_halves(std::array::from_fn(|i| if i % 2 == 0 { a[base + i / 2] } else { b[base + i / 2] }))
        }
        Lane::Word => {
            let base = if high { 0 } else { 2 };
            std::array::from_fn(|i| if i % 2 == 0 { a[base + i / 2] } else { b[base + i / 2] })
        }
    }
}

pub fn splat(b: Vector, lane: Lane, index: u32) -> Vector {
    match lane {
        Lane::Byte => from_bytes([to_bytes(b)[(index & 15) as usize]; 16]),
        Lane::Half => from_halves([to_halves(b)[(index & 7) as usize]; 8]),
        Lane::Word => [b[(index & 3) as usize]; 4],
    }
}

pub fn splat_immediate(value: i8, lane: Lane) -> Vector {
    match lane {
        Lane::Byte => from_bytes([value as u8; 16]),
        Lane::Half => from_halves([value as i16 as u16; 8]),
        Lane::Word => [value as i32 as u32; 4],
    }
}

// ---- pack and unpack ----

/// `vpk[su][hw][su][sm]`: `lane` is the source element size (Half or Word).
/// `src_signed`/`dst_signed` pick the saturation; `modulo` truncates instead.
pub fn pack(
    st: &mut ThreadState,
    a: Vector,
    b: Vector,
    lane: Lane,
    src_signed: bool,
    dst_signed: bool,
    modulo: bool,
) -> Vector {
    let mut sat = false;
    let r = match lane {
        Lane::Half => {
            let (ha, hb) = (to_halves(a), to_halves(b));
            let src: [u16; 16] = std::array::from_fn(|k| if k < 8 { ha[k] } else { hb[k - 8] });
            from_bytes(std::array::from_fn(|i| {
                let x = src[i];
                if modulo {
                    x as u8
                } else {
                    let v = if src_signed { x as i16 as i64 } else { x as i64 };
                    saturate(v, Lane::Byte, dst_signed, &mut sat) as u8
                }
            }))
        }
        _ => {
            let src: [u32; 8] = std::array::from_fn(|k| if k < 4 { a[k] } else { b[k - 4] });
            from_halves(std::array::from_fn(|i| {
                let x = src[i];
                if modulo {
                    x as u16
                } else {
                    let v = if src_signed { x as i32 as i64 } else { x as i64 };
                    saturate(v, Lane::Half, dst_signed, &mut sat) as u16
                }
            }))
        }
    };
    set_sat(st, sat);
    r
}

pub fn pack_pixel(a: Vector, b: Vector) -> Vector {
    let px = |w: u32| {
        (((w >> 24) & 1) << 15 | ((w >> 19) & 0x1F) << 10 | ((w >> 11) & 0x1F) << 5 | ((w >> 3) & 0x1F)) as u16
    };
    let src: [u32; 8] = std::array::from_fn(|k| if k < 4 { a[k] } else { b[k - 4] });
    from_halves(std::array::from_fn(|i| px(src[i])))
}

/// `vupk[hl]s[bh]`: sign-extends half of vB (`high` the left half).
pub fn unpack(b: Vector, lane: Lane, high: bool) -> Vector {
    match lane {
        Lane::Byte => {
            let bytes = to_bytes(b);
            let base = if high { 0 } else { 8 };
            from_halves(std::array::from_fn(|i| bytes[base + i] as i8 as i16 as u16))
        }
        _ => {
            let h = to_halves(b);
            let base = if high { 0 } else { 4 };
            std::array::from_fn(|i| h[base + i] as i16 as i32 as u32)
        }
    }
}

pub fn unpack_pixel(b: Vector, high: bool) -> Vector {
    let h = to_halves(b);
    let base = if high { 0 } else { 4 };
    std::array::from_fn(|i| {
        let p = h[base + i] as u32;
        let a = if p & 0x8000 != 0 { 0xFF } else { 0 };
        a << 24 | ((p >> 10) & 0x1F) << 16 | ((p >> 5) & 0x1F) << 8 | (p & 0x1F)
    })
}

// ---- compares ----

/// Integer compares: `kind` 0 equal, 1 greater signed, 2 greater unsigned.
pub fn compare_int(a: Vector, b: Vector, lane: Lane, kind: u8) -> Vector {
    let ones = match lane {
        Lane::Byte => 0xFF,
        Lane::Half => 0xFFFF,
        Lane::Word => u32::MAX,
    };
    lanes(a, b, lane, |x, y| {
        let t = match kind {
            0 => x == y,
            1 => sext(x, lane) > sext(y, lane),
            _ => x > y,
        };
        if t {
            ones
        } else {
            0
        }
    })
}

/// CR6 for the record forms: all true (LT position) / all false (EQ position).
pub fn record_cr6(st: &mut ThreadState, r: Vector) {
    let all = r.iter().all(|w| *w == u32::MAX);
    let none = r.iter().all(|w| *w == 0);
    st.set_cr_field(6, (all as u32) << 3 | (none as u32) << 1);
}

// ---- floating point ----

fn flush(st: &ThreadState, x: f32) -> f32 {
    if st.vscr & VSCR_NJ != 0 && x.is_subnormal() {
        if x.is_sign_negative() {
            -0.0
        } else {
            0.0
        }
    } else {
        x
    }
}

fn quiet32(x: f32) -> f32 {
    f32::from_bits(x.to_bits() | 0x0040_0000)
}

/// Element-wise float operation with AltiVec NaN rules: the first NaN
/// operand, quieted, is the result.
pub fn float_op(st: &ThreadState, args: &[Vector], f: impl Fn(&[f32]) -> f32) -> Vector {
    let n = args.len().min(3);
    std::array::from_fn(|i| {
        let mut lanes = [0.0f32; 3];
        for (slot, v) in lanes.iter_mut().zip(args) {
            *slot = flush(st, f32::from_bits(v[i]));
        }
        let xs = &lanes[..n];
        let r = match xs.iter().find(|x| x.is_nan()) {
            Some(nan) => quiet32(*nan),
            None => {
                let r = f(xs);
                if r.is_nan() {
                    f32::from_bits(0x7FC0_0000)
                } else {
                    r
                }
            }
        };
        flush(st, r).to_bits()
    })
}

/// Float compares: `kind` 0 eq, 1 ge, 2 gt.
pub fn compare_float(st: &ThreadState, a: Vector, b: Vector, kind: u8) -> Vector {
    std::array::from_fn(|i| {
        let (x, y) = (flush(st, f32::from_bits(a[i])), flush(st, f32::from_bits(b[i])));
        let t = match kind {
            0 => x == y,
            1 => x >= y,
            _ => x > y,
        };
        if t {
            u32::MAX
        } else {
            0
        }
    })
}

pub fn compare_bounds(st: &ThreadState, a: Vector, b: Vector) -> Vector {
    std::array::from_fn(|i| {
        let (x, y) = (flush(st, f32::from_bits(a[i])), flush(st, f32::from_bits(b[i])));
        let le = x <= y;
        let ge = x >= -y;
        (!le as u32) << 31 | (!ge as u32) << 30
    })
}

/// CR6 for `vcmpbfp.`: EQ position set when every element is in bounds.
pub fn record_bounds(st: &mut ThreadState, r: Vector) {
    st.set_cr_field(6, (r.iter().all(|w| *w == 0) as u32) << 1);
}

/// `vctsxs`/`vctuxs`: scale by 2^uimm, truncate, saturate (NaN gives 0).
pub fn float_to_int(st: &mut ThreadState, b: Vector, uimm: u32, signed: bool) -> Vector {
    let mut sat = false;
    let scale = 2f64.powi(uimm as i32);
    let r = std::array::from_fn(|i| {
        let x = flush(st, f32::from_bits(b[i]));
        if x.is_nan() {
            0
        } else {
            let v = (x as f64 * scale).trunc();
            let (lo, hi) = if signed { (i32::MIN as f64, i32::MAX as f64) } else { (0.0, u32::MAX as f64) };
            if v < lo {
                sat = true;
                lo as i64 as u32
            } else if v > hi {
                sat = true;
                hi as i64 as u32
            } else {
                v as i64 as u32
            }
        }
    });
    set_sat(st, sat);
    r
}

/// `vcfsx`/`vcfux`: convert and divide by 2^uimm.
pub fn int_to_float(st: &ThreadState, b: Vector, uimm: u32, signed: bool) -> Vector {
    let scale = 2f64.powi(-(uimm as i32));
    std::array::from_fn(|i| {
        let v = if signed { b[i] as i32 as f64 } else { b[i] as f64 };
        flush(st, (v * scale) as f32).to_bits()
    })
}

/// `vrfi[nzpm]`: round to an integral value (`mode` 0 nearest even, 1 toward
/// zero, 2 up, 3 down).
pub fn round_float(st: &ThreadState, b: Vector, mode: u8) -> Vector {
    float_op(st, &[b], |x| match mode {
        0 => x[0].round_ties_even(),
        1 => x[0].trunc(),
        2 => x[0].ceil(),
        _ => x[0].floor(),
    })
}

pub fn max_min_float(st: &ThreadState, a: Vector, b: Vector, max: bool) -> Vector {
    float_op(st, &[a, b], |x| {
        if x[0] == 0.0 && x[1] == 0.0 {
            // max(-0, +0) is +0, min is -0.
            let neg = if max {
                x[0].is_sign_negative() && x[1].is_sign_negative()
            } else {
                x[0].is_sign_negative() || x[1].is_sign_negative()
            };
            if neg {
                -0.0
            } else {
                0.0
            }
        } else if (x[0] > x[1]) == max {
            x[0]
        } else {
            x[1]
        }
    })
}

// ---- instruction glue (AltiVec register fields) ----

#[inline(always)]
fn va(st: &ThreadState, i: Ins) -> Vector {
    st.vr[i.field_va() as usize]
}
#[inline(always)]
fn vb(st: &ThreadState, i: Ins) -> Vector {
    st.vr[i.field_vb() as usize]
}
#[inline(always)]
fn vc(st: &ThreadState, i: Ins) -> Vector {
    st.vr[i.field_vc() as usize]
}
#[inline(always)]
fn set_vd(st: &mut ThreadState, i: Ins, v: Vector) {
    st.vr[i.field_vd() as usize] = v;
}

/// Two-operand VX-form instructions: `vD = f(st, vA, vB)`.
pub fn vx(st: &mut ThreadState, i: Ins, f: impl Fn(&mut ThreadState, Vector, Vector) -> Vector) {
    let (a, b) = (va(st, i), vb(st, i));
    let r = f(st, a, b);
    set_vd(st, i, r);
}

/// Three-operand VA-form instructions: `vD = f(st, vA, vB, vC)`.
pub fn va_form(st: &mut ThreadState, i: Ins, f: impl Fn(&mut ThreadState, Vector, Vector, Vector) -> Vector) {
    let (a, b, c) = (va(st, i), vb(st, i), vc(st, i));
    let r = f(st, a, b, c);
    set_vd(st, i, r);
}

/// Compare instructions with their record forms (bit 21, `RcAV`).
pub fn vcmp(st: &mut ThreadState, i: Ins, bounds: bool, f: impl Fn(&ThreadState, Vector, Vector) -> Vector) {
    let r = f(st, va(st, i), vb(st, i));
    set_vd(st, i, r);
    if i.field_rcav() {
        if bounds {
            record_bounds(st, r);
        } else {
            record_cr6(st, r);
        }
    }
}

pub fn mfvscr(st: &mut ThreadState, i: Ins) {
    let v = [0, 0, 0, st.vscr];
    set_vd(st, i, v);
}

pub fn mtvscr(st: &mut ThreadState, i: Ins) {
    st.vscr = vb(st, i)[3] & (VSCR_NJ | VSCR_SAT);
}

// ---- vector loads and stores ----

/// `lvsl` (`right` false) / `lvsr` with a given EA.
pub fn shift_control(ea: u32, right: bool) -> Vector {
    let sh = (ea & 0xF) as u8;
    let start = if right { 16 - sh } else { sh };
    from_bytes(std::array::from_fn(|k| start + k as u8))
}

pub(crate) fn lvx<B: Bus>(cpu: &mut Cpu<'_, B>, vd: usize, ea: u32) -> Exec {
    cpu.st.vr[vd] = cpu.load_vector(ea & !0xF)?;
    Ok(())
}

pub(crate) fn stvx<B: Bus>(cpu: &mut Cpu<'_, B>, vs: usize, ea: u32) -> Exec {
    let v = cpu.st.vr[vs];
    cpu.store_vector(ea & !0xF, v)
}

/// `lvebx`/`lvehx`/`lvewx`: one element into its slot; the rest unchanged.
pub(crate) fn load_element<B: Bus>(cpu: &mut Cpu<'_, B>, vd: usize, ea: u32, lane: Lane) -> Exec {
    match lane {
        Lane::Byte => {
            let x = cpu.load_u8(ea)?;
            let mut b = to_bytes(cpu.st.vr[vd]);
            b[(ea & 15) as usize] = x;
            cpu.st.vr[vd] = from_bytes(b);
        }
        Lane::Half => {
            let ea = ea & !1;
            let x = cpu.load_u16(ea)?;
            let mut h = to_halves(cpu.st.vr[vd]);
            h[((ea & 15) >> 1) as usize] = x;
            cpu.st.vr[vd] = from_halves(h);
        }
        Lane::Word => {
            let ea = ea & !3;
            let x = cpu.load_u32(ea)?;
            cpu.st.vr[vd][((ea & 15) >> 2) as usize] = x;
        }
    }
    Ok(())
}

pub(crate) fn store_element<B: Bus>(cpu: &mut Cpu<'_, B>, vs: usize, ea: u32, lane: Lane) -> Exec {
    let v = cpu.st.vr[vs];
    match lane {
        Lane::Byte => cpu.store_u8(ea, to_bytes(v)[(ea & 15) as usize]),
        Lane::Half => {
            let ea = ea & !1;
            cpu.store_u16(ea, to_halves(v)[((ea & 15) >> 1) as usize])
        }
        Lane::Word => {
            let ea = ea & !3;
            cpu.store_u32(ea, v[((ea & 15) >> 2) as usize])
        }
    }
}

/// `lvlx`: the bytes from EA to the end of its quadword, left-justified.
pub(crate) fn lvlx<B: Bus>(cpu: &mut Cpu<'_, B>, vd: usize, ea: u32) -> Exec {
    let sh = (ea & 0xF) as usize;
    let block = to_bytes(cpu.load_vector(ea & !0xF)?);
    cpu.st.vr[vd] = from_bytes(std::array::from_fn(|k| if k + sh < 16 { block[k + sh] } else { 0 }));
    Ok(())
}

/// `lvrx`: the bytes before EA in its quadword, right-justified (aligned EA
/// loads nothing and gives zero).
pub(crate) fn lvrx<B: Bus>(cpu: &mut Cpu<'_, B>, vd: usize, ea: u32) -> Exec {
    let sh = (ea & 0xF) as usize;
    if sh == 0 {
        cpu.st.vr[vd] = [0; 4];
        return Ok(());
    }
    let block = to_bytes(cpu.load_vector(ea & !0xF)?);
    cpu.st.vr[vd] = from_bytes(std::array::from_fn(|k| if k >= 16 - sh { block[k - (16 - sh)] } else { 0 }));
    Ok(())
}

/// `stvlx`: the left bytes of vS to EA through the end of its quadword.
pub(crate) fn stvlx<B: Bus>(cpu: &mut Cpu<'_, B>, vs: usize, ea: u32) -> Exec {
    let sh = (ea & 0xF) as usize;
    let v = to_bytes(cpu.st.vr[vs]);
    let base = ea & !0xF;
    let mut block = to_bytes(cpu.load_vector(base)?);
    block[sh..].copy_from_slice(&v[..16 - sh]);
    cpu.store_vector(base, from_bytes(block))
}

/// `stvrx`: the right bytes of vS to the start of the quadword up to EA.
pub(crate) fn stvrx<B: Bus>(cpu: &mut Cpu<'_, B>, vs: usize, ea: u32) -> Exec {
    let sh = (ea & 0xF) as usize;
    if sh == 0 {
        return Ok(());
    }
    let v = to_bytes(cpu.st.vr[vs]);
    let base = ea & !0xF;
    let mut block = to_bytes(cpu.load_vector(base)?);
    block[..sh].copy_from_slice(&v[16 - sh..]);
    cpu.store_vector(base, from_bytes(block))
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rig;
    use super::*;

    fn run_v(words: &[u32], vrs: &[(usize, Vector)], gprs: &[(usize, u64)]) -> ThreadState {
        let mut rig = Rig::new();
        for (n, v) in vrs {
            rig.st().vr[*n] = *v;
        }
        for (n, v) in gprs {
            rig.st().gpr[*n] = *v;
        }
        rig.run(words).unwrap();
        rig.cpu.state.clone()
    }

    #[test]
    fn vaddubs_saturates_and_sets_sat() {
        // vaddubs v1,v2,v3
        let s = run_v(&[0x1022_1A00], &[(2, [0xFF01_0203; 4]), (3, [0x0101_0101; 4])], &[]);
        assert_eq!(s.vr[1], [0xFF02_0304; 4]);
        assert_eq!(s.vscr & VSCR_SAT, VSCR_SAT);
    }

    #[test]
    fn vaddsws_saturates_signed() {
        // vaddsws v1,v2,v3
        let s = run_v(&[0x1022_1B80], &[(2, [0x7FFF_FFFF, 1, 0x8000_0000, 5]), (3, [1, 1, 0xFFFF_FFFF, 5])], &[]);
        assert_eq!(s.vr[1], [0x7FFF_FFFF, 2, 0x8000_0000, 10]);
    }

    #[test]
    fn vperm_picks_bytes_from_both_sources() {
        // vperm v1,v2,v3,v4
        let s = run_v(
            &[0x1022_192B],
            &[
                (2, [0x0001_0203, 0x0405_0607, 0x0809_0A0B, 0x0C0D_0E0F]),
                (3, [0x1011_1213, 0x1415_1617, 0x1819_1A1B, 0x1C1D_1E1F]),
                (4, [0x1F00_1E01; 4]),
            ],
            &[],
        );
        assert_eq!(s.vr[1], [0x1F00_1E01; 4]);
    }

    #[test]
    fn vcmpequw_record_sets_cr6_all_true() {
        // vcmpequw. v1,v2,v3
        let s = run_v(&[0x1022_1C86], &[(2, [7; 4]), (3, [7; 4])], &[]);
        assert_eq!(s.vr[1], [u32::MAX; 4]);
        assert_eq!(s.cr_field(6), 0b1000);
    }

    #[test]
    fn lvsl_gives_the_shift_control_vector() {
        // lvsl v1,0,r4
        let s = run_v(&[0x7C20_200C], &[], &[(4, 0x1000_1003)]);
        assert_eq!(s.vr[1], [0x0304_0506, 0x0708_090A, 0x0B0C_0D0E, 0x0F10_1112]);
    }

    #[test]
    fn lvlx_and_lvrx_split_an_unaligned_quadword() {
        let mut rig = Rig::new();
        let data: Vec<u8> = (0..32).collect();
        rig.memory.write_bytes(shared::memory::VirtAddr(0x1000_1000), &data).unwrap();
        rig.st().gpr[4] = 0x1000_1004;
        rig.st().gpr[5] = 0x1000_1014;
        // lvlx v1,0,r4 ; lvrx v2,0,r5
        rig.run(&[0x7C20_240E, 0x7C40_2C4E]).unwrap();
        assert_eq!(rig.st().vr[1], [0x0405_0607, 0x0809_0A0B, 0x0C0D_0E0F, 0]);
        assert_eq!(rig.st().vr[2], [0, 0, 0, 0x1011_1213]);
    }

    #[test]
    fn vmaddfp_multiplies_a_by_c_and_adds_b() {
        // vmaddfp v1,v2,v3,v4 (assembler order vD,vA,vC,vB): v1 = v2*v3 + v4
        let denormal = 1u32;
        let s = run_v(
            &[0x1022_20EE],
            &[(2, [0x3F80_0000, denormal, 0, 0]), (3, [0x3F80_0000; 4]), (4, [0x4000_0000; 4])],
            &[],
        );
        assert_eq!(s.vr[1][0], 3.0f32.to_bits());
        assert_eq!(s.vr[1][1], 2.0f32.to_bits());
    }

    #[test]
    fn vsldoi_concatenates_and_shifts() {
        // vsldoi v1,v2,v3,4
        let s = run_v(&[0x1022_192C], &[(2, [1, 2, 3, 4]), (3, [5, 6, 7, 8])], &[]);
        assert_eq!(s.vr[1], [2, 3, 4, 5]);
    }

    #[test]
    fn vpkswss_saturates_words_to_halves() {
        let mut st = ThreadState::default();
        let r = pack(&mut st, [0x7FFF_FFFF, 0xFFFF_0000, 1, 2], [0; 4], Lane::Word, true, true, false);
        assert_eq!(r, [0x7FFF_8000, 0x0001_0002, 0, 0]);
        assert_eq!(st.vscr, VSCR_SAT);
    }
}
