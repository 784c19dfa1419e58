//! XEX2, the Xbox 360 executable format.
//!
//! A XEX2 file is a big-endian header (magic, module flags, the offset of the
//! data region, the offset of the security info, and a table of optional
//! headers keyed by a 32-bit id) followed by the data region: the loaded image
//! (a PE image), possibly encrypted and possibly compressed.
//!
//! - this module: [`Xex::parse`] reads the headers into [`Xex`];
//! - [`image`]: [`Xex::load_image`] decrypts and decompresses the image;
//! - [`imports`]: [`Xex::imports`] reads the import records from an image;
//! - [`pe`]: the PE section table inside an image;
//! - [`crypto`]: keys and AES;
//! - [`pack`]: builds XEX2 files from PowerPC ELFs.
//!
//! Field offsets and header keys are facts from xenia
//! `src/xenia/kernel/util/xex2_info.h`; the loading rules (key derivation,
//! compression framing, import records) from xenia `src/xenia/cpu/xex_module.cc`.

pub mod crypto;
pub mod image;
pub mod imports;
pub mod pack;
pub mod pe;

#[cfg(test)]
mod tests;

use super::bytes::Bytes;
use super::{FormatError, Result};

pub use crypto::KeyKind;
pub use image::LoadedImage;
pub use imports::{Import, ImportLibraryRecords};

/// `XEX2` as a big-endian u32.
pub const XEX2_MAGIC: u32 = 0x5845_5832;
/// `XEX1`, the older format (recognised, not read).
pub const XEX1_MAGIC: u32 = 0x5845_5831;

/// Keys of the optional headers (xenia `xex2_header_keys`). The low byte
/// tells where the value is: 0x00 or 0x01, in the table entry itself; 0xFF,
/// at an offset, with its byte size in its first u32; any other n, at an
/// offset, n u32 words long.
pub mod key {
    pub const RESOURCE_INFO: u32 = 0x0000_02FF;
    pub const FILE_FORMAT_INFO: u32 = 0x0000_03FF;
    pub const DELTA_PATCH_DESCRIPTOR: u32 = 0x0000_05FF;
    pub const BASE_REFERENCE: u32 = 0x0000_0405;
    pub const BOUNDING_PATH: u32 = 0x0000_80FF;
    pub const DEVICE_ID: u32 = 0x0000_8105;
    pub const ORIGINAL_BASE_ADDRESS: u32 = 0x0001_0001;
    pub const ENTRY_POINT: u32 = 0x0001_0100;
    pub const IMAGE_BASE_ADDRESS: u32 = 0x0001_0201;
    pub const IMPORT_LIBRARIES: u32 = 0x0001_03FF;
    pub const CHECKSUM_TIMESTAMP: u32 = 0x0001_8002;
    pub const ENABLED_FOR_CALLCAP: u32 = 0x0001_8102;
    pub const ENABLED_FOR_FASTCAP: u32 = 0x0001_8200;
    pub const ORIGINAL_PE_NAME: u32 = 0x0001_83FF;
    pub const STATIC_LIBRARIES: u32 = 0x0002_00FF;
    pub const TLS_INFO: u32 = 0x0002_0104;
    pub const DEFAULT_STACK_SIZE: u32 = 0x0002_0200;
    pub const DEFAULT_FILESYSTEM_CACHE_SIZE: u32 = 0x0002_0301;
    pub const DEFAULT_HEAP_SIZE: u32 = 0x0002_0401;
    pub const PAGE_HEAP_SIZE_AND_FLAGS: u32 = 0x0002_8002;
    pub const SYSTEM_FLAGS: u32 = 0x0003_0000;
    pub const EXECUTION_INFO: u32 = 0x0004_0006;
    pub const TITLE_WORKSPACE_SIZE: u32 = 0x0004_0201;
    pub const GAME_RATINGS: u32 = 0x0004_0310;
    pub const LAN_KEY: u32 = 0x0004_0404;
    pub const XBOX360_LOGO: u32 = 0x0004_05FF;
    pub const MULTIDISC_MEDIA_IDS: u32 = 0x0004_06FF;
    pub const ALTERNATE_TITLE_IDS: u32 = 0x0004_07FF;
    pub const ADDITIONAL_TITLE_MEMORY: u32 = 0x0004_0801;
    pub const EXPORTS_BY_NAME: u32 = 0x00E1_0402;

