//! Executive reader/writer locks: `ERWLOCK` in guest memory, contention by
//! waiting on its embedded writer event or reader semaphore.
//!
//! Layout (0x38 bytes, xenia `X_ERWLOCK`, after the original Xbox's
//! `ERWLOCK` in Cxbx-Reloaded's `xboxkrnl.h`): `LockCount` i32 0x0 (-1 when
//! free, +1 per holder and waiter), `WritersWaitingCount` 0x4,
//! `ReadersWaitingCount` 0x8, `ReadersEntryCount` 0xC (readers holding the
//! lock; 0 while a writer holds it), `WriterEvent` (a synchronization
//! `KEVENT`) 0x10, `ReaderSemaphore` (a `KSEMAPHORE`, limit 0x7FFFFFFF)
//! 0x20, spin lock 0x34.
//!
//! Release hands the lock over instead of freeing it: readers that queued
//! behind a writer all get in at once (the semaphore is released by their
//! count and `ReadersEntryCount` set to it), else one waiting writer gets
//! the event. A reader may join readers that hold the lock only while no
//! writer waits, so writers are not starved. The kernel runs one call at a
//! time, so the spin lock is only initialized, never taken.

use super::{event, semaphore, wait};
use crate::dispatch::{Call, Outcome};
use crate::kernel::Kernel;
use shared::memory::{GuestMemory, VirtAddr};

pub const SIZE: u32 = 0x38;
pub const LOCK_COUNT: u32 = 0x0;
pub const WRITERS_WAITING: u32 = 0x4;
pub const READERS_WAITING: u32 = 0x8;
pub const READERS_ENTRY: u32 = 0xC;
pub const WRITER_EVENT: u32 = 0x10;
pub const READER_SEMAPHORE: u32 = 0x20;
pub const SPIN_LOCK: u32 = 0x34;
const _: () = assert!(READER_SEMAPHORE + semaphore::KSEMAPHORE_SIZE == SPIN_LOCK && SPIN_LOCK + 4 == SIZE);
const _: () = assert!(WRITER_EVENT + event::KEVENT_SIZE == READER_SEMAPHORE);

/// The reader semaphore's limit.
const READER_LIMIT: i32 = 0x7FFF_FFFF;

/// The counters of a lock, read from and written back to guest memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Counts {
    lock: i32,
    writers_waiting: u32,
    readers_waiting: u32,
    readers_entry: u32,
}

impl Counts {
    fn read(memory: &GuestMemory, lock: VirtAddr) -> Counts {
        let r = |off| memory.read_u32(lock.add(off)).unwrap_or(0);
        Counts {
            lock: r(LOCK_COUNT) as i32,
            writers_waiting: r(WRITERS_WAITING),
            readers_waiting: r(READERS_WAITING),
            readers_entry: r(READERS_ENTRY),
        }
    }

    fn write(self, memory: &GuestMemory, lock: VirtAddr) {
        let _ = memory.write_u32(lock.add(LOCK_COUNT), self.lock as u32);
        let _ = memory.write_u32(lock.add(WRITERS_WAITING), self.writers_waiting);
        let _ = memory.write_u32(lock.add(READERS_WAITING), self.readers_waiting);
        let _ = memory.write_u32(lock.add(READERS_ENTRY), self.readers_entry);
    }

    /// Whether a reader may enter now: the lock is free, or readers hold it
    /// and no writer is queued.
    fn reader_may_enter(self) -> bool {
        self.lock < 0 || (self.readers_entry != 0 && self.writers_waiting == 0)
    }
}

/// `ExInitializeReadWriteLock(ReadWriteLock)`.
pub fn ex_initialize_read_write_lock(kernel: &mut Kernel, lock: VirtAddr) {
    let m = &kernel.memory;
    Counts { lock: -1, writers_waiting: 0, readers_waiting: 0, readers_entry: 0 }.write(m, lock);
    event::ke_initialize_event(kernel, lock.add(WRITER_EVENT), 1, false);
    semaphore::ke_initialize_semaphore(kernel, lock.add(READER_SEMAPHORE), 0, READER_LIMIT);
    let _ = kernel.memory.write_u32(lock.add(SPIN_LOCK), 0);
}

/// Parks the caller on one of the lock's dispatcher objects.
fn block_on(kernel: &mut Kernel, object: VirtAddr, export: &'static str, call: &Call) -> Outcome {
    wait::begin(kernel, call.thread, call.args.lr, wait::Request::new(vec![object], export))
}

