//! audio-proc: the audio unit.
//!
//! Its driver state (registered clients, frames rendered) lives in the
//! control area of the shared mapping so a restarted audio-proc continues
//! the same timeline. Submodules:
//! - [`clock`]: the frame clock, paced by the emulator's time sources.
//! - [`driver`]: the render driver's client table, commands, callbacks.
//! - [`frame`]: the guest's frame layout (6 channels planar, big-endian).
//! - [`mixer`]: the 5.1-to-stereo downmix and the sum of clients.
//! - [`output`]: the sound device, WAV and null backends.
//! - [`bench`]: the pipeline's CPU cost (`xenact bench audio`).

pub mod bench;
pub mod clock;
pub mod driver;
pub mod frame;
pub mod mixer;
pub mod output;

use shared::config::Config;
use shared::ipc::audio::{AudioMessage, ToAudio};
use shared::ipc::bootstrap::ChildSession;
use shared::ipc::interrupt::{GuestCallback, SOURCE_AUDIO};
use shared::ipc::ring::{self, RingId, SpinPolicy};
use shared::memory::control::GuestTime;
use shared::memory::GuestMemory;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Why audio-proc stopped.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("cannot start the audio clock: {0}")]
    Clock(std::io::Error),
    #[error("cannot attach an audio ring: {0}")]
    Ring(#[from] shared::ipc::ring::RingError),
}

/// The output a session's configuration asks for: none when headless,
/// else the sound device (null sink when none opens).
/// Where the audio goes: `--audio-out FILE.wav`; else, with a display, the
/// sound device (nowhere when none opens); a headless session touches no
/// sound device. `output::open` says which in one log line.
pub fn output_choice(config: &Config) -> output::OutputChoice {
    match (&config.audio_out, config.headless) {
        (Some(path), _) => output::OutputChoice::File(path.clone()),
        (None, true) => output::OutputChoice::Null,
        (None, false) => output::OutputChoice::Device { fallback: None },
    }
}

/// Runs the audio unit until the supervisor asks for shutdown: the driver
/// clock renders a frame every 5.33 ms, asks cpu-proc to run the clients'
/// callbacks, and takes what kernel-proc and cpu-proc send back.
pub fn run(session: ChildSession) -> Result<(), AudioError> {
    let memory = session.memory.clone();
    let output = output::open(&output_choice(&session.config), session.generation > 1);
    let pacer = if session.config.deterministic {
        // The guest clock paces frames; frames already rendered this session
        // (before a restart) are not owed again.
        let ticks = memory.clone();
        let read = move || ticks.control().guest_time().ticks.load(Ordering::SeqCst);
        let source = clock::RetiredInstructions::since_zero(read, GuestTime::TICKS_PER_SECOND);
        let mut pacer = clock::FramePacer::new(Box::new(source));
        pacer.advance(memory.control().audio_state().frames_rendered.load(Ordering::SeqCst));
        pacer
    } else {
        clock::FramePacer::new(Box::new(clock::HostTimer::new()))
    };
    let mut to_cpu = ring::sender::<GuestCallback>(&memory, RingId::AudioCallback, SpinPolicy::OFF)?;
    let callbacks: clock::CallbackSink = Box::new(move |requests| {
        for r in requests {
            let callback = GuestCallback {
                source: SOURCE_AUDIO,
                routine: r.callback.0,
                args: [r.argument, 0],
                client: r.client,
                _reserved: 0,
            };
            // cpu-proc busy or gone: the driver times the callback out.
            let _ = to_cpu.send(callback, Duration::from_millis(2));
        }
    });
    let clock = clock::FrameClock::start(memory.clone(), output, pacer, callbacks).map_err(AudioError::Clock)?;
    let stop = Arc::new(AtomicBool::new(false));
    let forwarder = forward_commands(&memory, clock.commands(), stop.clone())?;
    session.ready();
    session.wait_for_shutdown();
    stop.store(true, Ordering::SeqCst);
    let _ = forwarder.join();
    clock.stop();
    Ok(())
}

/// Feeds the driver what kernel-proc (clients, frames) and cpu-proc
/// (callbacks returned) send. A frame is submitted from inside a callback,
/// so it is on the kernel ring before that callback's return is on the cpu
/// ring: the kernel ring is drained again after reading returns, and
/// returns are applied last, so a return never overtakes its frame.
fn forward_commands(
    memory: &GuestMemory,
    commands: std::sync::mpsc::Sender<clock::Stamped>,
    stop: Arc<AtomicBool>,
) -> Result<std::thread::JoinHandle<()>, AudioError> {
    let mut from_kernel = ring::receiver::<AudioMessage>(memory, RingId::KernelToAudio, SpinPolicy::OFF)?;
    let mut from_cpu = ring::receiver::<AudioMessage>(memory, RingId::AudioCallbackDone, SpinPolicy::OFF)?;
    let thread = std::thread::Builder::new()
        .name("audio-commands".into())
        .spawn(move || {
            let apply = |m: AudioMessage| {
                let command = match ToAudio::decode(m) {
                    Some(ToAudio::Register { client, callback, argument }) => {
                        driver::Command::Register { client, callback, argument }
                    }
                    Some(ToAudio::Unregister { client }) => driver::Command::Unregister { client },
                    Some(ToAudio::Submit { client, frame }) => driver::Command::Submit { client, frame },
                    Some(ToAudio::CallbackDone { client }) => driver::Command::CallbackDone { client },
                    None => return true,
                };
                commands.send(clock::Stamped { command, stamp: m.stamp }).is_ok()
            };
            while !stop.load(Ordering::Relaxed) {
                let mut busy = false;
                while let Some(m) = from_kernel.try_recv() {
                    busy = true;
                    if !apply(m) {
                        return;
                    }
                }
                let returned: Vec<AudioMessage> = std::iter::from_fn(|| from_cpu.try_recv()).collect();
                if !returned.is_empty() {
                    busy = true;
                    while let Some(m) = from_kernel.try_recv() {
                        if !apply(m) {
                            return;
                        }
                    }
                    for m in returned {
                        if !apply(m) {
                            return;
                        }
                    }
                }
                if !busy {
                    // Sleep until the kernel sends something (or briefly, to look at the cpu ring).
                    if let Ok(m) = from_kernel.recv(Duration::from_millis(1)) {
                        if !apply(m) {
                            return;
                        }
                    }
                }
            }
        })
        .map_err(AudioError::Clock)?;
    Ok(thread)
}
