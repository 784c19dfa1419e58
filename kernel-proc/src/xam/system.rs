//! XAM's system services: memory (`XamAlloc`, `XamFree`), the running
//! title's identity (`XamGetCurrentTitleId`, `XamGetExecutionId`), feature
//! and inactivity switches, the loader (`XamLoaderSetLaunchData`,
//! `XamLoaderLaunchTitle`), tasks (`XamTaskSchedule`, `XamTaskShouldExit`)
//! and session objects (`XamSessionCreateHandle`, `XamSessionRefObjByHandle`)
//! (xenia `xam_info.cc`, `xam_task.cc`, `xam_user.cc`).

use super::{error, read_ansi};
use crate::dispatch::Outcome;
use crate::kernel::Kernel;
use crate::ob::ObjectType;
use crate::status::NtStatus;
use crate::threading::thread::{create_thread, CreateThread};
use shared::memory::VirtAddr;

/// `XEX_HEADER_EXECUTION_INFO`: the key of the optional header holding the
/// title's `XEX_EXECUTION_ID` (xenia `xex2_info.h`).
pub const XEX_HEADER_EXECUTION_INFO: u32 = 0x0004_0006;

/// `XEX_EXECUTION_ID` (24 bytes): media id, version, base version, title
/// id, platform, executable type, disc number, disc count, save-game id.
pub mod execution_id {
    pub const TITLE_ID: u32 = 0x0C;
    pub const SIZE: u32 = 0x18;
}

/// The guest address of the loaded title's `XEX_EXECUTION_ID`, if it has one.
pub fn execution_id_address(kernel: &Kernel) -> Option<VirtAddr> {
    let module = kernel.modules.title?;
    let header = kernel.memory.read_u32(module.add(0x58)).ok().filter(|&h| h != 0)?;
    let at = header_field(kernel, VirtAddr(header), XEX_HEADER_EXECUTION_INFO);
    (at != 0).then_some(VirtAddr(at))
}

fn header_field(kernel: &Kernel, header: VirtAddr, key: u32) -> u32 {
    // The same walk `RtlImageXexHeaderField` does: (key, value) pairs after
    // the count at 0x14; a key with a size byte above 1 points into the header.
    let m = &kernel.memory;
    let count = m.read_u32(header.add(0x14)).unwrap_or(0).min(0x100);
    (0..count)
        .map(|i| header.add(0x18 + 8 * i))
        .find(|e| m.read_u32(*e).ok() == Some(key))
        .map_or(0, |e| header.0.wrapping_add(m.read_u32(e.add(4)).unwrap_or(0)))
}

/// `STATUS_NOT_FOUND`: the image has no execution id.
const STATUS_NOT_FOUND: NtStatus = NtStatus(0xC000_0225);

/// The running title's id (0 when its XEX names none).
pub fn current_title_id(kernel: &Kernel) -> u32 {
    execution_id_address(kernel).and_then(|at| kernel.memory.read_u32(at.add(execution_id::TITLE_ID)).ok()).unwrap_or(0)
}

/// `XamGetCurrentTitleId()`.
pub fn xam_get_current_title_id(kernel: &mut Kernel) -> u32 {
    current_title_id(kernel)
}

/// `XamGetExecutionId(PXEX_EXECUTION_ID* Info)`: a pointer to the loaded
/// image's execution id, in its header in guest memory.
pub fn xam_get_execution_id(kernel: &mut Kernel, out: Option<VirtAddr>) -> NtStatus {
    let Some(out) = out else { return NtStatus::INVALID_PARAMETER };
    match execution_id_address(kernel) {
        Some(at) => {
            let _ = kernel.memory.write_u32(out, at.0);
            NtStatus::SUCCESS
        }
        None => STATUS_NOT_FOUND,
    }
}

/// `XamAlloc(Flags, Size, PVOID* Out)`: a zeroed block from the kernel's
/// pool (xenia takes it from the system heap).
pub fn xam_alloc(kernel: &mut Kernel, _flags: u32, size: u32, out: Option<VirtAddr>) -> u32 {
    let Some(out) = out else { return error::INVALID_PARAMETER };
    let memory = kernel.memory.clone();
    match kernel.mm.pool_alloc(&memory, size.max(1)) {
        Some(block) => {
            let _ = memory.write_u32(out, block.0);
            error::SUCCESS
        }
        None => {
            let _ = memory.write_u32(out, 0);
            error::hresult(0x0E) // ERROR_OUTOFMEMORY
        }
    }
}

/// `XamFree(PVOID Block)`.
pub fn xam_free(kernel: &mut Kernel, block: u32) -> u32 {
    let memory = kernel.memory.clone();
    if block != 0 && !kernel.mm.pool_free(&memory, VirtAddr(block)) {
        tracing::warn!("XamFree({block:#010x}): not a block XamAlloc gave");
        return error::INVALID_PARAMETER;
    }
    error::SUCCESS
}

