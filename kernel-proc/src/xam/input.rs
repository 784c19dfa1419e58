//! Controller input. The four ports live in the control area
//! ([`shared::memory::InputState`]); a host device (the window's keyboard,
//! in gpu-proc) plugs a pad into port 0 and publishes its state. A port
//! with nothing plugged in answers `ERROR_DEVICE_NOT_CONNECTED`, as a
//! console with no pad does.
//!
//! Layouts and codes (xenia `xam_input.cc`, `hid/input.h`; the XDK's
//! `XINPUT_*`): `XINPUT_STATE` is a packet number and a 12-byte
//! `XINPUT_GAMEPAD`; `XINPUT_CAPABILITIES` is type, subtype, flags, a
//! gamepad of the controls present and the vibration motors (20 bytes);
//! `XINPUT_KEYSTROKE` is virtual key, Unicode, flags, user index and HID
//! code (8 bytes). User index `0xFF` (`XUSER_INDEX_ANY`) or the any-user
//! flag means port 0, as xenia pins it.

use crate::kernel::Kernel;
use shared::memory::{Gamepad, InputState, VirtAddr};

/// `ERROR_SUCCESS`.
const SUCCESS: u32 = 0;
/// `ERROR_BAD_ARGUMENTS`.
const BAD_ARGUMENTS: u32 = 0xA0;
/// `ERROR_DEVICE_NOT_CONNECTED`.
const DEVICE_NOT_CONNECTED: u32 = 0x48F;
/// `ERROR_EMPTY`: no keystroke waiting.
const EMPTY: u32 = 0x10D2;

/// `XINPUT_FLAG_GAMEPAD`: only gamepads are asked about.
const FLAG_GAMEPAD: u32 = 0x01;
/// `XINPUT_FLAG_ANYUSER`.
const FLAG_ANY_USER: u32 = 1 << 30;
/// `XINPUT_DEVTYPE_GAMEPAD`, `XINPUT_DEVSUBTYPE_GAMEPAD`.
const DEVTYPE_GAMEPAD: u8 = 1;
const DEVSUBTYPE_GAMEPAD: u8 = 1;

/// `XINPUT_KEYSTROKE_KEYDOWN`, `_KEYUP`.
const KEYSTROKE_KEYDOWN: u16 = 0x1;
const KEYSTROKE_KEYUP: u16 = 0x2;

/// `XINPUT_GAMEPAD_TRIGGER_THRESHOLD`: a trigger this far counts as a key.
const TRIGGER_THRESHOLD: u8 = 30;
/// `XINPUT_GAMEPAD_LEFT_THUMB_DEADZONE` and `_RIGHT_`: a stick this far
/// along an axis counts as a direction key.
const LEFT_DEADZONE: i16 = 7849;
const RIGHT_DEADZONE: i16 = 8689;

/// Whether a pad state holds a key down.
type IsDown = fn(&Gamepad) -> bool;

/// The `VK_PAD_*` keys the keystroke calls report, in the order they are
/// looked at, with the condition that holds each one down.
const PAD_KEYS: [(u16, IsDown); 24] = [
    (0x5800, |p| p.buttons & 0x1000 != 0), // A
    (0x5801, |p| p.buttons & 0x2000 != 0), // B
    (0x5802, |p| p.buttons & 0x4000 != 0), // X
    (0x5803, |p| p.buttons & 0x8000 != 0), // Y
    (0x5804, |p| p.buttons & 0x0200 != 0), // right shoulder
    (0x5805, |p| p.buttons & 0x0100 != 0), // left shoulder
    (0x5806, |p| p.left_trigger > TRIGGER_THRESHOLD),
    (0x5807, |p| p.right_trigger > TRIGGER_THRESHOLD),
    (0x5810, |p| p.buttons & 0x0001 != 0), // d-pad up
    (0x5811, |p| p.buttons & 0x0002 != 0), // d-pad down
    (0x5812, |p| p.buttons & 0x0004 != 0), // d-pad left
    (0x5813, |p| p.buttons & 0x0008 != 0), // d-pad right
    (0x5814, |p| p.buttons & 0x0010 != 0), // start
    (0x5815, |p| p.buttons & 0x0020 != 0), // back
    (0x5816, |p| p.buttons & 0x0040 != 0), // left thumb press
    (0x5817, |p| p.buttons & 0x0080 != 0), // right thumb press
    (0x5820, |p| p.thumb_ly > LEFT_DEADZONE),
    (0x5821, |p| p.thumb_ly < -LEFT_DEADZONE),
    (0x5822, |p| p.thumb_lx > LEFT_DEADZONE),
    (0x5823, |p| p.thumb_lx < -LEFT_DEADZONE),
    (0x5830, |p| p.thumb_ry > RIGHT_DEADZONE),
    (0x5831, |p| p.thumb_ry < -RIGHT_DEADZONE),
    (0x5832, |p| p.thumb_rx > RIGHT_DEADZONE),
    (0x5833, |p| p.thumb_rx < -RIGHT_DEADZONE),
];

