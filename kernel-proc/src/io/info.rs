//! `NtQueryInformationFile`, `NtSetInformationFile`,
//! `NtQueryVolumeInformationFile`.
//!
//! Information classes are numbered as xenia `info/file.h` and
//! `info/volume.h` list them; the minimum lengths and layouts are those
//! files' (checked with the size assertions below). An unknown class is
//! `INVALID_INFO_CLASS`, a short buffer `INFO_LENGTH_MISMATCH`.

use super::create::{file_id, write_iosb};
use super::{OpenFile, Stat};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use crate::mm::access::GuestAccess;
use crate::status::NtStatus;
use shared::memory::{GuestMemory, VirtAddr};

/// `STATUS_INVALID_INFO_CLASS`.
pub const STATUS_INVALID_INFO_CLASS: NtStatus = NtStatus(0xC000_0003);

/// `FILE_INFORMATION_CLASS` values titles use.
pub mod class {
    pub const BASIC: u32 = 4;
    pub const STANDARD: u32 = 5;
    pub const INTERNAL: u32 = 6;
    pub const RENAME: u32 = 10;
    pub const DISPOSITION: u32 = 13;
    pub const POSITION: u32 = 14;
    pub const MODE: u32 = 16;
    pub const ALIGNMENT: u32 = 17;
    pub const ALLOCATION: u32 = 19;
    pub const END_OF_FILE: u32 = 20;
    pub const SECTOR: u32 = 26;
    pub const XCTD_COMPRESSION: u32 = 27;
    pub const COMPLETION: u32 = 30;
    pub const IO_PRIORITY: u32 = 32;
    pub const NETWORK_OPEN: u32 = 34;
}

/// `FS_INFORMATION_CLASS` values.
pub mod fs_class {
    pub const VOLUME: u32 = 1;
    pub const SIZE: u32 = 3;
    pub const DEVICE: u32 = 4;
    pub const ATTRIBUTE: u32 = 5;
}

/// Structure sizes (xenia `info/file.h`, `info/volume.h`).
pub mod size {
    pub const BASIC: u32 = 40;
    pub const STANDARD: u32 = 24;
    pub const NETWORK_OPEN: u32 = 56;
    pub const FS_VOLUME: u32 = 24;
    pub const FS_SIZE: u32 = 24;
    pub const FS_ATTRIBUTE: u32 = 16;
    /// Offset of the label in `FILE_FS_VOLUME_INFORMATION`.
    pub const FS_VOLUME_LABEL: u32 = 0x11;
    /// Offset of the name in `FILE_FS_ATTRIBUTE_INFORMATION`.
    pub const FS_ATTRIBUTE_NAME: u32 = 12;
}

/// Writes a `FILE_NETWORK_OPEN_INFORMATION`: four times, allocation size,
/// end of file, attributes, padding.
pub fn write_network_open(memory: &GuestMemory, at: VirtAddr, s: &Stat) -> Result<(), NtStatus> {
    let mut b = Vec::with_capacity(size::NETWORK_OPEN as usize);
    for _ in 0..4 {
        b.extend_from_slice(&s.write_time.to_be_bytes());
    }
    b.extend_from_slice(&s.allocation_size.to_be_bytes());
    b.extend_from_slice(&s.size.to_be_bytes());
    b.extend_from_slice(&s.attributes.to_be_bytes());
    b.extend_from_slice(&[0; 4]);
    debug_assert_eq!(b.len() as u32, size::NETWORK_OPEN);
    memory.write_all(at, &b)
}

fn query_min_length(info_class: u32) -> Option<u32> {
    Some(match info_class {
        class::INTERNAL | class::POSITION => 8,
        class::NETWORK_OPEN => size::NETWORK_OPEN,
        class::MODE | class::ALIGNMENT | class::SECTOR | class::IO_PRIORITY | class::XCTD_COMPRESSION => 4,
        class::ALLOCATION => 8,
        class::BASIC => size::BASIC,
        class::STANDARD => size::STANDARD,
        _ => return None,
    })
}

