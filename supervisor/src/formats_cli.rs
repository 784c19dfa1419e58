//! The title-format commands: `xenact info`, `xenact xex pack`, `xenact iso pack`.
//!
//! Wiring (owned by `lib.rs` and `main.rs`):
//!
//! ```text
//! // lib.rs
//! pub mod formats_cli;
//!
//! // main.rs, in the clap `Subcommand` enum
//! /// Describe a .xex, a disc image or a title folder.
//! Info(formats_cli::InfoArgs),
//! /// Build XEX2 files.
//! #[command(subcommand)]
//! Xex(formats_cli::XexCommand),
//! /// Build disc images.
//! #[command(subcommand)]
//! Iso(formats_cli::IsoCommand),
//!
//! // main.rs, in the dispatch
//! Command::Info(args) => formats_cli::run_info(&args),
//! Command::Xex(cmd) => formats_cli::run_xex(&cmd),
//! Command::Iso(cmd) => formats_cli::run_iso(&cmd),
//!
//! // main.rs, when a command fails: a bad input file exits with code 2
//! if err.downcast_ref::<formats_cli::BadInput>().is_some() { exit(2) }
//! ```
//!
//! A [`BadInput`] prints as one line (`PATH: what is wrong, at which offset`).

use anyhow::Context;
use kernel_proc::exports::{self, ExportKind, Module};
use shared::formats::disc::{self, Volume};
use shared::formats::xex::pack::{self, PackCompression, PackOptions, ResolvedImport};
use shared::formats::xex::{self, key, pe, version_string, Compression, Encryption, KeyKind, SectionKind, XexFile};
use shared::formats::FormatError;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// An input file that cannot be read as what it should be. The CLI exits
/// with code 2 for it.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct BadInput {
    pub path: PathBuf,
    pub message: String,
}

impl BadInput {
    fn new(path: &Path, err: impl std::fmt::Display) -> Self {
        BadInput { path: path.to_path_buf(), message: err.to_string() }
    }
}

/// `xenact info FILE`.
#[derive(Debug, clap::Args)]
pub struct InfoArgs {
    /// A .xex file, a GDFX disc image, or a folder holding default.xex.
    pub file: PathBuf,
}

/// `xenact xex …`.
#[derive(Debug, clap::Subcommand)]
pub enum XexCommand {
    /// Build a XEX2 from a static big-endian PowerPC ELF linked at the XEX base.
    Pack(XexPackArgs),
}

/// Compression choices of `xenact xex pack --compress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompressArg {
    /// LZX ("normal" compression), the default of a bare `--compress`.
    Lzx,
    /// Zero runs dropped ("basic" compression).
    Basic,
}

/// Master keys of `xenact xex pack --encrypt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KeyArg {
    /// The retail key, the default of a bare `--encrypt`.
    Retail,
    /// The devkit key.
    Devkit,
}

/// `xenact xex pack IN.elf -o OUT.xex`.
#[derive(Debug, clap::Args)]
pub struct XexPackArgs {
    /// The ELF to pack.
    pub input: PathBuf,
    /// Where to write the XEX.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Compress the image (LZX unless `--compress=basic`).
    #[arg(long, value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "lzx")]
    pub compress: Option<CompressArg>,
    /// Encrypt the image (retail key unless `--encrypt=devkit`).
    #[arg(long, value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "retail")]
    pub encrypt: Option<KeyArg>,
    /// Title id, hexadecimal (e.g. 58450001 or 0x58450001).
    #[arg(long, value_parser = parse_hex_u32)]
    pub title_id: Option<u32>,
    /// Default stack size of the title's main thread, in bytes (hex with 0x).
    #[arg(long, value_parser = parse_u32)]
    pub stack_size: Option<u32>,
    /// Name recorded as the original PE name.
    #[arg(long, default_value = "default.exe")]
    pub pe_name: String,
}

/// `xenact iso …`.
#[derive(Debug, clap::Subcommand)]
pub enum IsoCommand {
    /// Build a GDFX disc image from a folder.
    Pack(IsoPackArgs),
}

/// `xenact iso pack DIR -o OUT.iso`.
#[derive(Debug, clap::Args)]
pub struct IsoPackArgs {
    /// The folder whose contents become the disc's root.
    pub dir: PathBuf,
    /// Where to write the image.
    #[arg(short, long)]
    pub output: PathBuf,
}

fn parse_hex_u32(s: &str) -> Result<u32, String> {
    let digits = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")).unwrap_or(s);
    u32::from_str_radix(digits, 16).map_err(|e| format!("{s:?} is not a 32-bit hex number: {e}"))
}

fn parse_u32(s: &str) -> Result<u32, String> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => s.parse(),
    }
    .map_err(|e| format!("{s:?} is not a 32-bit number: {e}"))
}

/// Runs `xenact info`: prints the description to stdout.
pub fn run_info(args: &InfoArgs) -> anyhow::Result<()> {
    print!("{}", describe(&args.file)?);
    Ok(())
}

