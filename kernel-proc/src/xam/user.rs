//! Users: one local profile is signed in, in slot 0; slots 1–3 are empty.
//!
//! The profile is offline (signed in locally, `eXUserSigninState_SignedInLocally`),
//! so it has an offline XUID (the `0xE000…` form) and no Xbox Live account:
//! no online XUID, not online-enabled, no Live privileges, no friends. The
//! calls that need a user answer for slot 0, `E_NO_SUCH_USER` (or
//! `ERROR_NO_SUCH_USER`) for slots 1–3 and `E_INVALIDARG` past them
//! (xenia `xam_user.cc`; states and flags from the XDK's `xbox.h`).

use super::{enumerator, error, overlapped, write_optional_u32};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// Number of user slots.
pub const MAX_USERS: u32 = 4;
/// `XUSER_INDEX_ANY`: any signed-in user.
pub const USER_INDEX_ANY: u32 = 0xFF;
/// `eXUserSigninState_NotSignedIn`.
pub const NOT_SIGNED_IN: u32 = 0;
/// `eXUserSigninState_SignedInLocally`.
pub const SIGNED_IN_LOCALLY: u32 = 1;
/// `XUSER_GET_SIGNIN_INFO_ONLINE_XUID_ONLY`: the info's XUID is the online one.
pub const SIGNIN_INFO_ONLINE_XUID_ONLY: u32 = 2;
/// XUID type bits of `XamUserGetXUID`: offline (1), online (2), and a third
/// kind (4) only Live accounts have.
pub const XUID_TYPE_OFFLINE: u32 = 1;

/// `XUSER_SIGNIN_INFO` (40 bytes): XUID, info flags, sign-in state, guest
/// number, sponsor index, a 16-byte ANSI name.
pub mod signin_info {
    pub const XUID: u32 = 0x00;
    pub const INFO_FLAGS: u32 = 0x08;
    pub const STATE: u32 = 0x0C;
    pub const GUEST_NUMBER: u32 = 0x10;
    pub const SPONSOR_USER_INDEX: u32 = 0x14;
    pub const NAME: u32 = 0x18;
    pub const SIZE: u32 = 40;
    const _: () = assert!(NAME + 16 == SIZE);
}
/// Size of `XUSER_SIGNIN_INFO`.
pub const SIGNIN_INFO_SIZE: u32 = signin_info::SIZE;

/// Whether slot `user_index` holds the signed-in profile.
pub fn is_signed_in(user_index: u32) -> bool {
    user_index == 0
}

/// The Win32 result for a slot: success for slot 0, no such user for 1–3,
/// invalid parameter past them.
pub fn check_user(user_index: u32) -> u32 {
    match user_index {
        0 => error::SUCCESS,
        1..MAX_USERS => error::NO_SUCH_USER,
        _ => error::INVALID_PARAMETER,
    }
}

/// The same as an HRESULT.
fn check_user_hresult(user_index: u32) -> u32 {
    error::hresult(check_user(user_index))
}

/// `XamUserGetSigninState(DWORD UserIndex)`.
pub fn xam_user_get_signin_state(_kernel: &mut Kernel, user_index: u32) -> u32 {
    if is_signed_in(user_index) {
        SIGNED_IN_LOCALLY
    } else {
        NOT_SIGNED_IN
    }
}

/// `XamUserGetXUID(DWORD UserIndex, DWORD TypeMask, PXUID Xuid)`: the
/// offline XUID when the mask asks for it; a local profile has no other.
pub fn xam_user_get_xuid(kernel: &mut Kernel, user_index: u32, type_mask: u32, xuid: Option<VirtAddr>) -> u32 {
    let Some(out) = xuid else { return error::E_INVALIDARG };
    let mut result = check_user_hresult(user_index);
    let mut value = 0;
    if result == error::SUCCESS {
        if type_mask & XUID_TYPE_OFFLINE != 0 {
            value = kernel.xam.profile.xuid;
        } else {
            result = error::E_NO_SUCH_USER;
        }
    }
    let _ = kernel.memory.write_u64(out, value);
    result
}

