//! Content (saves, downloadable content): there is none. Enumerations are
//! empty; the hard drive (device 1) and the disc drive (device 2) exist
//! (xenia `xam_content.cc`, `xam_content_device.cc`).

use super::{enumerator, error, overlapped};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// Size of `XCONTENT_DATA`: device id, content type, a 128-unit display
/// name, a 42-byte file name, 2 bytes of padding.
pub const CONTENT_DATA_SIZE: u32 = 0x134;
/// Size of `XCONTENT_DEVICE_DATA`.
pub const DEVICE_DATA_SIZE: u32 = 0x50;

/// A storage device titles can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Device {
    pub id: u32,
    /// `XCONTENTDEVICETYPE`: 1 hard drive, 4 optical drive.
    pub kind: u32,
    pub total_bytes: u64,
    pub free_bytes: u64,
    pub name: &'static str,
}

const GIB: u64 = 1 << 30;

/// The devices of the console.
pub const DEVICES: [Device; 2] = [
    Device { id: 1, kind: 1, total_bytes: 20 * GIB, free_bytes: 3 * GIB, name: "Hard Drive" },
    Device { id: 2, kind: 4, total_bytes: 7 * GIB, free_bytes: 0, name: "DVD Drive" },
];

fn device(id: u32) -> Option<&'static Device> {
    DEVICES.iter().find(|d| d.id == id)
}

/// `XamContentCreateEnumerator(DWORD UserIndex, DWORD DeviceId, DWORD
/// ContentType, DWORD Flags, DWORD ItemsPerEnumerate, PDWORD BufferSize,
/// PHANDLE Enumerator)`: an enumerator with no items.
#[allow(clippy::too_many_arguments)]
pub fn xam_content_create_enumerator(
    kernel: &mut Kernel,
    _user_index: u32,
    device_id: u32,
    _content_type: u32,
    _flags: u32,
    items_per_enumerate: u32,
    buffer_size_out: Option<VirtAddr>,
    handle_out: Option<VirtAddr>,
) -> u32 {
    let Some(handle_out) = handle_out.filter(|_| device_id == 0 || device(device_id).is_some()) else {
        if let Some(out) = buffer_size_out {
            let _ = kernel.memory.write_u32(out, 0);
        }
        return error::E_INVALIDARG;
    };
    if let Some(out) = buffer_size_out {
        let _ = kernel.memory.write_u32(out, CONTENT_DATA_SIZE.saturating_mul(items_per_enumerate));
    }
    match enumerator::create(kernel, CONTENT_DATA_SIZE, items_per_enumerate, Vec::new()) {
        Ok(handle) => {
            let _ = kernel.memory.write_u32(handle_out, handle);
            error::SUCCESS
        }
        Err(_) => error::FUNCTION_FAILED,
    }
}

/// `XamContentGetDeviceState(DWORD DeviceId, PXOVERLAPPED Overlapped)`.
pub fn xam_content_get_device_state(kernel: &mut Kernel, device_id: u32, ov: Option<VirtAddr>, call: Call) -> u32 {
    let present = device(device_id).is_some();
    match (ov, present) {
        (Some(ov), true) => {
            overlapped::complete_immediate(kernel, call.thread, ov, error::SUCCESS);
            error::IO_PENDING
        }
        (Some(ov), false) => {
            overlapped::complete(kernel, call.thread, ov, error::FUNCTION_FAILED, error::DEVICE_NOT_CONNECTED, 0);
            error::IO_PENDING
        }
        (None, true) => error::SUCCESS,
        (None, false) => error::DEVICE_NOT_CONNECTED,
    }
}

