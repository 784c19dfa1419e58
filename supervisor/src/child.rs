//! One child process: spawning it with the guest memory and its bootstrap
//! channel, the hello/welcome handshake, forwarding its output, watching for
//! its death. A [`Child`] kills and reaps its process when dropped, so no
//! path out of the supervisor leaves an orphan.

use crate::session::Event;
use crossbeam_channel::Sender;
use ipc_channel::ipc::{IpcOneShotServer, IpcReceiver, IpcSender};
use shared::config::Config;
use shared::ipc::control::{ChildMessage, SupervisorMessage, Unit};
use shared::ipc::PROTOCOL_VERSION;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Descriptor number at which every child finds the guest memory file.
pub const CHILD_MEM_FD: i32 = 3;
/// How long a child may take from spawn to ready.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// Why a child could not be started.
#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    #[error("cannot start {binary}: {source}")]
    Exec { binary: PathBuf, source: std::io::Error },
    #[error("{unit} speaks protocol version {child}, xenact speaks protocol version {ours}")]
    ProtocolMismatch { unit: Unit, child: u32, ours: u32 },
    #[error("{binary} announced itself as {announced}, expected {unit}")]
    WrongUnit { binary: PathBuf, unit: Unit, announced: Unit },
    #[error("{unit} exited during start-up ({status})")]
    DiedDuringStart { unit: Unit, status: String },
    #[error("{unit} did not {what} within {timeout:?}")]
    StartTimeout { unit: Unit, what: &'static str, timeout: Duration },
    #[error("{unit} broke the start-up protocol: {detail}")]
    Protocol { unit: Unit, detail: String },
    #[error("ipc set-up failed: {0}")]
    Ipc(String),
}

/// A running child. Dropping it kills (SIGKILL) and reaps the process.
pub struct Child {
    pub unit: Unit,
    pub generation: u32,
    process: std::process::Child,
    pidfd: Option<OwnedFd>,
    to_child: Option<IpcSender<SupervisorMessage>>,
    reaped: Option<ExitStatus>,
}

impl Child {
    pub fn pid(&self) -> u32 {
        self.process.id()
    }

    /// Asks the child to end the session.
    pub fn request_shutdown(&self) {
        if let Some(to_child) = &self.to_child {
            let _ = to_child.send(SupervisorMessage::Shutdown);
        }
    }

    pub fn kill(&mut self) {
        if self.reaped.is_none() {
            let _ = self.process.kill();
        }
    }

    /// Reaps the child if it has exited; returns its status.
    pub fn try_reap(&mut self) -> Option<ExitStatus> {
        if self.reaped.is_none() {
            if let Ok(Some(status)) = self.process.try_wait() {
                self.reaped = Some(status);
            }
        }
        self.reaped
    }

    /// Waits for the child to exit (it must be dying) and returns its status.
    pub fn reap(&mut self) -> ExitStatus {
        if let Some(status) = self.reaped {
            return status;
        }
        let status = self.process.wait().unwrap_or_else(|_| ExitStatus::from_raw(0));
        self.reaped = Some(status);
        status
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        if self.reaped.is_none() {
            let _ = self.process.kill();
            let _ = self.process.wait();
        }
        drop(self.pidfd.take());
    }
}

/// Describes how a process ended: `signal 9` or `exit code 3`.
pub fn describe_status(status: ExitStatus) -> String {
    match (status.signal(), status.code()) {
        (Some(sig), _) => format!("signal {sig}"),
        (None, Some(code)) => format!("exit code {code}"),
        _ => "unknown status".into(),
    }
}

