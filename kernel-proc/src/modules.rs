//! The loaded modules as the title sees them: its own module handle, the
//! kernel modules it can look up by name, procedure addresses by ordinal,
//! executable privileges, and ending the title.
//!
//! A module handle is the guest address of a loader data-table entry
//! (`LDR_DATA_TABLE_ENTRY`: `DllBase` at 0x18, `EntryPoint` at 0x1C,
//! `SizeOfImage` at 0x20, the NT layout).

use crate::dispatch::{Call, Outcome};
use crate::exports::{self, Module};
use crate::kernel::Kernel;
use crate::loader;
use crate::status::NtStatus;
use shared::memory::VirtAddr;
use std::collections::HashMap;

const LDR_ENTRY_SIZE: u32 = 0x60;
const LDR_DLL_BASE: u32 = 0x18;
const LDR_ENTRY_POINT: u32 = 0x1C;
const LDR_SIZE_OF_IMAGE: u32 = 0x20;

/// What the kernel remembers of the loaded title and of module lookups.
#[derive(Debug, Default)]
pub struct Modules {
    /// The title's module handle, once loaded.
    pub title: Option<VirtAddr>,
    /// XEX system flags (`XexCheckExecutablePrivilege` reads them).
    pub system_flags: u32,
    kernel_modules: HashMap<Module, VirtAddr>,
    /// Thunks handed out by `XexGetProcedureAddress`, by export id.
    thunks: HashMap<u32, VirtAddr>,
}

fn ldr_entry(kernel: &mut Kernel, base: u32, entry: u32, size: u32) -> Result<VirtAddr, NtStatus> {
    let memory = kernel.memory.clone();
    let addr = kernel.mm.pool_alloc(&memory, LDR_ENTRY_SIZE).ok_or(NtStatus::NO_MEMORY)?;
    let fill = || -> Result<(), shared::MemError> {
        memory.fill(addr, LDR_ENTRY_SIZE, 0)?;
        memory.write_u32(addr.add(LDR_DLL_BASE), base)?;
        memory.write_u32(addr.add(LDR_ENTRY_POINT), entry)?;
        memory.write_u32(addr.add(LDR_SIZE_OF_IMAGE), size)
    };
    fill().map_err(|_| NtStatus::ACCESS_VIOLATION)?;
    Ok(addr)
}

/// Records the loaded title; called by the loader.
pub fn register_title(
    kernel: &mut Kernel,
    base: u32,
    entry: u32,
    size: u32,
    system_flags: u32,
) -> Result<(), NtStatus> {
    let handle = ldr_entry(kernel, base, entry, size)?;
    kernel.modules.title = Some(handle);
    kernel.modules.system_flags = system_flags;
    Ok(())
}

fn read_ansi(kernel: &Kernel, addr: VirtAddr) -> Option<String> {
    let mut name = Vec::new();
    for i in 0..260 {
        match kernel.memory.read_u8(addr.add(i)).ok()? {
            0 => return Some(String::from_utf8_lossy(&name).into_owned()),
            b => name.push(b),
        }
    }
    None
}

/// `XexGetModuleHandle(name, handle_out)`: a null name is the title itself.
pub fn xex_get_module_handle(kernel: &mut Kernel, name: Option<VirtAddr>, handle_out: VirtAddr) -> NtStatus {
    let handle = match name {
        None => kernel.modules.title,
        Some(name) => {
            let Some(name) = read_ansi(kernel, name) else { return NtStatus::INVALID_PARAMETER };
            match Module::from_library_name(&name) {
                Some(module) => match kernel.modules.kernel_modules.get(&module) {
                    Some(&h) => Some(h),
                    None => match ldr_entry(kernel, 0, 0, 0) {
                        Ok(h) => {
                            kernel.modules.kernel_modules.insert(module, h);
                            Some(h)
                        }
                        Err(status) => return status,
                    },
                },
                None => None,
            }
        }
    };
    let Some(handle) = handle else {
        let _ = kernel.memory.write_u32(handle_out, 0);
        return NtStatus::DLL_NOT_FOUND;
    };
    match kernel.memory.write_u32(handle_out, handle.0) {
        Ok(()) => NtStatus::SUCCESS,
        Err(_) => NtStatus::ACCESS_VIOLATION,
    }
}

