//! One guest thread on its own host thread: runs the interpreter in slices,
//! honours suspend and terminate between slices, reports how it ended.

use super::bus::RuntimeBus;
use super::link::{ThreadControl, WAIT_SLICE};
use super::{sched, Cpu};
use crate::ppc::{Interpreter, Limits, Machine, RunExit, ThreadState};
use shared::ipc::control::ChildMessage;
use shared::ipc::kernel::{GuestThreadId, ThreadStart, ToKernel};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread::JoinHandle;

/// Instructions per slice between suspend/terminate checks.
const SLICE: u64 = 100_000;

/// The registers a guest thread starts with.
pub fn initial_state(start: &ThreadStart) -> ThreadState {
    let mut state = ThreadState { pc: start.entry, lr: start.return_address as u64, ..ThreadState::default() };
    state.gpr[1] = start.stack_pointer as u64;
    state.gpr[3] = start.args[0] as u64;
    state.gpr[4] = start.args[1] as u64;
    state.gpr[5] = start.args[2] as u64;
    state.gpr[13] = start.pcr as u64;
    state
}

pub fn spawn(cpu: Arc<Cpu>, start: ThreadStart, control: Arc<ThreadControl>) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new().name(format!("guest-{}", start.thread)).spawn(move || {
        run(&cpu, start, control);
        cpu.link.forget(start.thread);
    })
}

/// Under `--deterministic`, gives the baton up for good when the thread
/// ends, however it ends.
struct LeaveScheduler<'a>(&'a Cpu, GuestThreadId);

impl Drop for LeaveScheduler<'_> {
    fn drop(&mut self) {
        if let Some(sched) = &self.0.scheduler {
            sched.exit(self.1);
        }
    }
}

fn run(cpu: &Arc<Cpu>, start: ThreadStart, control: Arc<ThreadControl>) {
    let id = start.thread;
    let sched = cpu.scheduler.as_ref();
    let _leave = LeaveScheduler(cpu, id);
    let mut interp = Interpreter::new(initial_state(&start));
    let mut bus = RuntimeBus::new(cpu.clone(), id, control.clone());
    let machine =
        Machine { memory: &cpu.memory, code: &cpu.code, reservations: &cpu.reservations, probes: &cpu.probes };
    tracing::debug!("guest thread {id} starts at {:#010x}", start.entry);
    if sched.is_some_and(|s| !s.wait_turn(cpu, id)) {
        return;
    }
    loop {
        {
            let mut mailbox = control.mailbox.lock().unwrap();
            if let Some(sched) = sched {
                // Suspended: queue again; the scheduler passes over it until resumed.
                if mailbox.suspended && !mailbox.terminate {
                    drop(mailbox);
                    sched.yield_turn(id);
                    if !sched.wait_turn(cpu, id) {
                        return;
                    }
                    continue;
                }
            }
            while mailbox.suspended && !mailbox.terminate && !cpu.stopping() {
                mailbox = control.changed.wait_timeout(mailbox, WAIT_SLICE).unwrap().0;
            }
            if mailbox.terminate || cpu.stopping() {
                return;
            }
        }
        let slice = if sched.is_some() { sched::QUANTUM } else { SLICE };
        let budget = match cpu.instruction_limit {
            Some(limit) => slice.min(limit.saturating_sub(cpu.retired.load(Ordering::Relaxed)).max(1)),
            None => slice,
        };
        let before = interp.retired;
        bus.begin_run();
        let result = interp.run(machine, &mut bus, Limits { budget, stop_at: Some(start.return_address) });
        bus.end_run(interp.retired - before);
        let total = cpu.retired.fetch_add(interp.retired - before, Ordering::Relaxed) + (interp.retired - before);
        if cpu.instruction_limit.is_some_and(|limit| total >= limit) {
            if !cpu.limit_reported.swap(true, Ordering::SeqCst) {
                let summary = format!(
                    "instruction limit reached: {total} guest instructions retired; thread {id} stopped at {:#010x} (lr {:#010x})",
                    interp.state.pc, interp.state.lr as u32
                );
                let _ = cpu.supervisor.send(ChildMessage::InstructionLimit { retired: total, summary });
            }
            return;
        }
        match result {
            Ok(RunExit::BudgetSpent) => {
                if let Some(sched) = sched {
                    sched.yield_turn(id);
                    if !sched.wait_turn(cpu, id) {
                        return;
                    }
                }
            }
            Ok(RunExit::ReachedStop) => {
                let code = interp.state.gpr[3] as u32;
                let _ = cpu.link.send(cpu, ToKernel::ThreadReturned { thread: id, code });
                if let Some(sched) = sched {
                    // The kernel finishes with the thread before the baton moves.
                    sched.sync_kernel(cpu);
                }
                return;
            }
            Ok(RunExit::Stopped) => return,
            Err(fault) => {
                let report = format!(
                    "guest fault in thread {id}:\n{fault}\nrecent kernel calls (oldest first):\n{}",
                    bus.recent_calls()
                );
                tracing::error!("guest fault in thread {id} at {:#010x}", fault.pc);
                let _ = cpu.supervisor.send(ChildMessage::GuestFault { report });
                let _ = cpu.link.send(cpu, ToKernel::ThreadFaulted { thread: id });
                if let Some(sched) = sched {
                    sched.sync_kernel(cpu);
                }
                return;
            }
        }
    }
}