    /// A readable name for a key, for `xenact info`.
    pub fn name(key: u32) -> Option<&'static str> {
        Some(match key {
            RESOURCE_INFO => "resource info",
            FILE_FORMAT_INFO => "file format info",
            DELTA_PATCH_DESCRIPTOR => "delta patch descriptor",
            BASE_REFERENCE => "base reference",
            BOUNDING_PATH => "bounding path",
            DEVICE_ID => "device id",
            ORIGINAL_BASE_ADDRESS => "original base address",
            ENTRY_POINT => "entry point",
            IMAGE_BASE_ADDRESS => "image base address",
            IMPORT_LIBRARIES => "import libraries",
            CHECKSUM_TIMESTAMP => "checksum and timestamp",
            ENABLED_FOR_CALLCAP => "enabled for callcap",
            ENABLED_FOR_FASTCAP => "enabled for fastcap",
            ORIGINAL_PE_NAME => "original PE name",
            STATIC_LIBRARIES => "static libraries",
            TLS_INFO => "TLS info",
            DEFAULT_STACK_SIZE => "default stack size",
            DEFAULT_FILESYSTEM_CACHE_SIZE => "default file system cache size",
            DEFAULT_HEAP_SIZE => "default heap size",
            PAGE_HEAP_SIZE_AND_FLAGS => "page heap size and flags",
            SYSTEM_FLAGS => "system flags",
            EXECUTION_INFO => "execution info",
            TITLE_WORKSPACE_SIZE => "title workspace size",
            GAME_RATINGS => "game ratings",
            LAN_KEY => "LAN key",
            XBOX360_LOGO => "Xbox 360 logo",
            MULTIDISC_MEDIA_IDS => "multi-disc media ids",
            ALTERNATE_TITLE_IDS => "alternate title ids",
            ADDITIONAL_TITLE_MEMORY => "additional title memory",
            EXPORTS_BY_NAME => "exports by name",
            _ => return None,
        })
    }
}

/// Module flags (header offset 0x4), xenia `xex2_module_flags`.
pub mod module_flags {
    pub const TITLE: u32 = 0x0000_0001;
    pub const EXPORTS_TO_TITLE: u32 = 0x0000_0002;
    pub const SYSTEM_DEBUGGER: u32 = 0x0000_0004;
    pub const DLL_MODULE: u32 = 0x0000_0008;
    pub const MODULE_PATCH: u32 = 0x0000_0010;
    pub const PATCH_FULL: u32 = 0x0000_0020;
    pub const PATCH_DELTA: u32 = 0x0000_0040;
    pub const USER_MODE: u32 = 0x0000_0080;
}

/// Image flags bit that selects 4 KiB pages (else 64 KiB), xenia
/// `XEX_IMAGE_PAGE_SIZE_4KB`.
pub const IMAGE_FLAG_PAGE_SIZE_4KB: u32 = 0x1000_0000;

/// One entry of the optional header table with the bytes it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionalHeader {
    /// The key.
    pub key: u32,
    /// The raw value field: the value itself, or the data's offset.
    pub value: u32,
    /// The header's data: the 4 value bytes when stored inline, else the
    /// bytes at the offset (including a leading size word for 0xFF keys).
    pub data: Vec<u8>,
    /// File offset of `data`.
    pub data_offset: u64,
}

impl OptionalHeader {
    /// Whether the value is stored in the table entry itself.
    pub fn is_inline(&self) -> bool {
        self.key & 0xFF <= 1
    }
}