/// The kernel's side of keystrokes: which `VK_PAD_*` keys of each port it
/// has reported down, so each press and release is reported once.
#[derive(Debug, Default)]
pub struct Keystrokes {
    reported_down: [u32; InputState::PORTS],
}

/// The port a call means, or `None` for a query about other devices.
fn port(user: u32, flags: u32) -> Option<usize> {
    if flags & 0xFF != 0 && flags & FLAG_GAMEPAD == 0 {
        return None;
    }
    if user & 0xFF == 0xFF || flags & FLAG_ANY_USER != 0 {
        return Some(0);
    }
    Some(user as usize)
}

/// The state of a port, if a pad is plugged into it.
fn pad(kernel: &Kernel, port: usize) -> Option<(u32, Gamepad)> {
    kernel.memory.control().input_state().pads.get(port)?.read()
}

/// `XamInputGetCapabilities(UserIndex, Flags, Capabilities)`.
pub fn xam_input_get_capabilities(kernel: &mut Kernel, user: u32, flags: u32, caps: Option<VirtAddr>) -> u32 {
    let Some(caps) = caps else { return BAD_ARGUMENTS };
    let Some(port) = port(user, flags) else { return DEVICE_NOT_CONNECTED };
    if pad(kernel, port).is_none() {
        return DEVICE_NOT_CONNECTED;
    }
    // A standard controller: every button, full-range triggers and sticks,
    // both motors.
    let present = Gamepad {
        buttons: 0xF3FF,
        left_trigger: 0xFF,
        right_trigger: 0xFF,
        thumb_lx: -64,
        thumb_ly: -64,
        thumb_rx: -64,
        thumb_ry: -64,
    };
    let mut bytes = [0u8; 20];
    bytes[0] = DEVTYPE_GAMEPAD;
    bytes[1] = DEVSUBTYPE_GAMEPAD;
    bytes[4..16].copy_from_slice(&present.to_guest());
    bytes[16..20].copy_from_slice(&[0xFF; 4]);
    match kernel.memory.write_bytes(caps, &bytes) {
        Ok(()) => SUCCESS,
        Err(_) => BAD_ARGUMENTS,
    }
}

/// `XamInputGetCapabilitiesEx(Unknown, UserIndex, Flags, Capabilities)`.
pub fn xam_input_get_capabilities_ex(
    kernel: &mut Kernel,
    _unk: u32,
    user: u32,
    flags: u32,
    caps: Option<VirtAddr>,
) -> u32 {
    xam_input_get_capabilities(kernel, user, flags, caps)
}

/// `XamInputGetState(UserIndex, Flags, State)`. Titles pass a null state
/// to ask only whether a pad is there.
pub fn xam_input_get_state(kernel: &mut Kernel, user: u32, flags: u32, state: Option<VirtAddr>) -> u32 {
    let Some(port) = port(user, flags) else { return DEVICE_NOT_CONNECTED };
    let Some((packet, pad)) = pad(kernel, port) else { return DEVICE_NOT_CONNECTED };
    if let Some(state) = state {
        let mut bytes = [0u8; 16];
        bytes[0..4].copy_from_slice(&packet.to_be_bytes());
        bytes[4..16].copy_from_slice(&pad.to_guest());
        if kernel.memory.write_bytes(state, &bytes).is_err() {
            return BAD_ARGUMENTS;
        }
    }
    SUCCESS
}

