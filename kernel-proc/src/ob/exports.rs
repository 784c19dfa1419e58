//! The object-manager exports: closing and duplicating handles, references
//! by handle, name and thread id.

use super::handle_table::{CURRENT_PROCESS, CURRENT_THREAD};
use super::names::{attributes_name, read_ansi_string};
use super::{resolve_handle, ObjectId, ObjectType};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

/// `STATUS_NOT_FOUND`.
pub const STATUS_NOT_FOUND: NtStatus = NtStatus(0xC000_0225);
/// `DUPLICATE_CLOSE_SOURCE`.
const DUPLICATE_CLOSE_SOURCE: u32 = 1;

/// Whether `object_type` (a guest type-object address, or 0 for any) fits `id`.
fn type_fits(kernel: &Kernel, id: ObjectId, object_type: u32) -> bool {
    if object_type == 0 {
        return true;
    }
    match (kernel.objects.type_of_type_object(object_type), kernel.objects.get(id)) {
        (Some(ty), Some(o)) => o.ty == ty,
        // A type object the loader did not register: nothing to check against.
        (None, _) => true,
        (_, None) => false,
    }
}

fn write_out(kernel: &Kernel, out: Option<VirtAddr>, value: u32) -> NtStatus {
    match out {
        Some(out) if kernel.memory.write_u32(out, value).is_err() => NtStatus::ACCESS_VIOLATION,
        _ => NtStatus::SUCCESS,
    }
}

/// `NtClose(Handle)`. Closing a pseudo handle does nothing.
pub fn nt_close(kernel: &mut Kernel, handle: u32) -> NtStatus {
    if handle == CURRENT_THREAD || handle == CURRENT_PROCESS {
        return NtStatus::SUCCESS;
    }
    kernel.objects.close(&kernel.memory, handle)
}

/// `NtDuplicateObject(SourceHandle, TargetHandle*, Options)`: a new handle to
/// the same object (pseudo handles give real ones); `DUPLICATE_CLOSE_SOURCE`
/// closes the source. A null target only closes.
pub fn nt_duplicate_object(
    kernel: &mut Kernel,
    handle: u32,
    new_handle_out: Option<VirtAddr>,
    options: u32,
    call: Call,
) -> NtStatus {
    let Some(id) = resolve_handle(kernel, handle, call.thread) else { return NtStatus::INVALID_HANDLE };
    let mut status = NtStatus::SUCCESS;
    if let Some(out) = new_handle_out {
        match kernel.objects.add_handle(&kernel.memory, id) {
            Ok(new) => status = write_out(kernel, Some(out), new),
            Err(e) => status = e,
        }
    }
    if options & DUPLICATE_CLOSE_SOURCE != 0 && handle != CURRENT_THREAD && handle != CURRENT_PROCESS {
        kernel.objects.close(&kernel.memory, handle);
    }
    status
}

/// `ObReferenceObjectByHandle(Handle, ObjectType, Object*)`: one more
/// reference; the body's guest address goes to `Object`.
pub fn ob_reference_object_by_handle(
    kernel: &mut Kernel,
    handle: u32,
    object_type: u32,
    object_out: Option<VirtAddr>,
    call: Call,
) -> NtStatus {
    let Some(id) = resolve_handle(kernel, handle, call.thread) else { return NtStatus::INVALID_HANDLE };
    if !type_fits(kernel, id, object_type) {
        return NtStatus::OBJECT_TYPE_MISMATCH;
    }
    let body = kernel.objects.get(id).map(|o| o.body.0).unwrap_or(0);
    let status = write_out(kernel, object_out, body);
    if status.is_success() {
        kernel.objects.retain(&kernel.memory, id);
    }
    status
}

/// `ObReferenceObjectByName(Name*, Attributes, ObjectType, ParseContext, Object*)`.
pub fn ob_reference_object_by_name(
    kernel: &mut Kernel,
    name: VirtAddr,
    _attributes: u32,
    object_type: u32,
    _parse_context: u32,
    object_out: Option<VirtAddr>,
) -> NtStatus {
    let name = match read_ansi_string(&kernel.memory, name) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let Some(id) = kernel.objects.find_name(&name) else { return NtStatus::OBJECT_NAME_NOT_FOUND };
    if !type_fits(kernel, id, object_type) {
        return NtStatus::OBJECT_TYPE_MISMATCH;
    }
    let body = kernel.objects.get(id).map(|o| o.body.0).unwrap_or(0);
    let status = write_out(kernel, object_out, body);
    if status.is_success() {
        kernel.objects.retain(&kernel.memory, id);
    }
    status
}