/// How the data region is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encryption {
    /// Plain.
    None,
    /// AES-128-CBC under the session key.
    Normal,
}

/// One run of a basic-compressed image: `data_size` bytes stored in the
/// file, then `zero_size` zero bytes that are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicBlock {
    pub data_size: u32,
    pub zero_size: u32,
}

/// Size and SHA-1 of a block of a normal-compressed data region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockInfo {
    pub size: u32,
    pub sha1: [u8; 20],
}

/// How the data region is compressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compression {
    /// The image as it is.
    None,
    /// Runs of stored bytes and zero fill.
    Basic(Vec<BasicBlock>),
    /// LZX in a chain of hashed blocks.
    Normal { window_size: u32, first_block: BlockInfo },
    /// A delta patch against another XEX (read, not applied).
    Delta,
}

/// The file format info optional header (key 0x3FF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFormat {
    pub encryption: Encryption,
    pub compression: Compression,
}

/// The execution info optional header (key 0x40006), xenia
/// `xex2_opt_execution_info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExecutionInfo {
    pub media_id: u32,
    pub version: u32,
    pub base_version: u32,
    pub title_id: u32,
    pub platform: u8,
    pub executable_table: u8,
    pub disc_number: u8,
    pub disc_count: u8,
    pub savegame_id: u32,
}

/// The TLS info optional header (key 0x20104), xenia `xex2_opt_tls_info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TlsInfo {
    pub slot_count: u32,
    pub raw_data_address: u32,
    pub data_size: u32,
    pub raw_data_size: u32,
}

/// One entry of the resource info optional header (key 0x2FF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub name: String,
    pub address: u32,
    pub size: u32,
}

/// One entry of the static libraries optional header (key 0x200FF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticLibrary {
    pub name: String,
    pub major: u16,
    pub minor: u16,
    pub build: u16,
    pub qfe: u8,
    pub approval: u8,
}

/// One library of the import libraries optional header (key 0x103FF),
/// xenia `xex2_import_library`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLibrary {
    pub name: String,
    pub id: u32,
    pub version: u32,
    pub version_min: u32,
    pub digest: [u8; 20],
    /// Guest addresses of the import records (see [`imports`]).
    pub record_addresses: Vec<u32>,
}

/// What a page run of the image holds (low 4 bits of a page descriptor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Code,
    Data,
    ReadOnlyData,
    /// A value outside 1..=3.
    Other(u8),
}

impl SectionKind {
    /// From the descriptor's low 4 bits (xenia `xex2_section_type`).
    pub fn from_bits(bits: u8) -> Self {
        match bits {
            1 => SectionKind::Code,
            2 => SectionKind::Data,
            3 => SectionKind::ReadOnlyData,
            other => SectionKind::Other(other),
        }
    }

    /// The descriptor's low 4 bits.
    pub fn bits(self) -> u8 {
        match self {
            SectionKind::Code => 1,
            SectionKind::Data => 2,
            SectionKind::ReadOnlyData => 3,
            SectionKind::Other(b) => b & 0xF,
        }
    }
}

/// A run of pages with one kind (security info page descriptors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageDescriptor {
    pub kind: SectionKind,
    pub page_count: u32,
    pub digest: [u8; 20],
}

/// The security info block, xenia `xex2_security_info`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityInfo {
    pub header_size: u32,
    pub image_size: u32,
    pub image_flags: u32,
    pub load_address: u32,
    pub import_table_count: u32,
    /// The file key (encrypted session key).
    pub file_key: [u8; 16],
    pub export_table: u32,
    pub region: u32,
    pub allowed_media_types: u32,
    pub page_descriptors: Vec<PageDescriptor>,
}

impl SecurityInfo {
    /// The image page size: 4 KiB when the image flags ask for it, else 64 KiB.
    pub fn page_size(&self) -> u32 {
        if self.image_flags & IMAGE_FLAG_PAGE_SIZE_4KB != 0 {
            0x1000
        } else {
            0x1_0000
        }
    }
}

