//! APCs and DPCs: guest callbacks the kernel asks cpu-proc to run on a
//! thread that is parked in a kernel call (`ToCpu::Apc`, which runs before
//! that call returns).
//!
//! - User-mode APCs (`NtQueueApcThread`, timer completion routines, I/O
//!   completion through [`queue_user_apc`], user-mode `KeInsertQueueApc`)
//!   wait in the thread's queue until it waits alertably; then all run and
//!   the wait returns `STATUS_USER_APC`.
//! - Kernel-mode APCs (`KeInsertQueueApc` with `KernelMode`) and DPCs
//!   (`KeInsertQueueDpc`, timers with a DPC) run as soon as a thread is
//!   parked in a wait, alertable or not, and the wait goes on afterwards. A
//!   DPC has no thread of its own on this emulator: it runs on the oldest
//!   waiting thread, or on the next thread that begins a wait. (DPCs run at
//!   DISPATCH_LEVEL on the console and may not block, so any host thread is
//!   as good as another.)
//!
//! The link carries three arguments: a normal routine gets
//! `(NormalContext, SystemArgument1, SystemArgument2)` exactly; a DPC routine
//! gets `(Dpc, DeferredContext, SystemArgument1)` and its fourth argument
//! (`SystemArgument2`) is not passed. An APC's `KernelRoutine` (five
//! pointer arguments) is not called; its normal routine is.
//!
//! `KAPC` (0x28 bytes, xenia `XAPC`): type u8 0x0 (18), processor mode u8
//! 0x2, inserted u8 0x3, thread 0x4, list entry 0x8, kernel routine 0x10,
//! rundown routine 0x14, normal routine 0x18, normal context 0x1C, system
//! arguments 0x20 and 0x24. `KDPC` (0x1C bytes, xenia `XDPC`): type word 0x0
//! (type 19 in the top byte), list entry 0x4, routine 0xC, context 0x10,
//! system arguments 0x14 and 0x18.

use super::{thread::RunState, wait};
use crate::dispatch::{Call, Outcome};
use crate::kernel::Kernel;
use crate::ob::{resolve_typed, ObjectType};
use crate::status::NtStatus;
use shared::ipc::kernel::{GuestThreadId, ToCpu};
use shared::memory::VirtAddr;

const APC_TYPE: u32 = 18;
const APC_MODE: u32 = 0x2;
const APC_INSERTED: u32 = 0x3;
const APC_THREAD: u32 = 0x4;
const APC_KERNEL_ROUTINE: u32 = 0x10;
const APC_RUNDOWN_ROUTINE: u32 = 0x14;
const APC_NORMAL_ROUTINE: u32 = 0x18;
const APC_NORMAL_CONTEXT: u32 = 0x1C;
const APC_ARG1: u32 = 0x20;
const APC_ARG2: u32 = 0x24;

const DPC_TYPE: u32 = 19;
const DPC_ROUTINE: u32 = 0xC;
const DPC_CONTEXT: u32 = 0x10;
const DPC_ARG1: u32 = 0x14;
const DPC_ARG2: u32 = 0x18;

/// `KernelMode` in `KPROCESSOR_MODE`.
const KERNEL_MODE: u8 = 0;

/// A guest callback waiting to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Callback {
    pub routine: u32,
    pub args: [u32; 3],
    /// The guest `KAPC`/`KDPC` it came from (its inserted state is cleared
    /// when it runs or is removed).
    pub source: Option<VirtAddr>,
}

fn push(kernel: &mut Kernel, thread: GuestThreadId, cb: Callback, dpc: bool) {
    if let Some(src) = cb.source {
        if dpc {
            let _ = kernel.memory.write_u32(src.add(4), 0);
        } else {
            let _ = kernel.memory.write_u8(src.add(APC_INSERTED), 0);
        }
    }
    kernel.outbox.push(ToCpu::Apc { thread, routine: cb.routine, args: cb.args });
}

/// Runs every queued user APC of `thread` (it is parked in a call);
/// whether there were any.
pub fn deliver_user_apcs(kernel: &mut Kernel, thread: GuestThreadId) -> bool {
    let Some(t) = kernel.threads.get_mut(thread) else { return false };
    let queued: Vec<Callback> = t.user_apcs.drain(..).collect();
    for cb in &queued {
        push(kernel, thread, *cb, false);
    }
    !queued.is_empty()
}

