//! EDRAM: the GPU's 10 MiB render-target memory, as the console lays it out.
//!
//! Facts (from xenia `xenos.h` and its resolve shaders' `edram.xesli`):
//! - 2048 tiles of 80×16 samples at 32 bits (5120 bytes a tile); render
//!   targets start at a tile (`RB_COLOR_INFO` / `RB_DEPTH_INFO` bits 0–10)
//!   and their rows are `RB_SURFACE_INFO.surface_pitch` pixels rounded up to
//!   whole tiles;
//! - with 2× MSAA a pixel is 1×2 samples, with 4× 2×2 samples: sample
//!   coordinates are pixel coordinates scaled, plus the sample's position;
//! - a 64-bit format stores 40×16 samples of two words in each tile, so its
//!   tile pitch doubles;
//! - depth tiles have their left and right 40-sample halves swapped;
//! - addressing wraps around after the last tile.
//!
//! The words live in the shared mapping ([`shared::memory::ControlArea::edram`]),
//! so a restarted gpu-proc finds the render targets as they were.

use std::sync::atomic::{AtomicU32, Ordering};

pub const TILE_WIDTH: u32 = 80;
pub const TILE_HEIGHT: u32 = 16;
pub const TILE_COUNT: u32 = 2048;
/// 32-bit words in one tile.
pub const TILE_WORDS: u32 = TILE_WIDTH * TILE_HEIGHT;
/// Words of the whole EDRAM.
pub const WORDS: u32 = TILE_WORDS * TILE_COUNT;

const _: () = assert!(WORDS as usize * 4 == shared::memory::control::EDRAM_SIZE);

/// Multisampling of a surface (`RB_SURFACE_INFO` bits 16–17).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msaa {
    X1,
    X2,
    X4,
}

impl Msaa {
    /// From the 2-bit field; the reserved value 3 is refused.
    pub fn from_bits(bits: u32) -> Option<Msaa> {
        match bits & 3 {
            0 => Some(Msaa::X1),
            1 => Some(Msaa::X2),
            2 => Some(Msaa::X4),
            _ => None,
        }
    }

    /// Samples per pixel along x and y, as shifts.
    fn shifts(self) -> (u32, u32) {
        match self {
            Msaa::X1 => (0, 0),
            Msaa::X2 => (0, 1),
            Msaa::X4 => (1, 1),
        }
    }

    pub fn samples(self) -> u32 {
        let (sx, sy) = self.shifts();
        1 << (sx + sy)
    }
}

/// Where a render target lies in EDRAM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    /// First tile (0–2047).
    pub base_tiles: u32,
    /// Surface pitch in pixels (`RB_SURFACE_INFO.surface_pitch`).
    pub pitch_pixels: u32,
    pub msaa: Msaa,
    pub depth: bool,
    pub bpp64: bool,
}

impl Placement {
    /// Tiles per row of the surface.
    pub fn pitch_tiles(&self) -> u32 {
        let (sx, _) = self.msaa.shifts();
        ((self.pitch_pixels << sx).div_ceil(TILE_WIDTH)) << self.bpp64 as u32
    }

    /// Word index of sample `sample` of pixel (`x`, `y`); for a 64-bit
    /// format the first of its two words.
    pub fn word(&self, x: u32, y: u32, sample: u32) -> usize {
        let (sx, sy) = self.msaa.shifts();
        let sample_x = (x << sx) + ((sample >> 1) & sx);
        let sample_y = (y << sy) + (sample & sy);
        self.sample_word(sample_x, sample_y)
    }

    /// Word index of the sample at sample coordinates (`sx`, `sy`).
    pub fn sample_word(&self, sx: u32, sy: u32) -> usize {
        let tile_width = TILE_WIDTH >> self.bpp64 as u32;
        let (tile_x, mut in_x) = (sx / tile_width, sx % tile_width);
        let (tile_y, in_y) = (sy / TILE_HEIGHT, sy % TILE_HEIGHT);
        if self.depth {
            let half = tile_width / 2;
            in_x = if in_x >= half { in_x - half } else { in_x + half };
        }
        let tile = self.base_tiles as u64 + tile_y as u64 * self.pitch_tiles() as u64 + tile_x as u64;
        let word = tile * TILE_WORDS as u64 + (((in_y * tile_width + in_x) as u64) << self.bpp64 as u32);
        (word % WORDS as u64) as usize
    }

    /// Sample rows and columns covered by the pixels `x0..x1`, `y0..y1`.
    pub fn sample_rect(&self, x0: u32, y0: u32, x1: u32, y1: u32) -> (u32, u32, u32, u32) {
        let (sx, sy) = self.msaa.shifts();
        (x0 << sx, y0 << sy, x1 << sx, y1 << sy)
    }
}

/// The EDRAM words of the shared mapping.
#[derive(Clone, Copy)]
pub struct Edram<'m> {
    words: &'m [AtomicU32],
}

