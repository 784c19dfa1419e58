//! Pixel formats: render-target formats in EDRAM, texture (resolve
//! destination and front buffer) formats in memory, and conversions between
//! them. Format numbers and bit layouts from xenia `xenos.h`
//! (`ColorRenderTargetFormat`, `TextureFormat`) and its resolve shaders'
//! packing (first component in the low bits).

/// `RB_COLOR_INFO.color_format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorTarget {
    K8888,
    K8888Gamma,
    K2101010,
    K2101010Float,
    K1616,
    K16161616,
    K1616Float,
    K16161616Float,
    K2101010As10101010,
    K2101010FloatAs16161616,
    K32Float,
    K3232Float,
}

impl ColorTarget {
    pub fn from_bits(bits: u32) -> Option<ColorTarget> {
        use ColorTarget::*;
        Some(match bits & 0xF {
            0 => K8888,
            1 => K8888Gamma,
            2 => K2101010,
            3 => K2101010Float,
            4 => K1616,
            5 => K16161616,
            6 => K1616Float,
            7 => K16161616Float,
            10 => K2101010As10101010,
            12 => K2101010FloatAs16161616,
            14 => K32Float,
            15 => K3232Float,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        use ColorTarget::*;
        match self {
            K8888 => "k_8_8_8_8",
            K8888Gamma => "k_8_8_8_8_GAMMA",
            K2101010 => "k_2_10_10_10",
            K2101010Float => "k_2_10_10_10_FLOAT",
            K1616 => "k_16_16",
            K16161616 => "k_16_16_16_16",
            K1616Float => "k_16_16_FLOAT",
            K16161616Float => "k_16_16_16_16_FLOAT",
            K2101010As10101010 => "k_2_10_10_10_AS_10_10_10_10",
            K2101010FloatAs16161616 => "k_2_10_10_10_FLOAT_AS_16_16_16_16",
            K32Float => "k_32_FLOAT",
            K3232Float => "k_32_32_FLOAT",
        }
    }

    pub fn is_64bpp(self) -> bool {
        matches!(self, ColorTarget::K16161616 | ColorTarget::K16161616Float | ColorTarget::K3232Float)
    }

    /// The sample as normalised RGBA, for the formats Xenact converts.
    pub fn unpack(self, word: u32) -> Option<[f32; 4]> {
        match self {
            ColorTarget::K8888 | ColorTarget::K8888Gamma => Some(unpack_8888(word)),
            ColorTarget::K2101010 | ColorTarget::K2101010As10101010 => Some(unpack_2101010(word)),
            _ => None,
        }
    }
}

/// Texture formats Xenact reads or writes (`TextureFormat` / `ColorFormat` numbers).
pub mod texture {
    pub const K_5_6_5: u32 = 4;
    pub const K_8_8_8_8: u32 = 6;
    pub const K_2_10_10_10: u32 = 7;
    pub const K_8_8_8_8_A: u32 = 14;
    pub const K_24_8: u32 = 22;
    pub const K_24_8_FLOAT: u32 = 23;
    pub const K_16_16_FLOAT: u32 = 31;
    pub const K_32_FLOAT: u32 = 36;
    pub const K_8_8_8_8_AS_16_16_16_16: u32 = 50;
    pub const K_2_10_10_10_AS_16_16_16_16: u32 = 54;

    /// A readable name for logs.
    pub fn name(format: u32) -> String {
        let known = match format {
            K_5_6_5 => "k_5_6_5",
            K_8_8_8_8 => "k_8_8_8_8",
            K_2_10_10_10 => "k_2_10_10_10",
            K_8_8_8_8_A => "k_8_8_8_8_A",
            K_24_8 => "k_24_8",
            K_24_8_FLOAT => "k_24_8_FLOAT",
            K_16_16_FLOAT => "k_16_16_FLOAT",
            K_32_FLOAT => "k_32_FLOAT",
            K_8_8_8_8_AS_16_16_16_16 => "k_8_8_8_8_AS_16_16_16_16",
            K_2_10_10_10_AS_16_16_16_16 => "k_2_10_10_10_AS_16_16_16_16",
            _ => return format!("texture format {format}"),
        };
        known.to_string()
    }
}

/// How a 32-bit texture format packs four components, first in the low bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packing {
    P8888,
    P2101010,
}

impl Packing {
    /// The packing of a 32-bit-per-pixel colour texture format.
    pub fn of_texture(format: u32) -> Option<Packing> {
        match format {
            texture::K_8_8_8_8 | texture::K_8_8_8_8_A | texture::K_8_8_8_8_AS_16_16_16_16 => Some(Packing::P8888),
            texture::K_2_10_10_10 | texture::K_2_10_10_10_AS_16_16_16_16 => Some(Packing::P2101010),
            _ => None,
        }
    }

    pub fn unpack(self, word: u32) -> [f32; 4] {
        match self {
            Packing::P8888 => unpack_8888(word),
            Packing::P2101010 => unpack_2101010(word),
        }
    }

