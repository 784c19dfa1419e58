//! The keyboard as the pad in port 0, while the window has focus.
//!
//! Keys are physical positions (the same places on any layout):
//!
//! | pad | keys |
//! | --- | --- |
//! | A, B, X, Y | Space, Backspace (or Escape), Q, E |
//! | Start, Back | Enter, Tab |
//! | d-pad | arrow keys |
//! | left stick, right stick | W A S D, I J K L |
//! | stick clicks | F, H |
//! | shoulders, triggers | 1, 3 (LB, RB); Z, C (LT, RT) |
//!
//! A held key moves a stick all the way; opposite keys cancel.

use shared::memory::Gamepad;
use std::collections::HashSet;
use winit::keyboard::KeyCode;

/// What a key does on the pad.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Control {
    Button(u16),
    LeftTrigger,
    RightTrigger,
    /// A stick axis (0 LX, 1 LY, 2 RX, 3 RY) pushed towards `+1` or `-1`.
    Axis(usize, i8),
}

/// `XINPUT_GAMEPAD_*` button bits.
pub mod buttons {
    pub const DPAD_UP: u16 = 0x0001;
    pub const DPAD_DOWN: u16 = 0x0002;
    pub const DPAD_LEFT: u16 = 0x0004;
    pub const DPAD_RIGHT: u16 = 0x0008;
    pub const START: u16 = 0x0010;
    pub const BACK: u16 = 0x0020;
    pub const LEFT_THUMB: u16 = 0x0040;
    pub const RIGHT_THUMB: u16 = 0x0080;
    pub const LEFT_SHOULDER: u16 = 0x0100;
    pub const RIGHT_SHOULDER: u16 = 0x0200;
    pub const A: u16 = 0x1000;
    pub const B: u16 = 0x2000;
    pub const X: u16 = 0x4000;
    pub const Y: u16 = 0x8000;
}

fn control(key: KeyCode) -> Option<Control> {
    use buttons::*;
    use Control::*;
    Some(match key {
        KeyCode::Space => Button(A),
        KeyCode::Backspace | KeyCode::Escape => Button(B),
        KeyCode::KeyQ => Button(X),
        KeyCode::KeyE => Button(Y),
        KeyCode::Enter | KeyCode::NumpadEnter => Button(START),
        KeyCode::Tab => Button(BACK),
        KeyCode::ArrowUp => Button(DPAD_UP),
        KeyCode::ArrowDown => Button(DPAD_DOWN),
        KeyCode::ArrowLeft => Button(DPAD_LEFT),
        KeyCode::ArrowRight => Button(DPAD_RIGHT),
        KeyCode::KeyF => Button(LEFT_THUMB),
        KeyCode::KeyH => Button(RIGHT_THUMB),
        KeyCode::Digit1 => Button(LEFT_SHOULDER),
        KeyCode::Digit3 => Button(RIGHT_SHOULDER),
        KeyCode::KeyZ => LeftTrigger,
        KeyCode::KeyC => RightTrigger,
        KeyCode::KeyW => Axis(1, 1),
        KeyCode::KeyS => Axis(1, -1),
        KeyCode::KeyD => Axis(0, 1),
        KeyCode::KeyA => Axis(0, -1),
        KeyCode::KeyI => Axis(3, 1),
        KeyCode::KeyK => Axis(3, -1),
        KeyCode::KeyL => Axis(2, 1),
        KeyCode::KeyJ => Axis(2, -1),
        _ => return None,
    })
}

/// The keys held down, as a pad.
#[derive(Debug, Default)]
pub struct KeyboardPad {
    held: HashSet<KeyCode>,
}

impl KeyboardPad {
    /// A key went down or up; whether it is one of the pad's.
    pub fn key(&mut self, key: KeyCode, pressed: bool) -> bool {
        if control(key).is_none() {
            return false;
        }
        if pressed {
            self.held.insert(key);
        } else {
            self.held.remove(&key);
        }
        true
    }

    /// Lets go of every key (the window lost focus: its key-ups go elsewhere).
    pub fn release_all(&mut self) {
        self.held.clear();
    }

    pub fn gamepad(&self) -> Gamepad {
        let mut pad = Gamepad::default();
        let mut axes = [0i32; 4];
        for control in self.held.iter().filter_map(|&k| control(k)) {
            match control {
                Control::Button(bit) => pad.buttons |= bit,
                Control::LeftTrigger => pad.left_trigger = 0xFF,
                Control::RightTrigger => pad.right_trigger = 0xFF,
                Control::Axis(axis, direction) => axes[axis] += direction as i32,
            }
        }
        let full = |sum: i32| match sum.signum() {
            1 => i16::MAX,
            -1 => i16::MIN,
            _ => 0,
        };
        [pad.thumb_lx, pad.thumb_ly, pad.thumb_rx, pad.thumb_ry] = axes.map(full);
        pad
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_keys_make_buttons_triggers_and_full_stick_moves() {
        let mut pad = KeyboardPad::default();
        assert!(pad.key(KeyCode::Space, true));
        assert!(pad.key(KeyCode::Enter, true));
        assert!(pad.key(KeyCode::KeyW, true));
        assert!(pad.key(KeyCode::KeyJ, true));
        assert!(pad.key(KeyCode::KeyC, true));
        let state = pad.gamepad();
        assert_eq!(state.buttons, buttons::A | buttons::START);
        assert_eq!((state.thumb_lx, state.thumb_ly, state.thumb_rx, state.thumb_ry), (0, i16::MAX, i16::MIN, 0));
        assert_eq!((state.left_trigger, state.right_trigger), (0, 0xFF));
        pad.key(KeyCode::Space, false);
        assert_eq!(pad.gamepad().buttons, buttons::START);
    }

    #[test]
    fn opposite_keys_cancel_and_other_keys_are_not_the_pads() {
        let mut pad = KeyboardPad::default();
        pad.key(KeyCode::KeyA, true);
        pad.key(KeyCode::KeyD, true);
        assert_eq!(pad.gamepad().thumb_lx, 0);
        assert!(!pad.key(KeyCode::KeyP, true));
        pad.release_all();
        assert_eq!(pad.gamepad(), Gamepad::default());
    }
}