/// Runs `xenact xex …`.
pub fn run_xex(cmd: &XexCommand) -> anyhow::Result<()> {
    match cmd {
        XexCommand::Pack(args) => run_xex_pack(args),
    }
}

/// Runs `xenact iso …`.
pub fn run_iso(cmd: &IsoCommand) -> anyhow::Result<()> {
    match cmd {
        IsoCommand::Pack(args) => run_iso_pack(args),
    }
}

/// Runs `xenact xex pack`.
pub fn run_xex_pack(args: &XexPackArgs) -> anyhow::Result<()> {
    let elf = std::fs::read(&args.input).map_err(|e| BadInput::new(&args.input, e))?;
    let defaults = PackOptions::default();
    let options = PackOptions {
        compression: match args.compress {
            None => PackCompression::None,
            Some(CompressArg::Lzx) => PackCompression::Lzx,
            Some(CompressArg::Basic) => PackCompression::Basic,
        },
        encryption: args.encrypt.map(|k| match k {
            KeyArg::Retail => KeyKind::Retail,
            KeyArg::Devkit => KeyKind::Devkit,
        }),
        title_id: args.title_id.unwrap_or(defaults.title_id),
        default_stack_size: args.stack_size.unwrap_or(defaults.default_stack_size),
        original_pe_name: args.pe_name.clone(),
        ..defaults
    };
    let packed = pack::pack_elf(&elf, &options, &resolve_export).map_err(|e| BadInput::new(&args.input, e))?;
    std::fs::write(&args.output, packed).with_context(|| format!("writing {}", args.output.display()))?;
    Ok(())
}

/// Runs `xenact iso pack`.
pub fn run_iso_pack(args: &IsoPackArgs) -> anyhow::Result<()> {
    let tree = disc::pack::read_host_tree(&args.dir).map_err(|e| BadInput::new(&args.dir, e))?;
    let image = disc::pack::pack_tree(&tree).map_err(|e| BadInput::new(&args.dir, e))?;
    std::fs::write(&args.output, image).with_context(|| format!("writing {}", args.output.display()))?;
    Ok(())
}

/// The packer's resolver: export names from the kernel's export table.
pub fn resolve_export(name: &str) -> Option<ResolvedImport> {
    exports::find_by_name(name).map(|e| ResolvedImport {
        library: e.module.library_name().to_string(),
        ordinal: e.ordinal,
        is_function: e.kind == ExportKind::Function,
    })
}

/// The text `xenact info` prints for `path`.
pub fn describe(path: &Path) -> Result<String, BadInput> {
    let meta = std::fs::metadata(path).map_err(|e| BadInput::new(path, e))?;
    let mut out = String::new();
    let _ = writeln!(out, "file: {}", path.display());
    if !meta.is_dir() {
        let mut magic = [0u8; 4];
        let is_xex = std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic)).is_ok()
            && (magic == *b"XEX2" || magic == *b"XEX1");
        if is_xex {
            let data = std::fs::read(path).map_err(|e| BadInput::new(path, e))?;
            let file = xex::read(&data).map_err(|e| BadInput::new(path, e))?;
            describe_xex(&mut out, &file, "");
            return Ok(out);
        }
    }
    let volume = disc::open_volume(path).map_err(|e| BadInput::new(path, e))?;
    describe_volume(&mut out, volume.as_ref()).map_err(|e| BadInput::new(path, e))?;
    Ok(out)
}

