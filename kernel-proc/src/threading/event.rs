//! Events: notification (manual reset, type 0) and synchronization (auto
//! reset, type 1). `NtCreateEvent`'s `EventType` is the dispatcher type
//! itself: 0 = `NotificationEvent`, 1 = `SynchronizationEvent` (xenia
//! creates a manual-reset event for `!event_type`). `KEVENT` is a bare
//! 0x10-byte dispatcher header.

use super::{dispatcher, wait};
use crate::kernel::Kernel;
use crate::ob::names::{finish_create, open_if_named, report_opened, Creation};
use crate::ob::ObjectType;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

pub const KEVENT_SIZE: u32 = dispatcher::HEADER_SIZE;

fn kind_for(event_type: u32) -> dispatcher::Kind {
    if event_type == 0 {
        dispatcher::Kind::NotificationEvent
    } else {
        dispatcher::Kind::SynchronizationEvent
    }
}

/// Sets the event at `header` and wakes what it can; the previous state.
pub fn set_event(kernel: &mut Kernel, header: VirtAddr) -> i32 {
    let previous = dispatcher::signal(&kernel.memory, header);
    dispatcher::set_signal(&kernel.memory, header, 1);
    wait::signal_changed(kernel, header);
    previous
}

/// Resets the event at `header`; the previous state.
pub fn reset_event(kernel: &mut Kernel, header: VirtAddr) -> i32 {
    let previous = dispatcher::signal(&kernel.memory, header);
    dispatcher::set_signal(&kernel.memory, header, 0);
    previous
}

/// Sets, wakes what it can, then resets; the previous state.
pub fn pulse_event(kernel: &mut Kernel, header: VirtAddr) -> i32 {
    let previous = set_event(kernel, header);
    dispatcher::set_signal(&kernel.memory, header, 0);
    previous
}

fn event_of(kernel: &Kernel, handle: u32) -> Result<VirtAddr, NtStatus> {
    let id = kernel.objects.lookup(handle).ok_or(NtStatus::INVALID_HANDLE)?;
    match kernel.objects.get(id) {
        Some(o) if o.ty == ObjectType::Event => Ok(o.body),
        Some(_) => Err(NtStatus::OBJECT_TYPE_MISMATCH),
        None => Err(NtStatus::INVALID_HANDLE),
    }
}

fn with_previous(
    kernel: &mut Kernel,
    handle: u32,
    out: Option<VirtAddr>,
    op: fn(&mut Kernel, VirtAddr) -> i32,
) -> NtStatus {
    match event_of(kernel, handle) {
        Ok(header) => {
            let previous = op(kernel, header);
            if let Some(out) = out {
                let _ = kernel.memory.write_u32(out, previous as u32);
            }
            NtStatus::SUCCESS
        }
        Err(e) => e,
    }
}

/// `NtCreateEvent(Handle*, ObjectAttributes*, EventType, InitialState)`.
pub fn nt_create_event(
    kernel: &mut Kernel,
    handle_out: VirtAddr,
    attrs: Option<VirtAddr>,
    event_type: u32,
    initial: bool,
) -> NtStatus {
    if event_type > 1 {
        return NtStatus::INVALID_PARAMETER;
    }
    let name = match open_if_named(kernel, attrs, ObjectType::Event) {
        Ok(Creation::Opened(handle)) => return report_opened(kernel, handle, Some(handle_out)),
        Ok(Creation::Create(name)) => name,
        Err(e) => return e,
    };
    let id = match kernel.objects.create(&kernel.memory, ObjectType::Event, KEVENT_SIZE) {
        Ok(id) => id,
        Err(e) => return e,
    };
    let body = kernel.objects.get(id).expect("just created").body;
    dispatcher::init(&kernel.memory, body, kind_for(event_type), KEVENT_SIZE, initial as i32);
    finish_create(kernel, id, name, Some(handle_out)).map_or_else(|e| e, |_| NtStatus::SUCCESS)
}

/// `NtSetEvent(Handle, PreviousState*)`.
pub fn nt_set_event(kernel: &mut Kernel, handle: u32, previous_out: Option<VirtAddr>) -> NtStatus {
    with_previous(kernel, handle, previous_out, set_event)
}

/// `NtPulseEvent(Handle, PreviousState*)`.
pub fn nt_pulse_event(kernel: &mut Kernel, handle: u32, previous_out: Option<VirtAddr>) -> NtStatus {
    with_previous(kernel, handle, previous_out, pulse_event)
}

/// `NtResetEvent(Handle, PreviousState*)`.
pub fn nt_reset_event(kernel: &mut Kernel, handle: u32, previous_out: Option<VirtAddr>) -> NtStatus {
    with_previous(kernel, handle, previous_out, reset_event)
}

/// `NtClearEvent(Handle)`.
pub fn nt_clear_event(kernel: &mut Kernel, handle: u32) -> NtStatus {
    with_previous(kernel, handle, None, reset_event)
}

/// `NtQueryEvent(Handle, EventBasicInformation*)`: `{ EventType, EventState }`.
pub fn nt_query_event(kernel: &mut Kernel, handle: u32, info_out: VirtAddr) -> NtStatus {
    match event_of(kernel, handle) {
        Ok(header) => {
            let ty = kernel.memory.read_u8(header).unwrap_or(0) as u32;
            let state = dispatcher::signal(&kernel.memory, header);
            let ok = kernel.memory.write_u32(info_out, ty).is_ok()
                && kernel.memory.write_u32(info_out.add(4), state as u32).is_ok();
            if ok {
                NtStatus::SUCCESS
            } else {
                NtStatus::ACCESS_VIOLATION
            }
        }
        Err(e) => e,
    }
}

