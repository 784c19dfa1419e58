//! `MmMapIoSpace`: a virtual mapping of device memory.
//!
//! The only use seen (xenia `xboxkrnl_memory.cc`) maps XMA context blocks
//! (0x40 bytes, protection 0x404) the title already has a guest address for;
//! Xenact's guest memory maps every physical page in its physical views, so
//! the address given is already usable and comes back unchanged.

use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// `MmMapIoSpace(Unknown, Address, Size, Protect)`: `Address`.
pub fn mm_map_io_space(_kernel: &mut Kernel, _unknown: u32, address: VirtAddr, size: u32, protect: u32) -> VirtAddr {
    tracing::debug!("MmMapIoSpace({address}, {size:#x}, {protect:#x})");
    address
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_comes_back_unchanged() {
        let mut k = Kernel::for_tests();
        assert_eq!(mm_map_io_space(&mut k, 2, VirtAddr(0xA01F_0000), 0x40, 0x404), VirtAddr(0xA01F_0000));
    }
}
