//! A host folder used as a title volume (an extracted disc, or a folder with
//! `default.xex` and its data files). Names match ignoring ASCII case, as on
//! a disc, whatever the host file system does; `..` is refused and symbolic
//! links are not followed out of the folder.

use super::{split_path, DirEntry, Volume};
use crate::formats::{FormatError, Result};
use std::fs;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// A host folder as a volume.
#[derive(Debug, Clone)]
pub struct FolderVolume {
    root: PathBuf,
}

impl FolderVolume {
    /// Uses the directory at `root` as a volume.
    pub fn open(root: &Path) -> Result<FolderVolume> {
        let root = fs::canonicalize(root).map_err(|e| FormatError::io(root, e))?;
        if !root.is_dir() {
            return Err(FormatError::NotFound(format!("{} (not a directory)", root.display())));
        }
        Ok(FolderVolume { root })
    }

    /// The host directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The host path of a volume path, matching each component ignoring case.
    pub fn host_path(&self, path: &str) -> Result<PathBuf> {
        let mut host = self.root.clone();
        for part in split_path(path)? {
            let exact = host.join(part);
            let next = if fs::symlink_metadata(&exact).is_ok() {
                exact
            } else {
                let dir = fs::read_dir(&host).map_err(|_| FormatError::NotFound(path.to_string()))?;
                dir.filter_map(|e| e.ok())
                    .map(|e| e.file_name())
                    .filter(|n| n.to_str().is_some_and(|n| n.eq_ignore_ascii_case(part)))
                    .min()
                    .map(|n| host.join(n))
                    .ok_or_else(|| FormatError::NotFound(path.to_string()))?
            };
            let meta = fs::symlink_metadata(&next).map_err(|e| FormatError::io(&next, e))?;
            if meta.file_type().is_symlink() {
                let target = fs::canonicalize(&next).map_err(|e| FormatError::io(&next, e))?;
                if !target.starts_with(&self.root) {
                    return Err(FormatError::NotFound(format!("{path} (a link that leaves the volume)")));
                }
            }
            host = next;
        }
        Ok(host)
    }

    fn entry(name: String, meta: &fs::Metadata) -> DirEntry {
        DirEntry { name, is_dir: meta.is_dir(), size: if meta.is_dir() { 0 } else { meta.len() } }
    }
}

impl Volume for FolderVolume {
    fn describe(&self) -> String {
        format!("host folder {}", self.root.display())
    }

    fn stat(&self, path: &str) -> Result<DirEntry> {
        let host = self.host_path(path)?;
        let meta = fs::metadata(&host).map_err(|e| FormatError::io(&host, e))?;
        let name = host
            .file_name()
            .filter(|_| host != self.root)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Self::entry(name, &meta))
    }

    fn list(&self, path: &str) -> Result<Vec<DirEntry>> {
        let host = self.host_path(path)?;
        let dir = fs::read_dir(&host).map_err(|e| FormatError::io(&host, e))?;
        let mut out = Vec::new();
        for e in dir {
            let e = e.map_err(|e| FormatError::io(&host, e))?;
            let meta = fs::metadata(e.path()).map_err(|err| FormatError::io(e.path(), err))?;
            out.push(Self::entry(e.file_name().to_string_lossy().into_owned(), &meta));
        }
        out.sort_by_key(|e| e.name.to_ascii_lowercase());
        Ok(out)
    }

    fn read_at(&self, path: &str, offset: u64, buf: &mut [u8]) -> Result<usize> {
        let host = self.host_path(path)?;
        let file = fs::File::open(&host).map_err(|e| FormatError::io(&host, e))?;
        if file.metadata().map_err(|e| FormatError::io(&host, e))?.is_dir() {
            return Err(FormatError::NotFound(format!("{path} (a directory)")));
        }
        let mut done = 0;
        while done < buf.len() {
            let n = file.read_at(&mut buf[done..], offset + done as u64).map_err(|e| FormatError::io(&host, e))?;
            if n == 0 {
                break;
            }
            done += n;
        }
        Ok(done)
    }
}
