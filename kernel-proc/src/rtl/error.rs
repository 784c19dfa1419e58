//! `RtlNtStatusToDosError`: the Win32 error code of an NT status.
//!
//! Rules (as NT applies them, values checked against xenia
//! `xboxkrnl_error.cc`): success is 0; customer codes (bit 29) pass through;
//! `0x8007xxxx` (an HRESULT of a Win32 error) and `0xC001xxxx` give their low
//! word; the `0xD…` statuses map like their `0xC…` twins; the table below
//! covers the codes titles meet; anything else is
//! `ERROR_MR_MID_NOT_FOUND` (317).

use crate::kernel::Kernel;

/// `ERROR_MR_MID_NOT_FOUND`: the answer for an unknown status.
pub const ERROR_MR_MID_NOT_FOUND: u32 = 317;

/// (NTSTATUS, Win32 error), sorted by status.
#[rustfmt::skip]
const TABLE: &[(u32, u32)] = &[
    (0x0000_0103, 997),  // PENDING → ERROR_IO_PENDING
    (0x0000_0105, 234),  // MORE_ENTRIES → ERROR_MORE_DATA
    (0x0000_0106, 1300), // NOT_ALL_ASSIGNED
    (0x0000_0107, 1301), // SOME_NOT_MAPPED
    (0x0000_010C, 1022), // NOTIFY_ENUM_DIR
    (0x4000_0002, 87),   // WORKING_SET_LIMIT_RANGE → ERROR_INVALID_PARAMETER
    (0x4000_0006, 1303), // LOCAL_USER_SESSION_KEY
    (0x4000_0008, 1120), // SERIAL_MORE_WRITES
    (0x4000_0009, 1014), // REGISTRY_RECOVERED
    (0x8000_0005, 234),  // BUFFER_OVERFLOW → ERROR_MORE_DATA
    (0x8000_0006, 18),   // NO_MORE_FILES
    (0x8000_000D, 299),  // PARTIAL_COPY
    (0x8000_0011, 170),  // DEVICE_BUSY → ERROR_BUSY
    (0x8000_001A, 259),  // NO_MORE_ENTRIES → ERROR_NO_MORE_ITEMS
    (0xC000_0001, 31),   // UNSUCCESSFUL → ERROR_GEN_FAILURE
    (0xC000_0002, 1),    // NOT_IMPLEMENTED → ERROR_INVALID_FUNCTION
    (0xC000_0003, 87),   // INVALID_INFO_CLASS
    (0xC000_0004, 24),   // INFO_LENGTH_MISMATCH → ERROR_BAD_LENGTH
    (0xC000_0005, 998),  // ACCESS_VIOLATION → ERROR_NOACCESS
    (0xC000_0006, 999),  // IN_PAGE_ERROR
    (0xC000_0008, 6),    // INVALID_HANDLE
    (0xC000_000D, 87),   // INVALID_PARAMETER
    (0xC000_000E, 2),    // NO_SUCH_DEVICE → ERROR_FILE_NOT_FOUND
    (0xC000_000F, 2),    // NO_SUCH_FILE → ERROR_FILE_NOT_FOUND
    (0xC000_0010, 1),    // INVALID_DEVICE_REQUEST
    (0xC000_0011, 38),   // END_OF_FILE → ERROR_HANDLE_EOF
    (0xC000_0012, 34),   // WRONG_VOLUME
    (0xC000_0013, 21),   // NO_MEDIA_IN_DEVICE → ERROR_NOT_READY
    (0xC000_0015, 27),   // NONEXISTENT_SECTOR
    (0xC000_0017, 8),    // NO_MEMORY → ERROR_NOT_ENOUGH_MEMORY
    (0xC000_0018, 487),  // CONFLICTING_ADDRESSES → ERROR_INVALID_ADDRESS
    (0xC000_0019, 487),  // NOT_MAPPED_VIEW
    (0xC000_001A, 87),   // UNABLE_TO_FREE_VM
    (0xC000_001B, 87),   // UNABLE_TO_DELETE_SECTION
    (0xC000_001C, 1),    // INVALID_SYSTEM_SERVICE
    (0xC000_001E, 5),    // INVALID_LOCK_SEQUENCE → ERROR_ACCESS_DENIED
    (0xC000_001F, 5),    // INVALID_VIEW_SIZE
    (0xC000_0020, 193),  // INVALID_FILE_FOR_SECTION → ERROR_BAD_EXE_FORMAT
    (0xC000_0021, 5),    // ALREADY_COMMITTED
    (0xC000_0022, 5),    // ACCESS_DENIED
    (0xC000_0023, 122),  // BUFFER_TOO_SMALL → ERROR_INSUFFICIENT_BUFFER
    (0xC000_0024, 6),    // OBJECT_TYPE_MISMATCH → ERROR_INVALID_HANDLE
    (0xC000_002A, 158),  // NOT_LOCKED
    (0xC000_002C, 487),  // UNABLE_TO_DECOMMIT_VM
    (0xC000_002D, 487),  // NOT_COMMITTED
    (0xC000_0030, 87),   // INVALID_PARAMETER_MIX
    (0xC000_0032, 1393), // DISK_CORRUPT_ERROR
    (0xC000_0033, 123),  // OBJECT_NAME_INVALID → ERROR_INVALID_NAME
    (0xC000_0034, 2),    // OBJECT_NAME_NOT_FOUND → ERROR_FILE_NOT_FOUND
    (0xC000_0035, 183),  // OBJECT_NAME_COLLISION → ERROR_ALREADY_EXISTS
    (0xC000_0037, 6),    // PORT_DISCONNECTED
    (0xC000_0039, 161),  // OBJECT_PATH_INVALID → ERROR_BAD_PATHNAME
    (0xC000_003A, 3),    // OBJECT_PATH_NOT_FOUND → ERROR_PATH_NOT_FOUND
    (0xC000_003B, 161),  // OBJECT_PATH_SYNTAX_BAD
    (0xC000_003E, 23),   // DATA_ERROR → ERROR_CRC
    (0xC000_003F, 23),   // CRC_ERROR
    (0xC000_0040, 8),    // SECTION_TOO_BIG
    (0xC000_0041, 5),    // PORT_CONNECTION_REFUSED
    (0xC000_0042, 6),    // INVALID_PORT_HANDLE
    (0xC000_0043, 32),   // SHARING_VIOLATION
    (0xC000_0044, 1816), // QUOTA_EXCEEDED
    (0xC000_0045, 87),   // INVALID_PAGE_PROTECTION
    (0xC000_0046, 288),  // MUTANT_NOT_OWNED → ERROR_NOT_OWNER
    (0xC000_0047, 298),  // SEMAPHORE_LIMIT_EXCEEDED → ERROR_TOO_MANY_POSTS
    (0xC000_0048, 87),   // PORT_ALREADY_SET
    (0xC000_0049, 87),   // SECTION_NOT_IMAGE
    (0xC000_004A, 156),  // SUSPEND_COUNT_EXCEEDED
    (0xC000_004B, 5),    // THREAD_IS_TERMINATING
    (0xC000_004F, 282),  // EAS_NOT_SUPPORTED
    (0xC000_007A, 127),  // PROCEDURE_NOT_FOUND
    (0xC000_007F, 112),  // DISK_FULL
    (0xC000_009A, 1450), // INSUFFICIENT_RESOURCES → ERROR_NO_SYSTEM_RESOURCES
    (0xC000_009F, 487),  // FREE_VM_NOT_AT_BASE
    (0xC000_00A0, 487),  // MEMORY_NOT_ALLOCATED
    (0xC000_00BA, 5),    // FILE_IS_A_DIRECTORY
    (0xC000_00BB, 50),   // NOT_SUPPORTED
    (0xC000_00D4, 17),   // NOT_SAME_DEVICE
    (0xC000_00EF, 87),   // INVALID_PARAMETER_1
    (0xC000_00F0, 87),   // INVALID_PARAMETER_2
    (0xC000_00F1, 87),   // INVALID_PARAMETER_3
    (0xC000_0101, 145),  // DIRECTORY_NOT_EMPTY → ERROR_DIR_NOT_EMPTY
    (0xC000_0103, 267),  // NOT_A_DIRECTORY → ERROR_DIRECTORY
    (0xC000_0120, 995),  // CANCELLED → ERROR_OPERATION_ABORTED
    (0xC000_0135, 126),  // DLL_NOT_FOUND → ERROR_MOD_NOT_FOUND
    (0xC000_0139, 127),  // ENTRYPOINT_NOT_FOUND
    (0xC000_0225, 1168), // NOT_FOUND → ERROR_NOT_FOUND
];

