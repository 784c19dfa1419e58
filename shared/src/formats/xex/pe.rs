//! The PE headers at the start of a loaded XEX image.
//!
//! Xbox 360 images carry a little-endian PE header: `MZ` DOS header whose
//! `e_lfanew` (offset 0x3C) points at `PE\0\0`, a COFF file header with
//! machine 0x01F2 (PowerPC big-endian), a 0xE0-byte PE32 optional header
//! with subsystem 14 (Xbox), then 40-byte section headers. The checks and
//! constants are those of xenia `XexModule::ReadPEHeaders` and the PE format.

use crate::formats::bytes::Bytes;
use crate::formats::{FormatError, Result};

/// COFF machine type of PowerPC big-endian images.
pub const MACHINE_POWERPC_BE: u16 = 0x01F2;
/// PE32 optional header magic.
pub const PE32_MAGIC: u16 = 0x010B;
/// Subsystem value of Xbox images.
pub const SUBSYSTEM_XBOX: u16 = 14;
/// Size of the PE32 optional header.
pub const OPTIONAL_HEADER_SIZE: u16 = 0xE0;

/// Section characteristics (PE format).
pub mod characteristics {
    pub const CODE: u32 = 0x0000_0020;
    pub const INITIALIZED_DATA: u32 = 0x0000_0040;
    pub const UNINITIALIZED_DATA: u32 = 0x0000_0080;
    pub const EXECUTE: u32 = 0x2000_0000;
    pub const READ: u32 = 0x4000_0000;
    pub const WRITE: u32 = 0x8000_0000;
}

/// One section of the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeSection {
    pub name: String,
    /// Offset from the image base.
    pub virtual_address: u32,
    pub virtual_size: u32,
    pub raw_address: u32,
    pub raw_size: u32,
    pub characteristics: u32,
}

impl PeSection {
    /// `r`, `w`, `x` flags as a short string, e.g. `r-x`.
    pub fn access(&self) -> String {
        let c = self.characteristics;
        [(characteristics::READ, 'r'), (characteristics::WRITE, 'w'), (characteristics::EXECUTE, 'x')]
            .iter()
            .map(|&(bit, ch)| if c & bit != 0 { ch } else { '-' })
            .collect()
    }
}

/// Reads the section table of the PE header at the start of `image`.
pub fn sections(image: &[u8]) -> Result<Vec<PeSection>> {
    let b = Bytes::new(image);
    let dos_magic = b.array::<2>(0, "PE DOS magic")?;
    if &dos_magic != b"MZ" {
        return Err(FormatError::BadMagic {
            field: "PE DOS magic (image offset)",
            offset: 0,
            found: format!("{dos_magic:02x?}"),
            expected: "\"MZ\"",
        });
    }
    let nt = b.le_u32(0x3C, "PE e_lfanew")? as usize;
    let signature = b.array::<4>(nt, "PE signature")?;
    if &signature != b"PE\0\0" {
        return Err(FormatError::BadMagic {
            field: "PE signature (image offset)",
            offset: nt as u64,
            found: format!("{signature:02x?}"),
            expected: "\"PE\\0\\0\"",
        });
    }
    let file_header = nt + 4;
    let count = usize::from(b.le_u16(file_header + 2, "PE section count")?);
    let optional_size = usize::from(b.le_u16(file_header + 16, "PE optional header size")?);
    let table = file_header + 20 + optional_size;
    (0..count)
        .map(|i| {
            let s = b.sub(table + i * 40, 40, "PE section header")?;
            Ok(PeSection {
                name: s.c_string(0, 8, "PE section name")?,
                virtual_size: s.le_u32(8, "PE section virtual size")?,
                virtual_address: s.le_u32(12, "PE section virtual address")?,
                raw_size: s.le_u32(16, "PE section raw size")?,
                raw_address: s.le_u32(20, "PE section raw address")?,
                characteristics: s.le_u32(36, "PE section characteristics")?,
            })
        })
        .collect()
}

/// What [`write_header`] needs to know about the image.
pub struct PeLayout<'a> {
    pub image_base: u32,
    pub image_size: u32,
    pub entry_point: u32,
    pub section_alignment: u32,
    pub sections: &'a [PeSection],
}

/// Bytes [`write_header`] produces for `section_count` sections.
pub fn header_size(section_count: usize) -> usize {
    0x40 + 4 + 20 + usize::from(OPTIONAL_HEADER_SIZE) + 40 * section_count
}

/// A minimal PE header describing `layout`, to be placed at image offset 0.
pub fn write_header(layout: &PeLayout<'_>) -> Vec<u8> {
    let mut out = vec![0u8; 0x40];
    out[0..2].copy_from_slice(b"MZ");
    out[0x3C..0x40].copy_from_slice(&0x40u32.to_le_bytes());
    out.extend_from_slice(b"PE\0\0");
    let le16 = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
    let le32 = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    // COFF file header.
    le16(&mut out, MACHINE_POWERPC_BE);
    le16(&mut out, layout.sections.len() as u16);
    le32(&mut out, 0); // time stamp: none, so builds are reproducible
    le32(&mut out, 0);
    le32(&mut out, 0);
    le16(&mut out, OPTIONAL_HEADER_SIZE);
    le16(&mut out, 0x0102); // executable image, 32-bit machine
                            // PE32 optional header.
    let optional_start = out.len();
    let sum = |flag: u32| {
        layout.sections.iter().filter(|s| s.characteristics & flag != 0).map(|s| s.virtual_size).sum::<u32>()
    };
    let first_code = layout
        .sections
        .iter()
        .find(|s| s.characteristics & characteristics::CODE != 0)
        .map_or(0, |s| s.virtual_address);
    le16(&mut out, PE32_MAGIC);
    out.extend_from_slice(&[0, 0]); // linker version
    le32(&mut out, sum(characteristics::CODE));
    le32(&mut out, sum(characteristics::INITIALIZED_DATA));
    le32(&mut out, sum(characteristics::UNINITIALIZED_DATA));
    le32(&mut out, layout.entry_point.wrapping_sub(layout.image_base));
    le32(&mut out, first_code);
    le32(&mut out, 0); // base of data
    le32(&mut out, layout.image_base);
    le32(&mut out, layout.section_alignment);
    le32(&mut out, layout.section_alignment); // file alignment: raw == virtual
    for v in [2u16, 0, 0, 0, 2, 0] {
        le16(&mut out, v); // OS, image and subsystem versions
    }
    le32(&mut out, 0); // Win32 version
    le32(&mut out, layout.image_size);
    le32(&mut out, header_size(layout.sections.len()) as u32);
    le32(&mut out, 0); // checksum
    le16(&mut out, SUBSYSTEM_XBOX);
    le16(&mut out, 0); // DLL characteristics
    for _ in 0..4 {
        le32(&mut out, 0); // stack and heap reserve/commit: the XEX headers say
    }
    le32(&mut out, 0); // loader flags
    le32(&mut out, 16); // data directories, all empty
    out.resize(optional_start + usize::from(OPTIONAL_HEADER_SIZE), 0);
    for s in layout.sections {
        let mut name = [0u8; 8];
        let n = s.name.len().min(8);
        name[..n].copy_from_slice(&s.name.as_bytes()[..n]);
        out.extend_from_slice(&name);
        le32(&mut out, s.virtual_size);
        le32(&mut out, s.virtual_address);
        le32(&mut out, s.raw_size);
        le32(&mut out, s.raw_address);
        le32(&mut out, 0);
        le32(&mut out, 0);
        le16(&mut out, 0);
        le16(&mut out, 0);
        le32(&mut out, s.characteristics);
    }
    out
}
