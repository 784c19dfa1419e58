//! Opening names: `NtCreateFile`, `NtOpenFile`, `NtQueryFullAttributesFile`,
//! `NtOpenSymbolicLinkObject`, `NtQuerySymbolicLinkObject`.
//!
//! Dispositions, options and the `IO_STATUS_BLOCK` information (the action
//! taken) are NT's. A write open of a read-only device is downgraded to a
//! read open, as xenia found titles need; creating or replacing there is
//! `ACCESS_DENIED`.

use super::info::write_network_open;
use super::{path, FileSystem, Location, OpenFile, Stat, DOS_DEVICES_ROOT};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use crate::mm::access::GuestAccess;
use crate::ob::{ObjectId, ObjectType};
use crate::rtl::strings::Counted;
use crate::status::NtStatus;
use shared::ipc::kernel::GuestThreadId;
use shared::memory::VirtAddr;

/// Access-mask bits.
pub mod access {
    pub const READ_DATA: u32 = 0x0001;
    pub const WRITE_DATA: u32 = 0x0002;
    pub const APPEND_DATA: u32 = 0x0004;
    pub const DELETE: u32 = 0x0001_0000;
    pub const SYNCHRONIZE: u32 = 0x0010_0000;
    pub const MAXIMUM_ALLOWED: u32 = 0x0200_0000;
    pub const GENERIC_ALL: u32 = 0x1000_0000;
    pub const GENERIC_WRITE: u32 = 0x4000_0000;
    pub const GENERIC_READ: u32 = 0x8000_0000;
    /// Any bit that asks to modify data.
    pub const ANY_WRITE: u32 = WRITE_DATA | APPEND_DATA | GENERIC_WRITE | GENERIC_ALL | MAXIMUM_ALLOWED;
}

/// `CreateDisposition` values.
pub mod disposition {
    pub const SUPERSEDE: u32 = 0;
    pub const OPEN: u32 = 1;
    pub const CREATE: u32 = 2;
    pub const OPEN_IF: u32 = 3;
    pub const OVERWRITE: u32 = 4;
    pub const OVERWRITE_IF: u32 = 5;
}

/// `CreateOptions` bits.
pub mod options {
    pub const DIRECTORY_FILE: u32 = 0x0001;
    pub const SYNCHRONOUS_IO_ALERT: u32 = 0x0010;
    pub const SYNCHRONOUS_IO_NONALERT: u32 = 0x0020;
    pub const NON_DIRECTORY_FILE: u32 = 0x0040;
    pub const DELETE_ON_CLOSE: u32 = 0x1000;
}

/// The action `IO_STATUS_BLOCK.Information` reports.
pub mod action {
    pub const SUPERSEDED: u32 = 0;
    pub const OPENED: u32 = 1;
    pub const CREATED: u32 = 2;
    pub const OVERWRITTEN: u32 = 3;
    pub const EXISTS: u32 = 4;
    pub const DOES_NOT_EXIST: u32 = 5;
}

/// Bytes of the guest body behind a file object's header.
const FILE_OBJECT_SIZE: u32 = 0x40;
/// `OBJECT_ATTRIBUTES.ObjectName`.
const ATTRIBUTES_NAME: u32 = 0x04;

/// Writes an `IO_STATUS_BLOCK`.
pub fn write_iosb(kernel: &Kernel, iosb: Option<VirtAddr>, status: NtStatus, information: u32) {
    if let Some(at) = iosb {
        let _ = kernel.memory.write_u32(at, status.0);
        let _ = kernel.memory.write_u32(at.add(4), information);
    }
}

/// The open file behind `handle` (a file object).
pub fn file_id(kernel: &Kernel, handle: u32, thread: GuestThreadId) -> Result<ObjectId, NtStatus> {
    let id = crate::ob::resolve_typed(kernel, handle, thread, ObjectType::File)?;
    if kernel.io.files.contains_key(&id) {
        Ok(id)
    } else {
        Err(NtStatus::INVALID_HANDLE)
    }
}

