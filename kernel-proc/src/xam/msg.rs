//! Messages to the system apps (`XMsgInProcessCall`,
//! `XMsgSystemProcessCall`, `XMsgStartIORequest[Ex]`), their completion
//! (`XMsgCompleteIORequest`, `XMsgCancelIORequest`) and
//! `XamGetOverlappedResult`.
//!
//! A title library talks to a system app by id: 0xFA the music player
//! (XMP), 0xFB the game interface (XGI: rich presence, achievements,
//! sessions), 0xFC Xbox Live base, 0xFE XAM itself. The messages answered
//! here are those xenia's `apps/*.cc` document, with the answers an
//! offline console gives; an unknown app is `E_NOTFOUND` (`E_INVALIDARG`
//! for the I/O requests, with `ERROR_NOT_FOUND` as the extended error) and
//! an unknown message `E_FAIL`, each logged once.

use super::{error, overlapped};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use shared::memory::VirtAddr;
use std::collections::{HashMap, HashSet};

/// System app ids.
pub mod app {
    pub const XMP: u32 = 0xFA;
    pub const XGI: u32 = 0xFB;
    pub const XLIVEBASE: u32 = 0xFC;
    pub const XAM: u32 = 0xFE;
}

/// `ERROR_CONNECTION_INVALID` as Live reports it (no Live connection).
const E_CONNECTION_INVALID: u32 = 0x8015_1802;

/// What the apps remember.
#[derive(Debug, Default)]
pub struct Apps {
    /// Rich-presence contexts set through XGI, by (user, context id).
    contexts: HashMap<(u32, u32), u32>,
    /// (app, message) pairs already reported as unknown.
    reported: HashSet<(u32, u32)>,
}

/// Dispatches `message` to `app` with its buffer: the app's HRESULT, or
/// `None` when there is no such app.
fn dispatch(kernel: &mut Kernel, app_id: u32, message: u32, buffer: u32, _length: u32) -> Option<u32> {
    let m = kernel.memory.clone();
    let buf = VirtAddr(buffer);
    let word = |offset: u32| m.read_u32(buf.add(offset)).unwrap_or(0);
    let result = match (app_id, message) {
        (app::XMP | app::XGI | app::XLIVEBASE | app::XAM, _) if buffer == 0 && message != 0x000B_0011 => {
            error::E_INVALIDARG
        }
        // XGI: XUserSetContextEx (user, …, context id at 16, value at 20).
        (app::XGI, 0x000B_0006) => {
            kernel.xam.apps.contexts.insert((word(0), word(16)), word(20));
            error::SUCCESS
        }
        // XGI: XUserGetContext (user, …, XUSER_CONTEXT* at 16: id, value).
        (app::XGI, 0x000B_0041) => {
            let context = VirtAddr(word(16));
            let id = m.read_u32(context).unwrap_or(0);
            match kernel.xam.apps.contexts.get(&(word(0), id)) {
                Some(&value) => {
                    let _ = m.write_u32(context.add(4), value);
                    error::SUCCESS
                }
                None => error::E_FAIL,
            }
        }
        // XGI: XUserSetPropertyEx, XUserWriteAchievements, the session
        // create / delete / join-local steps and the leaderboard messages:
        // accepted (an offline console records them locally).
        (app::XGI, 0x000B_0007 | 0x000B_0008 | 0x000B_0010 | 0x000B_0011 | 0x000B_0012 | 0x000B_0014)
        | (app::XGI, 0x000B_0015 | 0x000B_0071) => error::SUCCESS,
        // Live base: the logon id and the NAT type (open) are read at start.
        (app::XLIVEBASE, 0x0005_8004 | 0x0005_8006) => {
            let _ = m.write_u32(buf, 1);
            error::SUCCESS
        }
        // XOnlineGetServiceInfo: no Live connection.
        (app::XLIVEBASE, 0x0005_8007) => E_CONNECTION_INVALID,
        // Friends and game invites: none offline.
        (app::XLIVEBASE, 0x0005_8020 | 0x0005_8023) => error::E_FAIL,
        (app::XLIVEBASE, 0x0005_8046) => error::SUCCESS,
        // XAM: a query whose output (at 0x44) is cleared, and two notices.
        (app::XAM, 0x0002_0021) => {
            let _ = m.write_u32(VirtAddr(word(0x44)), 0);
            error::SUCCESS
        }
        (app::XAM, 0x0002_1012 | 0x0002_2005) => error::SUCCESS,
        (app::XMP | app::XGI | app::XLIVEBASE | app::XAM, _) => {
            if kernel.xam.apps.reported.insert((app_id, message)) {
                tracing::warn!("system app {app_id:#04x}: message {message:#010x} is not known");
            }
            error::E_FAIL
        }
        _ => return None,
    };
    Some(result)
}

