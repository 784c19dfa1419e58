//! `NtQueryDirectoryFile`: one `FILE_DIRECTORY_INFORMATION` per call, as
//! xenia returns them (titles' `FindNextFile` expects no more).
//!
//! The first call on a handle (or one with `RestartScan`) fixes the pattern
//! (`*` and `?` wildcards, case ignored; none or `*.*` matches all) and
//! starts over; later calls continue. An empty first result is
//! `NO_SUCH_FILE`, the end of a scan `NO_MORE_FILES`. A buffer too short
//! for the name gets what fits and `BUFFER_OVERFLOW`, and the entry counts
//! as returned. The record: next entry offset, file index, four times, end
//! of file, allocation size, attributes, name length (bytes), then the name
//! at 0x40.

use super::create::file_id;
use super::read_write::Completion;
use super::{attributes, path, DirScan, Location, Stat};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use crate::mm::access::GuestAccess;
use crate::rtl::strings::Counted;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

/// Offset of the name in `FILE_DIRECTORY_INFORMATION`.
pub const NAME_OFFSET: u32 = 0x40;
/// Smallest buffer the call accepts (xenia).
pub const MIN_LENGTH: u32 = 72;

fn next_entry(
    kernel: &mut Kernel,
    handle: u32,
    pattern: Option<VirtAddr>,
    restart: bool,
    call: &Call,
) -> Result<(Location, Stat, String, u32), NtStatus> {
    let id = file_id(kernel, handle, call.thread)?;
    let pattern = match pattern {
        Some(p) => {
            let bytes = Counted::read(&kernel.memory, p)?.bytes(&kernel.memory)?;
            if path::validate(&bytes, true).is_err() || bytes.iter().any(|&b| b == b'\\' || b == b'/') {
                return Err(NtStatus::INVALID_PARAMETER);
            }
            Some(bytes.iter().map(|&b| b as char).collect::<String>())
        }
        None => None,
    };
    let file = &kernel.io.files[&id];
    if !file.is_dir {
        return Err(NtStatus::INVALID_PARAMETER);
    }
    let fresh = restart || file.scan.is_none();
    if fresh {
        let pattern = pattern.or_else(|| file.scan.as_ref().map(|s| s.pattern.clone())).unwrap_or_else(|| "*".into());
        let entries =
            kernel.io.list(&file.location)?.into_iter().filter(|e| path::wildcard_match(&pattern, &e.name)).collect();
        kernel.io.files.get_mut(&id).expect("looked up above").scan = Some(DirScan { pattern, entries, next: 0 });
    }
    let file = kernel.io.files.get_mut(&id).expect("looked up above");
    let location = file.location.clone();
    let scan = file.scan.as_mut().expect("set above");
    let Some(entry) = scan.entries.get(scan.next).cloned() else {
        return Err(if fresh { NtStatus::NO_SUCH_FILE } else { NtStatus::NO_MORE_FILES });
    };
    scan.next += 1;
    let index = scan.next as u32;
    let child =
        Location { device: location.device, components: [location.components, vec![entry.name.clone()]].concat() };
    let stat = kernel.io.stat(&child).unwrap_or(Stat {
        is_dir: entry.is_dir,
        size: entry.size,
        allocation_size: entry.size,
        attributes: if entry.is_dir { attributes::DIRECTORY } else { attributes::NORMAL },
        write_time: 0,
    });
    Ok((child, stat, entry.name, index))
}

/// `NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE
/// ApcRoutine, PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID
/// FileInformation, ULONG Length, PANSI_STRING FileName, BOOLEAN RestartScan)`.
#[allow(clippy::too_many_arguments)]
pub fn nt_query_directory_file(
    kernel: &mut Kernel,
    handle: u32,
    event: u32,
    apc_routine: u32,
    apc_context: u32,
    iosb: Option<VirtAddr>,
    info: VirtAddr,
    length: u32,
    pattern: Option<VirtAddr>,
    restart_scan: bool,
    call: Call,
) -> NtStatus {
    if length < MIN_LENGTH {
        return NtStatus::INFO_LENGTH_MISMATCH;
    }
    let done = Completion { event, apc_routine, apc_context, iosb };
    done.run(kernel, &call, |kernel| {
        let (_, stat, name, index) = next_entry(kernel, handle, pattern, restart_scan, &call)?;
        let m = &kernel.memory;
        let mut record = Vec::with_capacity(NAME_OFFSET as usize + name.len());
        record.extend_from_slice(&0u32.to_be_bytes());
        record.extend_from_slice(&index.to_be_bytes());
        for _ in 0..4 {
            record.extend_from_slice(&stat.write_time.to_be_bytes());
        }
        record.extend_from_slice(&stat.size.to_be_bytes());
        record.extend_from_slice(&stat.allocation_size.to_be_bytes());
        record.extend_from_slice(&stat.attributes.to_be_bytes());
        record.extend_from_slice(&(name.len() as u32).to_be_bytes());
        debug_assert_eq!(record.len() as u32, NAME_OFFSET);
        record.extend(name.chars().map(|c| c as u8));
        if record.len() as u32 > length {
            m.write_all(info, &record[..length as usize])?;
            return Ok((NtStatus::BUFFER_OVERFLOW, length));
        }
        m.write_all(info, &record)?;
        Ok((NtStatus::SUCCESS, record.len() as u32))
    })
}

