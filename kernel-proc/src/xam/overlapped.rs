//! Completing an `XOVERLAPPED` request: the result, the extended error and
//! the length go into the structure, its event is signalled and its
//! completion routine is queued as a user APC on the calling thread with
//! `(result, length, overlapped)`.

use crate::kernel::Kernel;
use shared::ipc::kernel::GuestThreadId;
use shared::memory::VirtAddr;

/// Offsets in `XOVERLAPPED` (xenia `xbox.h`).
pub const RESULT: u32 = 0x00;
pub const LENGTH: u32 = 0x04;
pub const CONTEXT: u32 = 0x08;
pub const EVENT: u32 = 0x0C;
pub const COMPLETION_ROUTINE: u32 = 0x10;
pub const COMPLETION_CONTEXT: u32 = 0x14;
pub const EXTENDED_ERROR: u32 = 0x18;
pub const SIZE: u32 = 0x1C;

/// Completes the request at `overlapped` made by `thread`.
pub fn complete(
    kernel: &mut Kernel,
    thread: GuestThreadId,
    overlapped: VirtAddr,
    result: u32,
    extended_error: u32,
    length: u32,
) {
    let m = &kernel.memory;
    let _ = m.write_u32(overlapped.add(RESULT), result);
    let _ = m.write_u32(overlapped.add(EXTENDED_ERROR), extended_error);
    let _ = m.write_u32(overlapped.add(LENGTH), length);
    let event = m.read_u32(overlapped.add(EVENT)).unwrap_or(0);
    let routine = m.read_u32(overlapped.add(COMPLETION_ROUTINE)).unwrap_or(0);
    if event != 0 {
        crate::ob::signal_event_by_handle(kernel, event);
    }
    if routine != 0 {
        crate::threading::queue_user_apc(kernel, thread, routine, [result, length, overlapped.0]);
    }
}

/// Completes at once the way xenia's `CompleteOverlappedImmediate` does: the
/// extended error is the result and the length is 0 on success, `!0` on failure.
pub fn complete_immediate(kernel: &mut Kernel, thread: GuestThreadId, overlapped: VirtAddr, result: u32) {
    let length = if result == 0 { 0 } else { u32::MAX };
    complete(kernel, thread, overlapped, result, result, length);
}