/// The parsed headers of a XEX2 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xex {
    pub module_flags: u32,
    /// Offset of the data region (the end of the headers).
    pub data_offset: u32,
    pub security_offset: u32,
    /// Every optional header, in file order.
    pub optional_headers: Vec<OptionalHeader>,
    pub security: SecurityInfo,
    pub file_format: FileFormat,
    /// Where the image is loaded: the image base header, else the
    /// security info's load address.
    pub image_base: u32,
    pub entry_point: Option<u32>,
    pub original_base_address: Option<u32>,
    pub default_stack_size: Option<u32>,
    pub default_heap_size: Option<u32>,
    pub default_filesystem_cache_size: Option<u32>,
    pub system_flags: u32,
    pub execution_info: Option<ExecutionInfo>,
    pub tls_info: Option<TlsInfo>,
    pub resources: Vec<Resource>,
    pub original_pe_name: Option<String>,
    pub import_libraries: Vec<ImportLibrary>,
    pub static_libraries: Vec<StaticLibrary>,
}

/// Largest image the reader accepts: the XEX ranges are 512 MiB in all.
pub const MAX_IMAGE_SIZE: u32 = 0x2000_0000;

impl Xex {
    /// Parses the headers of a XEX2 file held in `file`.
    pub fn parse(file: &[u8]) -> Result<Xex> {
        let f = Bytes::new(file);
        let magic = f.be_u32(0, "XEX magic")?;
        if magic == XEX1_MAGIC {
            return Err(FormatError::Unsupported("XEX1 (pre-release) executables".into()));
        }
        if magic != XEX2_MAGIC {
            return Err(FormatError::BadMagic {
                field: "XEX magic",
                offset: 0,
                found: format!("{magic:#010x}"),
                expected: "\"XEX2\"",
            });
        }
        let module_flags = f.be_u32(0x4, "module flags")?;
        let data_offset = f.be_u32(0x8, "header size")?;
        let security_offset = f.be_u32(0x10, "security info offset")?;
        let header_count = f.be_u32(0x14, "optional header count")?;
        let header = f.sub(0, data_offset as usize, "XEX headers (header size)")?;

        let table_len =
            (header_count as usize).checked_mul(8).filter(|n| 0x18 + n <= header.len()).ok_or_else(|| {
                FormatError::invalid(
                    "optional header count",
                    0x14,
                    format!("{header_count} entries do not fit in the {data_offset:#x}-byte headers"),
                )
            })?;
        let mut optional_headers = Vec::with_capacity(header_count as usize);
        for entry in (0x18..0x18 + table_len).step_by(8) {
            optional_headers.push(read_optional_header(&header, entry)?);
        }

        let security = read_security_info(&header, security_offset as usize)?;
        let mut xex = Xex {
            module_flags,
            data_offset,
            security_offset,
            image_base: security.load_address,
            security,
            file_format: FileFormat { encryption: Encryption::None, compression: Compression::None },
            optional_headers,
            entry_point: None,
            original_base_address: None,
            default_stack_size: None,
            default_heap_size: None,
            default_filesystem_cache_size: None,
            system_flags: 0,
            execution_info: None,
            tls_info: None,
            resources: Vec::new(),
            original_pe_name: None,
            import_libraries: Vec::new(),
            static_libraries: Vec::new(),
        };
        xex.read_known_headers()?;
        Ok(xex)
    }

    /// The optional header with `key`, if present.
    pub fn optional_header(&self, key: u32) -> Option<&OptionalHeader> {
        self.optional_headers.iter().find(|h| h.key == key)
    }

    /// The title id from the execution info, if present.
    pub fn title_id(&self) -> Option<u32> {
        self.execution_info.map(|e| e.title_id)
    }

    /// Whether this file is a patch (applied to another XEX, not run).
    pub fn is_patch(&self) -> bool {
        self.module_flags & (module_flags::MODULE_PATCH | module_flags::PATCH_FULL | module_flags::PATCH_DELTA) != 0
            || self.file_format.compression == Compression::Delta
    }

