//! The wait engine and the wait exports.
//!
//! A wait names dispatcher headers by guest address. If it can be satisfied
//! when it begins, the call returns at once; otherwise the thread is
//! recorded as waiting and the call is `Pending`. Every operation that makes
//! an object signaled calls [`signal_changed`], which tries the waiters of
//! that object in the order their waits began; [`expire`] ends waits whose
//! deadline has passed and fires due timers.
//!
//! Results follow NT: wait-any returns `STATUS_WAIT_0 + i` for the first
//! signaled object `i` (`STATUS_ABANDONED_WAIT_0 + i` for an abandoned
//! mutant); wait-all takes every object at once and returns `STATUS_SUCCESS`
//! (or `STATUS_ABANDONED_WAIT_0`), and takes nothing until all are signaled;
//! `STATUS_TIMEOUT` when the deadline passes; `STATUS_USER_APC` when an
//! alertable wait runs user APCs instead.
//!
//! Timeouts are 64-bit counts of 100 ns: a null pointer waits forever, 0
//! polls, a negative value is relative, a positive one is an absolute system
//! time (since 1601) compared with `kernel.clock.system_time()`.

use super::{apc, dispatcher, spinlock, thread::RunState, timer};
use crate::dispatch::{Call, Outcome};
use crate::kernel::Kernel;
use crate::ob::{resolve_handle, ObjectType};
use crate::status::NtStatus;
use shared::ipc::kernel::{GuestThreadId, ToCpu};
use shared::memory::{GuestMemory, VirtAddr};
use std::time::Duration;

/// `MAXIMUM_WAIT_OBJECTS`.
pub const MAXIMUM_WAIT_OBJECTS: u32 = 64;
/// `WAIT_TYPE` values.
pub const WAIT_ALL: u32 = 0;
pub const WAIT_ANY: u32 = 1;

/// What happens when a wait is satisfied, beyond acquiring its objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum After {
    Nothing,
    /// A contended `RtlEnterCriticalSection`: the waker becomes the owner.
    CriticalSection(VirtAddr),
    /// A contended spin lock (retried, not signaled): returns the old IRQL.
    SpinLock(VirtAddr),
    /// A blocked `NtRemoveIoCompletion`: the waker takes a packet.
    IoCompletion(super::io_completion::Removal),
}

/// A blocked thread's wait.
#[derive(Clone, Debug)]
pub struct Wait {
    /// Dispatcher headers ([`dispatcher::ALWAYS_SIGNALED`] for objects
    /// without one); empty for `KeDelayExecutionThread`.
    pub objects: Vec<VirtAddr>,
    pub all: bool,
    /// Guest time (`clock.elapsed()`) the wait ends at; `None` = never.
    pub deadline: Option<Duration>,
    pub alertable: bool,
    /// The status a passed deadline gives.
    pub timeout_status: NtStatus,
    pub after: After,
    /// Export the thread waits in, and its caller's link register.
    pub export: &'static str,
    pub lr: u32,
    seq: u64,
    /// Guest time the wait began (for the event log's wait duration).
    pub started: Duration,
}

impl Wait {
    /// When the wait began, relative to the others (smaller is older).
    pub fn seq(&self) -> u64 {
        self.seq
    }
}

/// What a wait export asks for.
#[derive(Clone, Debug)]
pub struct Request {
    pub objects: Vec<VirtAddr>,
    pub all: bool,
    pub deadline: Option<Duration>,
    pub alertable: bool,
    pub timeout_status: NtStatus,
    pub after: After,
    pub export: &'static str,
}

impl Request {
    pub fn new(objects: Vec<VirtAddr>, export: &'static str) -> Request {
        Request {
            objects,
            all: false,
            deadline: None,
            alertable: false,
            timeout_status: NtStatus::TIMEOUT,
            after: After::Nothing,
            export,
        }
    }
}

/// Reads the 64-bit timeout a wait export points at (`None` = infinite).
pub fn read_timeout(kernel: &Kernel, ptr: Option<VirtAddr>) -> Option<i64> {
    ptr.map(|p| kernel.memory.read_u64(p).unwrap_or(0) as i64)
}

