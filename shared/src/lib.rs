//! Code shared by every Xenact process.
//!
//! - [`memory`]: the guest memory mapping (one memfd, mapped at the same
//!   guest offsets in every process), typed big-endian access, the control
//!   area that holds the GPU register file, rings and bitmaps.
//! - [`ipc`]: the message types of every link and the two transports
//!   (`ipc-channel` for control traffic, shared-memory rings for hot paths).
//! - [`config`]: the one typed configuration the supervisor hands to children.
//! - [`process`]: start-up shared by every process (logging, panic hook,
//!   parent-death checks).

pub mod config;
pub mod formats;
pub mod ipc;
pub mod memory;
pub mod process;

pub use memory::{GuestMemory, MemError, PhysAddr, VirtAddr};