    fn read_known_headers(&mut self) -> Result<()> {
        let mut file_format = None;
        for h in &self.optional_headers {
            let d = Bytes::at(&h.data, h.data_offset);
            match h.key {
                key::ENTRY_POINT => self.entry_point = Some(h.value),
                key::IMAGE_BASE_ADDRESS => self.image_base = h.value,
                key::ORIGINAL_BASE_ADDRESS => self.original_base_address = Some(h.value),
                key::DEFAULT_STACK_SIZE => self.default_stack_size = Some(h.value),
                key::DEFAULT_HEAP_SIZE => self.default_heap_size = Some(h.value),
                key::DEFAULT_FILESYSTEM_CACHE_SIZE => self.default_filesystem_cache_size = Some(h.value),
                key::SYSTEM_FLAGS => self.system_flags = h.value,
                key::EXECUTION_INFO => self.execution_info = Some(read_execution_info(&d)?),
                key::TLS_INFO => {
                    self.tls_info = Some(TlsInfo {
                        slot_count: d.be_u32(0x0, "TLS slot count")?,
                        raw_data_address: d.be_u32(0x4, "TLS raw data address")?,
                        data_size: d.be_u32(0x8, "TLS data size")?,
                        raw_data_size: d.be_u32(0xC, "TLS raw data size")?,
                    })
                }
                key::RESOURCE_INFO => self.resources = read_resources(&d)?,
                key::ORIGINAL_PE_NAME => {
                    let body = d.tail(4, "original PE name")?;
                    self.original_pe_name = Some(body.c_string(0, body.len(), "original PE name")?);
                }
                key::FILE_FORMAT_INFO => file_format = Some(read_file_format(&d)?),
                key::IMPORT_LIBRARIES => self.import_libraries = read_import_libraries(&d)?,
                key::STATIC_LIBRARIES => self.static_libraries = read_static_libraries(&d)?,
                _ => {}
            }
        }
        self.file_format = file_format.ok_or_else(|| {
            FormatError::invalid("file format info header (key 0x3FF)", 0x18, "missing from the optional header table")
        })?;
        Ok(())
    }
}

fn read_optional_header(header: &Bytes<'_>, entry: usize) -> Result<OptionalHeader> {
    let key = header.be_u32(entry, "optional header key")?;
    let value = header.be_u32(entry + 4, "optional header value")?;
    let size_code = key & 0xFF;
    if size_code <= 1 {
        return Ok(OptionalHeader {
            key,
            value,
            data: value.to_be_bytes().to_vec(),
            data_offset: header.file_offset(entry + 4),
        });
    }
    let offset = value as usize;
    let size = if size_code == 0xFF {
        header.be_u32(offset, "optional header data size")? as usize
    } else {
        size_code as usize * 4
    };
    let data = header.slice(offset, size, "optional header data").map_err(|_| {
        FormatError::invalid(
            "optional header data",
            header.file_offset(entry + 4),
            format!(
                "header {key:#010x} claims {size:#x} bytes at {offset:#x}, past the {:#x}-byte headers",
                header.len()
            ),
        )
    })?;
    Ok(OptionalHeader { key, value, data: data.to_vec(), data_offset: header.file_offset(offset) })
}

