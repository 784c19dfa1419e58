//! The front buffer of a swap: where it is (texture fetch constant 0 as
//! `VdSwap` loaded it), a snapshot of its memory taken when the swap
//! executed, and its conversion to 8-bit RGBA rows.
//!
//! Fetch constant fields (xenia `xenos.h`, `xe_gpu_texture_fetch_t`):
//! word 0 bits 22–30 pitch in units of 32 texels, bit 31 tiled; word 1 bits
//! 0–5 format, 6–7 endian, 12–31 base address >> 12; word 2 width − 1
//! (0–12) and height − 1 (13–25); word 3 bits 1–12 swizzle.

use crate::cp::{Endian, Swap};
use crate::format::{self, texture, Packing};
use crate::tiling;
use shared::memory::{GuestMemory, MemError, PhysAddr};

/// Why a front buffer cannot be shown.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FrontBufferError {
    #[error("front buffer format {0} is not presentable yet")]
    Format(String),
    #[error("front buffer of {0}×{1} pixels is empty or larger than 8192×8192")]
    Size(u32, u32),
    #[error("front buffer memory: {0}")]
    Memory(#[from] MemError),
}

/// A front buffer's description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrontBuffer {
    pub base: PhysAddr,
    pub width: u32,
    pub height: u32,
    /// Storage pitch in texels.
    pub pitch: u32,
    pub tiled: bool,
    pub endian: Endian,
    pub packing: Packing,
    pub format: u32,
    pub swizzle: u32,
}

impl FrontBuffer {
    pub fn of_swap(swap: &Swap) -> Result<FrontBuffer, FrontBufferError> {
        let fetch = &swap.texture_fetch;
        let format = swap.format();
        let packing = Packing::of_texture(format).ok_or_else(|| FrontBufferError::Format(texture::name(format)))?;
        let (width, height) = (swap.width, swap.height);
        if width == 0 || height == 0 || width > 8192 || height > 8192 {
            return Err(FrontBufferError::Size(width, height));
        }
        let tiled = swap.tiled();
        let pitch_field = (fetch[0] >> 22 & 0x1FF) * 32;
        let pitch = if pitch_field == 0 { tiling::align_storage(width) } else { pitch_field };
        Ok(FrontBuffer {
            base: PhysAddr(swap.frontbuffer.0 & !0xFFF),
            width,
            height,
            pitch: if tiled { tiling::align_storage(pitch) } else { pitch },
            tiled,
            endian: Endian::from_bits(fetch[1] >> 6),
            packing,
            format,
            swizzle: fetch[3] >> 1 & 0xFFF,
        })
    }

    /// Bytes of memory the texture covers.
    pub fn extent(&self) -> u32 {
        let rows = if self.tiled { tiling::align_storage(self.height) } else { self.height };
        self.pitch * rows * 4
    }

    /// Copies the front buffer's memory (as it is now) out of the guest.
    pub fn capture(&self, memory: &GuestMemory) -> Result<Vec<u8>, FrontBufferError> {
        let mut raw = vec![0; self.extent() as usize];
        memory.read_bytes(GuestMemory::physical_view(self.base)?, &mut raw)?;
        Ok(raw)
    }

