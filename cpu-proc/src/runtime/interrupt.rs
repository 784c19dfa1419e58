//! Interrupt-time guest code: the graphics interrupt callback (from
//! gpu-proc) and render-driver callbacks (from audio-proc) run here, one at
//! a time, on the interrupt context the kernel published (a guest thread of
//! its own that is never scheduled, with its PCR and stack), as the console
//! runs them outside any title thread.
//!
//! Normally a runner thread takes them as they arrive ([`start`]). Under
//! `--deterministic` the scheduler's keeper runs them at switch points
//! ([`InterruptSources`]), and the vblank interrupt comes from the guest
//! clock here rather than from gpu-proc's host timer.

use super::bus::RuntimeBus;
use super::link::WAIT_SLICE;
use super::Cpu;
use crate::ppc::{Interpreter, Limits, Machine, RunExit, ThreadState};
use shared::ipc::audio::AudioMessage;
use shared::ipc::audio::ToAudio;
use shared::ipc::control::ChildMessage;
use shared::ipc::interrupt::{GuestCallback, SOURCE_AUDIO, SOURCE_GRAPHICS};
use shared::ipc::kernel::THREAD_RETURN_ADDRESS;
use shared::ipc::ring::{self, RingId, RingReceiver, RingSender, SpinPolicy};
use shared::memory::control::GuestTime;
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
    let mut done = ring::sender::<AudioMessage>(&cpu.memory, RingId::AudioCallbackDone, SpinPolicy::OFF)
        .map_err(std::io::Error::other)?;
    threads.push(std::thread::Builder::new().name("interrupts".into()).spawn(move || {
        while !cpu.stopping() {
            let Ok(callback) = rx.recv_timeout(WAIT_SLICE) else { continue };
            run(&cpu, callback);
            if callback.source == SOURCE_AUDIO {
                report_audio_done(&cpu, &mut done, callback.client);
            }
        }
    })?);
    Ok(threads)
}

/// Ticks between vblanks of the deterministic guest clock (60 Hz).
pub const VBLANK_TICKS: u64 = GuestTime::TICKS_PER_SECOND / 60;
/// The graphics interrupt source number of vblank (r3 of the callback).
const VBLANK_SOURCE: u32 = 0;
/// How long a switch point waits for audio-proc to render the frames the
/// guest clock has passed (a dead or restarting audio-proc must not hang
/// the guest; its callbacks then come late and the run is no longer
/// reproducible).
const AUDIO_WAIT: Duration = Duration::from_secs(2);

/// Where interrupt-time work comes from under `--deterministic`.
pub struct InterruptSources {
    gpu: RingReceiver<GuestCallback>,
    audio: RingReceiver<GuestCallback>,
    done: RingSender<AudioMessage>,
    /// Tick of the next vblank.
    next_vblank: u64,
    audio_late_reported: bool,
}

impl InterruptSources {
    pub fn attach(cpu: &Cpu) -> std::io::Result<InterruptSources> {
        let receiver = |id| ring::receiver::<GuestCallback>(&cpu.memory, id, SpinPolicy::OFF);
        Ok(InterruptSources {
            gpu: receiver(RingId::GpuInterrupt).map_err(std::io::Error::other)?,
            audio: receiver(RingId::AudioCallback).map_err(std::io::Error::other)?,
            done: ring::sender(&cpu.memory, RingId::AudioCallbackDone, SpinPolicy::OFF)
                .map_err(std::io::Error::other)?,
            next_vblank: VBLANK_TICKS,
            audio_late_reported: false,
        })
    }

    /// Raises the vblanks the guest clock has passed, waits for audio-proc
    /// to catch up with it, and runs every callback pending.
    pub fn service(&mut self, cpu: &Arc<Cpu>) {
        let control = cpu.memory.control();
        let ticks = control.guest_time().ticks.load(Ordering::SeqCst);
        let gpu = control.gpu_state();
        while ticks >= self.next_vblank {
            self.next_vblank += VBLANK_TICKS;
            gpu.vblank_count.fetch_add(1, Ordering::SeqCst);
            let routine = gpu.interrupt_callback.load(Ordering::Acquire);
            if routine != 0 {
                let user_data = gpu.interrupt_user_data.load(Ordering::Acquire);
                let args = [VBLANK_SOURCE, user_data];
                run(cpu, GuestCallback { source: SOURCE_GRAPHICS, routine, args, client: 0, _reserved: 0 });
            }
        }
        while let Some(callback) = self.gpu.try_recv() {
            run(cpu, callback);
        }
        if audio_clients(cpu) {
            self.wait_for_audio(cpu, ticks);
        }
        while let Some(callback) = self.audio.try_recv() {
            run(cpu, callback);
            report_audio_done(cpu, &mut self.done, callback.client);
        }
    }

    /// Waits until audio-proc has rendered every frame that ended by `ticks`
    /// (its callback requests are on their ring before it counts a frame).
    fn wait_for_audio(&mut self, cpu: &Cpu, ticks: u64) {
        let due = shared::ipc::audio::frames_in(GuestTime::duration_of(ticks));
        let rendered = &cpu.memory.control().audio_state().frames_requested;
        let deadline = std::time::Instant::now() + AUDIO_WAIT;
        while rendered.load(Ordering::SeqCst) < due && !cpu.stopping() {
            if std::time::Instant::now() > deadline {
                if !std::mem::replace(&mut self.audio_late_reported, true) {
                    tracing::warn!(
                        "audio-proc is behind the guest clock; audio callbacks no longer come at reproducible points"
                    );
                }
                return;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    /// The tick of the next interrupt a registered callback would see
    /// (`u64::MAX`: none), for the idle fast-forward.
    pub fn next_event(&self, cpu: &Cpu) -> u64 {
        let control = cpu.memory.control();
        let mut next = u64::MAX;
        if control.gpu_state().interrupt_callback.load(Ordering::Acquire) != 0 {
            next = self.next_vblank;
        }
        if audio_clients(cpu) {
            let ticks = control.guest_time().ticks.load(Ordering::SeqCst);
            let frame = shared::ipc::audio::frames_in(GuestTime::duration_of(ticks));
            next = next.min(GuestTime::ticks_of(shared::ipc::audio::end_of_frame(frame)));
        }
        next
    }
}

/// Tells audio-proc that `client`'s callback returned, counting the message
/// among those sent to it.
fn report_audio_done(cpu: &Cpu, done: &mut RingSender<AudioMessage>, client: u32) {
    let stamp = cpu.memory.control().guest_time().ticks.load(Ordering::SeqCst);
    let msg = ToAudio::CallbackDone { client }.encode(stamp);
    if done.send(msg, Duration::from_millis(100)).is_ok() {
        cpu.memory.control().audio_state().messages_sent.fetch_add(1, Ordering::SeqCst);
    }
}

/// Whether any render-driver client is registered (as the kernel sees it,
/// which is settled when the registering call returns).
fn audio_clients(cpu: &Cpu) -> bool {
    cpu.memory.control().audio_state().registered.load(Ordering::SeqCst) != 0
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
    let mut bus = RuntimeBus::for_interrupts(cpu.clone(), thread, cpu.link.control(thread));
    let machine =
        Machine { memory: &cpu.memory, code: &cpu.code, reservations: &cpu.reservations, probes: &cpu.probes };
    let limits = Limits { budget: CALLBACK_BUDGET, stop_at: Some(THREAD_RETURN_ADDRESS) };
    bus.begin_run();
    let exit = interp.run(machine, &mut bus, limits);
    bus.end_run(interp.retired);
    match exit {
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