/// `XamUserGetSigninInfo(DWORD UserIndex, DWORD Flags, PXUSER_SIGNIN_INFO Info)`:
/// zeroed, then filled for slot 0 (no online XUID: 0 when `Flags` asks for it).
pub fn xam_user_get_signin_info(kernel: &mut Kernel, user_index: u32, flags: u32, info: Option<VirtAddr>) -> u32 {
    let Some(out) = info else { return error::E_INVALIDARG };
    let m = &kernel.memory;
    let _ = m.fill(out, SIGNIN_INFO_SIZE, 0);
    let result = check_user_hresult(user_index);
    if result != error::SUCCESS {
        return result;
    }
    let profile = &kernel.xam.profile;
    let xuid = if flags & SIGNIN_INFO_ONLINE_XUID_ONLY != 0 { 0 } else { profile.xuid };
    let _ = m.write_u64(out.add(signin_info::XUID), xuid);
    let _ = m.write_u32(out.add(signin_info::STATE), SIGNED_IN_LOCALLY);
    let name: Vec<u8> = profile.gamertag.bytes().take(15).collect();
    let _ = m.write_bytes(out.add(signin_info::NAME), &name);
    error::SUCCESS
}

/// `XamUserGetName(DWORD UserIndex, LPSTR Buffer, DWORD Length)`: the
/// gamertag in ANSI, truncated to the buffer (at most 16 bytes with the NUL).
pub fn xam_user_get_name(kernel: &mut Kernel, user_index: u32, buffer: Option<VirtAddr>, length: u32) -> u32 {
    let result = check_user(user_index);
    if result != error::SUCCESS {
        return result;
    }
    let Some(buffer) = buffer.filter(|_| length > 0) else { return error::INVALID_PARAMETER };
    let capacity = length.min(16) as usize;
    let mut name: Vec<u8> = kernel.xam.profile.gamertag.bytes().take(capacity - 1).collect();
    name.push(0);
    let _ = kernel.memory.write_bytes(buffer, &name);
    error::SUCCESS
}

/// `XamUserGetGamerTag(DWORD UserIndex, LPWSTR Buffer, DWORD Length)`: the
/// gamertag in UTF-16; the buffer must hold 16 units.
pub fn xam_user_get_gamer_tag(kernel: &mut Kernel, user_index: u32, buffer: Option<VirtAddr>, length: u32) -> u32 {
    let result = check_user(user_index);
    if result != error::SUCCESS {
        return result;
    }
    let Some(buffer) = buffer.filter(|_| length >= 16) else { return error::INVALID_PARAMETER };
    super::write_utf16(&kernel.memory, buffer, &kernel.xam.profile.gamertag, 16);
    error::SUCCESS
}

/// `XamUserCheckPrivilege(DWORD UserIndex, DWORD Privilege, PBOOL Result)`:
/// every `XPRIVILEGE_*` is a Live privilege, which a local profile lacks,
/// so the answer is FALSE (for one slot or for `XUSER_INDEX_ANY`).
pub fn xam_user_check_privilege(kernel: &mut Kernel, user_index: u32, _privilege: u32, out: Option<VirtAddr>) -> u32 {
    if user_index != USER_INDEX_ANY {
        let result = check_user(user_index);
        if result != error::SUCCESS {
            return result;
        }
    }
    let Some(out) = out else { return error::INVALID_PARAMETER };
    let _ = kernel.memory.write_u32(out, 0);
    error::SUCCESS
}

/// `XamUserIsOnlineEnabled(DWORD UserIndex)`: FALSE, the profile has no Live account.
pub fn xam_user_is_online_enabled(_kernel: &mut Kernel, _user_index: u32) -> u32 {
    0
}

/// `XamUserGetMembershipTier(DWORD UserIndex)`: `XUSER_MEMBERSHIP_TIER`
/// is 0 (none) for a profile without a Live account; slots without a user
/// give the Win32 error.
pub fn xam_user_get_membership_tier(_kernel: &mut Kernel, user_index: u32) -> u32 {
    check_user(user_index)
}

/// `XamUserAreUsersFriends(DWORD UserIndex, PXUID Xuids, DWORD Count,
/// PBOOL Result, PXOVERLAPPED Overlapped)`: a local profile has no friends list.
pub fn xam_user_are_users_friends(
    kernel: &mut Kernel,
    user_index: u32,
    _xuids: Option<VirtAddr>,
    _count: u32,
    out: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let result = check_user(user_index);
    match (out, ov) {
        (Some(out), _) => {
            let _ = kernel.memory.write_u32(out, 0);
            result
        }
        (None, Some(ov)) => {
            let (r, extended) =
                if result == error::SUCCESS { (0, 0) } else { (error::FUNCTION_FAILED, error::hresult(result)) };
            overlapped::complete(kernel, call.thread, ov, r, extended, 0);
            error::IO_PENDING
        }
        (None, None) => error::INVALID_PARAMETER,
    }
}

