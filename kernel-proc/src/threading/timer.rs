//! Timers: notification (type 8) and synchronization (type 9), one-shot or
//! periodic, with a completion APC (`NtSetTimerEx`) or a DPC (`KeSetTimer*`).
//!
//! `KTIMER` (0x28 bytes, NT layout): dispatcher header (its `Inserted` byte
//! says the timer is armed), `DueTime` u64 0x10 (absolute system time of the
//! next expiry), `TimerListEntry` 0x18, `Dpc` 0x20, `Period` (ms) 0x24.
//!
//! An armed timer is kept by its `KTIMER` address; [`fire_due`] (called from
//! [`super::expire`]) signals it, queues its APC `routine(context, time low,
//! time high)` to the thread that set it (as xenia does) or its DPC
//! `routine(dpc, context, time low)`, and re-arms a periodic one.

use super::apc::{self, Callback};
use super::{dispatcher, wait};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use crate::ob::names::{finish_create, open_if_named, report_opened, Creation};
use crate::ob::ObjectType;
use crate::status::NtStatus;
use shared::ipc::kernel::GuestThreadId;
use shared::memory::VirtAddr;
use std::time::Duration;

pub const KTIMER_SIZE: u32 = 0x28;
const INSERTED: u32 = 0x3;
const DUE_TIME: u32 = 0x10;
const DPC: u32 = 0x20;
const PERIOD: u32 = 0x24;

/// `STATUS_TIMER_RESUME_IGNORED`: `NtSetTimerEx` with `ResumeTimer` set.
pub const TIMER_RESUME_IGNORED: NtStatus = NtStatus(0x4000_0025);

/// An armed timer.
#[derive(Clone, Copy, Debug)]
pub struct Armed {
    /// Guest time (`clock.elapsed()`) of the next expiry.
    pub due: Duration,
    pub period: Option<Duration>,
    pub dpc: Option<VirtAddr>,
    /// Completion APC: (thread, routine, context).
    pub apc: Option<(GuestThreadId, u32, u32)>,
}

fn kind_for(timer_type: u32) -> dispatcher::Kind {
    if timer_type == 0 {
        dispatcher::Kind::NotificationTimer
    } else {
        dispatcher::Kind::SynchronizationTimer
    }
}

fn init(kernel: &Kernel, at: VirtAddr, timer_type: u32) {
    let m = &kernel.memory;
    dispatcher::init(m, at, kind_for(timer_type), KTIMER_SIZE, 0);
    let _ = m.fill(at.add(DUE_TIME), KTIMER_SIZE - DUE_TIME, 0);
}

/// Cancels the timer at `timer`; whether it was armed.
pub fn cancel(kernel: &mut Kernel, timer: VirtAddr) -> bool {
    let _ = kernel.memory.write_u8(timer.add(INSERTED), 0);
    kernel.threads.timers.remove(&timer.0).is_some()
}

/// Arms the timer at `timer` (resetting its signal state); whether it was
/// armed before. `due_time` is in 100 ns units (negative relative, positive
/// absolute), `period_ms` 0 for a one-shot timer.
pub fn arm(
    kernel: &mut Kernel,
    timer: VirtAddr,
    due_time: i64,
    period_ms: u32,
    dpc: Option<VirtAddr>,
    apc: Option<(GuestThreadId, u32, u32)>,
) -> bool {
    let was_armed = cancel(kernel, timer);
    let due = wait::deadline(kernel, Some(due_time)).unwrap_or_default();
    let period = (period_ms > 0).then(|| Duration::from_millis(period_ms as u64));
    let m = &kernel.memory;
    dispatcher::set_signal(m, timer, 0);
    let _ = m.write_u8(timer.add(INSERTED), 1);
    let _ = m.write_u64(timer.add(DUE_TIME), system_time_at(kernel, due));
    let _ = m.write_u32(timer.add(DPC), dpc.map_or(0, |d| d.0));
    let _ = m.write_u32(timer.add(PERIOD), period_ms);
    kernel.threads.timers.insert(timer.0, Armed { due, period, dpc, apc });
    was_armed
}