    pub fn pack(self, rgba: [f32; 4]) -> u32 {
        match self {
            Packing::P8888 => rgba.iter().enumerate().fold(0, |acc, (i, &v)| acc | unorm(v, 8) << (8 * i)),
            Packing::P2101010 => {
                unorm(rgba[0], 10) | unorm(rgba[1], 10) << 10 | unorm(rgba[2], 10) << 20 | unorm(rgba[3], 2) << 30
            }
        }
    }
}

fn unpack_8888(word: u32) -> [f32; 4] {
    std::array::from_fn(|i| ((word >> (8 * i)) & 0xFF) as f32 / 255.0)
}

fn unpack_2101010(word: u32) -> [f32; 4] {
    [
        (word & 0x3FF) as f32 / 1023.0,
        ((word >> 10) & 0x3FF) as f32 / 1023.0,
        ((word >> 20) & 0x3FF) as f32 / 1023.0,
        (word >> 30) as f32 / 3.0,
    ]
}

/// Rounds a normalised value to a `bits`-bit unsigned integer (clamped).
fn unorm(v: f32, bits: u32) -> u32 {
    let max = ((1u32 << bits) - 1) as f32;
    (v.clamp(0.0, 1.0) * max + 0.5) as u32
}

/// Swaps the first and third components of a packed word (red and blue:
/// `RB_COPY_DEST_INFO.copy_dest_swap`).
pub fn swap_red_blue(packing: Packing, word: u32) -> u32 {
    match packing {
        Packing::P8888 => word & 0xFF00_FF00 | (word & 0xFF) << 16 | (word >> 16) & 0xFF,
        Packing::P2101010 => word & 0xC00F_FC00 | (word & 0x3FF) << 20 | (word >> 20) & 0x3FF,
    }
}

/// Applies a texture fetch swizzle (3 bits per output component: 0–3 pick
/// a component, 4 is 0, 5 is 1) to unpacked components.
pub fn swizzle(components: [f32; 4], swizzle: u32) -> [f32; 4] {
    std::array::from_fn(|i| match (swizzle >> (3 * i)) & 7 {
        c @ 0..=3 => components[c as usize],
        4 => 0.0,
        _ => 1.0,
    })
}

/// The identity swizzle (XYZW).
pub const SWIZZLE_XYZW: u32 = 1 << 3 | 2 << 6 | 3 << 9;

/// Normalised RGBA to 8-bit RGBA.
pub fn to_rgba8(rgba: [f32; 4]) -> [u8; 4] {
    rgba.map(|v| unorm(v, 8) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_8_8_8_8_keeps_red_in_the_low_byte_through_a_round_trip() {
        let word = 0x8040_20FF;
        let rgba = Packing::P8888.unpack(word);
        assert_eq!(rgba[0], 1.0);
        assert_eq!(to_rgba8(rgba), [0xFF, 0x20, 0x40, 0x80]);
        assert_eq!(Packing::P8888.pack(rgba), word);
    }

    #[test]
    fn k_2_10_10_10_round_trips_and_converts_to_8_bit() {
        let word = 3 << 30 | 1023 << 20 | 512 << 10;
        let rgba = Packing::P2101010.unpack(word);
        assert_eq!(Packing::P2101010.pack(rgba), word);
        assert_eq!(to_rgba8(rgba), [0, 128, 255, 255]);
        assert_eq!(Packing::P8888.pack(rgba), 0xFFFF_8000);
    }

    #[test]
    fn red_blue_swap_exchanges_the_outer_components() {
        assert_eq!(swap_red_blue(Packing::P8888, 0x4433_2211), 0x4411_2233);
        let w = 2 << 30 | 7 << 20 | 5 << 10 | 9;
        assert_eq!(swap_red_blue(Packing::P2101010, w), 2 << 30 | 9 << 20 | 5 << 10 | 7);
    }

    #[test]
    fn swizzle_selects_components_and_constants() {
        let c = [0.1, 0.2, 0.3, 0.4];
        assert_eq!(swizzle(c, SWIZZLE_XYZW), c);
        // ZYX1: a BGRA texture read as RGBA with opaque alpha.
        assert_eq!(swizzle(c, 2 | 1 << 3 | 5 << 9), [0.3, 0.2, 0.1, 1.0]);
        assert_eq!(swizzle(c, 4 | 4 << 3 | 4 << 6 | 4 << 9), [0.0; 4]);
    }

    #[test]
    fn render_target_formats_know_their_names_and_sizes() {
        assert_eq!(ColorTarget::from_bits(2).unwrap().name(), "k_2_10_10_10");
        assert!(ColorTarget::from_bits(5).unwrap().is_64bpp());
        assert!(!ColorTarget::from_bits(0).unwrap().is_64bpp());
        assert_eq!(ColorTarget::from_bits(8), None);
    }
}
