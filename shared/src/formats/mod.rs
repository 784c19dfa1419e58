//! Title file formats: XEX2 executables and Xbox 360 disc images.
//!
//! - [`xex`]: the XEX2 reader (headers, optional headers, security info,
//!   decryption, decompression, the loaded image and its import records)
//!   and [`xex::pack`], the packer that builds XEX2 files from PowerPC ELFs.
//! - [`disc`]: the GDFX (XISO) reader, the host-folder volume that behaves
//!   the same, and [`disc::pack`], the disc-image packer used for fixtures.
//! - [`title`]: opening a title by path (a `.xex`, a folder or a disc image).
//! - [`elf`]: the small ELF32 big-endian reader the packer needs.
//! - [`bytes`]: checked reads used by every parser here, so that a malformed
//!   file becomes a [`FormatError`] naming the field and its offset.
//!
//! Nothing in this module panics on malformed input: every read is checked.
//!
//! The XEX2 reader is Xenact's own rather than the `xex2` crate's: the loader
//! needs checked reads that name the failing field and offset, the packer
//! needs the same structures to write, and both fit in a few hundred lines on
//! top of `aes`, `sha1`, `lzxd` and `lzxc`.

pub mod bytes;
pub mod disc;
pub mod elf;
pub mod title;
pub mod xex;

use std::path::PathBuf;

/// Why a title file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// A field lies partly or wholly past the end of the data.
    #[error("{field} at offset {offset:#x} runs past the end of the data ({len:#x} bytes)")]
    Truncated { field: &'static str, offset: u64, len: u64 },
    /// A magic number or signature did not match.
    #[error("{field} at offset {offset:#x} is {found}, expected {expected}")]
    BadMagic { field: &'static str, offset: u64, found: String, expected: &'static str },
    /// A field holds a value the format does not allow.
    #[error("{field} at offset {offset:#x}: {reason}")]
    Invalid { field: &'static str, offset: u64, reason: String },
    /// The file uses a feature Xenact does not read (for example delta patches).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// Neither the retail nor the devkit key decrypts the image.
    #[error("the image does not decrypt with the retail or the devkit key")]
    NoKeyFits,
    /// A file or directory on a disc or folder does not exist.
    #[error("no such file or directory: {0}")]
    NotFound(String),
    /// The input to a packer cannot be packed.
    #[error("cannot pack: {0}")]
    Pack(String),
    /// The host file system failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl FormatError {
    /// An [`FormatError::Invalid`] with a formatted reason.
    pub fn invalid(field: &'static str, offset: u64, reason: impl Into<String>) -> Self {
        FormatError::Invalid { field, offset, reason: reason.into() }
    }

    /// An [`FormatError::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        FormatError::Io { path: path.into(), source }
    }
}

/// Result of the format readers and packers.
pub type Result<T, E = FormatError> = std::result::Result<T, E>;
