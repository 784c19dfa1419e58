//! The file system: devices named as the console names them, open files and
//! the file exports.
//!
//! | guest name | device | backing |
//! | --- | --- | --- |
//! | `\Device\Cdrom0`, `game:`, `d:` | the title's disc image or folder | [`shared::formats::disc::Volume`], read-only |
//! | `\CACHE`, `cache:` | a per-title host folder that may be wiped | host directory, read-write |
//!
//! `game:` and `d:` are symbolic links to `\Device\Cdrom0` and `cache:` to
//! `\CACHE` (as xenia's emulator and `xenia_main.cc` register them); `\??\`
//! and the `ObDosDevices` root handle (`0xFFFFFFFD`) name the same links. A
//! name resolves to a device and a list of components; `..` can never climb
//! out of a device ([`path`]). Names match ignoring case.
//!
//! File objects are object-manager objects ([`crate::ob::ObjectType::File`]);
//! this module keeps their state by object id. I/O completes at once: the
//! `IO_STATUS_BLOCK` is written, the caller's event signalled and its APC
//! queued before the export returns, which returns the real status (a
//! driver may complete an asynchronous request synchronously).
//!
//! Submodules: [`path`] (name checks, `..`, wildcards), [`create`]
//! (`NtCreateFile`, `NtOpenFile`, `NtQueryFullAttributesFile`, symbolic
//! links), [`read_write`] (`NtReadFile`, `NtWriteFile`, flush, IOCTL),
//! [`info`] (`NtQuery/SetInformationFile`, `NtQueryVolumeInformationFile`),
//! [`directory`] (`NtQueryDirectoryFile`), [`scatter`]
//! (`NtReadFileScatter`), [`devices`] (absent USB devices, the file-system
//! cache size).

pub mod create;
pub mod devices;
pub mod directory;
pub mod info;
pub mod path;
pub mod read_write;
pub mod scatter;

use crate::ob::ObjectId;
use crate::status::NtStatus;
use shared::formats::disc::{open_volume, DirEntry, FolderVolume, Volume};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where the title's volume is mounted.
pub const CDROM_DEVICE: &str = "\\Device\\Cdrom0";
/// Where the cache folder is mounted.
pub const CACHE_DEVICE: &str = "\\CACHE";
/// The `ObDosDevices` pseudo handle titles pass as a root directory.
pub const DOS_DEVICES_ROOT: u32 = 0xFFFF_FFFD;

/// `FILE_ATTRIBUTE_*`.
pub mod attributes {
    pub const READONLY: u32 = 0x01;
    pub const DIRECTORY: u32 = 0x10;
    pub const NORMAL: u32 = 0x80;
}

/// A mounted device.
pub struct Device {
    /// Its object name (`\Device\Cdrom0`).
    pub mount: String,
    /// The file-system name `NtQueryVolumeInformationFile` reports.
    pub fs_name: &'static str,
    pub volume: Box<dyn Volume>,
    /// The host folder when the device is writable.
    pub host: Option<FolderVolume>,
    /// Allocation unit in bytes.
    pub cluster: u32,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device").field("mount", &self.mount).field("volume", &self.volume.describe()).finish()
    }
}

impl Device {
    pub fn read_only(&self) -> bool {
        self.host.is_none()
    }
}

/// What a resolved name designates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub device: usize,
    pub components: Vec<String>,
}

/// Facts about a file or directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Stat {
    pub is_dir: bool,
    pub size: u64,
    pub allocation_size: u64,
    pub attributes: u32,
    /// Last write, NT time (0 when unknown).
    pub write_time: u64,
}

/// An enumeration in progress on a directory handle.
#[derive(Clone, Debug, Default)]
pub struct DirScan {
    pub pattern: String,
    pub entries: Vec<DirEntry>,
    pub next: usize,
}

