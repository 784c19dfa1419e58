//! Spin locks and IRQL.
//!
//! A spin lock is a guest word: 0 free, 1 held (xenia's values). The kernel
//! cannot spin (it serves every thread), so a thread that finds the lock
//! held waits and retries every [`SPIN_RETRY`] of guest time and whenever a
//! lock is released through the kernel. IRQL is tracked per thread (the
//! console keeps it per processor; cpu-proc runs one guest thread per host
//! thread, so each thread's view is its own).

use super::thread::RunState;
use super::wait;
use crate::dispatch::{Call, Outcome};
use crate::kernel::Kernel;
use crate::status::NtStatus;
use crate::threading::critical_section::atomic_cas;
use shared::ipc::kernel::GuestThreadId;
use shared::memory::VirtAddr;
use std::time::Duration;

/// `DISPATCH_LEVEL`.
pub const DISPATCH_LEVEL: u8 = 2;
/// How often a contended spin lock is retried.
pub const SPIN_RETRY: Duration = Duration::from_micros(100);

fn irql_of(kernel: &Kernel, thread: GuestThreadId) -> u8 {
    kernel.threads.get(thread).map_or(0, |t| t.irql)
}

fn set_irql(kernel: &mut Kernel, thread: GuestThreadId, irql: u8) -> u8 {
    kernel.threads.get_mut(thread).map_or(0, |t| std::mem::replace(&mut t.irql, irql))
}

fn acquire(kernel: &mut Kernel, lock: VirtAddr, call: Call, export: &'static str) -> Outcome {
    if atomic_cas(&kernel.memory, lock, 0, 1) {
        let old = set_irql(kernel, call.thread, DISPATCH_LEVEL);
        return Outcome::value(old as u64);
    }
    let deadline = Some(kernel.clock.elapsed() + SPIN_RETRY);
    let req = wait::Request { deadline, after: wait::After::SpinLock(lock), ..wait::Request::new(Vec::new(), export) };
    wait::begin(kernel, call.thread, call.args.lr, req)
}

/// Retries a waiting thread's spin lock (from `expire`).
pub fn retry(kernel: &mut Kernel, thread: GuestThreadId, lock: VirtAddr) {
    if atomic_cas(&kernel.memory, lock, 0, 1) {
        let old = set_irql(kernel, thread, DISPATCH_LEVEL);
        wait::complete(kernel, thread, NtStatus(old as u32), false);
        return;
    }
    let next = kernel.clock.elapsed() + SPIN_RETRY;
    if let Some(RunState::Waiting(w)) = kernel.threads.get_mut(thread).map(|t| &mut t.state) {
        w.deadline = Some(next);
    }
}

fn released(kernel: &mut Kernel, lock: VirtAddr) {
    let _ = kernel.memory.write_u32(lock, 0);
    let spinner = kernel
        .threads
        .iter()
        .filter_map(|t| t.wait().filter(|w| w.after == wait::After::SpinLock(lock)).map(|w| (w.seq(), t.id)))
        .min();
    if let Some((_, id)) = spinner {
        retry(kernel, id, lock);
    }
}

/// `KfAcquireSpinLock(SpinLock)`: raises to DISPATCH_LEVEL; the old IRQL.
pub fn kf_acquire_spin_lock(kernel: &mut Kernel, lock: VirtAddr, call: Call) -> Outcome {
    acquire(kernel, lock, call, "KfAcquireSpinLock")
}

/// `KfReleaseSpinLock(SpinLock, OldIrql)`.
pub fn kf_release_spin_lock(kernel: &mut Kernel, lock: VirtAddr, old_irql: u32, call: Call) {
    set_irql(kernel, call.thread, old_irql as u8);
    released(kernel, lock);
}

/// `KeAcquireSpinLockAtRaisedIrql(SpinLock)`.
pub fn ke_acquire_spin_lock_at_raised_irql(kernel: &mut Kernel, lock: VirtAddr, call: Call) -> Outcome {
    match acquire(kernel, lock, call, "KeAcquireSpinLockAtRaisedIrql") {
        Outcome::Return { .. } => Outcome::value(0),
        other => other,
    }
}

/// `KeTryToAcquireSpinLockAtRaisedIrql(SpinLock)`: whether it was taken.
pub fn ke_try_to_acquire_spin_lock_at_raised_irql(kernel: &mut Kernel, lock: VirtAddr) -> bool {
    atomic_cas(&kernel.memory, lock, 0, 1)
}

/// `KeReleaseSpinLockFromRaisedIrql(SpinLock)`.
pub fn ke_release_spin_lock_from_raised_irql(kernel: &mut Kernel, lock: VirtAddr) {
    released(kernel, lock);
}

/// `KeRaiseIrqlToDpcLevel()`: the old IRQL.
pub fn ke_raise_irql_to_dpc_level(kernel: &mut Kernel, call: Call) -> u32 {
    set_irql(kernel, call.thread, DISPATCH_LEVEL) as u32
}

/// `KfRaiseIrql(NewIrql)`: the old IRQL.
pub fn kf_raise_irql(kernel: &mut Kernel, new_irql: u32, call: Call) -> u32 {
    let old = irql_of(kernel, call.thread);
    set_irql(kernel, call.thread, (new_irql as u8).max(old)) as u32
}

/// `KfLowerIrql(NewIrql)`.
pub fn kf_lower_irql(kernel: &mut Kernel, new_irql: u32, call: Call) {
    set_irql(kernel, call.thread, new_irql as u8);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::*;
    use crate::threading::wait::expire;

    #[test]
    fn a_held_spin_lock_is_retried_until_released() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let lock = scratch(&mut k, 4);
        assert_eq!(kf_acquire_spin_lock(&mut k, lock, call_from(a)), Outcome::value(0));
        assert_eq!(k.threads.get(a).unwrap().irql, DISPATCH_LEVEL);
        assert_eq!(kf_acquire_spin_lock(&mut k, lock, call_from(b)), Outcome::Pending);
        k.clock.advance(SPIN_RETRY);
        expire(&mut k);
        assert!(returns(&k).is_empty());
        kf_release_spin_lock(&mut k, lock, 0, call_from(a));
        assert_eq!(k.threads.get(a).unwrap().irql, 0);
        assert_eq!(returns(&k), vec![(b, 0)]);
        assert_eq!(k.memory.read_u32(lock).unwrap(), 1);
        assert!(!ke_try_to_acquire_spin_lock_at_raised_irql(&mut k, lock));
        ke_release_spin_lock_from_raised_irql(&mut k, lock);
        assert!(ke_try_to_acquire_spin_lock_at_raised_irql(&mut k, lock));
    }

    #[test]
    fn irql_raises_and_lowers_per_thread() {
        let (mut k, t) = kernel_with_thread();
        assert_eq!(ke_raise_irql_to_dpc_level(&mut k, call_from(t)), 0);
        assert_eq!(kf_raise_irql(&mut k, 1, call_from(t)), 2, "raising never lowers");
        kf_lower_irql(&mut k, 0, call_from(t));
        assert_eq!(kf_raise_irql(&mut k, 1, call_from(t)), 0);
    }
}