#[cfg(test)]
mod tests {
    use super::super::create::tests::{open, setup, IOSB};
    use super::super::create::{access, disposition, options};
    use super::*;
    use crate::threading::testing::call_from;

    const INFO: VirtAddr = VirtAddr(0x4000);
    const PATTERN: VirtAddr = VirtAddr(0x3000);

    fn query(
        k: &mut Kernel,
        t: u32,
        dir: u32,
        pattern: Option<&str>,
        restart: bool,
        len: u32,
    ) -> (NtStatus, String, u32) {
        if let Some(p) = pattern {
            Counted { length: p.len() as u16, maximum_length: p.len() as u16, buffer: PATTERN.0 + 0x10 }
                .write(&k.memory, PATTERN)
                .unwrap();
            k.memory.write_bytes(PATTERN.add(0x10), p.as_bytes()).unwrap();
        }
        let pat = pattern.map(|_| PATTERN);
        let s = nt_query_directory_file(k, dir, 0, 0, 0, Some(IOSB), INFO, len, pat, restart, call_from(t));
        if s != NtStatus::SUCCESS && s != NtStatus::BUFFER_OVERFLOW {
            return (s, String::new(), 0);
        }
        let n = k.memory.read_u32(INFO.add(0x3C)).unwrap();
        let shown = n.min(len - NAME_OFFSET);
        let name = String::from_utf8(k.memory.read_vec(INFO.add(NAME_OFFSET), shown).unwrap()).unwrap();
        (s, name, k.memory.read_u32(INFO.add(0x38)).unwrap())
    }

    fn open_dir(k: &mut Kernel, t: u32, name: &str) -> u32 {
        let (s, h, _) = open(k, t, name, access::READ_DATA, disposition::OPEN, options::DIRECTORY_FILE);
        assert_eq!(s, NtStatus::SUCCESS);
        h
    }

    #[test]
    fn entries_come_one_per_call_then_no_more_files() {
        let (mut k, t, _a, _b) = setup();
        let d = open_dir(&mut k, t, "game:\\data");
        let mut seen = Vec::new();
        let mut restart = true;
        loop {
            let (s, name, attrs) = query(&mut k, t, d, None, restart, 1024);
            restart = false;
            if s == NtStatus::NO_MORE_FILES {
                break;
            }
            assert_eq!(s, NtStatus::SUCCESS);
            assert_eq!(k.memory.read_u32(INFO).unwrap(), 0, "one entry per call");
            assert_eq!(k.memory.read_u32(IOSB.add(4)).unwrap(), NAME_OFFSET + name.len() as u32);
            seen.push((name, attrs & attributes::DIRECTORY != 0));
        }
        assert_eq!(seen, [("numbers.bin".into(), false), ("readme.txt".into(), false), ("sub".into(), true)]);
        assert_eq!(query(&mut k, t, d, None, true, 1024).1, "numbers.bin");
    }

    #[test]
    fn patterns_filter_and_an_empty_first_result_is_no_such_file() {
        let (mut k, t, _a, _b) = setup();
        let d = open_dir(&mut k, t, "game:\\data");
        assert_eq!(query(&mut k, t, d, Some("*.TXT"), true, 1024).1, "readme.txt");
        assert_eq!(query(&mut k, t, d, None, false, 1024).0, NtStatus::NO_MORE_FILES);
        assert_eq!(query(&mut k, t, d, Some("n?mbers.*"), true, 1024).1, "numbers.bin");
        assert_eq!(query(&mut k, t, d, Some("*.xyz"), true, 1024).0, NtStatus::NO_SUCH_FILE);
        assert_eq!(query(&mut k, t, d, Some("..\\*"), true, 1024).0, NtStatus::INVALID_PARAMETER);
        let root = open_dir(&mut k, t, "game:");
        assert_eq!(query(&mut k, t, root, Some("*.*"), true, 1024).1, "data");
    }

    #[test]
    fn short_buffers_overflow_or_mismatch() {
        let (mut k, t, _a, _b) = setup();
        let d = open_dir(&mut k, t, "game:\\data");
        assert_eq!(query(&mut k, t, d, None, true, 71).0, NtStatus::INFO_LENGTH_MISMATCH);
        let (s, name, _) = query(&mut k, t, d, None, true, 72);
        assert_eq!((s, name.as_str()), (NtStatus::BUFFER_OVERFLOW, "numbers."));
        assert_eq!(query(&mut k, t, d, None, false, 1024).1, "readme.txt");
    }

    #[test]
    fn a_file_handle_cannot_be_listed() {
        let (mut k, t, _a, _b) = setup();
        let (_, f, _) = open(&mut k, t, "game:\\default.xex", access::READ_DATA, disposition::OPEN, 0);
        assert_eq!(query(&mut k, t, f, None, true, 1024).0, NtStatus::INVALID_PARAMETER);
    }
}