/// `ExAcquireReadWriteLockExclusive(ReadWriteLock)`: the lock when free,
/// else a wait on the writer event until a release hands it over.
pub fn ex_acquire_read_write_lock_exclusive(kernel: &mut Kernel, lock: VirtAddr, call: Call) -> Outcome {
    let mut c = Counts::read(&kernel.memory, lock);
    c.lock += 1;
    if c.lock == 0 {
        c.write(&kernel.memory, lock);
        return Outcome::value(0);
    }
    c.writers_waiting += 1;
    c.write(&kernel.memory, lock);
    block_on(kernel, lock.add(WRITER_EVENT), "ExAcquireReadWriteLockExclusive", &call)
}

/// `ExTryToAcquireReadWriteLockExclusive(ReadWriteLock)`: whether the
/// caller now holds the lock exclusively (only a free lock can be taken).
pub fn ex_try_to_acquire_read_write_lock_exclusive(kernel: &mut Kernel, lock: VirtAddr) -> bool {
    let mut c = Counts::read(&kernel.memory, lock);
    if c.lock >= 0 {
        return false;
    }
    c.lock = 0;
    c.write(&kernel.memory, lock);
    true
}

/// `ExAcquireReadWriteLockShared(ReadWriteLock)`: joins the readers when
/// it may, else a wait on the reader semaphore.
pub fn ex_acquire_read_write_lock_shared(kernel: &mut Kernel, lock: VirtAddr, call: Call) -> Outcome {
    let mut c = Counts::read(&kernel.memory, lock);
    let may_enter = c.reader_may_enter();
    c.lock += 1;
    if may_enter {
        c.readers_entry += 1;
        c.write(&kernel.memory, lock);
        return Outcome::value(0);
    }
    c.readers_waiting += 1;
    c.write(&kernel.memory, lock);
    block_on(kernel, lock.add(READER_SEMAPHORE), "ExAcquireReadWriteLockShared", &call)
}

/// `ExTryToAcquireReadWriteLockShared(ReadWriteLock)`: whether the caller
/// now holds the lock shared.
pub fn ex_try_to_acquire_read_write_lock_shared(kernel: &mut Kernel, lock: VirtAddr) -> bool {
    let mut c = Counts::read(&kernel.memory, lock);
    if !c.reader_may_enter() {
        return false;
    }
    c.lock += 1;
    c.readers_entry += 1;
    c.write(&kernel.memory, lock);
    true
}

