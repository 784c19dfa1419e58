//! gpu-proc: the Xenos GPU.
//!
//! Its architectural state lives in the control area of the shared mapping
//! (register file, vblank counter, pending interrupts), so a restarted
//! gpu-proc picks up where the dead one stopped; host-side objects are
//! rebuilt. Submodules:
//! - [`registers`]: the named register table and power-on values.
//! - [`vblank`]: the 60 Hz vertical-blank clock.
//! - [`doorbell`]: takes the CPU's doorbells off their ring and runs [`cp`].
//! - [`interrupts`]: vblank and command-processor interrupts to the CPU.
//! - [`edram`]: the render-target memory and its tiled addressing.
//! - [`resolve`]: copies from EDRAM to guest memory, and clears.
//! - [`shader`]: the shader microcode decoder and disassembler.
//! - [`tiling`], [`format`]: the console's texture layout and pixel formats.
//! - [`present`]: swapped front buffers to a window (or off-screen)
//!   through wgpu, and PNG frame dumps.
//! - [`bench`]: the body of `xenact bench gpu`.

pub mod bench;
pub mod cp;
pub mod doorbell;
pub mod edram;
pub mod format;
pub mod interrupts;
pub mod present;
pub mod registers;
pub mod resolve;
pub mod shader;
pub mod tiling;
pub mod vblank;

use shared::config::{GpuMode, TitleSpec};
use shared::ipc::bootstrap::ChildSession;
use shared::ipc::control::ChildMessage;
use std::sync::atomic::Ordering;

/// Why gpu-proc stopped.
#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    #[error("cannot start the vblank clock: {0}")]
    Clock(std::io::Error),
    #[error("cannot attach the doorbell ring: {0}")]
    Doorbell(#[from] shared::ipc::ring::RingError),
    #[error("cannot start the presenter: {0}")]
    Presenter(std::io::Error),
}

/// Runs the GPU unit until the supervisor asks for shutdown.
pub fn run(session: ChildSession) -> Result<(), GpuError> {
    let gpu = session.memory.control().gpu_state();
    let fallback = session.config.gpu_mode == GpuMode::Fallback;
    gpu.fallback.store(fallback as u32, Ordering::SeqCst);
    if fallback {
        tracing::warn!("running as the fallback GPU: register file, vblank and interrupts only, no rendering");
    }
    registers::initialise_once(&session.memory.control());
    let interrupts = interrupts::Interrupts::attach(session.memory.clone())?;
    let clock = vblank::VblankClock::start(session.memory.clone(), interrupts.clone()).map_err(GpuError::Clock)?;
    let presenter = presenter(&session, fallback)?;
    let doorbells = doorbell::DoorbellListener::start(
        session.memory.clone(),
        session.config.spin,
        interrupts,
        !fallback,
        presenter,
    )?;
    session.ready();
    session.wait_for_shutdown();
    doorbells.stop();
    clock.stop();
    Ok(())
}

/// The presenter this session asks for: none for the fallback GPU, nor
/// when frames would go nowhere (headless without `--dump-frames`); a
/// window unless headless.
fn presenter(session: &ChildSession, fallback: bool) -> Result<Option<present::Presenter>, GpuError> {
    let config = &session.config;
    if fallback || (config.headless && config.dump_frames.is_none()) {
        return Ok(None);
    }
    // The supervisor makes a session without a display headless.
    let window = (!config.headless).then(|| {
        let to_supervisor = session.to_supervisor.clone();
        present::WindowOptions {
            title: window_title(config.title.as_ref()),
            on_close: Box::new(move || {
                let _ = to_supervisor.send(ChildMessage::WindowClosed);
            }),
            input: Some(session.memory.clone()),
        }
    });
    let options = present::PresentOptions { dump_dir: config.dump_frames.clone(), use_wgpu: true };
    present::Presenter::start(options, window).map(Some).map_err(GpuError::Presenter)
}

/// "Xenact — NAME", NAME being the title's file name, or its folder's
/// for a `default.xex`.
fn window_title(title: Option<&TitleSpec>) -> String {
    let name = match title {
        Some(TitleSpec::Path(path)) => {
            let named = match path.file_name() {
                Some(file) if file.eq_ignore_ascii_case("default.xex") => path.parent().and_then(|p| p.file_name()),
                file => file,
            };
            named.map(|n| n.to_string_lossy().into_owned())
        }
        Some(TitleSpec::Embedded { name, .. }) => Some(name.clone()),
        None => None,
    };
    match name {
        Some(name) => format!("Xenact — {name}"),
        None => "Xenact".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn the_window_is_named_after_the_title_file() {
        let path = TitleSpec::Path(PathBuf::from("/games/Some Game/default.xex"));
        assert_eq!(window_title(Some(&path)), "Xenact — Some Game");
        let path = TitleSpec::Path(PathBuf::from("tests/guest/bin/gpu_clear.xex"));
        assert_eq!(window_title(Some(&path)), "Xenact — gpu_clear.xex");
        let embedded = TitleSpec::Embedded { name: "demo".into(), bytes: Vec::new() };
        assert_eq!(window_title(Some(&embedded)), "Xenact — demo");
        assert_eq!(window_title(None), "Xenact");
    }
}