/// `XamInputSetState(UserIndex, Unknown, Vibration)`: accepted for a
/// plugged-in pad; the keyboard has no motors to run.
pub fn xam_input_set_state(kernel: &mut Kernel, user: u32, _unk: u32, vibration: Option<VirtAddr>) -> u32 {
    if vibration.is_none() {
        return BAD_ARGUMENTS;
    }
    let port = if user & 0xFF == 0xFF { 0 } else { user as usize };
    match pad(kernel, port) {
        Some(_) => SUCCESS,
        None => DEVICE_NOT_CONNECTED,
    }
}

/// The next keystroke of `port`: the first `VK_PAD_*` key whose state
/// differs from what was last reported, now reported.
fn next_keystroke(kernel: &mut Kernel, port: usize) -> Result<(u16, u16), u32> {
    let (_, pad) = pad(kernel, port).ok_or(DEVICE_NOT_CONNECTED)?;
    let reported = &mut kernel.input.reported_down[port];
    for (bit, (key, is_down)) in PAD_KEYS.iter().enumerate() {
        let down = is_down(&pad);
        let was_down = *reported & (1 << bit) != 0;
        if down != was_down {
            *reported ^= 1 << bit;
            return Ok((*key, if down { KEYSTROKE_KEYDOWN } else { KEYSTROKE_KEYUP }));
        }
    }
    Err(EMPTY)
}

/// Writes an `XINPUT_KEYSTROKE` for `port`, or answers why there is none.
fn keystroke(kernel: &mut Kernel, user: u32, flags: u32, out: Option<VirtAddr>) -> Result<u8, u32> {
    let out = out.ok_or(BAD_ARGUMENTS)?;
    let any = user & 0xFF == 0xFF || flags & FLAG_ANY_USER != 0;
    let ports: Vec<usize> = match port(user, flags) {
        None => return Err(DEVICE_NOT_CONNECTED),
        Some(_) if any => (0..InputState::PORTS).collect(),
        Some(port) => vec![port],
    };
    let mut answer = Err(DEVICE_NOT_CONNECTED);
    for port in ports {
        match next_keystroke(kernel, port) {
            Ok((key, stroke_flags)) => {
                let mut bytes = [0u8; 8];
                bytes[0..2].copy_from_slice(&key.to_be_bytes());
                bytes[4..6].copy_from_slice(&stroke_flags.to_be_bytes());
                bytes[6] = port as u8;
                kernel.memory.write_bytes(out, &bytes).map_err(|_| BAD_ARGUMENTS)?;
                return Ok(port as u8);
            }
            Err(EMPTY) => answer = Err(EMPTY),
            Err(_) => {}
        }
    }
    answer
}

/// `XamInputGetKeystroke(UserIndex, Flags, Keystroke)`.
pub fn xam_input_get_keystroke(kernel: &mut Kernel, user: u32, flags: u32, out: Option<VirtAddr>) -> u32 {
    match keystroke(kernel, user, flags, out) {
        Ok(_) => SUCCESS,
        Err(code) => code,
    }
}

