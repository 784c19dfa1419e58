//! System information: `XGetAVPack`, `XGetGameRegion`, `XGetLanguage`,
//! `XamGetLanguage`, `XGetVideoStandard`, `XGetVideoMode`,
//! `XamGetSystemVersion`. Values from xenia `xam_info.cc` and
//! `xboxkrnl_video.cc`: a 720p widescreen NTSC-U console set to English.

use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// `XGetAVPack` (6: the value xenia reports, which titles accept as non-PAL).
pub const AV_PACK: u32 = 6;
/// `XGetGameRegion`: all regions.
pub const GAME_REGION: u32 = 0xFFFF;
/// `XGetLanguage`: English.
pub const LANGUAGE_ENGLISH: u32 = 1;
/// `XGetVideoStandard`: NTSC-M.
pub const VIDEO_STANDARD_NTSC_M: u32 = 1;

/// `X_VIDEO_MODE` (48 bytes): width, height, interlaced, widescreen, high
/// definition, refresh rate (f32), video standard, two words xenia fills
/// with 0x4A and 1, three reserved words.
pub mod video_mode {
    pub const DISPLAY_WIDTH: u32 = 0x00;
    pub const DISPLAY_HEIGHT: u32 = 0x04;
    pub const IS_INTERLACED: u32 = 0x08;
    pub const IS_WIDESCREEN: u32 = 0x0C;
    pub const IS_HI_DEF: u32 = 0x10;
    pub const REFRESH_RATE: u32 = 0x14;
    pub const VIDEO_STANDARD: u32 = 0x18;
    pub const UNKNOWN_0X8A: u32 = 0x1C;
    pub const UNKNOWN_0X01: u32 = 0x20;
    pub const SIZE: u32 = 0x30;
}

/// `XGetAVPack()`.
pub fn x_get_av_pack(_kernel: &mut Kernel) -> u32 {
    AV_PACK
}

/// `XGetGameRegion()`.
pub fn x_get_game_region(_kernel: &mut Kernel) -> u32 {
    GAME_REGION
}

/// `XGetLanguage()` (and `XamGetLanguage()`).
pub fn x_get_language(_kernel: &mut Kernel) -> u32 {
    LANGUAGE_ENGLISH
}

/// `XGetVideoStandard()`.
pub fn x_get_video_standard(_kernel: &mut Kernel) -> u32 {
    VIDEO_STANDARD_NTSC_M
}

/// `XamGetSystemVersion()`: 0, which makes titles skip entry points of
/// newer system software (xenia's answer).
pub fn xam_get_system_version(_kernel: &mut Kernel) -> u32 {
    0
}

/// Fills an `X_VIDEO_MODE` (also what `VdQueryVideoMode` reports).
pub fn write_video_mode(kernel: &Kernel, out: VirtAddr) {
    use video_mode::*;
    let m = &kernel.memory;
    let _ = m.fill(out, SIZE, 0);
    let words = [
        (DISPLAY_WIDTH, 1280),
        (DISPLAY_HEIGHT, 720),
        (IS_INTERLACED, 0),
        (IS_WIDESCREEN, 1),
        (IS_HI_DEF, 1),
        (REFRESH_RATE, 60.0f32.to_bits()),
        (VIDEO_STANDARD, VIDEO_STANDARD_NTSC_M),
        (UNKNOWN_0X8A, 0x4A),
        (UNKNOWN_0X01, 1),
    ];
    for (offset, value) in words {
        let _ = m.write_u32(out.add(offset), value);
    }
}

/// `XGetVideoMode(PXVIDEO_MODE VideoMode)`.
pub fn x_get_video_mode(kernel: &mut Kernel, out: VirtAddr) {
    write_video_mode(kernel, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retail_console_in_english_at_720p() {
        let mut k = Kernel::for_tests();
        assert_eq!(x_get_av_pack(&mut k), 6);
        assert_eq!(x_get_game_region(&mut k), 0xFFFF);
        assert_eq!(x_get_language(&mut k), 1);
        assert_eq!(x_get_video_standard(&mut k), 1);
        assert_eq!(xam_get_system_version(&mut k), 0);
        let out = VirtAddr(0x1000);
        k.memory.fill(out, video_mode::SIZE, 0xFF).unwrap();
        x_get_video_mode(&mut k, out);
        assert_eq!(k.memory.read_u32(out.add(video_mode::DISPLAY_WIDTH)).unwrap(), 1280);
        assert_eq!(k.memory.read_u32(out.add(video_mode::DISPLAY_HEIGHT)).unwrap(), 720);
        assert_eq!(k.memory.read_f32(out.add(video_mode::REFRESH_RATE)).unwrap(), 60.0);
        assert_eq!(k.memory.read_u32(out.add(video_mode::SIZE - 4)).unwrap(), 0);
    }
}
