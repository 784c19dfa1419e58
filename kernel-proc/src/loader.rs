//! Loading a title: the image into its heap, every import bound, the game
//! device mounted, the main thread created.
//!
//! A function import's 16-byte thunk is rewritten to trap into the kernel:
//!
//! ```text
//! lis  r0, id@h
//! ori  r0, r0, id@l
//! sc
//! blr
//! ```
//!
//! where `id` is the export's index in the export table, or for an export
//! the table lacks [`UNKNOWN_EXPORT`]` | library << 16 | ordinal`, so the
//! kernel can still name it when it is called. The function's import record
//! is set to the thunk's address (code that calls through the record lands
//! on the thunk too); a variable's record is set to its data block
//! ([`crate::variables`]).

use crate::exports::{self, Export, Module, EXPORTS};
use crate::kernel::Kernel;
use crate::mm;
use crate::status::NtStatus;
use crate::{threading, variables};
use shared::formats::title::Title;
use shared::ipc::kernel::{GuestThreadId, THREAD_RETURN_ADDRESS};
use shared::memory::VirtAddr;

/// Marks an export id that names a (library, ordinal) pair the table lacks.
pub const UNKNOWN_EXPORT: u32 = 0x8000_0000;
/// Library number used in an unknown id for a library Xenact does not know.
const UNKNOWN_LIBRARY: u32 = 0xFF;
/// Stack of the main thread when the XEX names none.
pub const DEFAULT_STACK_SIZE: u32 = 256 * 1024;

/// What a thunk's id refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportRef {
    /// A row of the export table, by index.
    Known(usize),
    /// An ordinal the table does not list (`library` is `Module as u32`, or 0xFF).
    Unknown { library: u32, ordinal: u16 },
}

/// The id a thunk loads into r0 for `ordinal` of `module`.
pub fn export_id(module: Option<Module>, ordinal: u16) -> u32 {
    match module.and_then(|m| exports::index_of(m, ordinal)) {
        Some(index) => index as u32,
        None => UNKNOWN_EXPORT | (module.map_or(UNKNOWN_LIBRARY, |m| m as u32) << 16) | ordinal as u32,
    }
}

/// Decodes an id from r0.
pub fn resolve(id: u32) -> ExportRef {
    if id & UNKNOWN_EXPORT != 0 {
        ExportRef::Unknown { library: (id >> 16) & 0xFF, ordinal: id as u16 }
    } else {
        ExportRef::Known(id as usize)
    }
}

/// The four instructions of a thunk that traps with `id`.
pub const fn thunk(id: u32) -> [u32; 4] {
    [0x3C00_0000 | (id >> 16), 0x6000_0000 | (id & 0xFFFF), 0x4400_0002, 0x4E80_0020]
}

/// Why a title could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("the image at {base:#010x} ({size:#x} bytes) cannot be placed: {status}")]
    Place { base: u32, size: u32, status: NtStatus },
    #[error("binding import {name}: {status}")]
    Bind { name: String, status: NtStatus },
    #[error("the executable has no entry point")]
    NoEntryPoint,
    #[error("writing the image into guest memory: {0}")]
    Memory(#[from] shared::memory::MemError),
    #[error("creating the main thread: {0}")]
    MainThread(NtStatus),
}

/// A loaded, started title.
#[derive(Debug, Clone)]
pub struct LoadedTitle {
    pub base: u32,
    pub size: u32,
    pub entry: u32,
    pub stack_size: u32,
    pub title_id: Option<u32>,
    pub main_thread: GuestThreadId,
    /// Imports the export table does not list, as `library!ordinal`.
    pub unknown_imports: Vec<String>,
}

