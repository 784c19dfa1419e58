//! Critical sections: `RTL_CRITICAL_SECTION` in guest memory, contention
//! by waiting on the synchronization event at its start.
//!
//! Layout (0x1C bytes, xenia `X_RTL_CRITICAL_SECTION`): dispatcher header
//! of a synchronization event 0x0 (its byte 0x1 holds the spin count / 256),
//! `LockCount` i32 0x10 (-1 when free, +1 per holder and waiter),
//! `RecursionCount` i32 0x14, `OwningThread` 0x18 (a `KTHREAD` pointer).
//! `LockCount` is updated with atomic big-endian operations so code that
//! enters uncontended sections inside cpu-proc stays consistent with this.

use super::{dispatcher, event, wait};
use crate::dispatch::{Call, Outcome};
use crate::kernel::Kernel;
use crate::status::NtStatus;
use shared::memory::{GuestMemory, VirtAddr};
use std::sync::atomic::Ordering;

pub const SIZE: u32 = 0x1C;
pub const LOCK_COUNT: u32 = 0x10;
pub const RECURSION_COUNT: u32 = 0x14;
pub const OWNING_THREAD: u32 = 0x18;

/// Adds `delta` to a big-endian guest word atomically; the new value.
pub fn atomic_add(memory: &GuestMemory, at: VirtAddr, delta: i32) -> i32 {
    match memory.atomic_u32(at) {
        Ok(word) => {
            let old = word
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |raw| {
                    Some(((u32::from_be(raw) as i32).wrapping_add(delta) as u32).to_be())
                })
                .expect("the closure always succeeds");
            (u32::from_be(old) as i32).wrapping_add(delta)
        }
        Err(_) => {
            let v = (memory.read_u32(at).unwrap_or(0) as i32).wrapping_add(delta);
            let _ = memory.write_u32(at, v as u32);
            v
        }
    }
}

/// Replaces a big-endian guest word holding `old` with `new`; whether it did.
pub fn atomic_cas(memory: &GuestMemory, at: VirtAddr, old: u32, new: u32) -> bool {
    match memory.atomic_u32(at) {
        Ok(word) => word.compare_exchange(old.to_be(), new.to_be(), Ordering::SeqCst, Ordering::SeqCst).is_ok(),
        Err(_) => {
            if memory.read_u32(at).ok() == Some(old) {
                let _ = memory.write_u32(at, new);
                true
            } else {
                false
            }
        }
    }
}

fn init(memory: &GuestMemory, cs: VirtAddr, spin_div_256: u8) {
    dispatcher::init(memory, cs, dispatcher::Kind::SynchronizationEvent, dispatcher::HEADER_SIZE, 0);
    let _ = memory.write_u8(cs.add(1), spin_div_256);
    let _ = memory.write_u32(cs.add(LOCK_COUNT), -1i32 as u32);
    let _ = memory.write_u32(cs.add(RECURSION_COUNT), 0);
    let _ = memory.write_u32(cs.add(OWNING_THREAD), 0);
}

/// Makes `kthread` the owner (after winning the lock or its event).
pub fn take_ownership(memory: &GuestMemory, cs: VirtAddr, kthread: VirtAddr) {
    let _ = memory.write_u32(cs.add(OWNING_THREAD), kthread.0);
    let _ = memory.write_u32(cs.add(RECURSION_COUNT), 1);
}

fn kthread_of(kernel: &Kernel, call: &Call) -> VirtAddr {
    kernel.threads.get(call.thread).map_or(VirtAddr(0), |t| t.kthread)
}

/// `RtlInitializeCriticalSection(CriticalSection)`.
pub fn rtl_initialize_critical_section(kernel: &mut Kernel, cs: VirtAddr) {
    init(&kernel.memory, cs, 0);
}

/// `RtlInitializeCriticalSectionAndSpinCount(CriticalSection, SpinCount)`:
/// the spin count is kept (in 256s, at most 255) but not used.
pub fn rtl_initialize_critical_section_and_spin_count(kernel: &mut Kernel, cs: VirtAddr, spin_count: u32) -> NtStatus {
    init(&kernel.memory, cs, spin_count.div_ceil(256).min(255) as u8);
    NtStatus::SUCCESS
}