/// `XamInputGetKeystrokeEx(UserIndexInOut, Flags, Keystroke)`: the user
/// index is read, and on success replaced by the keystroke's.
pub fn xam_input_get_keystroke_ex(
    kernel: &mut Kernel,
    user: Option<VirtAddr>,
    flags: u32,
    out: Option<VirtAddr>,
) -> u32 {
    let (Some(user_at), Some(_)) = (user, out) else { return BAD_ARGUMENTS };
    let Ok(user) = kernel.memory.read_u32(user_at) else { return BAD_ARGUMENTS };
    match keystroke(kernel, user, flags, out) {
        Ok(port) => {
            let _ = kernel.memory.write_u32(user_at, port as u32);
            SUCCESS
        }
        Err(code) => code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATE: VirtAddr = VirtAddr(0x4000_0000);

    /// Plugs a pad into port 0 of `k`'s memory (kept alive by the `Arc`).
    fn plug_in(k: &Kernel) -> std::sync::Arc<shared::memory::GuestMemory> {
        let memory = k.memory.clone();
        memory.control().input_state().pads[0].set_connected(true);
        memory
    }

    #[test]
    fn with_no_controller_every_input_call_says_not_connected() {
        let mut k = Kernel::for_tests();
        assert_eq!(xam_input_get_state(&mut k, 0, 0, Some(STATE)), DEVICE_NOT_CONNECTED);
        assert_eq!(xam_input_get_capabilities(&mut k, 0, 1, Some(STATE)), DEVICE_NOT_CONNECTED);
        assert_eq!(xam_input_set_state(&mut k, 3, 0, Some(STATE)), DEVICE_NOT_CONNECTED);
        assert_eq!(xam_input_get_keystroke(&mut k, 0xFF, 1, Some(STATE)), DEVICE_NOT_CONNECTED);
    }

    #[test]
    fn a_plugged_in_pad_reads_as_a_big_endian_xinput_state() {
        let mut k = Kernel::for_tests();
        let memory = plug_in(&k);
        let port = &memory.control().input_state().pads[0];
        port.publish(&Gamepad { buttons: 0x1000, right_trigger: 200, thumb_ly: -32768, ..Default::default() });
        let packet = port.read().unwrap().0;
        assert_eq!(xam_input_get_state(&mut k, 0, 0, Some(STATE)), SUCCESS);
        let mut bytes = [0u8; 16];
        k.memory.read_bytes(STATE, &mut bytes).unwrap();
        assert_eq!(u32::from_be_bytes(bytes[0..4].try_into().unwrap()), packet);
        assert_eq!(&bytes[4..10], &[0x10, 0x00, 0, 200, 0x00, 0x00]);
        assert_eq!(&bytes[10..12], &[0x80, 0x00], "thumb LY");
        // Other ports stay empty; a null state only asks.
        assert_eq!(xam_input_get_state(&mut k, 1, 0, Some(STATE)), DEVICE_NOT_CONNECTED);
        assert_eq!(xam_input_get_state(&mut k, 0xFF, 0, None), SUCCESS);
        // Keyboards and other devices are not gamepads.
        assert_eq!(xam_input_get_state(&mut k, 0, 2, Some(STATE)), DEVICE_NOT_CONNECTED);
    }

    #[test]
    fn capabilities_describe_a_standard_gamepad() {
        let mut k = Kernel::for_tests();
        plug_in(&k);
        assert_eq!(xam_input_get_capabilities(&mut k, 0, FLAG_GAMEPAD, Some(STATE)), SUCCESS);
        let mut bytes = [0u8; 20];
        k.memory.read_bytes(STATE, &mut bytes).unwrap();
        assert_eq!(&bytes[0..2], &[DEVTYPE_GAMEPAD, DEVSUBTYPE_GAMEPAD]);
        assert_eq!(&bytes[4..6], &[0xF3, 0xFF]);
        assert_eq!(xam_input_get_capabilities(&mut k, 0, FLAG_GAMEPAD, None), BAD_ARGUMENTS);
    }

    #[test]
    fn each_press_and_release_is_one_keystroke() {
        let mut k = Kernel::for_tests();
        let memory = plug_in(&k);
        let port = &memory.control().input_state().pads[0];
        assert_eq!(xam_input_get_keystroke(&mut k, 0, 0, Some(STATE)), EMPTY);
        port.publish(&Gamepad { buttons: 0x1000 | 0x0010, ..Default::default() });
        let mut strokes = Vec::new();
        while xam_input_get_keystroke(&mut k, 0xFF, FLAG_GAMEPAD, Some(STATE)) == SUCCESS {
            let mut bytes = [0u8; 8];
            k.memory.read_bytes(STATE, &mut bytes).unwrap();
            strokes.push((
                u16::from_be_bytes([bytes[0], bytes[1]]),
                u16::from_be_bytes([bytes[4], bytes[5]]),
                bytes[6],
            ));
        }
        assert_eq!(strokes, [(0x5800, KEYSTROKE_KEYDOWN, 0), (0x5814, KEYSTROKE_KEYDOWN, 0)]);
        port.publish(&Gamepad { buttons: 0x0010, ..Default::default() });
        let user = VirtAddr(0x4000_0100);
        k.memory.write_u32(user, 0xFF).unwrap();
        assert_eq!(xam_input_get_keystroke_ex(&mut k, Some(user), 0, Some(STATE)), SUCCESS);
        let mut bytes = [0u8; 8];
        k.memory.read_bytes(STATE, &mut bytes).unwrap();
        assert_eq!(&bytes[0..6], &[0x58, 0x00, 0, 0, 0, KEYSTROKE_KEYUP as u8]);
        assert_eq!(k.memory.read_u32(user).unwrap(), 0, "the user index comes back as the pad's port");
        assert_eq!(xam_input_get_keystroke(&mut k, 0, 0, Some(STATE)), EMPTY);
    }
}
