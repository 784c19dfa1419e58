//! VMX128: Xenon's 128-register vector forms and its own instructions.
//!
//! The shared operations live in [`super::vmx`]; this file supplies the
//! VMX128 register fields (7-bit vD/vA/vB, 3-bit vC) and the instructions
//! AltiVec lacks: the Direct3D pack/unpack pair (`vpkd3d128`,
//! `vupkd3d128`), `vpermwi128`, `vrlimi128`, the dot products
//! (`vmsum3fp128`, `vmsum4fp128`), `vmulfp128` and the multiply-add forms
//! that reuse vD as an operand. Semantics follow xenia's
//! `ppc_emit_altivec.cc` and its x64 pack/unpack sequences.

use super::decode::Ins;
use super::state::{ThreadState, Vector};
use super::vmx;

#[inline(always)]
pub fn vd(i: Ins) -> usize {
    i.field_vds128() as usize
}
#[inline(always)]
pub fn va(i: Ins) -> usize {
    i.field_va128() as usize
}
#[inline(always)]
pub fn vb(i: Ins) -> usize {
    i.field_vb128() as usize
}

/// `vD = f(st, vA, vB)` with VMX128 fields.
pub fn vx(st: &mut ThreadState, i: Ins, f: impl Fn(&mut ThreadState, Vector, Vector) -> Vector) {
    let (a, b) = (st.vr[va(i)], st.vr[vb(i)]);
    let r = f(st, a, b);
    st.vr[vd(i)] = r;
}

/// `vD = f(st, vA, vB, vD)`: the forms that read vD as a third operand.
pub fn vx_acc(st: &mut ThreadState, i: Ins, f: impl Fn(&mut ThreadState, Vector, Vector, Vector) -> Vector) {
    let (a, b, d) = (st.vr[va(i)], st.vr[vb(i)], st.vr[vd(i)]);
    let r = f(st, a, b, d);
    st.vr[vd(i)] = r;
}

/// `vD = f(st, vB)` with VMX128 fields.
pub fn unary(st: &mut ThreadState, i: Ins, f: impl Fn(&mut ThreadState, Vector) -> Vector) {
    let b = st.vr[vb(i)];
    let r = f(st, b);
    st.vr[vd(i)] = r;
}

/// Compares with the VMX128 record bit.
pub fn vcmp(st: &mut ThreadState, i: Ins, bounds: bool, f: impl Fn(&ThreadState, Vector, Vector) -> Vector) {
    let r = f(st, st.vr[va(i)], st.vr[vb(i)]);
    st.vr[vd(i)] = r;
    if i.field_rc128() {
        if bounds {
            vmx::record_bounds(st, r);
        } else {
            vmx::record_cr6(st, r);
        }
    }
}

pub fn vperm128(st: &mut ThreadState, i: Ins) {
    let c = st.vr[i.field_vc128() as usize];
    st.vr[vd(i)] = vmx::perm(st.vr[va(i)], st.vr[vb(i)], c);
}

/// `vpermwi128`: word k of vD is word `perm[2k..2k+2]` of vB.
pub fn vpermwi128(st: &mut ThreadState, i: Ins) {
    let perm = i.field_perm() as u32;
    let b = st.vr[vb(i)];
    st.vr[vd(i)] = std::array::from_fn(|k| b[((perm >> (6 - 2 * k)) & 3) as usize]);
}

/// `vrlimi128`: rotate vB left by `z` words, then insert the words whose
/// mask bit is set (mask bit 3 is word 0) into vD.
pub fn vrlimi128(st: &mut ThreadState, i: Ins) {
    let mask = i.field_vuimm() as usize;
    let rot = i.field_zimm() as usize;
    let b = st.vr[vb(i)];
    let d = st.vr[vd(i)];
    st.vr[vd(i)] = std::array::from_fn(|k| if mask & (8 >> k) != 0 { b[(k + rot) & 3] } else { d[k] });
}

