//! `xenact bench audio`: the cost of the render pipeline.
//!
//! Two clients submit a 440 Hz tone frame every period from guest memory;
//! the driver decodes, downmixes and mixes them into the null sink as fast
//! as it can. The figure is the CPU time of that work per second of audio.

use crate::clock::SAMPLE_RATE;
use crate::driver::Driver;
use crate::frame::{Channel, Frame, SAMPLES};
use crate::output::{AudioOutput, NullSink};
use shared::memory::{GuestMemory, MapError, VirtAddr};
use std::os::fd::AsFd;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What [`run`] measured.
#[derive(Clone, Copy, Debug)]
pub struct BenchReport {
    /// Audio rendered.
    pub audio: Duration,
    /// Frame periods rendered.
    pub frames: u64,
    /// CPU time of the rendering thread.
    pub cpu: Duration,
    /// Host time it took.
    pub wall: Duration,
}

impl BenchReport {
    /// CPU time per second of audio.
    pub fn cpu_per_audio_second(&self) -> Duration {
        self.cpu.div_f64(self.audio.as_secs_f64().max(f64::MIN_POSITIVE))
    }
}

/// Why the benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("cannot map guest memory: {0}")]
    Memory(#[from] MapError),
    #[error("{0}")]
    Driver(#[from] crate::driver::DriverError),
    #[error("{0}")]
    Output(#[from] crate::output::OutputError),
}

/// A frame of a sine of `hz` on the front pair (other channels silent),
/// starting at sample `first` of the tone.
pub fn sine_frame(hz: f64, amplitude: f32, first: u64) -> Frame {
    let mut frame = Frame::silent();
    for i in 0..SAMPLES {
        let t = (first + i as u64) as f64 / SAMPLE_RATE as f64;
        let s = amplitude * (std::f64::consts::TAU * hz * t).sin() as f32;
        frame.plane_mut(Channel::FrontLeft)[i] = s;
        frame.plane_mut(Channel::FrontRight)[i] = s;
    }
    frame
}

/// Where the benchmark's guest frames live (a ring of them per client).
const FRAMES_BASE: u32 = 0x0010_0000;
const RING: u64 = 16;

/// Renders `audio` worth of frames from two clients into the null sink.
pub fn run(audio: Duration) -> Result<BenchReport, BenchError> {
    let fd = GuestMemory::create_file()?;
    let memory = Arc::new(GuestMemory::map(fd.as_fd())?);
    memory.control().initialise();
    let clients = [0u32, 1];
    let slot = |client: u32, n: u64| VirtAddr(FRAMES_BASE + ((client as u64 * RING + n % RING) as u32) * 0x2000);
    for client in clients {
        for n in 0..RING {
            let frame = sine_frame(440.0 * (client + 1) as f64, 0.25, n * SAMPLES as u64);
            let _ = memory.write_bytes(slot(client, n), &frame.to_be_bytes()[..]);
        }
    }
    let mut driver = Driver::restore(memory);
    for client in clients {
        driver.register(client, VirtAddr(0x8200_0000), 0)?;
    }
    let mut sink = NullSink::default();
    let frames = crate::clock::frames_in(audio);

    let wall = Instant::now();
    let cpu = thread_cpu_time();
    for n in 0..frames {
        for client in clients {
            driver.submit(client, slot(client, n))?;
        }
        driver.tick(&mut sink as &mut dyn AudioOutput)?;
    }
    let cpu = thread_cpu_time().saturating_sub(cpu);

    Ok(BenchReport { audio: crate::clock::end_of_frame(frames.saturating_sub(1)), frames, cpu, wall: wall.elapsed() })
}

/// CPU time the calling thread has used.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid out-pointer for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::driver::tests::test_memory;
    use crate::output::CaptureSink;

    #[test]
    fn a_440hz_sine_through_the_pipeline_keeps_its_frequency() {
        let memory = test_memory();
        let mut driver = Driver::restore(memory.clone());
        let mut out = CaptureSink::default();
        driver.register(0, VirtAddr(0x8200_0000), 0).unwrap();
        let frames = crate::clock::frames_in(Duration::from_secs(2));

        for n in 0..frames {
            let at = VirtAddr(FRAMES_BASE + (n % 2) as u32 * 0x2000);
            memory.write_bytes(at, &sine_frame(440.0, 0.5, n * SAMPLES as u64).to_be_bytes()[..]).unwrap();
            driver.submit(0, at).unwrap();
            driver.tick(&mut out).unwrap();
        }

        let left: Vec<f32> = out.samples.iter().step_by(2).copied().collect();
        assert_eq!(left.len(), 2 * SAMPLE_RATE as usize);
        let crossings = left.windows(2).filter(|w| (w[0] < 0.0) != (w[1] < 0.0)).count();
        // 440 Hz crosses zero 880 times a second.
        let hz = crossings as f64 / 2.0 / 2.0;
        assert!((hz - 440.0).abs() < 440.0 * 0.01, "measured {hz} Hz");
        let peak = left.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!((peak - 0.5).abs() < 0.01, "peak {peak}");
    }

    #[test]
    fn the_benchmark_renders_the_asked_length_and_measures_cpu() {
        let report = run(Duration::from_millis(500)).unwrap();

        assert_eq!(report.frames, 93);
        assert!(report.audio >= Duration::from_millis(490));
        assert!(report.cpu > Duration::ZERO);
        assert!(report.cpu_per_audio_second() < Duration::from_secs(1));
    }
}
