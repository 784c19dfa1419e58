//! Single-producer single-consumer rings in the shared mapping.
//!
//! A ring is a header (head and tail counters on their own cache lines, two
//! futex event counters) followed by a power-of-two number of fixed-size
//! slots. Messages are plain-old-data (`bytemuck::Pod`) copied in and out
//! with volatile accesses. Every blocking call takes a timeout: a peer that
//! dies never wakes a waiter, so waiters always come back to check on it.
//!
//! Waiting first spins for up to the current spin budget, then sleeps on a
//! futex. The budget adapts between 0 and the configured maximum: it grows
//! when a spin found work and shrinks when it did not. Spinning only pays
//! when each side has a core to itself, so [`SpinPolicy::for_this_machine`]
//! turns it off on machines with two cores or fewer (DESIGN, "Links").

use bytemuck::Pod;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The rings of a session, one per direction of each hot link. The index is
/// the ring's slot in the control area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum RingId {
    /// cpu-proc → kernel-proc: kernel calls.
    KernelCall = 0,
    /// kernel-proc → cpu-proc: kernel call results and thread commands.
    KernelReply = 1,
    /// cpu-proc → gpu-proc: doorbells (ring-buffer write pointer).
    GpuDoorbell = 2,
    /// gpu-proc → cpu-proc: interrupts to run as guest code.
    GpuInterrupt = 3,
    /// audio-proc → cpu-proc: audio driver callbacks to run as guest code.
    AudioCallback = 4,
    /// kernel-proc → gpu-proc: video exports that need the GPU.
    KernelToGpu = 5,
    /// gpu-proc → kernel-proc: their results.
    GpuToKernel = 6,
    /// kernel-proc → audio-proc: audio exports that need the audio unit.
    KernelToAudio = 7,
    /// audio-proc → kernel-proc: their results.
    AudioToKernel = 8,
    /// cpu-proc → audio-proc: a render-driver callback returned.
    AudioCallbackDone = 9,
    /// `xenact bench ipc`: ping direction.
    BenchPing = 14,
    /// `xenact bench ipc`: pong direction.
    BenchPong = 15,
}

/// Why a ring operation did not complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RingError {
    #[error("timed out after {0:?} waiting on the ring's peer")]
    Timeout(Duration),
    #[error("a ring region must be 64-byte aligned")]
    MisalignedRegion,
    #[error("message of {size} bytes does not fit a ring slot of this region")]
    MessageTooLarge { size: usize },
}

/// How long a waiter spins before it sleeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SpinPolicy {
    /// Upper bound of the adaptive budget, in spin iterations; 0 disables spinning.
    pub max_spins: u32,
}

impl SpinPolicy {
    pub const OFF: SpinPolicy = SpinPolicy { max_spins: 0 };
    /// A budget of a few microseconds on current hosts.
    pub const DEFAULT_ON: SpinPolicy = SpinPolicy { max_spins: 20_000 };

    /// Spinning is off on machines with two cores or fewer.
    pub fn for_this_machine() -> SpinPolicy {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        if cores <= 2 {
            SpinPolicy::OFF
        } else {
            SpinPolicy::DEFAULT_ON
        }
    }
}

#[repr(C, align(64))]
struct Line(AtomicU32, AtomicU32);

#[repr(C)]
struct RingHeader {
    /// Messages pushed so far (written by the producer).
    head: Line,
    /// Messages popped so far (written by the consumer).
    tail: Line,
    /// Event counter bumped after each push; `.1` counts sleeping consumers.
    data: Line,
    /// Event counter bumped after each pop; `.1` counts sleeping producers.
    space: Line,
}

const HEADER_LEN: usize = std::mem::size_of::<RingHeader>();

struct RawRing<T> {
    header: *const RingHeader,
    slots: *mut T,
    mask: u32,
    _message: PhantomData<T>,
}

