//! Pack → read round trips, error cases and the fuzz smoke run of the reader.

use super::crypto::KeyKind;
use super::pack::{pack_elf, PackCompression, PackOptions, ResolvedImport, IMPORTS_SECTION, RESOURCES_SECTION};
use super::*;

const BASE: u32 = 0x8200_0000;
const RODATA: u32 = BASE + 0x1000;
const TEXT: u32 = BASE + 0x1_0000;
const DATA: u32 = BASE + 0x2_0000;
/// Thunks and IAT slots of the synthetic ELF.
const THUNK_PRINT: u32 = TEXT + 0x100;
const THUNK_EXIT: u32 = TEXT + 0x110;
const THUNK_XAM: u32 = TEXT + 0x120;
const IAT_PRINT: u32 = DATA;
const IAT_EXIT: u32 = DATA + 4;
const IAT_HW: u32 = DATA + 8;
const IAT_XAM: u32 = DATA + 12;

/// A resolver standing in for the kernel's export table.
pub(crate) fn test_resolver(name: &str) -> Option<ResolvedImport> {
    let (library, ordinal, is_function) = match name {
        "DbgPrint" => ("xboxkrnl.exe", 3, true),
        "HalReturnToFirmware" => ("xboxkrnl.exe", 0x28, true),
        "XboxHardwareInfo" => ("xboxkrnl.exe", 0x156, false),
        "XamGetSystemVersion" => ("xam.xex", 0x1D2, true),
        _ => return None,
    };
    Some(ResolvedImport { library: library.into(), ordinal, is_function })
}

struct Seg {
    vaddr: u32,
    flags: u32,
    data: Vec<u8>,
    mem_size: u32,
}

/// Builds a minimal ELF32 big-endian PowerPC executable.
fn build_elf(segments: &[Seg], sections: &[(&str, Vec<u8>)], entry: u32) -> Vec<u8> {
    let be16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_be_bytes());
    let be32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_be_bytes());
    let phoff = 52u32;
    let mut body_at = phoff + 32 * segments.len() as u32;
    let mut seg_offsets = Vec::new();
    for s in segments {
        seg_offsets.push(body_at);
        body_at += s.data.len() as u32;
    }
    let mut names = vec![0u8];
    let mut sec_meta = Vec::new();
    for (name, data) in sections {
        sec_meta.push((names.len() as u32, body_at, data.len() as u32));
        names.extend_from_slice(name.as_bytes());
        names.push(0);
        body_at += data.len() as u32;
    }
    let shstr_name = names.len() as u32;
    names.extend_from_slice(b".shstrtab\0");
    let shstr_at = body_at;
    body_at += names.len() as u32;
    let shoff = body_at.next_multiple_of(4);

    let mut f = Vec::new();
    f.extend_from_slice(b"\x7fELF\x01\x02\x01\0\0\0\0\0\0\0\0\0");
    be16(&mut f, 2);
    be16(&mut f, 20);
    be32(&mut f, 1);
    be32(&mut f, entry);
    be32(&mut f, phoff);
    be32(&mut f, shoff);
    be32(&mut f, 0);
    be16(&mut f, 52);
    be16(&mut f, 32);
    be16(&mut f, segments.len() as u16);
    be16(&mut f, 40);
    be16(&mut f, sections.len() as u16 + 2);
    be16(&mut f, sections.len() as u16 + 1);
    for (s, &off) in segments.iter().zip(&seg_offsets) {
        for v in [1, off, s.vaddr, s.vaddr, s.data.len() as u32, s.mem_size, s.flags, 0x1_0000] {
            be32(&mut f, v);
        }
    }
    for s in segments {
        f.extend_from_slice(&s.data);
    }
    for (_, data) in sections {
        f.extend_from_slice(data);
    }
    f.extend_from_slice(&names);
    f.resize(shoff as usize, 0);
    f.extend_from_slice(&[0; 40]);
    for &(name, off, size) in &sec_meta {
        for v in [name, 1, 0, 0, off, size, 0, 0, 1, 0] {
            be32(&mut f, v);
        }
    }
    for v in [shstr_name, 3, 0, 0, shstr_at, names.len() as u32, 0, 0, 1, 0] {
        be32(&mut f, v);
    }
    f
}

fn import_entry(record: u32, thunk: u32, name: &str) -> Vec<u8> {
    let mut v = record.to_be_bytes().to_vec();
    v.extend_from_slice(&thunk.to_be_bytes());
    v.extend_from_slice(name.as_bytes());
    v.push(0);
    v.resize(v.len().next_multiple_of(4), 0);
    v
}

