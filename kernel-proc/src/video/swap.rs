//! `VdSwap`: presents a front buffer by writing a swap packet into the
//! space the title reserved in its ring (64 words).
//!
//! The console's own sequence is not documented; Xenact writes what xenia's
//! HLE `VdSwap` writes, which its command processor understands: a type-0
//! packet loading texture fetch constant 0 with the front buffer's fetch
//! constant (base address made physical), then the type-3 swap packet
//! (opcode 0x64) carrying `"SWAP"`, the front buffer's physical address,
//! width and height, then type-2 fillers up to the 64 words.

use super::registers::SHADER_CONSTANT_FETCH_00_0;
use super::{display::FILLER, gpu_address};
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// Words of ring space a title reserves for `VdSwap`.
pub const SWAP_WORDS: u32 = 64;
/// Opcode of the swap packet (xenia `PM4_XE_SWAP`).
pub const PM4_XE_SWAP: u32 = 0x64;
/// First body word of the swap packet.
pub const SWAP_SIGNATURE: u32 = u32::from_be_bytes(*b"SWAP");

const fn type0(base: u32, count: u32) -> u32 {
    ((count - 1) & 0x3FFF) << 16 | (base & 0x7FFF)
}

const fn type3(opcode: u32, count: u32) -> u32 {
    3 << 30 | ((count - 1) & 0x3FFF) << 16 | (opcode & 0x7F) << 8
}

/// `VdSwap(RingSpace, FetchConstant, SystemWriteBack, SystemCommandBuffer,
/// Token, FrontBuffer, TextureFormat, ColorSpace, Width, Height)`: every
/// pointer is required; `FetchConstant` is the Direct3D texture header's
/// six-word fetch constant, whose base address (bits 12–31 of its second
/// word) is a virtual address in a physical view.
pub fn vd_swap(
    kernel: &mut Kernel,
    ring_space: VirtAddr,
    fetch_constant: VirtAddr,
    _system_write_back: u32,
    _system_command_buffer: u32,
    _token: u32,
    front_buffer: Option<VirtAddr>,
    _texture_format: Option<VirtAddr>,
    _color_space: Option<VirtAddr>,
    width: Option<VirtAddr>,
    height: Option<VirtAddr>,
) {
    let m = &kernel.memory;
    let mut words = Vec::with_capacity(SWAP_WORDS as usize);
    match swap_packet(kernel, fetch_constant, front_buffer, width, height) {
        Some(packet) => words.extend(packet),
        None => tracing::error!("VdSwap: unusable front buffer description at {fetch_constant}; frame dropped"),
    }
    words.resize(SWAP_WORDS as usize, FILLER);
    for (i, w) in words.iter().enumerate() {
        if m.write_u32(ring_space.add(4 * i as u32), *w).is_err() {
            tracing::error!("VdSwap: ring space {ring_space} is not writable");
            return;
        }
    }
}

/// The fetch-constant load and the swap packet (11 words).
fn swap_packet(
    kernel: &Kernel,
    fetch_constant: VirtAddr,
    front_buffer: Option<VirtAddr>,
    width: Option<VirtAddr>,
    height: Option<VirtAddr>,
) -> Option<Vec<u32>> {
    let m = &kernel.memory;
    let mut fetch = [0u32; 6];
    for (i, w) in fetch.iter_mut().enumerate() {
        *w = m.read_u32(fetch_constant.add(4 * i as u32)).ok()?;
    }
    let virtual_base = fetch[1] & 0xFFFF_F000;
    let physical = gpu_address(virtual_base)?;
    if let Some(Ok(given)) = front_buffer.map(|p| m.read_u32(p)) {
        if given != virtual_base {
            tracing::debug!(
                "VdSwap: front buffer {given:#010x} differs from the fetch constant's {virtual_base:#010x}"
            );
        }
    }
    fetch[1] = fetch[1] & 0xFFF | physical & 0xFFFF_F000;
    // Sizes are stored minus one in the fetch constant; the arguments win.
    let read = |p: Option<VirtAddr>| p.and_then(|p| m.read_u32(p).ok());
    let width = read(width).unwrap_or((fetch[2] & 0x1FFF) + 1);
    let height = read(height).unwrap_or((fetch[2] >> 13 & 0x1FFF) + 1);
    let mut packet = vec![type0(SHADER_CONSTANT_FETCH_00_0, 6)];
    packet.extend(fetch);
    packet.extend([type3(PM4_XE_SWAP, 4), SWAP_SIGNATURE, physical, width, height]);
    Some(packet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_writes_the_fetch_constant_the_swap_packet_and_fillers() {
        let mut k = Kernel::for_tests();
        let ring = VirtAddr(0xA010_0000);
        let fetch = VirtAddr(0x4000_0000);
        let front = 0xBF00_0000u32; // 0xA0000000 view: physical 0x1F000000.
        let words = [0x8000_0002, front | 0x86, (719 << 13) | 1279, 0, 0, 0];
        for (i, w) in words.iter().enumerate() {
            k.memory.write_u32(fetch.add(4 * i as u32), *w).unwrap();
        }
        let args = VirtAddr(0x4000_1000);
        k.memory.write_u32(args, front).unwrap();
        k.memory.write_u32(args.add(4), 1280).unwrap();
        k.memory.write_u32(args.add(8), 720).unwrap();
        k.memory.fill(ring, SWAP_WORDS * 4 + 4, 0xCD).unwrap();

        vd_swap(
            &mut k,
            ring,
            fetch,
            0,
            0xBEEF_0000,
            0xBEEF_0001,
            Some(args),
            None,
            None,
            Some(args.add(4)),
            Some(args.add(8)),
        );

        let at = |i: u32| k.memory.read_u32(ring.add(4 * i)).unwrap();
        assert_eq!(at(0), type0(0x4800, 6));
        assert_eq!(at(2), 0x1F00_0086);
        assert_eq!(at(7), 0xC003_6400);
        assert_eq!((at(8), at(9), at(10), at(11)), (SWAP_SIGNATURE, 0x1F00_0000, 1280, 720));
        assert_eq!(at(12), FILLER);
        assert_eq!(at(63), FILLER);
        assert_eq!(at(64), 0xCDCD_CDCD);
    }

    #[test]
    fn a_front_buffer_outside_the_physical_views_only_writes_fillers() {
        let mut k = Kernel::for_tests();
        let ring = VirtAddr(0xA010_0000);
        let fetch = VirtAddr(0x4000_0000);
        k.memory.write_u32(fetch.add(4), 0x4100_0000).unwrap();
        vd_swap(&mut k, ring, fetch, 0, 0, 0, None, None, None, None, None);
        assert!((0..SWAP_WORDS).all(|i| k.memory.read_u32(ring.add(4 * i)).unwrap() == FILLER));
    }
}
