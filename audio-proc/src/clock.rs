//! The render-driver clock: one audio frame (256 samples at 48 kHz) every
//! 5.33 ms of emulator time.
//!
//! Frames are paced by the emulator's clock, never by the output device:
//! a [`TimeSource`] says how much emulator time has passed (the host timer,
//! or the retired-instruction count under `--deterministic`), a
//! [`FramePacer`] turns that into frames due, and [`FrameClock`] runs the
//! [`Driver`] once per frame due on its own thread.

use crate::driver::{CallbackRequest, Command, Driver};
use crate::output::AudioOutput;
use shared::ipc::control::Unit;
use shared::memory::control::GuestTime;
use shared::memory::GuestMemory;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use shared::ipc::audio::{end_of_frame, frames_in, FRAME_SAMPLES, SAMPLE_RATE};
pub const FRAME_PERIOD: Duration = Duration::from_nanos(FRAME_SAMPLES as u64 * 1_000_000_000 / SAMPLE_RATE as u64);
/// How long a deterministic frame waits for the messages sent before it
/// (lost ones: a message dropped on a full ring was never counted).
const DETERMINISTIC_MESSAGE_WAIT: Duration = Duration::from_millis(200);
/// Frames rendered back to back at most when the clock falls behind; the
/// rest are skipped (a stalled host should not answer with a burst).
pub const MAX_CATCH_UP: u64 = 8;

/// A driver command and the guest clock when it was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamped {
    pub command: Command,
    /// `GuestTime::ticks` at sending (see [`shared::ipc::audio::AudioMessage::stamp`]).
    pub stamp: u64,
}

impl From<Command> for Stamped {
    fn from(command: Command) -> Stamped {
        Stamped { command, stamp: 0 }
    }
}

/// Under `--deterministic`: commands received and not yet due. Each is
/// applied before the first frame that ends after its stamp, in stamp
/// order, so how the kernel's and cpu-proc's rings interleave on the way
/// here changes nothing. At equal stamps a callback's return goes after
/// the kernel's messages, as the forwarder orders them.
#[derive(Debug, Default)]
pub struct HeldCommands {
    held: Vec<Stamped>,
}

impl HeldCommands {
    pub fn push(&mut self, command: Stamped) {
        self.held.push(command);
    }

    /// The commands sent before guest tick `end`, in the order to apply them.
    pub fn take_before(&mut self, end: u64) -> Vec<Command> {
        let (mut due, rest): (Vec<Stamped>, Vec<Stamped>) = self.held.drain(..).partition(|c| c.stamp < end);
        self.held = rest;
        due.sort_by_key(|c| (c.stamp, matches!(c.command, Command::CallbackDone { .. })));
        due.into_iter().map(|c| c.command).collect()
    }
}

/// How much emulator time has passed since the source was created.
pub trait TimeSource: Send {
    fn elapsed(&self) -> Duration;
    /// How long to sleep on the host before `remaining` emulator time may
    /// have passed.
    fn host_wait(&self, remaining: Duration) -> Duration;
    /// Whether frames owed past [`MAX_CATCH_UP`] may be skipped (not in
    /// deterministic mode, where every frame must be rendered).
    fn may_skip(&self) -> bool {
        true
    }
}

/// Emulator time is host time.
pub struct HostTimer {
    origin: Instant,
}

impl HostTimer {
    pub fn new() -> HostTimer {
        HostTimer { origin: Instant::now() }
    }
}

impl Default for HostTimer {
    fn default() -> Self {
        HostTimer::new()
    }
}

impl TimeSource for HostTimer {
    fn elapsed(&self) -> Duration {
        self.origin.elapsed()
    }

    fn host_wait(&self, remaining: Duration) -> Duration {
        remaining
    }
}

/// Emulator time from a retired-instruction counter (deterministic mode):
/// `per_second` instructions make one second.
pub struct RetiredInstructions<F> {
    read: F,
    origin: u64,
    per_second: u64,
}

