//! kernel-proc: HLE of `xboxkrnl.exe` and `xam.xex`.
//!
//! The kernel runs as one event loop over the kernel link: each call from a
//! guest thread is dispatched through the export table to a typed export
//! function that receives the [`kernel::Kernel`] context. Submodules:
//! - [`kernel`]: the context; [`dispatch`]: calls, typed arguments, outcomes;
//!   [`status`]: NTSTATUS values; [`clock`]: guest time.
//! - [`exports`]: the declarative export table.
//! - [`ob`]: objects and handles; [`threading`]: threads, waits, scheduling;
//!   [`mm`]: memory manager; [`io`]: files; [`xam`]: the XAM subset.

// Exports take the console's parameter lists, which often exceed seven.
#![allow(clippy::too_many_arguments)]

pub mod clock;
pub mod dispatch;
pub mod exports;
pub mod io;
pub mod kernel;
pub mod mm;
pub mod ob;
pub mod status;
pub mod threading;
pub mod xam;

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
