//! Fetch instructions: vertex fetch (opcode 0) and the texture unit's
//! operations (xenia `ucode.h` `VertexFetchInstruction`,
//! `TextureFetchInstruction`).
//!
//! Both share dword 0 bits opcode 0–4, source register 5–10 (+ aL-relative
//! 11), destination register 12–17 (+ relative 18), the constant index in
//! 20–24; dword 1 the destination swizzle in 0–11 (three bits per
//! component: x, y, z, w, 0, 1, or 7 = keep) and predicated in 31; dword 2
//! the expected predicate in 31.

use super::alu::{Component, Write};
use super::DecodeError;

fn bits(word: u32, low: u32, count: u32) -> u32 {
    (word >> low) & ((1 << count) - 1)
}

fn bit(word: u32, at: u32) -> bool {
    word >> at & 1 == 1
}

/// `count` bits from `low`, sign-extended.
fn signed_bits(word: u32, low: u32, count: u32) -> i32 {
    ((word << (32 - low - count)) as i32) >> (32 - count)
}

/// Whether a fetch slot holds a vertex fetch.
pub fn is_vertex_fetch(words: [u32; 3]) -> bool {
    bits(words[0], 0, 5) == 0
}

/// The register a fetch writes and what each component receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchDest {
    pub index: u8,
    /// Plus `aL`.
    pub relative: bool,
    pub writes: [Write; 4],
}

impl FetchDest {
    fn decode(words: [u32; 3], dword: usize) -> Result<FetchDest, DecodeError> {
        let swizzle = bits(words[1], 0, 12);
        let mut writes = [Write::Keep; 4];
        for (i, write) in writes.iter_mut().enumerate() {
            *write = match bits(swizzle, 3 * i as u32, 3) {
                selector @ 0..=3 => Write::From(Component::from_index(selector)),
                4 => Write::Zero,
                5 => Write::One,
                7 => Write::Keep,
                selector => {
                    return Err(DecodeError::field(
                        dword + 1,
                        "fetch destination swizzle",
                        selector,
                        "undefined component selector",
                    ))
                }
            };
        }
        Ok(FetchDest { index: bits(words[0], 12, 6) as u8, relative: bit(words[0], 18), writes })
    }
}

fn predicate(words: [u32; 3]) -> Option<bool> {
    bit(words[1], 31).then_some(bit(words[2], 31))
}

/// Vertex element formats (xenia `xenos.h` `VertexFormat`; the numbers are
/// those of the texture formats with the same layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VertexFormat {
    /// 0: what a `vfetch_mini` that only re-reads may carry.
    Undefined,
    Fmt8_8_8_8,
    Fmt2_10_10_10,
    Fmt10_11_11,
    Fmt11_11_10,
    Fmt16_16,
    Fmt16_16_16_16,
    Fmt16_16Float,
    Fmt16_16_16_16Float,
    Fmt32,
    Fmt32_32,
    Fmt32_32_32_32,
    Fmt32Float,
    Fmt32_32Float,
    Fmt32_32_32_32Float,
    Fmt32_32_32Float,
}

/// Format number, variant, assembler name, components.
const VERTEX_FORMATS: [(u32, VertexFormat, &str, u8); 16] = [
    (0, VertexFormat::Undefined, "FMT_UNDEFINED", 0),
    (6, VertexFormat::Fmt8_8_8_8, "FMT_8_8_8_8", 4),
    (7, VertexFormat::Fmt2_10_10_10, "FMT_2_10_10_10", 4),
    (16, VertexFormat::Fmt10_11_11, "FMT_10_11_11", 3),
    (17, VertexFormat::Fmt11_11_10, "FMT_11_11_10", 3),
    (25, VertexFormat::Fmt16_16, "FMT_16_16", 2),
    (26, VertexFormat::Fmt16_16_16_16, "FMT_16_16_16_16", 4),
    (31, VertexFormat::Fmt16_16Float, "FMT_16_16_FLOAT", 2),
    (32, VertexFormat::Fmt16_16_16_16Float, "FMT_16_16_16_16_FLOAT", 4),
    (33, VertexFormat::Fmt32, "FMT_32", 1),
    (34, VertexFormat::Fmt32_32, "FMT_32_32", 2),
    (35, VertexFormat::Fmt32_32_32_32, "FMT_32_32_32_32", 4),
    (36, VertexFormat::Fmt32Float, "FMT_32_FLOAT", 1),
    (37, VertexFormat::Fmt32_32Float, "FMT_32_32_FLOAT", 2),
    (38, VertexFormat::Fmt32_32_32_32Float, "FMT_32_32_32_32_FLOAT", 4),
    (57, VertexFormat::Fmt32_32_32Float, "FMT_32_32_32_FLOAT", 3),
];