impl<F: Fn() -> u64 + Send> RetiredInstructions<F> {
    /// Time starts at the counter's current value.
    pub fn new(read: F, per_second: u64) -> RetiredInstructions<F> {
        let origin = read();
        RetiredInstructions { read, origin, per_second: per_second.max(1) }
    }

    /// Time starts where the counter started (0): a restarted audio-proc
    /// keeps the session's frame numbering.
    pub fn since_zero(read: F, per_second: u64) -> RetiredInstructions<F> {
        RetiredInstructions { read, origin: 0, per_second: per_second.max(1) }
    }
}

impl<F: Fn() -> u64 + Send> TimeSource for RetiredInstructions<F> {
    fn elapsed(&self) -> Duration {
        let retired = (self.read)().saturating_sub(self.origin);
        Duration::from_nanos((retired as u128 * 1_000_000_000 / self.per_second as u128) as u64)
    }

    /// Instructions retire at no known host rate: poll every millisecond.
    fn host_wait(&self, remaining: Duration) -> Duration {
        remaining.min(Duration::from_millis(1))
    }

    fn may_skip(&self) -> bool {
        false
    }
}

/// Frames owed, from a time source.
pub struct FramePacer {
    source: Box<dyn TimeSource>,
    /// Frames accounted for (rendered or skipped) since the source's origin.
    done: u64,
}

impl FramePacer {
    pub fn new(source: Box<dyn TimeSource>) -> FramePacer {
        FramePacer { source, done: 0 }
    }

    /// Frames whose period has ended and that are not accounted for.
    pub fn due(&self) -> u64 {
        frames_in(self.source.elapsed()).saturating_sub(self.done)
    }

    /// Accounts for `n` frames (rendered or skipped).
    pub fn advance(&mut self, n: u64) {
        self.done += n;
    }

    /// Frames to render now: those due, less any the source lets the
    /// pacer skip when it has fallen more than [`MAX_CATCH_UP`] behind
    /// (skipped frames are accounted for here).
    pub fn take_due(&mut self) -> u64 {
        let elapsed = self.source.elapsed();
        self.take_due_at(elapsed)
    }

    /// Emulator time now, by the pacer's source.
    pub fn elapsed(&self) -> Duration {
        self.source.elapsed()
    }

    /// [`FramePacer::take_due`] as of emulator time `elapsed`.
    pub fn take_due_at(&mut self, elapsed: Duration) -> u64 {
        let due = frames_in(elapsed).saturating_sub(self.done);
        if due > MAX_CATCH_UP && self.source.may_skip() {
            self.advance(due - MAX_CATCH_UP);
            return MAX_CATCH_UP;
        }
        due
    }

    /// Host time to wait before the next frame may be due.
    pub fn wait(&self) -> Duration {
        let remaining = end_of_frame(self.done).saturating_sub(self.source.elapsed());
        self.source.host_wait(remaining)
    }
}

/// A running frame clock; [`FrameClock::stop`] ends it.
pub struct FrameClock {
    commands: mpsc::Sender<Stamped>,
    thread: JoinHandle<()>,
}

/// Where the clock hands the callbacks the driver asks for.
pub type CallbackSink = Box<dyn FnMut(Vec<CallbackRequest>) + Send>;

