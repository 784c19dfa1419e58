//! `RtlImageNtHeader`: the PE header of a loaded image.
//!
//! A title's image in memory starts with its PE headers, little-endian as
//! on every platform: the DOS header's `e_magic` `MZ` at 0x0 and `e_lfanew`
//! (the offset of the NT headers) at 0x3C, and at that offset the signature
//! `PE\0\0` (NT `winnt.h`, `IMAGE_DOS_HEADER`/`IMAGE_NT_HEADERS`).

use crate::kernel::Kernel;
use shared::memory::VirtAddr;

const DOS_MAGIC: [u8; 2] = *b"MZ";
const DOS_LFANEW: u32 = 0x3C;
const NT_SIGNATURE: [u8; 4] = *b"PE\0\0";
/// Largest `e_lfanew` NT accepts before it stops trusting the header.
const MAX_LFANEW: u32 = 0x1000_0000;

/// The NT headers of the image at `base`, if it has valid ones.
pub fn nt_header(kernel: &Kernel, base: VirtAddr) -> Option<VirtAddr> {
    let m = &kernel.memory;
    let mut magic = [0u8; 2];
    m.read_bytes(base, &mut magic).ok()?;
    if magic != DOS_MAGIC {
        return None;
    }
    let lfanew = m.read_u32(base.add(DOS_LFANEW)).ok()?.swap_bytes();
    if lfanew >= MAX_LFANEW {
        return None;
    }
    let header = base.0.checked_add(lfanew).map(VirtAddr)?;
    let mut signature = [0u8; 4];
    m.read_bytes(header, &mut signature).ok()?;
    (signature == NT_SIGNATURE).then_some(header)
}

/// `RtlImageNtHeader(Base)`: the address of the NT headers, or null when
/// `Base` is null or holds no PE image.
pub fn rtl_image_nt_header(kernel: &mut Kernel, base: Option<VirtAddr>) -> u32 {
    base.and_then(|b| nt_header(kernel, b)).map_or(0, |h| h.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::scratch;

    fn image(k: &mut Kernel, lfanew: u32, signature: &[u8; 4]) -> VirtAddr {
        let base = scratch(k, 0x200);
        k.memory.write_bytes(base, b"MZ").unwrap();
        k.memory.write_bytes(base.add(DOS_LFANEW), &lfanew.to_le_bytes()).unwrap();
        k.memory.write_bytes(base.add(lfanew), signature).unwrap();
        base
    }

    #[test]
    fn a_pe_image_gives_the_address_of_its_nt_headers() {
        let mut k = Kernel::for_tests();
        let base = image(&mut k, 0x80, b"PE\0\0");
        assert_eq!(rtl_image_nt_header(&mut k, Some(base)), base.0 + 0x80);
    }

    #[test]
    fn no_image_or_a_bad_signature_gives_null() {
        let mut k = Kernel::for_tests();
        let bad = image(&mut k, 0x80, b"NE\0\0");
        assert_eq!(rtl_image_nt_header(&mut k, Some(bad)), 0);
        let plain = scratch(&mut k, 0x100);
        assert_eq!(rtl_image_nt_header(&mut k, Some(plain)), 0);
        assert_eq!(rtl_image_nt_header(&mut k, None), 0);
    }
}