/// Guest time a timeout ends at (see the module doc for the encoding).
pub fn deadline(kernel: &Kernel, timeout: Option<i64>) -> Option<Duration> {
    let now = kernel.clock.elapsed();
    let ticks = match timeout? {
        t if t < 0 => t.unsigned_abs(),
        t => (t as u64).saturating_sub(kernel.clock.system_time()),
    };
    Some(now + Duration::from_nanos(ticks.saturating_mul(100)))
}

/// Takes the objects for `kthread` if the wait can be satisfied now.
fn try_satisfy(memory: &GuestMemory, objects: &[VirtAddr], all: bool, kthread: VirtAddr) -> Option<NtStatus> {
    if objects.is_empty() {
        return None;
    }
    if all {
        if !objects.iter().all(|&o| dispatcher::is_signaled(memory, o, kthread)) {
            return None;
        }
        let mut abandoned = false;
        for &o in objects {
            abandoned |= dispatcher::acquire(memory, o, kthread);
        }
        return Some(if abandoned { NtStatus::ABANDONED_WAIT_0 } else { NtStatus::SUCCESS });
    }
    let index = objects.iter().position(|&o| dispatcher::is_signaled(memory, o, kthread))?;
    let abandoned = dispatcher::acquire(memory, objects[index], kthread);
    let base = if abandoned { NtStatus::ABANDONED_WAIT_0.0 } else { 0 };
    Some(NtStatus(base + index as u32))
}

/// Runs what a satisfied wait does after acquiring its objects.
fn run_after(kernel: &mut Kernel, after: After, kthread: VirtAddr) {
    match after {
        After::CriticalSection(cs) => super::critical_section::take_ownership(&kernel.memory, cs, kthread),
        After::IoCompletion(removal) => super::io_completion::deliver(kernel, removal),
        After::Nothing | After::SpinLock(_) => {}
    }
}

/// The reply to the calling thread: direct, or through the outbox when
/// callbacks were queued for it first (so they run before the return).
fn reply(kernel: &mut Kernel, thread: GuestThreadId, status: NtStatus, queued_callbacks: bool) -> Outcome {
    trace_end(kernel, thread, status, Duration::ZERO);
    if queued_callbacks {
        kernel.outbox.push(ToCpu::Return { thread, r3: status.0 as u64, r4: 0 });
        Outcome::Pending
    } else {
        Outcome::value(status.0 as u64)
    }
}

/// Records `wait.begin` in the event log (instrumented kernel only).
fn trace_begin(kernel: &mut Kernel, thread: GuestThreadId, req: &Request) {
    let now = kernel.clock.elapsed();
    let Some(trace) = kernel.trace.as_mut() else { return };
    let handles: Vec<String> = req.objects.iter().map(|o| trace.object_id(o.0)).collect();
    let timeout_ns = req.deadline.map(|d| d.saturating_sub(now).as_nanos() as u64);
    trace.event(
        thread,
        "wait.begin",
        serde_json::json!({"handles": handles, "wait_all": req.all, "timeout_ns": timeout_ns, "alertable": req.alertable, "export": req.export}),
    );
}

/// Records `wait.end` in the event log (instrumented kernel only).
fn trace_end(kernel: &mut Kernel, thread: GuestThreadId, status: NtStatus, waited: Duration) {
    let Some(trace) = kernel.trace.as_mut() else { return };
    // Guest cycles at the console's 3.2 GHz; host time until determinism lands.
    let cycles = (waited.as_nanos() as u64).saturating_mul(32) / 10;
    trace.event(
        thread,
        "wait.end",
        serde_json::json!({"status": format!("{:#010x}", status.0), "wait_duration_cycles": cycles}),
    );
}

