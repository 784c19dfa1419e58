//! audio-proc: the audio unit.
//!
//! Its clock state lives in the control area of the shared mapping so a
//! restarted audio-proc continues the same timeline. Submodules:
//! - [`clock`]: the render-driver frame clock (256 samples at 48 kHz).

pub mod clock;

use shared::ipc::bootstrap::ChildSession;

/// Why audio-proc stopped.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("cannot start the audio clock: {0}")]
    Clock(std::io::Error),
}

/// Runs the audio unit until the supervisor asks for shutdown.
pub fn run(session: ChildSession) -> Result<(), AudioError> {
    let clock = clock::FrameClock::start(session.memory.clone()).map_err(AudioError::Clock)?;
    session.ready();
    session.wait_for_shutdown();
    clock.stop();
    Ok(())
}