fn thunk_placeholder() -> [u8; 16] {
    let mut t = [0u8; 16];
    t[8..12].copy_from_slice(&0x7D69_03A6u32.to_be_bytes()); // mtctr r11
    t[12..16].copy_from_slice(&0x4E80_0420u32.to_be_bytes()); // bctr
    t
}

/// The synthetic title: read-only data, code with three thunks, data with
/// IAT slots and a large zero-filled tail.
pub(crate) fn sample_elf() -> Vec<u8> {
    let rodata: Vec<u8> = b"hello, xenact\n\0".repeat(40);
    let mut text: Vec<u8> = (0..0x100u32).flat_map(|i| (0x3860_0000 | i).to_be_bytes()).collect();
    text.truncate(0x100);
    for _ in 0..3 {
        text.extend_from_slice(&thunk_placeholder());
    }
    text.extend((0..0x3000u32).map(|i| (i * 7 % 251) as u8));
    let data = vec![0u8; 16].into_iter().chain((0..0x100).map(|i| i as u8)).collect::<Vec<u8>>();
    let imports = [
        import_entry(IAT_PRINT, THUNK_PRINT, "DbgPrint"),
        import_entry(IAT_EXIT, THUNK_EXIT, "HalReturnToFirmware"),
        import_entry(IAT_HW, 0, "XboxHardwareInfo"),
        import_entry(IAT_XAM, THUNK_XAM, "XamGetSystemVersion"),
    ]
    .concat();
    build_elf(
        &[
            Seg { vaddr: RODATA, flags: 4, mem_size: rodata.len() as u32, data: rodata },
            Seg { vaddr: TEXT, flags: 5, mem_size: text.len() as u32, data: text },
            Seg { vaddr: DATA, flags: 6, mem_size: 0x2_8000, data },
        ],
        &[(IMPORTS_SECTION, imports)],
        TEXT,
    )
}

fn pack(compression: PackCompression, encryption: Option<KeyKind>) -> Vec<u8> {
    let options = PackOptions { compression, encryption, title_id: 0x5845_0001, ..PackOptions::default() };
    pack_elf(&sample_elf(), &options, &test_resolver).expect("sample packs")
}

fn load(file: &[u8]) -> (Xex, LoadedImage, Vec<ImportLibraryRecords>) {
    let xex = Xex::parse(file).expect("headers parse");
    let image = xex.load_image(file).expect("image loads");
    let imports = xex.imports(&image).expect("imports read");
    (xex, image, imports)
}

fn expected_imports() -> Vec<ImportLibraryRecords> {
    vec![
        ImportLibraryRecords {
            name: "xboxkrnl.exe".into(),
            version: pack::LIBRARY_VERSION,
            version_min: pack::LIBRARY_VERSION,
            imports: vec![
                Import { ordinal: 3, record_address: IAT_PRINT, thunk_address: Some(THUNK_PRINT) },
                Import { ordinal: 0x28, record_address: IAT_EXIT, thunk_address: Some(THUNK_EXIT) },
                Import { ordinal: 0x156, record_address: IAT_HW, thunk_address: None },
            ],
        },
        ImportLibraryRecords {
            name: "xam.xex".into(),
            version: pack::LIBRARY_VERSION,
            version_min: pack::LIBRARY_VERSION,
            imports: vec![Import { ordinal: 0x1D2, record_address: IAT_XAM, thunk_address: Some(THUNK_XAM) }],
        },
    ]
}

