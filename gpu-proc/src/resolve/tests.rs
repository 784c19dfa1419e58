//! Resolves of known EDRAM patterns into guest memory.

use super::*;
use std::collections::HashMap;
use std::os::fd::AsFd;
use std::sync::atomic::AtomicU32;

const VERTICES: u32 = 0x0020_0000;
const DEST: u32 = 0x0100_0000;

struct Rig {
    memory: GuestMemory,
    words: Vec<AtomicU32>,
    regs: HashMap<u32, u32>,
}

impl Rig {
    /// A 1280-pixel-pitch k_8_8_8_8 target at tile 5, depth at tile 900,
    /// scissors open, resolving to k_8_8_8_8 with the 8in32 swap.
    fn new() -> Rig {
        let fd = GuestMemory::create_file().unwrap();
        let memory = GuestMemory::map(fd.as_fd()).unwrap();
        let words = (0..crate::edram::WORDS).map(|_| AtomicU32::new(0)).collect();
        let mut rig = Rig { memory, words, regs: HashMap::new() };
        rig.set(regs::CONTEXT_BASE, 1280);
        rig.set(regs::RB_COLOR_INFO, 5);
        rig.set(regs::RB_DEPTH_INFO, 900);
        rig.set(regs::PA_SC_WINDOW_SCISSOR_BR, 8192 << 16 | 8192);
        rig.set(regs::PA_SC_SCREEN_SCISSOR_BR, 8192 << 16 | 8192);
        rig.set(regs::RB_COPY_DEST_BASE, DEST);
        rig.set(regs::RB_COPY_DEST_PITCH, 128 << 16 | 128);
        rig.set(regs::RB_COPY_DEST_INFO, 2 | texture::K_8_8_8_8 << 7);
        rig.set(regs::SHADER_CONSTANT_FETCH_00_0, VERTICES | FETCH_TYPE_VERTEX);
        rig.set(regs::SHADER_CONSTANT_FETCH_00_0 + 1, 6 << 2 | 2);
        rig
    }

    fn set(&mut self, index: u32, value: u32) {
        self.regs.insert(index, value);
    }

    /// Vertex fetch 0: three corners of the rectangle, big-endian floats
    /// read with the 8in32 swap.
    fn rect_vertices(&self, x0: f32, y0: f32, x1: f32, y1: f32) {
        for (i, v) in [x0, y0, x1, y0, x1, y1].iter().enumerate() {
            self.memory.write_f32(GuestMemory::physical_view(PhysAddr(VERTICES + 4 * i as u32)).unwrap(), *v).unwrap();
        }
    }

    fn edram(&self) -> Edram<'_> {
        Edram::new(&self.words)
    }

    fn color(&self) -> Placement {
        Placement { base_tiles: 5, pitch_pixels: 1280, msaa: Msaa::X1, depth: false, bpp64: false }
    }

    fn run(&self) -> Result<Resolved, ResolveError> {
        let regs = &self.regs;
        resolve(&self.memory, self.edram(), &|i| regs.get(&i).copied().unwrap_or(0))
    }

    /// The destination pixel (x, y) as the guest reads it (big-endian).
    fn dest(&self, x: u32, y: u32) -> u32 {
        let pitch = tiling::align_storage(self.regs[&regs::RB_COPY_DEST_PITCH] & 0x3FFF);
        let at = DEST + tiling::tiled_2d_offset(x, y, pitch, 2);
        self.memory.read_u32(GuestMemory::physical_view(PhysAddr(at)).unwrap()).unwrap()
    }
}

fn pattern(x: u32, y: u32) -> u32 {
    0xFF00_0000 | (y & 0xFF) << 8 | (x & 0xFF) | (x ^ y) << 16 & 0xFF_0000
}

#[test]
fn a_resolve_copies_a_known_pattern_into_the_tiled_destination() {
    let mut rig = Rig::new();
    let rt = rig.color();
    for y in 0..64 {
        for x in 0..96 {
            rig.edram().write(rt.word(x, y, 0), pattern(x, y));
        }
    }
    rig.set(regs::RB_COPY_DEST_PITCH, 64 << 16 | 96);
    // Direct3D's half-pixel convention: vertices at -0.5 cover pixel 0.
    rig.rect_vertices(-0.5, -0.5, 95.5, 63.5);
    let done = rig.run().unwrap();
    assert_eq!(done.rect, Rect { x0: 0, y0: 0, x1: 96, y1: 64 });
    assert_eq!(done.copied_to, Some((PhysAddr(DEST), texture::K_8_8_8_8)));
    for y in 0..64 {
        for x in 0..96 {
            assert_eq!(rig.dest(x, y), pattern(x, y), "pixel ({x},{y})");
        }
    }
}