/// `XexGetProcedureAddress(module, ordinal, address_out)`: for a kernel
/// module, a thunk that traps into that export (made on first request).
pub fn xex_get_procedure_address(kernel: &mut Kernel, module: u32, ordinal: u32, address_out: VirtAddr) -> NtStatus {
    let Some((&which, _)) = kernel.modules.kernel_modules.iter().find(|(_, h)| h.0 == module) else {
        return NtStatus::PROCEDURE_NOT_FOUND;
    };
    let Some(index) = exports::index_of(which, ordinal as u16) else { return NtStatus::PROCEDURE_NOT_FOUND };
    let id = index as u32;
    let thunk = match kernel.modules.thunks.get(&id) {
        Some(&t) => t,
        None => {
            let memory = kernel.memory.clone();
            let Some(t) = kernel.mm.pool_alloc(&memory, 16) else { return NtStatus::NO_MEMORY };
            for (i, word) in loader::thunk(id).iter().enumerate() {
                let _ = memory.write_u32(t.add(4 * i as u32), *word);
            }
            kernel.modules.thunks.insert(id, t);
            t
        }
    };
    match kernel.memory.write_u32(address_out, thunk.0) {
        Ok(()) => NtStatus::SUCCESS,
        Err(_) => NtStatus::ACCESS_VIOLATION,
    }
}

/// `XexCheckExecutablePrivilege(privilege)`: bit `privilege` of the XEX
/// system flags.
pub fn xex_check_executable_privilege(kernel: &mut Kernel, privilege: u32) -> u32 {
    if privilege < 32 {
        (kernel.modules.system_flags >> privilege) & 1
    } else {
        0
    }
}

/// `XamLoaderTerminateTitle()`: the title ends. Its exit code is the main
/// thread's if that has ended, else 0.
pub fn xam_loader_terminate_title(kernel: &mut Kernel, _call: Call) -> Outcome {
    Outcome::TerminateTitle(kernel.title_exit.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_null_name_is_the_title_and_kernel_modules_resolve_to_trapping_thunks() {
        let mut k = Kernel::for_tests();
        register_title(&mut k, 0x8200_0000, 0x8201_0000, 0x30000, 0b100).unwrap();
        let out = VirtAddr(0x4000_0000);
        assert_eq!(xex_get_module_handle(&mut k, None, out), NtStatus::SUCCESS);
        let title = k.memory.read_u32(out).unwrap();
        assert_eq!(k.memory.read_u32(VirtAddr(title + LDR_DLL_BASE)).unwrap(), 0x8200_0000);
        let name = VirtAddr(0x4000_0100);
        k.memory.write_bytes(name, b"XBOXKRNL.EXE\0").unwrap();
        assert_eq!(xex_get_module_handle(&mut k, Some(name), out), NtStatus::SUCCESS);
        let kernel_module = k.memory.read_u32(out).unwrap();
        assert_ne!(kernel_module, title);
        assert_eq!(xex_get_procedure_address(&mut k, kernel_module, 3, out), NtStatus::SUCCESS);
        let thunk = VirtAddr(k.memory.read_u32(out).unwrap());
        let id = exports::index_of(Module::Xboxkrnl, 3).unwrap() as u32;
        assert_eq!(k.memory.read_u32(thunk.add(4)).unwrap(), loader::thunk(id)[1]);
        assert_eq!(xex_check_executable_privilege(&mut k, 2), 1);
        assert_eq!(xex_check_executable_privilege(&mut k, 1), 0);
    }

    #[test]
    fn an_unknown_module_name_is_not_found() {
        let mut k = Kernel::for_tests();
        let name = VirtAddr(0x4000_0100);
        k.memory.write_bytes(name, b"nosuch.dll\0").unwrap();
        assert_eq!(xex_get_module_handle(&mut k, Some(name), VirtAddr(0x4000_0000)), NtStatus::DLL_NOT_FOUND);
    }
}
