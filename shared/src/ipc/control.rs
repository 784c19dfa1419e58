//! The control link: supervisor ⇄ every child, over `ipc-channel`.
//!
//! The child connects to a one-shot server whose name is on its command
//! line and sends [`ChildMessage::Hello`] carrying the sender on which it
//! wants [`SupervisorMessage`]s; everything after that flows over the two
//! channels.

use crate::config::Config;
use ipc_channel::ipc::IpcSender;
use serde::{Deserialize, Serialize};

/// The units of the console, one process each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(usize)]
pub enum Unit {
    Cpu = 0,
    Kernel = 1,
    Gpu = 2,
    Audio = 3,
}

impl Unit {
    pub const ALL: [Unit; 4] = [Unit::Cpu, Unit::Kernel, Unit::Gpu, Unit::Audio];

    /// The process (and binary) name serving this unit.
    pub const fn process_name(self) -> &'static str {
        match self {
            Unit::Cpu => "cpu-proc",
            Unit::Kernel => "kernel-proc",
            Unit::Gpu => "gpu-proc",
            Unit::Audio => "audio-proc",
        }
    }

    /// Whether the session survives the death of this unit's process.
    pub const fn restartable(self) -> bool {
        matches!(self, Unit::Gpu | Unit::Audio)
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.process_name())
    }
}

/// Child → supervisor.
#[derive(Debug, Serialize, Deserialize)]
pub enum ChildMessage {
    /// First message on the bootstrap channel, always. `reply` carries the
    /// supervisor's messages to this child.
    Hello { unit: Unit, protocol_version: u32, pid: u32, reply: IpcSender<SupervisorMessage> },
    /// The unit has mapped memory, attached its rings and is running.
    Ready,
    /// The title ended with this exit code (kernel-proc, once).
    TitleExited { code: i32 },
    /// A guest fault stopped the title: the report is printed as is.
    GuestFault { report: String },
    /// Every guest thread is blocked with nothing pending that could wake one.
    Deadlock { report: String },
    /// `--max-instructions` was reached; the summary is printed as is.
    InstructionLimit { retired: u64, summary: String },
    /// The user closed the window frames are shown in (gpu-proc): end the
    /// session, with exit code 0 since the user chose to.
    WindowClosed,
    /// The unit cannot go on; the supervisor ends the session or restarts it.
    Fatal { reason: String },
    /// Sent by the supervisor itself to release a bootstrap server whose
    /// child never connected; a child never sends it.
    Abandoned,
}

/// Supervisor → child.
#[derive(Debug, Serialize, Deserialize)]
pub enum SupervisorMessage {
    /// Reply to a hello whose protocol version matches. `generation` counts
    /// the starts of this unit in the session (1 for the first).
    Welcome { config: Box<Config>, generation: u32 },
    /// Reply to a hello that cannot be accepted; the child exits with `reason`.
    Refused { reason: String },
    /// End the session: the child stops its work and exits 0.
    Shutdown,
}
