//! Resolves: a draw issued with `RB_MODECONTROL.edram_mode = copy` copies a
//! rectangle of an EDRAM render target into guest memory as a tiled texture,
//! then optionally clears that rectangle of the colour and depth targets.
//! This is how Direct3D on the console both clears and presents.
//!
//! Facts from xenia (`draw_util.cc` `GetResolveInfo`, `registers.h`, the
//! resolve shaders):
//! - the rectangle is the bounding box of the three vertices (six floats)
//!   that vertex fetch constant 0 points at, taken with the top-left rule
//!   in 16.8 fixed point, shifted by half a pixel when
//!   `PA_SU_VTX_CNTL.pix_center` is the Direct3D convention, moved by
//!   `PA_SC_WINDOW_OFFSET` when `PA_SU_SC_MODE_CNTL` bit 16 asks for it,
//!   clamped to the window and screen scissors, widened to 8-pixel
//!   alignment and clamped to the surface pitch;
//! - `RB_COPY_CONTROL`: source select (bits 0–2, 4 and above is depth),
//!   sample select (4–6), colour clear enable (8), depth clear enable (9),
//!   copy command (20–21: raw or convert);
//! - `RB_COPY_DEST_INFO`: endian (0–2, the 128-bit set), array (3),
//!   slice (4–6), format (7–12), number format (13–15), exponent bias
//!   (16–21, signed), red/blue swap (24);
//! - `RB_COPY_DEST_PITCH`: pitch (0–13) and height (16–29) in pixels,
//!   rounded up to 32 for the tiled layout;
//! - each pixel (x, y) of the rectangle lands at (x, y) of the destination
//!   texture at `RB_COPY_DEST_BASE` (physical);
//! - clear values are stored as they are: `RB_COLOR_CLEAR` (and
//!   `RB_COLOR_CLEAR_LO` as the second word of 64-bit formats),
//!   `RB_DEPTH_CLEAR`.
//!
//! Destinations are written as little-endian words after the endian swap,
//! as the GPU stores them; with `8in32` a big-endian load by the guest reads
//! the packed value back.

use crate::cp::Endian;
use crate::edram::{Edram, Msaa, Placement};
use crate::format::{self, texture, ColorTarget, Packing};
use crate::registers as regs;
use crate::tiling;
use shared::memory::{GuestMemory, MemError, PhysAddr};

/// Pixels a resolve rectangle is aligned to.
pub const ALIGNMENT: u32 = 8;
/// `RB_MODECONTROL.edram_mode` of a resolve.
pub const EDRAM_MODE_COPY: u32 = 6;
/// Fetch constant type of a vertex fetch.
const FETCH_TYPE_VERTEX: u32 = 3;

