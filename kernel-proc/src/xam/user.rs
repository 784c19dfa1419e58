//! Users: nobody is signed in. `XamUserGetSigninState` says so for every
//! slot; the calls that need a user answer `E_NO_SUCH_USER` for slots 0–3
//! and `E_INVALIDARG` past them (xenia `xam_user.cc`).

use super::error;
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// Number of user slots.
pub const MAX_USERS: u32 = 4;
/// `eXUserSigninState_NotSignedIn`.
pub const NOT_SIGNED_IN: u32 = 0;
/// Size of `XUSER_SIGNIN_INFO`: XUID, a word, the sign-in state, two words, a 16-byte name.
pub const SIGNIN_INFO_SIZE: u32 = 40;

fn no_user(user_index: u32) -> u32 {
    if user_index < MAX_USERS {
        error::E_NO_SUCH_USER
    } else {
        error::E_INVALIDARG
    }
}

/// `XamUserGetSigninState(DWORD UserIndex)`.
pub fn xam_user_get_signin_state(_kernel: &mut Kernel, _user_index: u32) -> u32 {
    NOT_SIGNED_IN
}

/// `XamUserGetXUID(DWORD UserIndex, DWORD TypeMask, PXUID Xuid)`: the XUID is set to 0.
pub fn xam_user_get_xuid(kernel: &mut Kernel, user_index: u32, _type_mask: u32, xuid: Option<VirtAddr>) -> u32 {
    let Some(out) = xuid else { return error::E_INVALIDARG };
    let _ = kernel.memory.write_u64(out, 0);
    no_user(user_index)
}

/// `XamUserGetSigninInfo(DWORD UserIndex, DWORD Flags, PXUSER_SIGNIN_INFO Info)`: zeroed.
pub fn xam_user_get_signin_info(kernel: &mut Kernel, user_index: u32, _flags: u32, info: Option<VirtAddr>) -> u32 {
    let Some(out) = info else { return error::E_INVALIDARG };
    let _ = kernel.memory.fill(out, SIGNIN_INFO_SIZE, 0);
    no_user(user_index)
}

/// `XamUserGetName(DWORD UserIndex, LPSTR Buffer, DWORD Length)`.
pub fn xam_user_get_name(_kernel: &mut Kernel, user_index: u32, _buffer: Option<VirtAddr>, _length: u32) -> u32 {
    no_user(user_index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_is_signed_in() {
        let mut k = Kernel::for_tests();
        assert!((0..4).all(|i| xam_user_get_signin_state(&mut k, i) == NOT_SIGNED_IN));
        let out = VirtAddr(0x1000);
        k.memory.write_u64(out, 0x1234).unwrap();
        assert_eq!(xam_user_get_xuid(&mut k, 0, 1, Some(out)), 0x8007_0525);
        assert_eq!(k.memory.read_u64(out).unwrap(), 0);
        assert_eq!(xam_user_get_xuid(&mut k, 4, 1, Some(out)), 0x8007_0057);
        assert_eq!(xam_user_get_xuid(&mut k, 0, 1, None), 0x8007_0057);
        k.memory.fill(out, SIGNIN_INFO_SIZE, 0xAA).unwrap();
        assert_eq!(xam_user_get_signin_info(&mut k, 1, 0, Some(out)), error::E_NO_SUCH_USER);
        assert_eq!(k.memory.read_u64(out.add(32)).unwrap(), 0);
        assert_eq!(xam_user_get_name(&mut k, 3, Some(out), 16), error::E_NO_SUCH_USER);
    }
}