/// `vmsum3fp128` / `vmsum4fp128`: the dot product, splatted.
pub fn dot(st: &mut ThreadState, i: Ins, n: usize) {
    let (a, b) = (st.vr[va(i)], st.vr[vb(i)]);
    let r = vmx::float_op(st, &[a, b], |_| 0.0);
    let nan = (0..n).find(|k| f32::from_bits(r[*k]).is_nan());
    let v = match nan {
        Some(k) => r[k],
        None => {
            let mut sum = 0.0f32;
            for k in 0..n {
                sum += f32::from_bits(a[k]) * f32::from_bits(b[k]);
            }
            vmx::float_op(st, &[[sum.to_bits(); 4]], |x| x[0])[0]
        }
    };
    st.vr[vd(i)] = [v; 4];
}

/// `vspltisw128`.
pub fn vspltisw128(st: &mut ThreadState, i: Ins) {
    st.vr[vd(i)] = vmx::splat_immediate(i.field_vsimm(), vmx::Lane::Word);
}

// ---- Direct3D pack / unpack ----

fn clamp_bits(x: u32, lo: u32, hi: u32) -> u32 {
    let (f, l, h) = (f32::from_bits(x), f32::from_bits(lo), f32::from_bits(hi));
    // max first so NaN packs as the minimum.
    let m = if f > l { f } else { l };
    (if m < h { m } else { h }).to_bits()
}

/// f32 to IEEE half, rounding toward zero.
pub fn to_half(x: f32) -> u16 {
    let bits = x.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let exp = ((bits >> 23) & 0xFF) as i32;
    let mant = bits & 0x7F_FFFF;
    if exp == 0xFF {
        return sign | 0x7C00 | if mant != 0 { 0x200 | (mant >> 13) as u16 } else { 0 };
    }
    let e = exp - 127 + 15;
    if e >= 0x1F {
        sign | 0x7BFF
    } else if e <= 0 {
        if e < -10 {
            sign
        } else {
            let m = mant | 0x80_0000;
            sign | (m >> (14 - e)) as u16
        }
    } else {
        sign | ((e as u16) << 10) | (mant >> 13) as u16
    }
}

pub fn from_half(h: u16) -> f32 {
    let sign = ((h as u32) & 0x8000) << 16;
    let exp = ((h >> 10) & 0x1F) as u32;
    let mant = (h & 0x3FF) as u32;
    let bits = if exp == 0 {
        if mant == 0 {
            sign
        } else {
            return f32::from_bits(sign) + (if sign != 0 { -1.0 } else { 1.0 }) * mant as f32 * 2f32.powi(-24);
        }
    } else if exp == 0x1F {
        sign | 0x7F80_0000 | (mant << 13)
    } else {
        sign | ((exp + 127 - 15) << 23) | (mant << 13)
    };
    f32::from_bits(bits)
}

/// The packed form of vB for `vpkd3d128` type `kind`, as a vector whose
/// packed words sit at the right (word 3, or words 2–3 for 64-bit types).
pub fn pack_d3d(b: Vector, kind: u32) -> Option<Vector> {
    Some(match kind {
        0 => {
            // D3DCOLOR: ARGB bytes from values biased by 3.0.
            let c = b.map(|x| clamp_bits(x, 0x4040_0000, 0x4040_00FF) & 0xFF);
            [0, 0, 0, c[3] << 24 | c[0] << 16 | c[1] << 8 | c[2]]
        }
        1 | 4 => {
            // NORMSHORT2 / NORMSHORT4.
            let s = b.map(|x| clamp_bits(x, 0x403F_8001, 0x4040_7FFF) & 0xFFFF);
            if kind == 1 {
                [0, 0, 0, s[0] << 16 | s[1]]
            } else {
                [0, 0, s[0] << 16 | s[1], s[2] << 16 | s[3]]
            }
        }
        2 => {
            // NORMPACKED32: 2:10:10:10, W in the top bits.
            let x = clamp_bits(b[0], 0x403F_FE01, 0x4040_01FF) & 0x3FF;
            let y = clamp_bits(b[1], 0x403F_FE01, 0x4040_01FF) & 0x3FF;
            let z = clamp_bits(b[2], 0x403F_FE01, 0x4040_01FF) & 0x3FF;
            let w = clamp_bits(b[3], 0x4040_0000, 0x4040_0003) & 0x3;
            [x | y << 10 | z << 20 | w << 30; 4]
        }
        3 => {
            let h = b.map(|x| to_half(f32::from_bits(x)) as u32);
            [0, 0, 0, h[0] << 16 | h[1]]
        }
        5 => {
            let h = b.map(|x| to_half(f32::from_bits(x)) as u32);
            [0, 0, h[0] << 16 | h[1], h[2] << 16 | h[3]]
        }
        6 => {
            // NORMPACKED64: 4:20:20:20.
            let x = (clamp_bits(b[0], 0x4038_0001, 0x4047_FFFF) & 0xF_FFFF) as u64;
            let y = (clamp_bits(b[1], 0x4038_0001, 0x4047_FFFF) & 0xF_FFFF) as u64;
            let z = (clamp_bits(b[2], 0x4038_0001, 0x4047_FFFF) & 0xF_FFFF) as u64;
            let w = (clamp_bits(b[3], 0x4040_0000, 0x4040_000F) & 0xF) as u64;
            let v = w << 60 | z << 40 | y << 20 | x;
            [0, 0, (v >> 32) as u32, v as u32]
        }
        _ => return None,
    })
}

