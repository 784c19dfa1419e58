//! The kernel's event loop: takes calls and thread reports off the kernel
//! ring, dispatches each call through the export table, expires waits and
//! timers, sends returns and thread commands back, and tells the supervisor
//! when the title ends or every guest thread is stuck.

use crate::audio::ToAudio as ToAudioKernel;
use crate::dispatch::{Call, Outcome};
use crate::exports::{self, EXPORTS};
use crate::kernel::Kernel;
use crate::loader::{self, ExportRef};
use crate::ob::{HandleEvent, ObjectType};
use crate::status::NtStatus;
use crate::{threading, variables};
use ipc_channel::ipc::IpcSender;
use shared::ipc::audio::{AudioMessage, ToAudio};
use shared::ipc::control::ChildMessage;
use shared::ipc::kernel::{Frame, ToCpu, ToKernel};
use shared::ipc::ring::{self, RingError, RingId, RingReceiver, RingSender, SpinPolicy};
use shared::memory::control::GuestTime;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Longest sleep of the loop when nothing is due (it also refreshes
/// `KeTimeStampBundle` and checks for shutdown this often).
const IDLE: Duration = Duration::from_millis(10);
/// How long a message for audio-proc may wait for room.
const AUDIO_SEND_TIMEOUT: Duration = Duration::from_millis(20);
/// Idle turns in a row with every thread blocked before a deadlock is reported.
const DEADLOCK_TURNS: u32 = 20;

/// The kernel's ends of the cpu ⇄ kernel rings.
pub struct Link {
    calls: RingReceiver<Frame>,
    replies: RingSender<Frame>,
    /// Render-driver clients and frames for audio-proc.
    audio: RingSender<AudioMessage>,
    /// A guest thread faulted: cpu-proc has reported it to the supervisor,
    /// so the title's end that follows is not reported a second time.
    fault_reported: bool,
}

impl Link {
    pub fn attach(memory: &shared::memory::GuestMemory, spin: SpinPolicy) -> Result<Link, RingError> {
        Ok(Link {
            calls: ring::receiver(memory, RingId::KernelCall, spin)?,
            replies: ring::sender(memory, RingId::KernelReply, spin)?,
            audio: ring::sender(memory, RingId::KernelToAudio, SpinPolicy::OFF)?,
            fault_reported: false,
        })
    }
}

/// Runs the loop until `stop` is set or the title ends.
///
/// Under `--deterministic` the kernel acts only on what cpu-proc sends:
/// timers fire and waits time out while it handles a message (guest time
/// stands still then, since the one running guest thread waits for the
/// answer), never on a host timer; a call that parks its thread is answered
/// with [`ToCpu::Blocked`] so cpu-proc can hand the baton on; and after each
/// turn the next deadline is published for cpu-proc's idle fast-forward.
pub fn serve(kernel: &mut Kernel, link: &mut Link, stop: &AtomicBool, supervisor: &IpcSender<ChildMessage>) {
    let deterministic = kernel.clock.is_deterministic();
    let mut idle_turns = 0;
    while !stop.load(Ordering::Relaxed) {
        let now = kernel.clock.elapsed();
        let wait = if deterministic {
            IDLE
        } else {
            threading::next_deadline(kernel).map_or(IDLE, |due| due.saturating_sub(now)).min(IDLE)
        };
        let mut busy = false;
        // Deterministic: whether the last message came from a sender that
        // waits for the answer, so guest time stands still until it is sent.
        let mut sender_waits = false;
        if let Ok(frame) = link.calls.recv(wait) {
            sender_waits = handle(kernel, link, &frame);
            busy = true;
            while let Some(frame) = link.calls.try_recv() {
                sender_waits = handle(kernel, link, &frame);
            }
        }
        if sender_waits || !deterministic {
            kernel.clock.freeze();
            threading::expire(kernel);
            kernel.clock.thaw();
            release_destroyed(kernel);
            variables::tick(kernel);
        }
        if deterministic && sender_waits {
            finish_deterministic_turn(kernel);
        }
        busy |= !kernel.outbox.is_empty();
        if kernel.title_exit.is_some() {
            kernel.memory.control().guest_time().stopped.store(1, std::sync::atomic::Ordering::SeqCst);
        }
        flush(kernel, link, stop);
        if let Some(report) = kernel.fatal.take() {
            let _ = supervisor.send(ChildMessage::GuestFault { report });
            return;
        }
        if let Some(code) = kernel.title_exit {
            if !link.fault_reported {
                tracing::info!("title ended with exit code {code}");
                let _ = supervisor.send(ChildMessage::TitleExited { code });
            }
            return;
        }
        idle_turns = if busy { 0 } else { idle_turns + 1 };
        // Interrupt-time code the title registered can still wake a thread.
        let callbacks =
            kernel.memory.control().gpu_state().interrupt_callback.load(std::sync::atomic::Ordering::Relaxed) != 0
                || kernel.audio.clients.iter().any(Option::is_some);
        if idle_turns >= DEADLOCK_TURNS && !callbacks {
            if let Some(report) = threading::deadlock_report(kernel) {
                let _ = supervisor.send(ChildMessage::Deadlock { report });
                return;
            }
            idle_turns = 0;
        }
    }
}

/// The end of a deterministic turn: [`ToCpu::Blocked`] for each thread a
/// call parked (unless something for it is already going out), the next
/// deadline for cpu-proc, then [`ToCpu::Synced`] if it was asked for.
fn finish_deterministic_turn(kernel: &mut Kernel) {
    for thread in std::mem::take(&mut kernel.parked) {
        if !kernel.outbox.iter().any(|msg| msg.thread() == Some(thread)) {
            kernel.outbox.push(ToCpu::Blocked { thread });
        }
    }
    let next = threading::next_deadline(kernel).map_or(u64::MAX, GuestTime::ticks_of);
    kernel.memory.control().guest_time().next_deadline.store(next, Ordering::SeqCst);
    if std::mem::take(&mut kernel.sync_requested) {
        kernel.outbox.push(ToCpu::Synced);
    }
}

/// Hands objects whose last reference went to the subsystem that owns
/// their host state (open files, XAM enumerators and listeners).
fn release_destroyed(kernel: &mut Kernel) {
    for (ty, id, _) in kernel.objects.take_destroyed() {
        match ty {
            ObjectType::File | ObjectType::SymbolicLink => kernel.io.forget(id),
            ObjectType::Other => kernel.xam.forget(id),
            _ => {}
        }
    }
}

fn flush(kernel: &mut Kernel, link: &mut Link, stop: &AtomicBool) {
    // Frames reach audio-proc before the submitting callback can return.
    for msg in kernel.audio.outbox.drain(..) {
        let shared = match msg {
            ToAudioKernel::Register { client, callback, argument } => ToAudio::Register { client, callback, argument },
            ToAudioKernel::Unregister { client } => ToAudio::Unregister { client },
            ToAudioKernel::Submit { client, frame } => ToAudio::Submit { client, frame },
        };
        // A dead or restarting audio-proc must not stall the kernel: the
        // frame is dropped after a short wait (the driver plays silence).
        // The guest clock stands still while the kernel answers a call.
        let stamp = kernel.memory.control().guest_time().ticks.load(Ordering::SeqCst);
        if link.audio.send(shared.encode(stamp), AUDIO_SEND_TIMEOUT).is_ok() {
            kernel.memory.control().audio_state().messages_sent.fetch_add(1, Ordering::SeqCst);
        } else {
            tracing::debug!("audio-proc is not taking messages; dropped {shared:?}");
        }
    }
    if let Some(trace) = kernel.trace.as_mut() {
        for msg in &kernel.outbox {
            if let ToCpu::Return { thread, r3, .. } = *msg {
                trace.returned(thread, r3);
            }
        }
    }
    for msg in kernel.outbox.drain(..) {
        let frame = msg.encode();
        while let Err(RingError::Timeout(_)) = link.replies.send(frame, IDLE) {
            if stop.load(Ordering::Relaxed) {
                return;
            }
        }
    }
}

/// Handles one frame from cpu-proc, at one instant of guest time. True
/// when its sender waits for an answer (a call, a sync).
fn handle(kernel: &mut Kernel, link: &mut Link, frame: &Frame) -> bool {
    kernel.clock.freeze();
    handle_frame(kernel, link, frame);
    kernel.clock.thaw();
    matches!(frame.kind, ToKernel::CALL_KIND | ToKernel::SYNC_KIND)
}

fn handle_frame(kernel: &mut Kernel, link: &mut Link, frame: &Frame) {
    match ToKernel::decode(frame) {
        Ok(ToKernel::Call { thread, export, args }) => call(kernel, Call { thread, export, args }),
        Ok(ToKernel::ThreadReturned { thread, code }) => threading::thread_returned(kernel, thread, code),
        Ok(ToKernel::PcHit { thread, pc, gpr, lr }) => {
            if let Some(trace) = kernel.trace.as_mut() {
                let regs: Vec<String> = gpr.iter().map(|&r| format!("{r:#018x}")).collect();
                trace.event(
                    thread,
                    "pc.hit",
                    serde_json::json!({"pc": format!("{pc:#010x}"), "r3_r10": regs, "lr": format!("{lr:#018x}")}),
                );
            }
        }
        Ok(ToKernel::Sync) => kernel.sync_requested = true,
        Ok(ToKernel::ThreadFaulted { thread }) => {
            tracing::debug!("guest thread {thread} stopped on a fault");
            link.fault_reported = true;
            threading::thread_faulted(kernel, thread);
        }
        Err(err) => tracing::error!("{err}"),
    }
}

/// Dispatches one kernel call and queues its result.
pub fn call(kernel: &mut Kernel, call: Call) {
    // The hooks are one untaken branch each in the plain kernel; their work
    // lives out of line so the plain path stays as small as `dispatch`.
    if kernel.trace.is_some() {
        trace_call(kernel, &call);
    }
    dispatch(kernel, call);
    if kernel.objects.events.is_some() {
        trace_handle_events(kernel, call.thread);
    }
}

#[cold]
#[inline(never)]
fn trace_call(kernel: &mut Kernel, call: &Call) {
    let Some(trace) = kernel.trace.as_mut() else { return };
    let (name, module, ordinal) = match loader::resolve(call.export) {
        ExportRef::Known(i) if i < EXPORTS.len() => {
            (EXPORTS[i].name, EXPORTS[i].module.library_name(), EXPORTS[i].ordinal)
        }
        _ => ("unknown", "unknown", (call.export & 0xFFFF) as u16),
    };
    trace.call(call.thread, name, module, ordinal, &call.args.gpr);
}

/// Turns the object manager's handle events into log events of `thread`.
#[cold]
#[inline(never)]
fn trace_handle_events(kernel: &mut Kernel, thread: u32) {
    let Some(events) = kernel.objects.events.as_mut().map(std::mem::take) else { return };
    for event in events {
        match event {
            HandleEvent::Created { handle, id } => {
                let (body, ty, name) = match kernel.objects.get(id) {
                    Some(o) => (o.body.0, format!("{:?}", o.ty).to_lowercase(), o.name.clone()),
                    None => (0, "unknown".into(), None),
                };
                if let Some(trace) = kernel.trace.as_mut() {
                    trace.handle_created(thread, handle, body, &ty, name.as_deref());
                }
            }
            HandleEvent::Destroyed { handle, prior_refcount } => {
                if let Some(trace) = kernel.trace.as_mut() {
                    trace.handle_destroyed(thread, handle, prior_refcount);
                }
            }
        }
    }
}

/// Runs the export's handler and queues its outcome: [`call`] without the
/// event hooks. Not inlined: one copy serves the plain and the traced
/// path, and `xenact bench instrumentation` compares like with like.
#[inline(never)]
pub fn dispatch(kernel: &mut Kernel, call: Call) {
    let outcome = match loader::resolve(call.export) {
        ExportRef::Known(index) => match EXPORTS.get(index) {
            Some(export) => match export.handler {
                Some(handler) => handler(kernel, &call),
                None => {
                    if kernel.first_unimplemented_call(call.export) {
                        tracing::warn!(
                            "unimplemented export {}!{} (ordinal {:#x}) called from {:#010x}; returning STATUS_NOT_IMPLEMENTED",
                            export.module.library_name(),
                            export.name,
                            export.ordinal,
                            call.args.lr
                        );
                    }
                    Outcome::Unimplemented
                }
            },
            None => {
                tracing::error!("kernel call with export id {index}, past the export table");
                Outcome::Unimplemented
            }
        },
        ExportRef::Unknown { library, ordinal } => {
            if kernel.first_unimplemented_call(call.export) {
                let library =
                    exports::Module::ALL.get(library as usize).map_or("an unknown library", |m| m.library_name());
                tracing::warn!("title called ordinal {ordinal:#x} of {library}, which the export table does not list");
            }
            Outcome::Unimplemented
        }
    };
    match outcome {
        Outcome::Return { r3, r4 } => kernel.outbox.push(ToCpu::Return { thread: call.thread, r3, r4 }),
        Outcome::Pending => {
            if kernel.clock.is_deterministic() {
                kernel.parked.push(call.thread);
            }
        }
        // The export has done the bookkeeping (exit code, waiters, the end
        // of the title for the main thread); cpu-proc ends the host thread.
        Outcome::ExitThread(_) => kernel.outbox.push(ToCpu::Terminate { thread: call.thread }),
        Outcome::TerminateTitle(code) => {
            kernel.title_exit.get_or_insert(code);
        }
        Outcome::Unimplemented => {
            kernel.outbox.push(ToCpu::Return { thread: call.thread, r3: NtStatus::NOT_IMPLEMENTED.0 as u64, r4: 0 })
        }
    }
}
