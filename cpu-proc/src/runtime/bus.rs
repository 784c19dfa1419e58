//! The bus of a guest thread in cpu-proc: MMIO against the shared GPU
//! register file (doorbells to gpu-proc), `sc` over the kernel link (or
//! in this process for the exports kernel-proc declared local), the
//! debug-print trap to stdout, the time base from the guest clock.

use super::link::{ThreadControl, WAIT_SLICE};
use super::Cpu;
use crate::ppc::{Bus, BusError, Interpreter, Limits, Machine, RunExit, ThreadState};
use kernel_proc::local::{self, Local};
use shared::ipc::gpu::{is_doorbell, Doorbell, GPU_REGISTER_BASE, GPU_REGISTER_WINDOW};
use shared::ipc::kernel::{CallArgs, GuestThreadId, ToCpu, ToKernel, THREAD_RETURN_ADDRESS};
use shared::ipc::ring::{self, RingError, RingId, RingSender, SpinPolicy};
use shared::memory::{GuestMemory, VirtAddr};
use std::collections::VecDeque;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The console's time base frequency (49.875 MHz).
pub const TIME_BASE_HZ: u64 = 49_875_000;
/// Kernel calls remembered per thread for fault reports.
const RECENT_CALLS: usize = 16;

/// The producing end of the doorbell ring, shared by all guest threads.
pub struct GpuPort {
    doorbells: Mutex<RingSender<Doorbell>>,
    warned: AtomicBool,
    /// Doorbells sent (compared with gpu-proc's `doorbells_done`).
    rung: AtomicU64,
    late_reported: AtomicBool,
}

/// How long `--deterministic` waits for gpu-proc to finish with a doorbell
/// (a dead or restarting gpu-proc must not hang the guest).
const DOORBELL_WAIT: Duration = Duration::from_secs(2);

impl GpuPort {
    pub fn attach(memory: &GuestMemory) -> Result<GpuPort, RingError> {
        Ok(GpuPort {
            doorbells: Mutex::new(ring::sender(memory, RingId::GpuDoorbell, SpinPolicy::OFF)?),
            warned: AtomicBool::new(false),
            rung: AtomicU64::new(0),
            late_reported: AtomicBool::new(false),
        })
    }

    /// `--deterministic`: waits until gpu-proc has run the command processor
    /// as far as every doorbell rung so far takes it, so what it does (memory
    /// writes, interrupts) lands at the same point of every run.
    fn wait_until_done(&self, memory: &GuestMemory) {
        let done = &memory.control().gpu_state().doorbells_done;
        let rung = self.rung.load(Ordering::SeqCst);
        let deadline = std::time::Instant::now() + DOORBELL_WAIT;
        while done.load(Ordering::SeqCst) < rung {
            if std::time::Instant::now() > deadline {
                if !self.late_reported.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        "gpu-proc did not finish a doorbell in {DOORBELL_WAIT:?}; the run is no longer reproducible"
                    );
                }
                return;
            }
            std::thread::sleep(Duration::from_micros(50));
        }
    }

    /// Rings the doorbell. A lost doorbell is harmless (the register keeps
    /// the value and a restarted gpu-proc reads it), so a full ring — gpu-proc
    /// dead or restarting — is logged once and skipped.
    fn ring(&self, bell: Doorbell) {
        if self.doorbells.lock().unwrap().send(bell, Duration::from_millis(2)).is_ok() {
            self.rung.fetch_add(1, Ordering::SeqCst);
        } else if !self.warned.swap(true, Ordering::Relaxed) {
            tracing::warn!("doorbell ring full (gpu-proc not consuming); the register file keeps the value");
        }
    }
}

/// A kernel call this thread made, for fault reports.
#[derive(Clone, Copy, Debug)]
struct RecentCall {
    export: u32,
    lr: u32,
}

/// The bus of one guest thread.
pub struct RuntimeBus {
    cpu: Arc<Cpu>,
    thread: GuestThreadId,
    control: Arc<ThreadControl>,
    recent: VecDeque<RecentCall>,
    /// Runs interrupt-time code (never holds the baton as a thread).
    interrupt_time: bool,
    /// Instructions of the current interpreter run already added to the
    /// deterministic guest clock.
    run_flushed: u64,
}

impl RuntimeBus {
    pub fn new(cpu: Arc<Cpu>, thread: GuestThreadId, control: Arc<ThreadControl>) -> RuntimeBus {
        RuntimeBus {
            cpu,
            thread,
            control,
            recent: VecDeque::with_capacity(RECENT_CALLS),
            interrupt_time: false,
            run_flushed: 0,
        }
    }