/// Starts a wait for `thread`: satisfied now, timed out now, or recorded.
pub fn begin(kernel: &mut Kernel, thread: GuestThreadId, lr: u32, req: Request) -> Outcome {
    trace_begin(kernel, thread, &req);
    let Some(kthread) = kernel.threads.get(thread).map(|t| t.kthread) else {
        tracing::warn!(thread, export = req.export, "wait from a thread the kernel does not know; not blocking");
        let status = try_satisfy(&kernel.memory, &req.objects, req.all, VirtAddr(0)).unwrap_or(req.timeout_status);
        trace_end(kernel, thread, status, Duration::ZERO);
        return Outcome::value(status.0 as u64);
    };
    for &o in &req.objects {
        if o != dispatcher::ALWAYS_SIGNALED && dispatcher::kind(&kernel.memory, o) == Some(dispatcher::Kind::Mutant) {
            kernel.threads.mutants.insert(o.0);
        }
    }
    let queued = apc::deliver_dpcs(kernel, thread);
    if req.alertable && apc::deliver_user_apcs(kernel, thread) {
        return reply(kernel, thread, NtStatus::USER_APC, true);
    }
    if let Some(status) = try_satisfy(&kernel.memory, &req.objects, req.all, kthread) {
        run_after(kernel, req.after, kthread);
        return reply(kernel, thread, status, queued);
    }
    let deadline = req.deadline;
    if deadline.is_some_and(|d| d <= kernel.clock.elapsed()) {
        return reply(kernel, thread, req.timeout_status, queued);
    }
    let seq = kernel.threads.next_wait_seq();
    let wait = Wait {
        objects: req.objects,
        all: req.all,
        deadline,
        alertable: req.alertable,
        timeout_status: req.timeout_status,
        after: req.after,
        export: req.export,
        lr,
        seq,
        started: kernel.clock.elapsed(),
    };
    let t = kernel.threads.get_mut(thread).expect("checked above");
    t.last_lr = lr;
    t.last_wait_export = wait.export;
    t.state = RunState::Waiting(wait);
    Outcome::Pending
}

/// Ends `thread`'s wait with `status` and sends its return. `satisfied`
/// runs the wait's after-action (the objects were acquired).
pub fn complete(kernel: &mut Kernel, thread: GuestThreadId, status: NtStatus, satisfied: bool) {
    let Some(t) = kernel.threads.get_mut(thread) else { return };
    let RunState::Waiting(wait) = std::mem::replace(&mut t.state, RunState::Running) else {
        return;
    };
    let kthread = t.kthread;
    if satisfied {
        run_after(kernel, wait.after, kthread);
    }
    let waited = kernel.clock.elapsed().saturating_sub(wait.started);
    trace_end(kernel, thread, status, waited);
    kernel.outbox.push(ToCpu::Return { thread, r3: status.0 as u64, r4: 0 });
}

/// Waiting threads (id, seq) matching `pred`, in the order their waits began.
fn waiters(kernel: &Kernel, pred: impl Fn(&Wait) -> bool) -> Vec<GuestThreadId> {
    let mut found: Vec<(u64, GuestThreadId)> =
        kernel.threads.iter().filter_map(|t| t.wait().filter(|w| pred(w)).map(|w| (w.seq, t.id))).collect();
    found.sort_unstable();
    found.into_iter().map(|(_, id)| id).collect()
}

/// The object at `header` may have become signaled: satisfy the waits on
/// it that can be, oldest first.
pub fn signal_changed(kernel: &mut Kernel, header: VirtAddr) {
    for id in waiters(kernel, |w| w.objects.contains(&header)) {
        let Some(t) = kernel.threads.get(id) else { continue };
        let Some(w) = t.wait() else { continue };
        if let Some(status) = try_satisfy(&kernel.memory, &w.objects, w.all, t.kthread) {
            complete(kernel, id, status, true);
        }
    }
}

/// Hook: the earliest guest time (`clock.elapsed()` scale) at which
/// [`expire`] has work: a wait's deadline or a timer's due time.
pub fn next_deadline(kernel: &Kernel) -> Option<Duration> {
    let waits = kernel.threads.iter().filter_map(|t| t.wait().and_then(|w| w.deadline));
    waits.chain(timer::next_due(kernel)).min()
}

/// Hook: fires due timers (signal, DPC, APC, re-arm) and ends waits whose
/// deadline has passed.
pub fn expire(kernel: &mut Kernel) {
    let now = kernel.clock.elapsed();
    timer::fire_due(kernel, now);
    for id in waiters(kernel, |w| w.deadline.is_some_and(|d| d <= now)) {
        let Some((after, status)) = kernel.threads.get(id).and_then(|t| t.wait()).map(|w| (w.after, w.timeout_status))
        else {
            continue;
        };
        match after {
            After::SpinLock(lock) => spinlock::retry(kernel, id, lock),
            _ => complete(kernel, id, status, false),
        }
    }
    // A DPC that found no parked thread when its timer fired runs on the
    // first thread still waiting.
    if kernel.threads.pending_dpcs.is_empty() {
        return;
    }
    if let Some(id) = waiters(kernel, |_| true).first().copied() {
        apc::deliver_dpcs(kernel, id);
    }
}

