//! Import records: what a title imports and where the loader binds it.
//!
//! Each import library header lists guest addresses of records inside the
//! image. A record is a big-endian word `type << 24 | library << 16 | ordinal`
//! (xenia `XexModule::SetupLibraryImports`):
//!
//! - type 0, a *variable record*: a word the loader overwrites with the
//!   address of the export (for a function import, this is its slot in the
//!   import address table);
//! - type 1, a *thunk*: 16 bytes of code the loader rewrites so that calling
//!   it reaches the export. A thunk follows the variable record of the same
//!   ordinal; a function import therefore has both, a variable import only
//!   the first.

use super::{version_string, LoadedImage, Xex};
use crate::formats::{FormatError, Result};

/// Bytes of a function thunk.
pub const THUNK_SIZE: u32 = 16;

/// Record type of a variable record (top byte of the record word).
pub const RECORD_VARIABLE: u8 = 0;
/// Record type of a thunk.
pub const RECORD_THUNK: u8 = 1;

/// The record word for `kind` (0 or 1), library index and ordinal.
pub const fn record_word(kind: u8, library_index: u8, ordinal: u16) -> u32 {
    (kind as u32) << 24 | (library_index as u32) << 16 | ordinal as u32
}

/// One import: a function when it has a thunk, else a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Import {
    /// The export's ordinal in its library.
    pub ordinal: u16,
    /// Guest address of the variable record (the word the loader fills).
    pub record_address: u32,
    /// Guest address of the 16-byte thunk, for a function import.
    pub thunk_address: Option<u32>,
}

impl Import {
    /// Whether this import is a function (has a thunk).
    pub fn is_function(&self) -> bool {
        self.thunk_address.is_some()
    }
}

/// The imports of one library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLibraryRecords {
    /// The library's name as the title spells it, e.g. `xboxkrnl.exe`.
    pub name: String,
    /// The version the title was built against.
    pub version: u32,
    /// The oldest version it accepts.
    pub version_min: u32,
    /// The imports, in record order.
    pub imports: Vec<Import>,
}

impl ImportLibraryRecords {
    /// The version as `major.minor.build.qfe`.
    pub fn version_string(&self) -> String {
        version_string(self.version)
    }
}

impl Xex {
    /// Reads the import records of every import library from `image`.
    pub fn imports(&self, image: &LoadedImage) -> Result<Vec<ImportLibraryRecords>> {
        self.import_libraries
            .iter()
            .enumerate()
            .map(|(index, lib)| {
                let mut imports: Vec<Import> = Vec::with_capacity(lib.record_addresses.len());
                for &addr in &lib.record_addresses {
                    let word = image.read_u32(addr, "import record")?;
                    let ordinal = (word & 0xFFFF) as u16;
                    // Each record names its own library by index: a mismatch
                    // (a zeroed or overwritten record) is not an import.
                    if (word >> 16) & 0xFF != index as u32 {
                        return Err(FormatError::invalid(
                            "import record",
                            addr.into(),
                            format!(
                                "word {word:#010x} names library {}, not {} ({index})",
                                (word >> 16) & 0xFF,
                                lib.name
                            ),
                        ));
                    }
                    match (word >> 24) as u8 {
                        RECORD_VARIABLE => imports.push(Import { ordinal, record_address: addr, thunk_address: None }),
                        RECORD_THUNK => match imports.last_mut() {
                            Some(prev) if prev.ordinal == ordinal && prev.thunk_address.is_none() => {
                                prev.thunk_address = Some(addr)
                            }
                            _ => {
                                return Err(FormatError::invalid(
                                    "import record",
                                    addr.into(),
                                    format!(
                                        "thunk for ordinal {ordinal:#x} of {} does not follow its variable record",
                                        lib.name
                                    ),
                                ))
                            }
                        },
                        other => {
                            return Err(FormatError::invalid(
                                "import record",
                                addr.into(),
                                format!("record type {other} (word {word:#010x}) is neither 0 nor 1"),
                            ))
                        }
                    }
                }
                Ok(ImportLibraryRecords {
                    name: lib.name.clone(),
                    version: lib.version,
                    version_min: lib.version_min,
                    imports,
                })
            })
            .collect()
    }
}
