//! XAM state.

/// Placeholder until the subsystem lands.
#[derive(Debug, Default)]
pub struct Xam;
