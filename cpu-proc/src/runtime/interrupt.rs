//! Interrupt-time guest code: the graphics interrupt callback (from
//! gpu-proc) and render-driver callbacks (from audio-proc) run here, one at
//! a time, on the interrupt context the kernel published (a guest thread of
//! its own that is never scheduled, with its PCR and stack), as the console
//! runs them outside any title thread.

use super::bus::RuntimeBus;
use super::link::WAIT_SLICE;
use super::Cpu;
use crate::ppc::{Interpreter, Limits, Machine, RunExit, ThreadState};
use shared::ipc::audio::ToAudio;
use shared::ipc::control::ChildMessage;
use shared::ipc::interrupt::{GuestCallback, SOURCE_AUDIO};
use shared::ipc::kernel::THREAD_RETURN_ADDRESS;
use shared::ipc::ring::{self, RingId, SpinPolicy};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Instructions a callback may run before it counts as stuck and is dropped.
const CALLBACK_BUDGET: u64 = 50_000_000;

/// Starts the forwarders of both callback rings and the runner.
pub fn start(cpu: Arc<Cpu>) -> std::io::Result<Vec<JoinHandle<()>>> {
    let (tx, rx) = mpsc::channel::<GuestCallback>();
    let mut threads = Vec::new();
    for ring_id in [RingId::GpuInterrupt, RingId::AudioCallback] {
        let mut source =
            ring::receiver::<GuestCallback>(&cpu.memory, ring_id, SpinPolicy::OFF).map_err(std::io::Error::other)?;
        let (tx, cpu) = (tx.clone(), cpu.clone());
        threads.push(std::thread::Builder::new().name(format!("{ring_id:?}")).spawn(move || {
            while !cpu.stopping() {
                if let Ok(callback) = source.recv(WAIT_SLICE) {
                    if tx.send(callback).is_err() {
                        return;
                    }
                }
            }
        })?);
    }
    let mut done =
        ring::sender::<shared::ipc::audio::AudioMessage>(&cpu.memory, RingId::AudioCallbackDone, SpinPolicy::OFF)
            .map_err(std::io::Error::other)?;
    threads.push(std::thread::Builder::new().name("interrupts".into()).spawn(move || {
        while !cpu.stopping() {
            let Ok(callback) = rx.recv_timeout(WAIT_SLICE) else { continue };
            run(&cpu, callback);
            if callback.source == SOURCE_AUDIO {
                let msg = ToAudio::CallbackDone { client: callback.client }.encode();
                let _ = done.send(msg, Duration::from_millis(100));
            }
        }
    })?);
    Ok(threads)
}

/// Runs one callback to its return on the interrupt context.
fn run(cpu: &Arc<Cpu>, callback: GuestCallback) {
    let context = cpu.memory.control();
    let context = context.interrupt_context();
    if context.ready.load(Ordering::SeqCst) == 0 {
        return;
    }
    let thread = context.thread.load(Ordering::SeqCst);
    let mut state = ThreadState { pc: callback.routine, lr: THREAD_RETURN_ADDRESS as u64, ..ThreadState::default() };
    state.gpr[1] = context.stack_pointer.load(Ordering::SeqCst) as u64;
    state.gpr[3] = callback.args[0] as u64;
    state.gpr[4] = callback.args[1] as u64;
    state.gpr[13] = context.pcr.load(Ordering::SeqCst) as u64;
    let mut interp = Interpreter::new(state);
    let mut bus = RuntimeBus::new(cpu.clone(), thread, cpu.link.control(thread));
    let machine =
        Machine { memory: &cpu.memory, code: &cpu.code, reservations: &cpu.reservations, probes: &cpu.probes };
    let limits = Limits { budget: CALLBACK_BUDGET, stop_at: Some(THREAD_RETURN_ADDRESS) };
    match interp.run(machine, &mut bus, limits) {
        Ok(RunExit::ReachedStop) | Ok(RunExit::Stopped) => {}
        Ok(RunExit::BudgetSpent) => {
            tracing::warn!(
                "interrupt-time callback {:#010x} ran {CALLBACK_BUDGET} instructions; dropped",
                callback.routine
            )
        }
        Err(fault) => {
            let report = format!(
                "guest fault in an interrupt-time callback ({:#010x}):\n{fault}\nrecent kernel calls (oldest first):\n{}",
                callback.routine,
                bus.recent_calls()
            );
            let _ = cpu.supervisor.send(ChildMessage::GuestFault { report });
        }
    }
}
