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
use shared::ipc::bootstrap::ChildSession;

/// Why audio-proc stopped.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("cannot start the audio clock: {0}")]
    Clock(std::io::Error),
}

/// The output a session's configuration asks for: none when headless,
/// else the sound device (null sink when none opens).
pub fn output_choice(config: &Config) -> output::OutputChoice {
    if config.headless {
        output::OutputChoice::Null
    } else {
        output::OutputChoice::Device { fallback: None }
    }
}

/// Runs the audio unit until the supervisor asks for shutdown.
pub fn run(session: ChildSession) -> Result<(), AudioError> {
    let output = output::open(&output_choice(&session.config));
    let pacer = clock::FramePacer::new(Box::new(clock::HostTimer::new()));
    let callbacks: clock::CallbackSink = Box::new(|requests| {
        tracing::trace!("{} render-driver callbacks due", requests.len());
    });
    let clock =
        clock::FrameClock::start(session.memory.clone(), output, pacer, callbacks).map_err(AudioError::Clock)?;
    session.ready();
    session.wait_for_shutdown();
    clock.stop();
    Ok(())
}
