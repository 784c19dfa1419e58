//! Takes doorbells off the cpu → gpu ring and runs the command processor
//! up to the new write pointer; its effects go out from here (interrupts
//! to the CPU, swapped frames to the presenter).

use crate::cp::{CommandProcessor, Effect, RunOutcome};
use crate::interrupts::{Interrupts, SOURCE_COMMAND_PROCESSOR};
use crate::present::{Frame, Presenter};
use shared::ipc::gpu::Doorbell;
use shared::ipc::ring::{self, RingError, SpinPolicy};
use shared::memory::GuestMemory;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the command processor looks again without a doorbell (a
/// `WAIT_REG_MEM` that yielded, a write pointer set before a restart).
const POLL: Duration = Duration::from_millis(10);

pub struct DoorbellListener {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl DoorbellListener {
    pub fn start(
        memory: Arc<GuestMemory>,
        spin: SpinPolicy,
        interrupts: Interrupts,
        rendering: bool,
        presenter: Option<Presenter>,
    ) -> Result<DoorbellListener, RingError> {
        let mut bells = ring::receiver::<Doorbell>(&memory, ring::RingId::GpuDoorbell, spin)?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("doorbell".into())
            .spawn(move || {
                let mut cp = CommandProcessor::new(memory.clone());
                cp.set_rendering(rendering);
                let gpu = memory.control().gpu_state();
                let mut frame_errors = std::collections::HashSet::new();
                while !flag.load(Ordering::Relaxed) {
                    if bells.recv(POLL).is_ok() {
                        gpu.doorbells.fetch_add(1, Ordering::SeqCst);
                        while bells.try_recv().is_some() {
                            gpu.doorbells.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    loop {
                        let outcome = cp.run();
                        for effect in cp.take_effects() {
                            match effect {
                                Effect::Interrupt { .. } => interrupts.raise(SOURCE_COMMAND_PROCESSOR),
                                Effect::Swap(swap) => {
                                    let Some(presenter) = &presenter else { continue };
                                    match Frame::capture(&memory, &swap) {
                                        Ok(frame) => presenter.submit(frame),
                                        Err(err) => {
                                            if frame_errors.len() < 16 && frame_errors.insert(err.to_string()) {
                                                tracing::warn!("swap {}: {err}; frame not shown", swap.count);
                                            }
                                        }
                                    }
                                }
                                Effect::Draw(_) | Effect::ShaderLoad { .. } => {}
                            }
                        }
                        if !matches!(outcome, RunOutcome::Budget | RunOutcome::Swapped) {
                            break;
                        }
                    }
                    // Every doorbell taken so far is dealt with (cpu-proc waits
                    // for this under --deterministic).
                    gpu.doorbells_done.store(gpu.doorbells.load(Ordering::SeqCst), Ordering::SeqCst);
                }
                if let Some(presenter) = presenter {
                    presenter.stop();
                }
            })
            .expect("spawning the doorbell thread");
        Ok(DoorbellListener { stop, thread })
    }

    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
    }
}