/// The file's facts: from the host file when open there (its size moves with writes).
fn file_stat(kernel: &Kernel, file: &OpenFile) -> Result<Stat, NtStatus> {
    let mut s = kernel.io.stat(&file.location)?;
    if let Some(meta) = file.host.as_ref().and_then(|h| h.metadata().ok()) {
        let cluster = kernel.io.device(&file.location).cluster as u64;
        s.size = meta.len();
        s.allocation_size = s.size.div_ceil(cluster) * cluster;
    }
    Ok(s)
}

/// A stable id for a file: FNV-1a of its device and path.
fn index_number(file: &OpenFile) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    let text = format!("{}:{}", file.location.device, file.location.components.join("\\").to_ascii_lowercase());
    for b in text.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01B3);
    }
    h
}

/// `NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock,
/// PVOID FileInformation, ULONG Length, FILE_INFORMATION_CLASS Class)`.
pub fn nt_query_information_file(
    kernel: &mut Kernel,
    handle: u32,
    iosb: Option<VirtAddr>,
    info: VirtAddr,
    length: u32,
    info_class: u32,
    call: Call,
) -> NtStatus {
    let Some(min) = query_min_length(info_class) else { return STATUS_INVALID_INFO_CLASS };
    if length < min {
        return NtStatus::INFO_LENGTH_MISMATCH;
    }
    let id = match file_id(kernel, handle, call.thread) {
        Ok(id) => id,
        Err(e) => return e,
    };
    let result = (|| {
        let m = &kernel.memory;
        let file = &kernel.io.files[&id];
        m.zero(info, length)?;
        match info_class {
            class::INTERNAL => m.w64(info, index_number(file)).map(|_| 8),
            class::POSITION => m.w64(info, file.position).map(|_| 8),
            class::MODE => m.w32(info, file.mode).map(|_| 4),
            class::ALIGNMENT => m.w32(info, 0).map(|_| 4),
            class::IO_PRIORITY => m.w32(info, 0).map(|_| 4),
            class::ALLOCATION => m.w64(info, file_stat(kernel, file)?.allocation_size).map(|_| 8),
            class::NETWORK_OPEN => write_network_open(m, info, &file_stat(kernel, file)?).map(|_| size::NETWORK_OPEN),
            class::BASIC => {
                let s = file_stat(kernel, file)?;
                for i in 0..4 {
                    m.w64(info.add(8 * i), s.write_time)?;
                }
                m.w32(info.add(32), s.attributes).map(|_| size::BASIC)
            }
            class::STANDARD => {
                let s = file_stat(kernel, file)?;
                m.w64(info, s.allocation_size)?;
                m.w64(info.add(8), s.size)?;
                m.w32(info.add(16), 1)?;
                m.w8(info.add(20), file.delete_on_close as u8)?;
                m.w8(info.add(21), s.is_dir as u8).map(|_| size::STANDARD)
            }
            // Sector and XCTD-compression queries describe console media we do not model.
            _ => Err(NtStatus::INVALID_PARAMETER),
        }
    })();
    let (status, written) = match result {
        Ok(n) => (NtStatus::SUCCESS, n),
        Err(e) => (e, 0),
    };
    write_iosb(kernel, iosb, status, written);
    status
}

fn set_min_length(info_class: u32) -> Option<u32> {
    Some(match info_class {
        class::DISPOSITION => 1,
        class::POSITION | class::COMPLETION | class::ALLOCATION | class::END_OF_FILE => 8,
        class::MODE | class::IO_PRIORITY => 4,
        class::RENAME => 16,
        class::BASIC => size::BASIC,
        _ => return None,
    })
}