/// `XamFeatureEnabled(Feature)`: FALSE, as on a console whose optional
/// system features (those xenia has seen asked for) are off.
pub fn xam_feature_enabled(_kernel: &mut Kernel, _feature: u32) -> u32 {
    0
}

/// `XamEnableInactivityProcessing(Index, Enable)`: the screen saver and
/// auto-off timers. Xenact shows no screen saver, so there is nothing to
/// arm; the call succeeds as on a console.
pub fn xam_enable_inactivity_processing(_kernel: &mut Kernel, _index: u32, _enable: u32) -> u32 {
    error::SUCCESS
}

/// `XamResetInactivity()`: restarts the (absent) inactivity timers.
pub fn xam_reset_inactivity(_kernel: &mut Kernel) -> u32 {
    error::SUCCESS
}

/// `XamLoaderSetLaunchData(Data, Size)`: kept for the next title.
pub fn xam_loader_set_launch_data(kernel: &mut Kernel, data: Option<VirtAddr>, size: u32) -> u32 {
    if size == 0 {
        kernel.xam.launch_data = None;
        return error::SUCCESS;
    }
    let Some(data) = data else { return error::INVALID_PARAMETER };
    let mut bytes = vec![0; size.min(0x1_0000) as usize];
    if kernel.memory.read_bytes(data, &mut bytes).is_err() {
        return error::INVALID_PARAMETER;
    }
    kernel.xam.launch_data = Some(bytes);
    error::SUCCESS
}

/// `XamLoaderLaunchTitle(Name, Flags)`: never returns. A null name goes
/// back to the dashboard (the title ends, code 0); launching another title
/// is not supported, so the session ends with a report naming it.
pub fn xam_loader_launch_title(kernel: &mut Kernel, name: Option<VirtAddr>, flags: u32) -> Outcome {
    let Some(name) = name else {
        tracing::info!("XamLoaderLaunchTitle: the title returns to the dashboard");
        return Outcome::TerminateTitle(0);
    };
    let target = read_ansi(&kernel.memory, name, 260).unwrap_or_default();
    let target = if target.is_empty() { "game:\\default.xex".to_string() } else { target };
    kernel.fatal.get_or_insert_with(|| {
        format!("the title asked to launch {target:?} (XamLoaderLaunchTitle, flags {flags:#x}); Xenact cannot start another title")
    });
    Outcome::Pending
}

/// `XamTaskSchedule(Callback, Message, Unknown, PHANDLE Task)`: runs
/// `Callback(Message)` on a new guest thread; the task handle is the thread's.
pub fn xam_task_schedule(
    kernel: &mut Kernel,
    callback: u32,
    message: u32,
    _unknown: Option<VirtAddr>,
    handle_out: Option<VirtAddr>,
) -> NtStatus {
    if callback == 0 {
        return NtStatus::INVALID_PARAMETER;
    }
    let params = CreateThread { entry: callback, start_context: message, ..CreateThread::default() };
    match create_thread(kernel, params) {
        Ok((handle, id)) => {
            tracing::debug!("XamTaskSchedule: task {callback:#010x} on thread {id}");
            super::write_optional_u32(&kernel.memory, handle_out, handle);
            NtStatus::SUCCESS
        }
        Err(status) => status,
    }
}

/// `XamTaskShouldExit(Task)`: FALSE, no task is ever asked to stop.
pub fn xam_task_should_exit(_kernel: &mut Kernel, _task: u32) -> u32 {
    0
}

/// Size of the body of a session object.
const SESSION_BODY_SIZE: u32 = 0x40;

/// `XamSessionCreateHandle(PHANDLE Handle)`: a new session object (what
/// `XSessionCreate` then fills through the XGI app).
pub fn xam_session_create_handle(kernel: &mut Kernel, out: Option<VirtAddr>) -> u32 {
    let Some(out) = out else { return error::INVALID_PARAMETER };
    let memory = kernel.memory.clone();
    let created = kernel
        .objects
        .create(&memory, ObjectType::Other, SESSION_BODY_SIZE)
        .and_then(|id| kernel.objects.add_handle(&memory, id));
    match created {
        Ok(handle) => {
            let _ = memory.write_u32(out, handle);
            error::SUCCESS
        }
        Err(_) => error::hresult(0x0E),
    }
}

