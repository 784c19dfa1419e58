//! The cpu-proc process around the interpreter: guest threads on host
//! threads, the kernel link, MMIO against the shared GPU register file.
//!
//! - [`link`]: the kernel link (calls out, returns and thread commands in)
//!   and the registry of guest threads.
//! - [`thread`]: the host thread that runs one guest thread.
//! - [`bus`]: the [`Bus`](crate::ppc::Bus) every guest thread runs against.
//! - [`interrupt`]: graphics and audio callbacks on the interrupt context.
//! - [`sched`]: the baton of `--deterministic` (one guest thread at a time).

pub mod bus;
pub mod interrupt;
pub mod link;
pub mod sched;
pub mod thread;

use crate::ppc::{CodeMap, ReservationTable};
use shared::ipc::bootstrap::ChildSession;
use shared::ipc::control::ChildMessage;
use shared::memory::GuestMemory;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Why cpu-proc stopped.
#[derive(Debug, thiserror::Error)]
pub enum CpuError {
    #[error("cannot attach the kernel link: {0}")]
    Link(#[from] shared::ipc::ring::RingError),
    #[error("cannot start a host thread: {0}")]
    Thread(#[from] std::io::Error),
}

/// What every guest thread of this process shares.
pub struct Cpu {
    pub memory: Arc<GuestMemory>,
    pub code: CodeMap,
    pub reservations: ReservationTable,
    pub link: link::KernelLink,
    pub gpu: bus::GpuPort,
    /// Reports to the supervisor (guest faults).
    pub supervisor: ipc_channel::ipc::IpcSender<ChildMessage>,
    /// Set at shutdown: every guest thread stops at its next check.
    pub stopping: AtomicBool,
    /// When guest time started (the time base counts from here).
    pub started: Instant,
    /// `--trace-pc`: PCs reported to the kernel on every visit.
    pub probes: Vec<u32>,
    /// Instructions all guest threads have retired.
    pub retired: std::sync::atomic::AtomicU64,
    /// `--max-instructions`.
    pub instruction_limit: Option<u64>,
    /// Set once the limit has been reported.
    pub limit_reported: AtomicBool,
    /// `--deterministic`: the baton guest threads pass.
    pub scheduler: Option<sched::Scheduler>,
}

impl Cpu {
    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }
}

/// Runs the CPU unit until the supervisor asks for shutdown.
pub fn run(session: ChildSession) -> Result<(), CpuError> {
    let memory = session.memory.clone();
    // Guest code faults on pages the memory manager has not allocated.
    memory.guard_unallocated_pages();
    let spin = session.config.spin;
    let cpu = Arc::new(Cpu {
        link: link::KernelLink::attach(&memory, spin)?,
        gpu: bus::GpuPort::attach(&memory)?,
        code: CodeMap::new(),
        reservations: ReservationTable::new(),
        supervisor: session.to_supervisor.clone(),
        stopping: AtomicBool::new(false),
        started: Instant::now(),
        probes: session.config.trace_pcs.clone(),
        retired: std::sync::atomic::AtomicU64::new(0),
        instruction_limit: session.config.max_instructions,
        limit_reported: AtomicBool::new(false),
        scheduler: session.config.deterministic.then(sched::Scheduler::default),
        memory,
    });
    let dispatcher = link::start_dispatcher(cpu.clone(), spin)?;
    let interrupts = if cpu.scheduler.is_some() {
        let sources = interrupt::InterruptSources::attach(&cpu)?;
        vec![sched::start_keeper(cpu.clone(), sources)?]
    } else {
        interrupt::start(cpu.clone())?
    };
    session.ready();
    session.wait_for_shutdown();
    cpu.stopping.store(true, Ordering::SeqCst);
    cpu.link.wake_all();
    let _ = dispatcher.join();
    for t in interrupts {
        let _ = t.join();
    }
    Ok(())
}
