//! The child side of start-up: map the inherited guest memory, say hello
//! to the supervisor, receive the configuration.

use super::control::{ChildMessage, SupervisorMessage, Unit};
use super::PROTOCOL_VERSION;
use crate::config::Config;
use crate::memory::{GuestMemory, MapError};
use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use rustix::fd::{AsFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// How long a child waits for the supervisor's answer to its hello.
const WELCOME_TIMEOUT: Duration = Duration::from_secs(10);

/// What went wrong while a child started.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    #[error("usage: {0}")]
    Usage(String),
    #[error("cannot reach the supervisor at {name}: {detail}")]
    Connect { name: String, detail: String },
    #[error("the supervisor went away during start-up: {0}")]
    Disconnected(String),
    #[error("refused by the supervisor: {0}")]
    Refused(String),
    #[error("no welcome from the supervisor within {0:?}")]
    NoWelcome(Duration),
    #[error("mapping guest memory: {0}")]
    Map(#[from] MapError),
    #[error("the guest memory file's control area is not initialised (wrong descriptor or layout version)")]
    Uninitialised,
}

/// The command line every child takes:
/// `--bootstrap NAME --mem-fd FD [--claim-protocol-version N]`.
///
/// `--claim-protocol-version` makes the child announce another protocol
/// version at hello; it exists so tests can check the refusal path.
#[derive(Debug, Clone)]
pub struct ChildArgs {
    pub bootstrap: String,
    pub mem_fd: RawFd,
    pub protocol_version: u32,
}

impl ChildArgs {
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<ChildArgs, BootstrapError> {
        let mut bootstrap = None;
        let mut mem_fd = None;
        let mut protocol_version = PROTOCOL_VERSION;
        let mut args = args.into_iter();
        let usage = "--bootstrap NAME --mem-fd FD [--claim-protocol-version N]";
        while let Some(arg) = args.next() {
            let mut value =
                || args.next().ok_or_else(|| BootstrapError::Usage(format!("{arg} needs a value; {usage}")));
            match arg.as_str() {
                "--bootstrap" => bootstrap = Some(value()?),
                "--mem-fd" => mem_fd = Some(value()?.parse().map_err(|_| BootstrapError::Usage(usage.into()))?),
                "--claim-protocol-version" => {
                    protocol_version = value()?.parse().map_err(|_| BootstrapError::Usage(usage.into()))?
                }
                other => return Err(BootstrapError::Usage(format!("unexpected argument {other:?}; {usage}"))),
            }
        }
        Ok(ChildArgs {
            bootstrap: bootstrap.ok_or_else(|| BootstrapError::Usage(usage.into()))?,
            mem_fd: mem_fd.ok_or_else(|| BootstrapError::Usage(usage.into()))?,
            protocol_version,
        })
    }
}

/// A connected child: its configuration, its mapping and its control link.
pub struct ChildSession {
    pub unit: Unit,
    pub generation: u32,
    pub config: Config,
    pub memory: Arc<GuestMemory>,
    pub to_supervisor: IpcSender<ChildMessage>,
    pub from_supervisor: IpcReceiver<SupervisorMessage>,
}

impl ChildSession {
    /// Tells the supervisor the unit is running.
    pub fn ready(&self) {
        let _ = self.to_supervisor.send(ChildMessage::Ready);
    }

    /// Blocks until the supervisor asks for shutdown or goes away.
    pub fn wait_for_shutdown(&self) {
        loop {
            match self.from_supervisor.recv() {
                Ok(SupervisorMessage::Shutdown) | Err(_) => return,
                Ok(other) => tracing::warn!("unexpected message from the supervisor: {other:?}"),
            }
        }
    }
}

/// Connects a child to its supervisor: hello, welcome, then maps memory.
pub fn connect(unit: Unit, args: &ChildArgs) -> Result<ChildSession, BootstrapError> {
    // SAFETY: the supervisor passes the memfd at this descriptor number and
    // nothing else in this process owns it.
    let mem_fd = unsafe { OwnedFd::from_raw_fd(args.mem_fd) };
    let to_supervisor = IpcSender::<ChildMessage>::connect(args.bootstrap.clone())
        .map_err(|e| BootstrapError::Connect { name: args.bootstrap.clone(), detail: e.to_string() })?;
    let (reply, from_supervisor) = ipc::channel::<SupervisorMessage>()
        .map_err(|e| BootstrapError::Connect { name: args.bootstrap.clone(), detail: e.to_string() })?;
    to_supervisor
        .send(ChildMessage::Hello { unit, protocol_version: args.protocol_version, pid: std::process::id(), reply })
        .map_err(|e| BootstrapError::Disconnected(e.to_string()))?;
    let (config, generation) = match from_supervisor.try_recv_timeout(WELCOME_TIMEOUT) {
        Ok(SupervisorMessage::Welcome { config, generation }) => (*config, generation),
        Ok(SupervisorMessage::Refused { reason }) => return Err(BootstrapError::Refused(reason)),
        Ok(SupervisorMessage::Shutdown) => return Err(BootstrapError::Disconnected("shutdown before welcome".into())),
        Err(ipc_channel::TryRecvError::Empty) => return Err(BootstrapError::NoWelcome(WELCOME_TIMEOUT)),
        Err(ipc_channel::TryRecvError::IpcError(e)) => return Err(BootstrapError::Disconnected(format!("{e:?}"))),
    };
    let memory = GuestMemory::map(mem_fd.as_fd())?;
    if !memory.control().is_initialised() {
        return Err(BootstrapError::Uninitialised);
    }
    let status = memory.control().unit_status(unit);
    status.pid.store(std::process::id(), Ordering::SeqCst);
    status.generation.store(generation, Ordering::SeqCst);
    Ok(ChildSession { unit, generation, config, memory: Arc::new(memory), to_supervisor, from_supervisor })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn child_args_parse_all_flags() {
        let a =
            ChildArgs::parse(args(&["--bootstrap", "x", "--mem-fd", "3", "--claim-protocol-version", "9"])).unwrap();
        assert_eq!((a.bootstrap.as_str(), a.mem_fd, a.protocol_version), ("x", 3, 9));
    }

    #[test]
    fn child_args_default_to_this_protocol_version() {
        let a = ChildArgs::parse(args(&["--mem-fd", "3", "--bootstrap", "y"])).unwrap();
        assert_eq!(a.protocol_version, PROTOCOL_VERSION);
    }

    #[test]
    fn child_args_without_bootstrap_are_a_usage_error() {
        assert!(matches!(ChildArgs::parse(args(&["--mem-fd", "3"])), Err(BootstrapError::Usage(_))));
        assert!(matches!(ChildArgs::parse(args(&["--bogus"])), Err(BootstrapError::Usage(_))));
    }
}