impl FrameClock {
    /// Starts the driver thread: each frame due it applies the commands
    /// received so far, ticks the driver into `output` and hands the
    /// callback requests to `callbacks`.
    pub fn start(
        memory: Arc<GuestMemory>,
        mut output: Box<dyn AudioOutput>,
        mut pacer: FramePacer,
        mut callbacks: CallbackSink,
    ) -> std::io::Result<FrameClock> {
        let (commands, inbox) = mpsc::channel::<Stamped>();
        let thread = std::thread::Builder::new().name("audio-clock".into()).spawn(move || {
            let mut driver = Driver::restore(memory.clone());
            let control = memory.control();
            let status = control.unit_status(Unit::Audio);
            let audio = control.audio_state();
            let deterministic = control.guest_time().is_deterministic();
            let mut held = HeldCommands::default();
            let run = |driver: &mut Driver, command| {
                if let Err(err) = driver.apply(command) {
                    tracing::warn!("{err}");
                }
            };
            // Free runs apply a command as it arrives; deterministic ones
            // hold it until the frame its stamp falls in.
            let apply = |driver: &mut Driver, held: &mut HeldCommands, command: Stamped| {
                if deterministic {
                    held.push(command);
                } else {
                    run(driver, command.command);
                }
                audio.messages_applied.fetch_add(1, Ordering::SeqCst);
            };
            let mut last = false;
            while !last {
                match inbox.recv_timeout(pacer.wait()) {
                    Ok(first) => {
                        for command in std::iter::once(first).chain(inbox.try_iter()) {
                            apply(&mut driver, &mut held, command);
                        }
                    }
                    // Deterministic runs render the frames the guest clock
                    // has passed before finishing, however late shutdown came.
                    Err(mpsc::RecvTimeoutError::Disconnected) if deterministic => last = true,
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                }
                let due = if deterministic {
                    // Guest time first, then every message sent before it
                    // (senders count a message before the guest clock moves on).
                    let now = pacer.elapsed();
                    let sent = audio.messages_sent.load(Ordering::SeqCst);
                    let give_up = Instant::now() + DETERMINISTIC_MESSAGE_WAIT;
                    while audio.messages_applied.load(Ordering::SeqCst) < sent && Instant::now() < give_up {
                        if let Ok(command) = inbox.recv_timeout(Duration::from_millis(1)) {
                            apply(&mut driver, &mut held, command);
                        }
                    }
                    pacer.take_due_at(now)
                } else {
                    pacer.take_due()
                };
                for _ in 0..due {
                    if deterministic {
                        let end = GuestTime::ticks_of(end_of_frame(driver.frames_rendered()));
                        for command in held.take_before(end) {
                            run(&mut driver, command);
                        }
                    }
                    match driver.tick(output.as_mut()) {
                        Ok(requests) if requests.is_empty() => {}
                        Ok(requests) => callbacks(requests),
                        Err(err) => tracing::warn!("audio output: {err}"),
                    }
                    audio.frames_requested.store(driver.frames_rendered(), Ordering::SeqCst);
                    pacer.advance(1);
                    status.heartbeat.fetch_add(1, Ordering::Relaxed);
                }
            }
            if let Err(err) = output.finish() {
                tracing::warn!("audio output: {err}");
            }
        })?;
        Ok(FrameClock { commands, thread })
    }

    /// A handle to send the driver commands.
    pub fn commands(&self) -> mpsc::Sender<Stamped> {
        self.commands.clone()
    }

