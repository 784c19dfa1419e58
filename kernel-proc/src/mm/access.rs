//! Guest-memory access for exports: a fault on a guest pointer becomes
//! `STATUS_ACCESS_VIOLATION` instead of a host error.

use crate::status::NtStatus;
use shared::memory::{GuestMemory, VirtAddr};

/// Typed guest reads and writes that fail with an NT status.
pub trait GuestAccess {
    fn r8(&self, at: VirtAddr) -> Result<u8, NtStatus>;
    fn r16(&self, at: VirtAddr) -> Result<u16, NtStatus>;
    fn r32(&self, at: VirtAddr) -> Result<u32, NtStatus>;
    fn r64(&self, at: VirtAddr) -> Result<u64, NtStatus>;
    fn w8(&self, at: VirtAddr, v: u8) -> Result<(), NtStatus>;
    fn w16(&self, at: VirtAddr, v: u16) -> Result<(), NtStatus>;
    fn w32(&self, at: VirtAddr, v: u32) -> Result<(), NtStatus>;
    fn w64(&self, at: VirtAddr, v: u64) -> Result<(), NtStatus>;
    fn read_vec(&self, at: VirtAddr, len: u32) -> Result<Vec<u8>, NtStatus>;
    fn write_all(&self, at: VirtAddr, data: &[u8]) -> Result<(), NtStatus>;
    fn zero(&self, at: VirtAddr, len: u32) -> Result<(), NtStatus>;
}

const FAULT: NtStatus = NtStatus::ACCESS_VIOLATION;

impl GuestAccess for GuestMemory {
    fn r8(&self, at: VirtAddr) -> Result<u8, NtStatus> {
        self.read_u8(at).map_err(|_| FAULT)
    }
    fn r16(&self, at: VirtAddr) -> Result<u16, NtStatus> {
        self.read_u16(at).map_err(|_| FAULT)
    }
    fn r32(&self, at: VirtAddr) -> Result<u32, NtStatus> {
        self.read_u32(at).map_err(|_| FAULT)
    }
    fn r64(&self, at: VirtAddr) -> Result<u64, NtStatus> {
        self.read_u64(at).map_err(|_| FAULT)
    }
    fn w8(&self, at: VirtAddr, v: u8) -> Result<(), NtStatus> {
        self.write_u8(at, v).map_err(|_| FAULT)
    }
    fn w16(&self, at: VirtAddr, v: u16) -> Result<(), NtStatus> {
        self.write_u16(at, v).map_err(|_| FAULT)
    }
    fn w32(&self, at: VirtAddr, v: u32) -> Result<(), NtStatus> {
        self.write_u32(at, v).map_err(|_| FAULT)
    }
    fn w64(&self, at: VirtAddr, v: u64) -> Result<(), NtStatus> {
        self.write_u64(at, v).map_err(|_| FAULT)
    }
    fn read_vec(&self, at: VirtAddr, len: u32) -> Result<Vec<u8>, NtStatus> {
        let mut buf = vec![0; len as usize];
        self.read_bytes(at, &mut buf).map_err(|_| FAULT)?;
        Ok(buf)
    }
    fn write_all(&self, at: VirtAddr, data: &[u8]) -> Result<(), NtStatus> {
        self.write_bytes(at, data).map_err(|_| FAULT)
    }
    fn zero(&self, at: VirtAddr, len: u32) -> Result<(), NtStatus> {
        self.fill(at, len, 0).map_err(|_| FAULT)
    }
}
