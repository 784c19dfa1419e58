//! Answers about the display: `VdQueryVideoMode`, `VdQueryVideoFlags`,
//! `VdGetCurrentDisplayInformation`, `VdGetCurrentDisplayGamma`,
//! `VdCallGraphicsNotificationRoutines`, `VdIsHSIOTrainingSucceeded`,
//! `VdPersistDisplay`, `VdRetrainEDRAM`, `VdRetrainEDRAMWorker`,
//! `VdInitializeScalerCommandBuffer`.

use super as video;
use crate::dispatch::Call;
use crate::kernel::Kernel;
use crate::mm::page_state::xdk;
use crate::xam::info::write_video_mode;
use shared::memory::VirtAddr;

/// `X_DISPLAY_INFO` (0x58 bytes), the fields Xenact fills.
pub mod display_info {
    pub const FRONT_BUFFER_WIDTH: u32 = 0x00; // u16
    pub const FRONT_BUFFER_HEIGHT: u32 = 0x02; // u16
    /// Scaler parameters: source rectangle (x1, y1, x2, y2), output size,
    /// vertical filter type, its three floats, horizontal filter type, …
    pub const SCALER_SOURCE_X2: u32 = 0x10;
    pub const SCALER_SOURCE_Y2: u32 = 0x14;
    pub const SCALED_OUTPUT_WIDTH: u32 = 0x18;
    pub const SCALED_OUTPUT_HEIGHT: u32 = 0x1C;
    pub const VERTICAL_FILTER_TYPE: u32 = 0x20;
    pub const HORIZONTAL_FILTER_TYPE: u32 = 0x30;
    pub const OVERSCAN_LEFT: u32 = 0x40; // u16 ×4: left, top, right, bottom
    pub const DISPLAY_WIDTH: u32 = 0x48; // u16
    pub const DISPLAY_HEIGHT: u32 = 0x4A; // u16
    pub const REFRESH_RATE: u32 = 0x4C; // f32
    pub const INTERLACED: u32 = 0x50;
    pub const COLOR_FORMAT: u32 = 0x54; // u8
    pub const ACTUAL_DISPLAY_WIDTH: u32 = 0x56; // u16
    pub const SIZE: u32 = 0x58;
}

/// `VdQueryVideoFlags` bits: widescreen, width ≥ 1024, width ≥ 1920.
pub const VIDEO_FLAG_WIDESCREEN: u32 = 1;
pub const VIDEO_FLAG_HI_DEF: u32 = 2;
pub const VIDEO_FLAG_1080: u32 = 4;

/// Gamma curve `VdGetCurrentDisplayGamma` reports: 2 (BT.709, an HDTV),
/// with the power used by curve 3.
pub const GAMMA_TYPE_BT709: u32 = 2;
pub const GAMMA_POWER: f32 = 2.222_222_3;

/// `VdQueryVideoMode(PX_VIDEO_MODE Mode)`.
pub fn vd_query_video_mode(kernel: &mut Kernel, mode_out: VirtAddr) {
    write_video_mode(kernel, mode_out);
}

/// `VdQueryVideoFlags()`.
pub fn vd_query_video_flags(_kernel: &mut Kernel) -> u32 {
    let mut flags = VIDEO_FLAG_WIDESCREEN;
    if video::DISPLAY_WIDTH >= 1024 {
        flags |= VIDEO_FLAG_HI_DEF;
    }
    if video::DISPLAY_WIDTH >= 1920 {
        flags |= VIDEO_FLAG_1080;
    }
    flags
}