    /// Ends the clock once every handle from [`FrameClock::commands`] is
    /// dropped too; the output is finished.
    pub fn stop(self) {
        drop(self.commands);
        let _ = self.thread.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    #[test]
    fn a_frame_is_256_samples_at_48khz() {
        assert_eq!(FRAME_PERIOD, Duration::from_nanos(5_333_333));
        assert_eq!(frames_in(Duration::from_secs(2)), 375);
    }

    #[test]
    fn retired_instructions_pace_frames_and_no_host_time_does() {
        let counter = Arc::new(AtomicU64::new(1_000));
        let read = counter.clone();
        // 48 000 instructions per second: one frame every 256 instructions.
        let mut pacer =
            FramePacer::new(Box::new(RetiredInstructions::new(move || read.load(Ordering::SeqCst), 48_000)));
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(pacer.due(), 0);

        counter.fetch_add(256 * 3 + 10, Ordering::SeqCst);
        assert_eq!(pacer.due(), 3);
        pacer.advance(3);

        assert_eq!(pacer.due(), 0);
        assert!(pacer.wait() <= Duration::from_millis(1));
        // Deterministic time never skips, however far behind.
        counter.fetch_add(256 * 20, Ordering::SeqCst);
        assert_eq!(pacer.take_due(), 20);
    }

    #[test]
    fn host_time_skips_frames_past_the_catch_up_limit() {
        struct Fixed(Duration);
        impl TimeSource for Fixed {
            fn elapsed(&self) -> Duration {
                self.0
            }
            fn host_wait(&self, remaining: Duration) -> Duration {
                remaining
            }
        }
        let mut pacer = FramePacer::new(Box::new(Fixed(FRAME_PERIOD * 30 + Duration::from_micros(1))));

        assert_eq!(pacer.take_due(), MAX_CATCH_UP);

        pacer.advance(MAX_CATCH_UP);
        assert_eq!(pacer.due(), 0);
    }

    fn eventually(what: &str, cond: impl Fn() -> bool) {
        let start = Instant::now();
        while !cond() {
            assert!(start.elapsed() < Duration::from_secs(5), "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn the_clock_thread_applies_commands_and_renders_the_frames_its_source_makes_due() {
        use crate::driver::CallbackRequest;
        use shared::memory::VirtAddr;
        let memory = crate::driver::tests::test_memory();
        let at = VirtAddr(0x0010_0000);
        memory.write_bytes(at, &crate::bench::sine_frame(440.0, 0.5, 0).to_be_bytes()[..]).unwrap();
        let path = std::env::temp_dir().join(format!("xenact-audio-{}-clock.wav", std::process::id()));
        let output = Box::new(crate::output::WavSink::create(&path).unwrap());
        let counter = Arc::new(AtomicU64::new(0));
        let read = counter.clone();
        let pacer = FramePacer::new(Box::new(RetiredInstructions::new(move || read.load(Ordering::SeqCst), 48_000)));
        let (to_test, requests) = mpsc::channel();
        let clock = FrameClock::start(
            memory.clone(),
            output,
            pacer,
            Box::new(move |r| {
                let _ = to_test.send(r);
            }),
        )
        .unwrap();
        let audio = memory.control().audio_state();

        let commands = clock.commands();
        commands.send(Command::Register { client: 0, callback: VirtAddr(0x8200_0000), argument: 7 }.into()).unwrap();
        commands.send(Command::Submit { client: 0, frame: at }.into()).unwrap();
        eventually("the submission", || audio.clients[0].frames_submitted.load(Ordering::SeqCst) == 1);
        assert_eq!(audio.frames_rendered.load(Ordering::SeqCst), 0);
        counter.fetch_add(256 * 3, Ordering::SeqCst);
        eventually("three frames", || audio.frames_rendered.load(Ordering::SeqCst) == 3);
        drop(commands);
        clock.stop();

        let requests: Vec<CallbackRequest> = requests.try_iter().flatten().collect();
        assert_eq!(requests[0], CallbackRequest { client: 0, callback: VirtAddr(0x8200_0000), argument: 7 });
        let samples: Vec<i16> = hound::WavReader::open(&path).unwrap().into_samples().map(Result::unwrap).collect();
        assert_eq!(samples.len(), 3 * 256 * 2);
        assert!(samples[..512].iter().any(|s| *s > 16_000));
        assert!(samples[512..].iter().all(|s| *s == 0));
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn held_commands_apply_in_stamp_order_whatever_their_arrival() {
        use shared::memory::VirtAddr;
        let submit = Command::Submit { client: 0, frame: VirtAddr(0x1000) };
        let done = Command::CallbackDone { client: 0 };
        let register = Command::Register { client: 0, callback: VirtAddr(0x8200_0000), argument: 0 };
        let mut held = HeldCommands::default();
        // The return arrived first (another ring), then the kernel's messages.
        held.push(Stamped { command: done, stamp: 500 });
        held.push(Stamped { command: submit, stamp: 500 });
        held.push(Stamped { command: register, stamp: 100 });
        held.push(Stamped { command: submit, stamp: 900 });
        assert_eq!(held.take_before(600), [register, submit, done]);
        assert_eq!(held.take_before(600), []);
        assert_eq!(held.take_before(901), [submit]);
    }

    #[test]
    fn host_timer_makes_a_frame_due_after_one_period() {
        let pacer = FramePacer::new(Box::new(HostTimer::new()));
        assert!(pacer.wait() <= FRAME_PERIOD);

        std::thread::sleep(FRAME_PERIOD + Duration::from_millis(2));

        assert!(pacer.due() >= 1);
    }
}