/// Makes descriptor `fd` available at `target` across exec. Call only
/// between fork and exec (async-signal-safe).
pub fn inherit_fd_at(fd: i32, target: i32) -> std::io::Result<()> {
    // SAFETY: plain descriptor syscalls on descriptors this process owns.
    let failed = unsafe {
        if fd == target {
            // dup2 onto itself would keep close-on-exec set.
            libc::fcntl(target, libc::F_SETFD, 0) != 0
        } else {
            libc::dup2(fd, target) < 0
        }
    };
    if failed {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Everything needed to start one unit.
pub struct SpawnSpec<'a> {
    pub unit: Unit,
    pub binary: &'a Path,
    pub memfd: BorrowedFd<'a>,
    pub config: &'a Config,
    pub generation: u32,
}

/// Starts a child, performs the handshake and waits until it is ready. Its
/// messages, disconnection and death are then reported on `events`.
pub fn spawn(spec: SpawnSpec<'_>, events: &Sender<Event>) -> Result<Child, SpawnError> {
    let SpawnSpec { unit, binary, memfd, config, generation } = spec;
    let (server, name) = IpcOneShotServer::<ChildMessage>::new().map_err(|e| SpawnError::Ipc(e.to_string()))?;
    let mut command = Command::new(binary);
    command
        .args(["--bootstrap", &name, "--mem-fd", &CHILD_MEM_FD.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mem_raw = memfd.as_raw_fd();
    let supervisor_pid = std::process::id() as libc::pid_t;
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(move || {
            // Die with the supervisor; close the race where it already died.
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 || libc::getppid() != supervisor_pid {
                libc::_exit(1);
            }
            inherit_fd_at(mem_raw, CHILD_MEM_FD)
        });
    }
    let mut process = command.spawn().map_err(|source| SpawnError::Exec { binary: binary.to_owned(), source })?;
    forward_output(unit, &mut process);
    let pidfd = rustix::process::pidfd_open(
        rustix::process::Pid::from_raw(process.id() as i32).expect("child pid is positive"),
        rustix::process::PidfdFlags::empty(),
    )
    .ok();
    let mut child = Child { unit, generation, process, pidfd, to_child: None, reaped: None };
    let (receiver, hello) = accept_hello(server, &mut child, &name)?;
    let ChildMessage::Hello { unit: announced, protocol_version, reply, .. } = hello else {
        return Err(SpawnError::Protocol { unit, detail: format!("first message was {hello:?}, not hello") });
    };
    if protocol_version != PROTOCOL_VERSION {
        let err = SpawnError::ProtocolMismatch { unit, child: protocol_version, ours: PROTOCOL_VERSION };
        let _ = reply.send(SupervisorMessage::Refused { reason: err.to_string() });
        return Err(err);
    }
    if announced != unit {
        let err = SpawnError::WrongUnit { binary: binary.to_owned(), unit, announced };
        let _ = reply.send(SupervisorMessage::Refused { reason: err.to_string() });
        return Err(err);
    }
    reply
        .send(SupervisorMessage::Welcome { config: Box::new(config.clone()), generation })
        .map_err(|e| SpawnError::Protocol { unit, detail: e.to_string() })?;
    child.to_child = Some(reply);
    wait_ready(&receiver, &mut child)?;
    watch(child.unit, generation, receiver, child.pidfd.as_ref(), events);
    Ok(child)
}

/// Accepts the child's hello on a helper thread while watching the child.
fn accept_hello(
    server: IpcOneShotServer<ChildMessage>,
    child: &mut Child,
    name: &str,
) -> Result<(IpcReceiver<ChildMessage>, ChildMessage), SpawnError> {
    let (tx, rx) = crossbeam_channel::bounded(1);
    std::thread::Builder::new()
        .name(format!("accept-{}", child.unit))
        .spawn(move || {
            let _ = tx.send(server.accept());
        })
        .map_err(|e| SpawnError::Ipc(e.to_string()))?;
    let deadline = Instant::now() + START_TIMEOUT;
    let failure = loop {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(Ok((receiver, ChildMessage::Abandoned))) => {
                drop(receiver);
                break SpawnError::Protocol { unit: child.unit, detail: "no hello".into() };
            }
            Ok(Ok(accepted)) => return Ok(accepted),
            Ok(Err(e)) => return Err(SpawnError::Protocol { unit: child.unit, detail: format!("{e:?}") }),
            Err(_) => {}
        }
        if let Some(status) = child.try_reap() {
            break SpawnError::DiedDuringStart { unit: child.unit, status: describe_status(status) };
        }
        if Instant::now() > deadline {
            break SpawnError::StartTimeout { unit: child.unit, what: "say hello", timeout: START_TIMEOUT };
        }
    };
    // Release the accepting thread: connect ourselves if nobody did.
    if let Ok(sender) = IpcSender::<ChildMessage>::connect(name.to_owned()) {
        let _ = sender.send(ChildMessage::Abandoned);
    }
    Err(failure)
}

fn wait_ready(receiver: &IpcReceiver<ChildMessage>, child: &mut Child) -> Result<(), SpawnError> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        match receiver.try_recv_timeout(Duration::from_millis(50)) {
            Ok(ChildMessage::Ready) => return Ok(()),
            Ok(ChildMessage::Fatal { reason }) => {
                return Err(SpawnError::DiedDuringStart { unit: child.unit, status: reason });
            }
            Ok(other) => {
                return Err(SpawnError::Protocol { unit: child.unit, detail: format!("{other:?} before ready") });
            }
            Err(ipc_channel::TryRecvError::Empty) => {}
            Err(ipc_channel::TryRecvError::IpcError(_)) => {
                let status = child.reap();
                return Err(SpawnError::DiedDuringStart { unit: child.unit, status: describe_status(status) });
            }
        }
        if let Some(status) = child.try_reap() {
            return Err(SpawnError::DiedDuringStart { unit: child.unit, status: describe_status(status) });
        }
        if Instant::now() > deadline {
            return Err(SpawnError::StartTimeout { unit: child.unit, what: "report ready", timeout: START_TIMEOUT });
        }
    }
}