/// `VdGetCurrentDisplayInformation(PX_DISPLAY_INFO Info)`: a 720p display
/// fed by a front buffer of the same size, unscaled, with the overscan
/// margins xenia reports.
pub fn vd_get_current_display_information(kernel: &mut Kernel, info: VirtAddr) {
    use display_info as at;
    let m = &kernel.memory;
    let _ = m.fill(info, at::SIZE, 0);
    let (w, h) = (video::DISPLAY_WIDTH, video::DISPLAY_HEIGHT);
    for (offset, value) in [
        (at::FRONT_BUFFER_WIDTH, w),
        (at::FRONT_BUFFER_HEIGHT, h),
        (at::DISPLAY_WIDTH, w),
        (at::DISPLAY_HEIGHT, h),
        (at::ACTUAL_DISPLAY_WIDTH, w),
    ] {
        let _ = m.write_u16(info.add(offset), value as u16);
    }
    for (offset, value) in [
        (at::SCALER_SOURCE_X2, w),
        (at::SCALER_SOURCE_Y2, h),
        (at::SCALED_OUTPUT_WIDTH, w),
        (at::SCALED_OUTPUT_HEIGHT, h),
        (at::VERTICAL_FILTER_TYPE, 1),
        (at::HORIZONTAL_FILTER_TYPE, 1),
    ] {
        let _ = m.write_u32(info.add(offset), value);
    }
    for (i, margin) in [320u16, 180, 320, 180].into_iter().enumerate() {
        let _ = m.write_u16(info.add(at::OVERSCAN_LEFT + 2 * i as u32), margin);
    }
    let _ = m.write_f32(info.add(at::REFRESH_RATE), video::REFRESH_RATE);
}

/// `VdGetCurrentDisplayGamma(PULONG Type, PFLOAT Power)`.
pub fn vd_get_current_display_gamma(kernel: &mut Kernel, kind: Option<VirtAddr>, power: Option<VirtAddr>) {
    if let Some(kind) = kind {
        let _ = kernel.memory.write_u32(kind, GAMMA_TYPE_BT709);
    }
    if let Some(power) = power {
        let _ = kernel.memory.write_f32(power, GAMMA_POWER);
    }
}

/// `VdCallGraphicsNotificationRoutines(Unknown, Scaling)`: no routine is
/// registered with Xenact's kernel; 0.
pub fn vd_call_graphics_notification_routines(_kernel: &mut Kernel, _unknown: u32, _scaling: u32) -> u32 {
    0
}

/// `VdIsHSIOTrainingSucceeded()`: the GPU link is always trained.
pub fn vd_is_hsio_training_succeeded(_kernel: &mut Kernel) -> bool {
    true
}

/// `VdPersistDisplay(Unknown, PVOID* Buffer)`: keeps the last frame on
/// screen across a title switch. The title later releases `*Buffer` with
/// `MmFreePhysicalMemory`, so it gets a small physical allocation. TRUE.
pub fn vd_persist_display(kernel: &mut Kernel, _unknown: u32, buffer_out: Option<VirtAddr>) -> bool {
    if let Some(out) = buffer_out {
        let block = crate::mm::physical::mm_allocate_physical_memory(kernel, 0, 64, xdk::PAGE_READWRITE);
        let _ = kernel.memory.write_u32(out, block);
    }
    true
}

/// `VdRetrainEDRAM(…)`: EDRAM needs no training here; 0 (success).
pub fn vd_retrain_edram(_kernel: &mut Kernel, _a: u32, _b: u32, _c: u32, _d: u32, _e: u32, _f: u32) -> u32 {
    0
}

/// `VdRetrainEDRAMWorker(Unknown)`: 0.
pub fn vd_retrain_edram_worker(_kernel: &mut Kernel, _unknown: u32) -> u32 {
    0
}

/// `VdInitializeScalerCommandBuffer(SourceXY, SourceWH, OutputXY,
/// OutputWH, FrontBufferWH, VerticalFilterType, VerticalFilter,
/// HorizontalFilterType, HorizontalFilter, Unknown, Destination,
/// DestinationWords)`: the scaler is not emulated, so the commands are
/// type-2 fillers; returns the number of words written. The last two of
/// its twelve arguments come from the caller's stack.
pub fn vd_initialize_scaler_command_buffer(kernel: &mut Kernel, call: Call) -> u32 {
    let dest = VirtAddr(call.arg(&kernel.memory, 10) as u32);
    let words = call.arg(&kernel.memory, 11) as u32;
    // A command buffer is small; refuse absurd sizes instead of filling memory.
    let words = words.min(0x1_0000);
    for i in 0..words {
        if kernel.memory.write_u32(dest.add(4 * i), FILLER).is_err() {
            return i;
        }
    }
    words
}

/// The PM4 type-2 filler word.
pub const FILLER: u32 = 0x8000_0000;

