//! A session: the guest memory, the four units, and the loop that runs
//! until the title ends, the timeout, a signal, or a fatal failure.

use crate::child::{self, describe_status, Child, SpawnError, SpawnSpec};
use crate::exit::ExitReason;
use crate::restart::{CrashBudget, RestartDecision};
use crossbeam_channel::{Receiver, Sender};
use shared::config::{Config, GpuMode};
use shared::ipc::control::{ChildMessage, Unit};
use shared::memory::GuestMemory;
use std::os::fd::{AsFd, OwnedFd};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tracing::{error, info, warn};

/// What the watcher threads report to the session loop.
#[derive(Debug)]
pub enum Event {
    /// A message from a unit's process of the given generation.
    Message { unit: Unit, generation: u32, msg: ChildMessage },
    /// A unit's control channel closed.
    Disconnected { unit: Unit, generation: u32 },
    /// A unit's process exited (its pidfd became readable).
    Exited { unit: Unit, generation: u32 },
    /// SIGINT, SIGTERM or SIGHUP reached the supervisor.
    Signal(i32),
}

/// Where the unit binaries are.
#[derive(Debug, Clone)]
pub struct Binaries {
    /// Folder of the sibling binaries (`cpu-proc`, …): the folder of `xenact`.
    pub dir: PathBuf,
    /// `--kernel PATH`: another kernel-process binary that speaks the protocol.
    pub kernel: Option<PathBuf>,
}

impl Binaries {
    /// The binaries beside the running `xenact`.
    pub fn beside_current_exe() -> std::io::Result<Binaries> {
        let exe = std::env::current_exe()?;
        let dir = exe.parent().map(PathBuf::from).unwrap_or_default();
        Ok(Binaries { dir, kernel: None })
    }

    pub fn path(&self, unit: Unit) -> PathBuf {
        match (unit, &self.kernel) {
            (Unit::Kernel, Some(kernel)) => kernel.clone(),
            _ => self.dir.join(unit.process_name()),
        }
    }
}

/// How a session is set up.
pub struct SessionOptions {
    pub config: Config,
    pub timeout: Option<Duration>,
    pub binaries: Binaries,
}

/// Time each unit gets to exit after being asked to shut down.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

struct Session {
    memfd: OwnedFd,
    /// Kept mapped so shared state outlives every child.
    _memory: GuestMemory,
    config: Config,
    binaries: Binaries,
    children: [Option<Child>; 4],
    generations: [u32; 4],
    budgets: [CrashBudget; 4],
    /// When each unit's current process was started (for its uptime at a crash).
    started: [Option<Instant>; 4],
    events_tx: Sender<Event>,
    events_rx: Receiver<Event>,
}

/// Runs a session to its end and returns why it ended.
pub fn run(options: SessionOptions) -> anyhow::Result<ExitReason> {
    let memfd = GuestMemory::create_file()?;
    let memory = GuestMemory::map(memfd.as_fd())?;
    memory.control().initialise();
    let deterministic = options.config.deterministic as u32;
    memory.control().guest_time().deterministic.store(deterministic, std::sync::atomic::Ordering::SeqCst);
    let (events_tx, events_rx) = crossbeam_channel::unbounded();
    forward_signals(events_tx.clone())?;
    let mut session = Session {
        memfd,
        _memory: memory,
        config: options.config,
        binaries: options.binaries,
        children: Default::default(),
        generations: [0; 4],
        budgets: Default::default(),
        started: [None; 4],
        events_tx,
        events_rx,
    };
    let reason = match session.start_all() {
        Ok(()) => session.run_loop(options.timeout.map(|t| Instant::now() + t)),
        Err(reason) => reason,
    };
    session.shutdown();
    Ok(reason)
}

impl Session {
    fn start_all(&mut self) -> Result<(), ExitReason> {
        for unit in Unit::ALL {
            if let Err(err) = self.start(unit) {
                return Err(start_failure(unit, err));
            }
        }
        let pids: Vec<String> = Unit::ALL
            .iter()
            .filter_map(|&u| self.children[u as usize].as_ref().map(|c| format!("{u} {}", c.pid())))
            .collect();
        info!("session running: {}", pids.join(", "));
        Ok(())
    }

    fn start(&mut self, unit: Unit) -> Result<(), SpawnError> {
        self.generations[unit as usize] += 1;
        let mut config = self.config.clone();
        config.gpu_mode = self.budgets[Unit::Gpu as usize].gpu_mode();
        let binary = self.binaries.path(unit);
        let child = child::spawn(
            SpawnSpec {
                unit,
                binary: &binary,
                memfd: self.memfd.as_fd(),
                config: &config,
                generation: self.generations[unit as usize],
            },
            &self.events_tx,
        )?;
        self.children[unit as usize] = Some(child);
        self.started[unit as usize] = Some(Instant::now());
        Ok(())
    }

    fn run_loop(&mut self, deadline: Option<Instant>) -> ExitReason {
        loop {
            let event = match deadline {
                Some(deadline) => match self.events_rx.recv_deadline(deadline) {
                    Ok(event) => event,
                    Err(_) => return ExitReason::Timeout,
                },
                None => match self.events_rx.recv() {
                    Ok(event) => event,
                    Err(_) => return ExitReason::Interrupted,
                },
            };
            if let Some(reason) = self.handle(event) {
                return reason;
            }
        }
    }