/// `XamUserContentRestrictionGetFlags(DWORD UserIndex, PDWORD Flags)`: no
/// parental controls set.
pub fn xam_user_content_restriction_get_flags(kernel: &mut Kernel, user_index: u32, out: Option<VirtAddr>) -> u32 {
    let result = check_user(user_index);
    if result == error::SUCCESS {
        write_optional_u32(&kernel.memory, out, 0);
    }
    result
}

/// `XamUserContentRestrictionGetRating(DWORD UserIndex, DWORD System,
/// PDWORD Rating, PDWORD Descriptors)`: the highest rating (0x3F, "no
/// limit", as titles test for it in xenia's notes) and no descriptors.
pub fn xam_user_content_restriction_get_rating(
    kernel: &mut Kernel,
    user_index: u32,
    _system: u32,
    rating: Option<VirtAddr>,
    descriptors: Option<VirtAddr>,
) -> u32 {
    let result = check_user(user_index);
    if result == error::SUCCESS {
        write_optional_u32(&kernel.memory, rating, 0x3F);
        write_optional_u32(&kernel.memory, descriptors, 0);
    }
    result
}

/// `XamUserContentRestrictionCheckAccess(DWORD UserIndex, DWORD, DWORD,
/// DWORD, DWORD, PBOOL Access, PXOVERLAPPED)`: access granted.
#[allow(clippy::too_many_arguments)]
pub fn xam_user_content_restriction_check_access(
    kernel: &mut Kernel,
    user_index: u32,
    _a: u32,
    _b: u32,
    _c: u32,
    _d: u32,
    access: Option<VirtAddr>,
    ov: Option<VirtAddr>,
    call: Call,
) -> u32 {
    let result = check_user(user_index);
    write_optional_u32(&kernel.memory, access, u32::from(result == error::SUCCESS));
    match ov {
        Some(ov) => {
            overlapped::complete_immediate(kernel, call.thread, ov, result);
            error::IO_PENDING
        }
        None => result,
    }
}

/// Size of `XACHIEVEMENT_DETAILS`, and the string space per record when
/// any of the label, description or unachieved strings is asked for
/// (xenia `xam_user.cc`).
const ACHIEVEMENT_DETAILS_SIZE: u32 = 36;
const ACHIEVEMENT_STRINGS_SIZE: u32 = 464;

/// `XamUserCreateAchievementEnumerator(TitleId, UserIndex, Xuid, Flags,
/// Offset, Count, PDWORD BufferSize, PHANDLE Enumerator)`: the title
/// declares no achievements Xenact reads, so the enumerator yields none.
#[allow(clippy::too_many_arguments)]
pub fn xam_user_create_achievement_enumerator(
    kernel: &mut Kernel,
    _title_id: u32,
    user_index: u32,
    _xuid: u64,
    flags: u32,
    _offset: u32,
    count: u32,
    buffer_size: Option<VirtAddr>,
    handle_out: Option<VirtAddr>,
) -> u32 {
    let (Some(buffer_size), Some(handle_out)) = (buffer_size, handle_out) else { return error::INVALID_PARAMETER };
    if count == 0 || user_index >= MAX_USERS {
        return error::INVALID_PARAMETER;
    }
    let item = ACHIEVEMENT_DETAILS_SIZE + if flags & 7 != 0 { ACHIEVEMENT_STRINGS_SIZE } else { 0 };
    let _ = kernel.memory.write_u32(buffer_size, item.saturating_mul(count));
    match enumerator::create(kernel, item, count, Vec::new()) {
        Ok(handle) => {
            let _ = kernel.memory.write_u32(handle_out, handle);
            error::SUCCESS
        }
        Err(_) => error::FUNCTION_FAILED,
    }
}