/// The Win32 error code of `status`.
pub fn nt_status_to_dos_error(status: u32) -> u32 {
    if status == 0 || status & 0x2000_0000 != 0 {
        return status;
    }
    if status >> 16 == 0x8007 || status >> 16 == 0xC001 {
        return status & 0xFFFF;
    }
    let key = if status & 0xF000_0000 == 0xD000_0000 { status & !0x3000_0000 | 0xC000_0000 } else { status };
    match TABLE.binary_search_by_key(&key, |&(s, _)| s) {
        Ok(i) => TABLE[i].1,
        Err(_) => ERROR_MR_MID_NOT_FOUND,
    }
}

/// `RtlNtStatusToDosError(NTSTATUS Status)`.
pub fn rtl_nt_status_to_dos_error(_kernel: &mut Kernel, status: u32) -> u32 {
    nt_status_to_dos_error(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted() {
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn common_statuses_map_to_their_win32_errors() {
        assert_eq!(nt_status_to_dos_error(0), 0);
        assert_eq!(nt_status_to_dos_error(0xC000_0034), 2);
        assert_eq!(nt_status_to_dos_error(0xC000_003A), 3);
        assert_eq!(nt_status_to_dos_error(0xC000_0022), 5);
        assert_eq!(nt_status_to_dos_error(0xC000_0008), 6);
        assert_eq!(nt_status_to_dos_error(0xC000_0017), 8);
        assert_eq!(nt_status_to_dos_error(0x8000_0006), 18);
        assert_eq!(nt_status_to_dos_error(0xC000_0011), 38);
        assert_eq!(nt_status_to_dos_error(0xC000_000D), 87);
        assert_eq!(nt_status_to_dos_error(0xC000_0035), 183);
        assert_eq!(nt_status_to_dos_error(0x0000_0103), 997);
    }

    #[test]
    fn families_follow_their_rules() {
        assert_eq!(nt_status_to_dos_error(0x8007_0057), 0x57);
        assert_eq!(nt_status_to_dos_error(0xC001_0005), 5);
        assert_eq!(nt_status_to_dos_error(0xE000_1234), 0xE000_1234);
        assert_eq!(nt_status_to_dos_error(0xD000_0034), 2);
        assert_eq!(nt_status_to_dos_error(0xC0DE_0001), ERROR_MR_MID_NOT_FOUND);
    }
}
