//! Winsock events: kernel events under another name (xenia `xam_net.cc`).
//! `WSACreateEvent` makes a manual-reset event, not signalled; the others
//! return `TRUE`/`FALSE` and leave the Win32 error of the failed NT call as
//! the last error. `WSAWaitForMultipleEvents` is an NT wait with the
//! timeout in milliseconds; its results are the NT ones (`WSA_WAIT_EVENT_0
//! + i`, `WSA_WAIT_TIMEOUT` = 0x102, `WSA_WAIT_IO_COMPLETION` = 0xC0).
//! `WSAEventSelect` ties an event to a socket's network events.

use super::error::*;
use super::set_last_error;
use super::winsock::SocketKind;
use crate::dispatch::{Call, Outcome};
use crate::kernel::Kernel;
use crate::ob::ObjectType;
use crate::rtl::error::nt_status_to_dos_error;
use crate::status::NtStatus;
use crate::threading::{dispatcher, event, wait};
use shared::memory::VirtAddr;
use std::time::Duration;

/// `WSA_INVALID_EVENT`.
pub const WSA_INVALID_EVENT: u32 = 0;
/// `WSA_WAIT_FAILED`.
pub const WSA_WAIT_FAILED: u32 = u32::MAX;
/// `WSA_INFINITE`.
pub const WSA_INFINITE: u32 = u32::MAX;
/// `FD_WRITE`: the network event a datagram socket has at once.
pub const FD_WRITE: u32 = 0x02;
/// Every `FD_*` network event.
pub const FD_ALL_EVENTS: u32 = 0x3FF;

fn fail(kernel: &Kernel, call: &Call, status: NtStatus) -> u32 {
    set_last_error(kernel, call.thread, nt_status_to_dos_error(status.0));
    0
}

fn event_header(kernel: &Kernel, handle: u32) -> Result<VirtAddr, NtStatus> {
    let id = kernel.objects.lookup(handle).ok_or(NtStatus::INVALID_HANDLE)?;
    match kernel.objects.get(id) {
        Some(o) if o.ty == ObjectType::Event => Ok(o.body),
        Some(_) => Err(NtStatus::OBJECT_TYPE_MISMATCH),
        None => Err(NtStatus::INVALID_HANDLE),
    }
}

/// `WSACreateEvent()`: a handle to a new manual-reset event.
pub fn wsa_create_event(kernel: &mut Kernel, call: Call) -> u32 {
    let created = kernel.objects.create(&kernel.memory, ObjectType::Event, event::KEVENT_SIZE).and_then(|id| {
        let body = kernel.objects.get(id).expect("just created").body;
        dispatcher::init(&kernel.memory, body, dispatcher::Kind::NotificationEvent, event::KEVENT_SIZE, 0);
        kernel.objects.add_handle(&kernel.memory, id)
    });
    match created {
        Ok(handle) => handle,
        Err(status) => {
            fail(kernel, &call, status);
            WSA_INVALID_EVENT
        }
    }
}

/// `WSACloseEvent(Event)`.
pub fn wsa_close_event(kernel: &mut Kernel, handle: u32, call: Call) -> u32 {
    match crate::ob::exports::nt_close(kernel, handle) {
        s if s.is_success() => 1,
        s => fail(kernel, &call, s),
    }
}

/// `WSASetEvent(Event)`.
pub fn wsa_set_event(kernel: &mut Kernel, handle: u32, call: Call) -> u32 {
    match event_header(kernel, handle) {
        Ok(header) => {
            event::set_event(kernel, header);
            1
        }
        Err(s) => fail(kernel, &call, s),
    }
}

/// `WSAResetEvent(Event)`.
pub fn wsa_reset_event(kernel: &mut Kernel, handle: u32, call: Call) -> u32 {
    match event_header(kernel, handle) {
        Ok(header) => {
            event::reset_event(kernel, header);
            1
        }
        Err(s) => fail(kernel, &call, s),
    }
}

/// `WSAWaitForMultipleEvents(Count, Events*, WaitAll, TimeoutMs, Alertable)`.
pub fn wsa_wait_for_multiple_events(
    kernel: &mut Kernel,
    count: u32,
    events: VirtAddr,
    wait_all: bool,
    timeout_ms: u32,
    alertable: bool,
    call: Call,
) -> Outcome {
    let failed = |kernel: &Kernel, code| {
        set_last_error(kernel, call.thread, code);
        Outcome::value(WSA_WAIT_FAILED as u64)
    };
    if count == 0 || count > wait::MAXIMUM_WAIT_OBJECTS {
        return failed(kernel, WSA_INVALID_PARAMETER);
    }
    let mut headers = Vec::with_capacity(count as usize);
    for i in 0..count {
        let handle = kernel.memory.read_u32(events.add(4 * i)).unwrap_or(0);
        match event_header(kernel, handle) {
            Ok(h) => headers.push(h),
            Err(s) => return failed(kernel, nt_status_to_dos_error(s.0)),
        }
    }
    let deadline =
        (timeout_ms != WSA_INFINITE).then(|| kernel.clock.elapsed() + Duration::from_millis(timeout_ms as u64));
    let req = wait::Request {
        all: wait_all,
        deadline,
        alertable,
        ..wait::Request::new(headers, "NetDll_WSAWaitForMultipleEvents")
    };
    wait::begin(kernel, call.thread, call.args.lr, req)
}

