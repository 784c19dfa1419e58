//! Title volumes: Xbox 360 disc images (GDFX, also called XISO) and plain
//! host folders, behind one [`Volume`] trait.
//!
//! Paths inside a volume use `\` or `/` between components, match names
//! ignoring ASCII case (as the console's file system does), and may not use
//! `..`: a path that tries to leave the volume is refused.
//!
//! - [`gdfx`]: the disc image reader;
//! - [`folder`]: a host folder holding `default.xex` and its files;
//! - [`pack`]: writes a disc image from a host folder (for fixtures).

pub mod folder;
pub mod gdfx;
pub mod pack;

use super::{FormatError, Result};
use std::path::Path;

pub use folder::FolderVolume;
pub use gdfx::GdfxVolume;

/// Name of the executable a title volume boots.
pub const DEFAULT_XEX: &str = "default.xex";

/// One file or directory of a volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The name as stored (original case).
    pub name: String,
    pub is_dir: bool,
    /// Size in bytes (0 for directories).
    pub size: u64,
}

/// A read-only tree of files: a disc image or a host folder.
pub trait Volume: Send + Sync {
    /// A short description for logs and `xenact info`, e.g. `GDFX disc image`.
    fn describe(&self) -> String;

    /// The entry at `path` (the root is `""`).
    fn stat(&self, path: &str) -> Result<DirEntry>;

    /// The entries of the directory at `path`, sorted by name ignoring case.
    fn list(&self, path: &str) -> Result<Vec<DirEntry>>;

    /// Reads up to `buf.len()` bytes of the file at `path` from `offset`;
    /// returns how many were read (0 at or past the end).
    fn read_at(&self, path: &str, offset: u64, buf: &mut [u8]) -> Result<usize>;

    /// The whole file at `path`.
    fn read(&self, path: &str) -> Result<Vec<u8>> {
        let entry = self.stat(path)?;
        if entry.is_dir {
            return Err(FormatError::NotFound(format!("{path} (a directory)")));
        }
        let len = usize::try_from(entry.size)
            .map_err(|_| FormatError::Unsupported(format!("{path} is too large to read whole")))?;
        let mut buf = vec![0u8; len];
        let mut done = 0;
        while done < len {
            let n = self.read_at(path, done as u64, &mut buf[done..])?;
            if n == 0 {
                break;
            }
            done += n;
        }
        buf.truncate(done);
        Ok(buf)
    }

    /// Every file and directory below the root as (path with `\`, entry),
    /// depth first, sorted.
    fn walk(&self) -> Result<Vec<(String, DirEntry)>> {
        let mut out = Vec::new();
        let mut stack = vec![String::new()];
        while let Some(dir) = stack.pop() {
            let mut subdirs = Vec::new();
            for e in self.list(&dir)? {
                let path = if dir.is_empty() { e.name.clone() } else { format!("{dir}\\{}", e.name) };
                if e.is_dir {
                    subdirs.push(path.clone());
                }
                out.push((path, e));
            }
            stack.extend(subdirs.into_iter().rev());
        }
        out.sort_by_key(|(p, _)| p.to_ascii_lowercase());
        Ok(out)
    }
}

/// Splits a volume path into its components, refusing `..`.
pub fn split_path(path: &str) -> Result<Vec<&str>> {
    let mut parts = Vec::new();
    for part in path.split(['\\', '/']) {
        match part {
            "" | "." => {}
            ".." => return Err(FormatError::NotFound(format!("{path} (a path may not leave its volume)"))),
            p => parts.push(p),
        }
    }
    Ok(parts)
}

/// Opens `path` as a volume: a directory as a [`FolderVolume`], a file as a
/// [`GdfxVolume`].
pub fn open_volume(path: &Path) -> Result<Box<dyn Volume>> {
    let meta = std::fs::metadata(path).map_err(|e| FormatError::io(path, e))?;
    if meta.is_dir() {
        Ok(Box::new(FolderVolume::open(path)?))
    } else {
        Ok(Box::new(GdfxVolume::open(path)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_path_accepts_both_separators_and_drops_empty_parts() {
        assert_eq!(split_path("\\a/b\\\\c").unwrap(), vec!["a", "b", "c"]);
        assert!(split_path("").unwrap().is_empty());
    }

    #[test]
    fn split_path_refuses_parent_components() {
        assert!(matches!(split_path("a\\..\\..\\etc"), Err(FormatError::NotFound(_))));
    }
}

#[cfg(test)]
mod fixture_tests {
    use super::*;

    /// The committed disc and folder fixtures hold the same files.
    #[test]
    fn files_fixtures_disc_and_folder_agree() {
        let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/guest/bin");
        let disc = open_volume(&bin.join("files.iso")).expect("disc fixture opens");
        let folder = open_volume(&bin.join("files")).expect("folder fixture opens");
        let names = |v: &dyn Volume| v.walk().unwrap().into_iter().map(|(p, e)| (p, e.size)).collect::<Vec<_>>();
        assert_eq!(names(disc.as_ref()), names(folder.as_ref()));
        for path in ["default.xex", "DATA\\readme.txt", "data/numbers.bin", "data\\sub\\NESTED.TXT"] {
            assert_eq!(disc.read(path).unwrap(), folder.read(path).unwrap(), "{path}");
        }
        assert_eq!(disc.read("data\\readme.txt").unwrap(), b"Xenact test disc\n");
        assert_eq!(
            disc.read(DEFAULT_XEX).unwrap(),
            std::fs::read(bin.join("files.xex")).unwrap(),
            "default.xex is the files program"
        );
        assert!(folder.read("..\\files.xex").is_err());
    }
}