/// `NtSetInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock,
/// PVOID FileInformation, ULONG Length, FILE_INFORMATION_CLASS Class)`:
/// position, end of file, disposition (delete on close), and the classes
/// that change nothing here (basic, mode, allocation, I/O priority).
pub fn nt_set_information_file(
    kernel: &mut Kernel,
    handle: u32,
    iosb: Option<VirtAddr>,
    info: VirtAddr,
    length: u32,
    info_class: u32,
    call: Call,
) -> NtStatus {
    let Some(min) = set_min_length(info_class) else { return STATUS_INVALID_INFO_CLASS };
    if length < min {
        return NtStatus::INFO_LENGTH_MISMATCH;
    }
    let id = match file_id(kernel, handle, call.thread) {
        Ok(id) => id,
        Err(e) => return e,
    };
    let memory = kernel.memory.clone();
    let read_only = kernel.io.device(&kernel.io.files[&id].location).read_only();
    let file = kernel.io.files.get_mut(&id).expect("checked by file_id");
    let result = (|| match info_class {
        class::POSITION => {
            file.position = memory.r64(info)?;
            Ok(8)
        }
        class::END_OF_FILE => {
            let len = memory.r64(info)?;
            let host = file.host.as_ref().filter(|_| file.can_write).ok_or(NtStatus::ACCESS_DENIED)?;
            host.set_len(len).map_err(|_| NtStatus::UNSUCCESSFUL)?;
            Ok(8)
        }
        class::DISPOSITION => {
            if read_only {
                return Err(NtStatus::ACCESS_DENIED);
            }
            file.delete_on_close = memory.r8(info)? != 0;
            Ok(0)
        }
        class::MODE => {
            file.mode = memory.r32(info)?;
            Ok(4)
        }
        class::BASIC | class::ALLOCATION | class::IO_PRIORITY => Ok(min),
        // Renames and I/O completion ports are not modelled.
        _ => Err(NtStatus::NOT_SUPPORTED),
    })();
    let (status, written) = match result {
        Ok(n) => (NtStatus::SUCCESS, n),
        Err(e) => (e, 0),
    };
    write_iosb(kernel, iosb, status, written);
    status
}

/// `NtQueryVolumeInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK
/// IoStatusBlock, PVOID FsInformation, ULONG Length, FS_INFORMATION_CLASS Class)`.
pub fn nt_query_volume_information_file(
    kernel: &mut Kernel,
    handle: u32,
    iosb: Option<VirtAddr>,
    info: VirtAddr,
    length: u32,
    info_class: u32,
    call: Call,
) -> NtStatus {
    let min = match info_class {
        fs_class::VOLUME => size::FS_VOLUME,
        fs_class::SIZE => size::FS_SIZE,
        fs_class::ATTRIBUTE => size::FS_ATTRIBUTE,
        fs_class::DEVICE => 8,
        _ => return STATUS_INVALID_INFO_CLASS,
    };
    if length < min {
        return NtStatus::INFO_LENGTH_MISMATCH;
    }
    let id = match file_id(kernel, handle, call.thread) {
        Ok(id) => id,
        Err(e) => return e,
    };
    let result = (|| {
        let m = &kernel.memory;
        let device = kernel.io.device(&kernel.io.files[&id].location);
        m.zero(info, length)?;
        match info_class {
            fs_class::VOLUME => Ok((NtStatus::SUCCESS, size::FS_VOLUME_LABEL)),
            fs_class::SIZE => {
                // The data held, in clusters; the cache claims 1 GiB.
                let used: u64 = device.volume.walk().map_or(0, |w| w.iter().map(|(_, e)| e.size).sum());
                let cluster = device.cluster as u64;
                let used_units = used.div_ceil(cluster);
                let total_units = if device.read_only() { used_units.max(1) } else { (1 << 30) / cluster };
                let available = if device.read_only() { 0 } else { total_units.saturating_sub(used_units) };
                m.w64(info, total_units)?;
                m.w64(info.add(8), available)?;
                m.w32(info.add(16), device.cluster / 0x200)?;
                m.w32(info.add(20), 0x200)?;
                Ok((NtStatus::SUCCESS, size::FS_SIZE))
            }
            fs_class::DEVICE => {
                // FILE_DEVICE_CD_ROM with read-only removable media, or FILE_DEVICE_DISK.
                let (kind, characteristics) = if device.read_only() { (0x02, 0x03) } else { (0x07, 0) };
                m.w32(info, kind)?;
                m.w32(info.add(4), characteristics)?;
                Ok((NtStatus::SUCCESS, 8))
            }
            _ => {
                let name = device.fs_name.as_bytes();
                // FILE_CASE_PRESERVED_NAMES; FILE_READ_ONLY_VOLUME on the disc.
                let attrs = if device.read_only() { 0x0008_0002 } else { 0x2 };
                m.w32(info, attrs)?;
                m.w32(info.add(4), 255)?;
                m.w32(info.add(8), name.len() as u32)?;
                if length >= size::FS_ATTRIBUTE_NAME + name.len() as u32 {
                    m.write_all(info.add(size::FS_ATTRIBUTE_NAME), name)?;
                    Ok((NtStatus::SUCCESS, size::FS_ATTRIBUTE_NAME + name.len() as u32))
                } else {
                    Ok((NtStatus::BUFFER_OVERFLOW, size::FS_ATTRIBUTE_NAME))
                }
            }
        }
    })();
    let (status, written) = result.unwrap_or_else(|e| (e, 0));
    write_iosb(kernel, iosb, status, written);
    status
}