/// One open file or directory.
#[derive(Debug)]
pub struct OpenFile {
    pub location: Location,
    pub is_dir: bool,
    pub position: u64,
    /// Opened with read or write data access (writes need both this and a writable device).
    pub can_write: bool,
    /// `FILE_SYNCHRONOUS_IO_*` given.
    pub synchronous: bool,
    /// Mode bits `FileModeInformation` reports.
    pub mode: u32,
    pub delete_on_close: bool,
    /// The host file of a writable device.
    pub host: Option<std::fs::File>,
    pub scan: Option<DirScan>,
}

/// Devices, symbolic links and open files.
#[derive(Debug, Default)]
pub struct FileSystem {
    pub devices: Vec<Device>,
    /// Symbolic links (`game:` → `\Device\Cdrom0`), names compared ignoring case.
    pub links: Vec<(String, String)>,
    /// Open files by file object.
    pub files: HashMap<ObjectId, OpenFile>,
    /// Open symbolic-link objects and their targets.
    pub link_objects: HashMap<ObjectId, String>,
    /// `FscSetCacheElementCount`'s count.
    pub fsc_cache_elements: u32,
}

/// NT time of a host timestamp.
fn nt_time(t: std::io::Result<std::time::SystemTime>) -> u64 {
    t.ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| crate::clock::EPOCH_1601_TO_1970 + (d.as_nanos() / 100) as u64)
}

impl FileSystem {
    /// Mounts the title: a disc image or folder at `\Device\Cdrom0` with the
    /// `game:` and `d:` links. A `.xex` file mounts the folder holding it.
    pub fn mount_image(&mut self, image: &Path) -> Result<(), shared::formats::FormatError> {
        let is_xex = image.extension().is_some_and(|e| e.eq_ignore_ascii_case("xex")) && image.is_file();
        let volume = if is_xex {
            let folder = image.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            Box::new(FolderVolume::open(folder)?) as Box<dyn Volume>
        } else {
            open_volume(image)?
        };
        self.mount_title(volume);
        Ok(())
    }

    /// Mounts `volume` as the title's read-only disc.
    pub fn mount_title(&mut self, volume: Box<dyn Volume>) {
        self.devices.retain(|d| d.mount != CDROM_DEVICE);
        self.devices.push(Device { mount: CDROM_DEVICE.into(), fs_name: "GDFX", volume, host: None, cluster: 0x800 });
        self.add_link("game:", CDROM_DEVICE);
        self.add_link("d:", CDROM_DEVICE);
    }

    /// Mounts the host folder `dir` (created if missing) as the writable
    /// `cache:` device.
    pub fn mount_cache(&mut self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let folder = FolderVolume::open(dir).map_err(|e| std::io::Error::other(e.to_string()))?;
        self.devices.retain(|d| d.mount != CACHE_DEVICE);
        self.devices.push(Device {
            mount: CACHE_DEVICE.into(),
            fs_name: "FATX",
            volume: Box::new(folder.clone()),
            host: Some(folder),
            cluster: 0x4000,
        });
        self.add_link("cache:", CACHE_DEVICE);
        Ok(())
    }

