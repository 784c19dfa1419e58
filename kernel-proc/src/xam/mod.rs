//! The XAM subset: system information, users (nobody signed in), content
//! (none), enumerators and the completion of `XOVERLAPPED` requests.
//!
//! Values are those of a retail console with no user signed in, as xenia
//! `xam_info.cc`, `xam_user.cc`, `xam_content*.cc` and `xam_enum.cc` record
//! them. Notification listeners (`XNotify*`) live with the object manager.
//!
//! Submodules: [`info`] (`XGet*`), [`user`] (`XamUser*`), [`content`]
//! (`XamContent*`), [`enumerator`] (`XamEnumerate` and the enumerator
//! objects), [`overlapped`] (`XOVERLAPPED` completion).

pub mod content;
pub mod enumerator;
pub mod info;
pub mod input;
pub mod notify;
pub mod overlapped;
pub mod user;

use crate::ob::ObjectId;
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
    pub const IO_PENDING: u32 = 0x3E5;
    pub const DEVICE_NOT_CONNECTED: u32 = 0x48F;
    pub const NOT_FOUND: u32 = 0x490;
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
}

impl Xam {
    /// Drops the state of objects the object manager destroyed.
    pub fn forget(&mut self, id: ObjectId) {
        self.enumerators.remove(&id);
        self.listeners.remove(&id);
    }
}
