//! Guest threads, waits and scheduling state.

/// Placeholder until the subsystem lands.
#[derive(Debug, Default)]
pub struct Threads;