#[test]
fn a_resolve_with_color_clear_fills_the_rect_after_copying() {
    let mut rig = Rig::new();
    let rt = rig.color();
    rig.edram().write(rt.word(10, 10, 0), 0x1234_5678);
    rig.edram().write(rt.word(40, 10, 0), 0x0BAD_F00D);
    rig.set(regs::RB_COPY_CONTROL, 1 << 8);
    rig.set(regs::RB_COLOR_CLEAR, 0xFF20_40C0);
    rig.rect_vertices(-0.5, -0.5, 31.5, 31.5);
    let done = rig.run().unwrap();
    assert!(done.color_cleared && !done.depth_cleared);
    assert_eq!(rig.dest(10, 10), 0x1234_5678, "the copy sees the contents before the clear");
    for (x, y) in [(0, 0), (10, 10), (31, 31)] {
        assert_eq!(rig.edram().read(rt.word(x, y, 0)), 0xFF20_40C0);
    }
    assert_eq!(rig.edram().read(rt.word(40, 10, 0)), 0x0BAD_F00D, "outside the rect");
    assert_eq!(rig.edram().read(rt.word(32, 0, 0)), 0);
}

#[test]
fn k_2_10_10_10_resolves_to_k_8_8_8_8_with_the_red_blue_swap() {
    let mut rig = Rig::new();
    rig.set(regs::RB_COLOR_INFO, 5 | 2 << 16);
    rig.set(regs::RB_COPY_DEST_INFO, 2 | texture::K_8_8_8_8 << 7 | 1 << 24);
    let rt = rig.color();
    rig.edram().write(rt.word(3, 4, 0), 3 << 30 | 1023 << 20 | 512 << 10);
    rig.rect_vertices(-0.5, -0.5, 7.5, 7.5);
    rig.run().unwrap();
    // Red and blue trade places: blue 0, green 0x80, red 0xFF, alpha 0xFF.
    assert_eq!(rig.dest(3, 4), 0xFF00_80FF);
    assert_eq!(rig.dest(0, 0), 0x0000_0000);
}

#[test]
fn a_depth_resolve_copies_d24s8_words_from_half_swapped_tiles() {
    let mut rig = Rig::new();
    rig.set(regs::RB_COPY_CONTROL, 4 | 1 << 9);
    rig.set(regs::RB_DEPTH_CLEAR, 0xFFFF_FF00);
    let depth = Placement { base_tiles: 900, pitch_pixels: 1280, msaa: Msaa::X1, depth: true, bpp64: false };
    rig.edram().write(depth.word(5, 2, 0), 0x8000_0012);
    // The unswapped position of pixel 5 belongs to pixel 45.
    rig.edram().write(900 * 1280 + 2 * 80 + 5, 0xDEAD_BEEF);
    rig.rect_vertices(-0.5, -0.5, 7.5, 7.5);
    let done = rig.run().unwrap();
    assert_eq!(done.copied_to, Some((PhysAddr(DEST), texture::K_24_8)));
    assert_eq!(rig.dest(5, 2), 0x8000_0012);
    assert!(done.depth_cleared);
    assert_eq!(rig.edram().read(depth.word(5, 2, 0)), 0xFFFF_FF00);
}

#[test]
fn a_64_bit_source_is_refused_by_name_and_still_cleared() {
    let mut rig = Rig::new();
    rig.set(regs::RB_COLOR_INFO, 5 | 5 << 16);
    rig.set(regs::RB_COPY_CONTROL, 1 << 8);
    rig.set(regs::RB_COLOR_CLEAR, 0x1111_1111);
    rig.set(regs::RB_COLOR_CLEAR_LO, 0x2222_2222);
    rig.rect_vertices(-0.5, -0.5, 7.5, 7.5);
    let done = rig.run().unwrap();
    let refused = done.copy_refused.unwrap();
    assert_eq!(refused, ResolveError::Source64("k_16_16_16_16"));
    assert!(refused.to_string().contains("k_16_16_16_16"));
    let rt = Placement { bpp64: true, ..rig.color() };
    let w = rt.word(7, 7, 0);
    assert_eq!((rig.edram().read(w), rig.edram().read(w + 1)), (0x1111_1111, 0x2222_2222));
    assert_eq!(rig.dest(0, 0), 0, "nothing copied");
}