/// `WSAEventSelect(Caller, Socket, Event, NetworkEvents)`: the socket
/// becomes nonblocking and its event is set when one of the asked-for
/// events holds; without a link only `FD_WRITE` on a datagram socket ever
/// does, at once. Events 0 undoes the association.
pub fn wsa_event_select(
    kernel: &mut Kernel,
    _caller: u32,
    s: u32,
    handle: u32,
    network_events: u32,
    call: Call,
) -> i32 {
    if kernel.net.wsa_starts == 0 {
        set_last_error(kernel, call.thread, WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    let Some(kind) = kernel.net.sockets.get(&s).map(|socket| socket.kind) else {
        set_last_error(kernel, call.thread, WSAENOTSOCK);
        return SOCKET_ERROR;
    };
    if network_events & !FD_ALL_EVENTS != 0 {
        set_last_error(kernel, call.thread, WSAEINVAL);
        return SOCKET_ERROR;
    }
    let header = match event_header(kernel, handle) {
        Ok(h) => h,
        Err(_) if network_events == 0 => VirtAddr(0),
        Err(_) => {
            set_last_error(kernel, call.thread, WSAEINVAL);
            return SOCKET_ERROR;
        }
    };
    let socket = kernel.net.sockets.get_mut(&s).expect("checked above");
    socket.nonblocking = true;
    socket.event_select = (network_events != 0).then_some((handle, network_events));
    if kind == SocketKind::Datagram && network_events & FD_WRITE != 0 {
        event::set_event(kernel, header);
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::*;

    #[test]
    fn a_created_event_is_manual_reset_and_unsignalled() {
        let (mut k, t) = kernel_with_thread();
        let h = wsa_create_event(&mut k, call_from(t));
        assert_ne!(h, WSA_INVALID_EVENT);
        assert_eq!(event_state(&k, h), 0);
        assert_eq!(wsa_set_event(&mut k, h, call_from(t)), 1);
        let list = put_handles(&k, &[h]);
        let zero = 0;
        for _ in 0..2 {
            let out = wsa_wait_for_multiple_events(&mut k, 1, list, false, zero, false, call_from(t));
            assert_eq!(out, Outcome::value(0), "stays signalled after a wait");
        }
        assert_eq!(wsa_reset_event(&mut k, h, call_from(t)), 1);
        assert_eq!(event_state(&k, h), 0);
        assert_eq!(wsa_close_event(&mut k, h, call_from(t)), 1);
        assert_eq!(wsa_close_event(&mut k, h, call_from(t)), 0);
        assert_eq!(super::super::last_error(&k, t), WSA_INVALID_HANDLE);
    }

    #[test]
    fn waiting_for_unsignalled_events_times_out_after_the_milliseconds() {
        let (mut k, t) = kernel_with_thread();
        let (a, b) = (wsa_create_event(&mut k, call_from(t)), wsa_create_event(&mut k, call_from(t)));
        let list = put_handles(&k, &[a, b]);
        let out = wsa_wait_for_multiple_events(&mut k, 2, list, false, 5, false, call_from(t));
        assert_eq!(out, Outcome::Pending);
        k.clock.advance(Duration::from_millis(5));
        crate::threading::expire(&mut k);
        assert_eq!(returns(&k), vec![(t, 0x102)]);
        k.outbox.clear();
        wsa_wait_for_multiple_events(&mut k, 2, list, false, WSA_INFINITE, false, call_from(t));
        wsa_set_event(&mut k, b, call_from(t));
        assert_eq!(returns(&k), vec![(t, 1)], "WSA_WAIT_EVENT_0 + 1");
    }

    #[test]
    fn a_bad_count_or_handle_fails_the_wait() {
        let (mut k, t) = kernel_with_thread();
        let list = put_handles(&k, &[0xF800_0F00]);
        let out = wsa_wait_for_multiple_events(&mut k, 0, list, false, 0, false, call_from(t));
        assert_eq!(out, Outcome::value(WSA_WAIT_FAILED as u64));
        assert_eq!(super::super::last_error(&k, t), WSA_INVALID_PARAMETER);
        wsa_wait_for_multiple_events(&mut k, 1, list, false, 0, false, call_from(t));
        assert_eq!(super::super::last_error(&k, t), WSA_INVALID_HANDLE);
    }

    #[test]
    fn event_select_on_a_datagram_socket_signals_fd_write_and_makes_it_nonblocking() {
        let (mut k, t) = kernel_with_thread();
        let data = scratch(&mut k, 0x190);
        super::super::winsock::wsa_startup(&mut k, 1, 0x0202, Some(data));
        let s = super::super::winsock::socket(&mut k, 1, 2, 2, 0, call_from(t));
        let h = wsa_create_event(&mut k, call_from(t));
        assert_eq!(wsa_event_select(&mut k, 1, s, h, 0x01, call_from(t)), 0);
        assert_eq!(event_state(&k, h), 0, "FD_READ never holds");
        assert!(k.net.sockets[&s].nonblocking);
        assert_eq!(wsa_event_select(&mut k, 1, s, h, 0x01 | FD_WRITE, call_from(t)), 0);
        assert_eq!(event_state(&k, h), 1);
    }
}
