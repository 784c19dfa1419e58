//! kernel-proc: HLE of `xboxkrnl.exe` and `xam.xex`.

use shared::ipc::bootstrap::ChildSession;

/// Why kernel-proc stopped.
#[derive(Debug, thiserror::Error)]
pub enum KernelError {}

/// Runs the kernel unit until the supervisor asks for shutdown.
pub fn run(session: ChildSession) -> Result<(), KernelError> {
    if let Some(image) = &session.config.image {
        tracing::warn!("loading titles is not implemented yet; {} is not started", image.display());
    }
    session.ready();
    session.wait_for_shutdown();
    Ok(())
}
