//! The system UI: `XamShowSigninUI`, `XamShowMessageBoxUI`,
//! `XamShowKeyboardUI`, `XamShowDeviceSelectorUI`,
//! `XamShowDirtyDiscErrorUI`, `XamIsUIActive`.
//!
//! Nobody sits at the console to answer, so each dialog closes at once the
//! way the console's own auto-dismiss would: the focused (default) button,
//! the default text, the hard drive. As on the console, the system UI is
//! announced with `XN_SYS_UI` = TRUE before the answer and FALSE after it
//! (xenia `xam_ui.cc`), and a dialog is never still open when its call
//! returns, so `XamIsUIActive` is FALSE.

use super::{content, error, notify, overlapped, read_utf16, user, write_utf16};
use crate::dispatch::{Call, Outcome};
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// `XN_SYS_UI`: the system UI was shown (1) or hidden (0).
pub const XN_SYS_UI: u32 = 0x0000_0009;
/// `XN_SYS_SIGNINCHANGED`: the parameter is the mask of signed-in slots.
pub const XN_SYS_SIGNINCHANGED: u32 = 0x0000_000A;
/// `XMB_MAXBUTTONS`.
const MAX_BUTTONS: u32 = 3;

/// Runs a dialog: UI shown, `answer` (which writes the title's outputs and
/// gives the result), completion through the overlapped if any, UI hidden.
fn dialog(kernel: &mut Kernel, ov: Option<VirtAddr>, call: Call, answer: impl FnOnce(&mut Kernel) -> u32) -> u32 {
    notify::broadcast(kernel, XN_SYS_UI, 1);
    let result = answer(kernel);
    let returned = match ov {
        Some(ov) => {
            overlapped::complete_immediate(kernel, call.thread, ov, result);
            error::IO_PENDING
        }
        None => result,
    };
    notify::broadcast(kernel, XN_SYS_UI, 0);
    returned
}

/// `XamShowSigninUI(Panes, Flags)`: the profile in slot 0 stays signed in;
/// the sign-in state is announced again (titles that show a multi-pane
/// sign-in wait for it).
pub fn xam_show_signin_ui(kernel: &mut Kernel, _panes: u32, _flags: u32) -> u32 {
    notify::broadcast(kernel, XN_SYS_UI, 1);
    notify::broadcast(kernel, XN_SYS_SIGNINCHANGED, 1);
    notify::broadcast(kernel, XN_SYS_UI, 0);
    error::SUCCESS
}

/// `XamShowMessageBoxUI(UserIndex, Title, Text, ButtonCount, Buttons,
/// FocusButton, Flags, PMESSAGEBOX_RESULT Result, Overlapped)`: closed on
/// the focused button, whose index goes into the result.
#[allow(clippy::too_many_arguments)]
pub fn xam_show_message_box_ui(
    kernel: &mut Kernel,
    user_index: u32,
    title: Option<VirtAddr>,
    text: Option<VirtAddr>,
    button_count: u32,
    buttons: Option<VirtAddr>,
    focus_button: u32,
    _flags: u32,
    result: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let valid_user = user_index < user::MAX_USERS || user_index == user::USER_INDEX_ANY;
    let Some(result) = result.filter(|_| valid_user) else { return error::INVALID_PARAMETER };
    if button_count == 0 || button_count > MAX_BUTTONS || buttons.is_none() || focus_button >= button_count {
        return error::INVALID_PARAMETER;
    }
    let m = kernel.memory.clone();
    let title = title.and_then(|t| read_utf16(&m, t, 256)).unwrap_or_default();
    let text = text.and_then(|t| read_utf16(&m, t, 1024)).unwrap_or_default();
    tracing::info!("message box {title:?}: {text:?}; answered with button {focus_button}");
    dialog(kernel, ov, call, |k| {
        let _ = k.memory.write_u32(result, focus_button);
        error::SUCCESS
    })
}

/// `XamShowKeyboardUI(UserIndex, Flags, DefaultText, Title, Description,
/// Result, ResultLength, Overlapped)`: the default text is entered as is.
#[allow(clippy::too_many_arguments)]
pub fn xam_show_keyboard_ui(
    kernel: &mut Kernel,
    _user_index: u32,
    _flags: u32,
    default_text: Option<VirtAddr>,
    _title: Option<VirtAddr>,
    _description: Option<VirtAddr>,
    buffer: Option<VirtAddr>,
    length: u32,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let Some(buffer) = buffer.filter(|_| length > 0) else { return error::INVALID_PARAMETER };
    let m = kernel.memory.clone();
    let text = default_text.and_then(|t| read_utf16(&m, t, length)).unwrap_or_default();
    dialog(kernel, ov, call, |k| {
        let _ = k.memory.fill(buffer, length.saturating_mul(2), 0);
        write_utf16(&k.memory, buffer, &text, length);
        error::SUCCESS
    })
}

/// `XamShowDeviceSelectorUI(UserIndex, ContentType, ContentFlags,
/// TotalRequested, PXCONTENTDEVICEID DeviceId, Overlapped)`: the hard drive
/// (the only writable device) is picked.
pub fn xam_show_device_selector_ui(
    kernel: &mut Kernel,
    _user_index: u32,
    _content_type: u32,
    _content_flags: u32,
    _total_requested: u64,
    device_id: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let Some(device_id) = device_id else { return error::INVALID_PARAMETER };
    dialog(kernel, ov, call, |k| {
        let _ = k.memory.write_u32(device_id, content::HARD_DRIVE);
        error::SUCCESS
    })
}