/// Runs pending DPCs and `thread`'s kernel-mode APCs on `thread` (parked in
/// a call); whether there were any.
pub fn deliver_dpcs(kernel: &mut Kernel, thread: GuestThreadId) -> bool {
    let mut any = false;
    if let Some(t) = kernel.threads.get_mut(thread) {
        let queued: Vec<Callback> = t.kernel_apcs.drain(..).collect();
        for cb in queued {
            push(kernel, thread, cb, false);
            any = true;
        }
    }
    while let Some(cb) = kernel.threads.pending_dpcs.pop_front() {
        push(kernel, thread, cb, true);
        any = true;
    }
    any
}

/// Queues a user-mode APC `routine(args…)` for `thread`; it runs when the
/// thread next waits alertably (at once if it is waiting alertably now).
pub fn queue_user_apc(kernel: &mut Kernel, thread: GuestThreadId, routine: u32, args: [u32; 3]) {
    queue(kernel, thread, Callback { routine, args, source: None }, false);
}

fn queue(kernel: &mut Kernel, thread: GuestThreadId, cb: Callback, kernel_mode: bool) {
    let Some(t) = kernel.threads.get_mut(thread) else { return };
    if !t.is_alive() {
        return;
    }
    if kernel_mode {
        t.kernel_apcs.push_back(cb);
        if t.wait().is_some() {
            deliver_dpcs(kernel, thread);
        }
        return;
    }
    t.user_apcs.push_back(cb);
    if t.wait().is_some_and(|w| w.alertable) {
        deliver_user_apcs(kernel, thread);
        wait::complete(kernel, thread, NtStatus::USER_APC, false);
    }
}

/// Queues a DPC callback and runs it at once if some thread is waiting.
pub fn queue_dpc(kernel: &mut Kernel, cb: Callback) {
    kernel.threads.pending_dpcs.push_back(cb);
    let oldest = kernel
        .threads
        .iter()
        .filter_map(|t| match &t.state {
            RunState::Waiting(w) => Some((w.seq(), t.id)),
            _ => None,
        })
        .min();
    if let Some((_, id)) = oldest {
        deliver_dpcs(kernel, id);
    }
}

/// `NtQueueApcThread(Thread, ApcRoutine, ApcContext, Argument1, Argument2)`:
/// a user APC `ApcRoutine(ApcContext, Argument1, Argument2)`.
pub fn nt_queue_apc_thread(
    kernel: &mut Kernel,
    handle: u32,
    routine: u32,
    context: u32,
    arg1: u32,
    arg2: u32,
    call: Call,
) -> NtStatus {
    if routine == 0 {
        return NtStatus::INVALID_PARAMETER;
    }
    let thread = resolve_typed(kernel, handle, call.thread, ObjectType::Thread)
        .ok()
        .and_then(|id| kernel.objects.get(id))
        .and_then(|o| kernel.threads.by_kthread(o.body));
    let Some(thread) = thread else { return NtStatus::INVALID_HANDLE };
    queue_user_apc(kernel, thread, routine, [context, arg1, arg2]);
    NtStatus::SUCCESS
}

/// `KeInitializeApc(Apc, Thread, KernelRoutine, RundownRoutine,
/// NormalRoutine, ProcessorMode, NormalContext)`.
#[allow(clippy::too_many_arguments)]
pub fn ke_initialize_apc(
    kernel: &mut Kernel,
    apc: VirtAddr,
    thread: u32,
    kernel_routine: u32,
    rundown_routine: u32,
    normal_routine: u32,
    mode: u32,
    normal_context: u32,
) {
    let m = &kernel.memory;
    let _ = m.fill(apc, 0x28, 0);
    let _ = m.write_u8(apc, APC_TYPE as u8);
    let _ = m.write_u8(apc.add(APC_MODE), mode as u8);
    let _ = m.write_u32(apc.add(APC_THREAD), thread);
    let _ = m.write_u32(apc.add(APC_KERNEL_ROUTINE), kernel_routine);
    let _ = m.write_u32(apc.add(APC_RUNDOWN_ROUTINE), rundown_routine);
    let _ = m.write_u32(apc.add(APC_NORMAL_ROUTINE), normal_routine);
    let _ = m.write_u32(apc.add(APC_NORMAL_CONTEXT), if normal_routine != 0 { normal_context } else { 0 });
}

