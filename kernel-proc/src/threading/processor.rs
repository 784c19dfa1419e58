//! Per-processor controls titles call at boot: `KeEnableFpuExceptions`,
//! `KeLockL2` and `KeUnlockL2`.
//!
//! Xenact's interpreter never raises floating-point exceptions (the FPSCR
//! records them, as the console's does with its exception enables off), and
//! has no L2 cache whose lines could be locked for the GPU to read (the
//! procedural-synthesis path), so these change nothing an emulated title
//! can observe.

use crate::kernel::Kernel;

/// `KeEnableFpuExceptions(Enable)`: the console sets the calling thread's
/// MSR floating-point exception mode; exceptions stay masked here.
pub fn ke_enable_fpu_exceptions(_kernel: &mut Kernel, enable: u32) {
    if enable != 0 {
        tracing::debug!("KeEnableFpuExceptions(1): floating-point exceptions stay masked");
    }
}

/// `KeLockL2()`: locks part of the L2 cache; 0 (success, xenia
/// `xboxkrnl_memory.cc`).
pub fn ke_lock_l2(_kernel: &mut Kernel) -> u32 {
    0
}

/// `KeUnlockL2()`.
pub fn ke_unlock_l2(_kernel: &mut Kernel) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l2_locking_succeeds() {
        let mut k = Kernel::for_tests();
        ke_enable_fpu_exceptions(&mut k, 1);
        assert_eq!(ke_lock_l2(&mut k), 0);
        ke_unlock_l2(&mut k);
    }
}