impl VertexFormat {
    pub fn from_number(number: u32) -> Option<VertexFormat> {
        VERTEX_FORMATS.iter().find(|row| row.0 == number).map(|row| row.1)
    }

    fn row(self) -> &'static (u32, VertexFormat, &'static str, u8) {
        &VERTEX_FORMATS[self as usize]
    }

    /// The format's number in the microcode.
    pub fn number(self) -> u32 {
        self.row().0
    }

    /// The assembler name (`FMT_32_32_FLOAT`).
    pub fn name(self) -> &'static str {
        self.row().2
    }

    /// Components an element of this format has.
    pub fn components(self) -> u8 {
        self.row().3
    }
}

/// How signed normalized values map to [-1, 1] (xenia `xenos.h`
/// `SignedRepeatingFractionMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignedFractionMode {
    /// Direct3D: -MAX and -MAX-1 both give -1.
    ZeroClampMinusOne,
    /// OpenGL's alternate mapping, without an exact zero.
    NoZero,
}

/// `vfetch_full` / `vfetch_mini` (xenia `ucode.h`
/// `VertexFetchInstruction`). Beyond the shared fields: must-be-one 19,
/// constant sub-index 25–26, prefetch count 27–29, source component 30–31
/// (dword 0); signed 12, integer 13, signed mode 14, round index 15, format
/// 16–21, exponent adjust 24–29 (signed), mini 30 (dword 1); stride 0–7,
/// offset 8–30 (signed) (dword 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VertexFetch {
    pub dest: FetchDest,
    /// `vfetch_mini`: reads from the address of the last `vfetch_full`; its
    /// own source, constant, stride and round-index fields are unused.
    pub mini: bool,
    /// For a mini fetch, the slot of the `vfetch_full` before it in CF
    /// order, set by [`super::decode`] (`None` if there is none).
    pub full_fetch_slot: Option<u32>,
    /// Register holding the vertex index.
    pub source: u8,
    pub source_relative: bool,
    pub source_component: Component,
    /// Vertex fetch constant, 0–95 (three per texture fetch constant
    /// slot). The Microsoft assembler names it `vf<95 - n>`.
    pub fetch_constant: u8,
    /// Element format.
    pub format: VertexFormat,
    /// Signed components (else unsigned).
    pub signed: bool,
    /// Integer components (else normalized fractions).
    pub integer: bool,
    pub signed_mode: SignedFractionMode,
    /// Scale results by 2^exp_adjust, -32..=31.
    pub exp_adjust: i8,
    /// Round the index to nearest (else floor).
    pub round_index: bool,
    /// Vertex stride in dwords.
    pub stride: u8,
    /// Element offset in dwords.
    pub offset: i32,
    /// Elements to prefetch, 1–8.
    pub prefetch_count: u8,
    pub predicate: Option<bool>,
}

impl VertexFetch {
    /// Decodes the slot at `dword`.
    pub fn decode(words: [u32; 3], dword: usize) -> Result<VertexFetch, DecodeError> {
        let [w0, w1, w2] = words;
        let sub_index = bits(w0, 25, 2);
        if sub_index == 3 {
            return Err(DecodeError::field(
                dword,
                "fetch constant sub-index",
                3,
                "a slot holds three vertex fetch constants",
            ));
        }
        let number = bits(w1, 16, 6);
        let format = VertexFormat::from_number(number)
            .ok_or_else(|| DecodeError::field(dword + 1, "vertex format", number, "not a vertex format"))?;
        Ok(VertexFetch {
            dest: FetchDest::decode(words, dword)?,
            mini: bit(w1, 30),
            full_fetch_slot: None,
            source: bits(w0, 5, 6) as u8,
            source_relative: bit(w0, 11),
            source_component: Component::from_index(bits(w0, 30, 2)),
            fetch_constant: (bits(w0, 20, 5) * 3 + sub_index) as u8,
            format,
            signed: bit(w1, 12),
            integer: bit(w1, 13),
            signed_mode: if bit(w1, 14) { SignedFractionMode::NoZero } else { SignedFractionMode::ZeroClampMinusOne },
            exp_adjust: signed_bits(w1, 24, 6) as i8,
            round_index: bit(w1, 15),
            stride: bits(w2, 0, 8) as u8,
            offset: signed_bits(w2, 8, 23),
            prefetch_count: bits(w0, 27, 3) as u8 + 1,
            predicate: predicate(words),
        })
    }
}

