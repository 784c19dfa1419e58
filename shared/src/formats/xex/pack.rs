//! The XEX2 packer: builds a title from a static big-endian PowerPC ELF.
//!
//! The ELF is linked at the XEX base (0x82000000 for the guest SDK) and
//! leaves the start of its first page free: the packer writes a PE header
//! there, as real images have. Its loadable segments become the image; each
//! image page is described as code, data or read-only data by the segment
//! that covers it (writable wins over executable).
//!
//! Imports are declared in a non-loaded ELF section named
//! [`IMPORTS_SECTION`], one entry per import:
//!
//! ```text
//! u32  record address   the 4-byte variable record (IAT slot) in the image
//! u32  thunk address    the 16-byte thunk in code, or 0 for a variable import
//! char name[]           the export's name, NUL-terminated, padded to 4 bytes
//! ```
//!
//! The packer resolves each name to a library and ordinal through a caller's
//! resolver (the supervisor passes the kernel's export table), writes the
//! record words (`type << 24 | library << 16 | ordinal`, see [`super::imports`])
//! into the image at those addresses, and lists the addresses in the import
//! libraries header. Everything it writes is derived from its inputs, so the
//! same ELF and options always give the same bytes.
//!
//! Resource sections (what `XexGetModuleSection` finds) are declared in the
//! non-loaded ELF section [`RESOURCES_SECTION`], 0x10 bytes per resource:
//! the name (8 bytes, NUL-padded), its address in the image and its size,
//! big-endian; the packer lists them in the resource info header (key
//! 0x2FF) as they are.

use super::crypto::{file_key_for, CbcEncryptor, KeyKind};
use super::imports::{record_word, RECORD_THUNK, RECORD_VARIABLE, THUNK_SIZE};
use super::pe::{self, characteristics, PeLayout, PeSection};
use super::{key, module_flags, SectionKind, IMAGE_FLAG_PAGE_SIZE_4KB, XEX2_MAGIC};
use crate::formats::bytes::{Bytes, PutBe};
use crate::formats::elf::{Elf, PF_W, PF_X, PT_TLS};
use crate::formats::{FormatError, Result};
use sha1::{Digest, Sha1};

/// Name of the ELF section that declares imports (layout in the module docs).
pub const IMPORTS_SECTION: &str = ".xex.imports";

/// Name of the ELF section that declares resource sections.
pub const RESOURCES_SECTION: &str = ".xex.resources";

/// Version written for imported libraries (2.0.1888.0, as MSB-first fields).
pub const LIBRARY_VERSION: u32 = 0x2007_6000;

/// LZX window the packer compresses with.
pub const LZX_WINDOW: u32 = 0x1_0000;

/// LZX chunks per compressed block: several blocks per image, so loaders
/// walk a real chain.
const CHUNKS_PER_BLOCK: usize = 4;

/// How the packer compresses the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PackCompression {
    /// Store the image as it is.
    #[default]
    None,
    /// Store non-zero runs, drop zero runs (XEX "basic").
    Basic,
    /// LZX (XEX "normal").
    Lzx,
}

/// Options of [`pack_elf`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackOptions {
    pub compression: PackCompression,
    /// Encrypt under this master key.
    pub encryption: Option<KeyKind>,
    pub title_id: u32,
    pub default_stack_size: u32,
    pub system_flags: u32,
    /// Name recorded in the original PE name header.
    pub original_pe_name: String,
    /// TLS slots announced when the ELF has a TLS segment.
    pub tls_slot_count: u32,
}

impl Default for PackOptions {
    fn default() -> Self {
        PackOptions {
            compression: PackCompression::None,
            encryption: None,
            title_id: 0x5845_0000, // "XE" and 0: a made-up publisher id
            default_stack_size: 0x4_0000,
            system_flags: 0,
            original_pe_name: "default.exe".into(),
            tls_slot_count: 64,
        }
    }
}

/// What a resolver says about an import name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedImport {
    /// Library name as written in the XEX, e.g. `xboxkrnl.exe`.
    pub library: String,
    pub ordinal: u16,
    pub is_function: bool,
}