#[test]
fn plain_pack_reads_back_headers_image_and_imports() {
    let file = pack(PackCompression::None, None);
    let (xex, image, imports) = load(&file);
    assert_eq!(xex.image_base, BASE);
    assert_eq!(xex.entry_point, Some(TEXT));
    assert_eq!(xex.title_id(), Some(0x5845_0001));
    assert_eq!(xex.default_stack_size, Some(0x4_0000));
    assert_eq!(xex.original_pe_name.as_deref(), Some("default.exe"));
    assert_eq!(xex.file_format.encryption, Encryption::None);
    assert_eq!(xex.file_format.compression, Compression::None);
    assert_eq!(xex.security.page_size(), 0x1_0000);
    assert_eq!(xex.security.image_size, 0x5_0000);
    assert_eq!(image.data.len(), 0x5_0000);
    assert_eq!(image.key, None);
    let kinds: Vec<_> = xex.security.page_descriptors.iter().map(|d| (d.kind, d.page_count)).collect();
    assert_eq!(kinds, vec![(SectionKind::ReadOnlyData, 1), (SectionKind::Code, 1), (SectionKind::Data, 3)]);
    assert_eq!(imports, expected_imports());
    // The rodata, code and data landed at their addresses.
    assert_eq!(&image.data[0x1000..0x100E], b"hello, xenact\n");
    assert_eq!(image.read_u32(TEXT, "code").unwrap(), 0x3860_0000);
    assert_eq!(image.read_u32(THUNK_PRINT, "thunk").unwrap(), 0x0100_0003);
    assert_eq!(image.read_u32(IAT_HW, "record").unwrap(), 0x0000_0156);
    assert_eq!(image.read_u32(IAT_XAM, "record").unwrap(), 0x0001_01D2);
    assert_eq!(image.read_u32(THUNK_XAM + 12, "bctr").unwrap(), 0x4E80_0420);
    let sections = pe::sections(&image.data).expect("PE header");
    let names: Vec<_> = sections.iter().map(|s| (s.name.as_str(), s.access())).collect();
    assert_eq!(names, vec![(".rdata", "r--".to_string()), (".text", "r-x".into()), (".data", "rw-".into())]);
}

#[test]
fn every_compression_and_encryption_gives_the_same_image_and_imports() {
    let (_, reference, reference_imports) = load(&pack(PackCompression::None, None));
    for compression in [PackCompression::None, PackCompression::Basic, PackCompression::Lzx] {
        for encryption in [None, Some(KeyKind::Retail), Some(KeyKind::Devkit)] {
            let file = pack(compression, encryption);
            let (xex, image, imports) = load(&file);
            assert_eq!(image.data, reference.data, "{compression:?} {encryption:?}");
            assert_eq!(imports, reference_imports, "{compression:?} {encryption:?}");
            assert_eq!(image.key, encryption, "{compression:?}");
            let expected_encryption = if encryption.is_some() { Encryption::Normal } else { Encryption::None };
            assert_eq!(xex.file_format.encryption, expected_encryption);
        }
    }
}

#[test]
fn compression_makes_the_file_smaller() {
    let plain = pack(PackCompression::None, None).len();
    let basic = pack(PackCompression::Basic, None).len();
    let lzx = pack(PackCompression::Lzx, None).len();
    assert!(basic < plain / 4, "basic {basic} plain {plain}");
    assert!(lzx < basic, "lzx {lzx} basic {basic}");
}

#[test]
fn packing_is_reproducible() {
    for compression in [PackCompression::None, PackCompression::Basic, PackCompression::Lzx] {
        assert_eq!(pack(compression, Some(KeyKind::Retail)), pack(compression, Some(KeyKind::Retail)));
    }
}

#[test]
fn lzx_data_is_split_into_a_chain_of_blocks() {
    let file = pack(PackCompression::Lzx, None);
    let xex = Xex::parse(&file).unwrap();
    let Compression::Normal { first_block, .. } = xex.file_format.compression else {
        panic!("normal compression expected");
    };
    let data = &file[xex.data_offset as usize..];
    let next_size = u32::from_be_bytes(data[..4].try_into().unwrap());
    assert!(next_size > 0, "first block links to a second");
    assert!((first_block.size as usize) < data.len());
}

#[test]
fn unknown_import_name_is_a_pack_error() {
    let err = pack_elf(&sample_elf(), &PackOptions::default(), &|n| {
        (n != "XamGetSystemVersion").then(|| test_resolver(n)).flatten()
    })
    .unwrap_err();
    assert!(err.to_string().contains("XamGetSystemVersion"), "{err}");
}

#[test]
fn function_imported_as_variable_is_a_pack_error() {
    let err = pack_elf(&sample_elf(), &PackOptions::default(), &|n| {
        test_resolver(n).map(|mut r| {
            r.is_function = !r.is_function;
            r
        })
    })
    .unwrap_err();
    assert!(matches!(err, FormatError::Pack(_)), "{err}");
}

#[test]
fn non_elf_input_is_refused_with_the_field_named() {
    let err = pack_elf(b"MZ\0\0 not an elf at all", &PackOptions::default(), &test_resolver).unwrap_err();
    assert!(err.to_string().starts_with("ELF magic at offset 0x0"), "{err}");
}

#[test]
fn wrong_magic_names_the_field() {
    let mut file = pack(PackCompression::None, None);
    file[0] = b'Y';
    let err = Xex::parse(&file).unwrap_err();
    assert!(err.to_string().starts_with("XEX magic at offset 0x0"), "{err}");
}