/// `XamContentGetDeviceData(DWORD DeviceId, PXCONTENT_DEVICE_DATA Data)`:
/// id, type, total and free bytes, a 28-unit name.
pub fn xam_content_get_device_data(kernel: &mut Kernel, device_id: u32, out: VirtAddr) -> u32 {
    let Some(d) = device(device_id) else { return error::DEVICE_NOT_CONNECTED };
    let m = &kernel.memory;
    let mut data = Vec::with_capacity(DEVICE_DATA_SIZE as usize);
    data.extend_from_slice(&d.id.to_be_bytes());
    data.extend_from_slice(&d.kind.to_be_bytes());
    data.extend_from_slice(&d.total_bytes.to_be_bytes());
    data.extend_from_slice(&d.free_bytes.to_be_bytes());
    data.extend(d.name.encode_utf16().take(27).flat_map(u16::to_be_bytes));
    data.resize(DEVICE_DATA_SIZE as usize, 0);
    match m.write_bytes(out, &data) {
        Ok(()) => error::SUCCESS,
        Err(_) => error::INVALID_PARAMETER,
    }
}

/// `XamContentGetLicenseMask(PDWORD LicenseMask, PXOVERLAPPED Overlapped)`:
/// no licenses.
pub fn xam_content_get_license_mask(
    kernel: &mut Kernel,
    mask: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let Some(mask) = mask else { return error::INVALID_PARAMETER };
    let _ = kernel.memory.write_u32(mask, 0);
    match ov {
        Some(ov) => {
            overlapped::complete_immediate(kernel, call.thread, ov, error::SUCCESS);
            error::IO_PENDING
        }
        None => error::SUCCESS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::{call_from, kernel_with_thread};

    #[test]
    fn content_enumerations_are_empty() {
        let (mut k, t) = kernel_with_thread();
        let (size, handle) = (VirtAddr(0x1000), VirtAddr(0x1004));
        let r = xam_content_create_enumerator(&mut k, 0, 1, 1, 0, 4, Some(size), Some(handle));
        assert_eq!(r, error::SUCCESS);
        assert_eq!(k.memory.read_u32(size).unwrap(), 4 * CONTENT_DATA_SIZE);
        let h = k.memory.read_u32(handle).unwrap();
        let n = VirtAddr(0x1008);
        let buf = Some(VirtAddr(0x2000));
        let e = enumerator::xam_enumerate(&mut k, h, 0, buf, 4 * CONTENT_DATA_SIZE, Some(n), None, call_from(t));
        assert_eq!(e, error::NO_MORE_FILES);
        assert_eq!(k.memory.read_u32(n).unwrap(), 0);
        assert_eq!(crate::ob::nt_close(&mut k, h), crate::status::NtStatus::SUCCESS);
        assert_eq!(xam_content_create_enumerator(&mut k, 0, 9, 1, 0, 4, Some(size), Some(handle)), error::E_INVALIDARG);
        assert_eq!(k.memory.read_u32(size).unwrap(), 0);
    }

    #[test]
    fn devices_one_and_two_exist() {
        let (mut k, t) = kernel_with_thread();
        assert_eq!(xam_content_get_device_state(&mut k, 1, None, call_from(t)), error::SUCCESS);
        assert_eq!(xam_content_get_device_state(&mut k, 3, None, call_from(t)), error::DEVICE_NOT_CONNECTED);
        let ov = VirtAddr(0x3000);
        k.memory.fill(ov, overlapped::SIZE, 0).unwrap();
        assert_eq!(xam_content_get_device_state(&mut k, 3, Some(ov), call_from(t)), error::IO_PENDING);
        assert_eq!(k.memory.read_u32(ov.add(overlapped::RESULT)).unwrap(), error::FUNCTION_FAILED);
        assert_eq!(k.memory.read_u32(ov.add(overlapped::EXTENDED_ERROR)).unwrap(), error::DEVICE_NOT_CONNECTED);
        let out = VirtAddr(0x4000);
        assert_eq!(xam_content_get_device_data(&mut k, 1, out), error::SUCCESS);
        assert_eq!(k.memory.read_u64(out.add(8)).unwrap(), 20 * GIB);
        assert_eq!(k.memory.read_u16(out.add(0x18)).unwrap(), b'H' as u16);
        let mask = VirtAddr(0x5000);
        assert_eq!(xam_content_get_license_mask(&mut k, Some(mask), None, call_from(t)), error::SUCCESS);
        assert_eq!(k.memory.read_u32(mask).unwrap(), 0);
    }
}