/// Reports the child's messages, its disconnection and its death as events.
fn watch(
    unit: Unit,
    generation: u32,
    receiver: IpcReceiver<ChildMessage>,
    pidfd: Option<&OwnedFd>,
    events: &Sender<Event>,
) {
    let tx = events.clone();
    std::thread::Builder::new()
        .name(format!("link-{unit}"))
        .spawn(move || loop {
            match receiver.recv() {
                Ok(msg) => {
                    if tx.send(Event::Message { unit, generation, msg }).is_err() {
                        return;
                    }
                }
                Err(_) => {
                    let _ = tx.send(Event::Disconnected { unit, generation });
                    return;
                }
            }
        })
        .expect("spawning a watcher thread");
    let Some(pidfd) = pidfd.and_then(|fd| fd.try_clone().ok()) else { return };
    let tx = events.clone();
    std::thread::Builder::new()
        .name(format!("pidfd-{unit}"))
        .spawn(move || {
            let mut fds = [rustix::event::PollFd::new(&pidfd, rustix::event::PollFlags::IN)];
            loop {
                match rustix::event::poll(&mut fds, None) {
                    Ok(n) if n > 0 => break,
                    Err(rustix::io::Errno::INTR) | Ok(_) => continue,
                    Err(_) => break,
                }
            }
            let _ = tx.send(Event::Exited { unit, generation });
        })
        .expect("spawning a watcher thread");
}

/// Forwards the child's stdout verbatim (guest debug output) and its
/// stderr (logs) tagged with its name.
fn forward_output(unit: Unit, process: &mut std::process::Child) {
    if let Some(out) = process.stdout.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let mut stdout = std::io::stdout().lock();
                let _ = writeln!(stdout, "{line}");
                let _ = stdout.flush();
            }
        });
    }
    if let Some(err) = process.stderr.take() {
        let name = unit.process_name();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut stderr = std::io::stderr().lock();
                if line.starts_with(name) {
                    let _ = writeln!(stderr, "{line}");
                } else {
                    let _ = writeln!(stderr, "{name} | {line}");
                }
            }
        });
    }
}