#[test]
fn truncated_files_give_errors_at_every_length() {
    for compression in [PackCompression::None, PackCompression::Basic, PackCompression::Lzx] {
        let file = pack(compression, Some(KeyKind::Retail));
        let step = (file.len() / 300).max(1);
        for len in (0..file.len()).step_by(step) {
            let cut = &file[..len];
            let result = Xex::parse(cut).and_then(|x| x.load_image(cut).map(|_| x));
            // A file cut inside the data region may still load (zero tail) for
            // uncompressed images; everything shorter must fail.
            if len < Xex::parse(&file).unwrap().data_offset as usize {
                assert!(result.is_err(), "{compression:?} cut at {len:#x} parsed");
            }
        }
    }
}

#[test]
fn corrupted_compressed_block_is_detected() {
    let mut file = pack(PackCompression::Lzx, None);
    let xex = Xex::parse(&file).unwrap();
    let at = xex.data_offset as usize + 40;
    file[at] ^= 0xFF;
    let err = xex.load_image(&file).unwrap_err();
    assert!(err.to_string().contains("SHA-1"), "{err}");
}

#[test]
fn corrupted_encrypted_image_fits_no_key() {
    let mut file = pack(PackCompression::None, Some(KeyKind::Retail));
    let xex = Xex::parse(&file).unwrap();
    let at = xex.data_offset as usize;
    file[at] ^= 0xFF;
    assert!(matches!(xex.load_image(&file), Err(FormatError::NoKeyFits)));
}

#[test]
fn optional_header_pointing_past_the_headers_is_named() {
    let mut file = pack(PackCompression::None, None);
    let xex = Xex::parse(&file).unwrap();
    // Point the first offset-valued header far away.
    let index = xex.optional_headers.iter().position(|h| !h.is_inline()).unwrap();
    let at = 0x18 + index * 8 + 4;
    file[at..at + 4].copy_from_slice(&0x00FF_FFF0u32.to_be_bytes());
    let err = Xex::parse(&file).unwrap_err();
    assert!(err.to_string().starts_with("optional header data"), "{err}");
}

/// A deterministic generator for the smoke run (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The body of the fuzz target, run over mutations of packed files: the
/// reader must return (Ok or Err), never panic.
#[test]
fn fuzz_smoke_mutated_files_never_panic() {
    let seeds = [
        pack(PackCompression::None, None),
        pack(PackCompression::Basic, Some(KeyKind::Retail)),
        pack(PackCompression::Lzx, None),
        pack(PackCompression::Lzx, Some(KeyKind::Devkit)),
    ];
    let mut rng = Rng(0x005E_ED0F_CAFE);
    let mut outcomes = [0usize; 2];
    for round in 0..3000 {
        let seed = &seeds[round % seeds.len()];
        let header_len = Xex::parse(seed).unwrap().data_offset as usize;
        let mut file = seed.clone();
        for _ in 0..1 + rng.below(4) {
            if file.is_empty() {
                break;
            }
            // Mostly hit the headers, where the structure is.
            let at = if rng.below(4) == 0 { rng.below(file.len()) } else { rng.below(header_len.min(file.len())) };
            match rng.below(4) {
                0 => file[at] = rng.next() as u8,
                1 => file[at] ^= 1 << rng.below(8),
                2 => {
                    let v = [0u32, 0xFFFF_FFFF, 0x8000_0000, 0x7FFF_FFFF, 0x1_0000][rng.below(5)];
                    let end = (at + 4).min(file.len());
                    file[at..end].copy_from_slice(&v.to_be_bytes()[..end - at]);
                }
                _ => file.truncate(at),
            }
        }
        outcomes[super::fuzz_body(&file) as usize] += 1;
    }
    // Both outcomes happen: the mutations are neither all harmless nor all fatal.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}

/// The committed guest programs (tests/guest/bin) load with every loader path.
#[test]
fn committed_guest_fixtures_load() {
    let bin = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/guest/bin");
    let expected = [
        ("hello", Compression::None, None),
        ("threads", Compression::Normal { window_size: 0, first_block: BlockInfo { size: 0, sha1: [0; 20] } }, None),
        ("memory", Compression::Basic(Vec::new()), None),
        (
            "files",
            Compression::Normal { window_size: 0, first_block: BlockInfo { size: 0, sha1: [0; 20] } },
            Some(KeyKind::Retail),
        ),
        ("compute", Compression::None, Some(KeyKind::Devkit)),
        ("demo", Compression::Normal { window_size: 0, first_block: BlockInfo { size: 0, sha1: [0; 20] } }, None),
    ];
    for (name, compression, key) in expected {
        let data = std::fs::read(bin.join(format!("{name}.xex"))).expect("fixture exists");
        let file = read(&data).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            std::mem::discriminant(&file.xex.file_format.compression),
            std::mem::discriminant(&compression),
            "{name}"
        );
        assert_eq!(file.image.key, key, "{name}");
        assert_eq!(file.xex.image_base, BASE, "{name}");
        assert_eq!(file.xex.entry_point, Some(TEXT), "{name}: _start opens the code page");
        assert_eq!(file.imports[0].name, "xboxkrnl.exe", "{name}");
        assert!(file.imports[0].imports.iter().any(|i| i.ordinal == 3 && i.is_function()), "{name} imports DbgPrint");
        assert_eq!(file.imports[1].name, "xam.xex", "{name}");
    }
}