    /// Converts a captured front buffer to tightly packed RGBA8 rows.
    pub fn to_rgba8(&self, raw: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; (self.width * self.height * 4) as usize];
        // For 8-bit components, the swizzle is a byte shuffle (or a constant).
        let byte_swizzle: [Option<usize>; 4] = std::array::from_fn(|i| match (self.swizzle >> (3 * i)) & 7 {
            c @ 0..=3 => Some(c as usize),
            _ => None,
        });
        let constants: [u8; 4] = std::array::from_fn(|i| if (self.swizzle >> (3 * i)) & 7 == 5 { 255 } else { 0 });
        let convert = |px: &mut [u8], stored: u32| {
            let word = self.endian.apply(stored);
            match self.packing {
                Packing::P8888 => {
                    let bytes = word.to_le_bytes();
                    for i in 0..4 {
                        px[i] = byte_swizzle[i].map_or(constants[i], |c| bytes[c]);
                    }
                }
                Packing::P2101010 => {
                    let rgba = format::swizzle(self.packing.unpack(word), self.swizzle);
                    px.copy_from_slice(&format::to_rgba8(rgba));
                }
            }
        };
        let word_at = |at: usize| raw.get(at..at + 4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        for y in 0..self.height {
            let row = &mut out[(y * self.width * 4) as usize..((y + 1) * self.width * 4) as usize];
            // Four pixels x..x+3 (x a multiple of 4) are 16 contiguous bytes
            // in both layouts.
            for (group, pixels) in row.chunks_mut(16).enumerate() {
                let x = group as u32 * 4;
                let at = if self.tiled {
                    tiling::tiled_2d_offset(x, y, self.pitch, 2)
                } else {
                    tiling::linear_offset(x, y, self.pitch, 2)
                } as usize;
                for (i, px) in pixels.chunks_exact_mut(4).enumerate() {
                    convert(px, word_at(at + 4 * i));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::SWIZZLE_XYZW;
    use std::os::fd::AsFd;

    fn swap(format: u32, tiled: bool, endian: u32, swizzle: u32) -> Swap {
        Swap {
            frontbuffer: PhysAddr(0x0100_0000),
            width: 40,
            height: 20,
            texture_fetch: [
                (tiled as u32) << 31 | 2 << 22 | 2,
                0x0100_0000 | endian << 6 | format,
                19 << 13 | 39,
                swizzle << 1,
                0,
                0,
            ],
            count: 1,
        }
    }

    #[test]
    fn fetch_constant_fields_describe_the_front_buffer() {
        let fb = FrontBuffer::of_swap(&swap(texture::K_8_8_8_8, true, 2, SWIZZLE_XYZW)).unwrap();
        assert_eq!((fb.base, fb.width, fb.height, fb.pitch, fb.tiled), (PhysAddr(0x0100_0000), 40, 20, 64, true));
        assert_eq!((fb.endian, fb.packing, fb.swizzle), (Endian::Swap8In32, Packing::P8888, SWIZZLE_XYZW));
        assert_eq!(fb.extent(), 64 * 32 * 4);
    }

    #[test]
    fn an_unpresentable_format_is_refused_by_name() {
        let err = FrontBuffer::of_swap(&swap(texture::K_5_6_5, true, 2, SWIZZLE_XYZW)).unwrap_err();
        assert_eq!(err.to_string(), "front buffer format k_5_6_5 is not presentable yet");
    }

    #[test]
    fn a_tiled_big_endian_front_buffer_comes_out_as_rgba_rows() {
        let fd = GuestMemory::create_file().unwrap();
        let memory = GuestMemory::map(fd.as_fd()).unwrap();
        let fb = FrontBuffer::of_swap(&swap(texture::K_8_8_8_8, true, 2, SWIZZLE_XYZW)).unwrap();
        // The guest's view with 8in32: a big-endian word A B G R (R low).
        for y in 0..20 {
            for x in 0..40 {
                let at = 0x0100_0000 + tiling::tiled_2d_offset(x, y, 64, 2);
                memory.write_u32(GuestMemory::physical_view(PhysAddr(at)).unwrap(), 0xFF00_0000 | y << 8 | x).unwrap();
            }
        }
        let rgba = fb.to_rgba8(&fb.capture(&memory).unwrap());
        assert_eq!(rgba.len(), 40 * 20 * 4);
        assert_eq!(&rgba[0..4], &[0, 0, 0, 255]);
        let (x, y) = (37usize, 13usize);
        assert_eq!(&rgba[(y * 40 + x) * 4..][..4], &[37, 13, 0, 255]);
    }

    #[test]
    fn swizzles_and_2_10_10_10_are_applied_when_converting() {
        let fb = FrontBuffer::of_swap(&swap(texture::K_8_8_8_8, false, 0, 2 | 1 << 3 | 5 << 9)).unwrap();
        let mut raw = vec![0u8; fb.extent() as usize];
        raw[0..4].copy_from_slice(&[10, 20, 30, 40]);
        assert_eq!(&fb.to_rgba8(&raw)[0..4], &[30, 20, 10, 255]);
        let fb = FrontBuffer::of_swap(&swap(texture::K_2_10_10_10, false, 0, SWIZZLE_XYZW)).unwrap();
        raw[0..4].copy_from_slice(&(3u32 << 30 | 1023).to_le_bytes());
        assert_eq!(&fb.to_rgba8(&raw)[0..4], &[255, 0, 0, 255]);
    }
}
