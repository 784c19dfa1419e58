//! Peripherals and social features that are absent: voice (no headset),
//! parties (never in one), avatars (the avatar system is not present) and
//! Kinect (not connected). Each answers as a console without the device or
//! the service does (xenia `xam_voice.cc`, `xam_party.cc`,
//! `xam_avatar.cc`, `xam_nui.cc`).

use super::error;
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// What `XamPartyGetUserList` returns when the user is in no party.
pub const XPARTY_E_NOT_IN_PARTY: u32 = 0x807D_0003;
/// Size of the device status `XamNuiGetDeviceStatus` fills.
pub const NUI_DEVICE_STATUS_SIZE: u32 = 24;

/// `XamVoiceIsActiveProcess()`: FALSE, voice chat is not running.
pub fn xam_voice_is_active_process(_kernel: &mut Kernel) -> u32 {
    0
}

/// `XamVoiceCreate(UserIndex, Flags, PVOID* Voice)`: no headset, so no voice
/// object (null, `ERROR_ACCESS_DENIED`).
pub fn xam_voice_create(kernel: &mut Kernel, _user_index: u32, _flags: u32, out: Option<VirtAddr>) -> u32 {
    super::write_optional_u32(&kernel.memory, out, 0);
    error::ACCESS_DENIED
}

/// `XamVoiceClose(Voice)`.
pub fn xam_voice_close(_kernel: &mut Kernel, _voice: u32) -> u32 {
    0
}

/// `XamVoiceHeadsetPresent(Voice)`: FALSE.
pub fn xam_voice_headset_present(_kernel: &mut Kernel, _voice: u32) -> u32 {
    0
}

/// `XamPartyGetUserList(Count, PXPARTY_USER_LIST List)`: not in a party.
pub fn xam_party_get_user_list(_kernel: &mut Kernel, _count: u32, _list: Option<VirtAddr>) -> u32 {
    XPARTY_E_NOT_IN_PARTY
}

/// `XamPartySendGameInvites(UserIndex, Xuids, Overlapped)`: no party to invite from.
pub fn xam_party_send_game_invites(_kernel: &mut Kernel, _a: u32, _b: u32, _c: u32) -> u32 {
    error::FUNCTION_FAILED
}

/// `XamPartySetCustomData(…)`: no party.
pub fn xam_party_set_custom_data(_kernel: &mut Kernel, _a: u32, _b: u32, _c: u32) -> u32 {
    error::FUNCTION_FAILED
}

/// `XamPartyGetBandwidth(…)`: no party.
pub fn xam_party_get_bandwidth(_kernel: &mut Kernel, _a: u32, _b: u32) -> u32 {
    error::FUNCTION_FAILED
}

/// `XamAvatarInitialize(…)`: fails (a negative result), after which titles
/// call `XamAvatarShutdown` and go on without avatars.
pub fn xam_avatar_initialize(_kernel: &mut Kernel, _a: u32, _b: u32, _c: u32, _d: u32, _e: u32, _f: u32) -> u32 {
    u32::MAX
}

/// `XamAvatarShutdown()`: nothing was started.
pub fn xam_avatar_shutdown(_kernel: &mut Kernel) {}

/// `XamNuiGetDeviceStatus(PNUI_DEVICE_STATUS Status)`: zeroed, status 0
/// (not connected) at offset 12.
pub fn xam_nui_get_device_status(kernel: &mut Kernel, out: Option<VirtAddr>) {
    if let Some(out) = out {
        let _ = kernel.memory.fill(out, NUI_DEVICE_STATUS_SIZE, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_headset_party_avatar_or_kinect_is_present() {
        let mut k = Kernel::for_tests();
        let out = VirtAddr(0x1000);
        k.memory.fill(out, 32, 0xAA).unwrap();
        assert_eq!(xam_voice_create(&mut k, 0, 0xF, Some(out)), error::ACCESS_DENIED);
        assert_eq!(k.memory.read_u32(out).unwrap(), 0);
        assert_eq!(xam_voice_headset_present(&mut k, 0), 0);
        assert_eq!(xam_voice_is_active_process(&mut k), 0);
        assert_eq!(xam_party_get_user_list(&mut k, 4, Some(out)), 0x807D_0003);
        assert_eq!(xam_party_get_bandwidth(&mut k, 0, 0), error::FUNCTION_FAILED);
        assert_eq!(xam_avatar_initialize(&mut k, 1, 0, 0, 0, 0, 0) as i32, -1);
        k.memory.fill(out, 32, 0xAA).unwrap();
        xam_nui_get_device_status(&mut k, Some(out));
        assert_eq!(k.memory.read_u32(out.add(12)).unwrap(), 0);
        assert_eq!(k.memory.read_u32(out.add(20)).unwrap(), 0);
        assert_eq!(k.memory.read_u32(out.add(24)).unwrap(), 0xAAAA_AAAA);
    }
}