impl<T: Pod> RawRing<T> {
    /// # Safety
    /// `region` must be `len` bytes of shared memory that outlive the ring,
    /// laid out as a ring of `T` by every process that attaches to it.
    unsafe fn attach(region: *mut u8, len: usize) -> Result<RawRing<T>, RingError> {
        let size = std::mem::size_of::<T>().max(1);
        let room = len.saturating_sub(HEADER_LEN) / size;
        if region as usize % 64 != 0 {
            return Err(RingError::MisalignedRegion);
        }
        if room < 2 || std::mem::align_of::<T>() > 64 {
            return Err(RingError::MessageTooLarge { size });
        }
        let capacity = 1u32 << (usize::BITS - 1 - room.leading_zeros()).min(16);
        Ok(RawRing {
            header: region as *const RingHeader,
            slots: region.add(HEADER_LEN) as *mut T,
            mask: capacity - 1,
            _message: PhantomData,
        })
    }

    fn header(&self) -> &RingHeader {
        // SAFETY: attached to a live region (see `attach`).
        unsafe { &*self.header }
    }

    fn capacity(&self) -> u32 {
        self.mask + 1
    }
}

/// Sleeps on `counter` while it still equals `seen`, at most `timeout`.
fn futex_wait(counter: &AtomicU32, seen: u32, timeout: Duration) {
    use rustix::thread::futex;
    let ts = rustix::fs::Timespec {
        tv_sec: timeout.as_secs().min(i64::MAX as u64) as i64,
        tv_nsec: timeout.subsec_nanos() as _,
    };
    // Shared (not private) futex: the word lives in a mapping of several processes.
    let _ = futex::wait(counter, futex::Flags::empty(), seen, Some(&ts));
}

fn futex_wake_all(counter: &AtomicU32) {
    use rustix::thread::futex;
    let _ = futex::wake(counter, futex::Flags::empty(), u32::MAX);
}

/// Spins for up to the adaptive budget until `ready` holds.
struct Spinner {
    max: u32,
    budget: u32,
}

impl Spinner {
    fn new(policy: SpinPolicy) -> Spinner {
        Spinner { max: policy.max_spins, budget: policy.max_spins }
    }

    fn spin(&mut self, mut ready: impl FnMut() -> bool) -> bool {
        if self.max == 0 {
            return false;
        }
        for _ in 0..self.budget.max(64) {
            if ready() {
                self.budget = (self.budget.saturating_mul(2)).clamp(64, self.max);
                return true;
            }
            std::hint::spin_loop();
        }
        self.budget = (self.budget / 2).max(64);
        false
    }
}

/// Blocks until `ready()` holds or the deadline passes, sleeping on `event`.
fn wait_until(
    event: &Line,
    spinner: &mut Spinner,
    timeout: Duration,
    mut ready: impl FnMut() -> bool,
) -> Result<(), RingError> {
    if ready() || spinner.spin(&mut ready) {
        return Ok(());
    }
    let deadline = Instant::now() + timeout;
    loop {
        let seen = event.0.load(Ordering::SeqCst);
        event.1.fetch_add(1, Ordering::SeqCst);
        let done = ready();
        if !done {
            let now = Instant::now();
            if now >= deadline {
                event.1.fetch_sub(1, Ordering::SeqCst);
                return Err(RingError::Timeout(timeout));
            }
            futex_wait(&event.0, seen, deadline - now);
        }
        event.1.fetch_sub(1, Ordering::SeqCst);
        if done || ready() {
            return Ok(());
        }
    }
}

fn signal(event: &Line) {
    event.0.fetch_add(1, Ordering::SeqCst);
    if event.1.load(Ordering::SeqCst) > 0 {
        futex_wake_all(&event.0);
    }
}

/// The producing end of a ring. Only one process (and one thread at a time)
/// may hold the producing end of a given ring.
pub struct RingSender<T> {
    ring: RawRing<T>,
    spinner: Spinner,
}

/// The consuming end of a ring. Only one process (and one thread at a time)
/// may hold the consuming end of a given ring.
pub struct RingReceiver<T> {
    ring: RawRing<T>,
    spinner: Spinner,
}

