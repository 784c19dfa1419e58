//! GDFX (XISO) disc images.
//!
//! Facts from xenia `src/xenia/vfs/devices/disc_image_device.cc`: sectors
//! are 2 KiB; the game partition starts at one of a few known byte offsets
//! ([`PARTITION_OFFSETS`]); sector 32 of the partition holds the volume
//! descriptor (magic `MICROSOFT*XBOX*MEDIA`, then the root directory's
//! sector and size as little-endian u32 at offsets 20 and 24). A directory
//! is a table of entries forming a binary tree: each entry is
//!
//! ```text
//! u16 left, u16 right   offsets of the child entries in 4-byte units (0: none)
//! u32 sector            of the file data or of the subdirectory's table
//! u32 size              in bytes
//! u8  attributes        0x10: directory
//! u8  name length, then the name
//! ```
//!
//! all little-endian, starting at offset 0 of the table.

use super::{split_path, DirEntry, Volume};
use crate::formats::bytes::Bytes;
use crate::formats::{FormatError, Result};
use std::collections::HashSet;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

/// Bytes per sector.
pub const SECTOR_SIZE: u64 = 0x800;
/// Sector of the volume descriptor, relative to the partition.
pub const DESCRIPTOR_SECTOR: u64 = 32;
/// The volume descriptor magic.
pub const MAGIC: &[u8; 20] = b"MICROSOFT*XBOX*MEDIA";
/// Byte offsets where game partitions start (xenia `likely_offsets`).
pub const PARTITION_OFFSETS: [u64; 5] = [0x0000_0000, 0x0000_FB20, 0x0002_0600, 0x0208_0000, 0x0FD9_0000];
/// Attribute bit of directories.
pub const ATTR_DIRECTORY: u8 = 0x10;
/// Largest directory table read (xenia refuses larger roots).
pub const MAX_TABLE_SIZE: u32 = 32 << 20;
/// Most entries a disc may hold in all; guards against looping tables.
const MAX_ENTRIES: usize = 1 << 20;

/// Where a disc image's bytes come from.
pub trait Source: Send + Sync {
    /// Total length in bytes.
    fn len(&self) -> u64;
    /// Whether the source is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Fills `buf` from `offset`; fails if that runs past the end.
    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<()>;
}

impl Source for Vec<u8> {
    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }
    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let src = start
            .checked_add(buf.len())
            .and_then(|end| self.get(start..end))
            .ok_or(std::io::ErrorKind::UnexpectedEof)?;
        buf.copy_from_slice(src);
        Ok(())
    }
}

struct FileSource {
    file: File,
    len: u64,
}

impl Source for FileSource {
    fn len(&self) -> u64 {
        self.len
    }
    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        FileExt::read_exact_at(&self.file, buf, offset)
    }
}

#[derive(Debug, Clone)]
struct Node {
    entry: DirEntry,
    /// Absolute byte offset of the file data.
    data_offset: u64,
    children: Vec<Node>,
}

/// A GDFX disc image, its directory tree read at open.
pub struct GdfxVolume {
    source: Box<dyn Source>,
    name: String,
    partition_offset: u64,
    root: Node,
}

impl GdfxVolume {
    /// Opens the disc image file at `path`.
    pub fn open(path: &Path) -> Result<GdfxVolume> {
        let file = File::open(path).map_err(|e| FormatError::io(path, e))?;
        let len = file.metadata().map_err(|e| FormatError::io(path, e))?.len();
        Self::from_source(Box::new(FileSource { file, len }), path.display().to_string())
    }

    /// Reads a disc image from any source (`name` is for messages).
    pub fn from_source(source: Box<dyn Source>, name: String) -> Result<GdfxVolume> {
        let partition_offset = PARTITION_OFFSETS
            .iter()
            .copied()
            .find(|&p| {
                let mut magic = [0u8; 20];
                source.read_exact_at(p + DESCRIPTOR_SECTOR * SECTOR_SIZE, &mut magic).is_ok() && &magic == MAGIC
            })
            .ok_or_else(|| {
                FormatError::invalid(
                    "GDFX volume descriptor",
                    DESCRIPTOR_SECTOR * SECTOR_SIZE,
                    "no MICROSOFT*XBOX*MEDIA magic at any known partition offset (not an Xbox 360 disc image)",
                )
            })?;
        let descriptor_at = partition_offset + DESCRIPTOR_SECTOR * SECTOR_SIZE;
        let mut descriptor = [0u8; 28];
        source.read_exact_at(descriptor_at, &mut descriptor).map_err(|_| FormatError::Truncated {
            field: "GDFX volume descriptor",
            offset: descriptor_at,
            len: source.len(),
        })?;
        let d = Bytes::at(&descriptor, descriptor_at);
        let root_sector = d.le_u32(20, "GDFX root directory sector")?;
        let root_size = d.le_u32(24, "GDFX root directory size")?;

        let mut volume = GdfxVolume {
            source,
            name,
            partition_offset,
            root: Node {
                entry: DirEntry { name: String::new(), is_dir: true, size: 0 },
                data_offset: 0,
                children: Vec::new(),
            },
        };
        let mut budget = MAX_ENTRIES;
        let mut visited = HashSet::new();
        volume.root.children =
            volume.read_directory(root_sector, root_size, descriptor_at + 20, &mut visited, &mut budget)?;
        Ok(volume)
    }