/// `ExReleaseReadWriteLock(ReadWriteLock)`: the caller (reader or writer)
/// leaves; the lock goes to the queued readers or one queued writer.
pub fn ex_release_read_write_lock(kernel: &mut Kernel, lock: VirtAddr) {
    let mut c = Counts::read(&kernel.memory, lock);
    c.lock -= 1;
    if c.lock < 0 {
        // Nobody holds or waits for it any more.
        c.lock = -1;
        c.readers_entry = 0;
        c.write(&kernel.memory, lock);
        return;
    }
    if c.readers_entry == 0 {
        // A writer left; readers queued behind it go first, all together.
        if c.readers_waiting != 0 {
            let readers = c.readers_waiting;
            c.readers_waiting = 0;
            c.readers_entry = readers;
            c.write(&kernel.memory, lock);
            if let Err(e) = semaphore::release(kernel, lock.add(READER_SEMAPHORE), readers as i32) {
                tracing::warn!(lock = %lock, readers, "ExReleaseReadWriteLock could not wake readers: {e}");
            }
            return;
        }
    } else {
        c.readers_entry -= 1;
        if c.readers_entry != 0 {
            c.write(&kernel.memory, lock);
            return;
        }
    }
    // The last holder left and someone waits: a writer (readers would have
    // been let in beside the holders).
    c.writers_waiting = c.writers_waiting.saturating_sub(1);
    c.write(&kernel.memory, lock);
    event::set_event(kernel, lock.add(WRITER_EVENT));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::dispatcher;
    use crate::threading::testing::*;

    fn new_lock(k: &mut Kernel) -> VirtAddr {
        let lock = scratch(k, SIZE);
        k.memory.fill(lock, SIZE, 0xAA).unwrap();
        ex_initialize_read_write_lock(k, lock);
        lock
    }

    fn counts(k: &Kernel, lock: VirtAddr) -> (i32, u32, u32, u32) {
        let c = Counts::read(&k.memory, lock);
        (c.lock, c.writers_waiting, c.readers_waiting, c.readers_entry)
    }

    #[test]
    fn initialize_writes_a_free_lock_with_its_event_and_semaphore() {
        let mut k = Kernel::for_tests();
        let lock = new_lock(&mut k);
        assert_eq!(counts(&k, lock), (-1, 0, 0, 0));
        let kind = |off| dispatcher::kind(&k.memory, lock.add(off));
        assert_eq!(kind(WRITER_EVENT), Some(dispatcher::Kind::SynchronizationEvent));
        assert_eq!(kind(READER_SEMAPHORE), Some(dispatcher::Kind::Semaphore));
        assert_eq!(k.memory.read_u32(lock.add(READER_SEMAPHORE + semaphore::LIMIT)).unwrap(), 0x7FFF_FFFF);
        assert_eq!(k.memory.read_u32(lock.add(SPIN_LOCK)).unwrap(), 0);
    }

    #[test]
    fn readers_share_and_a_writer_waits_for_the_last_of_them() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let w = spawn(&mut k, 0x8200_0200);
        let lock = new_lock(&mut k);
        assert_eq!(ex_acquire_read_write_lock_shared(&mut k, lock, call_from(a)), Outcome::value(0));
        assert_eq!(ex_acquire_read_write_lock_shared(&mut k, lock, call_from(b)), Outcome::value(0));
        assert!(!ex_try_to_acquire_read_write_lock_exclusive(&mut k, lock));
        assert_eq!(ex_acquire_read_write_lock_exclusive(&mut k, lock, call_from(w)), Outcome::Pending);
        assert_eq!(counts(&k, lock), (2, 1, 0, 2));
        k.outbox.clear();
        ex_release_read_write_lock(&mut k, lock);
        assert!(returns(&k).is_empty(), "one reader still holds it");
        ex_release_read_write_lock(&mut k, lock);
        assert_eq!(returns(&k), vec![(w, 0)]);
        assert_eq!(counts(&k, lock), (0, 0, 0, 0), "the writer holds it");
        ex_release_read_write_lock(&mut k, lock);
        assert_eq!(counts(&k, lock), (-1, 0, 0, 0));
    }

    #[test]
    fn a_queued_writer_keeps_new_readers_out() {
        let (mut k, r1) = kernel_with_thread();
        let w = spawn(&mut k, 0x8200_0100);
        let r2 = spawn(&mut k, 0x8200_0200);
        let lock = new_lock(&mut k);
        ex_acquire_read_write_lock_shared(&mut k, lock, call_from(r1));
        ex_acquire_read_write_lock_exclusive(&mut k, lock, call_from(w));
        assert!(!ex_try_to_acquire_read_write_lock_shared(&mut k, lock));
        assert_eq!(ex_acquire_read_write_lock_shared(&mut k, lock, call_from(r2)), Outcome::Pending);
        k.outbox.clear();
        ex_release_read_write_lock(&mut k, lock);
        assert_eq!(returns(&k), vec![(w, 0)], "the writer first");
        k.outbox.clear();
        ex_release_read_write_lock(&mut k, lock);
        assert_eq!(returns(&k), vec![(r2, 0)], "then the reader that queued behind it");
        assert_eq!(counts(&k, lock), (0, 0, 0, 1));
    }

    #[test]
    fn a_writers_release_lets_every_queued_reader_in_at_once() {
        let (mut k, w) = kernel_with_thread();
        let r1 = spawn(&mut k, 0x8200_0100);
        let r2 = spawn(&mut k, 0x8200_0200);
        let lock = new_lock(&mut k);
        assert!(ex_try_to_acquire_read_write_lock_exclusive(&mut k, lock));
        assert_eq!(ex_acquire_read_write_lock_shared(&mut k, lock, call_from(r1)), Outcome::Pending);
        assert_eq!(ex_acquire_read_write_lock_shared(&mut k, lock, call_from(r2)), Outcome::Pending);
        k.outbox.clear();
        ex_release_read_write_lock(&mut k, lock);
        assert_eq!(returns(&k), vec![(r1, 0), (r2, 0)]);
        assert_eq!(counts(&k, lock), (1, 0, 0, 2));
        assert_eq!(dispatcher::signal(&k.memory, lock.add(READER_SEMAPHORE)), 0, "each reader took one count");
        let _ = w;
    }

    #[test]
    fn a_second_writer_waits_for_the_first() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let lock = new_lock(&mut k);
        let table_handler = crate::handler!(ex_acquire_read_write_lock_exclusive);
        let mut call = call_from(a);
        call.args.gpr[0] = lock.0 as u64;
        assert_eq!(table_handler(&mut k, &call), Outcome::value(0));
        call.thread = b;
        assert_eq!(table_handler(&mut k, &call), Outcome::Pending);
        assert!(!ex_try_to_acquire_read_write_lock_shared(&mut k, lock));
        k.outbox.clear();
        ex_release_read_write_lock(&mut k, lock);
        assert_eq!(returns(&k), vec![(b, 0)]);
        assert_eq!(counts(&k, lock), (0, 0, 0, 0));
    }
}
