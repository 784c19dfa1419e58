//! The deterministic scheduler (`--deterministic`): one guest thread runs at
//! a time, and everything that can tell one run from another happens at
//! points fixed by the guest's own progress.
//!
//! A baton says which guest thread may run. A thread runs for at most
//! [`QUANTUM`] instructions, or until a kernel call parks it
//! ([`ToCpu::Blocked`](shared::ipc::kernel::ToCpu::Blocked)), then gives the
//! baton back to the keeper thread. At that switch point the keeper
//! - asks the kernel to fire the timers and end the waits that are due
//!   (only when the guest clock has passed the kernel's published deadline),
//! - raises the vblank interrupts the guest clock has passed and runs the
//!   interrupt-time callbacks that are pending (graphics, audio),
//! - hands the baton to the first ready thread, in the order threads became
//!   ready (started, woken, or at the end of their quantum).
//!
//! When no thread is ready the keeper fast-forwards the guest clock to the
//! next thing that can wake one (a kernel deadline, the next vblank or audio
//! frame when callbacks are registered); with nothing ahead it waits, and
//! the kernel reports the deadlock.
//!
//! Guest time is the instruction ticks in the shared
//! [`GuestTime`](shared::memory::control::GuestTime): every instruction a
//! guest thread retires adds one, and only the baton holder adds.
//!
//! Why the order is reproducible: the kernel handles one message at a time
//! and only acts on what the baton holder sends, so the messages that wake
//! threads arrive in the same order in every run, and they arrive before the
//! reply to the call that caused them; the dispatcher marks threads ready
//! as it routes those messages, before the baton holder can go on.

use super::interrupt::InterruptSources;
use super::Cpu;
use shared::ipc::kernel::{GuestThreadId, ToKernel};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Instructions a thread runs before the baton moves on.
pub const QUANTUM: u64 = 100_000;
/// How long a waiter sleeps before checking for shutdown again.
const SLICE: Duration = Duration::from_millis(50);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Run {
    /// In the ready queue, or holding the baton.
    Ready,
    /// Parked in a kernel call.
    Blocked,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    run: Run,
    suspended: bool,
}

#[derive(Default)]
struct State {
    /// The thread holding the baton; `None` while the keeper has it.
    current: Option<GuestThreadId>,
    /// Threads waiting for the baton, in the order they became ready.
    ready: VecDeque<GuestThreadId>,
    threads: HashMap<GuestThreadId, Entry>,
    /// The kernel answered the last [`ToKernel::Sync`].
    synced: bool,
}

/// The baton and the threads it moves between.
#[derive(Default)]
pub struct Scheduler {
    state: Mutex<State>,
    changed: Condvar,
}

impl Scheduler {
    /// A thread the kernel started: it queues for the baton.
    pub fn admit(&self, thread: GuestThreadId) {
        let mut s = self.state.lock().unwrap();
        s.threads.insert(thread, Entry { run: Run::Ready, suspended: false });
        s.ready.push_back(thread);
        self.changed.notify_all();
    }

    /// Something arrived for `thread` (a return, an APC, a terminate): if
    /// it is parked, it queues for the baton.
    pub fn wake(&self, thread: GuestThreadId) {
        let mut s = self.state.lock().unwrap();
        if let Some(entry) = s.threads.get_mut(&thread) {
            if entry.run == Run::Blocked {
                entry.run = Run::Ready;
                s.ready.push_back(thread);
                self.changed.notify_all();
            }
        }
    }

    pub fn set_suspended(&self, thread: GuestThreadId, suspended: bool) {
        let mut s = self.state.lock().unwrap();
        if let Some(entry) = s.threads.get_mut(&thread) {
            entry.suspended = suspended;
            self.changed.notify_all();
        }
    }

