//! Register reads and writes as the command processor performs them, with
//! the side effects of the registers that have one (xenia
//! `CommandProcessor::WriteRegister`, `MakeCoherent`):
//! - `SCRATCH_REG0..7`: mirrored to `SCRATCH_ADDR + 4·n` when enabled in `SCRATCH_UMSK`;
//! - `COHER_STATUS_HOST`: a write raises bit 31 (a coherency request),
//!   which a wait on the register acknowledges by clearing it.

use super::{CommandProcessor, Endian};
use crate::registers as regs;
use shared::memory::control::GPU_REGISTER_COUNT;
use shared::memory::{GuestMemory, PhysAddr};
use std::sync::atomic::Ordering;

impl CommandProcessor {
    /// Register `index`; 0 (logged) outside the register file.
    pub(super) fn read_register(&self, index: u32) -> u32 {
        let i = index as usize;
        if i < GPU_REGISTER_COUNT {
            self.memory.control().gpu_register(i).load(Ordering::Acquire)
        } else if let Some(&v) = self.extended.get(i - GPU_REGISTER_COUNT) {
            v
        } else {
            tracing::debug!("command processor: read of register {index:#x} outside the register file");
            0
        }
    }

    /// Register `index` as a wait or a conditional write sees it: a pending
    /// coherency request is acknowledged first (memory is always coherent here).
    pub(super) fn poll_register(&self, index: u32) -> u32 {
        if index == regs::COHER_STATUS_HOST {
            self.memory.control().gpu_register(index as usize).store(0, Ordering::Release);
        }
        self.read_register(index)
    }

    pub(super) fn write_register(&mut self, index: u32, value: u32) {
        let i = index as usize;
        if i >= GPU_REGISTER_COUNT {
            match self.extended.get_mut(i - GPU_REGISTER_COUNT) {
                Some(slot) => *slot = value,
                None => tracing::debug!("command processor: write of register {index:#x} outside the register file"),
            }
            return;
        }
        let control = self.memory.control();
        let value = if index == regs::COHER_STATUS_HOST { value | 0x8000_0000 } else { value };
        control.gpu_register(i).store(value, Ordering::Release);
        if (regs::SCRATCH_REG0..regs::SCRATCH_REG0 + regs::SCRATCH_REG_COUNT).contains(&index) {
            let n = index - regs::SCRATCH_REG0;
            if control.gpu_register(regs::SCRATCH_UMSK as usize).load(Ordering::Acquire) & (1 << n) != 0 {
                let base = control.gpu_register(regs::SCRATCH_ADDR as usize).load(Ordering::Acquire);
                // Stored as the guest reads it: big-endian.
                self.write_memory(base.wrapping_add(4 * n) & !3 | Endian::Swap8In32 as u32, value);
            }
        }
    }

    /// Writes `value` at the GPU address `addr`, whose low two bits are its
    /// endian swap: with `Swap8In32` the guest reads `value` back.
    pub(super) fn write_memory(&self, addr: u32, value: u32) {
        let endian = Endian::from_bits(addr);
        let phys = PhysAddr(addr & 0x1FFF_FFFC);
        if let Ok(at) = GuestMemory::physical_view(phys) {
            let _ = self.memory.write_u32(at, endian.apply(value).swap_bytes());
        }
    }

    /// Reads the word at GPU address `addr` (low bits: endian swap), the
    /// inverse of [`Self::write_memory`].
    pub(super) fn read_memory(&self, addr: u32) -> u32 {
        let endian = Endian::from_bits(addr);
        GuestMemory::physical_view(PhysAddr(addr & 0x1FFF_FFFC))
            .ok()
            .and_then(|at| self.memory.read_u32(at).ok())
            .map_or(0, |raw| endian.apply(raw.swap_bytes()))
    }

    /// Reads a big-endian word of plain data (microcode, constants) at a
    /// physical address.
    pub(super) fn read_data(&self, phys: u32) -> u32 {
        GuestMemory::physical_view(PhysAddr(phys & 0x1FFF_FFFC))
            .ok()
            .and_then(|at| self.memory.read_u32(at).ok())
            .unwrap_or(0)
    }
}