fn read_security_info(header: &Bytes<'_>, offset: usize) -> Result<SecurityInfo> {
    let s = header.tail(offset, "security info (security info offset)")?;
    let count = s.be_u32(0x180, "page descriptor count")?;
    let descriptors_len = (count as usize).checked_mul(0x18).filter(|n| 0x184 + n <= s.len()).ok_or_else(|| {
        FormatError::invalid(
            "page descriptor count",
            s.file_offset(0x180),
            format!("{count} descriptors do not fit in the headers"),
        )
    })?;
    let mut page_descriptors = Vec::with_capacity(count as usize);
    for at in (0x184..0x184 + descriptors_len).step_by(0x18) {
        let value = s.be_u32(at, "page descriptor")?;
        page_descriptors.push(PageDescriptor {
            kind: SectionKind::from_bits((value & 0xF) as u8),
            page_count: value >> 4,
            digest: s.array(at + 4, "page descriptor digest")?,
        });
    }
    let image_size = s.be_u32(0x4, "image size")?;
    if image_size > MAX_IMAGE_SIZE {
        return Err(FormatError::invalid(
            "image size",
            s.file_offset(0x4),
            format!("{image_size:#x} is larger than the {MAX_IMAGE_SIZE:#x}-byte XEX ranges"),
        ));
    }
    Ok(SecurityInfo {
        header_size: s.be_u32(0x0, "security info size")?,
        image_size,
        image_flags: s.be_u32(0x10C, "image flags")?,
        load_address: s.be_u32(0x110, "load address")?,
        import_table_count: s.be_u32(0x128, "import table count")?,
        file_key: s.array(0x150, "AES file key")?,
        export_table: s.be_u32(0x160, "export table address")?,
        region: s.be_u32(0x178, "region")?,
        allowed_media_types: s.be_u32(0x17C, "allowed media types")?,
        page_descriptors,
    })
}

fn read_execution_info(d: &Bytes<'_>) -> Result<ExecutionInfo> {
    Ok(ExecutionInfo {
        media_id: d.be_u32(0x0, "media id")?,
        version: d.be_u32(0x4, "version")?,
        base_version: d.be_u32(0x8, "base version")?,
        title_id: d.be_u32(0xC, "title id")?,
        platform: d.u8(0x10, "platform")?,
        executable_table: d.u8(0x11, "executable table")?,
        disc_number: d.u8(0x12, "disc number")?,
        disc_count: d.u8(0x13, "disc count")?,
        savegame_id: d.be_u32(0x14, "savegame id")?,
    })
}

fn read_resources(d: &Bytes<'_>) -> Result<Vec<Resource>> {
    let count = d.len().saturating_sub(4) / 0x10;
    (0..count)
        .map(|i| {
            let at = 4 + i * 0x10;
            Ok(Resource {
                name: d.c_string(at, 8, "resource name")?,
                address: d.be_u32(at + 8, "resource address")?,
                size: d.be_u32(at + 0xC, "resource size")?,
            })
        })
        .collect()
}

fn read_static_libraries(d: &Bytes<'_>) -> Result<Vec<StaticLibrary>> {
    let count = d.len().saturating_sub(4) / 0x10;
    (0..count)
        .map(|i| {
            let at = 4 + i * 0x10;
            Ok(StaticLibrary {
                name: d.c_string(at, 8, "static library name")?,
                major: d.be_u16(at + 8, "static library major version")?,
                minor: d.be_u16(at + 0xA, "static library minor version")?,
                build: d.be_u16(at + 0xC, "static library build")?,
                approval: d.u8(at + 0xE, "static library approval")?,
                qfe: d.u8(at + 0xF, "static library qfe")?,
            })
        })
        .collect()
}

fn read_file_format(d: &Bytes<'_>) -> Result<FileFormat> {
    let encryption = match d.be_u16(4, "encryption type")? {
        0 => Encryption::None,
        1 => Encryption::Normal,
        other => {
            return Err(FormatError::invalid("encryption type", d.file_offset(4), format!("unknown value {other}")))
        }
    };
    let compression = match d.be_u16(6, "compression type")? {
        0 => Compression::None,
        1 => {
            let count = d.len().saturating_sub(8) / 8;
            let blocks = (0..count)
                .map(|i| {
                    Ok(BasicBlock {
                        data_size: d.be_u32(8 + i * 8, "basic block data size")?,
                        zero_size: d.be_u32(12 + i * 8, "basic block zero size")?,
                    })
                })
                .collect::<Result<_>>()?;
            Compression::Basic(blocks)
        }
        2 => {
            let window_size = d.be_u32(8, "LZX window size")?;
            if !window_size.is_power_of_two() || !(0x8000..=0x20_0000).contains(&window_size) {
                return Err(FormatError::invalid(
                    "LZX window size",
                    d.file_offset(8),
                    format!("{window_size:#x} is not a power of two from 32 KiB to 2 MiB"),
                ));
            }
            Compression::Normal {
                window_size,
                first_block: BlockInfo {
                    size: d.be_u32(12, "first compressed block size")?,
                    sha1: d.array(16, "first compressed block hash")?,
                },
            }
        }
        3 => Compression::Delta,
        other => {
            return Err(FormatError::invalid("compression type", d.file_offset(6), format!("unknown value {other}")))
        }
    };
    Ok(FileFormat { encryption, compression })
}

