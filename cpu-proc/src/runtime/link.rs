//! The cpu side of the kernel link.
//!
//! Calls from every guest thread go out on one ring (its producing end is
//! shared under a mutex); one dispatcher thread takes everything the kernel
//! sends back and routes it: returns and APCs to the waiting thread's
//! mailbox, thread starts to new host threads, suspend/resume/terminate to
//! the thread's control block.

use super::{thread, Cpu};
use shared::ipc::kernel::{Frame, GuestThreadId, ToCpu, ToKernel};
use shared::ipc::ring::{self, RingError, RingId, RingReceiver, RingSender, SpinPolicy};
use shared::memory::GuestMemory;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a send waits for room before checking for shutdown again.
const SEND_SLICE: Duration = Duration::from_millis(100);
/// How long a waiter sleeps before checking for shutdown again.
pub const WAIT_SLICE: Duration = Duration::from_millis(100);

/// What the kernel has told one guest thread that it has not acted on yet.
#[derive(Default)]
pub struct Mailbox {
    /// Returns and APCs, in arrival order.
    pub messages: VecDeque<ToCpu>,
    pub suspended: bool,
    pub terminate: bool,
}

/// The kernel's handle on one guest thread in this process.
#[derive(Default)]
pub struct ThreadControl {
    pub mailbox: Mutex<Mailbox>,
    pub changed: Condvar,
}

impl ThreadControl {
    fn post(&self, update: impl FnOnce(&mut Mailbox)) {
        update(&mut self.mailbox.lock().unwrap());
        self.changed.notify_all();
    }
}

pub struct KernelLink {
    calls: Mutex<RingSender<Frame>>,
    threads: Mutex<HashMap<GuestThreadId, Arc<ThreadControl>>>,
}

impl KernelLink {
    pub fn attach(memory: &GuestMemory, spin: SpinPolicy) -> Result<KernelLink, RingError> {
        Ok(KernelLink {
            calls: Mutex::new(ring::sender(memory, RingId::KernelCall, spin)?),
            threads: Mutex::new(HashMap::new()),
        })
    }

    /// Sends a message to the kernel, waiting for room while the session lasts.
    pub fn send(&self, cpu: &Cpu, msg: ToKernel) -> Result<(), RingError> {
        let frame = msg.encode();
        let mut calls = self.calls.lock().unwrap();
        loop {
            match calls.send(frame, SEND_SLICE) {
                Err(RingError::Timeout(_)) if !cpu.stopping() => continue,
                other => return other,
            }
        }
    }

    /// The control block of `thread`, created on first use.
    pub fn control(&self, thread: GuestThreadId) -> Arc<ThreadControl> {
        self.threads.lock().unwrap().entry(thread).or_default().clone()
    }

    pub fn forget(&self, thread: GuestThreadId) {
        self.threads.lock().unwrap().remove(&thread);
    }

    /// Wakes every waiting guest thread (at shutdown).
    pub fn wake_all(&self) {
        for control in self.threads.lock().unwrap().values() {
            control.changed.notify_all();
        }
    }
}

/// Starts the thread that takes everything the kernel sends.
pub fn start_dispatcher(cpu: Arc<Cpu>, spin: SpinPolicy) -> std::io::Result<JoinHandle<()>> {
    let mut replies: RingReceiver<Frame> =
        ring::receiver(&cpu.memory, RingId::KernelReply, spin).map_err(std::io::Error::other)?;
    std::thread::Builder::new().name("kernel-link".into()).spawn(move || {
        while !cpu.stopping() {
            let frame = match replies.recv(WAIT_SLICE) {
                Ok(frame) => frame,
                Err(_) => continue,
            };
            match ToCpu::decode(&frame) {
                Ok(msg) => route(&cpu, msg),
                Err(err) => tracing::error!("{err}"),
            }
        }
    })
}

/// Routes one message. Under `--deterministic` the scheduler learns of it
/// here too, before any later message is routed: a thread started or woken
/// queues for the baton in the order the kernel sent the messages.
fn route(cpu: &Arc<Cpu>, msg: ToCpu) {
    let sched = cpu.scheduler.as_ref();
    match msg {
        ToCpu::StartThread(start) => {
            let control = cpu.link.control(start.thread);
            if let Some(sched) = sched {
                sched.admit(start.thread);
            }
            if let Err(err) = thread::spawn(cpu.clone(), start, control) {
                tracing::error!("cannot start guest thread {}: {err}", start.thread);
                if let Some(sched) = sched {
                    sched.exit(start.thread);
                }
            }
        }
        ToCpu::Return { thread, .. } | ToCpu::Apc { thread, .. } | ToCpu::Blocked { thread } => {
            cpu.link.control(thread).post(|m| m.messages.push_back(msg));
            if let (Some(sched), false) = (sched, matches!(msg, ToCpu::Blocked { .. })) {
                sched.wake(thread);
            }
        }
        ToCpu::Suspend { thread } => {
            cpu.link.control(thread).post(|m| m.suspended = true);
            if let Some(sched) = sched {
                sched.set_suspended(thread, true);
            }
        }
        ToCpu::Resume { thread } => {
            cpu.link.control(thread).post(|m| m.suspended = false);
            if let Some(sched) = sched {
                sched.set_suspended(thread, false);
            }
        }
        ToCpu::Terminate { thread } => {
            cpu.link.control(thread).post(|m| m.terminate = true);
            if let Some(sched) = sched {
                // It must get the baton once more, to end.
                sched.set_suspended(thread, false);
                sched.wake(thread);
            }
        }
        ToCpu::Synced => match sched {
            Some(sched) => sched.synced(),
            None => tracing::error!("the kernel answered a sync nobody sent"),
        },
    }
}
