//! Guest address newtypes. A virtual address is what guest code uses; a
//! physical address indexes the console's 512 MiB of RAM. They are different
//! types so one can never be passed where the other is meant.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A 32-bit guest virtual address.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct VirtAddr(pub u32);

/// An offset into the console's physical RAM (`0..PHYSICAL_SIZE`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct PhysAddr(pub u32);

impl VirtAddr {
    /// The address `bytes` further on, wrapping at 4 GiB as the guest does.
    #[inline]
    pub const fn add(self, bytes: u32) -> VirtAddr {
        VirtAddr(self.0.wrapping_add(bytes))
    }
}

impl PhysAddr {
    #[inline]
    pub const fn add(self, bytes: u32) -> PhysAddr {
        PhysAddr(self.0.wrapping_add(bytes))
    }
}

impl fmt::Debug for VirtAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "V:{:#010x}", self.0)
    }
}

impl fmt::Display for VirtAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#010x}", self.0)
    }
}

impl fmt::Debug for PhysAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P:{:#010x}", self.0)
    }
}

impl fmt::Display for PhysAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#010x}", self.0)
    }
}