    /// Waits until `thread` holds the baton; false at shutdown.
    pub fn wait_turn(&self, cpu: &Cpu, thread: GuestThreadId) -> bool {
        let mut s = self.state.lock().unwrap();
        while s.current != Some(thread) {
            if cpu.stopping() {
                return false;
            }
            s = self.changed.wait_timeout(s, SLICE).unwrap().0;
        }
        true
    }

    /// The baton holder's quantum is over: it queues again.
    pub fn yield_turn(&self, thread: GuestThreadId) {
        let mut s = self.state.lock().unwrap();
        debug_assert_eq!(s.current, Some(thread));
        s.ready.push_back(thread);
        s.current = None;
        self.changed.notify_all();
    }

    /// The baton holder's kernel call parked it.
    pub fn block(&self, thread: GuestThreadId) {
        let mut s = self.state.lock().unwrap();
        debug_assert_eq!(s.current, Some(thread));
        if let Some(entry) = s.threads.get_mut(&thread) {
            entry.run = Run::Blocked;
        }
        s.current = None;
        self.changed.notify_all();
    }

    /// The baton holder ended.
    pub fn exit(&self, thread: GuestThreadId) {
        let mut s = self.state.lock().unwrap();
        s.threads.remove(&thread);
        s.ready.retain(|&t| t != thread);
        if s.current == Some(thread) {
            s.current = None;
        }
        self.changed.notify_all();
    }

    /// The kernel answered [`ToKernel::Sync`].
    pub fn synced(&self) {
        self.state.lock().unwrap().synced = true;
        self.changed.notify_all();
    }

    /// Sends [`ToKernel::Sync`] and waits for the answer: everything sent
    /// before has been handled, and the threads it woke are queued.
    pub fn sync_kernel(&self, cpu: &Cpu) {
        self.state.lock().unwrap().synced = false;
        if cpu.link.send(cpu, ToKernel::Sync).is_err() {
            return;
        }
        let mut s = self.state.lock().unwrap();
        while !s.synced && !cpu.stopping() {
            s = self.changed.wait_timeout(s, SLICE).unwrap().0;
        }
    }

    /// Waits until the baton is back with the keeper; false at shutdown.
    fn wait_for_baton(&self, cpu: &Cpu) -> bool {
        let mut s = self.state.lock().unwrap();
        loop {
            if cpu.stopping() {
                return false;
            }
            if s.current.is_none() {
                return true;
            }
            s = self.changed.wait_timeout(s, SLICE).unwrap().0;
        }
    }

    /// Hands the baton to the first ready thread that is not suspended.
    fn hand_on(&self) -> Option<GuestThreadId> {
        let mut s = self.state.lock().unwrap();
        let threads = &s.threads;
        let index = s.ready.iter().position(|t| threads.get(t).is_some_and(|e| !e.suspended))?;
        let next = s.ready.remove(index)?;
        s.current = Some(next);
        self.changed.notify_all();
        Some(next)
    }

    /// Whether any thread exists (ready, parked or suspended).
    fn has_threads(&self) -> bool {
        !self.state.lock().unwrap().threads.is_empty()
    }

    /// Sleeps until something changes (a thread admitted), at most `SLICE`.
    fn idle_wait(&self) {
        let s = self.state.lock().unwrap();
        let _ = self.changed.wait_timeout(s, SLICE).unwrap();
    }
}

