//! Devices and open files.

/// Placeholder until the subsystem lands.
#[derive(Debug, Default)]
pub struct FileSystem;