/// `ObDereferenceObject(Object)`: drops a reference taken by pointer.
pub fn ob_dereference_object(kernel: &mut Kernel, object: VirtAddr) {
    if let Some(id) = kernel.objects.by_body(object) {
        kernel.objects.release(&kernel.memory, id);
    }
}

/// `ObLookupThreadByThreadId(ThreadId, Thread*)`: a referenced pointer to
/// the thread's `KTHREAD`; `STATUS_NOT_FOUND` for an unknown id.
pub fn ob_lookup_thread_by_thread_id(kernel: &mut Kernel, thread_id: u32, object_out: VirtAddr) -> NtStatus {
    let Some(id) = kernel.threads.object_of(thread_id) else { return STATUS_NOT_FOUND };
    let Some(body) = kernel.objects.get(id).map(|o| o.body.0) else { return STATUS_NOT_FOUND };
    let status = write_out(kernel, Some(object_out), body);
    if status.is_success() {
        kernel.objects.retain(&kernel.memory, id);
    }
    status
}

/// `ObOpenObjectByName(ObjectAttributes, ObjectType, ParseContext, Handle*)`:
/// a new handle to the named object.
pub fn ob_open_object_by_name(
    kernel: &mut Kernel,
    attrs: Option<VirtAddr>,
    object_type: u32,
    _parse_context: u32,
    handle_out: VirtAddr,
) -> NtStatus {
    let name = match attributes_name(&kernel.memory, attrs) {
        Ok(Some(n)) => n,
        Ok(None) => return NtStatus::OBJECT_NAME_INVALID,
        Err(e) => return e,
    };
    let Some(id) = kernel.objects.find_name(&name) else { return NtStatus::OBJECT_NAME_NOT_FOUND };
    if !type_fits(kernel, id, object_type) {
        return NtStatus::OBJECT_TYPE_MISMATCH;
    }
    match kernel.objects.add_handle(&kernel.memory, id) {
        Ok(handle) => write_out(kernel, Some(handle_out), handle),
        Err(e) => e,
    }
}

/// `ObReferenceObject(Object)`: one more reference to a kernel object.
pub fn ob_reference_object(kernel: &mut Kernel, object: VirtAddr) {
    if let Some(id) = kernel.objects.by_body(object) {
        kernel.objects.retain(&kernel.memory, id);
    }
}