#[cfg(test)]
mod tests {
    use super::super::create::tests::{open, open_read, setup, IOSB};
    use super::super::create::{access, disposition, options};
    use super::*;
    use crate::threading::testing::call_from;

    const INFO: VirtAddr = VirtAddr(0x2000);

    #[test]
    fn queries_report_position_size_and_kind() {
        let (mut k, t, _a, _b) = setup();
        let (_, h, _) = open_read(&mut k, t, "game:\\data\\numbers.bin");
        let q = |k: &mut Kernel, class: u32, len: u32| {
            nt_query_information_file(k, h, Some(IOSB), INFO, len, class, call_from(t))
        };
        assert_eq!(q(&mut k, class::NETWORK_OPEN, 56), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(IOSB.add(4)).unwrap(), 56);
        assert_eq!(k.memory.read_u64(INFO.add(0x28)).unwrap(), 256);
        assert_eq!(q(&mut k, class::STANDARD, 24), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u64(INFO.add(8)).unwrap(), 256);
        assert_eq!(k.memory.read_u8(INFO.add(21)).unwrap(), 0);
        assert_eq!(q(&mut k, class::BASIC, 40), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(INFO.add(32)).unwrap(), super::super::attributes::READONLY);
        assert_eq!(q(&mut k, class::POSITION, 8), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u64(INFO).unwrap(), 0);
        assert_eq!(q(&mut k, class::MODE, 4), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(INFO).unwrap(), options::SYNCHRONOUS_IO_NONALERT);
        assert_eq!(q(&mut k, class::NETWORK_OPEN, 55), NtStatus::INFO_LENGTH_MISMATCH);
        assert_eq!(q(&mut k, 99, 64), STATUS_INVALID_INFO_CLASS);
        assert_eq!(q(&mut k, class::SECTOR, 8), NtStatus::INVALID_PARAMETER);
        assert_eq!(
            nt_query_information_file(&mut k, 0x1234, None, INFO, 8, class::POSITION, call_from(t)),
            NtStatus::INVALID_HANDLE
        );
    }