impl<'m> Edram<'m> {
    pub fn new(words: &'m [AtomicU32]) -> Edram<'m> {
        assert_eq!(words.len(), WORDS as usize, "EDRAM must be {WORDS} words");
        Edram { words }
    }

    pub fn read(&self, index: usize) -> u32 {
        self.words[index].load(Ordering::Relaxed)
    }

    pub fn write(&self, index: usize, value: u32) {
        self.words[index].store(value, Ordering::Relaxed);
    }

    /// Fills every sample of the pixels `x0..x1`, `y0..y1` of `target` with
    /// `value` (both words of a 64-bit sample: `value[0]` first).
    pub fn fill(&self, target: &Placement, (x0, y0, x1, y1): (u32, u32, u32, u32), value: [u32; 2]) {
        let (sx0, sy0, sx1, sy1) = target.sample_rect(x0, y0, x1, y1);
        let tile_width = TILE_WIDTH >> target.bpp64 as u32;
        // Samples along a row are consecutive words up to the end of their
        // tile (of their half-tile for depth): fill run by run.
        let span = if target.depth { tile_width / 2 } else { tile_width };
        for sy in sy0..sy1 {
            let mut sx = sx0;
            while sx < sx1 {
                let run = (span - sx % span).min(sx1 - sx);
                let first = target.sample_word(sx, sy);
                let words = &self.words[first..first + (run as usize) * (1 + target.bpp64 as usize)];
                for (i, w) in words.iter().enumerate() {
                    w.store(value[i & target.bpp64 as usize], Ordering::Relaxed);
                }
                sx += run;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn color(base_tiles: u32, pitch_pixels: u32) -> Placement {
        Placement { base_tiles, pitch_pixels, msaa: Msaa::X1, depth: false, bpp64: false }
    }

    #[test]
    fn pitch_rounds_up_to_whole_tiles_and_doubles_for_4x_msaa_and_64_bit() {
        assert_eq!(color(0, 1280).pitch_tiles(), 16);
        assert_eq!(color(0, 256).pitch_tiles(), 4);
        assert_eq!(Placement { msaa: Msaa::X4, ..color(0, 1280) }.pitch_tiles(), 32);
        assert_eq!(Placement { bpp64: true, ..color(0, 1280) }.pitch_tiles(), 32);
    }

    #[test]
    fn pixels_of_a_tile_are_row_major_and_tiles_follow_the_pitch() {
        let rt = color(10, 1280);
        assert_eq!(rt.word(0, 0, 0), 10 * 1280);
        assert_eq!(rt.word(1, 0, 0), 10 * 1280 + 1);
        assert_eq!(rt.word(0, 1, 0), 10 * 1280 + 80);
        assert_eq!(rt.word(80, 0, 0), 11 * 1280);
        assert_eq!(rt.word(0, 16, 0), (10 + 16) * 1280);
    }

    #[test]
    fn depth_tiles_swap_their_halves() {
        let z = Placement { depth: true, ..color(0, 80) };
        assert_eq!(z.word(0, 0, 0), 40);
        assert_eq!(z.word(40, 0, 0), 0);
        assert_eq!(z.word(79, 1, 0), 80 + 39);
    }

    #[test]
    fn msaa_samples_are_spread_over_sample_rows_and_columns() {
        let rt = Placement { msaa: Msaa::X4, ..color(0, 40) };
        assert_eq!(rt.word(0, 0, 0), 0);
        assert_eq!(rt.word(0, 0, 1), 80);
        assert_eq!(rt.word(0, 0, 2), 1);
        assert_eq!(rt.word(0, 0, 3), 81);
        assert_eq!(rt.word(1, 1, 0), 2 + 2 * 80);
        let two = Placement { msaa: Msaa::X2, ..color(0, 80) };
        assert_eq!(two.word(3, 0, 1), 83);
    }

    #[test]
    fn addressing_wraps_after_the_last_tile() {
        let rt = color(2047, 160);
        assert_eq!(rt.word(80, 0, 0), 0);
    }

    #[test]
    fn every_pixel_of_a_720p_target_has_its_own_word() {
        let rt = color(0, 1280);
        let mut seen = vec![false; WORDS as usize];
        for y in 0..720 {
            for x in 0..1280 {
                let w = rt.word(x, y, 0);
                assert!(!seen[w], "({x},{y}) shares word {w}");
                seen[w] = true;
            }
        }
    }

    #[test]
    fn a_fill_writes_every_sample_of_the_rect_and_nothing_else() {
        let words: Vec<AtomicU32> = (0..WORDS).map(|_| AtomicU32::new(0)).collect();
        let edram = Edram::new(&words);
        let rt = Placement { msaa: Msaa::X2, ..color(3, 160) };
        edram.fill(&rt, (8, 8, 16, 24), [0xABCD_EF01, 0]);
        let filled = words.iter().filter(|w| w.load(Ordering::Relaxed) == 0xABCD_EF01).count();
        assert_eq!(filled, 8 * 16 * 2);
        for s in 0..2 {
            assert_eq!(edram.read(rt.word(8, 8, s)), 0xABCD_EF01);
            assert_eq!(edram.read(rt.word(15, 23, s)), 0xABCD_EF01);
        }
        assert_eq!(edram.read(rt.word(16, 8, 0)), 0);
    }
}