/// `KeInsertQueueApc(Apc, SystemArgument1, SystemArgument2, Increment)`:
/// false if it is already queued or its thread has ended.
pub fn ke_insert_queue_apc(kernel: &mut Kernel, apc: VirtAddr, arg1: u32, arg2: u32, _increment: u32) -> bool {
    let m = &kernel.memory;
    if m.read_u8(apc.add(APC_INSERTED)).unwrap_or(1) != 0 {
        return false;
    }
    let kthread = VirtAddr(m.read_u32(apc.add(APC_THREAD)).unwrap_or(0));
    let Some(thread) =
        kernel.threads.by_kthread(kthread).filter(|&t| kernel.threads.get(t).is_some_and(|t| t.is_alive()))
    else {
        return false;
    };
    let _ = m.write_u32(apc.add(APC_ARG1), arg1);
    let _ = m.write_u32(apc.add(APC_ARG2), arg2);
    let routine = m.read_u32(apc.add(APC_NORMAL_ROUTINE)).unwrap_or(0);
    if routine == 0 {
        tracing::warn!(apc = %apc, "APC without a normal routine; its kernel routine is not run");
        return true;
    }
    let context = m.read_u32(apc.add(APC_NORMAL_CONTEXT)).unwrap_or(0);
    let kernel_mode = m.read_u8(apc.add(APC_MODE)).unwrap_or(1) == KERNEL_MODE;
    let _ = m.write_u8(apc.add(APC_INSERTED), 1);
    queue(kernel, thread, Callback { routine, args: [context, arg1, arg2], source: Some(apc) }, kernel_mode);
    true
}

/// `KeRemoveQueueApc(Apc)`: true if it was queued and is no longer.
pub fn ke_remove_queue_apc(kernel: &mut Kernel, apc: VirtAddr) -> bool {
    let kthread = VirtAddr(kernel.memory.read_u32(apc.add(APC_THREAD)).unwrap_or(0));
    let Some(t) = kernel.threads.by_kthread(kthread).and_then(|id| kernel.threads.get_mut(id)) else { return false };
    let before = t.user_apcs.len() + t.kernel_apcs.len();
    t.user_apcs.retain(|cb| cb.source != Some(apc));
    t.kernel_apcs.retain(|cb| cb.source != Some(apc));
    let removed = t.user_apcs.len() + t.kernel_apcs.len() < before;
    if removed {
        let _ = kernel.memory.write_u8(apc.add(APC_INSERTED), 0);
    }
    removed
}

/// `KeTestAlertThread(AlertMode)`: runs pending user APCs of the caller;
/// whether there were any.
pub fn ke_test_alert_thread(kernel: &mut Kernel, _mode: u32, call: Call) -> Outcome {
    if deliver_user_apcs(kernel, call.thread) {
        kernel.outbox.push(ToCpu::Return { thread: call.thread, r3: 1, r4: 0 });
        Outcome::Pending
    } else {
        Outcome::value(0)
    }
}

/// `KeInitializeDpc(Dpc, DeferredRoutine, DeferredContext)`.
pub fn ke_initialize_dpc(kernel: &mut Kernel, dpc: VirtAddr, routine: u32, context: u32) {
    let m = &kernel.memory;
    let _ = m.fill(dpc, 0x1C, 0);
    let _ = m.write_u32(dpc, DPC_TYPE << 24);
    let _ = m.write_u32(dpc.add(DPC_ROUTINE), routine);
    let _ = m.write_u32(dpc.add(DPC_CONTEXT), context);
}

fn dpc_queued(kernel: &Kernel, dpc: VirtAddr) -> bool {
    kernel.threads.pending_dpcs.iter().any(|cb| cb.source == Some(dpc))
}

/// The callback a `KDPC` stands for, with its system arguments.
pub fn dpc_callback(kernel: &Kernel, dpc: VirtAddr, arg1: u32, arg2: u32) -> Callback {
    let m = &kernel.memory;
    let _ = m.write_u32(dpc.add(DPC_ARG1), arg1);
    let _ = m.write_u32(dpc.add(DPC_ARG2), arg2);
    let _ = m.write_u32(dpc.add(4), dpc.0 + 4);
    let routine = m.read_u32(dpc.add(DPC_ROUTINE)).unwrap_or(0);
    let context = m.read_u32(dpc.add(DPC_CONTEXT)).unwrap_or(0);
    Callback { routine, args: [dpc.0, context, arg1], source: Some(dpc) }
}

/// `KeInsertQueueDpc(Dpc, SystemArgument1, SystemArgument2)`: false if
/// it is already queued.
pub fn ke_insert_queue_dpc(kernel: &mut Kernel, dpc: VirtAddr, arg1: u32, arg2: u32) -> bool {
    if dpc_queued(kernel, dpc) {
        return false;
    }
    let cb = dpc_callback(kernel, dpc, arg1, arg2);
    queue_dpc(kernel, cb);
    true
}