fn unknown_app(kernel: &mut Kernel, export: &str, app_id: u32) {
    if kernel.xam.apps.reported.insert((app_id, u32::MAX)) {
        tracing::warn!("{export}: no system app {app_id:#010x}");
    }
}

/// `XMsgInProcessCall(App, Message, Param1, Param2)`: `Param1` is the buffer.
pub fn x_msg_in_process_call(kernel: &mut Kernel, app_id: u32, message: u32, param1: u32, param2: u32) -> u32 {
    dispatch(kernel, app_id, message, param1, param2).unwrap_or_else(|| {
        unknown_app(kernel, "XMsgInProcessCall", app_id);
        error::E_NOT_FOUND
    })
}

/// `XMsgSystemProcessCall(App, Message, Buffer, Length)`.
pub fn x_msg_system_process_call(kernel: &mut Kernel, app_id: u32, message: u32, buffer: u32, length: u32) -> u32 {
    dispatch(kernel, app_id, message, buffer, length).unwrap_or_else(|| {
        unknown_app(kernel, "XMsgSystemProcessCall", app_id);
        error::E_NOT_FOUND
    })
}

/// `XMsgStartIORequest(App, Message, Overlapped, Buffer, Length)`.
pub fn x_msg_start_io_request(
    kernel: &mut Kernel,
    app_id: u32,
    message: u32,
    ov: Option<VirtAddr>,
    buffer: u32,
    length: u32,
    call: Call,
) -> u32 {
    start_io(kernel, app_id, message, ov, buffer, length, call)
}

/// `XMsgStartIORequestEx(App, Message, Overlapped, Buffer, Length, Extra)`.
#[allow(clippy::too_many_arguments)]
pub fn x_msg_start_io_request_ex(
    kernel: &mut Kernel,
    app_id: u32,
    message: u32,
    ov: Option<VirtAddr>,
    buffer: u32,
    length: u32,
    _extra: Option<VirtAddr>,
    call: Call,
) -> u32 {
    start_io(kernel, app_id, message, ov, buffer, length, call)
}

fn start_io(
    kernel: &mut Kernel,
    app_id: u32,
    message: u32,
    ov: Option<VirtAddr>,
    buffer: u32,
    length: u32,
    call: Call,
) -> u32 {
    let (result, extended) = match dispatch(kernel, app_id, message, buffer, length) {
        Some(r) => (r, r),
        None => {
            unknown_app(kernel, "XMsgStartIORequest", app_id);
            (error::E_INVALIDARG, error::NOT_FOUND)
        }
    };
    match ov {
        Some(ov) => {
            let length = if result == error::SUCCESS { 0 } else { u32::MAX };
            overlapped::complete(kernel, call.thread, ov, result, extended, length);
            error::IO_PENDING
        }
        None => result,
    }
}

/// `XMsgCancelIORequest(Overlapped, Wait)`: every request completes before
/// its call returns, so there is never one left to cancel.
pub fn x_msg_cancel_io_request(_kernel: &mut Kernel, _ov: Option<VirtAddr>, _wait: u32) -> u32 {
    error::SUCCESS
}

/// `XMsgCompleteIORequest(Overlapped, Result, ExtendedError, Length)`.
pub fn x_msg_complete_io_request(
    kernel: &mut Kernel,
    ov: Option<VirtAddr>,
    result: u32,
    extended_error: u32,
    length: u32,
    call: Call,
) -> u32 {
    let Some(ov) = ov else { return error::INVALID_PARAMETER };
    overlapped::complete(kernel, call.thread, ov, result, extended_error, length);
    error::SUCCESS
}

