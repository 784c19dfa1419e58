//! The loaded modules as the title sees them: its own module handle, the
//! kernel modules it can look up by name, procedure addresses by ordinal,
//! executable privileges, and ending the title.
//!
//! A module handle is the guest address of a loader data-table entry, laid
//! out as the console's (xenia `xmodule.h`, `X_LDR_DATA_TABLE_ENTRY`):
//! `dll_base` 0x18, `image_base` 0x1C, `image_size` 0x20,
//! `full_image_size` 0x38, `entry_point` 0x3C, `xex_header_base` 0x58 (the
//! XEX header copied into guest memory, which `RtlImageXexHeaderField`
//! reads).

use crate::dispatch::{Call, Outcome};
use crate::exports::{self, Module};
use crate::kernel::Kernel;
use crate::loader;
use crate::status::NtStatus;
use shared::memory::VirtAddr;
use std::collections::HashMap;

const LDR_ENTRY_SIZE: u32 = 0x64;
const LDR_IMAGE_BASE: u32 = 0x1C;
const LDR_IMAGE_SIZE: u32 = 0x20;
const LDR_FULL_IMAGE_SIZE: u32 = 0x38;
const LDR_ENTRY_POINT: u32 = 0x3C;
const LDR_XEX_HEADER_BASE: u32 = 0x58;
/// Offsets in a XEX header: the optional-header count, then the
/// (key, value) pairs (xenia `xex2_info.h`).
const XEX_HEADER_COUNT: u32 = 0x14;
const XEX_HEADERS: u32 = 0x18;
/// The resource info optional header's key.
const RESOURCE_INFO: u32 = 0x0000_02FF;

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
    /// `ExRegisterTitleTerminateNotification` registrations: (routine,
    /// priority), highest priority first.
    pub terminate_notifications: Vec<(u32, i32)>,
}

fn ldr_entry(kernel: &mut Kernel, base: u32, entry: u32, size: u32, header: u32) -> Result<VirtAddr, NtStatus> {
    let memory = kernel.memory.clone();
    let addr = kernel.mm.pool_alloc(&memory, LDR_ENTRY_SIZE).ok_or(NtStatus::NO_MEMORY)?;
    let fill = || -> Result<(), shared::MemError> {
        memory.fill(addr, LDR_ENTRY_SIZE, 0)?;
        memory.write_u32(addr.add(LDR_IMAGE_BASE), base)?;
        memory.write_u32(addr.add(LDR_IMAGE_SIZE), size)?;
        memory.write_u32(addr.add(LDR_FULL_IMAGE_SIZE), size)?;
        memory.write_u32(addr.add(LDR_ENTRY_POINT), entry)?;
        memory.write_u32(addr.add(LDR_XEX_HEADER_BASE), header)
    };
    fill().map_err(|_| NtStatus::ACCESS_VIOLATION)?;
    Ok(addr)
}

/// Records the loaded title and copies its XEX header into guest memory;
/// called by the loader before imports are bound.
pub fn register_title(
    kernel: &mut Kernel,
    base: u32,
    entry: u32,
    size: u32,
    system_flags: u32,
    xex_header: &[u8],
) -> Result<(), NtStatus> {
    let memory = kernel.memory.clone();
    let header = kernel.mm.pool_alloc(&memory, xex_header.len().max(4) as u32).ok_or(NtStatus::NO_MEMORY)?;
    memory.write_bytes(header, xex_header).map_err(|_| NtStatus::ACCESS_VIOLATION)?;
    let handle = ldr_entry(kernel, base, entry, size, header.0)?;
    kernel.modules.title = Some(handle);
    kernel.modules.system_flags = system_flags;
    Ok(())
}

/// `RtlImageXexHeaderField(XexHeaderBase, ImageField)`: for a key whose low
/// byte is 0 the header's value, for 1 the address of that value, else the
/// address of the data at the value's offset in the header; 0 when absent.
pub fn rtl_image_xex_header_field(kernel: &mut Kernel, header: VirtAddr, key: u32) -> u32 {
    let m = &kernel.memory;
    let count = m.read_u32(header.add(XEX_HEADER_COUNT)).unwrap_or(0).min(0x100);
    for i in 0..count {
        let entry = header.add(XEX_HEADERS + 8 * i);
        if m.read_u32(entry).ok() != Some(key) {
            continue;
        }
        let value = m.read_u32(entry.add(4)).unwrap_or(0);
        return match key & 0xFF {
            0 => value,
            1 => entry.add(4).0,
            _ => header.0.wrapping_add(value),
        };
    }
    0
}

