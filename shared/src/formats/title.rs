//! Opening a title the way `xenact run IMAGE` names it: a `.xex` file, a
//! folder holding `default.xex`, or a disc image holding `default.xex`.
//! The result is the parsed executable and the volume that becomes the
//! title's `game:` device (for a bare `.xex`, the folder it sits in).

use super::disc::{self, FolderVolume, Volume};
use super::xex::{self, XexFile, XEX2_MAGIC};
use super::{FormatError, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The executable a title boots.
pub const DEFAULT_XEX: &str = "default.xex";

/// Where a title came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TitleSource {
    /// A `.xex` file; `game:` is its folder.
    Xex(PathBuf),
    /// A folder holding `default.xex`.
    Folder(PathBuf),
    /// A disc image holding `default.xex`.
    Disc(PathBuf),
    /// The demo title built into Xenact.
    Embedded,
}

/// A title ready to load.
pub struct Title {
    pub source: TitleSource,
    pub executable: XexFile,
    /// The XEX header as stored (everything before the image data): the
    /// loader copies it into guest memory for `RtlImageXexHeaderField`.
    pub xex_header: Vec<u8>,
    /// The `game:` device.
    pub volume: Option<Box<dyn Volume>>,
}

/// Opens and parses the title at `path`.
pub fn open(path: &Path) -> Result<Title> {
    let meta = std::fs::metadata(path).map_err(|e| FormatError::io(path, e))?;
    if meta.is_dir() {
        let volume = FolderVolume::open(path)?;
        let bytes = volume.read(DEFAULT_XEX)?;
        let executable = xex::read(&bytes)?;
        let xex_header = header_of(&bytes, &executable);
        return Ok(Title {
            source: TitleSource::Folder(path.into()),
            executable,
            xex_header,
            volume: Some(Box::new(volume)),
        });
    }
    if starts_with_xex_magic(path)? {
        let bytes = std::fs::read(path).map_err(|e| FormatError::io(path, e))?;
        let executable = xex::read(&bytes)?;
        let xex_header = header_of(&bytes, &executable);
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let volume = FolderVolume::open(folder).ok().map(|v| Box::new(v) as Box<dyn Volume>);
        return Ok(Title { source: TitleSource::Xex(path.into()), executable, xex_header, volume });
    }
    let volume = disc::open_volume(path)?;
    let bytes = volume.read(DEFAULT_XEX)?;
    let executable = xex::read(&bytes)?;
    let xex_header = header_of(&bytes, &executable);
    Ok(Title { source: TitleSource::Disc(path.into()), executable, xex_header, volume: Some(volume) })
}

/// Parses a title held in memory (the embedded demo); it has no `game:` files.
pub fn from_bytes(bytes: &[u8]) -> Result<Title> {
    let executable = xex::read(bytes)?;
    let xex_header = header_of(bytes, &executable);
    Ok(Title { source: TitleSource::Embedded, executable, xex_header, volume: None })
}

/// The stored header: the bytes before the image data (the parser checked
/// that the data offset lies inside the file).
fn header_of(bytes: &[u8], executable: &XexFile) -> Vec<u8> {
    bytes[..(executable.xex.data_offset as usize).min(bytes.len())].to_vec()
}

fn starts_with_xex_magic(path: &Path) -> Result<bool> {
    let mut magic = [0u8; 4];
    let mut file = std::fs::File::open(path).map_err(|e| FormatError::io(path, e))?;
    match file.read_exact(&mut magic) {
        Ok(()) => Ok(u32::from_be_bytes(magic) == XEX2_MAGIC),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(FormatError::io(path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/guest/bin").join(name)
    }

    #[test]
    fn a_xex_a_folder_and_a_disc_all_open_to_their_default_xex() {
        let xex = open(&fixture("hello.xex")).unwrap();
        assert_eq!(xex.source, TitleSource::Xex(fixture("hello.xex")));
        let folder = open(&fixture("files")).unwrap();
        let disc = open(&fixture("files.iso")).unwrap();
        assert_eq!(folder.executable.image.data, disc.executable.image.data);
        assert!(folder.volume.unwrap().stat("DATA").is_ok());
        assert!(disc.volume.unwrap().stat("data").is_ok());
    }

    #[test]
    fn a_file_that_is_neither_is_an_error_naming_what_was_expected() {
        let err = open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).err().unwrap();
        assert!(err.to_string().contains("MICROSOFT*XBOX*MEDIA"), "{err}");
        assert!(open(Path::new("/nonexistent/game.iso")).is_err());
    }
}
