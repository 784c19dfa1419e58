//! USB peripherals Xenact never has attached: a keyboard (`HidReadKeys`)
//! and the Xbox Live Vision camera (`XUsbcam*`), answered as a console
//! without them answers.

use crate::kernel::Kernel;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

/// `XUsbcamGetState` for "no camera connected" (xenia `xboxkrnl_usbcam.cc`).
pub const USBCAM_NOT_CONNECTED: u32 = 0;

/// `HidReadKeys(UserIndex, Keystroke*, …)`: no keyboard is attached, so
/// `STATUS_DEVICE_NOT_CONNECTED` (titles map it to
/// `ERROR_DEVICE_NOT_CONNECTED`; xenia `xboxkrnl_hid.cc`).
pub fn hid_read_keys(
    _kernel: &mut Kernel,
    _user: u32,
    _keystroke: Option<VirtAddr>,
    _buffer: Option<VirtAddr>,
) -> NtStatus {
    NtStatus::DEVICE_NOT_CONNECTED
}

/// `XUsbcamCreate(Buffer, BufferSize, Handle*)`: sets up the camera
/// library in the title's buffer, which succeeds whether or not a camera
/// is plugged in (titles such as Carcassonne stop booting when it fails;
/// xenia `xboxkrnl_usbcam.cc`); [`xusbcam_get_state`] then says none is.
pub fn xusbcam_create(_kernel: &mut Kernel, _buffer: u32, _size: u32, _out: Option<VirtAddr>) -> NtStatus {
    NtStatus::SUCCESS
}

/// `XUsbcamGetState()`: no camera connected.
pub fn xusbcam_get_state(_kernel: &mut Kernel) -> u32 {
    USBCAM_NOT_CONNECTED
}

/// `FscGetCacheElementCount(Which)`: the element count last set with
/// [`fsc_set_cache_element_count`] (0 before any; xenia
/// `xboxkrnl_io.cc`).
pub fn fsc_get_cache_element_count(kernel: &mut Kernel, _which: u32) -> u32 {
    kernel.io.fsc_cache_elements
}

/// `FscSetCacheElementCount(Which, Count)`: sizes the file-system cache.
/// Xenact reads straight from the host, so only the count is kept.
pub fn fsc_set_cache_element_count(kernel: &mut Kernel, _which: u32, count: u32) -> NtStatus {
    kernel.io.fsc_cache_elements = count;
    NtStatus::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_devices_answer_as_disconnected() {
        let mut k = Kernel::for_tests();
        assert_eq!(hid_read_keys(&mut k, 0, None, None), NtStatus(0xC000_009D));
        assert_eq!(xusbcam_create(&mut k, 0x4000_0000, 0x4B000, None), NtStatus::SUCCESS);
        assert_eq!(xusbcam_get_state(&mut k), 0);
    }

    #[test]
    fn the_cache_element_count_reads_back_what_was_set() {
        let mut k = Kernel::for_tests();
        assert_eq!(fsc_get_cache_element_count(&mut k, 0), 0);
        assert_eq!(fsc_set_cache_element_count(&mut k, 0, 256), NtStatus::SUCCESS);
        assert_eq!(fsc_get_cache_element_count(&mut k, 0), 256);
    }
}
