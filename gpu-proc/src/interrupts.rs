//! Graphics interrupts to the CPU: vblank (source 0) and the command
//! processor's `INTERRUPT` packet (source 1) reach the callback the title
//! registered with `VdSetGraphicsInterruptCallback`, which cpu-proc runs as
//! guest code on its interrupt context. The vblank and doorbell threads
//! share the one producing end of the ring.

use shared::ipc::interrupt::{GuestCallback, SOURCE_GRAPHICS};
use shared::ipc::ring::{self, RingError, RingId, RingSender, SpinPolicy};
use shared::memory::GuestMemory;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Interrupt source numbers passed in r3.
pub const SOURCE_VBLANK: u32 = 0;
pub const SOURCE_COMMAND_PROCESSOR: u32 = 1;

#[derive(Clone)]
pub struct Interrupts {
    memory: Arc<GuestMemory>,
    ring: Arc<Mutex<RingSender<GuestCallback>>>,
}

impl Interrupts {
    pub fn attach(memory: Arc<GuestMemory>) -> Result<Interrupts, RingError> {
        let ring = ring::sender(&memory, RingId::GpuInterrupt, SpinPolicy::OFF)?;
        Ok(Interrupts { memory, ring: Arc::new(Mutex::new(ring)) })
    }

    /// Raises `source` if the title registered a callback. A full ring
    /// (cpu-proc behind) drops the interrupt, as a missed vblank would be.
    pub fn raise(&self, source: u32) {
        let gpu = self.memory.control().gpu_state();
        let routine = gpu.interrupt_callback.load(Ordering::Acquire);
        if routine == 0 {
            return;
        }
        let user_data = gpu.interrupt_user_data.load(Ordering::Acquire);
        let callback =
            GuestCallback { source: SOURCE_GRAPHICS, routine, args: [source, user_data], client: 0, _reserved: 0 };
        let _ = self.ring.lock().unwrap().send(callback, Duration::from_millis(1));
    }
}
