//! The link between `xenact bench ipc` and its echo peer (`xenact
//! __bench-peer`), which measures each transport's round trip.

use ipc_channel::ipc::IpcSender;
use serde::{Deserialize, Serialize};

/// Peer → bench over `ipc-channel`.
#[derive(Debug, Serialize, Deserialize)]
pub enum BenchUp {
    /// First message: where the bench sends pings.
    Hello { pings: IpcSender<u64> },
    /// The echo of ping `n`.
    Pong(u64),
}

/// A ring message the size of a kernel call (64 bytes); `seq == u64::MAX` ends the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct BenchRingMessage {
    pub seq: u64,
    pub payload: [u64; 7],
}