/// `XamGetOverlappedResult(Overlapped, PDWORD Length, Wait)`: the request's
/// result and length once it has completed; `ERROR_IO_INCOMPLETE` while
/// it is pending.
pub fn xam_get_overlapped_result(
    kernel: &mut Kernel,
    ov: Option<VirtAddr>,
    length: Option<VirtAddr>,
    wait: u32,
) -> u32 {
    let Some(ov) = ov else { return error::INVALID_PARAMETER };
    let m = &kernel.memory;
    let result = m.read_u32(ov.add(overlapped::RESULT)).unwrap_or(error::INVALID_PARAMETER);
    if result == error::IO_PENDING {
        if wait != 0 {
            tracing::warn!("XamGetOverlappedResult: waiting on a request nobody will complete");
        }
        return error::IO_INCOMPLETE;
    }
    if result == error::SUCCESS {
        if let Some(out) = length {
            let _ = m.write_u32(out, m.read_u32(ov.add(overlapped::LENGTH)).unwrap_or(0));
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::{call_from, kernel_with_thread};

    #[test]
    fn an_xgi_context_set_reads_back() {
        let mut k = Kernel::for_tests();
        let buf = VirtAddr(0x1000);
        k.memory.fill(buf, 32, 0).unwrap();
        k.memory.write_u32(buf.add(16), 0x8001).unwrap();
        k.memory.write_u32(buf.add(20), 7).unwrap();
        assert_eq!(x_msg_in_process_call(&mut k, app::XGI, 0x000B_0006, buf.0, 24), error::SUCCESS);
        let (get, context) = (VirtAddr(0x2000), VirtAddr(0x3000));
        k.memory.fill(get, 32, 0).unwrap();
        k.memory.write_u32(get.add(16), context.0).unwrap();
        k.memory.write_u32(context, 0x8001).unwrap();
        assert_eq!(x_msg_in_process_call(&mut k, app::XGI, 0x000B_0041, get.0, 32), error::SUCCESS);
        assert_eq!(k.memory.read_u32(context.add(4)).unwrap(), 7);
        k.memory.write_u32(context, 0x8002).unwrap();
        assert_eq!(x_msg_in_process_call(&mut k, app::XGI, 0x000B_0041, get.0, 32), error::E_FAIL);
    }

    #[test]
    fn unknown_apps_and_messages_get_the_consoles_errors() {
        let mut k = Kernel::for_tests();
        let buf = VirtAddr(0x1000).0;
        assert_eq!(x_msg_in_process_call(&mut k, 0x42, 1, buf, 4), 0x8007_0490);
        assert_eq!(x_msg_system_process_call(&mut k, app::XGI, 0x000B_7777, buf, 4), error::E_FAIL);
        assert_eq!(x_msg_system_process_call(&mut k, app::XLIVEBASE, 0x0005_8007, buf, 4), 0x8015_1802);
        assert_eq!(x_msg_system_process_call(&mut k, app::XLIVEBASE, 0x0005_8006, buf, 4), 0);
        assert_eq!(k.memory.read_u32(VirtAddr(buf)).unwrap(), 1);
    }

    #[test]
    fn io_requests_complete_through_the_overlapped() {
        let (mut k, t) = kernel_with_thread();
        let (ov, buf, len) = (VirtAddr(0x2000), VirtAddr(0x1000), VirtAddr(0x1800));
        k.memory.fill(ov, overlapped::SIZE, 0).unwrap();
        let r = x_msg_start_io_request(&mut k, 0x42, 1, Some(ov), buf.0, 4, call_from(t));
        assert_eq!(r, error::IO_PENDING);
        assert_eq!(k.memory.read_u32(ov.add(overlapped::RESULT)).unwrap(), error::E_INVALIDARG);
        assert_eq!(k.memory.read_u32(ov.add(overlapped::EXTENDED_ERROR)).unwrap(), error::NOT_FOUND);
        assert_eq!(xam_get_overlapped_result(&mut k, Some(ov), Some(len), 1), error::E_INVALIDARG);
        assert_eq!(x_msg_complete_io_request(&mut k, Some(ov), 0, 0, 12, call_from(t)), error::SUCCESS);
        assert_eq!(xam_get_overlapped_result(&mut k, Some(ov), Some(len), 0), 0);
        assert_eq!(k.memory.read_u32(len).unwrap(), 12);
        k.memory.write_u32(ov, error::IO_PENDING).unwrap();
        assert_eq!(xam_get_overlapped_result(&mut k, Some(ov), Some(len), 0), error::IO_INCOMPLETE);
    }
}