/// One import declared by the ELF.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Declared {
    name: String,
    record: u32,
    thunk: Option<u32>,
}

/// Builds a XEX2 file from `elf`; `resolve` maps an export name to its
/// library, ordinal and kind.
pub fn pack_elf(
    elf: &[u8],
    options: &PackOptions,
    resolve: &dyn Fn(&str) -> Option<ResolvedImport>,
) -> Result<Vec<u8>> {
    let elf = Elf::parse(elf)?;
    let loads: Vec<_> = elf.load_segments().filter(|s| s.mem_size > 0).collect();
    let lowest = loads
        .iter()
        .map(|s| s.vaddr)
        .min()
        .ok_or_else(|| FormatError::Pack("the ELF has no loadable segments".into()))?;
    let page_size: u32 = if (0x9000_0000..0xA000_0000).contains(&lowest) { 0x1000 } else { 0x1_0000 };
    let base = lowest & !(page_size - 1);
    if !(0x8000_0000..0xA000_0000).contains(&base) {
        return Err(FormatError::Pack(format!(
            "the ELF is linked at {base:#010x}, outside the XEX ranges 0x80000000-0x9FFFFFFF"
        )));
    }
    let end = loads.iter().map(|s| u64::from(s.vaddr) + u64::from(s.mem_size)).max().unwrap_or(u64::from(base));
    let image_size = (end - u64::from(base)).next_multiple_of(u64::from(page_size));
    if image_size > u64::from(super::MAX_IMAGE_SIZE) || end > 0xA000_0000 {
        return Err(FormatError::Pack(format!(
            "the image ({image_size:#x} bytes at {base:#010x}) does not fit the XEX range"
        )));
    }
    let mut image = vec![0u8; image_size as usize];

    // Sections of the PE header: one per loadable segment.
    let sections: Vec<PeSection> = loads
        .iter()
        .map(|s| {
            let (name, flags) = if s.flags & PF_X != 0 {
                (".text", characteristics::CODE | characteristics::EXECUTE | characteristics::READ)
            } else if s.flags & PF_W != 0 {
                (".data", characteristics::INITIALIZED_DATA | characteristics::READ | characteristics::WRITE)
            } else {
                (".rdata", characteristics::INITIALIZED_DATA | characteristics::READ)
            };
            PeSection {
                name: name.into(),
                virtual_address: s.vaddr - base,
                virtual_size: s.mem_size,
                raw_address: s.vaddr - base,
                raw_size: s.mem_size,
                characteristics: flags,
            }
        })
        .collect();
    let header_len = pe::header_size(sections.len()) as u32;
    for s in &loads {
        if s.vaddr - base < header_len {
            return Err(FormatError::Pack(format!(
                "segment at {:#010x} overlaps the PE header area ({header_len:#x} bytes at {base:#010x}); \
                 link with tests/guest/sdk/xex.ld, which starts at base + 0x1000",
                s.vaddr
            )));
        }
        let data = elf.segment_data(s)?;
        let at = (s.vaddr - base) as usize;
        image[at..at + data.len()].copy_from_slice(data);
    }
    let pe_header = pe::write_header(&PeLayout {
        image_base: base,
        image_size: image_size as u32,
        entry_point: elf.entry,
        section_alignment: page_size,
        sections: &sections,
    });
    image[..pe_header.len()].copy_from_slice(&pe_header);

    if !(base..base + image_size as u32).contains(&elf.entry) {
        return Err(FormatError::Pack(format!("entry point {:#010x} is outside the image", elf.entry)));
    }

    // Imports.
    let declared = match elf.section(IMPORTS_SECTION) {
        Some(s) => read_declared_imports(elf.section_data(s)?, u64::from(s.offset))?,
        None => Vec::new(),
    };
    let libraries = bind_imports(&declared, resolve, &mut image, base)?;

    let tls = elf
        .segments
        .iter()
        .find(|s| s.kind == PT_TLS)
        .map(|s| [options.tls_slot_count, s.vaddr, s.mem_size, s.file_size]);

    let descriptors = page_descriptors(&image, &loads, base, page_size);

    // The session key is derived from the image so builds are reproducible.
    let mut session = [0u8; 16];
    session.copy_from_slice(&Sha1::digest(&image)[..16]);
    let file_key = file_key_for(options.encryption.unwrap_or(KeyKind::Retail), &session);

    let (data, file_format) = encode_data(&image, options, &session)?;

    let mut headers: Vec<(u32, HeaderValue)> = vec![
        (key::FILE_FORMAT_INFO, HeaderValue::Blob(file_format)),
        (key::ENTRY_POINT, HeaderValue::Inline(elf.entry)),
        (key::IMAGE_BASE_ADDRESS, HeaderValue::Inline(base)),
        (key::ORIGINAL_PE_NAME, HeaderValue::Blob(sized_blob(&padded_c_string(&options.original_pe_name)))),
        (key::DEFAULT_STACK_SIZE, HeaderValue::Inline(options.default_stack_size)),
        (key::SYSTEM_FLAGS, HeaderValue::Inline(options.system_flags)),
        (key::EXECUTION_INFO, HeaderValue::Blob(execution_info(options.title_id))),
    ];
    if !libraries.is_empty() {
        headers.push((key::IMPORT_LIBRARIES, HeaderValue::Blob(import_libraries_blob(&libraries))));
    }
    if let Some(s) = elf.section(RESOURCES_SECTION) {
        let entries = elf.section_data(s)?;
        check_resources(entries, base, image_size)?;
        if !entries.is_empty() {
            headers.push((key::RESOURCE_INFO, HeaderValue::Blob(sized_blob(entries))));
        }
    }
    if let Some(tls) = tls {
        let mut blob = Vec::new();
        tls.iter().for_each(|&v| blob.put_u32(v));
        headers.push((key::TLS_INFO, HeaderValue::Blob(blob)));
    }
    headers.sort_by_key(|&(k, _)| k);

    let security = SecurityFields {
        image_size: image_size as u32,
        image_flags: if page_size == 0x1000 { IMAGE_FLAG_PAGE_SIZE_4KB } else { 0 },
        load_address: base,
        import_table_count: libraries.len() as u32,
        file_key,
        descriptors,
    };
    Ok(assemble(&headers, &security, &data))
}

