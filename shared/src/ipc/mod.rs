//! The links between processes: message types (one module per link) and the
//! two transports.
//!
//! - [`control`]: supervisor ⇄ every child, over `ipc-channel` (hello with
//!   protocol version, ready, shutdown, reports).
//! - [`ring`]: the SPSC ring transport in the shared mapping, with futex
//!   wake-up and an adaptive spin, for hot links between children.
//! - [`bootstrap`]: how a child connects to the supervisor and maps memory.
//!
//! Rings live in the control area, so a restarted unit re-attaches to the
//! same rings: re-wiring a link is nothing more than starting the process.

pub mod audio;
pub mod bench;
pub mod bootstrap;
pub mod control;
pub mod gpu;
pub mod interrupt;
pub mod kernel;
pub mod ring;

/// Version of every protocol spoken between Xenact processes. A child that
/// speaks another version is refused at hello.
pub const PROTOCOL_VERSION: u32 = 3;