/// Resolves a handle to the header a wait names.
fn header_of_handle(kernel: &Kernel, handle: u32, current: GuestThreadId) -> Result<VirtAddr, NtStatus> {
    let id = resolve_handle(kernel, handle, current).ok_or(NtStatus::INVALID_HANDLE)?;
    let o = kernel.objects.get(id).ok_or(NtStatus::INVALID_HANDLE)?;
    Ok(match o.ty {
        ObjectType::Event
        | ObjectType::Semaphore
        | ObjectType::Mutant
        | ObjectType::Timer
        | ObjectType::Thread
        | ObjectType::IoCompletion => o.body,
        _ => dispatcher::ALWAYS_SIGNALED,
    })
}

fn status(s: NtStatus) -> Outcome {
    Outcome::value(s.0 as u64)
}

/// `KeWaitForSingleObject(Object, WaitReason, WaitMode, Alertable, Timeout*)`.
pub fn ke_wait_for_single_object(
    kernel: &mut Kernel,
    object: VirtAddr,
    _wait_reason: u32,
    _wait_mode: u32,
    alertable: bool,
    timeout: Option<VirtAddr>,
    call: Call,
) -> Outcome {
    let deadline = deadline(kernel, read_timeout(kernel, timeout));
    let req = Request { deadline, alertable, ..Request::new(vec![object], "KeWaitForSingleObject") };
    begin(kernel, call.thread, call.args.lr, req)
}

/// `KeWaitForMultipleObjects(Count, Object[], WaitType, WaitReason,
/// WaitMode, Alertable, Timeout*, WaitBlockArray)`.
#[allow(clippy::too_many_arguments)]
pub fn ke_wait_for_multiple_objects(
    kernel: &mut Kernel,
    count: u32,
    objects: VirtAddr,
    wait_type: u32,
    _wait_reason: u32,
    _wait_mode: u32,
    alertable: bool,
    timeout: Option<VirtAddr>,
    _wait_blocks: u32,
    call: Call,
) -> Outcome {
    if count == 0 || count > MAXIMUM_WAIT_OBJECTS || wait_type > WAIT_ANY {
        return status(NtStatus::INVALID_PARAMETER);
    }
    let mut list = Vec::with_capacity(count as usize);
    for i in 0..count {
        match kernel.memory.read_u32(objects.add(4 * i)) {
            Ok(p) if p != 0 => list.push(VirtAddr(p)),
            _ => return status(NtStatus::INVALID_PARAMETER),
        }
    }
    let deadline = deadline(kernel, read_timeout(kernel, timeout));
    let req =
        Request { all: wait_type == WAIT_ALL, deadline, alertable, ..Request::new(list, "KeWaitForMultipleObjects") };
    begin(kernel, call.thread, call.args.lr, req)
}

/// `NtWaitForSingleObjectEx(Handle, WaitMode, Alertable, Timeout*)`.
pub fn nt_wait_for_single_object_ex(
    kernel: &mut Kernel,
    handle: u32,
    _wait_mode: u32,
    alertable: bool,
    timeout: Option<VirtAddr>,
    call: Call,
) -> Outcome {
    let header = match header_of_handle(kernel, handle, call.thread) {
        Ok(h) => h,
        Err(e) => return status(e),
    };
    let deadline = deadline(kernel, read_timeout(kernel, timeout));
    let req = Request { deadline, alertable, ..Request::new(vec![header], "NtWaitForSingleObjectEx") };
    begin(kernel, call.thread, call.args.lr, req)
}