// SAFETY: the ends only touch shared memory through atomics and volatile
// copies; moving an end to another thread keeps the single-owner rule.
unsafe impl<T: Pod> Send for RingSender<T> {}
unsafe impl<T: Pod> Send for RingReceiver<T> {}

impl<T: Pod> RingSender<T> {
    /// # Safety
    /// As for [`RingReceiver::attach`].
    pub unsafe fn attach(region: *mut u8, len: usize, policy: SpinPolicy) -> Result<Self, RingError> {
        Ok(RingSender { ring: RawRing::attach(region, len)?, spinner: Spinner::new(policy) })
    }

    /// Pushes `msg`, waiting up to `timeout` for a free slot.
    pub fn send(&mut self, msg: T, timeout: Duration) -> Result<(), RingError> {
        let ring = &self.ring;
        let h = ring.header();
        let head = h.head.0.load(Ordering::Relaxed);
        let capacity = ring.capacity();
        wait_until(&h.space, &mut self.spinner, timeout, || {
            head.wrapping_sub(h.tail.0.load(Ordering::Acquire)) < capacity
        })?;
        // SAFETY: the slot is free (tail has passed it) and inside the region.
        unsafe { std::ptr::write_volatile(ring.slots.add((head & ring.mask) as usize), msg) };
        h.head.0.store(head.wrapping_add(1), Ordering::SeqCst);
        signal(&h.data);
        Ok(())
    }
}

impl<T: Pod> RingReceiver<T> {
    /// # Safety
    /// `region` must be `len` bytes of shared memory that outlive the end,
    /// used as a ring of `T` by every process that attaches to it, with at
    /// most one sender and one receiver at a time.
    pub unsafe fn attach(region: *mut u8, len: usize, policy: SpinPolicy) -> Result<Self, RingError> {
        Ok(RingReceiver { ring: RawRing::attach(region, len)?, spinner: Spinner::new(policy) })
    }

    /// Pops the next message without waiting.
    pub fn try_recv(&mut self) -> Option<T> {
        let ring = &self.ring;
        let h = ring.header();
        let tail = h.tail.0.load(Ordering::Relaxed);
        if h.head.0.load(Ordering::Acquire) == tail {
            return None;
        }
        Some(self.take(tail))
    }

    /// Pops the next message, waiting up to `timeout` for one.
    pub fn recv(&mut self, timeout: Duration) -> Result<T, RingError> {
        let ring = &self.ring;
        let h = ring.header();
        let tail = h.tail.0.load(Ordering::Relaxed);
        wait_until(&h.data, &mut self.spinner, timeout, || h.head.0.load(Ordering::Acquire) != tail)?;
        Ok(self.take(tail))
    }

    fn take(&mut self, tail: u32) -> T {
        let ring = &self.ring;
        let h = ring.header();
        // SAFETY: head has passed `tail`, so the slot holds a published message.
        let msg = unsafe { std::ptr::read_volatile(ring.slots.add((tail & ring.mask) as usize)) };
        h.tail.0.store(tail.wrapping_add(1), Ordering::SeqCst);
        signal(&h.space);
        msg
    }
}

/// Attaches to one end of a ring in the control area of `memory`.
pub fn sender<T: Pod>(
    memory: &crate::GuestMemory,
    ring: RingId,
    policy: SpinPolicy,
) -> Result<RingSender<T>, RingError> {
    let (base, len) = memory.control().ring_region(ring);
    // SAFETY: the region lives as long as the process keeps `memory` mapped;
    // callers keep the mapping alive for the whole process.
    unsafe { RingSender::attach(base, len, policy) }
}