/// Why a resolve (or its copy part) was not done.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("copy command {0} is not a raw or converting copy")]
    CopyCommand(u32),
    #[error("vertex fetch constant 0 does not describe a 3-vertex rectangle ({0:#010x} {1:#010x})")]
    NoRectangle(u32, u32),
    #[error("reserved MSAA mode 3 in RB_SURFACE_INFO")]
    Msaa,
    #[error("the resolve rectangle is empty")]
    Empty,
    #[error("resolving from {0} is not implemented (64-bit render target)")]
    Source64(&'static str),
    #[error("unknown colour render target format {0}")]
    SourceFormat(u32),
    #[error("resolving {from} to {to} is not implemented")]
    Conversion { from: &'static str, to: String },
    #[error("resolving into an array or 3D texture is not implemented")]
    ArrayDestination,
    #[error("destination endian mode {0} is not a valid Endian128")]
    DestEndian(u32),
    #[error("destination in guest memory: {0}")]
    Memory(#[from] MemError),
}

/// A resolve rectangle in pixels: `x0..x1`, `y0..y1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

/// What a resolve did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub rect: Rect,
    /// Destination base (physical) and texture format, when the copy ran.
    pub copied_to: Option<(PhysAddr, u32)>,
    /// Why the copy did not run (the clears still do).
    pub copy_refused: Option<ResolveError>,
    pub color_cleared: bool,
    pub depth_cleared: bool,
}

/// Executes the resolve that the registers (read through `reg`) describe.
/// An error means nothing was done; a refused copy is reported in
/// [`Resolved::copy_refused`] while the clears still happen.
pub fn resolve(memory: &GuestMemory, edram: Edram<'_>, reg: &dyn Fn(u32) -> u32) -> Result<Resolved, ResolveError> {
    let copy_control = reg(regs::RB_COPY_CONTROL);
    let rect = rectangle(memory, reg)?;
    let surface_info = reg(regs::CONTEXT_BASE);
    let msaa = Msaa::from_bits(surface_info >> 16).ok_or(ResolveError::Msaa)?;
    let pitch_pixels = surface_info & 0x3FFF;
    let source_select = copy_control & 7;
    let is_depth = source_select >= 4;
    let depth_info = reg(regs::RB_DEPTH_INFO);
    let depth = Placement { base_tiles: depth_info & 0x7FF, pitch_pixels, msaa, depth: true, bpp64: false };

    let copy = match (copy_control >> 20) & 3 {
        0 | 1 => copy(memory, edram, reg, rect, msaa, pitch_pixels, is_depth, depth),
        command => Err(ResolveError::CopyCommand(command)),
    };

    let mut color_cleared = false;
    if copy_control & (1 << 8) != 0 && !is_depth {
        let info = reg(color_info_register(source_select));
        if let Some(target) = ColorTarget::from_bits(info >> 16) {
            let placement =
                Placement { base_tiles: info & 0x7FF, pitch_pixels, msaa, depth: false, bpp64: target.is_64bpp() };
            let value = [reg(regs::RB_COLOR_CLEAR), reg(regs::RB_COLOR_CLEAR_LO)];
            edram.fill(&placement, (rect.x0, rect.y0, rect.x1, rect.y1), value);
            color_cleared = true;
        }
    }
    let depth_cleared = copy_control & (1 << 9) != 0;
    if depth_cleared {
        edram.fill(&depth, (rect.x0, rect.y0, rect.x1, rect.y1), [reg(regs::RB_DEPTH_CLEAR), 0]);
    }
    let (copied_to, copy_refused) = match copy {
        Ok(dest) => (Some(dest), None),
        Err(err) => (None, Some(err)),
    };
    Ok(Resolved { rect, copied_to, copy_refused, color_cleared, depth_cleared })
}

fn color_info_register(source_select: u32) -> u32 {
    match source_select {
        1 => regs::RB_COLOR1_INFO,
        2 => regs::RB_COLOR2_INFO,
        3 => regs::RB_COLOR3_INFO,
        _ => regs::RB_COLOR_INFO,
    }
}

/// The resolve rectangle from vertex fetch constant 0 and the scissors.
pub fn rectangle(memory: &GuestMemory, reg: &dyn Fn(u32) -> u32) -> Result<Rect, ResolveError> {
    let (fetch0, fetch1) = (reg(regs::SHADER_CONSTANT_FETCH_00_0), reg(regs::SHADER_CONSTANT_FETCH_00_0 + 1));
    if fetch0 & 3 != FETCH_TYPE_VERTEX || (fetch1 >> 2) & 0xFF_FFFF != 6 {
        return Err(ResolveError::NoRectangle(fetch0, fetch1));
    }
    let address = fetch0 & 0x1FFF_FFFC;
    let endian = Endian::from_bits(fetch1);
    let half_pixel = if reg(regs::PA_SU_VTX_CNTL) & 1 == 0 { 0.5 } else { 0.0 };
    let mut fixed = [0i64; 6];
    for (i, slot) in fixed.iter_mut().enumerate() {
        let at = GuestMemory::physical_view(PhysAddr(address + 4 * i as u32))?;
        // Stored as the GPU reads memory: little-endian words, then the swap.
        let bits = endian.apply(memory.read_u32(at)?.swap_bytes());
        let v = f32::from_bits(bits) + half_pixel;
        *slot = if v.is_finite() { (v * 256.0).round().clamp(-(1 << 30) as f32, (1 << 30) as f32) as i64 } else { 0 };
    }
    // Top-left rule: a pixel whose centre lies exactly on the left or top
    // edge is inside, on the right or bottom edge outside.
    let edge = |v: i64| (v + 127) >> 8;
    let (xs, ys) = ([fixed[0], fixed[2], fixed[4]], [fixed[1], fixed[3], fixed[5]]);
    let mut x0 = edge(*xs.iter().min().unwrap());
    let mut y0 = edge(*ys.iter().min().unwrap());
    let mut x1 = edge(*xs.iter().max().unwrap());
    let mut y1 = edge(*ys.iter().max().unwrap());

    let window = reg(regs::PA_SC_WINDOW_OFFSET);
    let (wx, wy) = (sign_extend_15(window), sign_extend_15(window >> 16));
    if reg(regs::PA_SU_SC_MODE_CNTL) & (1 << 16) != 0 {
        (x0, y0, x1, y1) = (x0 + wx, y0 + wy, x1 + wx, y1 + wy);
    }
    let (tl, br) = (reg(regs::PA_SC_WINDOW_SCISSOR_TL), reg(regs::PA_SC_WINDOW_SCISSOR_BR));
    let (mut sx0, mut sy0) = ((tl & 0x3FFF) as i64, (tl >> 16 & 0x3FFF) as i64);
    let (mut sx1, mut sy1) = ((br & 0x3FFF) as i64, (br >> 16 & 0x3FFF) as i64);
    if tl & (1 << 31) == 0 {
        (sx0, sy0, sx1, sy1) = (sx0 + wx, sy0 + wy, sx1 + wx, sy1 + wy);
    }
    let (screen_tl, screen_br) = (reg(regs::PA_SC_SCREEN_SCISSOR_TL), reg(regs::PA_SC_SCREEN_SCISSOR_BR));
    sx0 = sx0.max(sign_extend_15(screen_tl)).max(0);
    sy0 = sy0.max(sign_extend_15(screen_tl >> 16)).max(0);
    sx1 = sx1.min(sign_extend_15(screen_br)).max(sx0);
    sy1 = sy1.min(sign_extend_15(screen_br >> 16)).max(sy0);
    let (x0, x1) = (x0.clamp(sx0, sx1), x1.clamp(sx0, sx1));
    let (y0, y1) = (y0.clamp(sy0, sy1), y1.clamp(sy0, sy1));

    let align = ALIGNMENT as i64;
    let pitch = (reg(regs::CONTEXT_BASE) & 0x3FFF) as i64 & !(align - 1);
    let x0 = (x0 & !(align - 1)).min(pitch);
    let x1 = ((x1 + align - 1) & !(align - 1)).min(pitch);
    let y0 = y0 & !(align - 1);
    let y1 = (y1 + align - 1) & !(align - 1);
    if x0 >= x1 || y0 >= y1 {
        return Err(ResolveError::Empty);
    }
    Ok(Rect { x0: x0 as u32, y0: y0 as u32, x1: x1 as u32, y1: y1 as u32 })
}

fn sign_extend_15(v: u32) -> i64 {
    (((v & 0x7FFF) << 17) as i32 >> 17) as i64
}

/// How a source word becomes a destination word.
enum Conversion {
    /// The same bits (with red/blue swapped when asked).
    Raw { swap: Option<Packing> },
    /// Through normalised RGBA (averaging samples, exponent bias, swap).
    Convert { from: ColorTarget, to: Packing, swap: bool, scale: f32 },
}

#[allow(clippy::too_many_arguments)]
fn copy(
    memory: &GuestMemory,
    edram: Edram<'_>,
    reg: &dyn Fn(u32) -> u32,
    rect: Rect,
    msaa: Msaa,
    pitch_pixels: u32,
    is_depth: bool,
    depth: Placement,
) -> Result<(PhysAddr, u32), ResolveError> {
    let copy_control = reg(regs::RB_COPY_CONTROL);
    let dest_info = reg(regs::RB_COPY_DEST_INFO);
    if dest_info & (1 << 3) != 0 {
        return Err(ResolveError::ArrayDestination);
    }
    let endian = dest_info & 7;
    if endian > 5 {
        return Err(ResolveError::DestEndian(endian));
    }
    let swap = dest_info & (1 << 24) != 0;
    let exp_bias = ((dest_info >> 16 & 0x3F) << 26) as i32 >> 26;
    let mut dest_format = dest_info >> 7 & 0x3F;

    // Samples to read for each pixel (several are averaged).
    let samples: Vec<u32> = match (copy_control >> 4) & 7 {
        s @ 0..=3 => vec![s],
        4 => vec![0, 1],
        5 => vec![2, 3],
        _ => vec![0, 1, 2, 3],
    }
    .into_iter()
    .filter(|&s| s < msaa.samples())
    .collect();
    let samples = if samples.is_empty() { vec![0] } else { samples };

    let (source, conversion) = if is_depth {
        let depth_float = reg(regs::RB_DEPTH_INFO) & (1 << 16) != 0;
        dest_format = if depth_float { texture::K_24_8_FLOAT } else { texture::K_24_8 };
        (depth, Conversion::Raw { swap: None })
    } else {
        let info = reg(color_info_register(copy_control & 7));
        let target = ColorTarget::from_bits(info >> 16).ok_or(ResolveError::SourceFormat(info >> 16 & 0xF))?;
        if target.is_64bpp() {
            return Err(ResolveError::Source64(target.name()));
        }
        let placement = Placement { base_tiles: info & 0x7FF, pitch_pixels, msaa, depth: false, bpp64: false };
        (placement, conversion(target, dest_format, swap, exp_bias, samples.len() > 1)?)
    };
    // Depth and raw copies take the first selected sample.
    let samples = match conversion {
        Conversion::Raw { .. } => &samples[..1],
        Conversion::Convert { .. } => &samples[..],
    };

    let base = reg(regs::RB_COPY_DEST_BASE) & 0x1FFF_F000;
    let dest_pitch = reg(regs::RB_COPY_DEST_PITCH);
    let pitch = tiling::align_storage((dest_pitch & 0x3FFF).max(1));
    // The whole tiled destination must be plain physical memory.
    let rows = tiling::align_storage(rect.y1.max(dest_pitch >> 16 & 0x3FFF));
    let extent = pitch as u64 * rows as u64 * 4;
    if base as u64 + extent > shared::memory::layout::PHYSICAL_SIZE {
        return Err(ResolveError::Memory(MemError::PhysicalOutOfRange(PhysAddr(base))));
    }
    let dest = memory.host_ptr(GuestMemory::physical_view(PhysAddr(base))?, extent as u32)?;
    // Samples of neighbouring pixels along x are this many words apart
    // (within a group of four, which never straddles a tile).
    let sample_stride = if msaa == Msaa::X4 { 2 } else { 1 };

    // The rectangle is 8-aligned, and in the tiled layout four 32-bit
    // pixels x..x+3 (x a multiple of 4) are 16 contiguous bytes: each group
    // is converted, then written at once.
    let endian = Endian128::from_bits(endian);
    for y in rect.y0..rect.y1 {
        for group in (rect.x0..rect.x1).step_by(4) {
            let mut bytes = [0u8; 16];
            let first: [usize; 4] = std::array::from_fn(|i| source.word(group, y, *samples.get(i).unwrap_or(&0)));
            for i in 0..4 {
                let at = |s: usize| (first[s] + i * sample_stride) % crate::edram::WORDS as usize;
                let word = match &conversion {
                    Conversion::Raw { swap } => {
                        let w = edram.read(at(0));
                        swap.map_or(w, |p| format::swap_red_blue(p, w))
                    }
                    Conversion::Convert { from, to, swap, scale } => {
                        let mut sum = [0f32; 4];
                        for s in 0..samples.len() {
                            let rgba = from.unpack(edram.read(at(s))).unwrap_or_default();
                            sum.iter_mut().zip(rgba).for_each(|(a, v)| *a += v);
                        }
                        let n = samples.len() as f32;
                        let mut rgba = sum.map(|v| v / n * scale);
                        if *swap {
                            rgba.swap(0, 2);
                        }
                        to.pack(rgba)
                    }
                };
                let (slot, stored) = endian.store_32(i as u32, word);
                bytes[slot as usize * 4..][..4].copy_from_slice(&stored.to_le_bytes());
            }
            // Pixels past the destination's pitch have no place in it.
            if group >= pitch {
                break;
            }
            let offset = tiling::tiled_2d_offset(group, y, pitch, 2) as usize;
            assert!(offset + 16 <= extent as usize, "tiled offset {offset:#x} outside the destination");
            // SAFETY: `dest` is valid for `extent` bytes of guest memory
            // (checked by `host_ptr` above) and the group lies inside it.
            // Guest memory is shared with other processes; like every
            // GPU write it is a plain store of bytes.
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), dest.add(offset), bytes.len()) };
        }
    }
    Ok((PhysAddr(base), dest_format))
}