/// `ObOpenObjectByPointer(Object, Handle*)` (the console's two-argument
/// form, per xenia): a new handle to a kernel object, or to a dispatcher
/// object the title initialized in its own memory.
pub fn ob_open_object_by_pointer(kernel: &mut Kernel, object: VirtAddr, handle_out: VirtAddr) -> NtStatus {
    let id = match kernel.objects.by_body(object) {
        Some(id) => id,
        None => {
            use crate::threading::dispatcher::{kind, Kind};
            let ty = match kind(&kernel.memory, object) {
                Some(Kind::NotificationEvent | Kind::SynchronizationEvent) => ObjectType::Event,
                Some(Kind::Semaphore) => ObjectType::Semaphore,
                Some(Kind::Mutant) => ObjectType::Mutant,
                Some(Kind::NotificationTimer | Kind::SynchronizationTimer) => ObjectType::Timer,
                _ => return NtStatus::INVALID_PARAMETER,
            };
            kernel.objects.bind_guest(ty, object)
        }
    };
    match kernel.objects.add_handle(&kernel.memory, id) {
        Ok(handle) => write_out(kernel, Some(handle_out), handle),
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ob::names::write_object_attributes;
    use crate::threading::event::{ke_initialize_event, nt_create_event};
    use crate::threading::testing::{call_from, kernel_with_thread};

    const SCRATCH: u32 = 0x4000_0000;

    #[test]
    fn duplicate_gives_a_second_handle_that_outlives_the_first() {
        let (mut k, t) = kernel_with_thread();
        let out = VirtAddr(SCRATCH);
        assert_eq!(nt_create_event(&mut k, out, None, 0, false), NtStatus::SUCCESS);
        let h = k.memory.read_u32(out).unwrap();
        let dup_out = VirtAddr(SCRATCH + 4);
        assert_eq!(nt_duplicate_object(&mut k, h, Some(dup_out), 1, call_from(t)), NtStatus::SUCCESS);
        let dup = k.memory.read_u32(dup_out).unwrap();
        assert_ne!(dup, h);
        assert_eq!(nt_close(&mut k, h), NtStatus::INVALID_HANDLE, "DUPLICATE_CLOSE_SOURCE closed it");
        assert_eq!(nt_close(&mut k, dup), NtStatus::SUCCESS);
        assert_eq!(nt_close(&mut k, dup), NtStatus::INVALID_HANDLE);
    }

    #[test]
    fn reference_by_handle_returns_the_guest_body_and_keeps_the_object_alive() {
        let (mut k, t) = kernel_with_thread();
        let out = VirtAddr(SCRATCH);
        nt_create_event(&mut k, out, None, 1, true);
        let h = k.memory.read_u32(out).unwrap();
        let ptr_out = VirtAddr(SCRATCH + 8);
        assert_eq!(ob_reference_object_by_handle(&mut k, h, 0, Some(ptr_out), call_from(t)), NtStatus::SUCCESS);
        let body = VirtAddr(k.memory.read_u32(ptr_out).unwrap());
        assert_eq!(k.memory.read_u8(body).unwrap(), 1, "a synchronization event's header");
        assert_eq!(k.memory.read_u32(body.add(4)).unwrap(), 1, "signalled");
        nt_close(&mut k, h);
        let id = k.objects.by_body(body).expect("still referenced");
        ob_dereference_object(&mut k, body);
        assert!(k.objects.get(id).is_none());
    }

    #[test]
    fn a_registered_type_object_is_checked() {
        let (mut k, t) = kernel_with_thread();
        k.objects.set_type_object(ObjectType::Event, VirtAddr(0x8000_1000));
        k.objects.set_type_object(ObjectType::Semaphore, VirtAddr(0x8000_1010));
        nt_create_event(&mut k, VirtAddr(SCRATCH), None, 0, false);
        let h = k.memory.read_u32(VirtAddr(SCRATCH)).unwrap();
        let out = Some(VirtAddr(SCRATCH + 8));
        assert_eq!(
            ob_reference_object_by_handle(&mut k, h, 0x8000_1010, out, call_from(t)),
            NtStatus::OBJECT_TYPE_MISMATCH
        );
        assert_eq!(ob_reference_object_by_handle(&mut k, h, 0x8000_1000, out, call_from(t)), NtStatus::SUCCESS);
        let body = k.memory.read_u32(VirtAddr(SCRATCH + 8)).unwrap();
        assert_eq!(k.memory.read_u32(VirtAddr(body - 8)).unwrap(), 0x8000_1000, "the header names its type");
    }

    #[test]
    fn lookup_thread_by_id_gives_the_kthread() {
        let (mut k, t) = kernel_with_thread();
        let out = VirtAddr(SCRATCH);
        assert_eq!(ob_lookup_thread_by_thread_id(&mut k, t, out), NtStatus::SUCCESS);
        let kthread = k.memory.read_u32(out).unwrap();
        assert_eq!(kthread, k.threads.get(t).unwrap().kthread.0);
        assert_eq!(k.memory.read_u32(VirtAddr(kthread + 0x14C)).unwrap(), t);
        assert_eq!(ob_lookup_thread_by_thread_id(&mut k, 999, out), STATUS_NOT_FOUND);
    }

    #[test]
    fn a_guest_event_opened_by_pointer_gets_a_working_handle() {
        let (mut k, t) = kernel_with_thread();
        let ev = VirtAddr(SCRATCH + 0x40);
        ke_initialize_event(&mut k, ev, 1, false);
        assert_eq!(ob_open_object_by_pointer(&mut k, ev, VirtAddr(SCRATCH)), NtStatus::SUCCESS);
        let h = k.memory.read_u32(VirtAddr(SCRATCH)).unwrap();
        assert_eq!(crate::threading::event::nt_set_event(&mut k, h, None), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(ev.add(4)).unwrap(), 1);
        assert_eq!(nt_close(&mut k, h), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(ev.add(4)).unwrap(), 1, "the title's memory is left alone");
        let _ = t;
    }

    #[test]
    fn open_by_name_finds_a_named_event() {
        let (mut k, _) = kernel_with_thread();
        let attrs = write_object_attributes(&k.memory, VirtAddr(SCRATCH + 0x100), "Shared");
        assert_eq!(nt_create_event(&mut k, VirtAddr(SCRATCH), Some(attrs), 0, false), NtStatus::SUCCESS);
        let h = k.memory.read_u32(VirtAddr(SCRATCH)).unwrap();
        let lookup = write_object_attributes(&k.memory, VirtAddr(SCRATCH + 0x200), "SHARED");
        assert_eq!(ob_open_object_by_name(&mut k, Some(lookup), 0, 0, VirtAddr(SCRATCH + 4)), NtStatus::SUCCESS);
        let h2 = k.memory.read_u32(VirtAddr(SCRATCH + 4)).unwrap();
        assert_eq!(k.objects.lookup(h), k.objects.lookup(h2));
        let missing = write_object_attributes(&k.memory, VirtAddr(SCRATCH + 0x300), "Nope");
        assert_eq!(
            ob_open_object_by_name(&mut k, Some(missing), 0, 0, VirtAddr(SCRATCH + 4)),
            NtStatus::OBJECT_NAME_NOT_FOUND
        );
    }
}