fn describe_volume(out: &mut String, volume: &dyn Volume) -> Result<(), FormatError> {
    let _ = writeln!(out, "format: {}", volume.describe());
    let _ = writeln!(out, "files:");
    for (path, entry) in volume.walk()? {
        if entry.is_dir {
            let _ = writeln!(out, "  {path}\\");
        } else {
            let _ = writeln!(out, "  {path}  {} bytes", entry.size);
        }
    }
    match volume.read(disc::DEFAULT_XEX) {
        Ok(data) => {
            let file = xex::read(&data).map_err(|e| FormatError::invalid("default.xex", 0, e.to_string()))?;
            let _ = writeln!(out, "{}:", disc::DEFAULT_XEX);
            describe_xex(out, &file, "  ");
        }
        Err(FormatError::NotFound(_)) => {
            let _ = writeln!(out, "no {} on this volume", disc::DEFAULT_XEX);
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

fn describe_xex(out: &mut String, file: &XexFile, indent: &str) {
    let x = &file.xex;
    let mut line = |s: String| {
        let _ = writeln!(out, "{indent}{s}");
    };
    line(format!("format: XEX2 (module flags {:#010x}{})", x.module_flags, if x.is_patch() { ", patch" } else { "" }));
    line(format!(
        "encryption: {}",
        match (x.file_format.encryption, file.image.key) {
            (Encryption::None, _) => "none".to_string(),
            (Encryption::Normal, Some(KeyKind::Retail)) => "AES-128-CBC, retail key".into(),
            (Encryption::Normal, Some(KeyKind::Devkit)) => "AES-128-CBC, devkit key".into(),
            (Encryption::Normal, None) => "AES-128-CBC".into(),
        }
    ));
    line(format!(
        "compression: {}",
        match &x.file_format.compression {
            Compression::None => "none".to_string(),
            Compression::Basic(blocks) => format!("basic ({} blocks)", blocks.len()),
            Compression::Normal { window_size, .. } => format!("LZX (window {window_size:#x})"),
            Compression::Delta => "delta patch".into(),
        }
    ));
    match &x.execution_info {
        Some(e) => line(format!(
            "title id: {:08X} (version {}, disc {} of {})",
            e.title_id,
            version_string(e.version),
            e.disc_number,
            e.disc_count
        )),
        None => line("title id: none".into()),
    }
    line(format!("entry point: {}", x.entry_point.map_or("none".into(), |e| format!("{e:#010x}"))));
    line(format!("image base: {:#010x}", x.image_base));
    line(format!("image size: {:#x} ({} KiB pages)", x.security.image_size, x.security.page_size() / 1024));
    line(format!("stack size: {}", x.default_stack_size.map_or("default".into(), |s| format!("{s:#x}"))));
    line(format!("system flags: {:#010x}", x.system_flags));
    if let Some(name) = &x.original_pe_name {
        line(format!("original PE name: {name}"));
    }
    match &x.tls_info {
        Some(t) => line(format!(
            "TLS: {} slots, data at {:#010x}, {:#x} bytes ({:#x} initialised)",
            t.slot_count, t.raw_data_address, t.data_size, t.raw_data_size
        )),
        None => line("TLS: none".into()),
    }
    line("pages:".into());
    let page_size = x.security.page_size();
    let mut address = x.image_base;
    for d in &x.security.page_descriptors {
        let size = d.page_count.wrapping_mul(page_size);
        let kind = match d.kind {
            SectionKind::Code => "code".to_string(),
            SectionKind::Data => "data".into(),
            SectionKind::ReadOnlyData => "read-only data".into(),
            SectionKind::Other(b) => format!("kind {b}"),
        };
        line(format!("  {address:#010x}..{:#010x}  {kind} ({} pages)", address.wrapping_add(size), d.page_count));
        address = address.wrapping_add(size);
    }
    match pe::sections(&file.image.data) {
        Ok(sections) => {
            line("sections:".into());
            for s in sections {
                line(format!(
                    "  {:<8} {:#010x}  {:#x} bytes  {}",
                    s.name,
                    x.image_base.wrapping_add(s.virtual_address),
                    s.virtual_size,
                    s.access()
                ));
            }
        }
        Err(e) => line(format!("sections: unreadable PE header ({e})")),
    }
    if !x.resources.is_empty() {
        line("resources:".into());
        for r in &x.resources {
            line(format!("  {:<8} {:#010x}  {:#x} bytes", r.name, r.address, r.size));
        }
    }
    line("imports:".into());
    if file.imports.is_empty() {
        line("  none".into());
    }
    for lib in &file.imports {
        line(format!("  {} {} ({} imports)", lib.name, lib.version_string(), lib.imports.len()));
        let module = Module::from_library_name(&lib.name);
        for i in &lib.imports {
            let name = module.and_then(|m| exports::by_ordinal(m, i.ordinal)).map_or("(unknown export)", |e| e.name);
            match i.thunk_address {
                Some(thunk) => line(format!(
                    "    function {:#05x} {name}  record {:#010x}  thunk {thunk:#010x}",
                    i.ordinal, i.record_address
                )),
                None => line(format!("    variable {:#05x} {name}  record {:#010x}", i.ordinal, i.record_address)),
            }
        }
    }
    let optional: Vec<String> = x
        .optional_headers
        .iter()
        .map(|h| key::name(h.key).map_or(format!("{:#010x}", h.key), str::to_string))
        .collect();
    line(format!("optional headers: {}", optional.join(", ")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_title_ids_parse_with_or_without_prefix() {
        assert_eq!(parse_hex_u32("58450001"), Ok(0x5845_0001));
        assert_eq!(parse_hex_u32("0x58450001"), Ok(0x5845_0001));
        assert!(parse_hex_u32("xyz").is_err());
    }

    #[test]
    fn resolver_knows_kernel_and_xam_exports() {
        let r = resolve_export("DbgPrint").unwrap();
        assert_eq!((r.library.as_str(), r.ordinal, r.is_function), ("xboxkrnl.exe", 3, true));
        assert_eq!(resolve_export("XamGetSystemVersion").unwrap().library, "xam.xex");
        assert!(resolve_export("NotAnExport").is_none());
    }

    #[test]
    fn info_on_garbage_is_bad_input_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("xenact-info-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("bad.xex");
        std::fs::write(&bad, b"XEX2\0\0\0\x01").unwrap();
        let err = describe(&bad).unwrap_err();
        assert!(err.to_string().starts_with(&bad.display().to_string()), "{err}");
        assert!(!err.to_string().contains('\n'));
        let not_disc = dir.join("x.iso");
        std::fs::write(&not_disc, vec![0u8; 0x20000]).unwrap();
        assert!(describe(&not_disc).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