/// `RB_COPY_DEST_INFO.copy_dest_endian`: the 32-bit swaps, and 8in64 /
/// 8in128, which also reverse the order of 32-bit words in 8 / 16 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endian128 {
    Within32(Endian),
    In64,
    In128,
}

impl Endian128 {
    fn from_bits(bits: u32) -> Endian128 {
        match bits {
            4 => Endian128::In64,
            5 => Endian128::In128,
            e => Endian128::Within32(Endian::from_bits(e)),
        }
    }

    /// Where the word of pixel `slot` (0–3) of a 16-byte group goes, and
    /// the value to store there as a little-endian word.
    fn store_32(self, slot: u32, word: u32) -> (u32, u32) {
        match self {
            Endian128::Within32(e) => (slot, e.apply(word)),
            Endian128::In64 => (slot ^ 1, word.swap_bytes()),
            Endian128::In128 => (slot ^ 3, word.swap_bytes()),
        }
    }
}

fn conversion(
    from: ColorTarget,
    to: u32,
    swap: bool,
    exp_bias: i32,
    average: bool,
) -> Result<Conversion, ResolveError> {
    let packing = Packing::of_texture(to);
    let same_bits = match from {
        ColorTarget::K8888 | ColorTarget::K8888Gamma => packing == Some(Packing::P8888),
        ColorTarget::K2101010 | ColorTarget::K2101010As10101010 => packing == Some(Packing::P2101010),
        ColorTarget::K1616Float => to == texture::K_16_16_FLOAT,
        ColorTarget::K32Float => to == texture::K_32_FLOAT,
        _ => false,
    };
    if same_bits && exp_bias == 0 && (!swap || packing.is_some()) && (!average || from.unpack(0).is_none()) {
        return Ok(Conversion::Raw { swap: packing.filter(|_| swap) });
    }
    match (from.unpack(0), packing) {
        (Some(_), Some(to)) => Ok(Conversion::Convert { from, to, swap, scale: (exp_bias as f32).exp2() }),
        _ => Err(ResolveError::Conversion { from: from.name(), to: texture::name(to) }),
    }
}

#[cfg(test)]
mod tests;
