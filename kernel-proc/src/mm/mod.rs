//! The memory manager: heaps, page state.

/// Placeholder until the subsystem lands.
#[derive(Debug, Default)]
pub struct MemoryManager;