fn read_import_libraries(d: &Bytes<'_>) -> Result<Vec<ImportLibrary>> {
    let strings_size = d.be_u32(4, "import string table size")? as usize;
    let strings_count = d.be_u32(8, "import string count")? as usize;
    let strings = d.sub(12, strings_size, "import string table")?;
    // Names are NUL-terminated and padded to a multiple of 4 bytes.
    let mut names = Vec::new();
    let mut at = 0;
    while at < strings.len() && names.len() < strings_count {
        let name = strings.c_string(at, strings.len() - at, "import library name")?;
        at += (name.len() + 1).next_multiple_of(4);
        names.push(name);
    }

    let mut libraries = Vec::new();
    let mut at = 12 + strings_size;
    while at < d.len() {
        let size = d.be_u32(at, "import library size")? as usize;
        if size == 0 {
            break;
        }
        let lib = d.sub(at, size, "import library")?;
        let name_index = lib.be_u16(0x24, "import library name index")?;
        let count = lib.be_u16(0x26, "import record count")? as usize;
        let name = names.get(usize::from(name_index & 0xFF)).cloned().ok_or_else(|| {
            FormatError::invalid(
                "import library name index",
                lib.file_offset(0x24),
                format!("index {name_index} but the string table has {} names", names.len()),
            )
        })?;
        let record_addresses =
            (0..count).map(|i| lib.be_u32(0x28 + i * 4, "import record address")).collect::<Result<_>>()?;
        libraries.push(ImportLibrary {
            name,
            digest: lib.array(0x4, "import library digest")?,
            id: lib.be_u32(0x18, "import library id")?,
            version: lib.be_u32(0x1C, "import library version")?,
            version_min: lib.be_u32(0x20, "import library minimum version")?,
            record_addresses,
        });
        at += size;
    }
    Ok(libraries)
}

/// A XEX version word as `major.minor.build.qfe`: 4, 4, 16 and 8 bits from
/// the most significant end, as the console's big-endian bitfields of
/// `xex2_version` lay them out.
pub fn version_string(v: u32) -> String {
    format!("{}.{}.{}.{}", v >> 28, (v >> 24) & 0xF, (v >> 8) & 0xFFFF, v & 0xFF)
}

/// Everything a loader needs from a XEX file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XexFile {
    pub xex: Xex,
    pub image: LoadedImage,
    pub imports: Vec<ImportLibraryRecords>,
}

/// Parses the headers, loads the image and reads the import records of the
/// XEX file held in `file`.
pub fn read(file: &[u8]) -> Result<XexFile> {
    let xex = Xex::parse(file)?;
    let image = xex.load_image(file)?;
    let imports = xex.imports(&image)?;
    Ok(XexFile { xex, image, imports })
}

/// The body of the `xex_reader` fuzz target (and of its smoke run in the
/// unit tests): reads everything a loader and `xenact info` would. Returns
/// whether the file loaded.
#[doc(hidden)]
pub fn fuzz_body(data: &[u8]) -> bool {
    match read(data) {
        Ok(f) => {
            let _ = pe::sections(&f.image.data);
            true
        }
        Err(e) => {
            let _ = e.to_string();
            false
        }
    }
}
