//! NTSTATUS values the kernel returns. Values from the NT headers (as
//! listed in xenia `src/xenia/xbox.h`).

use std::fmt;

/// An NT status code.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NtStatus(pub u32);

impl NtStatus {
    pub const SUCCESS: NtStatus = NtStatus(0x0000_0000);
    pub const ABANDONED_WAIT_0: NtStatus = NtStatus(0x0000_0080);
    pub const USER_APC: NtStatus = NtStatus(0x0000_00C0);
    pub const ALERTED: NtStatus = NtStatus(0x0000_0101);
    pub const TIMEOUT: NtStatus = NtStatus(0x0000_0102);
    pub const PENDING: NtStatus = NtStatus(0x0000_0103);
    pub const OBJECT_NAME_EXISTS: NtStatus = NtStatus(0x4000_0000);
    pub const BUFFER_OVERFLOW: NtStatus = NtStatus(0x8000_0005);
    pub const NO_MORE_FILES: NtStatus = NtStatus(0x8000_0006);
    pub const UNSUCCESSFUL: NtStatus = NtStatus(0xC000_0001);
    pub const NOT_IMPLEMENTED: NtStatus = NtStatus(0xC000_0002);
    pub const INVALID_INFO_CLASS: NtStatus = NtStatus(0xC000_0003);
    pub const INFO_LENGTH_MISMATCH: NtStatus = NtStatus(0xC000_0004);
    pub const ACCESS_VIOLATION: NtStatus = NtStatus(0xC000_0005);
    pub const INVALID_HANDLE: NtStatus = NtStatus(0xC000_0008);
    pub const INVALID_PARAMETER: NtStatus = NtStatus(0xC000_000D);
    pub const NO_SUCH_FILE: NtStatus = NtStatus(0xC000_000F);
    pub const END_OF_FILE: NtStatus = NtStatus(0xC000_0011);
    pub const NO_MEMORY: NtStatus = NtStatus(0xC000_0017);
    pub const CONFLICTING_ADDRESSES: NtStatus = NtStatus(0xC000_0018);
    pub const ACCESS_DENIED: NtStatus = NtStatus(0xC000_0022);
    pub const BUFFER_TOO_SMALL: NtStatus = NtStatus(0xC000_0023);
    pub const OBJECT_TYPE_MISMATCH: NtStatus = NtStatus(0xC000_0024);
    pub const INVALID_PAGE_PROTECTION: NtStatus = NtStatus(0xC000_0045);
    pub const OBJECT_NAME_INVALID: NtStatus = NtStatus(0xC000_0033);
    pub const OBJECT_NAME_NOT_FOUND: NtStatus = NtStatus(0xC000_0034);
    pub const OBJECT_NAME_COLLISION: NtStatus = NtStatus(0xC000_0035);
    pub const OBJECT_PATH_NOT_FOUND: NtStatus = NtStatus(0xC000_003A);
    pub const MUTANT_NOT_OWNED: NtStatus = NtStatus(0xC000_0046);
    pub const SEMAPHORE_LIMIT_EXCEEDED: NtStatus = NtStatus(0xC000_0047);
    pub const MEMORY_NOT_ALLOCATED: NtStatus = NtStatus(0xC000_00A0);
    pub const DEVICE_NOT_CONNECTED: NtStatus = NtStatus(0xC000_009D);
    pub const NOT_FOUND: NtStatus = NtStatus(0xC000_0225);
    pub const NOT_SUPPORTED: NtStatus = NtStatus(0xC000_00BB);
    pub const INVALID_DEVICE_REQUEST: NtStatus = NtStatus(0xC000_0010);
    pub const FILE_IS_A_DIRECTORY: NtStatus = NtStatus(0xC000_00BA);
    pub const NOT_A_DIRECTORY: NtStatus = NtStatus(0xC000_0103);
    pub const OBJECT_NAME_INVALID_PATH: NtStatus = NtStatus(0xC000_0039);
    pub const PROCEDURE_NOT_FOUND: NtStatus = NtStatus(0xC000_007A);
    pub const DLL_NOT_FOUND: NtStatus = NtStatus(0xC000_0135);

    /// Severity "error" (top two bits 11).
    pub const fn is_error(self) -> bool {
        self.0 >> 30 == 3
    }

    /// `NT_SUCCESS`: success or informational.
    pub const fn is_success(self) -> bool {
        (self.0 as i32) >= 0
    }
}

impl fmt::Debug for NtStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NTSTATUS({:#010x})", self.0)
    }
}

impl fmt::Display for NtStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#010x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_and_error_classes_follow_the_top_bits() {
        assert!(NtStatus::SUCCESS.is_success());
        assert!(NtStatus::TIMEOUT.is_success());
        assert!(!NtStatus::BUFFER_OVERFLOW.is_success());
        assert!(!NtStatus::BUFFER_OVERFLOW.is_error());
        assert!(NtStatus::INVALID_HANDLE.is_error());
    }
}