/// `KeRemoveQueueDpc(Dpc)`: true if it was queued and is no longer.
pub fn ke_remove_queue_dpc(kernel: &mut Kernel, dpc: VirtAddr) -> bool {
    let before = kernel.threads.pending_dpcs.len();
    kernel.threads.pending_dpcs.retain(|cb| cb.source != Some(dpc));
    let removed = kernel.threads.pending_dpcs.len() < before;
    if removed {
        let _ = kernel.memory.write_u32(dpc.add(4), 0);
    }
    removed
}

/// `KiApcNormalRoutineNop(NormalContext, SystemArgument1)`: the normal
/// routine that does nothing, for APCs queued only for their kernel
/// routine; 0.
pub fn ki_apc_normal_routine_nop(_kernel: &mut Kernel, _context: u32, _argument: u32) -> u32 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::*;
    use crate::threading::wait::{ke_delay_execution_thread, nt_wait_for_single_object_ex};

    #[test]
    fn an_alertable_wait_runs_queued_apcs_and_returns_user_apc() {
        let (mut k, t) = kernel_with_thread();
        let h = new_event(&mut k, 1, false);
        let th = k.threads.get(t).unwrap().handle;
        assert_eq!(nt_queue_apc_thread(&mut k, th, 0x8200_0500, 1, 2, 3, call_from(t)), NtStatus::SUCCESS);
        assert!(k.outbox.iter().all(|m| !matches!(m, ToCpu::Apc { .. })), "not before an alertable wait");
        k.outbox.clear();
        let out = nt_wait_for_single_object_ex(&mut k, h, 1, true, None, call_from(t));
        assert_eq!(out, Outcome::Pending);
        assert_eq!(apcs(&k), vec![(t, 0x8200_0500, [1, 2, 3])]);
        assert_eq!(k.outbox.last(), Some(&ToCpu::Return { thread: t, r3: NtStatus::USER_APC.0 as u64, r4: 0 }));
    }

    #[test]
    fn an_apc_queued_during_an_alertable_wait_ends_it() {
        let (mut k, t) = kernel_with_thread();
        let interval = put_timeout(&k, -10_000_000);
        assert_eq!(ke_delay_execution_thread(&mut k, 1, true, Some(interval), call_from(t)), Outcome::Pending);
        k.outbox.clear();
        queue_user_apc(&mut k, t, 0x8200_0600, [9, 8, 7]);
        assert_eq!(apcs(&k), vec![(t, 0x8200_0600, [9, 8, 7])]);
        assert_eq!(returns(&k), vec![(t, NtStatus::USER_APC.0)]);
    }

    #[test]
    fn a_non_alertable_wait_keeps_user_apcs_queued() {
        let (mut k, t) = kernel_with_thread();
        let h = new_event(&mut k, 1, false);
        nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t));
        k.outbox.clear();
        queue_user_apc(&mut k, t, 0x8200_0600, [0; 3]);
        assert!(k.outbox.is_empty());
        assert_eq!(k.threads.get(t).unwrap().user_apcs.len(), 1);
    }

    #[test]
    fn a_dpc_runs_on_a_waiting_thread_which_keeps_waiting() {
        let (mut k, t) = kernel_with_thread();
        let h = new_event(&mut k, 1, false);
        nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t));
        k.outbox.clear();
        let dpc = scratch(&mut k, 0x20);
        ke_initialize_dpc(&mut k, dpc, 0x8200_0700, 0x55);
        assert!(ke_insert_queue_dpc(&mut k, dpc, 1, 2));
        assert_eq!(apcs(&k), vec![(t, 0x8200_0700, [dpc.0, 0x55, 1])]);
        assert!(returns(&k).is_empty());
        assert!(k.threads.get(t).unwrap().wait().is_some());
    }

    #[test]
    fn a_guest_kapc_runs_its_normal_routine() {
        let (mut k, t) = kernel_with_thread();
        let apc = scratch(&mut k, 0x28);
        let kthread = k.threads.get(t).unwrap().kthread.0;
        ke_initialize_apc(&mut k, apc, kthread, 0x8200_0010, 0, 0x8200_0020, 1, 0x77);
        assert!(ke_insert_queue_apc(&mut k, apc, 5, 6, 0));
        assert!(!ke_insert_queue_apc(&mut k, apc, 5, 6, 0), "already queued");
        assert!(ke_remove_queue_apc(&mut k, apc));
        assert!(ke_insert_queue_apc(&mut k, apc, 5, 6, 0));
        let interval = put_timeout(&k, -1);
        k.outbox.clear();
        ke_delay_execution_thread(&mut k, 1, true, Some(interval), call_from(t));
        assert_eq!(apcs(&k), vec![(t, 0x8200_0020, [0x77, 5, 6])]);
        assert_eq!(k.memory.read_u8(apc.add(APC_INSERTED)).unwrap(), 0);
    }
}