    /// Byte offset of the game partition in the image.
    pub fn partition_offset(&self) -> u64 {
        self.partition_offset
    }

    fn sector_offset(&self, sector: u32) -> u64 {
        self.partition_offset + u64::from(sector) * SECTOR_SIZE
    }

    /// Reads the directory table at `sector` and, recursively, its subdirectories.
    fn read_directory(
        &self,
        sector: u32,
        size: u32,
        field_offset: u64,
        visited: &mut HashSet<u32>,
        budget: &mut usize,
    ) -> Result<Vec<Node>> {
        if size == 0 {
            return Ok(Vec::new());
        }
        if size > MAX_TABLE_SIZE {
            return Err(FormatError::invalid(
                "GDFX directory size",
                field_offset,
                format!("{size:#x} is larger than {MAX_TABLE_SIZE:#x}"),
            ));
        }
        if !visited.insert(sector) {
            return Err(FormatError::invalid(
                "GDFX directory sector",
                field_offset,
                format!("sector {sector:#x} is used by two directories (a loop)"),
            ));
        }
        let table_at = self.sector_offset(sector);
        let mut table = vec![0u8; size as usize];
        self.source.read_exact_at(table_at, &mut table).map_err(|_| FormatError::Truncated {
            field: "GDFX directory table",
            offset: table_at,
            len: self.source.len(),
        })?;
        let t = Bytes::at(&table, table_at);

        // Walk the binary tree with an explicit stack (tables come from the
        // file, so depth and loops are bounded here, not by the host stack).
        let mut nodes = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![0usize];
        while let Some(at) = stack.pop() {
            if !seen.insert(at) {
                return Err(FormatError::invalid(
                    "GDFX directory entry",
                    t.file_offset(at),
                    "the entry tree loops back on itself",
                ));
            }
            *budget = budget
                .checked_sub(1)
                .ok_or_else(|| FormatError::invalid("GDFX directory entry", t.file_offset(at), "too many entries"))?;
            let left = usize::from(t.le_u16(at, "GDFX entry left child")?) * 4;
            let right = usize::from(t.le_u16(at + 2, "GDFX entry right child")?) * 4;
            let entry_sector = t.le_u32(at + 4, "GDFX entry sector")?;
            let entry_size = t.le_u32(at + 8, "GDFX entry size")?;
            let attributes = t.u8(at + 12, "GDFX entry attributes")?;
            let name_len = usize::from(t.u8(at + 13, "GDFX entry name length")?);
            let name_bytes = t.slice(at + 14, name_len, "GDFX entry name")?;
            let name = String::from_utf8_lossy(name_bytes).into_owned();
            let is_dir = attributes & ATTR_DIRECTORY != 0;
            let children = if is_dir {
                self.read_directory(entry_sector, entry_size, t.file_offset(at + 4), visited, budget)?
            } else {
                Vec::new()
            };
            let data_offset = self.sector_offset(entry_sector);
            if !is_dir && data_offset.saturating_add(u64::from(entry_size)) > self.source.len() {
                return Err(FormatError::invalid(
                    "GDFX entry size",
                    t.file_offset(at + 8),
                    format!("{name}: {entry_size:#x} bytes at {data_offset:#x} run past the image"),
                ));
            }
            nodes.push(Node {
                entry: DirEntry { name, is_dir, size: if is_dir { 0 } else { u64::from(entry_size) } },
                data_offset,
                children,
            });
            if right != 0 {
                stack.push(right);
            }
            if left != 0 {
                stack.push(left);
            }
        }
        nodes.sort_by_key(|n| n.entry.name.to_ascii_lowercase());
        Ok(nodes)
    }

    fn find(&self, path: &str) -> Result<&Node> {
        let mut node = &self.root;
        for part in split_path(path)? {
            node = node
                .children
                .iter()
                .find(|c| c.entry.name.eq_ignore_ascii_case(part))
                .ok_or_else(|| FormatError::NotFound(path.to_string()))?;
        }
        Ok(node)
    }
}

impl Volume for GdfxVolume {
    fn describe(&self) -> String {
        format!("GDFX disc image {} (game partition at {:#x})", self.name, self.partition_offset)
    }

    fn stat(&self, path: &str) -> Result<DirEntry> {
        Ok(self.find(path)?.entry.clone())
    }

    fn list(&self, path: &str) -> Result<Vec<DirEntry>> {
        let node = self.find(path)?;
        if !node.entry.is_dir {
            return Err(FormatError::NotFound(format!("{path} (not a directory)")));
        }
        Ok(node.children.iter().map(|c| c.entry.clone()).collect())
    }

    fn read_at(&self, path: &str, offset: u64, buf: &mut [u8]) -> Result<usize> {
        let node = self.find(path)?;
        if node.entry.is_dir {
            return Err(FormatError::NotFound(format!("{path} (a directory)")));
        }
        let available = node.entry.size.saturating_sub(offset);
        let n = (buf.len() as u64).min(available) as usize;
        if n == 0 {
            return Ok(0);
        }
        let at = node.data_offset + offset;
        self.source
            .read_exact_at(at, &mut buf[..n])
            .map_err(|e| FormatError::io(format!("{}@{at:#x}", self.name), e))?;
        Ok(n)
    }
}