enum HeaderValue {
    Inline(u32),
    Blob(Vec<u8>),
}

struct SecurityFields {
    image_size: u32,
    image_flags: u32,
    load_address: u32,
    import_table_count: u32,
    file_key: [u8; 16],
    descriptors: Vec<(SectionKind, u32, [u8; 20])>,
}

fn read_declared_imports(data: &[u8], file_offset: u64) -> Result<Vec<Declared>> {
    let b = Bytes::at(data, file_offset);
    let mut out: Vec<Declared> = Vec::new();
    let mut at = 0;
    while at < b.len() {
        let record = b.be_u32(at, "import declaration record address")?;
        let thunk = b.be_u32(at + 4, "import declaration thunk address")?;
        let rest = b.tail(at + 8, "import declaration name")?;
        let name = rest.c_string(0, rest.len(), "import declaration name")?;
        if name.is_empty() {
            return Err(FormatError::invalid("import declaration name", b.file_offset(at + 8), "empty name"));
        }
        if out.iter().any(|d| d.name == name) {
            return Err(FormatError::Pack(format!("import {name} is declared twice")));
        }
        out.push(Declared { name: name.clone(), record, thunk: (thunk != 0).then_some(thunk) });
        at += 8 + (name.len() + 1).next_multiple_of(4);
    }
    Ok(out)
}

/// A library of the import header being built.
struct BoundLibrary {
    name: String,
    records: Vec<u32>,
}