/// The title's module handle, for the `XexExecutableModuleHandle` variable.
pub fn title_handle(kernel: &Kernel) -> u32 {
    kernel.modules.title.map_or(0, |h| h.0)
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
                    None => match ldr_entry(kernel, 0, 0, 0, 0) {
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

/// `XamLoaderGetLaunchDataSize(SizeOut)`: a title started directly has no
/// launch data (`ERROR_NOT_FOUND`).
pub fn xam_loader_get_launch_data_size(kernel: &mut Kernel, size_out: Option<VirtAddr>) -> u32 {
    let Some(out) = size_out else { return crate::xam::error::INVALID_PARAMETER };
    let _ = kernel.memory.write_u32(out, 0);
    crate::xam::error::NOT_FOUND
}

/// `XamLoaderGetLaunchData(Buffer, BufferSize)`: no launch data.
pub fn xam_loader_get_launch_data(_kernel: &mut Kernel, _buffer: Option<VirtAddr>, _size: u32) -> u32 {
    crate::xam::error::NOT_FOUND
}

/// `HalReturnToFirmware(Routine)`: the console leaves the title (to the
/// dashboard or a reboot); here the session ends with exit code 0.
pub fn hal_return_to_firmware(_kernel: &mut Kernel, routine: u32) -> Outcome {
    tracing::info!("HalReturnToFirmware({routine}): the title leaves");
    Outcome::TerminateTitle(0)
}

/// `KeBugCheck(Code)`: the title's fatal error, reported as a guest fault.
pub fn ke_bug_check(kernel: &mut Kernel, code: u32, call: Call) -> Outcome {
    ke_bug_check_ex(kernel, code, 0, 0, 0, 0, call)
}

/// `KeBugCheckEx(Code, P1, P2, P3, P4)`: the calling thread never resumes.
pub fn ke_bug_check_ex(kernel: &mut Kernel, code: u32, p1: u32, p2: u32, p3: u32, p4: u32, call: Call) -> Outcome {
    kernel.fatal.get_or_insert_with(|| {
        format!(
            "the title called KeBugCheckEx({code:#010x}, {p1:#010x}, {p2:#010x}, {p3:#010x}, {p4:#010x}) from {:#010x} in thread {}",
            call.args.lr, call.thread
        )
    });
    Outcome::Pending
}

/// `XexGetModuleSection(Module, Name, Data*, Size*)`: the address and size
/// of a resource section the module's XEX header lists (resource info,
/// key 0x2FF: a size word, then 0x10-byte entries of an 8-byte name, the
/// address and the size; xenia `xex2_opt_resource_info`). Names compare
/// exactly, as the console's `strncmp` does. `STATUS_NOT_FOUND` when the
/// module lists no such section.
pub fn xex_get_module_section(
    kernel: &mut Kernel,
    module: VirtAddr,
    name: VirtAddr,
    data_out: VirtAddr,
    size_out: VirtAddr,
) -> NtStatus {
    let known = kernel.modules.title == Some(module) || kernel.modules.kernel_modules.values().any(|&h| h == module);
    if !known {
        return NtStatus::INVALID_HANDLE;
    }
    let Some(wanted) = read_ansi(kernel, name) else { return NtStatus::INVALID_PARAMETER };
    let header = VirtAddr(kernel.memory.read_u32(module.add(LDR_XEX_HEADER_BASE)).unwrap_or(0));
    if header.0 == 0 {
        return NtStatus::NOT_FOUND;
    }
    let info = rtl_image_xex_header_field(kernel, header, RESOURCE_INFO);
    if info == 0 {
        return NtStatus::NOT_FOUND;
    }
    let m = &kernel.memory;
    let count = m.read_u32(VirtAddr(info)).unwrap_or(0).saturating_sub(4) / 0x10;
    for i in 0..count.min(0x1000) {
        let entry = VirtAddr(info + 4 + 0x10 * i);
        let mut raw = [0u8; 8];
        if m.read_bytes(entry, &mut raw).is_err() {
            break;
        }
        let len = raw.iter().position(|&b| b == 0).unwrap_or(8);
        if raw[..len] != *wanted.as_bytes() {
            continue;
        }
        let (address, size) = (m.read_u32(entry.add(8)).unwrap_or(0), m.read_u32(entry.add(0xC)).unwrap_or(0));
        return match m.write_u32(data_out, address).and_then(|_| m.write_u32(size_out, size)) {
            Ok(()) => NtStatus::SUCCESS,
            Err(_) => NtStatus::ACCESS_VIOLATION,
        };
    }
    NtStatus::NOT_FOUND
}

/// `ExRegisterTitleTerminateNotification(Registration, Create)`: adds
/// (`Create` true) or removes the registration's routine. The
/// registration (`EX_TITLE_TERMINATE_REGISTRATION`, 0x10 bytes, xenia
/// `xbox.h`): `NotificationRoutine` 0x0, `Priority` i32 0x4, list entry 0x8.
/// The console calls the routines, highest priority first, when the title
/// ends; Xenact keeps them but runs no guest code after the title's end.
pub fn ex_register_title_terminate_notification(kernel: &mut Kernel, registration: VirtAddr, create: bool) {
    let routine = kernel.memory.read_u32(registration).unwrap_or(0);
    let priority = kernel.memory.read_u32(registration.add(4)).unwrap_or(0) as i32;
    let list = &mut kernel.modules.terminate_notifications;
    if create {
        let at = list.iter().position(|&(_, p)| p < priority).unwrap_or(list.len());
        list.insert(at, (routine, priority));
    } else if let Some(at) = list.iter().position(|&(r, _)| r == routine) {
        list.remove(at);
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
        register_title(&mut k, 0x8200_0000, 0x8201_0000, 0x30000, 0b100, &[0; 0x18]).unwrap();
        let out = VirtAddr(0x4000_0000);
        assert_eq!(xex_get_module_handle(&mut k, None, out), NtStatus::SUCCESS);
        let title = k.memory.read_u32(out).unwrap();
        assert_eq!(k.memory.read_u32(VirtAddr(title + LDR_IMAGE_BASE)).unwrap(), 0x8200_0000);
        assert_eq!(k.memory.read_u32(VirtAddr(title + LDR_ENTRY_POINT)).unwrap(), 0x8201_0000);
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
    fn xex_header_fields_come_back_as_values_pointers_or_offsets() {
        let mut k = Kernel::for_tests();
        // Three optional headers (the key's low byte says how): an inline value, a
        // pointer to the value, data at offset 0x40 (TLS info).
        let mut header = vec![0u8; 0x50];
        header[0x14..0x18].copy_from_slice(&3u32.to_be_bytes());
        let fields = [(0x0001_0100u32, 0x8201_0000u32), (0x0002_0001, 0x1234), (0x0002_0104, 0x40)];
        for (i, (key, value)) in fields.iter().enumerate() {
            let at = 0x18 + 8 * i;
            header[at..at + 4].copy_from_slice(&key.to_be_bytes());
            header[at + 4..at + 8].copy_from_slice(&value.to_be_bytes());
        }
        register_title(&mut k, 0x8200_0000, 0x8201_0000, 0x30000, 0, &header).unwrap();
        let title = title_handle(&k);
        let base = VirtAddr(k.memory.read_u32(VirtAddr(title + LDR_XEX_HEADER_BASE)).unwrap());
        assert_eq!(rtl_image_xex_header_field(&mut k, base, 0x0001_0100), 0x8201_0000);
        assert_eq!(rtl_image_xex_header_field(&mut k, base, 0x0002_0001), base.0 + 0x18 + 8 + 4);
        assert_eq!(rtl_image_xex_header_field(&mut k, base, 0x0002_0104), base.0 + 0x40);
        assert_eq!(rtl_image_xex_header_field(&mut k, base, 0x0004_0006), 0);
    }

    #[test]
    fn a_bug_check_is_a_fatal_report_and_the_thread_never_resumes() {
        let mut k = Kernel::for_tests();
        let args = shared::ipc::kernel::CallArgs { gpr: [0; 8], fpr: [0; 4], sp: 0, lr: 0x8201_0040 };
        let call = Call { thread: 4, export: 0, args };
        assert_eq!(ke_bug_check_ex(&mut k, 0xDEAD, 1, 2, 3, 4, call), Outcome::Pending);
        let report = k.fatal.clone().unwrap();
        assert!(
            report.contains("0x0000dead") && report.contains("0x82010040") && report.contains("thread 4"),
            "{report}"
        );
    }

    #[test]
    fn module_sections_come_from_the_resource_info_header() {
        let mut k = Kernel::for_tests();
        // One optional header: resource info at offset 0x40, two sections.
        let mut header = vec![0u8; 0x80];
        header[0x14..0x18].copy_from_slice(&1u32.to_be_bytes());
        header[0x18..0x1C].copy_from_slice(&RESOURCE_INFO.to_be_bytes());
        header[0x1C..0x20].copy_from_slice(&0x40u32.to_be_bytes());
        header[0x40..0x44].copy_from_slice(&(4u32 + 2 * 0x10).to_be_bytes());
        for (i, (name, addr, size)) in
            [(&b"58450001"[..], 0x8201_0000u32, 0x123u32), (b"kmisc\0\0\0", 0x8202_0000, 0x40)].iter().enumerate()
        {
            let at = 0x44 + 0x10 * i;
            header[at..at + 8].copy_from_slice(name);
            header[at + 8..at + 12].copy_from_slice(&addr.to_be_bytes());
            header[at + 12..at + 16].copy_from_slice(&size.to_be_bytes());
        }
        register_title(&mut k, 0x8200_0000, 0x8201_0000, 0x30000, 0, &header).unwrap();
        let title = VirtAddr(title_handle(&k));
        let (name, out) = (VirtAddr(0x4000_0100), VirtAddr(0x4000_0000));
        k.memory.write_bytes(name, b"kmisc\0").unwrap();
        assert_eq!(xex_get_module_section(&mut k, title, name, out, out.add(4)), NtStatus::SUCCESS);
        assert_eq!((k.memory.read_u32(out).unwrap(), k.memory.read_u32(out.add(4)).unwrap()), (0x8202_0000, 0x40));
        k.memory.write_bytes(name, b"58450001\0").unwrap();
        assert_eq!(xex_get_module_section(&mut k, title, name, out, out.add(4)), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(out.add(4)).unwrap(), 0x123);
        k.memory.write_bytes(name, b"KMISC\0").unwrap();
        assert_eq!(xex_get_module_section(&mut k, title, name, out, out.add(4)), NtStatus::NOT_FOUND);
        assert_eq!(xex_get_module_section(&mut k, VirtAddr(0x1234), name, out, out.add(4)), NtStatus::INVALID_HANDLE);
    }

    #[test]
    fn terminate_notifications_are_kept_by_priority_and_removed_by_routine() {
        let mut k = Kernel::for_tests();
        let reg = VirtAddr(0x4000_0000);
        for (routine, priority) in [(0x8200_0100u32, 1i32), (0x8200_0200, 5), (0x8200_0300, 3)] {
            k.memory.write_u32(reg, routine).unwrap();
            k.memory.write_u32(reg.add(4), priority as u32).unwrap();
            ex_register_title_terminate_notification(&mut k, reg, true);
        }
        let routines: Vec<u32> = k.modules.terminate_notifications.iter().map(|&(r, _)| r).collect();
        assert_eq!(routines, [0x8200_0200, 0x8200_0300, 0x8200_0100]);
        k.memory.write_u32(reg, 0x8200_0300).unwrap();
        ex_register_title_terminate_notification(&mut k, reg, false);
        assert_eq!(k.modules.terminate_notifications, [(0x8200_0200, 5), (0x8200_0100, 1)]);
    }

    #[test]
    fn an_unknown_module_name_is_not_found() {
        let mut k = Kernel::for_tests();
        let name = VirtAddr(0x4000_0100);
        k.memory.write_bytes(name, b"nosuch.dll\0").unwrap();
        assert_eq!(xex_get_module_handle(&mut k, Some(name), VirtAddr(0x4000_0000)), NtStatus::DLL_NOT_FOUND);
    }
}
