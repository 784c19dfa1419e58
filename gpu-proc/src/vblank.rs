//! The vertical-blank clock: 60 times a second it advances the vblank
//! counter in the shared GPU state (and the unit's heartbeat) and raises
//! the vblank interrupt. The counter
//! lives in the shared mapping, so it continues across restarts.
//!
//! Under `--deterministic` vblank follows the guest clock, not the host's:
//! cpu-proc's scheduler counts and raises it at its switch points, and this
//! clock only beats the unit's heartbeat.

use crate::interrupts::{Interrupts, SOURCE_VBLANK};
use shared::ipc::control::Unit;
use shared::memory::GuestMemory;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The console's refresh rate (60 Hz NTSC timing).
pub const VBLANK_PERIOD: Duration = Duration::from_nanos(1_000_000_000 / 60);

/// A running vblank clock; [`VblankClock::stop`] ends it.
pub struct VblankClock {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl VblankClock {
    pub fn start(memory: Arc<GuestMemory>, interrupts: Interrupts) -> std::io::Result<VblankClock> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new().name("vblank".into()).spawn(move || {
            let control = memory.control();
            let guest_clock = control.guest_time().is_deterministic();
            let mut next = Instant::now() + VBLANK_PERIOD;
            while !flag.load(Ordering::Relaxed) {
                let now = Instant::now();
                if next > now {
                    std::thread::sleep(next - now);
                }
                if !guest_clock {
                    control.gpu_state().vblank_count.fetch_add(1, Ordering::SeqCst);
                    interrupts.raise(SOURCE_VBLANK);
                }
                control.unit_status(Unit::Gpu).heartbeat.fetch_add(1, Ordering::Relaxed);
                next += VBLANK_PERIOD;
                // After a long stall, do not replay the missed vblanks in a burst.
                if Instant::now() > next + VBLANK_PERIOD * 4 {
                    next = Instant::now() + VBLANK_PERIOD;
                }
            }
        })?;
        Ok(VblankClock { stop, thread })
    }

    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
    }
}