/// `XamSessionRefObjByHandle(Handle, PVOID* Object)`: the session object's
/// body, referenced (the caller dereferences it).
pub fn xam_session_ref_obj_by_handle(kernel: &mut Kernel, handle: u32, out: Option<VirtAddr>) -> u32 {
    let Some(out) = out else { return error::INVALID_PARAMETER };
    let Some(id) = kernel.objects.lookup(handle) else {
        let _ = kernel.memory.write_u32(out, 0);
        return error::hresult(error::INVALID_HANDLE);
    };
    let memory = kernel.memory.clone();
    kernel.objects.retain(&memory, id);
    let body = kernel.objects.get(id).map_or(0, |o| o.body.0);
    let _ = memory.write_u32(out, body);
    error::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::{kernel_with_thread, started};

    #[test]
    fn without_a_loaded_title_there_is_no_execution_id() {
        let mut k = Kernel::for_tests();
        assert_eq!(xam_get_current_title_id(&mut k), 0);
        assert_eq!(xam_get_execution_id(&mut k, Some(VirtAddr(0x1000))), STATUS_NOT_FOUND);
    }

    #[test]
    fn the_execution_id_comes_from_the_loaded_header() {
        let mut k = Kernel::for_tests();
        // A header with one optional field: the execution info at +0x40.
        let mut header = vec![0u8; 0x60];
        header[0x14..0x18].copy_from_slice(&1u32.to_be_bytes());
        header[0x18..0x1C].copy_from_slice(&XEX_HEADER_EXECUTION_INFO.to_be_bytes());
        header[0x1C..0x20].copy_from_slice(&0x40u32.to_be_bytes());
        header[0x40 + 0x0C..0x40 + 0x10].copy_from_slice(&0x5845_0042u32.to_be_bytes());
        crate::modules::register_title(&mut k, 0x8200_0000, 0x8200_1000, 0x1_0000, 0, &header).unwrap();
        assert_eq!(xam_get_current_title_id(&mut k), 0x5845_0042);
        let out = VirtAddr(0x1000);
        assert_eq!(xam_get_execution_id(&mut k, Some(out)), NtStatus::SUCCESS);
        let at = VirtAddr(k.memory.read_u32(out).unwrap());
        assert_eq!(k.memory.read_u32(at.add(execution_id::TITLE_ID)).unwrap(), 0x5845_0042);
    }

    #[test]
    fn xam_alloc_gives_zeroed_pool_blocks_that_free_once() {
        let mut k = Kernel::for_tests();
        let out = VirtAddr(0x1000);
        assert_eq!(xam_alloc(&mut k, 0, 100, Some(out)), error::SUCCESS);
        let block = k.memory.read_u32(out).unwrap();
        assert_ne!(block, 0);
        assert_eq!(k.memory.read_u32(VirtAddr(block + 96)).unwrap(), 0);
        assert_eq!(k.mm.pool_block_size(VirtAddr(block)), Some(100));
        assert_eq!(xam_free(&mut k, block), error::SUCCESS);
        assert_eq!(xam_free(&mut k, block), error::INVALID_PARAMETER);
    }

    #[test]
    fn launching_another_title_ends_the_session_naming_it() {
        let mut k = Kernel::for_tests();
        let name = VirtAddr(0x1000);
        k.memory.write_bytes(name, b"game:\\other.xex\0").unwrap();
        assert_eq!(xam_loader_launch_title(&mut k, Some(name), 0), Outcome::Pending);
        assert!(k.fatal.as_deref().unwrap().contains("game:\\\\other.xex"), "{:?}", k.fatal);
        assert_eq!(xam_loader_launch_title(&mut k, None, 0), Outcome::TerminateTitle(0));
        let data = VirtAddr(0x2000);
        k.memory.write_bytes(data, b"abc").unwrap();
        assert_eq!(xam_loader_set_launch_data(&mut k, Some(data), 3), 0);
        assert_eq!(k.xam.launch_data.as_deref(), Some(&b"abc"[..]));
    }

    #[test]
    fn a_task_runs_its_callback_on_a_new_thread() {
        let (mut k, _) = kernel_with_thread();
        let out = VirtAddr(0x1000);
        assert_eq!(xam_task_schedule(&mut k, 0x8200_5000, 0x7000_0000, None, Some(out)), NtStatus::SUCCESS);
        let handle = k.memory.read_u32(out).unwrap();
        let id = k.objects.lookup(handle).expect("a thread handle");
        let tid = k.threads.iter().find(|t| t.object == Some(id)).unwrap().id;
        let start = started(&k, tid).expect("started");
        assert_eq!(start.args[0], 0x7000_0000);
        assert_eq!(xam_task_should_exit(&mut k, handle), 0);
    }

    #[test]
    fn a_session_handle_names_a_referenced_object() {
        let mut k = Kernel::for_tests();
        let (h, o) = (VirtAddr(0x1000), VirtAddr(0x1004));
        assert_eq!(xam_session_create_handle(&mut k, Some(h)), error::SUCCESS);
        let handle = k.memory.read_u32(h).unwrap();
        assert_eq!(xam_session_ref_obj_by_handle(&mut k, handle, Some(o)), error::SUCCESS);
        let id = k.objects.lookup(handle).unwrap();
        assert_eq!(k.memory.read_u32(o).unwrap(), k.objects.get(id).unwrap().body.0);
        assert_eq!(k.objects.get(id).unwrap().reference_count(), 2);
        assert_eq!(xam_session_ref_obj_by_handle(&mut k, 0xDEAD, Some(o)), 0x8007_0006);
    }
}