    /// The bus of interrupt-time code on the interrupt context's thread.
    pub fn for_interrupts(cpu: Arc<Cpu>, thread: GuestThreadId, control: Arc<ThreadControl>) -> RuntimeBus {
        RuntimeBus { interrupt_time: true, ..RuntimeBus::new(cpu, thread, control) }
    }

    /// An interpreter run starts: nothing of it is on the guest clock yet.
    pub fn begin_run(&mut self) {
        self.run_flushed = 0;
    }

    /// An interpreter run that retired `ran` instructions ended.
    pub fn end_run(&mut self, ran: u64) {
        self.retired(ran);
    }

    /// The kernel calls this thread made last, oldest first, one per line.
    pub fn recent_calls(&self) -> String {
        let mut out = String::new();
        for call in &self.recent {
            let name = kernel_proc::exports::EXPORTS
                .get(call.export as usize)
                .map(|e| format!("{}!{}", e.module.library_name(), e.name))
                .unwrap_or_else(|| format!("export #{}", call.export));
            out.push_str(&format!("  {name} (from {:#010x})\n", call.lr));
        }
        out
    }

    fn register_index(addr: VirtAddr) -> Option<usize> {
        let offset = addr.0.checked_sub(GPU_REGISTER_BASE)?;
        (offset < GPU_REGISTER_WINDOW).then_some((offset / 4) as usize)
    }

    /// Waits for the kernel's answer to this thread's pending call, running
    /// any APC delivered first. `Err(Stop)` when the thread must end.
    fn wait_for_return(&mut self, state: &mut ThreadState) -> Result<(), BusError> {
        loop {
            let next = {
                let mut mailbox = self.control.mailbox.lock().unwrap();
                loop {
                    if mailbox.terminate || self.cpu.stopping() {
                        return Err(BusError::Stop);
                    }
                    if let Some(msg) = mailbox.messages.pop_front() {
                        break msg;
                    }
                    mailbox = self.control.changed.wait_timeout(mailbox, WAIT_SLICE).unwrap().0;
                }
            };
            match next {
                ToCpu::Return { r3, r4, .. } => {
                    state.gpr[3] = r3;
                    state.gpr[4] = r4;
                    return Ok(());
                }
                ToCpu::Blocked { .. } => match &self.cpu.scheduler {
                    // Parked: the baton moves on until the kernel wakes this thread.
                    Some(sched) if !self.interrupt_time => {
                        sched.block(self.thread);
                        if !sched.wait_turn(&self.cpu, self.thread) {
                            return Err(BusError::Stop);
                        }
                    }
                    _ => tracing::warn!("interrupt-time code waits in the kernel; nothing else runs meanwhile"),
                },
                ToCpu::Apc { routine, args, .. } => self.run_apc(state, routine, args)?,
                other => tracing::error!("unexpected {other:?} in a thread's mailbox"),
            }
        }
    }

    /// Runs a user-mode APC as a nested call on this thread's stack.
    fn run_apc(&mut self, state: &ThreadState, routine: u32, args: [u32; 3]) -> Result<(), BusError> {
        let mut apc = state.clone();
        apc.pc = routine;
        apc.lr = THREAD_RETURN_ADDRESS as u64;
        apc.gpr[1] = (state.gpr[1].wrapping_sub(0x200)) & !0xF;
        apc.gpr[3] = args[0] as u64;
        apc.gpr[4] = args[1] as u64;
        apc.gpr[5] = args[2] as u64;
        let cpu = self.cpu.clone();
        let machine =
            Machine { memory: &cpu.memory, code: &cpu.code, reservations: &cpu.reservations, probes: &cpu.probes };
        let mut nested = Interpreter::new(apc);
        // The outer run is paused inside this call; its clock count resumes after.
        let outer_flushed = self.run_flushed;
        let result = loop {
            let limits = Limits { budget: 1_000_000, stop_at: Some(THREAD_RETURN_ADDRESS) };
            let before = nested.retired;
            self.begin_run();
            let exit = nested.run(machine, self, limits);
            self.end_run(nested.retired - before);
            match exit {
                Ok(RunExit::ReachedStop) => break Ok(()),
                Ok(RunExit::BudgetSpent) if !cpu.stopping() => continue,
                Ok(_) => break Err(BusError::Stop),
                Err(fault) => break Err(BusError::Fault(format!("in an APC routine: {fault}"))),
            }
        };
        self.run_flushed = outer_flushed;
        result
    }
}

