//! The XAM subset: system information, the signed-in profile and its
//! settings, content packages (saves, downloadable content), the system UI,
//! messages to system apps, enumerators and the completion of `XOVERLAPPED`
//! requests.
//!
//! Values are those of a retail console with one local (offline) profile
//! signed in in slot 0, as xenia `xam_info.cc`, `xam_user.cc`,
//! `xam_content*.cc`, `xam_ui.cc`, `xam_msg.cc` and `xam_enum.cc` record
//! them. Notification listeners (`XNotify*`) live with the object manager.
//!
//! Submodules: [`info`] (`XGet*`), [`user`] (`XamUser*`: sign-in, gamertag,
//! privileges), [`profile`] (profile settings, persisted per title),
//! [`content`] (`XamContent*`), [`enumerator`] (`XamEnumerate` and the
//! enumerator objects), [`overlapped`] (`XOVERLAPPED` completion),
//! [`notify`] (listeners), [`ui`] (`XamShow*UI`), [`msg`] (`XMsg*`, the
//! system apps), [`system`] (memory, title identity, loader, tasks),
//! [`locale`] (locale and country strings), [`peripherals`] (voice, party,
//! avatars, Kinect: none present), [`input`] (controllers).
pub mod content;
pub mod enumerator;
pub mod info;
pub mod input;
pub mod locale;
pub mod msg;
pub mod notify;
pub mod overlapped;
pub mod peripherals;
pub mod profile;
pub mod system;
pub mod ui;
pub mod user;

use crate::ob::ObjectId;
use shared::memory::{GuestMemory, VirtAddr};
use std::collections::HashMap;

/// Win32 error codes XAM returns (xenia `xbox.h` `X_ERROR_*`).
pub mod error {
    pub const SUCCESS: u32 = 0;
    pub const FILE_NOT_FOUND: u32 = 2;
    pub const PATH_NOT_FOUND: u32 = 3;
    pub const ACCESS_DENIED: u32 = 5;
    pub const INVALID_HANDLE: u32 = 6;
    pub const NO_MORE_FILES: u32 = 0x12;
    pub const INVALID_PARAMETER: u32 = 0x57;
    pub const INSUFFICIENT_BUFFER: u32 = 0x7A;
    pub const ALREADY_EXISTS: u32 = 0xB7;
    pub const IO_INCOMPLETE: u32 = 0x3E4;
    pub const IO_PENDING: u32 = 0x3E5;
    pub const DEVICE_NOT_CONNECTED: u32 = 0x48F;
    pub const NOT_FOUND: u32 = 0x490;
    pub const CANCELLED: u32 = 0x4C7;
    pub const NOT_LOGGED_ON: u32 = 0x4DD;
    pub const NO_SUCH_USER: u32 = 0x525;
    pub const FUNCTION_FAILED: u32 = 0x65B;

    /// `HRESULT_FROM_WIN32`.
    pub const fn hresult(code: u32) -> u32 {
        if code == 0 {
            0
        } else {
            (code & 0xFFFF) | 0x8007_0000
        }
    }
    /// `E_INVALIDARG` as XAM spells it.
    pub const E_INVALIDARG: u32 = hresult(INVALID_PARAMETER);
    /// The HRESULT for a user slot with nobody signed in.
    pub const E_NO_SUCH_USER: u32 = hresult(NO_SUCH_USER);
    /// `E_FAIL`.
    pub const E_FAIL: u32 = 0x8000_4005;
    /// `HRESULT_FROM_WIN32(ERROR_NOT_FOUND)`: no such system app.
    pub const E_NOT_FOUND: u32 = hresult(NOT_FOUND);
}

/// XAM state.
#[derive(Debug, Default)]
pub struct Xam {
    /// Enumerator objects by object id.
    pub enumerators: HashMap<ObjectId, enumerator::Enumerator>,
    /// Notification listeners by object id.
    pub listeners: HashMap<ObjectId, notify::Listener>,
    /// Whether the start-up notifications went out already.
    pub startup_notified: bool,
    /// The signed-in profile (slot 0).
    pub profile: profile::Profile,
    /// Open content packages and the devices that back them.
    pub content: content::Packages,
    /// System-app state (`XMsg*`): the rich-presence contexts set.
    pub apps: msg::Apps,
    /// Launch data a title left for the next one (`XamLoaderSetLaunchData`).
    pub launch_data: Option<Vec<u8>>,
}

impl Xam {
    /// Drops the state of objects the object manager destroyed.
    pub fn forget(&mut self, id: ObjectId) {
        self.enumerators.remove(&id);
        self.listeners.remove(&id);
    }
}

/// A NUL-terminated ANSI string of at most `max` bytes at `addr`.
pub fn read_ansi(memory: &GuestMemory, addr: VirtAddr, max: u32) -> Option<String> {
    let mut bytes = Vec::new();
    for i in 0..max {
        match memory.read_u8(addr.add(i)).ok()? {
            0 => break,
            b => bytes.push(b),
        }
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// A NUL-terminated big-endian UTF-16 string of at most `max` units at `addr`.
pub fn read_utf16(memory: &GuestMemory, addr: VirtAddr, max: u32) -> Option<String> {
    let mut units = Vec::new();
    for i in 0..max {
        match memory.read_u16(addr.add(2 * i)).ok()? {
            0 => break,
            u => units.push(u),
        }
    }
    Some(String::from_utf16_lossy(&units))
}

/// Writes `text` as big-endian UTF-16 with its terminator into a buffer of
/// `capacity` units, truncating; false when nothing fits or memory is bad.
pub fn write_utf16(memory: &GuestMemory, addr: VirtAddr, text: &str, capacity: u32) -> bool {
    if capacity == 0 {
        return false;
    }
    let mut units: Vec<u16> = text.encode_utf16().take(capacity as usize - 1).collect();
    units.push(0);
    let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
    memory.write_bytes(addr, &bytes).is_ok()
}

/// Writes `value` at `out` when the pointer is not null.
pub fn write_optional_u32(memory: &GuestMemory, out: Option<VirtAddr>, value: u32) {
    if let Some(out) = out {
        let _ = memory.write_u32(out, value);
    }
}
