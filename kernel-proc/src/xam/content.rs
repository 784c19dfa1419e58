//! Content packages (saves, downloadable content) and storage devices.
//!
//! The hard drive (device 1) and the disc drive (device 2) exist (xenia
//! `xam_content_device.cc`). A package is identified by its device, its
//! content type, the title that owns it and a file name (`XCONTENT_DATA`);
//! on the host it is a folder under the session's cache folder:
//! `CACHE_DIR/content/OWNER/TITLEID/TYPE/FILENAME`, the owner being the
//! signed-in profile's XUID for saved games and 0 for content shared by
//! every profile (the console's `Content\XUID\TITLEID\TYPE` layout). Its
//! display name and thumbnail are kept beside it, in
//! `CACHE_DIR/content-meta/…/FILENAME.name` and `.png`, where the title's
//! own files cannot clash with them.
//!
//! `XamContentCreate*` mounts an open package under a root name the title
//! picks (`save` becomes `save:`), as a writable device
//! `\Device\Package\N` of the file system ([`crate::io`]), the way the
//! `cache:` device is mounted; `XamContentClose` removes the name (the
//! device stays, unreachable, so files still open on it keep working).
//! Dispositions, results and the `XOVERLAPPED` completion (the disposition
//! is the length) follow xenia `xam_content.cc`.

use super::{enumerator, error, overlapped, read_ansi, read_utf16, user, write_utf16};
use crate::dispatch::Call;
use crate::io;
use crate::kernel::Kernel;
use shared::formats::disc::FolderVolume;
use shared::memory::VirtAddr;
use std::path::PathBuf;

/// `XCONTENT_DATA`: device id, content type, a 128-unit display name, a
/// 42-byte file name, 2 bytes of padding.
pub mod content_data {
    pub const DEVICE_ID: u32 = 0x00;
    pub const CONTENT_TYPE: u32 = 0x04;
    pub const DISPLAY_NAME: u32 = 0x08;
    pub const FILE_NAME: u32 = 0x108;
    pub const FILE_NAME_SIZE: u32 = 42;
    pub const SIZE: u32 = 0x134;
    /// `XCONTENT_AGGREGATE_DATA` adds an XUID and the owning title's id.
    pub const AGGREGATE_TITLE_ID: u32 = 0x140;
    pub const AGGREGATE_SIZE: u32 = 0x148;
    const _: () = assert!(DISPLAY_NAME + 2 * 128 == FILE_NAME);
    const _: () = assert!(FILE_NAME + FILE_NAME_SIZE + 2 == SIZE);
}
/// Size of `XCONTENT_DATA`.
pub const CONTENT_DATA_SIZE: u32 = content_data::SIZE;
/// Size of `XCONTENT_DEVICE_DATA`.
pub const DEVICE_DATA_SIZE: u32 = 0x50;

/// The hard drive's device id.
pub const HARD_DRIVE: u32 = 1;
/// `XCONTENTTYPE_SAVEDGAME`.
pub const SAVED_GAME: u32 = 1;
/// The device that shows every package folder (what `XamContentResolve` names).
pub const CONTENT_DEVICE: &str = "\\Device\\Content";

/// `XCONTENT_CREATED` / `XCONTENT_OPENED`: what a create did.
pub const CREATED: u32 = 1;
pub const OPENED: u32 = 2;

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

/// Which package: device, type, owning title, file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageKey {
    pub device_id: u32,
    pub content_type: u32,
    pub title_id: u32,
    pub file_name: String,
}

/// An open package.
#[derive(Debug)]
struct OpenPackage {
    /// The root name without its colon, as the title gave it.
    root: String,
    key: PackageKey,
    /// The device it is mounted as.
    mount: String,
}

/// The open packages.
#[derive(Debug, Default)]
pub struct Packages {
    open: Vec<OpenPackage>,
    next_device: u32,
    warned_no_storage: bool,
}

/// The data an `XCONTENT_DATA` (or aggregate) names.
fn read_content_data(kernel: &Kernel, at: VirtAddr, aggregate: bool) -> Option<(PackageKey, String)> {
    use content_data::*;
    let m = &kernel.memory;
    let mut raw = [0u8; FILE_NAME_SIZE as usize];
    m.read_bytes(at.add(FILE_NAME), &mut raw).ok()?;
    let len = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    let file_name = std::str::from_utf8(&raw[..len]).ok()?.to_owned();
    let valid = !file_name.is_empty()
        && file_name != "."
        && file_name != ".."
        && !file_name.contains(['\\', '/', '*', '?'])
        && io::path::validate(file_name.as_bytes(), false).is_ok();
    if !valid {
        return None;
    }
    let title_id = match aggregate.then(|| m.read_u32(at.add(AGGREGATE_TITLE_ID)).unwrap_or(0)) {
        Some(id) if id != 0 && id != u32::MAX => id,
        _ => super::system::current_title_id(kernel),
    };
    let key = PackageKey {
        device_id: m.read_u32(at.add(DEVICE_ID)).ok()?,
        content_type: m.read_u32(at.add(CONTENT_TYPE)).ok()?,
        title_id,
        file_name,
    };
    let display = read_utf16(m, at.add(DISPLAY_NAME), 128).unwrap_or_default();
    Some((key, display))
}

