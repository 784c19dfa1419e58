//! The cpu-proc process around the interpreter: guest threads on host
//! threads, the kernel link, MMIO against the shared GPU register file.

use shared::ipc::bootstrap::ChildSession;

/// Why cpu-proc stopped.
#[derive(Debug, thiserror::Error)]
pub enum CpuError {}

/// Runs the CPU unit until the supervisor asks for shutdown.
pub fn run(session: ChildSession) -> Result<(), CpuError> {
    session.ready();
    session.wait_for_shutdown();
    Ok(())
}