/// Attaches to the other end of a ring in the control area of `memory`.
pub fn receiver<T: Pod>(
    memory: &crate::GuestMemory,
    ring: RingId,
    policy: SpinPolicy,
) -> Result<RingReceiver<T>, RingError> {
    let (base, len) = memory.control().ring_region(ring);
    // SAFETY: as in `sender`.
    unsafe { RingReceiver::attach(base, len, policy) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
    #[repr(C)]
    struct Msg {
        a: u64,
        b: u32,
        c: u32,
    }

    #[derive(Clone, Copy)]
    #[repr(C, align(64))]
    struct Block([u8; 64]);

    /// A zeroed, 64-byte aligned buffer of at least `len` bytes.
    fn region(len: usize) -> Vec<Block> {
        vec![Block([0; 64]); len.div_ceil(64)]
    }

    #[test]
    fn messages_come_out_in_order_across_wraparound() {
        let len = HEADER_LEN + 4 * 16;
        let mut buf = region(len);
        let p = buf.as_mut_ptr() as *mut u8;
        let (mut tx, mut rx) = unsafe {
            (
                RingSender::<Msg>::attach(p, len, SpinPolicy::OFF).unwrap(),
                RingReceiver::<Msg>::attach(p, len, SpinPolicy::OFF).unwrap(),
            )
        };
        for i in 0..100u64 {
            tx.send(Msg { a: i, b: 1, c: 2 }, Duration::from_secs(1)).unwrap();
            assert_eq!(rx.recv(Duration::from_secs(1)).unwrap().a, i);
        }
        assert_eq!(rx.try_recv(), None);
    }

    #[test]
    fn full_ring_times_out_instead_of_blocking_forever() {
        let len = HEADER_LEN + 2 * 16;
        let mut buf = region(len);
        let p = buf.as_mut_ptr() as *mut u8;
        let mut tx = unsafe { RingSender::<Msg>::attach(p, len, SpinPolicy::OFF).unwrap() };
        tx.send(Msg { a: 1, b: 0, c: 0 }, Duration::from_millis(10)).unwrap();
        tx.send(Msg { a: 2, b: 0, c: 0 }, Duration::from_millis(10)).unwrap();
        let err = tx.send(Msg { a: 3, b: 0, c: 0 }, Duration::from_millis(20)).unwrap_err();
        assert_eq!(err, RingError::Timeout(Duration::from_millis(20)));
    }

    #[test]
    fn empty_ring_recv_times_out() {
        let mut buf = region(HEADER_LEN + 4 * 16);
        let p = buf.as_mut_ptr() as *mut u8;
        let mut rx = unsafe { RingReceiver::<Msg>::attach(p, HEADER_LEN + 4 * 16, SpinPolicy::DEFAULT_ON).unwrap() };
        assert!(matches!(rx.recv(Duration::from_millis(5)), Err(RingError::Timeout(_))));
    }

    #[test]
    fn a_sleeping_receiver_is_woken_by_another_thread() {
        let len = HEADER_LEN + 64 * 16;
        let mut buf = region(len);
        let p = buf.as_mut_ptr() as usize;
        let consumer = std::thread::spawn(move || {
            let mut rx = unsafe { RingReceiver::<Msg>::attach(p as *mut u8, len, SpinPolicy::OFF).unwrap() };
            (0..10_000).map(|_| rx.recv(Duration::from_secs(5)).unwrap().a).sum::<u64>()
        });
        let mut tx = unsafe { RingSender::<Msg>::attach(p as *mut u8, len, SpinPolicy::OFF).unwrap() };
        for i in 0..10_000u64 {
            tx.send(Msg { a: i, b: 0, c: 0 }, Duration::from_secs(5)).unwrap();
        }
        assert_eq!(consumer.join().unwrap(), (0..10_000u64).sum::<u64>());
        drop(buf);
    }

    #[test]
    fn a_region_too_small_for_two_messages_is_refused() {
        let mut buf = region(HEADER_LEN + 16);
        let r = unsafe { RingSender::<Msg>::attach(buf.as_mut_ptr() as *mut u8, HEADER_LEN + 16, SpinPolicy::OFF) };
        assert!(matches!(r, Err(RingError::MessageTooLarge { .. })));
    }
}