/// `KeInitializeEvent(Event, Type, State)` on guest memory.
pub fn ke_initialize_event(kernel: &mut Kernel, event: VirtAddr, event_type: u32, initial: bool) {
    dispatcher::init(&kernel.memory, event, kind_for(event_type), KEVENT_SIZE, initial as i32);
}

/// `KeSetEvent(Event, Increment, Wait)`: the previous state.
pub fn ke_set_event(kernel: &mut Kernel, event: VirtAddr, _increment: u32, _wait: bool) -> i32 {
    set_event(kernel, event)
}

/// `KeSetEventBoostPriority(Event, Thread*)`: sets the event (no boosts).
pub fn ke_set_event_boost_priority(kernel: &mut Kernel, event: VirtAddr, _thread: u32) {
    set_event(kernel, event);
}

/// `KeResetEvent(Event)`: the previous state.
pub fn ke_reset_event(kernel: &mut Kernel, event: VirtAddr) -> i32 {
    reset_event(kernel, event)
}

/// `KePulseEvent(Event, Increment, Wait)`: the previous state.
pub fn ke_pulse_event(kernel: &mut Kernel, event: VirtAddr, _increment: u32, _wait: bool) -> i32 {
    pulse_event(kernel, event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::Outcome;
    use crate::ob::names::write_object_attributes;
    use crate::threading::testing::*;
    use crate::threading::wait::nt_wait_for_single_object_ex;

    #[test]
    fn pulse_wakes_current_waiters_and_leaves_the_event_reset() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let h = new_event(&mut k, 0, false);
        nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(a));
        nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(b));
        k.outbox.clear();
        let prev = scratch(&mut k, 4);
        assert_eq!(nt_pulse_event(&mut k, h, Some(prev)), NtStatus::SUCCESS);
        assert_eq!(returns(&k), vec![(a, 0), (b, 0)]);
        assert_eq!(event_state(&k, h), 0);
        assert_eq!(k.memory.read_u32(prev).unwrap(), 0);
    }

    #[test]
    fn set_and_reset_report_the_previous_state() {
        let (mut k, _) = kernel_with_thread();
        let ev = scratch(&mut k, 16);
        ke_initialize_event(&mut k, ev, 0, false);
        assert_eq!(ke_set_event(&mut k, ev, 0, false), 0);
        assert_eq!(ke_set_event(&mut k, ev, 0, false), 1);
        assert_eq!(ke_reset_event(&mut k, ev), 1);
        assert_eq!(ke_reset_event(&mut k, ev), 0);
        assert_eq!(k.memory.read_u32(ev.add(8)).unwrap(), ev.0 + 8, "empty wait list head");
    }

    #[test]
    fn clear_then_wait_blocks() {
        let (mut k, t) = kernel_with_thread();
        let h = new_event(&mut k, 0, true);
        assert_eq!(nt_clear_event(&mut k, h), NtStatus::SUCCESS);
        assert_eq!(nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t)), Outcome::Pending);
    }

    #[test]
    fn a_second_create_with_the_same_name_opens_the_first() {
        let (mut k, _) = kernel_with_thread();
        let at = scratch(&mut k, 0x40);
        let attrs = write_object_attributes(&k.memory, at, "Frame");
        let out = scratch(&mut k, 8);
        assert_eq!(nt_create_event(&mut k, out, Some(attrs), 1, false), NtStatus::SUCCESS);
        assert_eq!(nt_create_event(&mut k, out.add(4), Some(attrs), 1, false), NtStatus::OBJECT_NAME_EXISTS);
        let (h1, h2) = (k.memory.read_u32(out).unwrap(), k.memory.read_u32(out.add(4)).unwrap());
        assert_ne!(h1, h2);
        assert_eq!(body(&k, h1), body(&k, h2));
        let sem_out = scratch(&mut k, 4);
        let st = crate::threading::semaphore::nt_create_semaphore(&mut k, sem_out, Some(attrs), 0, 1);
        assert_eq!(st, NtStatus::OBJECT_NAME_COLLISION);
    }

    #[test]
    fn signal_event_by_handle_wakes_a_waiter() {
        let (mut k, t) = kernel_with_thread();
        let h = new_event(&mut k, 1, false);
        nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t));
        k.outbox.clear();
        assert_eq!(crate::ob::signal_event_by_handle(&mut k, h), NtStatus::SUCCESS);
        assert_eq!(returns(&k), vec![(t, 0)]);
        assert_eq!(crate::ob::signal_event_by_handle(&mut k, 0xF800_0F00), NtStatus::INVALID_HANDLE);
    }

    #[test]
    fn query_event_reports_type_and_state() {
        let (mut k, _) = kernel_with_thread();
        let h = new_event(&mut k, 1, true);
        let info = scratch(&mut k, 8);
        assert_eq!(nt_query_event(&mut k, h, info), NtStatus::SUCCESS);
        assert_eq!((k.memory.read_u32(info).unwrap(), k.memory.read_u32(info.add(4)).unwrap()), (1, 1));
    }
}
