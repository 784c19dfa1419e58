//! The render-driver clock: one audio frame (256 samples at 48 kHz) every
//! 5.33 ms, counted in the shared audio state.

use shared::ipc::control::Unit;
use shared::memory::GuestMemory;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const SAMPLE_RATE: u32 = 48_000;
pub const FRAME_SAMPLES: u32 = 256;
pub const FRAME_PERIOD: Duration = Duration::from_nanos(FRAME_SAMPLES as u64 * 1_000_000_000 / SAMPLE_RATE as u64);

/// A running frame clock; [`FrameClock::stop`] ends it.
pub struct FrameClock {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl FrameClock {
    pub fn start(memory: Arc<GuestMemory>) -> std::io::Result<FrameClock> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new().name("audio-clock".into()).spawn(move || {
            let control = memory.control();
            let mut next = Instant::now() + FRAME_PERIOD;
            while !flag.load(Ordering::Relaxed) {
                let now = Instant::now();
                if next > now {
                    std::thread::sleep(next - now);
                }
                control.audio_state().frames_rendered.fetch_add(1, Ordering::SeqCst);
                control.unit_status(Unit::Audio).heartbeat.fetch_add(1, Ordering::Relaxed);
                next += FRAME_PERIOD;
                if Instant::now() > next + FRAME_PERIOD * 8 {
                    next = Instant::now() + FRAME_PERIOD;
                }
            }
        })?;
        Ok(FrameClock { stop, thread })
    }

    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_is_256_samples_at_48khz() {
        assert_eq!(FRAME_PERIOD, Duration::from_nanos(5_333_333));
    }
}