/// `XamUserGetDeviceContext(DWORD UserIndex, DWORD Unknown, PDWORD Context)`:
/// context 0 for the signed-in user (or `XUSER_INDEX_ANY`), as titles
/// assume when they get nothing better; other slots have no device
/// (xenia `xam_input.cc`).
pub fn xam_user_get_device_context(kernel: &mut Kernel, user_index: u32, _unk: u32, out: Option<VirtAddr>) -> u32 {
    write_optional_u32(&kernel.memory, out, 0);
    if user_index == 0 || user_index & 0xFF == USER_INDEX_ANY {
        error::SUCCESS
    } else {
        error::hresult(error::DEVICE_NOT_CONNECTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::{call_from, kernel_with_thread};

    #[test]
    fn slot_zero_is_signed_in_locally_and_the_others_are_empty() {
        let mut k = Kernel::for_tests();
        assert_eq!(xam_user_get_signin_state(&mut k, 0), SIGNED_IN_LOCALLY);
        assert!((1..4).all(|i| xam_user_get_signin_state(&mut k, i) == NOT_SIGNED_IN));
        let out = VirtAddr(0x1000);
        assert_eq!(xam_user_get_xuid(&mut k, 0, 1, Some(out)), error::SUCCESS);
        let xuid = k.memory.read_u64(out).unwrap();
        assert_eq!(xuid >> 48, 0xE000, "an offline XUID");
        assert_eq!(xuid & 0x00C0_0000_0000_0000, 0);
        assert_eq!(xam_user_get_xuid(&mut k, 0, 2, Some(out)), error::E_NO_SUCH_USER, "no online XUID");
        assert_eq!(xam_user_get_xuid(&mut k, 1, 1, Some(out)), 0x8007_0525);
        assert_eq!(k.memory.read_u64(out).unwrap(), 0);
        assert_eq!(xam_user_get_xuid(&mut k, 4, 1, Some(out)), 0x8007_0057);
        assert_eq!(xam_user_get_xuid(&mut k, 0, 1, None), 0x8007_0057);
    }

    #[test]
    fn signin_info_names_the_profile_for_slot_zero_only() {
        let mut k = Kernel::for_tests();
        let out = VirtAddr(0x1000);
        k.memory.fill(out, SIGNIN_INFO_SIZE, 0xAA).unwrap();
        assert_eq!(xam_user_get_signin_info(&mut k, 0, 0, Some(out)), error::SUCCESS);
        assert_eq!(k.memory.read_u64(out).unwrap(), k.xam.profile.xuid);
        assert_eq!(k.memory.read_u32(out.add(signin_info::INFO_FLAGS)).unwrap(), 0);
        assert_eq!(k.memory.read_u32(out.add(signin_info::STATE)).unwrap(), SIGNED_IN_LOCALLY);
        assert_eq!(super::super::read_ansi(&k.memory, out.add(signin_info::NAME), 16).unwrap(), "Xenact");
        assert_eq!(xam_user_get_signin_info(&mut k, 0, SIGNIN_INFO_ONLINE_XUID_ONLY, Some(out)), 0);
        assert_eq!(k.memory.read_u64(out).unwrap(), 0);
        k.memory.fill(out, SIGNIN_INFO_SIZE, 0xAA).unwrap();
        assert_eq!(xam_user_get_signin_info(&mut k, 1, 0, Some(out)), error::E_NO_SUCH_USER);
        assert_eq!(k.memory.read_u64(out.add(32)).unwrap(), 0);
    }

    #[test]
    fn names_and_gamertags_are_truncated_to_their_buffers() {
        let mut k = Kernel::for_tests();
        let out = VirtAddr(0x1000);
        assert_eq!(xam_user_get_name(&mut k, 0, Some(out), 4), error::SUCCESS);
        assert_eq!(super::super::read_ansi(&k.memory, out, 16).unwrap(), "Xen");
        assert_eq!(xam_user_get_name(&mut k, 3, Some(out), 16), error::NO_SUCH_USER);
        assert_eq!(xam_user_get_name(&mut k, 9, Some(out), 16), error::INVALID_PARAMETER);
        assert_eq!(xam_user_get_gamer_tag(&mut k, 0, Some(out), 8), error::INVALID_PARAMETER);
        assert_eq!(xam_user_get_gamer_tag(&mut k, 0, Some(out), 16), error::SUCCESS);
        assert_eq!(super::super::read_utf16(&k.memory, out, 16).unwrap(), "Xenact");
    }

    #[test]
    fn a_local_profile_has_no_live_privileges_friends_or_membership() {
        let (mut k, t) = kernel_with_thread();
        let out = VirtAddr(0x1000);
        k.memory.write_u32(out, 7).unwrap();
        assert_eq!(xam_user_check_privilege(&mut k, 0, 254, Some(out)), error::SUCCESS);
        assert_eq!(k.memory.read_u32(out).unwrap(), 0);
        assert_eq!(xam_user_check_privilege(&mut k, USER_INDEX_ANY, 254, Some(out)), error::SUCCESS);
        assert_eq!(xam_user_check_privilege(&mut k, 2, 254, Some(out)), error::NO_SUCH_USER);
        assert_eq!(xam_user_is_online_enabled(&mut k, 0), 0);
        assert_eq!(xam_user_get_membership_tier(&mut k, 0), 0);
        assert_eq!(xam_user_get_membership_tier(&mut k, 1), error::NO_SUCH_USER);
        k.memory.write_u32(out, 7).unwrap();
        assert_eq!(xam_user_are_users_friends(&mut k, 0, None, 1, Some(out), None, call_from(t)), 0);
        assert_eq!(k.memory.read_u32(out).unwrap(), 0);
        let ov = VirtAddr(0x2000);
        k.memory.fill(ov, overlapped::SIZE, 0).unwrap();
        assert_eq!(xam_user_are_users_friends(&mut k, 1, None, 1, None, Some(ov), call_from(t)), error::IO_PENDING);
        assert_eq!(k.memory.read_u32(ov).unwrap(), error::FUNCTION_FAILED);
        assert_eq!(k.memory.read_u32(ov.add(overlapped::EXTENDED_ERROR)).unwrap(), 0x8007_0525);
    }

    #[test]
    fn content_restrictions_allow_everything() {
        let (mut k, t) = kernel_with_thread();
        let (a, b) = (VirtAddr(0x1000), VirtAddr(0x1004));
        assert_eq!(xam_user_content_restriction_get_flags(&mut k, 0, Some(a)), 0);
        assert_eq!(k.memory.read_u32(a).unwrap(), 0);
        assert_eq!(xam_user_content_restriction_get_rating(&mut k, 0, 0, Some(a), Some(b)), 0);
        assert_eq!(k.memory.read_u32(a).unwrap(), 0x3F);
        let ov = VirtAddr(0x2000);
        k.memory.fill(ov, overlapped::SIZE, 0xFF).unwrap();
        k.memory.write_u32(ov.add(overlapped::EVENT), 0).unwrap();
        k.memory.write_u32(ov.add(overlapped::COMPLETION_ROUTINE), 0).unwrap();
        let r = xam_user_content_restriction_check_access(&mut k, 0, 0, 0, 0, 0, Some(a), Some(ov), call_from(t));
        assert_eq!(r, error::IO_PENDING);
        assert_eq!(k.memory.read_u32(a).unwrap(), 1);
        assert_eq!(k.memory.read_u32(ov).unwrap(), 0);
    }

    #[test]
    fn the_achievement_enumerator_yields_none() {
        let (mut k, t) = kernel_with_thread();
        let (size, handle) = (VirtAddr(0x1000), VirtAddr(0x1004));
        let r = xam_user_create_achievement_enumerator(&mut k, 0, 0, 0, 1, 0, 5, Some(size), Some(handle));
        assert_eq!(r, error::SUCCESS);
        assert_eq!(k.memory.read_u32(size).unwrap(), 5 * (36 + 464));
        let h = k.memory.read_u32(handle).unwrap();
        let n = VirtAddr(0x1008);
        let e = enumerator::xam_enumerate(&mut k, h, 0, Some(VirtAddr(0x3000)), 5000, Some(n), None, call_from(t));
        assert_eq!(e, error::NO_MORE_FILES);
        assert_eq!(xam_user_create_achievement_enumerator(&mut k, 0, 0, 0, 0, 0, 0, Some(size), Some(handle)), 0x57);
    }

    #[test]
    fn only_the_signed_in_user_has_a_device_context() {
        let mut k = Kernel::for_tests();
        let out = VirtAddr(0x1000);
        k.memory.write_u32(out, 9).unwrap();
        assert_eq!(xam_user_get_device_context(&mut k, 0, 0, Some(out)), error::SUCCESS);
        assert_eq!(k.memory.read_u32(out).unwrap(), 0);
        assert_eq!(xam_user_get_device_context(&mut k, 2, 0, Some(out)), 0x8007_048F);
    }
}