/// The owner folder of a content type: the profile for saves, else shared.
fn owner(kernel: &Kernel, content_type: u32) -> String {
    let xuid = if content_type == SAVED_GAME { kernel.xam.profile.xuid } else { 0 };
    format!("{xuid:016X}")
}

/// `OWNER/TITLEID/TYPE` of a package, below `content` or `content-meta`.
fn type_folder(kernel: &Kernel, tree: &str, title_id: u32, content_type: u32) -> Option<PathBuf> {
    let base = kernel.config.cache_dir.as_ref()?;
    Some(
        base.join(tree)
            .join(owner(kernel, content_type))
            .join(format!("{title_id:08X}"))
            .join(format!("{content_type:08X}")),
    )
}

fn package_dir(kernel: &Kernel, key: &PackageKey) -> Option<PathBuf> {
    Some(type_folder(kernel, "content", key.title_id, key.content_type)?.join(&key.file_name))
}

fn meta_file(kernel: &Kernel, key: &PackageKey, ext: &str) -> Option<PathBuf> {
    Some(type_folder(kernel, "content-meta", key.title_id, key.content_type)?.join(format!("{}.{ext}", key.file_name)))
}

fn exists(kernel: &Kernel, key: &PackageKey) -> bool {
    package_dir(kernel, key).is_some_and(|d| d.is_dir())
}

fn is_open(kernel: &Kernel, key: &PackageKey) -> bool {
    kernel.xam.content.open.iter().any(|p| p.key == *key)
}

/// Finishes a call through the overlapped (when given) with `length`.
fn finish(kernel: &mut Kernel, ov: Option<VirtAddr>, call: Call, result: u32, length: u32) -> u32 {
    match ov {
        Some(ov) => {
            overlapped::complete(kernel, call.thread, ov, result, error::hresult(result), length);
            error::IO_PENDING
        }
        None => result,
    }
}

/// Finishes a call through the overlapped the way xenia's immediate completion does.
fn finish_immediate(kernel: &mut Kernel, ov: Option<VirtAddr>, call: Call, result: u32) -> u32 {
    match ov {
        Some(ov) => {
            overlapped::complete_immediate(kernel, call.thread, ov, result);
            error::IO_PENDING
        }
        None => result,
    }
}

/// A root name as titles pass it (`save`, or `save:`), checked.
fn root_name(kernel: &Kernel, at: Option<VirtAddr>) -> Option<String> {
    let name = read_ansi(&kernel.memory, at?, 64)?;
    let name = name.strip_suffix(':').unwrap_or(&name).to_owned();
    let ok = !name.is_empty() && name.len() <= 16 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    ok.then_some(name)
}

/// Mounts the host folder `dir` as root `root`.
fn mount(kernel: &mut Kernel, root: &str, key: PackageKey, dir: &std::path::Path) -> Result<(), u32> {
    let folder = FolderVolume::open(dir).map_err(|_| error::ACCESS_DENIED)?;
    let packages = &mut kernel.xam.content;
    packages.next_device += 1;
    let mount = format!("\\Device\\Package\\{}", packages.next_device);
    kernel.io.devices.push(io::Device {
        mount: mount.clone(),
        fs_name: "STFS",
        volume: Box::new(folder.clone()),
        host: Some(folder),
        cluster: 0x1000,
    });
    kernel.io.add_link(&format!("{root}:"), &mount);
    kernel.xam.content.open.push(OpenPackage { root: root.to_owned(), key, mount });
    Ok(())
}

/// Unmounts the package open as `root`: its name goes; its device stays
/// under a name no guest path can spell (`|` is not allowed in names).
fn unmount(kernel: &mut Kernel, root: &str) -> bool {
    let packages = &mut kernel.xam.content.open;
    let Some(i) = packages.iter().position(|p| p.root.eq_ignore_ascii_case(root)) else { return false };
    let package = packages.remove(i);
    let link = format!("{}:", package.root);
    kernel.io.links.retain(|(n, _)| !n.eq_ignore_ascii_case(&link));
    if let Some(d) = kernel.io.devices.iter_mut().find(|d| d.mount == package.mount) {
        d.mount = format!("{}|closed", package.mount);
    }
    true
}