impl Bus for RuntimeBus {
    fn mmio_read(&mut self, addr: VirtAddr, size: u32) -> Result<u64, BusError> {
        let Some(index) = Self::register_index(addr) else {
            return Err(BusError::Fault(format!("no device answers a {size}-byte MMIO read at {addr}")));
        };
        let regs = self.cpu.memory.control().gpu_registers();
        let reg = |i: usize| regs.get(i).map(|r| r.load(Ordering::Acquire) as u64).unwrap_or(0);
        Ok(match size {
            8 => (reg(index) << 32) | reg(index + 1),
            4 => reg(index),
            _ => {
                let shift = (4 - (addr.0 & 3) - size) * 8;
                (reg(index) >> shift) & ((1u64 << (size * 8)) - 1)
            }
        })
    }

    fn mmio_write(&mut self, addr: VirtAddr, size: u32, value: u64) -> Result<(), BusError> {
        let Some(index) = Self::register_index(addr) else {
            return Err(BusError::Fault(format!("no device answers a {size}-byte MMIO write at {addr}")));
        };
        let regs = self.cpu.memory.control().gpu_registers();
        let store = |i: usize, v: u32| {
            if let Some(r) = regs.get(i) {
                r.store(v, Ordering::Release);
                if is_doorbell(i as u32) {
                    self.cpu.gpu.ring(Doorbell { register: i as u32, value: v });
                    if self.cpu.scheduler.is_some() {
                        self.cpu.gpu.wait_until_done(&self.cpu.memory);
                    }
                }
            }
        };
        match size {
            8 => {
                store(index, (value >> 32) as u32);
                store(index + 1, value as u32);
            }
            4 => store(index, value as u32),
            _ => {
                let shift = (4 - (addr.0 & 3) - size) * 8;
                let mask = (((1u64 << (size * 8)) - 1) << shift) as u32;
                let old = regs[index].load(Ordering::Acquire);
                store(index, (old & !mask) | (((value << shift) as u32) & mask));
            }
        }
        Ok(())
    }

    fn system_call(&mut self, state: &mut ThreadState) -> Result<(), BusError> {
        let export = state.gpr[0] as u32;
        let mut gpr = [0u64; 8];
        gpr.copy_from_slice(&state.gpr[3..11]);
        let mut fpr = [0u64; 4];
        fpr.copy_from_slice(&state.fpr[1..5]);
        let args = CallArgs { gpr, fpr, sp: state.gpr[1] as u32, lr: state.lr as u32 };
        if self.recent.len() == RECENT_CALLS {
            self.recent.pop_front();
        }
        self.recent.push_back(RecentCall { export, lr: args.lr });
        // Exports the kernel declared local finish here when they can.
        if self.cpu.memory.control().local_exports().is_local(export) {
            if let Local::Done(r3) = local::call(&self.cpu.memory, export, state.gpr[13] as u32, &args.gpr) {
                state.gpr[3] = r3;
                return Ok(());
            }
        }
        let cpu = self.cpu.clone();
        cpu.link.send(&cpu, ToKernel::Call { thread: self.thread, export, args }).map_err(|_| BusError::Stop)?;
        self.wait_for_return(state)
    }

    fn debug_print(&mut self, text: &[u8]) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.strip_suffix(b"\n").unwrap_or(text));
        let _ = out.write_all(b"\n");
        let _ = out.flush();
    }

    fn probe(&mut self, state: &ThreadState) {
        let mut gpr = [0u64; 8];
        gpr.copy_from_slice(&state.gpr[3..11]);
        let msg = ToKernel::PcHit { thread: self.thread, pc: state.pc, gpr, lr: state.lr };
        let cpu = self.cpu.clone();
        let _ = cpu.link.send(&cpu, msg);
    }

    fn time_base(&mut self) -> u64 {
        let nanos = if self.cpu.scheduler.is_some() {
            self.cpu.memory.control().guest_time().now().as_nanos()
        } else {
            self.cpu.started.elapsed().as_nanos()
        };
        (nanos * TIME_BASE_HZ as u128 / 1_000_000_000) as u64
    }

    /// The instructions retired since the last count go on the guest clock:
    /// under `--deterministic` only the baton holder runs, so only it adds.
    /// Otherwise the count still goes there: the event log's `guest_cycle`.
    fn retired(&mut self, in_run: u64) {
        let delta = in_run.saturating_sub(self.run_flushed);
        self.run_flushed = in_run;
        self.cpu.memory.control().guest_time().ticks.fetch_add(delta, Ordering::SeqCst);
    }
}