    fn is_current(&self, unit: Unit, generation: u32) -> bool {
        self.children[unit as usize].as_ref().is_some_and(|c| c.generation == generation)
    }

    fn handle(&mut self, event: Event) -> Option<ExitReason> {
        match event {
            Event::Signal(sig) => {
                info!("signal {sig} received; shutting down");
                Some(ExitReason::Interrupted)
            }
            Event::Exited { unit, generation } if self.is_current(unit, generation) => self.on_death(unit),
            Event::Disconnected { unit, generation } if self.is_current(unit, generation) => {
                // Usually the process just died and its pidfd has not been
                // seen yet. A process that is alive without its control
                // link is broken: kill it. Either way it is handled as a death.
                let child = self.children[unit as usize].as_mut()?;
                let deadline = Instant::now() + Duration::from_millis(100);
                while child.try_reap().is_none() && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(2));
                }
                if child.try_reap().is_none() {
                    warn!("{unit} closed its control link while running; killing it");
                    child.kill();
                }
                self.on_death(unit)
            }
            Event::Message { unit, generation, msg } if self.is_current(unit, generation) => self.on_message(unit, msg),
            _ => None, // about a process generation that is already gone
        }
    }

    fn on_message(&mut self, unit: Unit, msg: ChildMessage) -> Option<ExitReason> {
        match msg {
            ChildMessage::TitleExited { code } => Some(ExitReason::TitleEnded(code)),
            ChildMessage::GuestFault { report } => Some(ExitReason::GuestFault(report)),
            ChildMessage::Deadlock { report } => Some(ExitReason::Deadlock(report)),
            ChildMessage::InstructionLimit { summary, .. } => Some(ExitReason::InstructionLimit(summary)),
            ChildMessage::WindowClosed => Some(ExitReason::WindowClosed),
            ChildMessage::Fatal { reason } => {
                error!("{unit} reported a fatal error: {reason}");
                if let Some(child) = self.children[unit as usize].as_mut() {
                    child.kill();
                }
                None
            }
            ChildMessage::Ready | ChildMessage::Hello { .. } | ChildMessage::Abandoned => None,
        }
    }

    fn on_death(&mut self, unit: Unit) -> Option<ExitReason> {
        let mut child = self.children[unit as usize].take()?;
        let died_at = Instant::now();
        let detail = describe_status(child.reap());
        drop(child);
        // A restart that fails to start counts as a crash right at start.
        let mut uptime = self.started[unit as usize].map_or(Duration::ZERO, |t| died_at.duration_since(t));
        loop {
            match self.budgets[unit as usize].on_crash(unit, Instant::now(), uptime) {
                RestartDecision::GiveUp => {
                    return Some(ExitReason::UnitCrashed {
                        unit,
                        detail: format!("died ({detail}); the session cannot go on"),
                    });
                }
                RestartDecision::Disable => {
                    warn!("{unit} died ({detail}); crashed too often, continuing without it");
                    return None;
                }
                decision @ (RestartDecision::Restart | RestartDecision::RestartAsFallback) => {
                    if decision == RestartDecision::RestartAsFallback {
                        warn!("{unit} crashed too often; falling back to the non-rendering GPU");
                    }
                    match self.start(unit) {
                        Ok(()) => {
                            let budget = &self.budgets[unit as usize];
                            let mode = match (unit, budget.gpu_mode()) {
                                (Unit::Gpu, GpuMode::Fallback) => " as fallback",
                                _ => "",
                            };
                            info!(
                                "{unit} died ({detail}); restarted{mode} in {} ms (restart {})",
                                died_at.elapsed().as_millis(),
                                budget.restarts()
                            );
                            return None;
                        }
                        Err(err) => error!("restarting {unit} failed: {err}"),
                    }
                }
            }
            uptime = Duration::ZERO;
        }
    }

    /// Asks every unit to exit, waits a short grace period, then kills.
    fn shutdown(&mut self) {
        for child in self.children.iter().flatten() {
            child.request_shutdown();
        }
        let deadline = Instant::now() + SHUTDOWN_GRACE;
        while Instant::now() < deadline && self.children.iter_mut().flatten().any(|c| c.try_reap().is_none()) {
            std::thread::sleep(Duration::from_millis(10));
        }
        for slot in self.children.iter_mut() {
            if let Some(mut child) = slot.take() {
                if child.try_reap().is_none() {
                    warn!("{} did not exit within {:?}; killing it", child.unit, SHUTDOWN_GRACE);
                    child.kill();
                }
                child.reap();
            }
        }
    }
}

fn start_failure(unit: Unit, err: SpawnError) -> ExitReason {
    match err {
        SpawnError::ProtocolMismatch { .. } | SpawnError::WrongUnit { .. } | SpawnError::Exec { .. } => {
            ExitReason::Incompatible(err.to_string())
        }
        other => ExitReason::UnitCrashed { unit, detail: other.to_string() },
    }
}

fn forward_signals(events: Sender<Event>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new().name("signals".into()).spawn(move || {
        for sig in signals.forever() {
            if events.send(Event::Signal(sig)).is_err() {
                return;
            }
        }
    })?;
    Ok(())
}