/// The work of `XamContentCreate*`: (Win32 result, disposition).
fn create(
    kernel: &mut Kernel,
    user_index: u32,
    root: Option<VirtAddr>,
    data: Option<VirtAddr>,
    aggregate: bool,
    flags: u32,
) -> (u32, u32) {
    let Some(root) = root_name(kernel, root) else { return (error::INVALID_PARAMETER, 0) };
    let Some((key, display)) = data.and_then(|d| read_content_data(kernel, d, aggregate)) else {
        return (error::INVALID_PARAMETER, 0);
    };
    if key.content_type == SAVED_GAME && user_index < user::MAX_USERS && !user::is_signed_in(user_index) {
        return (error::NO_SUCH_USER, 0);
    }
    match key.device_id {
        HARD_DRIVE => {}
        id if device(id).is_some() => return (error::ACCESS_DENIED, 0),
        _ => return (error::DEVICE_NOT_CONNECTED, 0),
    }
    let Some(dir) = package_dir(kernel, &key) else {
        if !std::mem::replace(&mut kernel.xam.content.warned_no_storage, true) {
            tracing::warn!("XamContentCreate: the session has no cache folder to keep content in");
        }
        return (error::ACCESS_DENIED, 0);
    };
    if kernel.xam.content.open.iter().any(|p| p.root.eq_ignore_ascii_case(&root)) {
        return (error::ALREADY_EXISTS, 0);
    }
    let present = dir.is_dir();
    let (wipe, disposition) = match (flags & 0xF, present) {
        (1, true) => return (error::ALREADY_EXISTS, 0), // CREATE_NEW
        (1, false) | (2, false) | (4, false) => (false, CREATED),
        (2, true) | (5, true) => (true, CREATED), // CREATE_ALWAYS, TRUNCATE_EXISTING
        (3, true) | (4, true) => (false, OPENED), // OPEN_EXISTING, OPEN_ALWAYS
        (3, false) | (5, false) => return (error::PATH_NOT_FOUND, 0),
        _ => return (error::INVALID_PARAMETER, 0),
    };
    if wipe {
        if is_open(kernel, &key) {
            return (error::ACCESS_DENIED, 0);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    if disposition == CREATED {
        if std::fs::create_dir_all(&dir).is_err() {
            return (error::ACCESS_DENIED, 0);
        }
        if let Some(name) = meta_file(kernel, &key, "name") {
            let _ = name.parent().map(std::fs::create_dir_all);
            let _ = std::fs::write(name, display.as_bytes());
        }
    }
    match mount(kernel, &root, key, &dir) {
        Ok(()) => (error::SUCCESS, disposition),
        Err(e) => (e, 0),
    }
}

#[allow(clippy::too_many_arguments)]
fn create_call(
    kernel: &mut Kernel,
    user_index: u32,
    root: Option<VirtAddr>,
    data: Option<VirtAddr>,
    aggregate: bool,
    flags: u32,
    disposition_out: Option<VirtAddr>,
    license_out: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let (result, disposition) = create(kernel, user_index, root, data, aggregate, flags);
    super::write_optional_u32(&kernel.memory, disposition_out, disposition);
    if result == error::SUCCESS {
        // No licenses: content made on this console carries none.
        super::write_optional_u32(&kernel.memory, license_out, 0);
    }
    finish(kernel, ov, call, result, disposition)
}

/// `XamContentCreate(UserIndex, RootName, PXCONTENT_DATA, Flags,
/// PDWORD Disposition, PDWORD LicenseMask, Overlapped)`.
#[allow(clippy::too_many_arguments)]
pub fn xam_content_create(
    kernel: &mut Kernel,
    user_index: u32,
    root: Option<VirtAddr>,
    data: Option<VirtAddr>,
    flags: u32,
    disposition: Option<VirtAddr>,
    license: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    create_call(kernel, user_index, root, data, false, flags, disposition, license, ov, call)
}

/// `XamContentCreateEx(UserIndex, RootName, PXCONTENT_DATA, Flags,
/// PDWORD Disposition, PDWORD LicenseMask, CacheSize, ContentSize (64-bit),
/// Overlapped)`: the sizes only reserve space, which the host folder needs not.
#[allow(clippy::too_many_arguments)]
pub fn xam_content_create_ex(
    kernel: &mut Kernel,
    user_index: u32,
    root: Option<VirtAddr>,
    data: Option<VirtAddr>,
    flags: u32,
    disposition: Option<VirtAddr>,
    license: Option<VirtAddr>,
    _cache_size: u32,
    _content_size: u64,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    create_call(kernel, user_index, root, data, false, flags, disposition, license, ov, call)
}

/// `XamContentCreateInternal(RootName, PXCONTENT_AGGREGATE_DATA, Flags,
/// PDWORD Disposition, PDWORD LicenseMask, CacheSize, ContentSize,
/// Overlapped)`: for any user (0xFE), naming the owning title.
#[allow(clippy::too_many_arguments)]
pub fn xam_content_create_internal(
    kernel: &mut Kernel,
    root: Option<VirtAddr>,
    data: Option<VirtAddr>,
    flags: u32,
    disposition: Option<VirtAddr>,
    license: Option<VirtAddr>,
    _cache_size: u32,
    _content_size: u64,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    create_call(kernel, 0xFE, root, data, true, flags, disposition, license, ov, call)
}

/// `XamContentClose(RootName, Overlapped)`.
pub fn xam_content_close(kernel: &mut Kernel, root: Option<VirtAddr>, ov: Option<VirtAddr>, call: Call) -> u32 {
    let result = match root_name(kernel, root) {
        Some(root) if unmount(kernel, &root) => error::SUCCESS,
        Some(_) => error::FILE_NOT_FOUND,
        None => error::INVALID_PARAMETER,
    };
    finish_immediate(kernel, ov, call, result)
}

/// `XamContentFlush(RootName, Overlapped)`: writes reach the host folder as
/// they are made, so an open root has nothing left to flush.
pub fn xam_content_flush(kernel: &mut Kernel, root: Option<VirtAddr>, ov: Option<VirtAddr>, call: Call) -> u32 {
    let result = match root_name(kernel, root) {
        Some(root) if kernel.xam.content.open.iter().any(|p| p.root.eq_ignore_ascii_case(&root)) => error::SUCCESS,
        Some(_) => error::FILE_NOT_FOUND,
        None => error::INVALID_PARAMETER,
    };
    finish_immediate(kernel, ov, call, result)
}

/// `XamContentDelete(UserIndex, PXCONTENT_DATA, Overlapped)`: an open
/// package cannot be deleted.
pub fn xam_content_delete(
    kernel: &mut Kernel,
    _user_index: u32,
    data: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let result = match data.and_then(|d| read_content_data(kernel, d, false)) {
        None => error::INVALID_PARAMETER,
        Some((key, _)) if is_open(kernel, &key) => error::ACCESS_DENIED,
        Some((key, _)) => match package_dir(kernel, &key).filter(|d| d.is_dir()) {
            Some(dir) => {
                for ext in ["name", "png"] {
                    if let Some(f) = meta_file(kernel, &key, ext) {
                        let _ = std::fs::remove_file(f);
                    }
                }
                match std::fs::remove_dir_all(dir) {
                    Ok(()) => error::SUCCESS,
                    Err(_) => error::ACCESS_DENIED,
                }
            }
            None => error::FILE_NOT_FOUND,
        },
    };
    finish_immediate(kernel, ov, call, result)
}

/// `XamContentGetCreator(UserIndex, PXCONTENT_DATA, PBOOL IsCreator,
/// PXUID Creator, Overlapped)`: saves are the signed-in profile's own.
pub fn xam_content_get_creator(
    kernel: &mut Kernel,
    user_index: u32,
    data: Option<VirtAddr>,
    is_creator: Option<VirtAddr>,
    creator: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let result = match data.and_then(|d| read_content_data(kernel, d, false)) {
        None => error::INVALID_PARAMETER,
        Some((key, _)) if !exists(kernel, &key) => error::PATH_NOT_FOUND,
        Some((key, _)) => {
            let mine = key.content_type == SAVED_GAME && user::is_signed_in(user_index);
            super::write_optional_u32(&kernel.memory, is_creator, u32::from(mine));
            if let Some(out) = creator {
                let _ = kernel.memory.write_u64(out, if mine { kernel.xam.profile.xuid } else { 0 });
            }
            error::SUCCESS
        }
    };
    finish_immediate(kernel, ov, call, result)
}

/// `XamContentGetThumbnail(UserIndex, PXCONTENT_DATA, Buffer, PDWORD
/// Size, Overlapped)`: the size always; the bytes when the buffer holds them.
pub fn xam_content_get_thumbnail(
    kernel: &mut Kernel,
    _user_index: u32,
    data: Option<VirtAddr>,
    buffer: Option<VirtAddr>,
    size: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let Some(size) = size else { return error::INVALID_PARAMETER };
    let result = match data.and_then(|d| read_content_data(kernel, d, false)) {
        None => error::INVALID_PARAMETER,
        Some((key, _)) if !exists(kernel, &key) => error::PATH_NOT_FOUND,
        Some((key, _)) => match meta_file(kernel, &key, "png").and_then(|f| std::fs::read(f).ok()) {
            None => error::FILE_NOT_FOUND,
            Some(png) => {
                let room = kernel.memory.read_u32(size).unwrap_or(0);
                let _ = kernel.memory.write_u32(size, png.len() as u32);
                match buffer {
                    Some(_) if (room as usize) < png.len() => error::INSUFFICIENT_BUFFER,
                    Some(b) => match kernel.memory.write_bytes(b, &png) {
                        Ok(()) => error::SUCCESS,
                        Err(_) => error::INVALID_PARAMETER,
                    },
                    None => error::SUCCESS,
                }
            }
        },
    };
    finish_immediate(kernel, ov, call, result)
}

/// `XamContentSetThumbnail(UserIndex, PXCONTENT_DATA, Buffer (PNG), Size, Overlapped)`.
pub fn xam_content_set_thumbnail(
    kernel: &mut Kernel,
    _user_index: u32,
    data: Option<VirtAddr>,
    buffer: Option<VirtAddr>,
    size: u32,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let mut png = vec![0; size.min(0x10_0000) as usize];
    let readable = buffer.is_some_and(|b| kernel.memory.read_bytes(b, &mut png).is_ok());
    let result = match data.and_then(|d| read_content_data(kernel, d, false)) {
        Some(_) if !readable => error::INVALID_PARAMETER,
        None => error::INVALID_PARAMETER,
        Some((key, _)) if !exists(kernel, &key) => error::PATH_NOT_FOUND,
        Some((key, _)) => {
            let written = meta_file(kernel, &key, "png").is_some_and(|f| {
                f.parent().is_some_and(|p| std::fs::create_dir_all(p).is_ok()) && std::fs::write(f, &png).is_ok()
            });
            if written {
                error::SUCCESS
            } else {
                error::ACCESS_DENIED
            }
        }
    };
    finish_immediate(kernel, ov, call, result)
}

/// Mounts `\Device\Content` (every package folder) when it is not yet.
fn ensure_content_device(kernel: &mut Kernel) -> bool {
    if kernel.io.devices.iter().any(|d| d.mount == CONTENT_DEVICE) {
        return true;
    }
    let Some(dir) = kernel.config.cache_dir.as_ref().map(|b| b.join("content")) else { return false };
    let Ok(folder) =
        std::fs::create_dir_all(&dir).map_err(|_| ()).and_then(|()| FolderVolume::open(&dir).map_err(|_| ()))
    else {
        return false;
    };
    kernel.io.devices.push(io::Device {
        mount: CONTENT_DEVICE.into(),
        fs_name: "FATX",
        volume: Box::new(folder.clone()),
        host: Some(folder),
        cluster: 0x4000,
    });
    true
}

/// `XamContentResolve(UserIndex, PXCONTENT_DATA, Buffer, BufferSize, …)`:
/// the path of the package's folder (`\Device\Content\OWNER\TITLE\TYPE\NAME`,
/// ANSI, NUL-terminated), which `XamContentOpenFile` and the file exports take.
#[allow(clippy::too_many_arguments)]
pub fn xam_content_resolve(
    kernel: &mut Kernel,
    _user_index: u32,
    data: Option<VirtAddr>,
    buffer: Option<VirtAddr>,
    buffer_size: u32,
    _a: u32,
    _b: u32,
    _c: u32,
) -> u32 {
    let Some((key, _)) = data.and_then(|d| read_content_data(kernel, d, false)) else {
        return error::INVALID_PARAMETER;
    };
    let Some(buffer) = buffer else { return error::INVALID_PARAMETER };
    if !exists(kernel, &key) || !ensure_content_device(kernel) {
        return error::PATH_NOT_FOUND;
    }
    let path = format!(
        "{CONTENT_DEVICE}\\{}\\{:08X}\\{:08X}\\{}",
        owner(kernel, key.content_type),
        key.title_id,
        key.content_type,
        key.file_name
    );
    if path.len() as u32 + 1 > buffer_size {
        return error::INSUFFICIENT_BUFFER;
    }
    let mut bytes = path.into_bytes();
    bytes.push(0);
    match kernel.memory.write_bytes(buffer, &bytes) {
        Ok(()) => error::SUCCESS,
        Err(_) => error::INVALID_PARAMETER,
    }
}

/// `XamContentOpenFile(UserIndex, RootName, Path, Flags, PDWORD
/// Disposition, PDWORD LicenseMask, Overlapped)`: mounts the package folder
/// a path names (as `XamContentResolve` gives it) under the root name;
/// only existing packages open.
#[allow(clippy::too_many_arguments)]
pub fn xam_content_open_file(
    kernel: &mut Kernel,
    _user_index: u32,
    root: Option<VirtAddr>,
    path: Option<VirtAddr>,
    _flags: u32,
    disposition_out: Option<VirtAddr>,
    license_out: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let result = (|| {
        let root = root_name(kernel, root).ok_or(error::INVALID_PARAMETER)?;
        let path = path.and_then(|p| read_ansi(&kernel.memory, p, 260)).ok_or(error::INVALID_PARAMETER)?;
        if kernel.xam.content.open.iter().any(|p| p.root.eq_ignore_ascii_case(&root)) {
            return Err(error::ALREADY_EXISTS);
        }
        let location = kernel.io.resolve(&path).map_err(|_| error::PATH_NOT_FOUND)?;
        let host = kernel.io.device(&location).host.clone().ok_or(error::ACCESS_DENIED)?;
        let dir = host.host_path(&io::path::to_volume_path(&location.components)).map_err(|_| error::FILE_NOT_FOUND)?;
        if !dir.is_dir() {
            return Err(error::FILE_NOT_FOUND);
        }
        let file_name = location.components.last().cloned().unwrap_or_default();
        let key = PackageKey { device_id: HARD_DRIVE, content_type: 0, title_id: 0, file_name };
        mount(kernel, &root, key, &dir)
    })();
    let (result, disposition) = match result {
        Ok(()) => (error::SUCCESS, OPENED),
        Err(e) => (e, 0),
    };
    super::write_optional_u32(&kernel.memory, disposition_out, disposition);
    if result == error::SUCCESS {
        super::write_optional_u32(&kernel.memory, license_out, 0);
    }
    finish(kernel, ov, call, result, disposition)
}

/// The `XCONTENT_DATA` records of the packages of one type of the running
/// title on the hard drive, sorted by file name.
fn list_packages(kernel: &Kernel, content_type: u32) -> Vec<u8> {
    let title_id = super::system::current_title_id(kernel);
    let Some(folder) = type_folder(kernel, "content", title_id, content_type) else { return Vec::new() };
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.len() <= content_data::FILE_NAME_SIZE as usize)
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = Vec::new();
    for file_name in names {
        let key = PackageKey { device_id: HARD_DRIVE, content_type, title_id, file_name };
        let display = meta_file(kernel, &key, "name")
            .and_then(|f| std::fs::read_to_string(f).ok())
            .unwrap_or_else(|| key.file_name.clone());
        let mut record = Vec::with_capacity(CONTENT_DATA_SIZE as usize);
        record.extend_from_slice(&HARD_DRIVE.to_be_bytes());
        record.extend_from_slice(&content_type.to_be_bytes());
        let mut name: Vec<u8> = display.encode_utf16().take(127).flat_map(u16::to_be_bytes).collect();
        name.resize(256, 0);
        record.extend_from_slice(&name);
        let mut file = key.file_name.into_bytes();
        file.resize(content_data::FILE_NAME_SIZE as usize + 2, 0);
        record.extend_from_slice(&file);
        out.extend_from_slice(&record);
    }
    out
}

/// `XamContentCreateEnumerator(DWORD UserIndex, DWORD DeviceId, DWORD
/// ContentType, DWORD Flags, DWORD ItemsPerEnumerate, PDWORD BufferSize,
/// PHANDLE Enumerator)`: the running title's packages of that type on the
/// hard drive (the disc holds none).
#[allow(clippy::too_many_arguments)]
pub fn xam_content_create_enumerator(
    kernel: &mut Kernel,
    _user_index: u32,
    device_id: u32,
    content_type: u32,
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
    let items =
        if device_id == 0 || device_id == HARD_DRIVE { list_packages(kernel, content_type) } else { Vec::new() };
    match enumerator::create(kernel, CONTENT_DATA_SIZE, items_per_enumerate, items) {
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

/// An `XCONTENT_DEVICE_DATA`: id, type, total and free bytes, a 28-unit name.
fn device_data(d: &Device) -> Vec<u8> {
    let mut data = Vec::with_capacity(DEVICE_DATA_SIZE as usize);
    data.extend_from_slice(&d.id.to_be_bytes());
    data.extend_from_slice(&d.kind.to_be_bytes());
    data.extend_from_slice(&d.total_bytes.to_be_bytes());
    data.extend_from_slice(&d.free_bytes.to_be_bytes());
    data.extend(d.name.encode_utf16().take(27).flat_map(u16::to_be_bytes));
    data.resize(DEVICE_DATA_SIZE as usize, 0);
    data
}

/// `XamContentGetDeviceData(DWORD DeviceId, PXCONTENT_DEVICE_DATA Data)`.
pub fn xam_content_get_device_data(kernel: &mut Kernel, device_id: u32, out: VirtAddr) -> u32 {
    let Some(d) = device(device_id) else { return error::DEVICE_NOT_CONNECTED };
    match kernel.memory.write_bytes(out, &device_data(d)) {
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

/// `XamContentGetDeviceName(DeviceId, LPWSTR Buffer, Capacity)`.
pub fn xam_content_get_device_name(
    kernel: &mut Kernel,
    device_id: u32,
    buffer: Option<VirtAddr>,
    capacity: u32,
) -> u32 {
    let Some(d) = device(device_id) else { return error::DEVICE_NOT_CONNECTED };
    if (capacity as usize) < d.name.len() + 1 {
        return error::INSUFFICIENT_BUFFER;
    }
    match buffer {
        Some(b) if write_utf16(&kernel.memory, b, d.name, capacity) => error::SUCCESS,
        _ => error::INVALID_PARAMETER,
    }
}

/// `XamContentCreateDeviceEnumerator(ContentType, ContentFlags, MaxCount,
/// PDWORD BufferSize, PHANDLE Enumerator)`: every device.
pub fn xam_content_create_device_enumerator(
    kernel: &mut Kernel,
    _content_type: u32,
    _flags: u32,
    max_count: u32,
    buffer_size: Option<VirtAddr>,
    handle_out: Option<VirtAddr>,
) -> u32 {
    let Some(handle_out) = handle_out else { return error::INVALID_PARAMETER };
    super::write_optional_u32(&kernel.memory, buffer_size, DEVICE_DATA_SIZE.saturating_mul(max_count));
    let items: Vec<u8> = DEVICES.iter().flat_map(device_data).collect();
    match enumerator::create(kernel, DEVICE_DATA_SIZE, max_count, items) {
        Ok(handle) => {
            let _ = kernel.memory.write_u32(handle_out, handle);
            error::SUCCESS
        }
        Err(_) => error::FUNCTION_FAILED,
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

    fn content(k: &Kernel, at: VirtAddr, device: u32, content_type: u32, name: &str) {
        k.memory.fill(at, CONTENT_DATA_SIZE, 0).unwrap();
        k.memory.write_u32(at, device).unwrap();
        k.memory.write_u32(at.add(4), content_type).unwrap();
        write_utf16(&k.memory, at.add(content_data::DISPLAY_NAME), "My Save", 128);
        k.memory.write_bytes(at.add(content_data::FILE_NAME), name.as_bytes()).unwrap();
    }

    fn with_cache() -> (io::testing::TempDir, Kernel, u32) {
        let dir = io::testing::TempDir::new("content");
        let (mut k, t) = kernel_with_thread();
        k.config.cache_dir = Some(dir.0.clone());
        (dir, k, t)
    }

    const ROOT: VirtAddr = VirtAddr(0x6000);
    const DATA: VirtAddr = VirtAddr(0x6100);
    const DISP: VirtAddr = VirtAddr(0x6400);

    fn create_save(k: &mut Kernel, t: u32, flags: u32, ov: Option<VirtAddr>) -> u32 {
        k.memory.write_bytes(ROOT, b"save\0").unwrap();
        xam_content_create(k, 0, Some(ROOT), Some(DATA), flags, Some(DISP), None, ov, call_from(t))
    }

    #[test]
    fn a_created_save_is_a_writable_root_that_survives_close_and_reopen() {
        let (dir, mut k, t) = with_cache();
        content(&k, DATA, 1, SAVED_GAME, "slot1");
        assert_eq!(create_save(&mut k, t, 3, None), error::PATH_NOT_FOUND, "open existing: none yet");
        let ov = VirtAddr(0x7000);
        k.memory.fill(ov, overlapped::SIZE, 0).unwrap();
        assert_eq!(create_save(&mut k, t, 1, Some(ov)), error::IO_PENDING);
        assert_eq!(k.memory.read_u32(ov.add(overlapped::RESULT)).unwrap(), error::SUCCESS);
        assert_eq!(k.memory.read_u32(ov.add(overlapped::LENGTH)).unwrap(), CREATED);
        assert_eq!(k.memory.read_u32(DISP).unwrap(), CREATED);
        // The root reaches the package's host folder.
        let location = k.io.resolve("save:\\game.dat").unwrap();
        let host = k.io.device(&location).host.clone().unwrap();
        let owner = format!("{:016X}", k.xam.profile.xuid);
        assert!(host.root().ends_with(format!("content/{owner}/00000000/00000001/slot1")), "{:?}", host.root());
        std::fs::write(host.root().join("game.dat"), b"progress").unwrap();
        assert_eq!(create_save(&mut k, t, 4, None), error::ALREADY_EXISTS, "root in use");
        assert_eq!(xam_content_close(&mut k, Some(ROOT), None, call_from(t)), error::SUCCESS);
        assert!(k.io.resolve("save:\\game.dat").is_err());
        assert_eq!(xam_content_close(&mut k, Some(ROOT), None, call_from(t)), error::FILE_NOT_FOUND);
        assert_eq!(create_save(&mut k, t, 1, None), error::ALREADY_EXISTS, "create new: it exists");
        assert_eq!(create_save(&mut k, t, 4, None), error::SUCCESS);
        assert_eq!(k.memory.read_u32(DISP).unwrap(), OPENED);
        assert_eq!(k.io.read_whole("save:\\game.dat").unwrap(), b"progress");
        drop(dir);
    }

    #[test]
    fn packages_enumerate_with_their_display_names_and_delete_when_closed() {
        let (_dir, mut k, t) = with_cache();
        content(&k, DATA, 1, SAVED_GAME, "slot1");
        assert_eq!(create_save(&mut k, t, 1, None), error::SUCCESS);
        let (size, handle, n, buf) = (VirtAddr(0x1000), VirtAddr(0x1004), VirtAddr(0x1008), VirtAddr(0x8000));
        assert_eq!(xam_content_create_enumerator(&mut k, 0, 0, SAVED_GAME, 0, 4, Some(size), Some(handle)), 0);
        let h = k.memory.read_u32(handle).unwrap();
        let e = enumerator::xam_enumerate(&mut k, h, 0, Some(buf), 4 * CONTENT_DATA_SIZE, Some(n), None, call_from(t));
        assert_eq!((e, k.memory.read_u32(n).unwrap()), (error::SUCCESS, 1));
        assert_eq!(read_utf16(&k.memory, buf.add(content_data::DISPLAY_NAME), 128).unwrap(), "My Save");
        assert_eq!(read_ansi(&k.memory, buf.add(content_data::FILE_NAME), 42).unwrap(), "slot1");
        let (is_creator, xuid) = (VirtAddr(0x1100), VirtAddr(0x1108));
        let r = xam_content_get_creator(&mut k, 0, Some(DATA), Some(is_creator), Some(xuid), None, call_from(t));
        assert_eq!(r, error::SUCCESS);
        assert_eq!(k.memory.read_u32(is_creator).unwrap(), 1);
        assert_eq!(k.memory.read_u64(xuid).unwrap(), k.xam.profile.xuid);
        assert_eq!(xam_content_delete(&mut k, 0, Some(DATA), None, call_from(t)), error::ACCESS_DENIED, "open");
        assert_eq!(xam_content_flush(&mut k, Some(ROOT), None, call_from(t)), error::SUCCESS);
        assert_eq!(xam_content_close(&mut k, Some(ROOT), None, call_from(t)), error::SUCCESS);
        assert_eq!(xam_content_delete(&mut k, 0, Some(DATA), None, call_from(t)), error::SUCCESS);
        assert_eq!(xam_content_delete(&mut k, 0, Some(DATA), None, call_from(t)), error::FILE_NOT_FOUND);
        let r = xam_content_get_creator(&mut k, 0, Some(DATA), Some(is_creator), Some(xuid), None, call_from(t));
        assert_eq!(r, error::PATH_NOT_FOUND);
    }

    #[test]
    fn thumbnails_round_trip_and_size_queries_say_how_big() {
        let (_dir, mut k, t) = with_cache();
        content(&k, DATA, 1, SAVED_GAME, "slot2");
        assert_eq!(create_save(&mut k, t, 2, None), error::SUCCESS);
        let (png, size, out) = (VirtAddr(0x1000), VirtAddr(0x1100), VirtAddr(0x1200));
        k.memory.write_bytes(png, b"\x89PNG-ish").unwrap();
        k.memory.write_u32(size, 0).unwrap();
        assert_eq!(xam_content_get_thumbnail(&mut k, 0, Some(DATA), None, Some(size), None, call_from(t)), 2);
        assert_eq!(xam_content_set_thumbnail(&mut k, 0, Some(DATA), Some(png), 8, None, call_from(t)), 0);
        assert_eq!(xam_content_get_thumbnail(&mut k, 0, Some(DATA), Some(out), Some(size), None, call_from(t)), 0x7A);
        assert_eq!(k.memory.read_u32(size).unwrap(), 8);
        assert_eq!(xam_content_get_thumbnail(&mut k, 0, Some(DATA), Some(out), Some(size), None, call_from(t)), 0);
        assert_eq!(k.memory.read_u32(out).unwrap(), 0x8950_4E47);
    }

    #[test]
    fn resolve_names_a_folder_that_open_file_mounts() {
        let (_dir, mut k, t) = with_cache();
        content(&k, DATA, 1, 2, "dlc1");
        assert_eq!(create_save(&mut k, t, 1, None), error::SUCCESS);
        std::fs::write(k.io.device(&k.io.resolve("save:").unwrap()).host.clone().unwrap().root().join("a.bin"), b"x")
            .unwrap();
        assert_eq!(xam_content_close(&mut k, Some(ROOT), None, call_from(t)), 0);
        let path = VirtAddr(0x1000);
        assert_eq!(xam_content_resolve(&mut k, 0, Some(DATA), Some(path), 8, 0, 0, 0), error::INSUFFICIENT_BUFFER);
        assert_eq!(xam_content_resolve(&mut k, 0, Some(DATA), Some(path), 260, 0, 0, 0), error::SUCCESS);
        let resolved = read_ansi(&k.memory, path, 260).unwrap();
        assert_eq!(resolved, "\\Device\\Content\\0000000000000000\\00000000\\00000002\\dlc1");
        let root = VirtAddr(0x1200);
        k.memory.write_bytes(root, b"dlc\0").unwrap();
        let r = xam_content_open_file(&mut k, 0, Some(root), Some(path), 0, None, None, None, call_from(t));
        assert_eq!(r, error::SUCCESS);
        assert_eq!(k.io.read_whole("dlc:\\a.bin").unwrap(), b"x");
    }

    #[test]
    fn saves_need_a_signed_in_user_and_a_writable_device() {
        let (_dir, mut k, t) = with_cache();
        content(&k, DATA, 1, SAVED_GAME, "s");
        k.memory.write_bytes(ROOT, b"save\0").unwrap();
        let r = xam_content_create(&mut k, 2, Some(ROOT), Some(DATA), 1, None, None, None, call_from(t));
        assert_eq!(r, error::NO_SUCH_USER);
        content(&k, DATA, 2, SAVED_GAME, "s");
        assert_eq!(create_save(&mut k, t, 1, None), error::ACCESS_DENIED);
        content(&k, DATA, 7, SAVED_GAME, "s");
        assert_eq!(create_save(&mut k, t, 1, None), error::DEVICE_NOT_CONNECTED);
        content(&k, DATA, 1, SAVED_GAME, "..");
        assert_eq!(create_save(&mut k, t, 1, None), error::INVALID_PARAMETER);
    }

    #[test]
    fn device_names_and_the_device_enumerator_list_both_drives() {
        let (mut k, t) = kernel_with_thread();
        let buf = VirtAddr(0x1000);
        assert_eq!(xam_content_get_device_name(&mut k, 1, Some(buf), 32), 0);
        assert_eq!(read_utf16(&k.memory, buf, 32).unwrap(), "Hard Drive");
        assert_eq!(xam_content_get_device_name(&mut k, 1, Some(buf), 4), error::INSUFFICIENT_BUFFER);
        assert_eq!(xam_content_get_device_name(&mut k, 5, Some(buf), 32), error::DEVICE_NOT_CONNECTED);
        let (size, handle, n) = (VirtAddr(0x2000), VirtAddr(0x2004), VirtAddr(0x2008));
        assert_eq!(xam_content_create_device_enumerator(&mut k, 1, 0, 4, Some(size), Some(handle)), 0);
        let h = k.memory.read_u32(handle).unwrap();
        let e = enumerator::xam_enumerate(&mut k, h, 0, Some(VirtAddr(0x3000)), 0x200, Some(n), None, call_from(t));
        assert_eq!((e, k.memory.read_u32(n).unwrap()), (0, 2));
        assert_eq!(k.memory.read_u32(VirtAddr(0x3000 + DEVICE_DATA_SIZE)).unwrap(), 2);
    }
}