fn system_time_at(kernel: &Kernel, at: Duration) -> u64 {
    let ahead = at.saturating_sub(kernel.clock.elapsed());
    kernel.clock.system_time() + (ahead.as_nanos() / 100) as u64
}

/// The earliest due time of an armed timer.
pub fn next_due(kernel: &Kernel) -> Option<Duration> {
    kernel.threads.timers.values().map(|a| a.due).min()
}

/// Fires every timer due at `now`.
pub fn fire_due(kernel: &mut Kernel, now: Duration) {
    let mut due: Vec<(Duration, u32)> =
        kernel.threads.timers.iter().filter(|(_, a)| a.due <= now).map(|(&t, a)| (a.due, t)).collect();
    due.sort_unstable();
    for (_, addr) in due {
        let timer = VirtAddr(addr);
        let Some(armed) = kernel.threads.timers.get(&addr).copied() else { continue };
        match armed.period {
            Some(period) => {
                let mut next = armed.due + period;
                if next <= now {
                    next = now + period;
                }
                kernel.threads.timers.insert(addr, Armed { due: next, ..armed });
                let at = system_time_at(kernel, next);
                let _ = kernel.memory.write_u64(timer.add(DUE_TIME), at);
            }
            None => {
                kernel.threads.timers.remove(&addr);
                let _ = kernel.memory.write_u8(timer.add(INSERTED), 0);
            }
        }
        dispatcher::set_signal(&kernel.memory, timer, 1);
        wait::signal_changed(kernel, timer);
        let time = kernel.clock.system_time();
        let (low, high) = (time as u32, (time >> 32) as u32);
        if let Some((thread, routine, context)) = armed.apc {
            apc::queue_user_apc(kernel, thread, routine, [context, low, high]);
        }
        if let Some(dpc) = armed.dpc {
            let cb: Callback = apc::dpc_callback(kernel, dpc, low, high);
            apc::queue_dpc(kernel, cb);
        }
    }
}

fn timer_of(kernel: &Kernel, handle: u32) -> Result<VirtAddr, NtStatus> {
    let id = kernel.objects.lookup(handle).ok_or(NtStatus::INVALID_HANDLE)?;
    match kernel.objects.get(id) {
        Some(o) if o.ty == ObjectType::Timer => Ok(o.body),
        Some(_) => Err(NtStatus::OBJECT_TYPE_MISMATCH),
        None => Err(NtStatus::INVALID_HANDLE),
    }
}

/// `NtCreateTimer(Handle*, ObjectAttributes*, TimerType)`: 0 notification,
/// 1 synchronization.
pub fn nt_create_timer(
    kernel: &mut Kernel,
    handle_out: VirtAddr,
    attrs: Option<VirtAddr>,
    timer_type: u32,
) -> NtStatus {
    if timer_type > 1 {
        return NtStatus::INVALID_PARAMETER;
    }
    let name = match open_if_named(kernel, attrs, ObjectType::Timer) {
        Ok(Creation::Opened(handle)) => return report_opened(kernel, handle, Some(handle_out)),
        Ok(Creation::Create(name)) => name,
        Err(e) => return e,
    };
    let id = match kernel.objects.create(&kernel.memory, ObjectType::Timer, KTIMER_SIZE) {
        Ok(id) => id,
        Err(e) => return e,
    };
    let body = kernel.objects.get(id).expect("just created").body;
    init(kernel, body, timer_type);
    finish_create(kernel, id, name, Some(handle_out)).map_or_else(|e| e, |_| NtStatus::SUCCESS)
}