/// Texture unit operations (xenia `ucode.h` `FetchOpcode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextureOp {
    /// `tfetch*`: sample.
    Fetch,
    /// `getBCF*`: the fraction of border colour a fetch would blend in (X).
    BorderColorFraction,
    /// `getCompTexLOD*`: the LOD a fetch would use (X).
    ComputedLod,
    /// `getGradients`: XZ = d/dx, YW = d/dy of the source's XY.
    Gradients,
    /// `getWeights*`: the bilinear and mip lerp factors.
    Weights,
    /// `setTexLOD`: the LOD for later fetches with register LOD.
    SetLod,
    /// `setGradientH`: horizontal gradients for later fetches.
    SetGradientsH,
    /// `setGradientV`: vertical gradients for later fetches.
    SetGradientsV,
}

impl TextureOp {
    fn from_opcode(opcode: u32) -> Option<TextureOp> {
        Some(match opcode {
            1 => TextureOp::Fetch,
            16 => TextureOp::BorderColorFraction,
            17 => TextureOp::ComputedLod,
            18 => TextureOp::Gradients,
            19 => TextureOp::Weights,
            24 => TextureOp::SetLod,
            25 => TextureOp::SetGradientsH,
            26 => TextureOp::SetGradientsV,
            _ => return None,
        })
    }

    /// Whether it writes a destination register (the `set*` ones do not).
    pub fn has_dest(self) -> bool {
        !matches!(self, TextureOp::SetLod | TextureOp::SetGradientsH | TextureOp::SetGradientsV)
    }

    /// Whether it names a texture fetch constant and takes the sampling
    /// attributes (the `set*` ones do not).
    pub fn uses_texture(self) -> bool {
        self.has_dest()
    }
}

/// Texture dimension of a texture-unit operation (dword 2 bits 14–15).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    D1,
    D2,
    /// 3D, or a stack of 2D layers.
    D3,
    Cube,
}

impl Dimension {
    /// Coordinate components: 1, 2, 3, and 3 for a cube (face S, T, ID).
    pub fn components(self) -> u8 {
        match self {
            Dimension::D1 => 1,
            Dimension::D2 => 2,
            Dimension::D3 | Dimension::Cube => 3,
        }
    }
}

/// A texture filter override (2 bits; 3 = as the fetch constant says).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextureFilter {
    Point,
    Linear,
    /// The base level only (mip filter).
    BaseMap,
}

fn filter(value: u32) -> Option<TextureFilter> {
    match value {
        0 => Some(TextureFilter::Point),
        1 => Some(TextureFilter::Linear),
        2 => Some(TextureFilter::BaseMap),
        _ => None,
    }
}

/// An anisotropic filter override (3 bits; 7 = as the fetch constant says).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnisoFilter {
    Disabled,
    Max1To1,
    Max2To1,
    Max4To1,
    Max8To1,
    Max16To1,
}

/// Where a pixel shader samples interpolants for this fetch's gradients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleLocation {
    Centroid,
    Center,
}