/// Resolves the name in `OBJECT_ATTRIBUTES` (relative to a directory handle
/// when its root names one).
pub fn resolve_attributes(
    kernel: &Kernel,
    attrs: VirtAddr,
    thread: GuestThreadId,
    pattern: bool,
) -> Result<Location, NtStatus> {
    let memory = &kernel.memory;
    let root = memory.r32(attrs)?;
    let name_ptr = memory.r32(attrs.add(ATTRIBUTES_NAME))?;
    let bytes = if name_ptr == 0 { Vec::new() } else { Counted::read(memory, VirtAddr(name_ptr))?.bytes(memory)? };
    path::validate(&bytes, pattern)?;
    let name: String = bytes.iter().map(|&b| b as char).collect();
    if root != 0 && root != DOS_DEVICES_ROOT {
        let id = file_id(kernel, root, thread)?;
        let dir = &kernel.io.files[&id];
        if !dir.is_dir {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        return kernel.io.resolve_relative(&dir.location, &name);
    }
    kernel.io.resolve(&name)
}

/// What an open request asks for.
#[derive(Clone, Copy, Debug)]
struct Request {
    access: u32,
    disposition: u32,
    options: u32,
}

impl FileSystem {
    /// Creates the file or directory at `location` on a writable device.
    fn create_entry(&self, location: &Location, directory: bool) -> Result<(), NtStatus> {
        let p = self.new_host_path(location)?;
        let result = if directory { std::fs::create_dir(&p) } else { std::fs::File::create(&p).map(|_| ()) };
        result.map_err(|_| NtStatus::ACCESS_DENIED)
    }

    /// Empties the file at `location` on a writable device.
    fn truncate(&self, location: &Location) -> Result<(), NtStatus> {
        let p = self.host_path(location).ok_or(NtStatus::ACCESS_DENIED)?;
        std::fs::OpenOptions::new().write(true).truncate(true).open(p).map(|_| ()).map_err(|_| NtStatus::ACCESS_DENIED)
    }
}

/// Carries out an open: the file state and the action taken, or the
/// failure and the action to report.
fn open_location(fs: &FileSystem, location: Location, req: Request) -> Result<(OpenFile, u32), (NtStatus, u32)> {
    use disposition::*;
    let fail = |s: NtStatus| (s, action::DOES_NOT_EXIST);
    let existing: Option<Stat> = match fs.stat(&location) {
        Ok(s) => Some(s),
        Err(NtStatus::OBJECT_NAME_NOT_FOUND) => None,
        Err(e) => return Err(fail(e)),
    };
    if let Some(s) = existing {
        if s.is_dir && req.options & options::NON_DIRECTORY_FILE != 0 {
            return Err(fail(NtStatus::FILE_IS_A_DIRECTORY));
        }
        if !s.is_dir && req.options & options::DIRECTORY_FILE != 0 {
            return Err(fail(NtStatus::NOT_A_DIRECTORY));
        }
    }
    let read_only = fs.device(&location).read_only();
    let want_dir = req.options & options::DIRECTORY_FILE != 0;
    let action = match (req.disposition, existing) {
        (OPEN | OVERWRITE, None) => return Err(fail(fs.missing(&location))),
        (CREATE, Some(_)) => return Err((NtStatus::OBJECT_NAME_COLLISION, action::EXISTS)),
        (OPEN | OPEN_IF, Some(_)) => action::OPENED,
        (SUPERSEDE | CREATE | OPEN_IF | OVERWRITE_IF, None) => {
            if read_only {
                return Err(fail(NtStatus::ACCESS_DENIED));
            }
            fs.create_entry(&location, want_dir).map_err(fail)?;
            action::CREATED
        }
        (SUPERSEDE | OVERWRITE | OVERWRITE_IF, Some(s)) => {
            if read_only {
                return Err((NtStatus::ACCESS_DENIED, action::EXISTS));
            }
            if !s.is_dir {
                fs.truncate(&location).map_err(fail)?;
            }
            if req.disposition == SUPERSEDE {
                action::SUPERSEDED
            } else {
                action::OVERWRITTEN
            }
        }
        _ => return Err(fail(NtStatus::INVALID_PARAMETER)),
    };
    let is_dir = existing.map_or(want_dir, |s| s.is_dir);
    let can_write = !read_only && req.access & access::ANY_WRITE != 0;
    let host = match (is_dir, fs.host_path(&location)) {
        (false, Some(p)) => Some(
            std::fs::OpenOptions::new()
                .read(true)
                .write(can_write)
                .open(p)
                .map_err(|_| fail(NtStatus::ACCESS_DENIED))?,
        ),
        _ => None,
    };
    let synchronous = req.options & (options::SYNCHRONOUS_IO_ALERT | options::SYNCHRONOUS_IO_NONALERT) != 0;
    let file = OpenFile {
        location,
        is_dir,
        position: 0,
        can_write,
        synchronous,
        mode: req.options & (options::SYNCHRONOUS_IO_ALERT | options::SYNCHRONOUS_IO_NONALERT),
        delete_on_close: !read_only && req.options & options::DELETE_ON_CLOSE != 0,
        host,
        scan: None,
    };
    Ok((file, action))
}

/// Gives an open file an object and a handle.
fn publish(kernel: &mut Kernel, file: OpenFile) -> Result<u32, NtStatus> {
    let memory = kernel.memory.clone();
    let id = kernel.objects.create(&memory, ObjectType::File, FILE_OBJECT_SIZE)?;
    kernel.io.files.insert(id, file);
    kernel.objects.add_handle(&memory, id).inspect_err(|_| {
        kernel.io.files.remove(&id);
    })
}

fn create(
    kernel: &mut Kernel,
    handle_out: VirtAddr,
    attrs: Option<VirtAddr>,
    iosb: Option<VirtAddr>,
    req: Request,
    thread: GuestThreadId,
) -> NtStatus {
    let Some(attrs) = attrs else { return NtStatus::INVALID_PARAMETER };
    let opened = resolve_attributes(kernel, attrs, thread, false)
        .map_err(|e| (e, action::DOES_NOT_EXIST))
        .and_then(|location| open_location(&kernel.io, location, req));
    let (status, info) = match opened {
        Ok((file, action)) => match publish(kernel, file) {
            Ok(handle) => match kernel.memory.w32(handle_out, handle) {
                Ok(()) => (NtStatus::SUCCESS, action),
                Err(e) => {
                    kernel.objects.close(&kernel.memory, handle);
                    (e, action::DOES_NOT_EXIST)
                }
            },
            Err(e) => (e, action::DOES_NOT_EXIST),
        },
        Err((status, action)) => (status, action),
    };
    write_iosb(kernel, iosb, status, info);
    status
}

/// `NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
/// POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock,
/// PLARGE_INTEGER AllocationSize, ULONG FileAttributes, ULONG ShareAccess,
/// ULONG CreateDisposition, ULONG CreateOptions)`.
#[allow(clippy::too_many_arguments)]
pub fn nt_create_file(
    kernel: &mut Kernel,
    handle_out: VirtAddr,
    desired_access: u32,
    attrs: Option<VirtAddr>,
    iosb: Option<VirtAddr>,
    _allocation_size: Option<VirtAddr>,
    _file_attributes: u32,
    _share_access: u32,
    disposition: u32,
    options: u32,
    call: Call,
) -> NtStatus {
    create(kernel, handle_out, attrs, iosb, Request { access: desired_access, disposition, options }, call.thread)
}

/// `NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
/// POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock,
/// ULONG ShareAccess, ULONG OpenOptions)`.
pub fn nt_open_file(
    kernel: &mut Kernel,
    handle_out: VirtAddr,
    desired_access: u32,
    attrs: Option<VirtAddr>,
    iosb: Option<VirtAddr>,
    _share_access: u32,
    open_options: u32,
    call: Call,
) -> NtStatus {
    let req = Request { access: desired_access, disposition: disposition::OPEN, options: open_options };
    create(kernel, handle_out, attrs, iosb, req, call.thread)
}

/// `NtQueryFullAttributesFile(POBJECT_ATTRIBUTES ObjectAttributes,
/// PFILE_NETWORK_OPEN_INFORMATION FileInformation)`.
pub fn nt_query_full_attributes_file(
    kernel: &mut Kernel,
    attrs: Option<VirtAddr>,
    info: VirtAddr,
    call: Call,
) -> NtStatus {
    let Some(attrs) = attrs else { return NtStatus::INVALID_PARAMETER };
    let result = resolve_attributes(kernel, attrs, call.thread, false)
        .and_then(|l| kernel.io.stat(&l))
        .and_then(|s| write_network_open(&kernel.memory, info, &s));
    result.err().unwrap_or(NtStatus::SUCCESS)
}

/// `NtOpenSymbolicLinkObject(PHANDLE LinkHandle, POBJECT_ATTRIBUTES ObjectAttributes)`:
/// `\??\game:` and friends.
pub fn nt_open_symbolic_link_object(kernel: &mut Kernel, handle_out: VirtAddr, attrs: Option<VirtAddr>) -> NtStatus {
    let Some(attrs) = attrs else { return NtStatus::INVALID_PARAMETER };
    let result = (|| {
        let name_ptr = kernel.memory.r32(attrs.add(ATTRIBUTES_NAME))?;
        let bytes = Counted::read(&kernel.memory, VirtAddr(name_ptr))?.bytes(&kernel.memory)?;
        path::validate(&bytes, false)?;
        let name: String = bytes.iter().map(|&b| b as char).collect();
        let name = path::strip_prefix_ignore_case(&name, "\\??\\").unwrap_or(&name);
        let target = kernel.io.link_target(name).ok_or(NtStatus::OBJECT_NAME_NOT_FOUND)?.to_owned();
        let memory = kernel.memory.clone();
        let id = kernel.objects.create(&memory, ObjectType::SymbolicLink, 0x10)?;
        kernel.io.link_objects.insert(id, target);
        let handle = kernel.objects.add_handle(&memory, id)?;
        memory.w32(handle_out, handle)
    })();
    result.err().unwrap_or(NtStatus::SUCCESS)
}

/// `NtQuerySymbolicLinkObject(HANDLE LinkHandle, PANSI_STRING LinkTarget,
/// PULONG ReturnedLength)`: as much of the target as fits.
pub fn nt_query_symbolic_link_object(
    kernel: &mut Kernel,
    handle: u32,
    target: VirtAddr,
    returned_length: Option<VirtAddr>,
    call: Call,
) -> NtStatus {
    let result = (|| {
        let id = crate::ob::resolve_typed(kernel, handle, call.thread, ObjectType::SymbolicLink)?;
        let text = kernel.io.link_objects.get(&id).ok_or(NtStatus::INVALID_HANDLE)?.clone();
        let mut s = Counted::read(&kernel.memory, target)?;
        let fits = text.len().min(s.maximum_length as usize);
        kernel.memory.write_all(VirtAddr(s.buffer), &text.as_bytes()[..fits])?;
        s.length = fits as u16;
        s.write(&kernel.memory, target)?;
        if let Some(out) = returned_length {
            kernel.memory.w32(out, text.len() as u32)?;
        }
        if fits < text.len() {
            Err(NtStatus::BUFFER_TOO_SMALL)
        } else {
            Ok(())
        }
    })();
    result.err().unwrap_or(NtStatus::SUCCESS)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::threading::testing::{call_from, kernel_with_thread};

    pub const HANDLE: VirtAddr = VirtAddr(0x1000);
    pub const IOSB: VirtAddr = VirtAddr(0x1010);
    pub const ATTRS: VirtAddr = VirtAddr(0x1100);

    /// A kernel with a thread, the test title and cache mounted.
    pub fn setup() -> (Kernel, GuestThreadId, TempDir, TempDir) {
        let (mut k, t) = kernel_with_thread();
        let (title, cache, fs) = title_and_cache();
        k.io = fs;
        (k, t, title, cache)
    }

    /// Points `ATTRS` at `name` (raw bytes), with `root`.
    pub fn name(k: &Kernel, root: u32, name: &[u8]) {
        k.memory.write_u32(ATTRS, root).unwrap();
        k.memory.write_u32(ATTRS.add(4), ATTRS.0 + 0x10).unwrap();
        k.memory.write_u32(ATTRS.add(8), 0x40).unwrap();
        Counted { length: name.len() as u16, maximum_length: name.len() as u16, buffer: ATTRS.0 + 0x20 }
            .write(&k.memory, ATTRS.add(0x10))
            .unwrap();
        k.memory.write_bytes(ATTRS.add(0x20), name).unwrap();
    }

    /// Opens `path` with `access`, `disposition` and `options`: (status, handle, IOSB information).
    pub fn open(
        k: &mut Kernel,
        t: GuestThreadId,
        path: &str,
        access: u32,
        disposition: u32,
        options: u32,
    ) -> (NtStatus, u32, u32) {
        name(k, 0, path.as_bytes());
        k.memory.write_u32(HANDLE, 0).unwrap();
        let s =
            nt_create_file(k, HANDLE, access, Some(ATTRS), Some(IOSB), None, 0, 0, disposition, options, call_from(t));
        (s, k.memory.read_u32(HANDLE).unwrap(), k.memory.read_u32(IOSB.add(4)).unwrap())
    }

    pub fn open_read(k: &mut Kernel, t: GuestThreadId, path: &str) -> (NtStatus, u32, u32) {
        open(
            k,
            t,
            path,
            access::GENERIC_READ | access::SYNCHRONIZE,
            disposition::OPEN,
            options::SYNCHRONOUS_IO_NONALERT,
        )
    }

    #[test]
    fn opening_existing_files_and_directories() {
        let (mut k, t, _a, _b) = setup();
        let (s, h, info) = open_read(&mut k, t, "game:\\default.xex");
        assert_eq!((s, info), (NtStatus::SUCCESS, action::OPENED));
        assert_eq!(k.memory.read_u32(IOSB).unwrap(), 0);
        assert!(h != 0);
        let id = file_id(&k, h, t).unwrap();
        assert!(!k.io.files[&id].is_dir && !k.io.files[&id].can_write);
        assert_eq!(crate::ob::nt_close(&mut k, h), NtStatus::SUCCESS);
        let (s, _, _) = open_read(&mut k, t, "GAME:\\DATA\\README.TXT");
        assert_eq!(s, NtStatus::SUCCESS);
        let dir = open(&mut k, t, "d:\\data", access::READ_DATA, disposition::OPEN, options::DIRECTORY_FILE);
        assert_eq!(dir.0, NtStatus::SUCCESS);
        let (s, _, _) =
            open(&mut k, t, "game:\\data", access::READ_DATA, disposition::OPEN, options::NON_DIRECTORY_FILE);
        assert_eq!(s, NtStatus::FILE_IS_A_DIRECTORY);
        let (s, _, _) =
            open(&mut k, t, "game:\\default.xex", access::READ_DATA, disposition::OPEN, options::DIRECTORY_FILE);
        assert_eq!(s, NtStatus::NOT_A_DIRECTORY);
    }

    #[test]
    fn missing_names_and_escapes_fail_with_nt_statuses() {
        let (mut k, t, _a, _b) = setup();
        let (s, _, info) = open_read(&mut k, t, "game:\\data\\missing.bin");
        assert_eq!((s, info), (NtStatus::OBJECT_NAME_NOT_FOUND, action::DOES_NOT_EXIST));
        assert_eq!(k.memory.read_u32(IOSB).unwrap(), NtStatus::OBJECT_NAME_NOT_FOUND.0);
        assert_eq!(open_read(&mut k, t, "game:\\nodir\\x").0, NtStatus::OBJECT_PATH_NOT_FOUND);
        assert_eq!(open_read(&mut k, t, "game:\\..\\..\\etc\\passwd").0, NtStatus::OBJECT_NAME_INVALID);
        assert_eq!(open_read(&mut k, t, "/etc/passwd").0, NtStatus::OBJECT_PATH_NOT_FOUND);
        assert_eq!(open_read(&mut k, t, "default.xex").0, NtStatus::OBJECT_PATH_NOT_FOUND);
        assert_eq!(open_read(&mut k, t, &format!("game:\\{}", "a".repeat(300))).0, NtStatus::OBJECT_NAME_INVALID);
        name(&k, 0, b"game:\\default.xex\0.txt");
        let s = nt_open_file(&mut k, HANDLE, access::GENERIC_READ, Some(ATTRS), Some(IOSB), 1, 0, call_from(t));
        assert_eq!(s, NtStatus::OBJECT_NAME_INVALID);
        assert_eq!(nt_open_file(&mut k, HANDLE, 0, None, Some(IOSB), 1, 0, call_from(t)), NtStatus::INVALID_PARAMETER);
    }

    #[test]
    fn names_relative_to_a_directory_handle_and_dos_devices() {
        let (mut k, t, _a, _b) = setup();
        let (_, dir, _) = open(&mut k, t, "game:\\data", access::READ_DATA, disposition::OPEN, options::DIRECTORY_FILE);
        name(&k, dir, b"sub\\deep.txt");
        let s = nt_open_file(&mut k, HANDLE, access::GENERIC_READ, Some(ATTRS), Some(IOSB), 1, 0, call_from(t));
        assert_eq!(s, NtStatus::SUCCESS);
        name(&k, dir, b"..\\..\\x");
        let s = nt_open_file(&mut k, HANDLE, access::GENERIC_READ, Some(ATTRS), Some(IOSB), 1, 0, call_from(t));
        assert_eq!(s, NtStatus::OBJECT_NAME_INVALID);
        name(&k, DOS_DEVICES_ROOT, b"game:\\default.xex");
        let s = nt_open_file(&mut k, HANDLE, access::GENERIC_READ, Some(ATTRS), Some(IOSB), 1, 0, call_from(t));
        assert_eq!(s, NtStatus::SUCCESS);
    }

    #[test]
    fn the_disc_is_read_only_but_write_opens_are_downgraded() {
        let (mut k, t, title, _b) = setup();
        let rw = access::GENERIC_READ | access::GENERIC_WRITE;
        let (s, h, _) = open(&mut k, t, "game:\\data\\numbers.bin", rw, disposition::OPEN, 0);
        assert_eq!(s, NtStatus::SUCCESS);
        assert!(!k.io.files[&file_id(&k, h, t).unwrap()].can_write);
        assert_eq!(open(&mut k, t, "game:\\new.bin", rw, disposition::CREATE, 0).0, NtStatus::ACCESS_DENIED);
        assert_eq!(open(&mut k, t, "game:\\default.xex", rw, disposition::OVERWRITE_IF, 0).0, NtStatus::ACCESS_DENIED);
        assert!(!title.0.join("new.bin").exists());
        assert_eq!(std::fs::read(title.0.join("default.xex")).unwrap(), b"XEX2....");
    }

    #[test]
    fn the_cache_creates_collides_and_overwrites() {
        let (mut k, t, _a, cache) = setup();
        let rw = access::GENERIC_READ | access::GENERIC_WRITE;
        let (s, _, info) = open(&mut k, t, "cache:\\save.dat", rw, disposition::CREATE, 0);
        assert_eq!((s, info), (NtStatus::SUCCESS, action::CREATED));
        assert!(cache.0.join("save.dat").is_file());
        let (s, _, info) = open(&mut k, t, "cache:\\SAVE.DAT", rw, disposition::CREATE, 0);
        assert_eq!((s, info), (NtStatus::OBJECT_NAME_COLLISION, action::EXISTS));
        std::fs::write(cache.0.join("save.dat"), b"old").unwrap();
        let (s, _, info) = open(&mut k, t, "cache:\\save.dat", rw, disposition::OVERWRITE_IF, 0);
        assert_eq!((s, info), (NtStatus::SUCCESS, action::OVERWRITTEN));
        assert_eq!(std::fs::read(cache.0.join("save.dat")).unwrap(), b"");
        let (s, _, info) = open(&mut k, t, "cache:\\dir", rw, disposition::OPEN_IF, options::DIRECTORY_FILE);
        assert_eq!((s, info), (NtStatus::SUCCESS, action::CREATED));
        assert!(cache.0.join("dir").is_dir());
        assert_eq!(open(&mut k, t, "cache:\\nodir\\x", rw, disposition::CREATE, 0).0, NtStatus::OBJECT_PATH_NOT_FOUND);
        assert_eq!(open(&mut k, t, "cache:\\..\\escape", rw, disposition::CREATE, 0).0, NtStatus::OBJECT_NAME_INVALID);
        assert!(!cache.0.parent().unwrap().join("escape").exists());
    }

    #[test]
    fn delete_on_close_removes_the_file_when_the_object_goes() {
        let (mut k, t, _a, cache) = setup();
        let rw = access::GENERIC_READ | access::GENERIC_WRITE | access::DELETE;
        let (_, h, _) = open(&mut k, t, "cache:\\temp", rw, disposition::CREATE, options::DELETE_ON_CLOSE);
        let id = file_id(&k, h, t).unwrap();
        assert!(cache.0.join("temp").exists());
        crate::ob::nt_close(&mut k, h);
        k.io.forget(id);
        assert!(!cache.0.join("temp").exists());
    }

    #[test]
    fn full_attributes_come_without_opening() {
        let (mut k, t, _a, _b) = setup();
        let info = VirtAddr(0x2000);
        name(&k, 0, b"game:\\data\\numbers.bin");
        assert_eq!(nt_query_full_attributes_file(&mut k, Some(ATTRS), info, call_from(t)), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u64(info.add(0x28)).unwrap(), 256);
        assert_eq!(k.memory.read_u32(info.add(0x30)).unwrap(), super::super::attributes::READONLY);
        name(&k, 0, b"game:\\data");
        nt_query_full_attributes_file(&mut k, Some(ATTRS), info, call_from(t));
        assert_eq!(k.memory.read_u32(info.add(0x30)).unwrap(), super::super::attributes::DIRECTORY);
        name(&k, 0, b"game:\\nothing");
        assert_eq!(
            nt_query_full_attributes_file(&mut k, Some(ATTRS), info, call_from(t)),
            NtStatus::OBJECT_NAME_NOT_FOUND
        );
    }

    #[test]
    fn symbolic_links_open_and_report_their_target() {
        let (mut k, t, _a, _b) = setup();
        name(&k, 0, b"\\??\\game:");
        assert_eq!(nt_open_symbolic_link_object(&mut k, HANDLE, Some(ATTRS)), NtStatus::SUCCESS);
        let h = k.memory.read_u32(HANDLE).unwrap();
        let target = VirtAddr(0x3000);
        Counted { length: 0, maximum_length: 64, buffer: 0x3100 }.write(&k.memory, target).unwrap();
        assert_eq!(nt_query_symbolic_link_object(&mut k, h, target, None, call_from(t)), NtStatus::SUCCESS);
        assert_eq!(crate::rtl::strings::read_ansi_string(&k.memory, target).unwrap(), "\\Device\\Cdrom0");
        Counted { length: 0, maximum_length: 4, buffer: 0x3100 }.write(&k.memory, target).unwrap();
        assert_eq!(nt_query_symbolic_link_object(&mut k, h, target, None, call_from(t)), NtStatus::BUFFER_TOO_SMALL);
        name(&k, 0, b"\\??\\nothing:");
        assert_eq!(nt_open_symbolic_link_object(&mut k, HANDLE, Some(ATTRS)), NtStatus::OBJECT_NAME_NOT_FOUND);
    }
}