/// `NtWaitForMultipleObjectsEx(Count, Handles[], WaitType, WaitMode,
/// Alertable, Timeout*)`.
#[allow(clippy::too_many_arguments)]
pub fn nt_wait_for_multiple_objects_ex(
    kernel: &mut Kernel,
    count: u32,
    handles: VirtAddr,
    wait_type: u32,
    _wait_mode: u32,
    alertable: bool,
    timeout: Option<VirtAddr>,
    call: Call,
) -> Outcome {
    if count == 0 || count > MAXIMUM_WAIT_OBJECTS || wait_type > WAIT_ANY {
        return status(NtStatus::INVALID_PARAMETER);
    }
    let mut list = Vec::with_capacity(count as usize);
    for i in 0..count {
        let handle = kernel.memory.read_u32(handles.add(4 * i)).unwrap_or(0);
        match header_of_handle(kernel, handle, call.thread) {
            Ok(h) => list.push(h),
            Err(e) => return status(e),
        }
    }
    let deadline = deadline(kernel, read_timeout(kernel, timeout));
    let req =
        Request { all: wait_type == WAIT_ALL, deadline, alertable, ..Request::new(list, "NtWaitForMultipleObjectsEx") };
    begin(kernel, call.thread, call.args.lr, req)
}

/// `NtSignalAndWaitForSingleObjectEx(SignalHandle, WaitHandle, Alertable,
/// WaitMode, Timeout*)`: signals one object (event set, semaphore +1,
/// mutant released) and waits on the other in one step.
pub fn nt_signal_and_wait_for_single_object_ex(
    kernel: &mut Kernel,
    signal_handle: u32,
    wait_handle: u32,
    alertable: bool,
    _wait_mode: u32,
    timeout: Option<VirtAddr>,
    call: Call,
) -> Outcome {
    let header = match header_of_handle(kernel, wait_handle, call.thread) {
        Ok(h) => h,
        Err(e) => return status(e),
    };
    let Some(id) = resolve_handle(kernel, signal_handle, call.thread) else { return status(NtStatus::INVALID_HANDLE) };
    let Some((ty, body)) = kernel.objects.get(id).map(|o| (o.ty, o.body)) else {
        return status(NtStatus::INVALID_HANDLE);
    };
    let signaled = match ty {
        ObjectType::Event => {
            super::event::set_event(kernel, body);
            NtStatus::SUCCESS
        }
        ObjectType::Semaphore => super::semaphore::release(kernel, body, 1).map_or_else(|e| e, |_| NtStatus::SUCCESS),
        ObjectType::Mutant => {
            super::mutant::release(kernel, body, call.thread).map_or_else(|e| e, |_| NtStatus::SUCCESS)
        }
        _ => NtStatus::OBJECT_TYPE_MISMATCH,
    };
    if !signaled.is_success() {
        return status(signaled);
    }
    let deadline = deadline(kernel, read_timeout(kernel, timeout));
    let req = Request { deadline, alertable, ..Request::new(vec![header], "NtSignalAndWaitForSingleObjectEx") };
    begin(kernel, call.thread, call.args.lr, req)
}

/// `KeDelayExecutionThread(WaitMode, Alertable, Interval*)`: sleeps for a
/// relative (negative) or until an absolute (positive) time; an alertable
/// sleep ends early with `STATUS_USER_APC` when user APCs arrive.
pub fn ke_delay_execution_thread(
    kernel: &mut Kernel,
    _wait_mode: u32,
    alertable: bool,
    interval: Option<VirtAddr>,
    call: Call,
) -> Outcome {
    let ticks = read_timeout(kernel, interval).unwrap_or(0);
    let deadline = deadline(kernel, Some(ticks));
    let req = Request {
        deadline,
        alertable,
        timeout_status: NtStatus::SUCCESS,
        ..Request::new(Vec::new(), "KeDelayExecutionThread")
    };
    begin(kernel, call.thread, call.args.lr, req)
}