    #[test]
    fn set_moves_the_position_and_resizes_cache_files() {
        let (mut k, t, _a, cache) = setup();
        let (_, h, _) = open_read(&mut k, t, "game:\\data\\numbers.bin");
        k.memory.write_u64(INFO, 200).unwrap();
        assert_eq!(
            nt_set_information_file(&mut k, h, Some(IOSB), INFO, 8, class::POSITION, call_from(t)),
            NtStatus::SUCCESS
        );
        nt_query_information_file(&mut k, h, Some(IOSB), VirtAddr(0x3000), 8, class::POSITION, call_from(t));
        assert_eq!(k.memory.read_u64(VirtAddr(0x3000)).unwrap(), 200);
        assert_eq!(
            nt_set_information_file(&mut k, h, Some(IOSB), INFO, 8, class::END_OF_FILE, call_from(t)),
            NtStatus::ACCESS_DENIED
        );
        assert_eq!(
            nt_set_information_file(&mut k, h, Some(IOSB), INFO, 1, class::DISPOSITION, call_from(t)),
            NtStatus::ACCESS_DENIED
        );
        let rw = access::GENERIC_READ | access::GENERIC_WRITE;
        let (_, c, _) = open(&mut k, t, "cache:\\grow.bin", rw, disposition::CREATE, 0);
        k.memory.write_u64(INFO, 5000).unwrap();
        assert_eq!(
            nt_set_information_file(&mut k, c, Some(IOSB), INFO, 8, class::END_OF_FILE, call_from(t)),
            NtStatus::SUCCESS
        );
        assert_eq!(std::fs::metadata(cache.0.join("grow.bin")).unwrap().len(), 5000);
        nt_query_information_file(&mut k, c, Some(IOSB), INFO, 56, class::NETWORK_OPEN, call_from(t));
        assert_eq!(k.memory.read_u64(INFO.add(0x28)).unwrap(), 5000);
        assert_eq!(k.memory.read_u64(INFO.add(0x20)).unwrap(), 0x4000);
        assert_eq!(
            nt_set_information_file(&mut k, c, Some(IOSB), INFO, 4, class::POSITION, call_from(t)),
            NtStatus::INFO_LENGTH_MISMATCH
        );
        assert_eq!(
            nt_set_information_file(&mut k, c, Some(IOSB), INFO, 64, 77, call_from(t)),
            STATUS_INVALID_INFO_CLASS
        );
    }

    #[test]
    fn volume_information_describes_each_device() {
        let (mut k, t, _a, _b) = setup();
        let (_, h, _) = open_read(&mut k, t, "game:\\default.xex");
        let q = |k: &mut Kernel, h: u32, class: u32, len: u32| {
            nt_query_volume_information_file(k, h, Some(IOSB), INFO, len, class, call_from(t))
        };
        assert_eq!(q(&mut k, h, fs_class::SIZE, 24), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(INFO.add(20)).unwrap(), 0x200);
        assert_eq!(k.memory.read_u64(INFO.add(8)).unwrap(), 0);
        assert_eq!(q(&mut k, h, fs_class::ATTRIBUTE, 64), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_vec(INFO.add(12), 4).unwrap(), b"GDFX");
        assert_eq!(q(&mut k, h, fs_class::ATTRIBUTE, 16), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(IOSB.add(4)).unwrap(), 16);
        assert_eq!(q(&mut k, h, fs_class::VOLUME, 24), NtStatus::SUCCESS);
        assert_eq!(q(&mut k, h, fs_class::VOLUME, 8), NtStatus::INFO_LENGTH_MISMATCH);
        assert_eq!(q(&mut k, h, 2, 64), STATUS_INVALID_INFO_CLASS);
        let rw = access::GENERIC_READ | access::GENERIC_WRITE;
        let (_, c, _) = open(&mut k, t, "cache:\\x", rw, disposition::CREATE, 0);
        assert_eq!(q(&mut k, c, fs_class::SIZE, 24), NtStatus::SUCCESS);
        assert!(k.memory.read_u64(INFO.add(8)).unwrap() > 0);
        assert_eq!(q(&mut k, c, fs_class::DEVICE, 8), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(INFO).unwrap(), 7);
    }
}