/// Resolves the declared imports, writes their record words into `image`
/// and returns the libraries in header order (xboxkrnl.exe, xam.xex, others).
fn bind_imports(
    declared: &[Declared],
    resolve: &dyn Fn(&str) -> Option<ResolvedImport>,
    image: &mut [u8],
    base: u32,
) -> Result<Vec<BoundLibrary>> {
    let mut resolved = Vec::with_capacity(declared.len());
    for d in declared {
        let r = resolve(&d.name)
            .ok_or_else(|| FormatError::Pack(format!("{} is not an export of xboxkrnl.exe or xam.xex", d.name)))?;
        if r.is_function != d.thunk.is_some() {
            return Err(FormatError::Pack(format!(
                "{} is a {} export but is imported as a {}",
                d.name,
                if r.is_function { "function" } else { "variable" },
                if d.thunk.is_some() { "function" } else { "variable" },
            )));
        }
        resolved.push((d, r));
    }
    let rank = |lib: &str| match lib {
        "xboxkrnl.exe" => 0,
        "xam.xex" => 1,
        _ => 2,
    };
    let mut names: Vec<String> = resolved.iter().map(|(_, r)| r.library.clone()).collect();
    names.sort_by(|a, b| (rank(a), a).cmp(&(rank(b), b)));
    names.dedup();
    if names.len() > 255 {
        return Err(FormatError::Pack("more than 255 import libraries".into()));
    }
    let mut libraries: Vec<BoundLibrary> =
        names.into_iter().map(|name| BoundLibrary { name, records: Vec::new() }).collect();
    for (d, r) in resolved {
        let index = libraries.iter().position(|l| l.name == r.library).unwrap_or_default();
        put_record(image, base, d.record, 4, record_word(RECORD_VARIABLE, index as u8, r.ordinal), &d.name)?;
        libraries[index].records.push(d.record);
        if let Some(thunk) = d.thunk {
            put_record(image, base, thunk, THUNK_SIZE, record_word(RECORD_THUNK, index as u8, r.ordinal), &d.name)?;
            libraries[index].records.push(thunk);
        }
    }
    Ok(libraries)
}

fn put_record(image: &mut [u8], base: u32, addr: u32, len: u32, word: u32, name: &str) -> Result<()> {
    let offset = addr
        .checked_sub(base)
        .filter(|o| addr % 4 == 0 && u64::from(*o) + u64::from(len) <= image.len() as u64)
        .ok_or_else(|| {
            FormatError::Pack(format!(
                "import {name}: record at {addr:#010x} is not an aligned address inside the image"
            ))
        })? as usize;
    image[offset..offset + 4].copy_from_slice(&word.to_be_bytes());
    Ok(())
}

fn page_descriptors(
    image: &[u8],
    loads: &[&crate::formats::elf::Segment],
    base: u32,
    page_size: u32,
) -> Vec<(SectionKind, u32, [u8; 20])> {
    let kind_of = |page: u32| {
        let start = u64::from(base) + u64::from(page) * u64::from(page_size);
        let end = start + u64::from(page_size);
        let covering = loads.iter().filter(|s| {
            let (s0, s1) = (u64::from(s.vaddr), u64::from(s.vaddr) + u64::from(s.mem_size));
            s0 < end && start < s1
        });
        let mut kind = SectionKind::ReadOnlyData;
        for s in covering {
            if s.flags & PF_W != 0 {
                return SectionKind::Data;
            }
            if s.flags & PF_X != 0 {
                kind = SectionKind::Code;
            }
        }
        kind
    };
    let pages = (image.len() / page_size as usize) as u32;
    let mut runs: Vec<(SectionKind, u32)> = Vec::new();
    for page in 0..pages {
        let kind = kind_of(page);
        match runs.last_mut() {
            Some((k, n)) if *k == kind => *n += 1,
            _ => runs.push((kind, 1)),
        }
    }
    let mut first = 0usize;
    runs.into_iter()
        .map(|(kind, count)| {
            let len = count as usize * page_size as usize;
            let digest: [u8; 20] = Sha1::digest(&image[first..first + len]).into();
            first += len;
            (kind, count, digest)
        })
        .collect()
}