/// `NtYieldExecution()`: cpu-proc schedules; nothing to give up here.
pub fn nt_yield_execution(_kernel: &mut Kernel) -> NtStatus {
    NtStatus::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::event::{ke_initialize_event, ke_set_event, nt_create_event, nt_set_event};
    use crate::threading::testing::*;

    #[test]
    fn wait_on_signaled_event_returns_immediately() {
        let (mut k, t) = kernel_with_thread();
        let h = new_event(&mut k, 0, true);
        let out = nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t));
        assert_eq!(out, Outcome::value(0));
    }

    #[test]
    fn a_zero_timeout_polls() {
        let (mut k, t) = kernel_with_thread();
        let h = new_event(&mut k, 0, false);
        let zero = put_timeout(&k, 0);
        let out = nt_wait_for_single_object_ex(&mut k, h, 1, false, Some(zero), call_from(t));
        assert_eq!(out, Outcome::value(NtStatus::TIMEOUT.0 as u64));
    }

    #[test]
    fn auto_reset_event_wakes_exactly_one_waiter() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let c = spawn(&mut k, 0x8200_0200);
        let h = new_event(&mut k, 1, false);
        for t in [a, b] {
            assert_eq!(nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t)), Outcome::Pending);
        }
        k.outbox.clear();
        assert_eq!(nt_set_event(&mut k, h, None), NtStatus::SUCCESS);
        assert_eq!(returns(&k), vec![(a, 0)], "the first waiter only");
        assert_eq!(event_state(&k, h), 0, "consumed by the waiter");
        let _ = c;
        k.outbox.clear();
        nt_set_event(&mut k, h, None);
        assert_eq!(returns(&k), vec![(b, 0)]);
    }

    #[test]
    fn manual_reset_event_wakes_every_waiter_and_stays_signaled() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let h = new_event(&mut k, 0, false);
        for t in [a, b] {
            nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t));
        }
        k.outbox.clear();
        nt_set_event(&mut k, h, None);
        assert_eq!(returns(&k), vec![(a, 0), (b, 0)]);
        assert_eq!(event_state(&k, h), 1);
    }

    #[test]
    fn wait_all_takes_nothing_until_every_object_is_signaled() {
        let (mut k, t) = kernel_with_thread();
        let e1 = new_event(&mut k, 1, true);
        let e2 = new_event(&mut k, 1, false);
        let handles = put_handles(&k, &[e1, e2]);
        let out = nt_wait_for_multiple_objects_ex(&mut k, 2, handles, WAIT_ALL, 1, false, None, call_from(t));
        assert_eq!(out, Outcome::Pending);
        assert_eq!(event_state(&k, e1), 1, "the signaled one was not taken");
        k.outbox.clear();
        nt_set_event(&mut k, e2, None);
        assert_eq!(returns(&k), vec![(t, 0)]);
        assert_eq!((event_state(&k, e1), event_state(&k, e2)), (0, 0), "both taken at once");
    }

    #[test]
    fn wait_any_reports_the_index_of_the_signaled_object() {
        let (mut k, t) = kernel_with_thread();
        let e1 = new_event(&mut k, 1, false);
        let e2 = new_event(&mut k, 1, false);
        let handles = put_handles(&k, &[e1, e2]);
        nt_wait_for_multiple_objects_ex(&mut k, 2, handles, WAIT_ANY, 1, false, None, call_from(t));
        k.outbox.clear();
        nt_set_event(&mut k, e2, None);
        assert_eq!(returns(&k), vec![(t, 1)]);
        let out = nt_wait_for_multiple_objects_ex(&mut k, 2, handles, WAIT_ANY, 1, false, None, call_from(t));
        assert_eq!(out, Outcome::Pending);
    }

    #[test]
    fn relative_timeout_expires_after_its_duration() {
        let (mut k, t) = kernel_with_thread();
        let h = new_event(&mut k, 0, false);
        let ten_ms = put_timeout(&k, -100_000);
        assert_eq!(nt_wait_for_single_object_ex(&mut k, h, 1, false, Some(ten_ms), call_from(t)), Outcome::Pending);
        assert_eq!(next_deadline(&k), Some(Duration::from_millis(10)));
        k.clock.advance(Duration::from_millis(9));
        expire(&mut k);
        assert!(returns(&k).is_empty());
        k.clock.advance(Duration::from_millis(1));
        expire(&mut k);
        assert_eq!(returns(&k), vec![(t, NtStatus::TIMEOUT.0)]);
        assert_eq!(next_deadline(&k), None);
    }

    #[test]
    fn absolute_timeout_is_measured_against_system_time() {
        let (mut k, t) = kernel_with_thread();
        let h = new_event(&mut k, 0, false);
        let at = put_timeout(&k, (k.clock.system_time() + 50_000) as i64);
        nt_wait_for_single_object_ex(&mut k, h, 1, false, Some(at), call_from(t));
        assert_eq!(next_deadline(&k), Some(Duration::from_millis(5)));
        let past = put_timeout(&k, (k.clock.system_time() - 1) as i64);
        let b = spawn(&mut k, 0x8200_0100);
        let out = nt_wait_for_single_object_ex(&mut k, h, 1, false, Some(past), call_from(b));
        assert_eq!(out, Outcome::value(NtStatus::TIMEOUT.0 as u64));
    }

    #[test]
    fn delay_execution_sleeps_for_its_interval() {
        let (mut k, t) = kernel_with_thread();
        let interval = put_timeout(&k, -20_000);
        assert_eq!(ke_delay_execution_thread(&mut k, 1, false, Some(interval), call_from(t)), Outcome::Pending);
        k.clock.advance(Duration::from_millis(2));
        expire(&mut k);
        assert_eq!(returns(&k), vec![(t, 0)]);
    }

    #[test]
    fn guest_initialized_event_wakes_a_ke_waiter() {
        let (mut k, t) = kernel_with_thread();
        let ev = VirtAddr(0x4000_1000);
        ke_initialize_event(&mut k, ev, 1, false);
        let out = ke_wait_for_single_object(&mut k, ev, 0, 0, false, None, call_from(t));
        assert_eq!(out, Outcome::Pending);
        k.outbox.clear();
        assert_eq!(ke_set_event(&mut k, ev, 1, false), 0);
        assert_eq!(returns(&k), vec![(t, 0)]);
        assert_eq!(k.memory.read_u32(ev.add(4)).unwrap(), 0, "SignalState in guest memory");
    }

    #[test]
    fn waiting_on_a_thread_handle_waits_for_its_exit() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let hb = k.threads.get(b).unwrap().handle;
        assert_eq!(nt_wait_for_single_object_ex(&mut k, hb, 1, false, None, call_from(a)), Outcome::Pending);
        k.outbox.clear();
        crate::threading::thread_returned(&mut k, b, 5);
        assert_eq!(returns(&k), vec![(a, 0)]);
    }

    #[test]
    fn a_bad_handle_fails_the_wait() {
        let (mut k, t) = kernel_with_thread();
        let out = nt_wait_for_single_object_ex(&mut k, 0xF800_0400, 1, false, None, call_from(t));
        assert_eq!(out, Outcome::value(NtStatus::INVALID_HANDLE.0 as u64));
    }

    #[test]
    fn signal_and_wait_signals_first() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let ping = new_event(&mut k, 1, false);
        let pong = new_event(&mut k, 1, false);
        nt_wait_for_single_object_ex(&mut k, ping, 1, false, None, call_from(b));
        k.outbox.clear();
        let out = nt_signal_and_wait_for_single_object_ex(&mut k, ping, pong, false, 1, None, call_from(a));
        assert_eq!(out, Outcome::Pending);
        assert_eq!(returns(&k), vec![(b, 0)]);
    }

    #[test]
    fn a_wait_export_bound_through_the_table_adapter_reads_its_registers() {
        let (mut k, t) = kernel_with_thread();
        let h = new_event(&mut k, 1, false);
        let timeout = put_timeout(&k, 0);
        let handler = crate::handler!(nt_wait_for_single_object_ex);
        let mut call = call_from(t);
        call.args.gpr[..4].copy_from_slice(&[h as u64, 1, 0, timeout.0 as u64]);
        assert_eq!(handler(&mut k, &call), Outcome::value(NtStatus::TIMEOUT.0 as u64));
        call.args.gpr[3] = 0;
        assert_eq!(handler(&mut k, &call), Outcome::Pending);
        assert_eq!(k.threads.get(t).unwrap().wait().map(|w| w.lr), Some(0x8200_4321));
    }

    #[test]
    fn nt_create_event_polarity_type_zero_is_manual_reset() {
        let (mut k, t) = kernel_with_thread();
        let out = VirtAddr(0x4000_0000);
        nt_create_event(&mut k, out, None, 0, true);
        let h = k.memory.read_u32(out).unwrap();
        nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t));
        assert_eq!(event_state(&k, h), 1, "a notification event stays signaled after a wait");
    }
}
