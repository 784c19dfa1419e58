//! A small reader for static 32-bit big-endian PowerPC ELF executables, the
//! input of the XEX packer. Field offsets are those of the System V ELF
//! specification (`Elf32_Ehdr`, `Elf32_Phdr`, `Elf32_Shdr`).

use super::bytes::Bytes;
use super::{FormatError, Result};

/// `e_machine` of 32-bit PowerPC.
pub const EM_PPC: u16 = 20;
/// `e_type` of an executable.
pub const ET_EXEC: u16 = 2;
/// `p_type` of a loadable segment.
pub const PT_LOAD: u32 = 1;
/// `p_type` of the thread-local storage template.
pub const PT_TLS: u32 = 7;
/// `p_flags` bits.
pub const PF_X: u32 = 1;
pub const PF_W: u32 = 2;
pub const PF_R: u32 = 4;
/// `sh_type` of a section with no file data (`.bss`).
pub const SHT_NOBITS: u32 = 8;

/// A program header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub kind: u32,
    pub offset: u32,
    pub vaddr: u32,
    pub file_size: u32,
    pub mem_size: u32,
    pub flags: u32,
}

/// A section header with its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub kind: u32,
    pub addr: u32,
    pub offset: u32,
    pub size: u32,
}

/// A parsed ELF file borrowing its bytes.
#[derive(Debug, Clone)]
pub struct Elf<'a> {
    file: Bytes<'a>,
    pub entry: u32,
    pub segments: Vec<Segment>,
    pub sections: Vec<Section>,
}

impl<'a> Elf<'a> {
    /// Parses a 32-bit big-endian PowerPC executable.
    pub fn parse(data: &'a [u8]) -> Result<Elf<'a>> {
        let f = Bytes::new(data);
        let ident = f.array::<6>(0, "ELF identification")?;
        if ident[..4] != *b"\x7fELF" {
            return Err(FormatError::BadMagic {
                field: "ELF magic",
                offset: 0,
                found: format!("{:02x?}", &ident[..4]),
                expected: "\"\\x7fELF\"",
            });
        }
        if ident[4] != 1 || ident[5] != 2 {
            return Err(FormatError::invalid(
                "ELF class and data encoding",
                4,
                "not a 32-bit big-endian ELF (build with powerpc-linux-gnu-gcc)",
            ));
        }
        let machine = f.be_u16(18, "ELF machine")?;
        if machine != EM_PPC {
            return Err(FormatError::invalid("ELF machine", 18, format!("{machine} is not PowerPC ({EM_PPC})")));
        }
        let kind = f.be_u16(16, "ELF type")?;
        if kind != ET_EXEC {
            return Err(FormatError::invalid(
                "ELF type",
                16,
                format!("{kind} is not a static executable ({ET_EXEC}); link without -shared/-pie"),
            ));
        }
        let entry = f.be_u32(24, "ELF entry point")?;
        let phoff = f.be_u32(28, "ELF program header offset")? as usize;
        let shoff = f.be_u32(32, "ELF section header offset")? as usize;
        let phentsize = usize::from(f.be_u16(42, "ELF program header size")?);
        let phnum = usize::from(f.be_u16(44, "ELF program header count")?);
        let shentsize = usize::from(f.be_u16(46, "ELF section header size")?);
        let shnum = usize::from(f.be_u16(48, "ELF section header count")?);
        let shstrndx = usize::from(f.be_u16(50, "ELF section name table index")?);
        if phnum > 0 && phentsize < 32 {
            return Err(FormatError::invalid("ELF program header size", 42, "smaller than 32"));
        }
        if shnum > 0 && shentsize < 40 {
            return Err(FormatError::invalid("ELF section header size", 46, "smaller than 40"));
        }

        let segments = (0..phnum)
            .map(|i| {
                let p = f.sub(phoff + i * phentsize, 32, "ELF program header")?;
                Ok(Segment {
                    kind: p.be_u32(0, "p_type")?,
                    offset: p.be_u32(4, "p_offset")?,
                    vaddr: p.be_u32(8, "p_vaddr")?,
                    file_size: p.be_u32(16, "p_filesz")?,
                    mem_size: p.be_u32(20, "p_memsz")?,
                    flags: p.be_u32(24, "p_flags")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;

        let raw_sections = (0..shnum)
            .map(|i| {
                let s = f.sub(shoff + i * shentsize, 40, "ELF section header")?;
                Ok((
                    s.be_u32(0, "sh_name")?,
                    Section {
                        name: String::new(),
                        kind: s.be_u32(4, "sh_type")?,
                        addr: s.be_u32(12, "sh_addr")?,
                        offset: s.be_u32(16, "sh_offset")?,
                        size: s.be_u32(20, "sh_size")?,
                    },
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let names = match raw_sections.get(shstrndx) {
            Some((_, s)) => f.sub(s.offset as usize, s.size as usize, "ELF section name table")?,
            None => Bytes::new(&[]),
        };
        let sections = raw_sections
            .into_iter()
            .map(|(name_off, mut s)| {
                s.name = if (name_off as usize) < names.len() {
                    names.c_string(name_off as usize, 256, "ELF section name")?
                } else {
                    String::new()
                };
                Ok(s)
            })
            .collect::<Result<Vec<_>>>()?;

        Ok(Elf { file: f, entry, segments, sections })
    }

    /// The file bytes of a segment (its `p_filesz` bytes).
    pub fn segment_data(&self, seg: &Segment) -> Result<&'a [u8]> {
        self.file.slice(seg.offset as usize, seg.file_size as usize, "ELF segment data")
    }

    /// The section called `name`, if any.
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// The file bytes of a section (empty for `SHT_NOBITS`).
    pub fn section_data(&self, s: &Section) -> Result<&'a [u8]> {
        if s.kind == SHT_NOBITS {
            return Ok(&[]);
        }
        self.file.slice(s.offset as usize, s.size as usize, "ELF section data")
    }

    /// The loadable segments.
    pub fn load_segments(&self) -> impl Iterator<Item = &Segment> {
        self.segments.iter().filter(|s| s.kind == PT_LOAD)
    }
}