/// The data region and the file format info blob.
fn encode_data(image: &[u8], options: &PackOptions, session: &[u8; 16]) -> Result<(Vec<u8>, Vec<u8>)> {
    let encryption: u16 = options.encryption.is_some().into();
    let mut info = Vec::new();
    let mut data;
    match options.compression {
        PackCompression::None => {
            info.put_u32(8);
            info.put_u16(encryption);
            info.put_u16(0);
            data = image.to_vec();
        }
        PackCompression::Basic => {
            let runs = basic_runs(image);
            info.put_u32(8 + 8 * runs.len() as u32);
            info.put_u16(encryption);
            info.put_u16(1);
            data = Vec::new();
            let mut at = 0;
            for (stored, zeros) in runs {
                info.put_u32(stored as u32);
                info.put_u32(zeros as u32);
                data.extend_from_slice(&image[at..at + stored]);
                at += stored + zeros;
            }
        }
        PackCompression::Lzx => {
            let frames = lzxc::Encoder::new(lzxc::WindowSize::KB64).encode_stream(image);
            let groups: Vec<&[Vec<u8>]> = frames.chunks(CHUNKS_PER_BLOCK).collect();
            // Build the chain from the end: each block starts with the size
            // and hash of the block after it.
            let mut blocks: Vec<Vec<u8>> = Vec::with_capacity(groups.len());
            let mut next: (u32, [u8; 20]) = (0, [0; 20]);
            for group in groups.iter().rev() {
                let mut block = Vec::new();
                block.put_u32(next.0);
                block.extend_from_slice(&next.1);
                for frame in group.iter() {
                    let len = u16::try_from(frame.len())
                        .map_err(|_| FormatError::Pack("an LZX chunk does not fit its 16-bit length".into()))?;
                    block.put_u16(len);
                    block.extend_from_slice(frame);
                }
                block.put_u16(0);
                next = (block.len() as u32, Sha1::digest(&block).into());
                blocks.push(block);
            }
            info.put_u32(36);
            info.put_u16(encryption);
            info.put_u16(2);
            info.put_u32(LZX_WINDOW);
            info.put_u32(next.0);
            info.extend_from_slice(&next.1);
            data = blocks.into_iter().rev().flatten().collect();
        }
    }
    if options.encryption.is_some() {
        data.resize(data.len().next_multiple_of(16), 0);
        CbcEncryptor::new(session).encrypt(&mut data);
    }
    Ok((data, info))
}

/// Splits `image` (a whole number of pages, so of 16-byte units) into
/// (stored, zero) runs; zero runs shorter than 64 bytes are stored.
fn basic_runs(image: &[u8]) -> Vec<(usize, usize)> {
    const UNIT: usize = 16;
    const MIN_ZERO_UNITS: usize = 4;
    let units: Vec<bool> = image.chunks(UNIT).map(|c| c.iter().all(|&b| b == 0)).collect();
    let mut runs = Vec::new();
    let (mut stored, mut i) = (0usize, 0usize);
    while i < units.len() {
        let zero_len = units[i..].iter().take_while(|&&z| z).count();
        if zero_len >= MIN_ZERO_UNITS || (zero_len > 0 && i + zero_len == units.len()) {
            runs.push((stored * UNIT, zero_len * UNIT));
            stored = 0;
            i += zero_len;
        } else {
            let n = zero_len.max(1);
            stored += n;
            i += n;
        }
    }
    if stored > 0 {
        runs.push((stored * UNIT, 0));
    }
    runs
}

fn padded_c_string(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    v.resize(v.len().next_multiple_of(4), 0);
    v
}

/// A blob whose first u32 is its own size (0xFF-keyed headers).
/// Checks declared resources: whole entries, each inside the image.
fn check_resources(entries: &[u8], base: u32, image_size: u64) -> Result<()> {
    if entries.len() % 0x10 != 0 {
        return Err(FormatError::Pack(format!(
            "{RESOURCES_SECTION} holds {} bytes, not whole 16-byte entries",
            entries.len()
        )));
    }
    let d = Bytes::new(entries);
    for at in (0..entries.len()).step_by(0x10) {
        let address = u64::from(d.be_u32(at + 8, "resource address")?);
        let size = u64::from(d.be_u32(at + 0xC, "resource size")?);
        if address < u64::from(base) || address + size > u64::from(base) + image_size {
            return Err(FormatError::Pack(format!(
                "resource {at:#x} of {RESOURCES_SECTION} ({size:#x} bytes at {address:#010x}) is outside the image"
            )));
        }
    }
    Ok(())
}