    /// The default cache folder of a title: `$XDG_CACHE_HOME/xenact/TITLEID`
    /// (or `~/.cache/xenact/TITLEID`).
    pub fn default_cache_dir(title_id: u32) -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
        Some(base.join("xenact").join(format!("{title_id:08X}")))
    }

    /// Adds (or replaces) a symbolic link such as `game:`.
    pub fn add_link(&mut self, name: &str, target: &str) {
        self.links.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.links.push((name.to_owned(), target.to_owned()));
    }

    /// The target of the link called exactly `name` (ignoring case).
    pub fn link_target(&self, name: &str) -> Option<&str> {
        self.links.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, t)| t.as_str())
    }

    /// Resolves a full guest name (`game:\a\b`, `\??\d:\x`, `\Device\Cdrom0\y`).
    pub fn resolve(&self, name: &str) -> Result<Location, NtStatus> {
        let mut name = path::strip_prefix_ignore_case(name, "\\??\\").unwrap_or(name).to_owned();
        // Links resolve to device names (a few levels at most).
        for _ in 0..4 {
            let hit = self.links.iter().find_map(|(link, target)| {
                let rest = path::strip_prefix_ignore_case(&name, link)?;
                let at_boundary = link.ends_with(':') || rest.is_empty() || rest.starts_with(path::is_separator);
                at_boundary.then(|| format!("{target}\\{rest}"))
            });
            match hit {
                Some(n) => name = n,
                None => break,
            }
        }
        for (i, d) in self.devices.iter().enumerate() {
            if let Some(rest) = path::strip_prefix_ignore_case(&name, &d.mount) {
                if rest.is_empty() || rest.starts_with(path::is_separator) {
                    return Ok(Location { device: i, components: path::join(&[], rest)? });
                }
            }
        }
        Err(NtStatus::OBJECT_PATH_NOT_FOUND)
    }

    /// Resolves `name` relative to the open directory `root`.
    pub fn resolve_relative(&self, root: &Location, name: &str) -> Result<Location, NtStatus> {
        Ok(Location { device: root.device, components: path::join(&root.components, name)? })
    }

    pub fn device(&self, location: &Location) -> &Device {
        &self.devices[location.device]
    }

    /// Facts about the file or directory at `location`.
    pub fn stat(&self, location: &Location) -> Result<Stat, NtStatus> {
        let device = self.device(location);
        let rel = path::to_volume_path(&location.components);
        let entry = device.volume.stat(&rel).map_err(|_| self.missing(location))?;
        let mut stat = Stat {
            is_dir: entry.is_dir,
            size: entry.size,
            allocation_size: entry.size.div_ceil(device.cluster as u64) * device.cluster as u64,
            attributes: if entry.is_dir {
                attributes::DIRECTORY
            } else if device.read_only() {
                attributes::READONLY
            } else {
                attributes::NORMAL
            },
            write_time: 0,
        };
        if let Some(meta) = device.host.as_ref().and_then(|h| h.host_path(&rel).ok()).and_then(|p| p.metadata().ok()) {
            stat.write_time = nt_time(meta.modified());
        }
        Ok(stat)
    }

    /// The status for a name that does not exist: its parent missing or not.
    pub fn missing(&self, location: &Location) -> NtStatus {
        let parent = &location.components[..location.components.len().saturating_sub(1)];
        let device = self.device(location);
        match device.volume.stat(&path::to_volume_path(parent)) {
            Ok(e) if e.is_dir => NtStatus::OBJECT_NAME_NOT_FOUND,
            _ => NtStatus::OBJECT_PATH_NOT_FOUND,
        }
    }

    /// The entries of the directory at `location`.
    pub fn list(&self, location: &Location) -> Result<Vec<DirEntry>, NtStatus> {
        self.device(location)
            .volume
            .list(&path::to_volume_path(&location.components))
            .map_err(|_| self.missing(location))
    }

    /// Reads up to `buf.len()` bytes at `offset` of the file at `location`
    /// (through `host` when the file is open on a writable device).
    pub fn read_at(&self, file: &OpenFile, offset: u64, buf: &mut [u8]) -> Result<usize, NtStatus> {
        if let Some(host) = &file.host {
            use std::os::unix::fs::FileExt;
            let mut done = 0;
            while done < buf.len() {
                match host.read_at(&mut buf[done..], offset + done as u64) {
                    Ok(0) => break,
                    Ok(n) => done += n,
                    Err(_) => return Err(NtStatus::UNSUCCESSFUL),
                }
            }
            return Ok(done);
        }
        let device = self.device(&file.location);
        device
            .volume
            .read_at(&path::to_volume_path(&file.location.components), offset, buf)
            .map_err(|_| NtStatus::UNSUCCESSFUL)
    }

    /// The whole file a guest name designates (the loader reads
    /// `game:\\default.xex` with this).
    pub fn read_whole(&self, name: &str) -> Result<Vec<u8>, NtStatus> {
        let location = self.resolve(name)?;
        if self.stat(&location)?.is_dir {
            return Err(NtStatus::FILE_IS_A_DIRECTORY);
        }
        self.device(&location)
            .volume
            .read(&path::to_volume_path(&location.components))
            .map_err(|_| NtStatus::UNSUCCESSFUL)
    }

    /// The host path of an existing entry of a writable device.
    fn host_path(&self, location: &Location) -> Option<PathBuf> {
        let host = self.device(location).host.as_ref()?;
        host.host_path(&path::to_volume_path(&location.components)).ok()
    }

    /// The host path a new entry at `location` would take (its parent must exist).
    fn new_host_path(&self, location: &Location) -> Result<PathBuf, NtStatus> {
        let host = self.device(location).host.as_ref().ok_or(NtStatus::ACCESS_DENIED)?;
        let (name, parent) = location.components.split_last().ok_or(NtStatus::OBJECT_NAME_INVALID)?;
        let parent = host.host_path(&path::to_volume_path(parent)).map_err(|_| NtStatus::OBJECT_PATH_NOT_FOUND)?;
        if !parent.is_dir() {
            return Err(NtStatus::OBJECT_PATH_NOT_FOUND);
        }
        Ok(parent.join(name))
    }

    /// Drops the state of a destroyed file or link object (deleting a file
    /// marked for deletion).
    pub fn forget(&mut self, id: ObjectId) {
        self.link_objects.remove(&id);
        let Some(file) = self.files.remove(&id) else { return };
        if file.delete_on_close {
            if let Some(p) = self.host_path(&file.location) {
                let _ = if file.is_dir { std::fs::remove_dir(&p) } else { std::fs::remove_file(&p) };
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! A title folder and a cache folder on the host for the file tests.
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A temporary directory removed on drop.
    pub struct TempDir(pub PathBuf);

    impl TempDir {
        pub fn new(tag: &str) -> TempDir {
            static NEXT: AtomicU32 = AtomicU32::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("xenact-io-{tag}-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A title folder: `default.xex`, `data\numbers.bin` (0..=255),
    /// `data\readme.txt`, `data\sub\deep.txt`; and an empty cache folder.
    pub fn title_and_cache() -> (TempDir, TempDir, FileSystem) {
        let title = TempDir::new("title");
        std::fs::write(title.0.join("default.xex"), b"XEX2....").unwrap();
        std::fs::create_dir_all(title.0.join("data/sub")).unwrap();
        std::fs::write(title.0.join("data/numbers.bin"), (0..=255u8).collect::<Vec<_>>()).unwrap();
        std::fs::write(title.0.join("data/readme.txt"), b"Xenact test disc\n").unwrap();
        std::fs::write(title.0.join("data/sub/deep.txt"), b"deep").unwrap();
        let cache = TempDir::new("cache");
        let mut fs = FileSystem::default();
        fs.mount_image(&title.0).unwrap();
        fs.mount_cache(&cache.0).unwrap();
        (title, cache, fs)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    fn comps(fs: &FileSystem, name: &str) -> Result<(String, Vec<String>), NtStatus> {
        fs.resolve(name).map(|l| (fs.devices[l.device].mount.clone(), l.components))
    }

    #[test]
    fn console_names_reach_their_devices() {
        let (_t, _c, fs) = title_and_cache();
        let want = (CDROM_DEVICE.to_string(), vec!["data".to_string(), "x".to_string()]);
        for name in
            ["game:\\data\\x", "GAME:\\data\\x", "d:\\data\\x", "\\??\\game:\\data\\x", "\\Device\\Cdrom0\\data\\x"]
        {
            assert_eq!(comps(&fs, name).unwrap(), want, "{name}");
        }
        assert_eq!(comps(&fs, "game:").unwrap().1, Vec::<String>::new());
        assert_eq!(comps(&fs, "cache:\\a").unwrap().0, CACHE_DEVICE);
        assert_eq!(comps(&fs, "gamex:\\a").unwrap_err(), NtStatus::OBJECT_PATH_NOT_FOUND);
        assert_eq!(comps(&fs, "\\Device\\Cdrom01\\a").unwrap_err(), NtStatus::OBJECT_PATH_NOT_FOUND);
    }

    #[test]
    fn no_name_escapes_its_device() {
        let (_t, _c, fs) = title_and_cache();
        for name in [
            "game:\\..\\..\\etc\\passwd",
            "game:\\data\\..\\..\\x",
            "game:/../x",
            "cache:\\..\\secret",
            "\\Device\\Cdrom0\\..\\CACHE\\x",
        ] {
            assert!(fs.resolve(name).is_err(), "{name}");
        }
        // Device-less and absolute host paths name no device.
        for name in ["/etc/passwd", "\\etc\\passwd", "etc\\passwd", "", "C:\\Windows"] {
            assert_eq!(fs.resolve(name).unwrap_err(), NtStatus::OBJECT_PATH_NOT_FOUND, "{name}");
        }
        // An absolute host path after a device stays inside it.
        let l = fs.resolve("game:\\/etc/passwd").unwrap();
        assert_eq!(l.components, ["etc", "passwd"]);
        assert_eq!(fs.stat(&l).unwrap_err(), NtStatus::OBJECT_PATH_NOT_FOUND);
    }

    #[test]
    fn stat_reports_size_kind_and_missing_parents() {
        let (_t, _c, fs) = title_and_cache();
        let s = fs.stat(&fs.resolve("game:\\DATA\\Numbers.BIN").unwrap()).unwrap();
        assert_eq!((s.is_dir, s.size, s.attributes), (false, 256, attributes::READONLY));
        assert_eq!(s.allocation_size, 0x800);
        assert!(fs.stat(&fs.resolve("game:\\data").unwrap()).unwrap().is_dir);
        assert_eq!(fs.stat(&fs.resolve("game:\\data\\nope").unwrap()).unwrap_err(), NtStatus::OBJECT_NAME_NOT_FOUND);
        assert_eq!(fs.stat(&fs.resolve("game:\\nope\\x").unwrap()).unwrap_err(), NtStatus::OBJECT_PATH_NOT_FOUND);
    }

    #[test]
    fn a_disc_image_mounts_as_game() {
        let iso = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/guest/bin/files.iso");
        let mut fs = FileSystem::default();
        fs.mount_image(&iso).unwrap();
        assert_eq!(&fs.read_whole("game:\\default.xex").unwrap()[..4], b"XEX2");
        assert_eq!(fs.read_whole("game:\\data").unwrap_err(), NtStatus::FILE_IS_A_DIRECTORY);
        let l = fs.resolve("d:\\DATA\\numbers.bin").unwrap();
        assert_eq!(fs.stat(&l).unwrap().size, 256);
        let names: Vec<String> =
            fs.list(&fs.resolve("game:\\data").unwrap()).unwrap().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["numbers.bin", "readme.txt", "sub"]);
    }

    #[test]
    fn a_xex_file_mounts_its_folder() {
        let (title, _c, _) = title_and_cache();
        let mut fs = FileSystem::default();
        fs.mount_image(&title.0.join("default.xex")).unwrap();
        assert!(fs.stat(&fs.resolve("game:\\data\\readme.txt").unwrap()).is_ok());
    }

    #[test]
    fn the_default_cache_dir_is_per_title() {
        let dir = FileSystem::default_cache_dir(0x4D53_0919).unwrap();
        assert!(dir.ends_with("xenact/4D530919"), "{}", dir.display());
    }
}
