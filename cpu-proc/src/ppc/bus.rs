//! What the interpreter asks of the rest of the machine.
//!
//! Plain guest memory is not on the bus: the interpreter reads and writes it
//! directly through [`shared::memory::GuestMemory`]. The bus carries only what
//! leaves the CPU: MMIO (`0x7F000000–0x7FFFFFFF`), system calls, the debug
//! print trap and the guest clock. The runtime implements it once per guest
//! thread (MMIO against the shared GPU register file plus doorbells; `sc`
//! over the kernel link); tests and the conformance runner use [`NullBus`].

use super::state::ThreadState;
use shared::memory::VirtAddr;

/// Why a bus operation did not complete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BusError {
    /// The access or call is a guest error (no device at that address, an
    /// unknown export id…). Reported as a guest fault with this message.
    #[error("{0}")]
    Fault(String),
    /// The guest thread must stop now without a fault (it called an export
    /// that ends the thread or the title, or the session is shutting down).
    /// The interpreter returns [`super::RunExit::Stopped`].
    #[error("thread stopped by the bus")]
    Stop,
}

/// The interpreter's link to everything that is not plain memory.
///
/// Every method runs on the guest thread's host thread, synchronously: the
/// guest instruction completes when the method returns.
pub trait Bus {
    /// A load of `size` bytes (1, 2, 4 or 8) at `addr` in the MMIO window.
    /// Returns the value as the guest sees it (already big-endian-decoded:
    /// a 4-byte read of register `0x7FC80000 + 4*i` returns that register).
    fn mmio_read(&mut self, addr: VirtAddr, size: u32) -> Result<u64, BusError>;

    /// A store of the low `size` bytes of `value` at `addr` in the MMIO window.
    fn mmio_write(&mut self, addr: VirtAddr, size: u32, value: u64) -> Result<(), BusError>;

    /// `sc`: the guest called the kernel. `state.gpr[0]` carries the export id
    /// (the loader's thunks are `li r0, id; sc; blr`), r3–r10 and f1–f8 the
    /// arguments. The implementation writes results back into `state`
    /// (normally r3). `state.pc` already points past the `sc`.
    fn system_call(&mut self, state: &mut ThreadState) -> Result<(), BusError>;

    /// `twi 31, r0, 20`: the guest printed `text` (r3 = buffer, r4 = length).
    fn debug_print(&mut self, text: &[u8]);

    /// The guest time base (`mftb`), ticking at the console's 49.875 MHz
    /// (or derived from retired instructions in deterministic mode).
    fn time_base(&mut self) -> u64;

    /// How many instructions the current [`Interpreter::run`](super::Interpreter::run)
    /// has retired, told right before the bus observes guest time (a system
    /// call, a time-base read, an MMIO store). A bus whose clock counts
    /// instructions (`--deterministic`) takes them into account here.
    fn retired(&mut self, _in_run: u64) {}

    /// Control reached one of the machine's probe PCs (`state.pc`), before
    /// the instruction there runs.
    fn probe(&mut self, _state: &ThreadState) {}
}

/// A bus with no devices: MMIO faults, `sc` faults, debug prints are
/// collected, the time base counts calls.
#[derive(Default, Debug)]
pub struct NullBus {
    pub printed: Vec<u8>,
    pub ticks: u64,
}

impl Bus for NullBus {
    fn mmio_read(&mut self, addr: VirtAddr, size: u32) -> Result<u64, BusError> {
        Err(BusError::Fault(format!("no device answers a {size}-byte MMIO read at {addr}")))
    }

    fn mmio_write(&mut self, addr: VirtAddr, size: u32, _value: u64) -> Result<(), BusError> {
        Err(BusError::Fault(format!("no device answers a {size}-byte MMIO write at {addr}")))
    }

    fn system_call(&mut self, state: &mut ThreadState) -> Result<(), BusError> {
        Err(BusError::Fault(format!("system call {:#x} with no kernel attached", state.gpr[0])))
    }

    fn debug_print(&mut self, text: &[u8]) {
        self.printed.extend_from_slice(text);
    }

    fn time_base(&mut self) -> u64 {
        self.ticks += 1;
        self.ticks
    }
}
