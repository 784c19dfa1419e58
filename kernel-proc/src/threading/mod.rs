//! Guest threads, dispatcher objects, waits and the scheduler's view of them.
//!
//! kernel-proc is one event loop, so a guest thread that has to block is
//! not blocked here: its call returns [`Outcome::Pending`](crate::dispatch::Outcome)
//! and the thread is recorded as waiting ([`wait::Wait`]). Whatever later
//! satisfies the wait (a signal from another thread's call, a timeout, a
//! timer, an APC) pushes `ToCpu::Return` for it onto `kernel.outbox`.
//!
//! Dispatcher state (signal states, mutant owners) lives only in guest
//! memory ([`dispatcher`]); the wait engine knows waitable objects by the
//! guest address of their `DISPATCHER_HEADER`, whether the kernel created
//! them (`NtCreateEvent`) or the title initialized them (`KeInitializeEvent`).
//!
//! Hooks for the event loop and the loader: [`create_thread`],
//! [`next_deadline`], [`expire`], [`thread_returned`], [`thread_faulted`],
//! [`deadlock_report`], [`queue_user_apc`], and the setters on [`Threads`]
//! ([`Threads::set_return_thunk`], [`Threads::set_tls_template`],
//! [`Threads::set_default_stack_size`]).
//!
//! Submodules, one per object type or mechanism: [`thread`] (threads, PCR
//! and `KTHREAD` in guest memory, stacks, suspend/resume, priorities),
//! [`tls`], [`wait`] (the wait engine and wait exports), [`event`],
//! [`semaphore`], [`mutant`], [`timer`], [`apc`] (APCs and DPCs),
//! [`critical_section`], [`rwlock`] (executive reader/writer locks),
//! [`io_completion`] (I/O completion ports), [`stack`] (kernel stacks and
//! stack switches), [`processor`] (FPU exceptions, L2 locking), [`spinlock`] (spin locks and IRQL), [`slist`]
//! (interlocked singly linked lists), [`deadlock`].

pub mod apc;
pub mod critical_section;
pub mod deadlock;
pub mod dispatcher;
pub mod event;
pub mod io_completion;
pub mod mutant;
pub mod processor;
pub mod rwlock;
pub mod semaphore;
pub mod slist;
pub mod spinlock;
pub mod stack;
pub mod thread;
pub mod timer;
pub mod tls;
pub mod wait;

#[cfg(test)]
pub mod testing;

pub use apc::queue_user_apc;
pub use deadlock::deadlock_report;
pub use thread::{create_thread, thread_faulted, thread_returned, CreateThread, Thread};
pub use wait::{expire, next_deadline};

use crate::ob::pool::RangeAllocator;
use crate::ob::ObjectId;
use shared::ipc::kernel::GuestThreadId;
use shared::memory::VirtAddr;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// Where thread stacks are allocated: the memory manager's stack region up
/// to the kernel-object pool (`mm::STACK_REGION_START` and
/// [`crate::ob::POOL_START`]); the memory manager leaves this range alone.
pub const STACK_RANGE_START: u32 = 0x7000_0000;
pub const STACK_RANGE_END: u32 = crate::ob::POOL_START;

/// `KeGetCurrentProcessType` values.
pub const PROCESS_TYPE_IDLE: u32 = 0;
pub const PROCESS_TYPE_USER: u32 = 1;
pub const PROCESS_TYPE_SYSTEM: u32 = 2;

/// All guest threads and the state of their waits.
#[derive(Debug)]
pub struct Threads {
    threads: BTreeMap<GuestThreadId, Thread>,
    next_id: GuestThreadId,
    by_kthread: HashMap<u32, GuestThreadId>,
    stacks: RangeAllocator,
    /// Armed timers by `KTIMER` address.
    timers: BTreeMap<u32, timer::Armed>,
    /// Every mutant the kernel has seen (created or initialized), by header
    /// address, so a dying owner's mutants can be abandoned.
    mutants: BTreeSet<u32>,
    /// DPCs waiting for a thread to run them on.
    pending_dpcs: VecDeque<apc::Callback>,
    /// Order in which waits began (FIFO wake-up).
    wait_seq: u64,
    return_thunk: u32,
    tls: tls::TlsTemplate,
    tls_slots: Vec<bool>,
    process_type: u32,
    default_stack_size: u32,
    next_processor: u8,
}

impl Default for Threads {
    fn default() -> Threads {
        Threads {
            threads: BTreeMap::new(),
            next_id: 1,
            by_kthread: HashMap::new(),
            stacks: RangeAllocator::new(STACK_RANGE_START, STACK_RANGE_END),
            timers: BTreeMap::new(),
            mutants: BTreeSet::new(),
            pending_dpcs: VecDeque::new(),
            wait_seq: 0,
            return_thunk: 0,
            tls: tls::TlsTemplate::default(),
            tls_slots: Vec::new(),
            process_type: PROCESS_TYPE_USER,
            default_stack_size: 0x4_0000,
            next_processor: 0,
        }
    }
}

impl Threads {
    /// The guest address a thread's entry function returns to: a thunk that
    /// reports `ToKernel::ThreadReturned` (the loader builds it).
    pub fn set_return_thunk(&mut self, addr: VirtAddr) {
        self.return_thunk = addr.0;
    }

    /// The title's TLS layout from its XEX header; threads created afterwards
    /// get blocks of this shape.
    /// The TLS layout every thread gets.
    pub fn tls_template(&self) -> &tls::TlsTemplate {
        &self.tls
    }

    pub fn set_tls_template(&mut self, template: tls::TlsTemplate) {
        self.tls = template;
    }

    /// Stack size for `ExCreateThread` calls that pass 0 (the XEX header's).
    pub fn set_default_stack_size(&mut self, size: u32) {
        self.default_stack_size = size;
    }

    pub fn get(&self, id: GuestThreadId) -> Option<&Thread> {
        self.threads.get(&id)
    }

    pub fn get_mut(&mut self, id: GuestThreadId) -> Option<&mut Thread> {
        self.threads.get_mut(&id)
    }

    /// Every thread, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Thread> {
        self.threads.values()
    }

    /// The thread object of `id`, if it is still alive.
    pub fn object_of(&self, id: GuestThreadId) -> Option<ObjectId> {
        self.threads.get(&id).and_then(|t| t.object)
    }

    /// The thread whose `KTHREAD` is at `kthread`.
    pub fn by_kthread(&self, kthread: VirtAddr) -> Option<GuestThreadId> {
        self.by_kthread.get(&kthread.0).copied()
    }

    /// Exit code of an ended thread.
    pub fn exit_code(&self, id: GuestThreadId) -> Option<u32> {
        self.threads.get(&id).and_then(|t| t.exit_code())
    }

    /// `KeGetCurrentProcessType`'s answer.
    pub fn process_type(&self) -> u32 {
        self.process_type
    }

    fn next_wait_seq(&mut self) -> u64 {
        self.wait_seq += 1;
        self.wait_seq
    }
}