/// `XamShowDirtyDiscErrorUI(UserIndex)`: the console shows "the disc is
/// unreadable" until it is ejected; the call never returns and the session
/// ends with that report.
pub fn xam_show_dirty_disc_error_ui(kernel: &mut Kernel, user_index: u32, call: Call) -> Outcome {
    kernel.fatal.get_or_insert_with(|| {
        format!(
            "the title reported an unreadable disc (XamShowDirtyDiscErrorUI for user {user_index}, from {:#010x}): \
             a file it needed could not be read",
            call.args.lr
        )
    });
    Outcome::Pending
}

/// `XamIsUIActive()`: FALSE, no dialog outlives its call.
pub fn xam_is_ui_active(_kernel: &mut Kernel) -> u32 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::{call_from, kernel_with_thread};

    fn ui_notifications(k: &mut Kernel, listener: u32) -> Vec<(u32, u32)> {
        let (id, param) = (VirtAddr(0x7000), VirtAddr(0x7004));
        let mut got = Vec::new();
        while notify::x_notify_get_next(k, listener, 0, Some(id), Some(param)) == 1 {
            got.push((k.memory.read_u32(id).unwrap(), k.memory.read_u32(param).unwrap()));
        }
        got
    }

    fn put_utf16(k: &Kernel, at: VirtAddr, s: &str) {
        write_utf16(&k.memory, at, s, 64);
    }

    #[test]
    fn a_message_box_answers_with_the_focused_button_and_completes() {
        let (mut k, t) = kernel_with_thread();
        let listener = notify::xam_notify_create_listener(&mut k, 1, 10);
        ui_notifications(&mut k, listener); // the start-up ones
        let buttons = VirtAddr(0x1000);
        for i in 0..2 {
            put_utf16(&k, VirtAddr(0x1100 + 0x40 * i), "OK");
            k.memory.write_u32(buttons.add(4 * i), 0x1100 + 0x40 * i).unwrap();
        }
        let (result, ov) = (VirtAddr(0x2000), VirtAddr(0x3000));
        k.memory.fill(ov, overlapped::SIZE, 0).unwrap();
        k.memory.write_u32(ov, error::IO_PENDING).unwrap();
        let r = xam_show_message_box_ui(
            &mut k,
            0,
            None,
            None,
            2,
            Some(buttons),
            1,
            0,
            Some(result),
            Some(ov),
            call_from(t),
        );
        assert_eq!(r, error::IO_PENDING);
        assert_eq!(k.memory.read_u32(result).unwrap(), 1);
        assert_eq!(k.memory.read_u32(ov.add(overlapped::RESULT)).unwrap(), error::SUCCESS);
        assert_eq!(ui_notifications(&mut k, listener), [(XN_SYS_UI, 1), (XN_SYS_UI, 0)]);
        assert_eq!(xam_is_ui_active(&mut k), 0);
        let bad =
            xam_show_message_box_ui(&mut k, 0, None, None, 2, Some(buttons), 2, 0, Some(result), None, call_from(t));
        assert_eq!(bad, error::INVALID_PARAMETER);
    }

    #[test]
    fn the_keyboard_enters_the_default_text_truncated_to_the_buffer() {
        let (mut k, t) = kernel_with_thread();
        let (default, buffer) = (VirtAddr(0x1000), VirtAddr(0x2000));
        put_utf16(&k, default, "Player One");
        assert_eq!(
            xam_show_keyboard_ui(&mut k, 0, 0, Some(default), None, None, Some(buffer), 7, None, call_from(t)),
            0
        );
        assert_eq!(read_utf16(&k.memory, buffer, 16).unwrap(), "Player");
        assert_eq!(xam_show_keyboard_ui(&mut k, 0, 0, None, None, None, Some(buffer), 7, None, call_from(t)), 0);
        assert_eq!(k.memory.read_u16(buffer).unwrap(), 0);
    }

    #[test]
    fn the_device_selector_picks_the_hard_drive() {
        let (mut k, t) = kernel_with_thread();
        let (out, ov) = (VirtAddr(0x1000), VirtAddr(0x2000));
        k.memory.fill(ov, overlapped::SIZE, 0).unwrap();
        assert_eq!(
            xam_show_device_selector_ui(&mut k, 0, 1, 0, 0, Some(out), Some(ov), call_from(t)),
            error::IO_PENDING
        );
        assert_eq!(k.memory.read_u32(out).unwrap(), 1);
    }

    #[test]
    fn signin_ui_announces_the_signed_in_slot_and_a_dirty_disc_ends_the_title() {
        let (mut k, t) = kernel_with_thread();
        let listener = notify::xam_notify_create_listener(&mut k, 1, 10);
        ui_notifications(&mut k, listener);
        assert_eq!(xam_show_signin_ui(&mut k, 1, 0), error::SUCCESS);
        assert_eq!(ui_notifications(&mut k, listener), [(XN_SYS_UI, 1), (XN_SYS_SIGNINCHANGED, 1), (XN_SYS_UI, 0)]);
        assert_eq!(xam_show_dirty_disc_error_ui(&mut k, 0, call_from(t)), Outcome::Pending);
        assert!(k.fatal.as_deref().unwrap().contains("unreadable disc"));
    }
}