/// A texture-unit operation (xenia `ucode.h` `TextureFetchInstruction`).
/// Beyond the shared fields: fetch-valid-only 19, unnormalized coordinates
/// 25, source swizzle 26–31 (dword 0); mag 12–13, min 14–15, mip 16–17,
/// aniso 18–20, arbitrary 21–23, volume mag 24–25, volume min 26–27
/// filters, computed LOD 28, register LOD 29 (dword 1); register gradients
/// 0, sample location 1, LOD bias 2–8 (signed sixteenths), dimension
/// 14–15, offsets X 16–20, Y 21–25, Z 26–30 (signed halves) (dword 2).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextureFetch {
    pub op: TextureOp,
    pub dimension: Dimension,
    /// Unused for the `set*` operations.
    pub dest: FetchDest,
    pub source: u8,
    pub source_relative: bool,
    /// Absolute source components; [`TextureFetch::coordinates`] of them
    /// are read.
    pub source_swizzle: [Component; 3],
    /// Texture fetch constant, 0–31.
    pub fetch_constant: u8,
    /// Fetch only for pixels covered by the primitive (the default).
    pub fetch_valid_only: bool,
    pub unnormalized_coordinates: bool,
    /// `None`: as the fetch constant says.
    pub mag_filter: Option<TextureFilter>,
    pub min_filter: Option<TextureFilter>,
    pub mip_filter: Option<TextureFilter>,
    pub aniso_filter: Option<AnisoFilter>,
    pub vol_mag_filter: Option<TextureFilter>,
    pub vol_min_filter: Option<TextureFilter>,
    /// The deprecated arbitrary-filter field, raw (7 = fetch constant).
    pub arbitrary_filter: u8,
    /// Use the LOD the hardware computes (the default).
    pub use_computed_lod: bool,
    /// Use the LOD set by `setTexLOD`.
    pub use_register_lod: bool,
    /// Use the gradients set by `setGradientH` / `setGradientV`.
    pub use_register_gradients: bool,
    pub sample_location: SampleLocation,
    /// Added to the LOD, -4.0..=3.9375 in sixteenths.
    pub lod_bias: f32,
    /// Texel offsets added before sampling, -8.0..=7.5 in halves.
    pub offset: [f32; 3],
    pub predicate: Option<bool>,
}

impl TextureFetch {
    /// Decodes the slot at `dword`.
    pub fn decode(words: [u32; 3], dword: usize) -> Result<TextureFetch, DecodeError> {
        let [w0, w1, w2] = words;
        let opcode = bits(w0, 0, 5);
        let op = TextureOp::from_opcode(opcode)
            .ok_or_else(|| DecodeError::field(dword, "fetch opcode", opcode, "undefined fetch opcode"))?;
        let aniso = bits(w1, 18, 3);
        let aniso_filter = match aniso {
            0 => Some(AnisoFilter::Disabled),
            1 => Some(AnisoFilter::Max1To1),
            2 => Some(AnisoFilter::Max2To1),
            3 => Some(AnisoFilter::Max4To1),
            4 => Some(AnisoFilter::Max8To1),
            5 => Some(AnisoFilter::Max16To1),
            7 => None,
            _ => return Err(DecodeError::field(dword + 1, "aniso filter", aniso, "undefined anisotropic filter")),
        };
        let swizzle = bits(w0, 26, 6);
        Ok(TextureFetch {
            op,
            dimension: [Dimension::D1, Dimension::D2, Dimension::D3, Dimension::Cube][bits(w2, 14, 2) as usize],
            dest: FetchDest::decode(words, dword)?,
            source: bits(w0, 5, 6) as u8,
            source_relative: bit(w0, 11),
            source_swizzle: [0, 2, 4].map(|at| Component::from_index(swizzle >> at)),
            fetch_constant: bits(w0, 20, 5) as u8,
            fetch_valid_only: bit(w0, 19),
            unnormalized_coordinates: bit(w0, 25),
            mag_filter: filter(bits(w1, 12, 2)),
            min_filter: filter(bits(w1, 14, 2)),
            mip_filter: filter(bits(w1, 16, 2)),
            aniso_filter,
            vol_mag_filter: filter(bits(w1, 24, 2)),
            vol_min_filter: filter(bits(w1, 26, 2)),
            arbitrary_filter: bits(w1, 21, 3) as u8,
            use_computed_lod: bit(w1, 28),
            use_register_lod: bit(w1, 29),
            use_register_gradients: bit(w2, 0),
            sample_location: if bit(w2, 1) { SampleLocation::Center } else { SampleLocation::Centroid },
            lod_bias: signed_bits(w2, 2, 7) as f32 / 16.0,
            offset: [16, 21, 26].map(|at| signed_bits(w2, at, 5) as f32 / 2.0),
            predicate: predicate(words),
        })
    }

