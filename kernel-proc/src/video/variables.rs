//! The video variable exports (xenia `RegisterVideoExports`):
//! - `VdGlobalDevice`: 4 bytes, the title's Direct3D device pointer (titles
//!   store it; the kernel starts it at 0);
//! - `VdGlobalXamDevice`: 4 bytes, XAM's Direct3D device (none: 0);
//! - `VdGpuClockInMHz`: 4 bytes, the GPU clock, 500;
//! - `VdHSIOCalibrationLock`: a 28-byte critical section, initialised.
//!
//! [`size_of`] and [`fill`] are the hooks for the kernel's variable table
//! (`crate::variables::address_of`).

use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// Xenos' clock.
pub const GPU_CLOCK_MHZ: u32 = 500;
/// Spin count of `VdHSIOCalibrationLock`.
const HSIO_LOCK_SPIN_COUNT: u32 = 10_000;

/// Size of the block of a video variable export, `None` for other names.
pub fn size_of(name: &str) -> Option<u32> {
    match name {
        "VdGlobalDevice" | "VdGlobalXamDevice" | "VdGpuClockInMHz" => Some(4),
        "VdHSIOCalibrationLock" => Some(28),
        _ => None,
    }
}

/// Fills the zeroed block at `addr` of video variable `name`; false for
/// other names.
pub fn fill(kernel: &mut Kernel, name: &str, addr: VirtAddr) -> bool {
    match name {
        "VdGlobalDevice" | "VdGlobalXamDevice" => {
            let _ = kernel.memory.write_u32(addr, 0);
        }
        "VdGpuClockInMHz" => {
            let _ = kernel.memory.write_u32(addr, GPU_CLOCK_MHZ);
        }
        "VdHSIOCalibrationLock" => {
            crate::threading::critical_section::rtl_initialize_critical_section_and_spin_count(
                kernel,
                addr,
                HSIO_LOCK_SPIN_COUNT,
            );
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_is_500_mhz_and_devices_start_null() {
        let mut k = Kernel::for_tests();
        let a = VirtAddr(0x1000);
        k.memory.fill(a, 32, 0xFF).unwrap();
        assert!(fill(&mut k, "VdGpuClockInMHz", a));
        assert_eq!(k.memory.read_u32(a).unwrap(), 500);
        assert!(fill(&mut k, "VdGlobalDevice", a.add(4)));
        assert_eq!(k.memory.read_u32(a.add(4)).unwrap(), 0);
        assert_eq!(size_of("VdHSIOCalibrationLock"), Some(28));
        assert_eq!(size_of("KeTimeStampBundle"), None);
        assert!(!fill(&mut k, "KeTimeStampBundle", a));
    }

    #[test]
    fn the_hsio_lock_is_an_initialised_free_critical_section() {
        let mut k = Kernel::for_tests();
        let lock = VirtAddr(0x2000);
        k.memory.fill(lock, 28, 0xFF).unwrap();
        assert!(fill(&mut k, "VdHSIOCalibrationLock", lock));
        // LockCount (+0x10 of RTL_CRITICAL_SECTION) is -1 when free.
        assert_eq!(k.memory.read_u32(lock.add(0x10)).unwrap(), 0xFFFF_FFFF);
    }
}
