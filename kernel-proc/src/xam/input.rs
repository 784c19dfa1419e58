//! Controller input with no controller attached: every `XamInput*` call
//! answers `ERROR_DEVICE_NOT_CONNECTED`, as a console with no pad does.

use super::error;
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// `XamInputGetCapabilities(UserIndex, Flags, Capabilities)`.
pub fn xam_input_get_capabilities(_kernel: &mut Kernel, _user: u32, _flags: u32, _caps: Option<VirtAddr>) -> u32 {
    error::DEVICE_NOT_CONNECTED
}

/// `XamInputGetCapabilitiesEx(Unknown, UserIndex, Flags, Capabilities)`.
pub fn xam_input_get_capabilities_ex(
    _kernel: &mut Kernel,
    _unk: u32,
    _user: u32,
    _flags: u32,
    _caps: Option<VirtAddr>,
) -> u32 {
    error::DEVICE_NOT_CONNECTED
}

/// `XamInputGetState(UserIndex, Flags, State)`.
pub fn xam_input_get_state(_kernel: &mut Kernel, _user: u32, _flags: u32, _state: Option<VirtAddr>) -> u32 {
    error::DEVICE_NOT_CONNECTED
}

/// `XamInputSetState(UserIndex, Unknown, Vibration)`.
pub fn xam_input_set_state(_kernel: &mut Kernel, _user: u32, _unk: u32, _vibration: Option<VirtAddr>) -> u32 {
    error::DEVICE_NOT_CONNECTED
}

/// `XamInputGetKeystroke(UserIndex, Flags, Keystroke)`.
pub fn xam_input_get_keystroke(_kernel: &mut Kernel, _user: u32, _flags: u32, _keystroke: Option<VirtAddr>) -> u32 {
    error::DEVICE_NOT_CONNECTED
}

/// `XamInputGetKeystrokeEx(UserIndexInOut, Flags, Keystroke)`.
pub fn xam_input_get_keystroke_ex(
    _kernel: &mut Kernel,
    _user: Option<VirtAddr>,
    _flags: u32,
    _keystroke: Option<VirtAddr>,
) -> u32 {
    error::DEVICE_NOT_CONNECTED
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_no_controller_every_input_call_says_not_connected() {
        let mut k = Kernel::for_tests();
        assert_eq!(xam_input_get_state(&mut k, 0, 0, Some(VirtAddr(0x4000_0000))), 0x48F);
        assert_eq!(xam_input_get_capabilities(&mut k, 0, 1, None), 0x48F);
        assert_eq!(xam_input_set_state(&mut k, 3, 0, None), 0x48F);
        assert_eq!(xam_input_get_keystroke_ex(&mut k, None, 0, None), 0x48F);
    }
}
