//! The console's 2D tiled texture layout: where block (x, y) of a tiled
//! texture lives in memory. Resolves always write this layout, and front
//! buffers are read from it.
//!
//! Facts (from xenia `texture_address.h`, `Tiled2D`): storage pitch and
//! height are multiples of 32 blocks; the texture is cut into 32×32-block
//! macro tiles laid out row by row; inside a macro tile the address bits
//! interleave the block's x and y bits with a bank bit (y bit 4), two pipe
//! bits (x bits 3–4, the upper one flipped by y bit 3) and y bit 0. A "block"
//! is a pixel for uncompressed formats.

/// Storage pitch and height alignment, in blocks.
pub const PITCH_ALIGNMENT: u32 = 32;

/// Rounds a pitch or height in blocks up to the storage alignment.
pub fn align_storage(blocks: u32) -> u32 {
    blocks.div_ceil(PITCH_ALIGNMENT) * PITCH_ALIGNMENT
}

/// Byte offset of block (`x`, `y`) in a 2D tiled texture whose storage
/// pitch is `pitch` blocks (a multiple of 32) and whose blocks are
/// `1 << bytes_per_block_log2` bytes.
pub fn tiled_2d_offset(x: u32, y: u32, pitch: u32, bytes_per_block_log2: u32) -> u32 {
    debug_assert_eq!(pitch % PITCH_ALIGNMENT, 0, "storage pitch {pitch} is not 32-aligned");
    // Which macro tile, then which of its 64 groups of 16 blocks.
    let macro_index = (y >> 5) * (pitch >> 5) + (x >> 5);
    let within = ((y >> 1) & 7) << 3 | (x & 7);
    let bytes = (macro_index << 6 | within) << bytes_per_block_log2;
    let bank = (y >> 4) & 1;
    let pipe = ((x >> 3) & 3) ^ (((y >> 3) & 1) << 1);
    let y_low = y & 1;
    // Spread the combined byte offset around the bank / pipe / y bits:
    // bits 0–3 stay, bit 4 goes to 5, bits 5–7 to 8–10, bits 8+ to 12+.
    (bytes & 0xF)
        | ((bytes >> 4) & 1) << 5
        | ((bytes >> 5) & 7) << 8
        | (bytes >> 8) << 12
        | y_low << 4
        | pipe << 6
        | bank << 11
}

/// Byte offset of block (`x`, `y`) in a linear texture of `pitch` blocks.
pub fn linear_offset(x: u32, y: u32, pitch: u32, bytes_per_block_log2: u32) -> u32 {
    (y * pitch + x) << bytes_per_block_log2
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every block of a 32-aligned texture maps to its own block-sized slot
    /// inside the texture's storage: the layout is a permutation.
    fn assert_permutation(width: u32, height: u32, log2: u32) {
        let (pitch, rows) = (align_storage(width), align_storage(height));
        let size = (pitch * rows) << log2;
        let mut seen = vec![false; (size >> log2) as usize];
        for y in 0..rows {
            for x in 0..pitch {
                let at = tiled_2d_offset(x, y, pitch, log2);
                assert_eq!(at % (1 << log2), 0, "({x},{y}) at {at:#x} is not block-aligned");
                assert!(at < size, "({x},{y}) at {at:#x} is past the {size:#x}-byte storage");
                let slot = &mut seen[(at >> log2) as usize];
                assert!(!*slot, "({x},{y}) lands on a slot already taken");
                *slot = true;
            }
        }
    }

    #[test]
    fn tiled_layout_is_a_permutation_of_the_storage_for_32_bit_blocks() {
        assert_permutation(1280, 720, 2);
        assert_permutation(96, 64, 2);
    }

    #[test]
    fn tiled_layout_is_a_permutation_for_other_block_sizes() {
        assert_permutation(64, 64, 0);
        assert_permutation(64, 32, 1);
        assert_permutation(64, 32, 3);
        assert_permutation(32, 32, 4);
    }

    #[test]
    fn tiled_layout_matches_known_offsets() {
        // Blocks 0–3 of a row are contiguous; address bit 4 belongs to y
        // bit 0, so blocks 4–7 follow at 32; x bit 3 is the low pipe bit.
        assert_eq!(tiled_2d_offset(0, 0, 32, 2), 0);
        assert_eq!(tiled_2d_offset(3, 0, 32, 2), 12);
        assert_eq!(tiled_2d_offset(7, 0, 32, 2), 32 + 12);
        assert_eq!(tiled_2d_offset(8, 0, 32, 2), 1 << 6);
        assert_eq!(tiled_2d_offset(0, 1, 32, 2), 1 << 4);
        // y bit 3 flips the upper pipe bit (and y bits 1–3 pick the row group).
        assert_eq!(tiled_2d_offset(0, 8, 32, 2), 4 << 8 | 2 << 6);
        assert_eq!(tiled_2d_offset(0, 16, 32, 2), 1 << 11);
        // The next macro tile in the row starts 32·32 blocks later.
        assert_eq!(tiled_2d_offset(32, 0, 64, 2), 32 * 32 * 4);
    }

    #[test]
    fn a_tiled_round_trip_restores_the_image() {
        let (w, h) = (64u32, 40u32);
        let pitch = align_storage(w);
        let image: Vec<u32> = (0..w * h).map(|i| i.wrapping_mul(0x9E37_79B9)).collect();
        let mut tiled = vec![0u32; (pitch * align_storage(h)) as usize];
        for y in 0..h {
            for x in 0..w {
                tiled[(tiled_2d_offset(x, y, pitch, 2) / 4) as usize] = image[(y * w + x) as usize];
            }
        }
        let back: Vec<u32> = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| tiled[(tiled_2d_offset(x, y, pitch, 2) / 4) as usize])
            .collect();
        assert_eq!(back, image);
    }

    #[test]
    fn linear_offsets_are_row_major() {
        assert_eq!(linear_offset(3, 2, 10, 2), (2 * 10 + 3) * 4);
    }
}
