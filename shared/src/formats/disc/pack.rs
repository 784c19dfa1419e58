//! Writes GDFX disc images from a host folder, so the disc path has fixtures
//! the project made itself.
//!
//! The layout (see [`super::gdfx`] for the format): the game partition at
//! offset 0, the volume descriptor in sector 32, the directory tables from
//! sector 33 on (each directory's entries sorted ignoring case and stored as
//! a balanced binary tree, no entry crossing a sector, padding 0xFF), then
//! each file's data from a sector boundary. Nothing depends on the host's
//! timestamps or directory order, so the same folder gives the same bytes.

use super::gdfx::{ATTR_DIRECTORY, DESCRIPTOR_SECTOR, MAGIC, SECTOR_SIZE};
use crate::formats::{FormatError, Result};
use std::path::Path;

/// A file or directory to put on a disc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackNode {
    File { name: String, data: Vec<u8> },
    Dir { name: String, children: Vec<PackNode> },
}

impl PackNode {
    fn name(&self) -> &str {
        match self {
            PackNode::File { name, .. } | PackNode::Dir { name, .. } => name,
        }
    }
}

/// Reads the host folder `dir` into a tree, sorted by name.
pub fn read_host_tree(dir: &Path) -> Result<Vec<PackNode>> {
    let mut nodes = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| FormatError::io(dir, e))?;
    for e in entries {
        let e = e.map_err(|e| FormatError::io(dir, e))?;
        let path = e.path();
        let name = e
            .file_name()
            .into_string()
            .map_err(|_| FormatError::Pack(format!("{} is not a UTF-8 name", path.display())))?;
        let meta = std::fs::metadata(&path).map_err(|e| FormatError::io(&path, e))?;
        nodes.push(if meta.is_dir() {
            PackNode::Dir { name, children: read_host_tree(&path)? }
        } else {
            PackNode::File { name, data: std::fs::read(&path).map_err(|e| FormatError::io(&path, e))? }
        });
    }
    nodes.sort_by(|a, b| a.name().cmp(b.name()));
    Ok(nodes)
}

/// Packs the host folder `dir` into the disc image file `out`.
pub fn pack_dir(dir: &Path, out: &Path) -> Result<()> {
    let image = pack_tree(&read_host_tree(dir)?)?;
    std::fs::write(out, image).map_err(|e| FormatError::io(out, e))
}

/// A directory being laid out: its sorted children and its table's place.
struct DirLayout<'a> {
    children: Vec<&'a PackNode>,
    /// Index into the arena of each child directory (None for files).
    child_dirs: Vec<Option<usize>>,
    table_size: u32,
    sector: u32,
}