/// Starts the keeper: the thread that holds the baton between guest threads.
pub fn start_keeper(cpu: Arc<Cpu>, mut sources: InterruptSources) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new().name("scheduler".into()).spawn(move || {
        let sched = cpu.scheduler.as_ref().expect("the keeper runs only in deterministic mode");
        let time = cpu.memory.control().guest_time();
        while sched.wait_for_baton(&cpu) {
            if time.stopped.load(Ordering::SeqCst) != 0 {
                // The title has ended: no thread runs and the clock stays put.
                sched.idle_wait();
                continue;
            }
            switch_point(&cpu, sched, &mut sources);
            if sched.hand_on().is_some() {
                continue;
            }
            // Nothing ready: skip guest time to the next thing that can wake a thread.
            if !sched.has_threads() {
                sched.idle_wait();
                continue;
            }
            let kernel_deadline = time.next_deadline.load(Ordering::SeqCst);
            let target = kernel_deadline.min(sources.next_event(&cpu));
            if target == u64::MAX {
                // Every thread waits for something only a thread could do:
                // the kernel reports the deadlock.
                sched.idle_wait();
                continue;
            }
            let now = time.ticks.load(Ordering::SeqCst);
            if target <= now {
                // Due already and still nothing ready (a deadline that woke nobody).
                sched.idle_wait();
                continue;
            }
            time.skipped.fetch_add(target - now, Ordering::SeqCst);
            time.ticks.store(target, Ordering::SeqCst);
        }
    })
}

/// The work of a switch point: kernel deadlines, then interrupts.
fn switch_point(cpu: &Arc<Cpu>, sched: &Scheduler, sources: &mut InterruptSources) {
    let time = cpu.memory.control().guest_time();
    if time.ticks.load(Ordering::SeqCst) >= time.next_deadline.load(Ordering::SeqCst) {
        sched.sync_kernel(cpu);
    }
    // The kernel calls of callbacks wake threads as any call does.
    sources.service(cpu);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(s: &Scheduler) -> Option<GuestThreadId> {
        s.state.lock().unwrap().current
    }

    #[test]
    fn the_baton_goes_to_threads_in_the_order_they_became_ready() {
        let s = Scheduler::default();
        s.admit(3);
        s.admit(1);
        assert_eq!(s.hand_on(), Some(3));
        s.admit(2);
        s.yield_turn(3);
        assert_eq!(s.hand_on(), Some(1));
        s.yield_turn(1);
        assert_eq!(s.hand_on(), Some(2));
        s.yield_turn(2);
        assert_eq!(s.hand_on(), Some(3));
    }

    #[test]
    fn a_parked_thread_waits_until_something_arrives_for_it() {
        let s = Scheduler::default();
        s.admit(1);
        s.admit(2);
        assert_eq!(s.hand_on(), Some(1));
        s.block(1);
        assert_eq!(holder(&s), None);
        assert_eq!(s.hand_on(), Some(2));
        s.yield_turn(2);
        s.wake(1);
        // 2 queued before 1 was woken.
        assert_eq!(s.hand_on(), Some(2));
        s.yield_turn(2);
        assert_eq!(s.hand_on(), Some(1));
    }

    #[test]
    fn waking_a_thread_that_is_not_parked_queues_it_only_once() {
        let s = Scheduler::default();
        s.admit(1);
        s.wake(1);
        s.wake(1);
        assert_eq!(s.hand_on(), Some(1));
        s.wake(1);
        s.yield_turn(1);
        assert_eq!(s.hand_on(), Some(1));
        s.yield_turn(1);
        assert_eq!(s.state.lock().unwrap().ready.len(), 1);
    }

    #[test]
    fn a_suspended_thread_is_passed_over_until_resumed() {
        let s = Scheduler::default();
        s.admit(1);
        s.admit(2);
        s.set_suspended(1, true);
        assert_eq!(s.hand_on(), Some(2));
        s.yield_turn(2);
        assert_eq!(s.hand_on(), Some(2));
        s.yield_turn(2);
        s.set_suspended(1, false);
        assert_eq!(s.hand_on(), Some(1));
    }

    #[test]
    fn an_ended_thread_leaves_the_queue_and_frees_the_baton() {
        let s = Scheduler::default();
        s.admit(1);
        s.admit(2);
        assert_eq!(s.hand_on(), Some(1));
        s.exit(2);
        s.exit(1);
        assert_eq!(holder(&s), None);
        assert_eq!(s.hand_on(), None);
        assert!(!s.has_threads());
    }
}