/// `NtSetTimerEx(Handle, DueTime*, CompletionRoutine, ApcMode,
/// CompletionContext, ResumeTimer, Period, PreviousState*)`: the routine,
/// if any, runs as a user APC on the calling thread at each expiry.
/// `ResumeTimer` gives `STATUS_TIMER_RESUME_IGNORED` (the timer is still set).
#[allow(clippy::too_many_arguments)]
pub fn nt_set_timer_ex(
    kernel: &mut Kernel,
    handle: u32,
    due_time: VirtAddr,
    routine: u32,
    _apc_mode: u32,
    context: u32,
    resume: bool,
    period_ms: i32,
    previous_out: Option<VirtAddr>,
    call: Call,
) -> NtStatus {
    if period_ms < 0 {
        return NtStatus::INVALID_PARAMETER;
    }
    let timer = match timer_of(kernel, handle) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let Ok(due) = kernel.memory.read_u64(due_time) else { return NtStatus::ACCESS_VIOLATION };
    let previous = dispatcher::signal(&kernel.memory, timer);
    let apc = (routine != 0).then_some((call.thread, routine, context));
    arm(kernel, timer, due as i64, period_ms as u32, None, apc);
    if let Some(out) = previous_out {
        let _ = kernel.memory.write_u8(out, (previous != 0) as u8);
    }
    if resume {
        TIMER_RESUME_IGNORED
    } else {
        NtStatus::SUCCESS
    }
}

/// `NtCancelTimer(Handle, CurrentState*)`.
pub fn nt_cancel_timer(kernel: &mut Kernel, handle: u32, current_out: Option<VirtAddr>) -> NtStatus {
    let timer = match timer_of(kernel, handle) {
        Ok(t) => t,
        Err(e) => return e,
    };
    cancel(kernel, timer);
    if let Some(out) = current_out {
        let state = dispatcher::signal(&kernel.memory, timer) != 0;
        let _ = kernel.memory.write_u8(out, state as u8);
    }
    NtStatus::SUCCESS
}

/// `NtQueryTimer(Handle, TimerBasicInformation*)`:
/// `{ RemainingTime: i64 (100 ns), TimerState: u8 }`.
pub fn nt_query_timer(kernel: &mut Kernel, handle: u32, info_out: VirtAddr) -> NtStatus {
    let timer = match timer_of(kernel, handle) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let remaining = kernel
        .threads
        .timers
        .get(&timer.0)
        .map_or(0, |a| (a.due.saturating_sub(kernel.clock.elapsed()).as_nanos() / 100) as u64);
    let state = dispatcher::signal(&kernel.memory, timer) != 0;
    if kernel.memory.write_u64(info_out, remaining).is_err()
        || kernel.memory.write_u8(info_out.add(8), state as u8).is_err()
    {
        return NtStatus::ACCESS_VIOLATION;
    }
    NtStatus::SUCCESS
}

/// `KeInitializeTimerEx(Timer, Type)` on guest memory.
pub fn ke_initialize_timer_ex(kernel: &mut Kernel, timer: VirtAddr, timer_type: u32) {
    kernel.threads.timers.remove(&timer.0);
    init(kernel, timer, timer_type);
}

/// `KeSetTimer(Timer, DueTime, Dpc)`: whether it was already armed.
pub fn ke_set_timer(kernel: &mut Kernel, timer: VirtAddr, due_time: i64, dpc: Option<VirtAddr>) -> bool {
    arm(kernel, timer, due_time, 0, dpc, None)
}

/// `KeSetTimerEx(Timer, DueTime, Period, Dpc)`: whether it was already armed.
pub fn ke_set_timer_ex(
    kernel: &mut Kernel,
    timer: VirtAddr,
    due_time: i64,
    period_ms: i32,
    dpc: Option<VirtAddr>,
) -> bool {
    arm(kernel, timer, due_time, period_ms.max(0) as u32, dpc, None)
}