/// Builds a disc image holding `root`'s entries.
pub fn pack_tree(root: &[PackNode]) -> Result<Vec<u8>> {
    // Gather every directory breadth first.
    let mut dirs: Vec<DirLayout<'_>> = Vec::new();
    let mut queue: Vec<&[PackNode]> = vec![root];
    let mut i = 0;
    while i < queue.len() {
        let mut children: Vec<&PackNode> = queue[i].iter().collect();
        children.sort_by_key(|c| c.name().to_ascii_uppercase());
        for pair in children.windows(2) {
            if pair[0].name().eq_ignore_ascii_case(pair[1].name()) {
                return Err(FormatError::Pack(format!(
                    "{} and {} differ only in case",
                    pair[0].name(),
                    pair[1].name()
                )));
            }
        }
        let mut child_dirs = Vec::with_capacity(children.len());
        for c in &children {
            if c.name().is_empty() || c.name().len() > 255 {
                return Err(FormatError::Pack(format!("name {:?} must be 1 to 255 bytes", c.name())));
            }
            match c {
                PackNode::Dir { children, .. } => {
                    queue.push(children);
                    child_dirs.push(Some(queue.len() - 1));
                }
                PackNode::File { .. } => child_dirs.push(None),
            }
        }
        let table_size = table_layout(&children)?.1;
        dirs.push(DirLayout { children, child_dirs, table_size, sector: 0 });
        i += 1;
    }

    // Allocate the tables, then the files.
    let mut next_sector = (DESCRIPTOR_SECTOR + 1) as u32;
    for d in dirs.iter_mut() {
        if d.table_size > 0 {
            d.sector = next_sector;
            next_sector = sectors_after(next_sector, u64::from(d.table_size))?;
        }
    }
    let mut file_sectors: Vec<Vec<u32>> = Vec::with_capacity(dirs.len());
    for d in &dirs {
        let mut sectors = Vec::with_capacity(d.children.len());
        for c in &d.children {
            match c {
                PackNode::File { data, .. } if !data.is_empty() => {
                    sectors.push(next_sector);
                    next_sector = sectors_after(next_sector, data.len() as u64)?;
                }
                _ => sectors.push(0),
            }
        }
        file_sectors.push(sectors);
    }

    let mut image = vec![0u8; (u64::from(next_sector) * SECTOR_SIZE) as usize];
    let descriptor = (DESCRIPTOR_SECTOR * SECTOR_SIZE) as usize;
    image[descriptor..descriptor + 20].copy_from_slice(MAGIC);
    image[descriptor + 20..descriptor + 24].copy_from_slice(&dirs[0].sector.to_le_bytes());
    image[descriptor + 24..descriptor + 28].copy_from_slice(&dirs[0].table_size.to_le_bytes());
    let tail = descriptor + SECTOR_SIZE as usize - 20;
    image[tail..tail + 20].copy_from_slice(MAGIC);

    for (d, sectors) in dirs.iter().zip(&file_sectors) {
        if d.table_size == 0 {
            continue;
        }
        let (placed, size) = table_layout(&d.children)?;
        let start = (u64::from(d.sector) * SECTOR_SIZE) as usize;
        let table = &mut image[start..start + size as usize];
        table.fill(0xFF);
        for p in &placed {
            let child = d.children[p.index];
            let (sector, size, attributes) = match (child, d.child_dirs[p.index]) {
                (PackNode::Dir { .. }, Some(dir)) => (dirs[dir].sector, dirs[dir].table_size, ATTR_DIRECTORY),
                (PackNode::File { data, .. }, _) => (sectors[p.index], data.len() as u32, 0),
                (PackNode::Dir { .. }, None) => unreachable!("every directory child has a layout"),
            };
            let e = &mut table[p.offset..p.offset + entry_len(child.name())];
            e[0..2].copy_from_slice(&p.left.to_le_bytes());
            e[2..4].copy_from_slice(&p.right.to_le_bytes());
            e[4..8].copy_from_slice(&sector.to_le_bytes());
            e[8..12].copy_from_slice(&size.to_le_bytes());
            e[12] = attributes;
            e[13] = child.name().len() as u8;
            e[14..14 + child.name().len()].copy_from_slice(child.name().as_bytes());
            e[14 + child.name().len()..].fill(0xFF);
        }
        for (c, &sector) in d.children.iter().zip(sectors) {
            if let PackNode::File { data, .. } = c {
                let at = (u64::from(sector) * SECTOR_SIZE) as usize;
                image[at..at + data.len()].copy_from_slice(data);
            }
        }
    }
    Ok(image)
}

fn sectors_after(sector: u32, bytes: u64) -> Result<u32> {
    u32::try_from(u64::from(sector) + bytes.div_ceil(SECTOR_SIZE))
        .map_err(|_| FormatError::Pack("the disc would be larger than 2^32 sectors".into()))
}

fn entry_len(name: &str) -> usize {
    (14 + name.len()).next_multiple_of(4)
}

/// Where one entry goes in its directory table.
struct Placed {
    index: usize,
    offset: usize,
    left: u16,
    right: u16,
}

/// Places `children` (sorted) as a balanced tree in pre-order; returns the
/// placements and the table size rounded up to a sector (0 when empty).
fn table_layout(children: &[&PackNode]) -> Result<(Vec<Placed>, u32)> {
    // Pre-order of a balanced tree over the sorted range.
    let mut order: Vec<(usize, Option<usize>, Option<usize>)> = Vec::new();
    fn visit(lo: usize, hi: usize, order: &mut Vec<(usize, Option<usize>, Option<usize>)>) -> Option<usize> {
        if lo >= hi {
            return None;
        }
        let mid = lo + (hi - lo) / 2;
        let slot = order.len();
        order.push((mid, None, None));
        let left = visit(lo, mid, order);
        let right = visit(mid + 1, hi, order);
        order[slot].1 = left;
        order[slot].2 = right;
        Some(slot)
    }
    visit(0, children.len(), &mut order);

    let sector = SECTOR_SIZE as usize;
    let mut offsets = Vec::with_capacity(order.len());
    let mut at = 0usize;
    for &(index, _, _) in &order {
        let len = entry_len(children[index].name());
        if at % sector + len > sector {
            at = at.next_multiple_of(sector);
        }
        offsets.push(at);
        at += len;
    }
    if at / 4 > usize::from(u16::MAX) {
        return Err(FormatError::Pack("a directory has too many entries for GDFX".into()));
    }
    let placed = order
        .iter()
        .zip(&offsets)
        .map(|(&(index, l, r), &offset)| Placed {
            index,
            offset,
            left: l.map_or(0, |s| (offsets[s] / 4) as u16),
            right: r.map_or(0, |s| (offsets[s] / 4) as u16),
        })
        .collect();
    Ok((placed, at.next_multiple_of(sector) as u32))
}