/// `vpkd3d128`: pack vB, then merge into vD as `pack`/`shift` select.
/// Each entry names, per word of vD, `(true, n)` for word n of the packed
/// vector or `(false, n)` for word n of the old vD.
pub fn vpkd3d128(st: &mut ThreadState, i: Ins) -> bool {
    let Some(packed) = pack_d3d(st.vr[vb(i)], i.field_d3dtype() as u32) else {
        return false;
    };
    let pack = i.field_vmask();
    let shift = i.field_zimm();
    let (o, p) = (false, true);
    let control: [(bool, usize); 4] = match (pack, shift) {
        (1, 0) => [(o, 0), (o, 1), (o, 2), (p, 3)],
        (1, 1) => [(o, 0), (o, 1), (p, 3), (o, 3)],
        (1, 2) => [(o, 0), (p, 3), (o, 2), (o, 3)],
        (1, 3) => [(p, 3), (o, 1), (o, 2), (o, 3)],
        (2 | 3, 0) => [(o, 0), (o, 1), (p, 2), (p, 3)],
        (2 | 3, 1) => [(o, 0), (p, 2), (p, 3), (o, 3)],
        (2 | 3, 2) => [(p, 2), (p, 3), (o, 2), (o, 3)],
        (2, 3) => [(p, 3), (o, 1), (o, 2), (o, 3)],
        (3, 3) => [(o, 0), (o, 1), (o, 2), (p, 2)],
        _ => return false,
    };
    let d = st.vr[vd(i)];
    st.vr[vd(i)] = control.map(|(from_packed, n)| if from_packed { packed[n] } else { d[n] });
    true
}

fn biased(v: i32, base: u32) -> u32 {
    base.wrapping_add(v as u32)
}

/// `vupkd3d128`: unpack the packed word(s) at the right of vB.
pub fn unpack_d3d(b: Vector, kind: u32) -> Option<Vector> {
    const THREE: u32 = 0x4040_0000;
    const ONE: u32 = 0x3F80_0000;
    const QNAN: u32 = 0x7FC0_0000;
    let nan_if = |v: u32, overflow: u32| if v == overflow { QNAN } else { v };
    Some(match kind {
        0 => {
            let w = b[3];
            [ONE | ((w >> 16) & 0xFF), ONE | ((w >> 8) & 0xFF), ONE | (w & 0xFF), ONE | (w >> 24)]
        }
        1 => {
            let w = b[3];
            let s = |h: u32| nan_if(biased(h as u16 as i16 as i32, THREE), 0x403F_8000);
            [s(w >> 16), s(w & 0xFFFF), 0, ONE]
        }
        4 => {
            let s = |h: u32| nan_if(biased(h as u16 as i16 as i32, THREE), 0x403F_8000);
            [s(b[2] >> 16), s(b[2] & 0xFFFF), s(b[3] >> 16), s(b[3] & 0xFFFF)]
        }
        2 => {
            let w = b[3];
            let s10 = |x: u32| nan_if(biased(((x << 22) as i32) >> 22, THREE), 0x403F_FE00);
            [s10(w & 0x3FF), s10((w >> 10) & 0x3FF), s10((w >> 20) & 0x3FF), ONE + (w >> 30)]
        }
        3 => {
            let w = b[3];
            [from_half((w >> 16) as u16).to_bits(), from_half(w as u16).to_bits(), 0, ONE]
        }
        5 => [
            from_half((b[2] >> 16) as u16).to_bits(),
            from_half(b[2] as u16).to_bits(),
            from_half((b[3] >> 16) as u16).to_bits(),
            from_half(b[3] as u16).to_bits(),
        ],
        6 => {
            let v = (b[2] as u64) << 32 | b[3] as u64;
            let s20 = |x: u64| nan_if(biased(((x as u32) << 12) as i32 >> 12, THREE), 0x4038_0000);
            [s20(v & 0xF_FFFF), s20((v >> 20) & 0xF_FFFF), s20((v >> 40) & 0xF_FFFF), ONE + (v >> 60) as u32]
        }
        _ => return None,
    })
}