/// `RtlEnterCriticalSection(CriticalSection)`: recursion for the owner,
/// the lock when free, otherwise a wait on the section's event.
pub fn rtl_enter_critical_section(kernel: &mut Kernel, cs: VirtAddr, call: Call) -> Outcome {
    let me = kthread_of(kernel, &call);
    let m = &kernel.memory;
    if m.read_u32(cs.add(OWNING_THREAD)).ok() == Some(me.0) && me.0 != 0 {
        atomic_add(m, cs.add(LOCK_COUNT), 1);
        atomic_add(m, cs.add(RECURSION_COUNT), 1);
        return Outcome::value(0);
    }
    if atomic_add(m, cs.add(LOCK_COUNT), 1) == 0 {
        take_ownership(m, cs, me);
        return Outcome::value(0);
    }
    let req = wait::Request {
        after: wait::After::CriticalSection(cs),
        ..wait::Request::new(vec![cs], "RtlEnterCriticalSection")
    };
    wait::begin(kernel, call.thread, call.args.lr, req)
}

/// `RtlTryEnterCriticalSection(CriticalSection)`: whether the caller now holds it.
pub fn rtl_try_enter_critical_section(kernel: &mut Kernel, cs: VirtAddr, call: Call) -> bool {
    let me = kthread_of(kernel, &call);
    let m = &kernel.memory;
    if atomic_cas(m, cs.add(LOCK_COUNT), -1i32 as u32, 0) {
        take_ownership(m, cs, me);
        return true;
    }
    if m.read_u32(cs.add(OWNING_THREAD)).ok() == Some(me.0) && me.0 != 0 {
        atomic_add(m, cs.add(LOCK_COUNT), 1);
        atomic_add(m, cs.add(RECURSION_COUNT), 1);
        return true;
    }
    false
}

/// `RtlLeaveCriticalSection(CriticalSection)`: the last level wakes one waiter.
pub fn rtl_leave_critical_section(kernel: &mut Kernel, cs: VirtAddr) {
    let m = &kernel.memory;
    if atomic_add(m, cs.add(RECURSION_COUNT), -1) > 0 {
        atomic_add(m, cs.add(LOCK_COUNT), -1);
        return;
    }
    let _ = m.write_u32(cs.add(RECURSION_COUNT), 0);
    let _ = m.write_u32(cs.add(OWNING_THREAD), 0);
    if atomic_add(m, cs.add(LOCK_COUNT), -1) >= 0 {
        event::set_event(kernel, cs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::*;

    #[test]
    fn the_owner_reenters_and_a_contender_waits_until_the_last_leave() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let cs = scratch(&mut k, SIZE);
        rtl_initialize_critical_section(&mut k, cs);
        assert_eq!(rtl_enter_critical_section(&mut k, cs, call_from(a)), Outcome::value(0));
        assert_eq!(rtl_enter_critical_section(&mut k, cs, call_from(a)), Outcome::value(0));
        assert_eq!(k.memory.read_u32(cs.add(RECURSION_COUNT)).unwrap(), 2);
        assert!(!rtl_try_enter_critical_section(&mut k, cs, call_from(b)));
        assert_eq!(rtl_enter_critical_section(&mut k, cs, call_from(b)), Outcome::Pending);
        k.outbox.clear();
        rtl_leave_critical_section(&mut k, cs);
        assert!(returns(&k).is_empty());
        rtl_leave_critical_section(&mut k, cs);
        assert_eq!(returns(&k), vec![(b, 0)]);
        let kb = k.threads.get(b).unwrap().kthread.0;
        assert_eq!(k.memory.read_u32(cs.add(OWNING_THREAD)).unwrap(), kb);
        assert_eq!(k.memory.read_u32(cs.add(RECURSION_COUNT)).unwrap(), 1);
        assert_eq!(k.memory.read_u32(cs.add(LOCK_COUNT)).unwrap(), 0);
        rtl_leave_critical_section(&mut k, cs);
        assert_eq!(k.memory.read_u32(cs.add(LOCK_COUNT)).unwrap() as i32, -1);
        assert!(rtl_try_enter_critical_section(&mut k, cs, call_from(a)));
    }

    #[test]
    fn spin_count_is_kept_in_256s() {
        let (mut k, _) = kernel_with_thread();
        let cs = scratch(&mut k, SIZE);
        assert_eq!(rtl_initialize_critical_section_and_spin_count(&mut k, cs, 1000), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u8(cs.add(1)).unwrap(), 4);
        assert_eq!(k.memory.read_u8(cs).unwrap(), 1, "a synchronization event");
    }
}