/// Loads `title` and starts its main thread.
pub fn load(kernel: &mut Kernel, title: Title) -> Result<LoadedTitle, LoadError> {
    let exe = &title.executable;
    let base = exe.image.base;
    let size = exe.image.data.len() as u32;
    let memory = kernel.memory.clone();
    kernel
        .mm
        .alloc_fixed(&memory, VirtAddr(base), mm::Request::commit(size, mm::Protect::READ_WRITE))
        .map_err(|status| LoadError::Place { base, size, status })?;
    memory.write_bytes(VirtAddr(base), &exe.image.data)?;
    let entry = exe.xex.entry_point.ok_or(LoadError::NoEntryPoint)?;
    crate::modules::register_title(kernel, base, entry, size, exe.xex.system_flags, &title.xex_header)
        .map_err(|status| LoadError::Bind { name: "the title's module entry".into(), status })?;
    let mut unknown_imports = Vec::new();
    for library in &exe.imports {
        let module = Module::from_library_name(&library.name);
        for import in &library.imports {
            let id = export_id(module, import.ordinal);
            let export = match resolve(id) {
                ExportRef::Known(index) => Some((index, &EXPORTS[index])),
                ExportRef::Unknown { .. } => {
                    unknown_imports.push(format!("{}!{:#x}", library.name, import.ordinal));
                    None
                }
            };
            match import.thunk_address {
                Some(thunk_address) => {
                    for (i, word) in thunk(id).iter().enumerate() {
                        memory.write_u32(VirtAddr(thunk_address + 4 * i as u32), *word)?;
                    }
                    memory.write_u32(VirtAddr(import.record_address), thunk_address)?;
                }
                None => {
                    let address = match export {
                        Some((index, e)) => variable(kernel, index, e)?,
                        // An unknown variable reads as a null pointer.
                        None => VirtAddr(0),
                    };
                    memory.write_u32(VirtAddr(import.record_address), address.0)?;
                }
            }
        }
    }
    if !unknown_imports.is_empty() {
        tracing::warn!("imports missing from the export table: {}", unknown_imports.join(", "));
    }
    if let Some(volume) = title.volume {
        kernel.io.mount_title(volume);
    }
    let stack_size = exe.xex.default_stack_size.unwrap_or(DEFAULT_STACK_SIZE).max(DEFAULT_STACK_SIZE);
    kernel.threads.set_return_thunk(VirtAddr(THREAD_RETURN_ADDRESS));
    kernel.threads.set_default_stack_size(stack_size);
    if let Some(tls) = &exe.xex.tls_info {
        kernel.threads.set_tls_template(threading::tls::TlsTemplate {
            slot_count: tls.slot_count,
            data_size: tls.data_size,
            raw_data_address: tls.raw_data_address,
            raw_data_size: tls.raw_data_size,
        });
    }
    let (_, main_thread) = threading::create_thread(
        kernel,
        threading::CreateThread { entry, stack_size, main_thread: true, ..threading::CreateThread::default() },
    )
    .map_err(LoadError::MainThread)?;
    Ok(LoadedTitle { base, size, entry, stack_size, title_id: exe.xex.title_id(), main_thread, unknown_imports })
}

fn variable(kernel: &mut Kernel, index: usize, export: &Export) -> Result<VirtAddr, LoadError> {
    variables::address_of(kernel, index).map_err(|status| LoadError::Bind { name: export.name.into(), status })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_exports_get_their_index_and_unknown_ones_keep_library_and_ordinal() {
        let id = export_id(Some(Module::Xboxkrnl), 3);
        assert_eq!(resolve(id), ExportRef::Known(id as usize));
        assert_eq!(EXPORTS[id as usize].name, "DbgPrint");
        let unknown = export_id(Some(Module::Xam), 0xFFF0);
        assert_eq!(resolve(unknown), ExportRef::Unknown { library: Module::Xam as u32, ordinal: 0xFFF0 });
        assert_eq!(resolve(export_id(None, 7)), ExportRef::Unknown { library: 0xFF, ordinal: 7 });
    }

    #[test]
    fn a_thunk_loads_its_id_into_r0_then_traps_and_returns() {
        assert_eq!(thunk(0x0001_0203), [0x3C00_0001, 0x6000_0203, 0x4400_0002, 0x4E80_0020]);
    }
}