fn sized_blob(body: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(body.len() + 4);
    v.put_u32(body.len() as u32 + 4);
    v.extend_from_slice(body);
    v
}

fn execution_info(title_id: u32) -> Vec<u8> {
    let mut v = Vec::new();
    v.put_u32(0); // media id
    v.put_u32(0x1000_0000); // version 1.0.0.0
    v.put_u32(0x1000_0000); // base version
    v.put_u32(title_id);
    v.extend_from_slice(&[0, 0, 1, 1]); // platform, executable table, disc 1 of 1
    v.put_u32(title_id); // savegame id
    v
}

fn import_libraries_blob(libraries: &[BoundLibrary]) -> Vec<u8> {
    let mut strings = Vec::new();
    for lib in libraries {
        strings.extend_from_slice(&padded_c_string(&lib.name));
    }
    let mut body = Vec::new();
    body.put_u32(strings.len() as u32);
    body.put_u32(libraries.len() as u32);
    body.extend_from_slice(&strings);
    for (index, lib) in libraries.iter().enumerate() {
        body.put_u32(0x28 + 4 * lib.records.len() as u32);
        body.extend_from_slice(&[0; 20]); // next import digest: unsigned
        body.put_u32(0); // id
        body.put_u32(LIBRARY_VERSION);
        body.put_u32(LIBRARY_VERSION);
        body.put_u16(index as u16);
        body.put_u16(lib.records.len() as u16);
        for &r in &lib.records {
            body.put_u32(r);
        }
    }
    sized_blob(&body)
}

/// Lays out the header, the security info, the header blobs and the data.
fn assemble(headers: &[(u32, HeaderValue)], security: &SecurityFields, data: &[u8]) -> Vec<u8> {
    let table_end = 0x18 + 8 * headers.len();
    let security_offset = table_end.next_multiple_of(8);
    let security_len = 0x184 + 0x18 * security.descriptors.len();
    let mut blob_at = (security_offset + security_len).next_multiple_of(8);
    let mut table = Vec::new();
    let mut blobs = Vec::new();
    for (k, v) in headers {
        table.put_u32(*k);
        match v {
            HeaderValue::Inline(value) => table.put_u32(*value),
            HeaderValue::Blob(b) => {
                table.put_u32(blob_at as u32);
                blobs.push((blob_at, b));
                blob_at = (blob_at + b.len()).next_multiple_of(8);
            }
        }
    }
    let data_offset = blob_at.next_multiple_of(16);

    let mut out = Vec::with_capacity(data_offset + data.len());
    out.put_u32(XEX2_MAGIC);
    out.put_u32(module_flags::TITLE);
    out.put_u32(data_offset as u32);
    out.put_u32(0);
    out.put_u32(security_offset as u32);
    out.put_u32(headers.len() as u32);
    out.extend_from_slice(&table);
    out.resize(security_offset, 0);

    let mut sec = Vec::with_capacity(security_len);
    sec.put_u32(data_offset as u32); // header size
    sec.put_u32(security.image_size);
    sec.resize(0x108, 0); // RSA signature: unsigned
    sec.put_u32(0x174); // size of the image info that follows
    sec.put_u32(security.image_flags);
    sec.put_u32(security.load_address);
    sec.resize(0x128, 0); // section digest
    sec.put_u32(security.import_table_count);
    sec.resize(0x150, 0); // import digest, media id
    sec.extend_from_slice(&security.file_key);
    sec.put_u32(0); // export table
    sec.resize(0x178, 0); // header digest
    sec.put_u32(0xFFFF_FFFF); // region: all
    sec.put_u32(0xFFFF_FFFF); // allowed media: all
    sec.put_u32(security.descriptors.len() as u32);
    for (kind, count, digest) in &security.descriptors {
        sec.put_u32(count << 4 | u32::from(kind.bits()));
        sec.extend_from_slice(digest);
    }
    out.extend_from_slice(&sec);
    for (at, blob) in blobs {
        out.resize(at, 0);
        out.extend_from_slice(blob);
    }
    out.resize(data_offset, 0);
    out.extend_from_slice(data);
    out
}
