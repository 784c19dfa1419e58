//! Display-mode settings and GPU identity that titles set or ask for at
//! boot: `VdSetDisplayMode`, `VdSetDisplayModeOverride`,
//! `VdEnableDisableClockGating`, `VdGetGraphicsAsicID`, and XAM's
//! `XGetVideoCapabilities`.
//!
//! gpu-proc scales whatever the title renders into its window, so a mode
//! change has nothing to reprogram: the request is logged and accepted.
//! Values from xenia `xboxkrnl_video.cc` and `xam_video.cc`.

use crate::kernel::Kernel;

/// The ASIC id of the Xenos revision xenia reports; titles compare it with
/// 0x10 to pick their EDRAM set-up path.
pub const GRAPHICS_ASIC_ID: u32 = 0x11;

/// `VdSetDisplayMode(Flags)`: bit 1 asks for a 480/576-line mode, bit 27 a
/// 10-bit front buffer, bits 28–29 the colour space (xenia's notes).
/// Accepted (0); the presenter keeps scaling the front buffer.
pub fn vd_set_display_mode(_kernel: &mut Kernel, flags: u32) -> u32 {
    tracing::debug!("VdSetDisplayMode({flags:#010x})");
    0
}

/// `VdSetDisplayModeOverride(…, RefreshRate, …)`: accepted (0); vblank
/// stays at 60 Hz.
pub fn vd_set_display_mode_override(_kernel: &mut Kernel) -> u32 {
    0
}

/// `VdEnableDisableClockGating(Enable)`: GPU power gating, invisible to
/// software; 0.
pub fn vd_enable_disable_clock_gating(_kernel: &mut Kernel, _enable: u32) -> u32 {
    0
}

/// `VdGetGraphicsAsicID()`.
pub fn vd_get_graphics_asic_id(_kernel: &mut Kernel) -> u32 {
    GRAPHICS_ASIC_ID
}

/// `XGetVideoCapabilities()`: no optional capability bits, as xenia
/// answers.
pub fn x_get_video_capabilities(_kernel: &mut Kernel) -> u32 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_requests_are_accepted_and_the_asic_id_is_past_0x10() {
        let mut k = Kernel::for_tests();
        assert_eq!(vd_set_display_mode(&mut k, 0x4000_0000), 0);
        assert_eq!(vd_set_display_mode_override(&mut k), 0);
        assert_eq!(vd_enable_disable_clock_gating(&mut k, 1), 0);
        assert!(vd_get_graphics_asic_id(&mut k) >= 0x10);
        assert_eq!(x_get_video_capabilities(&mut k), 0);
    }
}