/// `KeCancelTimer(Timer)`: whether it was armed.
pub fn ke_cancel_timer(kernel: &mut Kernel, timer: VirtAddr) -> bool {
    cancel(kernel, timer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::Outcome;
    use crate::threading::apc::ke_initialize_dpc;
    use crate::threading::testing::*;
    use crate::threading::wait::{expire, ke_wait_for_single_object, next_deadline, nt_wait_for_single_object_ex};

    fn new_timer(k: &mut Kernel, timer_type: u32) -> u32 {
        let out = scratch(k, 4);
        assert_eq!(nt_create_timer(k, out, None, timer_type), NtStatus::SUCCESS);
        k.memory.read_u32(out).unwrap()
    }

    #[test]
    fn a_one_shot_timer_signals_its_waiter_at_its_due_time() {
        let (mut k, t) = kernel_with_thread();
        let h = new_timer(&mut k, 0);
        let due = put_timeout(&k, -50_000);
        assert_eq!(nt_set_timer_ex(&mut k, h, due, 0, 1, 0, false, 0, None, call_from(t)), NtStatus::SUCCESS);
        assert_eq!(nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t)), Outcome::Pending);
        assert_eq!(next_deadline(&k), Some(Duration::from_millis(5)));
        k.clock.advance(Duration::from_millis(5));
        expire(&mut k);
        assert_eq!(returns(&k), vec![(t, 0)]);
        assert_eq!(event_state(&k, h), 1, "a notification timer stays signaled");
        assert_eq!(next_deadline(&k), None);
    }

    #[test]
    fn a_periodic_timer_queues_its_apc_each_period() {
        let (mut k, t) = kernel_with_thread();
        let h = new_timer(&mut k, 1);
        let due = put_timeout(&k, -10_000);
        nt_set_timer_ex(&mut k, h, due, 0x8200_0800, 1, 0xAB, false, 2, None, call_from(t));
        k.clock.advance(Duration::from_millis(1));
        expire(&mut k);
        assert_eq!(next_deadline(&k), Some(Duration::from_millis(3)));
        k.clock.advance(Duration::from_millis(2));
        expire(&mut k);
        assert_eq!(k.threads.get(t).unwrap().user_apcs.len(), 2, "queued until an alertable wait");
        let interval = put_timeout(&k, -100_000);
        k.outbox.clear();
        crate::threading::wait::ke_delay_execution_thread(&mut k, 1, true, Some(interval), call_from(t));
        let delivered = apcs(&k);
        assert_eq!(delivered.len(), 2);
        assert_eq!((delivered[0].1, delivered[0].2[0]), (0x8200_0800, 0xAB));
        assert_eq!(nt_cancel_timer(&mut k, h, None), NtStatus::SUCCESS);
        assert_eq!(next_deadline(&k), None);
    }

    #[test]
    fn a_ke_timer_runs_its_dpc_and_wakes_ke_waiters() {
        let (mut k, t) = kernel_with_thread();
        let timer = scratch(&mut k, KTIMER_SIZE);
        let dpc = scratch(&mut k, 0x20);
        ke_initialize_timer_ex(&mut k, timer, 1);
        ke_initialize_dpc(&mut k, dpc, 0x8200_0900, 0x11);
        assert!(!ke_set_timer(&mut k, timer, -10_000, Some(dpc)));
        assert!(ke_set_timer(&mut k, timer, -10_000, Some(dpc)), "re-arming reports it was armed");
        assert_eq!(ke_wait_for_single_object(&mut k, timer, 0, 0, false, None, call_from(t)), Outcome::Pending);
        k.outbox.clear();
        k.clock.advance(Duration::from_millis(1));
        expire(&mut k);
        assert_eq!(apcs(&k).first().map(|a| (a.1, a.2[0], a.2[1])), None, "the DPC runs after the wake");
        assert_eq!(returns(&k), vec![(t, 0)]);
        assert_eq!(dispatcher::signal(&k.memory, timer), 0, "a synchronization timer is consumed");
        assert_eq!(k.threads.pending_dpcs.len(), 1, "no thread waits any more: the DPC waits for one");
        let h = new_event(&mut k, 1, false);
        k.outbox.clear();
        nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t));
        assert_eq!(
            apcs(&k).iter().map(|a| (a.1, a.2[0], a.2[1])).collect::<Vec<_>>(),
            vec![(0x8200_0900, dpc.0, 0x11)]
        );
        assert!(!ke_cancel_timer(&mut k, timer));
    }

    #[test]
    fn resume_is_reported_as_ignored() {
        let (mut k, t) = kernel_with_thread();
        let h = new_timer(&mut k, 0);
        let due = put_timeout(&k, -1);
        assert_eq!(nt_set_timer_ex(&mut k, h, due, 0, 1, 0, true, 0, None, call_from(t)), TIMER_RESUME_IGNORED);
    }
}