#[test]
fn the_rectangle_follows_the_window_offset_scissor_and_alignment() {
    let mut rig = Rig::new();
    rig.rect_vertices(2.0, 3.0, 21.0, 9.0);
    assert_eq!(
        rectangle(&rig.memory, &|i| rig.regs.get(&i).copied().unwrap_or(0)).unwrap(),
        Rect { x0: 0, y0: 0, x1: 24, y1: 16 }
    );
    rig.set(regs::PA_SU_SC_MODE_CNTL, 1 << 16);
    rig.set(regs::PA_SC_WINDOW_OFFSET, 16 << 16 | 32);
    rig.set(regs::PA_SC_WINDOW_SCISSOR_TL, 1 << 31);
    rig.set(regs::PA_SC_WINDOW_SCISSOR_BR, 40 << 16 | 48);
    assert_eq!(
        rectangle(&rig.memory, &|i| rig.regs.get(&i).copied().unwrap_or(0)).unwrap(),
        Rect { x0: 32, y0: 16, x1: 48, y1: 32 }
    );
    rig.set(regs::PA_SC_WINDOW_SCISSOR_BR, 0);
    assert_eq!(rectangle(&rig.memory, &|i| rig.regs.get(&i).copied().unwrap_or(0)), Err(ResolveError::Empty));
}

#[test]
fn a_resolve_without_a_vertex_rectangle_is_refused() {
    let mut rig = Rig::new();
    rig.set(regs::SHADER_CONSTANT_FETCH_00_0 + 1, 12 << 2);
    assert!(matches!(rig.run(), Err(ResolveError::NoRectangle(..))));
}

#[test]
fn four_samples_are_averaged_when_all_are_selected() {
    let mut rig = Rig::new();
    rig.set(regs::CONTEXT_BASE, 640 | 2 << 16);
    rig.set(regs::RB_COPY_CONTROL, 6 << 4);
    rig.set(regs::RB_COPY_DEST_INFO, 2 | texture::K_8_8_8_8_A << 7);
    let rt = Placement { msaa: Msaa::X4, pitch_pixels: 640, ..rig.color() };
    for (s, v) in [0u32, 0x40, 0x80, 0xC0].into_iter().enumerate() {
        rig.edram().write(rt.word(1, 1, s as u32), 0xFF00_0000 | v);
    }
    rig.rect_vertices(-0.5, -0.5, 7.5, 7.5);
    rig.run().unwrap();
    assert_eq!(rig.dest(1, 1), 0xFF00_0060);
}

#[test]
fn an_array_destination_is_refused_and_an_unknown_command_does_nothing_but_clear() {
    let mut rig = Rig::new();
    rig.rect_vertices(-0.5, -0.5, 7.5, 7.5);
    rig.set(regs::RB_COPY_DEST_INFO, 2 | 1 << 3 | texture::K_8_8_8_8 << 7);
    assert_eq!(rig.run().unwrap().copy_refused, Some(ResolveError::ArrayDestination));
    rig.set(regs::RB_COPY_CONTROL, 3 << 20 | 1 << 8);
    let done = rig.run().unwrap();
    assert_eq!(done.copy_refused, Some(ResolveError::CopyCommand(3)));
    assert!(done.color_cleared);
}

#[test]
fn the_8in64_and_8in128_swaps_also_reverse_words_within_their_span() {
    let mut rig = Rig::new();
    let rt = rig.color();
    for x in 0..8 {
        rig.edram().write(rt.word(x, 0, 0), 0x1000_0000 + x);
    }
    rig.rect_vertices(-0.5, -0.5, 7.5, 7.5);
    rig.set(regs::RB_COPY_DEST_INFO, 4 | texture::K_8_8_8_8 << 7);
    rig.run().unwrap();
    assert_eq!(
        (0..4).map(|x| rig.dest(x, 0)).collect::<Vec<_>>(),
        [0x1000_0001, 0x1000_0000, 0x1000_0003, 0x1000_0002]
    );
    rig.set(regs::RB_COPY_DEST_INFO, 5 | texture::K_8_8_8_8 << 7);
    rig.run().unwrap();
    assert_eq!(
        (4..8).map(|x| rig.dest(x, 0)).collect::<Vec<_>>(),
        [0x1000_0007, 0x1000_0006, 0x1000_0005, 0x1000_0004]
    );
}