#[cfg(test)]
mod tests {
    use super::*;
    use shared::ipc::kernel::CallArgs;

    #[test]
    fn video_mode_and_flags_describe_a_widescreen_720p_display() {
        let mut k = Kernel::for_tests();
        let out = VirtAddr(0x1000);
        vd_query_video_mode(&mut k, out);
        assert_eq!(k.memory.read_u32(out).unwrap(), 1280);
        assert_eq!(k.memory.read_u32(out.add(4)).unwrap(), 720);
        assert_eq!(vd_query_video_flags(&mut k), VIDEO_FLAG_WIDESCREEN | VIDEO_FLAG_HI_DEF);
    }

    #[test]
    fn display_information_fills_sizes_scaler_and_refresh_rate() {
        use display_info::*;
        let mut k = Kernel::for_tests();
        let info = VirtAddr(0x2000);
        k.memory.fill(info, 0x60, 0xEE).unwrap();
        vd_get_current_display_information(&mut k, info);
        let m = &k.memory;
        assert_eq!(m.read_u16(info.add(FRONT_BUFFER_WIDTH)).unwrap(), 1280);
        assert_eq!(m.read_u16(info.add(FRONT_BUFFER_HEIGHT)).unwrap(), 720);
        assert_eq!(m.read_u32(info.add(SCALED_OUTPUT_HEIGHT)).unwrap(), 720);
        assert_eq!(m.read_u16(info.add(OVERSCAN_LEFT + 2)).unwrap(), 180);
        assert_eq!(m.read_u16(info.add(ACTUAL_DISPLAY_WIDTH)).unwrap(), 1280);
        assert_eq!(m.read_f32(info.add(display_info::REFRESH_RATE)).unwrap(), 60.0);
        assert_eq!(m.read_u32(info.add(INTERLACED)).unwrap(), 0);
        assert_eq!(m.read_u8(info.add(SIZE)).unwrap(), 0xEE);
    }

    #[test]
    fn gamma_is_bt709_and_the_trivial_answers_succeed() {
        let mut k = Kernel::for_tests();
        vd_get_current_display_gamma(&mut k, Some(VirtAddr(0x3000)), Some(VirtAddr(0x3004)));
        assert_eq!(k.memory.read_u32(VirtAddr(0x3000)).unwrap(), 2);
        assert_eq!(k.memory.read_f32(VirtAddr(0x3004)).unwrap(), GAMMA_POWER);
        assert!(vd_is_hsio_training_succeeded(&mut k));
        assert_eq!(vd_retrain_edram(&mut k, 0, 0, 0, 0, 0, 0), 0);
        assert_eq!(vd_retrain_edram_worker(&mut k, 0), 0);
        assert_eq!(vd_call_graphics_notification_routines(&mut k, 1, 0), 0);
    }

    #[test]
    fn persist_display_hands_out_a_physical_block_the_title_can_free() {
        let mut k = Kernel::for_tests();
        let out = VirtAddr(0x3100);
        assert!(vd_persist_display(&mut k, 0, Some(out)));
        let block = k.memory.read_u32(out).unwrap();
        assert!(block >= 0xA000_0000, "{block:#x}");
        crate::mm::physical::mm_free_physical_memory(&mut k, 1, block);
    }

    #[test]
    fn scaler_command_buffer_is_filled_with_fillers_from_stack_arguments() {
        let mut k = Kernel::for_tests();
        let sp = 0x7000_1000u32;
        let dest = VirtAddr(0x4000);
        // Arguments 11 and 12 sit in the caller's parameter save area.
        k.memory.write_u64(VirtAddr(sp + 0x54 + 16), dest.0 as u64).unwrap();
        k.memory.write_u64(VirtAddr(sp + 0x54 + 24), 3).unwrap();
        let call = Call { thread: 1, export: 0, args: CallArgs { gpr: [0; 8], fpr: [0; 4], sp, lr: 0 } };
        let h = crate::handler!(vd_initialize_scaler_command_buffer);
        assert_eq!(h(&mut k, &call), crate::dispatch::Outcome::value(3));
        assert_eq!(k.memory.read_u32(dest.add(8)).unwrap(), FILLER);
        assert_eq!(k.memory.read_u32(dest.add(12)).unwrap(), 0);
    }
}
