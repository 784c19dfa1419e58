//! Handles and the objects behind them.

/// Placeholder until the subsystem lands.
#[derive(Debug, Default)]
pub struct Objects;