#[cfg(test)]
mod tests {
    use super::super::gdfx::GdfxVolume;
    use super::super::Volume;
    use super::*;

    fn file(name: &str, data: &[u8]) -> PackNode {
        PackNode::File { name: name.into(), data: data.to_vec() }
    }

    fn sample() -> Vec<PackNode> {
        let mut many: Vec<PackNode> =
            (0..200).map(|i| file(&format!("file_with_a_long_name_{i:03}.bin"), &[i as u8; 3])).collect();
        many.push(PackNode::Dir { name: "Empty".into(), children: vec![] });
        vec![
            file("default.xex", b"XEX2 not really"),
            file("empty.txt", b""),
            PackNode::Dir {
                name: "Media".into(),
                children: vec![
                    file("Hello.TXT", b"hello from the disc\n"),
                    PackNode::Dir { name: "deep".into(), children: many },
                ],
            },
        ]
    }

    fn volume(image: Vec<u8>) -> GdfxVolume {
        GdfxVolume::from_source(Box::new(image), "test.iso".into()).expect("packed image reads")
    }

    #[test]
    fn packed_disc_reads_back_files_ignoring_case() {
        let v = volume(pack_tree(&sample()).unwrap());
        assert_eq!(v.read("DEFAULT.XEX").unwrap(), b"XEX2 not really");
        assert_eq!(v.read("media\\hello.txt").unwrap(), b"hello from the disc\n");
        assert_eq!(v.read("/Media/Hello.TXT").unwrap(), b"hello from the disc\n");
        assert_eq!(v.read("empty.txt").unwrap(), b"");
        assert_eq!(v.read("media/deep/file_with_a_long_name_150.bin").unwrap(), [150u8; 3]);
    }

    #[test]
    fn packed_disc_lists_every_entry_once() {
        let v = volume(pack_tree(&sample()).unwrap());
        let deep = v.list("Media\\deep").unwrap();
        assert_eq!(deep.len(), 201);
        assert!(deep.iter().any(|e| e.name == "Empty" && e.is_dir));
        assert!(v.list("Media\\deep\\Empty").unwrap().is_empty());
        let all = v.walk().unwrap();
        assert_eq!(all.len(), 3 + 2 + 201);
    }

    #[test]
    fn missing_and_escaping_paths_are_not_found() {
        let v = volume(pack_tree(&sample()).unwrap());
        assert!(matches!(v.read("nope.bin"), Err(FormatError::NotFound(_))));
        assert!(matches!(v.read("Media\\..\\..\\x"), Err(FormatError::NotFound(_))));
    }

    #[test]
    fn packing_is_deterministic() {
        assert_eq!(pack_tree(&sample()).unwrap(), pack_tree(&sample()).unwrap());
    }

    #[test]
    fn names_differing_only_in_case_are_refused() {
        let err = pack_tree(&[file("a", b"1"), file("A", b"2")]).unwrap_err();
        assert!(matches!(err, FormatError::Pack(_)));
    }

    #[test]
    fn truncated_or_corrupt_disc_gives_errors_not_panics() {
        let image = pack_tree(&sample()).unwrap();
        for cut in [0, 100, 0x10000, 0x10800, image.len() - SECTOR_SIZE as usize] {
            assert!(GdfxVolume::from_source(Box::new(image[..cut].to_vec()), "t".into()).is_err());
        }
        // Make the root's left child its own left child: a loop.
        let mut looped = image.clone();
        let root = 33 * SECTOR_SIZE as usize;
        let left = u16::from_le_bytes([looped[root], looped[root + 1]]);
        let child = root + usize::from(left) * 4;
        looped[child..child + 2].copy_from_slice(&left.to_le_bytes());
        assert!(GdfxVolume::from_source(Box::new(looped), "t".into()).is_err());
        let mut bad = image;
        bad[root + 8..root + 12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(GdfxVolume::from_source(Box::new(bad), "t".into()).is_err());
    }
}