#[test]
fn a_tls_segment_becomes_the_tls_info_header_the_loader_reads() {
    let rodata = b"tls test".to_vec();
    let text: Vec<u8> = (0..0x40u32).flat_map(|i| (0x6000_0000u32 | i).to_be_bytes()).collect();
    let template: Vec<u8> = (1..=0x20u8).collect();
    let mut elf = build_elf(
        &[
            Seg { vaddr: RODATA, flags: 4, mem_size: rodata.len() as u32, data: rodata },
            Seg { vaddr: TEXT, flags: 5, mem_size: text.len() as u32, data: text },
            Seg { vaddr: DATA, flags: 6, mem_size: 0x1000, data: template.clone() },
            // The TLS template: 0x20 initialised bytes, 0x30 more zeroed.
            Seg { vaddr: DATA, flags: 4, mem_size: 0x50, data: template },
        ],
        &[(IMPORTS_SECTION, Vec::new())],
        TEXT,
    );
    // build_elf writes PT_LOAD headers; make the fourth one PT_TLS.
    let phoff = u32::from_be_bytes(elf[28..32].try_into().unwrap()) as usize;
    elf[phoff + 3 * 32..phoff + 3 * 32 + 4].copy_from_slice(&crate::formats::elf::PT_TLS.to_be_bytes());
    let options = PackOptions { tls_slot_count: 32, ..PackOptions::default() };
    let file = pack_elf(&elf, &options, &test_resolver).expect("packs");
    let (xex, image, _) = load(&file);
    let tls = xex.tls_info.expect("TLS info header present");
    assert_eq!((tls.slot_count, tls.raw_data_address, tls.data_size, tls.raw_data_size), (32, DATA, 0x50, 0x20));
    let at = (DATA - image.base) as usize;
    assert_eq!(&image.data[at..at + 4], &[1, 2, 3, 4]);
}

fn resource_entry(name: &[u8], address: u32, size: u32) -> Vec<u8> {
    let mut e = name.to_vec();
    e.resize(8, 0);
    e.extend_from_slice(&address.to_be_bytes());
    e.extend_from_slice(&size.to_be_bytes());
    e
}

fn elf_with_resources(entries: Vec<u8>) -> Vec<u8> {
    let rodata = b"resource bytes".to_vec();
    let text: Vec<u8> = (0..0x40u32).flat_map(|i| (0x6000_0000u32 | i).to_be_bytes()).collect();
    build_elf(
        &[
            Seg { vaddr: RODATA, flags: 4, mem_size: rodata.len() as u32, data: rodata },
            Seg { vaddr: TEXT, flags: 5, mem_size: text.len() as u32, data: text },
        ],
        &[(IMPORTS_SECTION, Vec::new()), (RESOURCES_SECTION, entries)],
        TEXT,
    )
}

#[test]
fn declared_resources_become_the_resource_info_header() {
    let entries = [resource_entry(b"58450001", RODATA, 14), resource_entry(b"kmisc", RODATA + 4, 4)].concat();
    let file = pack_elf(&elf_with_resources(entries), &PackOptions::default(), &test_resolver).expect("packs");
    let (xex, _, _) = load(&file);
    let names: Vec<(&str, u32, u32)> = xex.resources.iter().map(|r| (r.name.as_str(), r.address, r.size)).collect();
    assert_eq!(names, [("58450001", RODATA, 14), ("kmisc", RODATA + 4, 4)]);
}

#[test]
fn a_resource_outside_the_image_is_a_pack_error() {
    let entries = resource_entry(b"far", 0x9000_0000, 4);
    let err = pack_elf(&elf_with_resources(entries), &PackOptions::default(), &test_resolver).unwrap_err();
    assert!(err.to_string().contains("outside the image"), "{err}");
}