pub fn vupkd3d128(st: &mut ThreadState, i: Ins) -> bool {
    match unpack_d3d(st.vr[vb(i)], i.field_vuimm() as u32 >> 2) {
        Some(v) => {
            st.vr[vd(i)] = v;
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rig;
    use super::*;

    // VMX128 words built from xenia's field layouts (VX128 forms).
    fn vx128(op: u32, vd: u32, va: u32, vb: u32) -> u32 {
        op | (vd & 31) << 21
            | (va & 31) << 16
            | (vb & 31) << 11
            | (vd >> 5) << 2
            | (va >> 5 & 1) << 5
            | (va >> 6) << 10
            | (vb >> 5)
    }

    #[test]
    fn vmsum4fp128_splats_the_dot_product_of_high_registers() {
        let mut rig = Rig::new();
        rig.st().vr[100] = [1.0f32, 2.0, 3.0, 4.0].map(f32::to_bits);
        rig.st().vr[101] = [5.0f32, 6.0, 7.0, 8.0].map(f32::to_bits);
        // vmsum4fp128: opcode 5, xop bits 0x1D0 (VX128 form)
        let word = vx128(0x1400_01D0, 90, 100, 101);
        assert_eq!(super::super::decode::decode(word).op, super::super::decode::Opcode::Vmsum4fp128);
        rig.run(&[word]).unwrap();
        assert_eq!(rig.st().vr[90], [70.0f32.to_bits(); 4]);
    }

    #[test]
    fn d3dcolor_round_trips_through_pack_and_unpack() {
        let rgba = [0x4040_0011, 0x4040_0022, 0x4040_0033, 0x4040_0044];
        let packed = pack_d3d(rgba, 0).unwrap();
        assert_eq!(packed[3], 0x4411_2233);
        let back = unpack_d3d(packed, 0).unwrap();
        assert_eq!(back, [0x3F80_0011, 0x3F80_0022, 0x3F80_0033, 0x3F80_0044]);
    }

    #[test]
    fn normshort2_saturates_and_nan_packs_as_minimum() {
        let packed = pack_d3d([0x4041_0000, f32::NAN.to_bits(), 0, 0], 1).unwrap();
        assert_eq!(packed[3], 0x7FFF_8001);
    }

    #[test]
    fn half_conversions_truncate_and_round_trip() {
        assert_eq!(to_half(1.0), 0x3C00);
        assert_eq!(to_half(-2.5), 0xC100);
        assert_eq!(to_half(1e6), 0x7BFF);
        assert_eq!(from_half(0x3C00), 1.0);
        assert_eq!(from_half(0x0001), 2f32.powi(-24));
    }

    #[test]
    fn vrlimi_rotates_then_inserts_masked_words() {
        let mut st = ThreadState::default();
        st.vr[1] = [1, 2, 3, 4];
        st.vr[2] = [10, 20, 30, 40];
        // vrlimi128 v2, v1, mask 0b1001, rotate 1
        let word = 0x1800_0710 | 2 << 21 | 0b1001 << 16 | 1 << 11 | 1 << 6;
        let ins = super::super::decode::decode(word);
        assert_eq!(ins.op, super::super::decode::Opcode::Vrlimi128);
        vrlimi128(&mut st, ins);
        assert_eq!(st.vr[2], [2, 20, 30, 1]);
    }
}