    /// How many source components the operation reads: the dimension's,
    /// except two for `getGradients`, one for `setTexLOD`, three for the
    /// gradient setters (xenia `shader_translator.cc`).
    pub fn coordinates(&self) -> u8 {
        match self.op {
            TextureOp::Gradients => 2,
            TextureOp::SetLod => 1,
            TextureOp::SetGradientsH | TextureOp::SetGradientsV => 3,
            _ => self.dimension.components(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Component::{X, Y, Z};

    #[test]
    fn vertex_fetch_fields_decode_from_their_bits() {
        // vfetch_full r3.yx01, r[2+aL].z, vf2 (hardware constant 93 =
        // 31 * 3 + 0; 95 - 93 = 2), signed integer FMT_16_16_16_16,
        // ExpAdjust -2, RoundIndex, Stride 6, Offset -5, PrefetchCount 3,
        // (p0).
        // dword 0: opcode 0, src 2 (5–10), src relative (11), dst 3
        //   (12–17), must-be-one (19), constant 31 (20–24), sub-index 0,
        //   prefetch 2 (27–29), source component z (30–31).
        let w0 = 2 << 5 | 1 << 11 | 3 << 12 | 1 << 19 | 31 << 20 | 2 << 27 | 2 << 30;
        // dword 1: swizzle y, x, 0, 1 = 1 | 0 << 3 | 4 << 6 | 5 << 9;
        //   signed (12), integer (13), round (15), format 26 (16–21),
        //   exp adjust -2 = 0b111110 (24–29), predicated (31).
        let w1 = 1 | 4 << 6 | 5 << 9 | 1 << 12 | 1 << 13 | 1 << 15 | 26 << 16 | 0b11_1110 << 24 | 1 << 31;
        // dword 2: stride 6, offset -5 (23 bits from 8), expected 1 (31).
        let w2 = 6 | ((-5i32 as u32) & 0x7F_FFFF) << 8 | 1 << 31;
        assert_eq!([w0, w1, w2], [0x91F8_3840, 0xBE1A_BB01, 0xFFFF_FB06]);
        let fetch = VertexFetch::decode([w0, w1, w2], 0).unwrap();
        assert_eq!(
            fetch.dest,
            FetchDest { index: 3, relative: false, writes: [Write::From(Y), Write::From(X), Write::Zero, Write::One] }
        );
        assert_eq!((fetch.source, fetch.source_relative, fetch.source_component), (2, true, Z));
        assert_eq!(fetch.fetch_constant, 93);
        assert_eq!(fetch.format, VertexFormat::Fmt16_16_16_16);
        assert!(fetch.signed && fetch.integer && fetch.round_index && !fetch.mini);
        assert_eq!(fetch.signed_mode, SignedFractionMode::ZeroClampMinusOne);
        assert_eq!((fetch.exp_adjust, fetch.stride, fetch.offset, fetch.prefetch_count), (-2, 6, -5, 3));
        assert_eq!(fetch.predicate, Some(true));
    }

    #[test]
    fn vertex_fetch_rejects_formats_the_vertex_unit_lacks() {
        // Format 2 (FMT_8) in dword 1 bits 16–21.
        let words = [0, 2 << 16 | 0xFFF, 0];
        assert_eq!(
            VertexFetch::decode(words, 30),
            Err(DecodeError::field(31, "vertex format", 2, "not a vertex format"))
        );
        assert_eq!(VertexFormat::Fmt32_32_32Float.number(), 57);
        assert_eq!(VertexFormat::Fmt32_32_32Float.name(), "FMT_32_32_32_FLOAT");
        assert_eq!(VertexFormat::Fmt10_11_11.components(), 3);
    }

    #[test]
    fn vertex_fetch_constant_sub_index_three_is_undefined() {
        let words = [3 << 25, 57 << 16 | 0x688, 0];
        assert_eq!(
            VertexFetch::decode(words, 6),
            Err(DecodeError::field(6, "fetch constant sub-index", 3, "a slot holds three vertex fetch constants"))
        );
    }

    #[test]
    fn fetch_destination_selector_six_is_undefined() {
        let words = [0, 57 << 16 | 6 << 3 | 0xE00, 0];
        assert_eq!(
            VertexFetch::decode(words, 0),
            Err(DecodeError::field(1, "fetch destination swizzle", 6, "undefined component selector"))
        );
    }

    #[test]
    fn texture_fetch_carries_filter_overrides_lod_and_offsets() {
        // tfetch3D r1.xyz_, r4.zyx, tf9, FetchValidOnly=false,
        // UnnormalizedTextureCoords=true, MagFilter=point,
        // MinFilter=linear, MipFilter=basemap, AnisoFilter=max4to1,
        // VolMagFilter=keep, VolMinFilter=point, UseComputedLOD=false,
        // UseRegisterLOD=true, UseRegisterGradients=true, center,
        // LODBias=-1.25, OffsetX=1.5, OffsetY=-8, OffsetZ=7.5.
        // dword 0: opcode 1, src 4, dst 1, constant 9 (20–24),
        //   unnormalized (25), swizzle z, y, x = 2 | 1 << 2 | 0 << 4 (26–31).
        let w0 = 1 | 4 << 5 | 1 << 12 | 9 << 20 | 1 << 25 | 0b00_01_10 << 26;
        // dword 1: dest x, y, z, keep = 0 | 1 << 3 | 2 << 6 | 7 << 9; mag 0,
        //   min 1, mip 2, aniso 3, arbitrary 7, vol mag 3, vol min 0,
        //   register LOD (29).
        let w1 = 0xE88 | 1 << 14 | 2 << 16 | 3 << 18 | 7 << 21 | 3 << 24 | 1 << 29;
        // dword 2: register gradients (0), center (1), bias -20/16 (2–8),
        //   dimension 2 (14–15), offsets 3, -16, 15 halves.
        let w2 = 1 | 1 << 1 | ((-20i32 as u32) & 0x7F) << 2 | 2 << 14 | 3 << 16 | 0b10000 << 21 | 15 << 26;
        let fetch = TextureFetch::decode([w0, w1, w2], 9).unwrap();
        assert_eq!((fetch.op, fetch.dimension, fetch.coordinates()), (TextureOp::Fetch, Dimension::D3, 3));
        assert_eq!(fetch.dest.writes, [Write::From(X), Write::From(Y), Write::From(Z), Write::Keep]);
        assert_eq!((fetch.source, fetch.source_swizzle, fetch.fetch_constant), (4, [Z, Y, X], 9));
        assert!(!fetch.fetch_valid_only && fetch.unnormalized_coordinates);
        assert_eq!(fetch.mag_filter, Some(TextureFilter::Point));
        assert_eq!(fetch.min_filter, Some(TextureFilter::Linear));
        assert_eq!(fetch.mip_filter, Some(TextureFilter::BaseMap));
        assert_eq!(fetch.aniso_filter, Some(AnisoFilter::Max4To1));
        assert_eq!((fetch.vol_mag_filter, fetch.vol_min_filter), (None, Some(TextureFilter::Point)));
        assert_eq!(fetch.arbitrary_filter, 7);
        assert!(!fetch.use_computed_lod && fetch.use_register_lod && fetch.use_register_gradients);
        assert_eq!(fetch.sample_location, SampleLocation::Center);
        assert_eq!(fetch.lod_bias, -1.25);
        assert_eq!(fetch.offset, [1.5, -8.0, 7.5]);
        assert_eq!(fetch.predicate, None);
    }

    #[test]
    fn texture_unit_operations_other_than_fetch_decode_by_opcode() {
        let op = |opcode: u32| TextureFetch::decode([opcode, 0x688 | 7 << 18, 0], 0).map(|f| f.op);
        assert_eq!(op(16), Ok(TextureOp::BorderColorFraction));
        assert_eq!(op(17), Ok(TextureOp::ComputedLod));
        assert_eq!(op(18), Ok(TextureOp::Gradients));
        assert_eq!(op(19), Ok(TextureOp::Weights));
        assert_eq!(op(24), Ok(TextureOp::SetLod));
        assert_eq!(op(25), Ok(TextureOp::SetGradientsH));
        assert_eq!(op(26), Ok(TextureOp::SetGradientsV));
        assert_eq!(op(2), Err(DecodeError::field(0, "fetch opcode", 2, "undefined fetch opcode")));
        assert!(!TextureOp::SetLod.has_dest() && TextureOp::Weights.has_dest());
        // Aniso value 6 is undefined.
        assert_eq!(
            TextureFetch::decode([1, 0x688 | 6 << 18, 0], 3),
            Err(DecodeError::field(4, "aniso filter", 6, "undefined anisotropic filter"))
        );
    }
}
