//! Mutants: owned, recursive, abandoned when their owner ends.
//!
//! `KMUTANT` (0x20 bytes, see [`dispatcher`]): `SignalState` is 1 when free
//! and goes down by one per acquisition (so the owner's recursion depth is
//! `1 - SignalState`); `OwnerThread` holds the owner's `KTHREAD`;
//! `Abandoned` is set when the owner ended holding it, and the next
//! acquirer's wait reports `STATUS_ABANDONED_WAIT_0 (+ index)`.

use super::dispatcher::{self, MUTANT_ABANDONED, MUTANT_OWNER, MUTANT_SIZE};
use super::wait;
use crate::dispatch::Call;
use crate::kernel::Kernel;
use crate::ob::names::{finish_create, open_if_named, report_opened, Creation};
use crate::ob::ObjectType;
use crate::status::NtStatus;
use shared::ipc::kernel::GuestThreadId;
use shared::memory::VirtAddr;

fn kthread_of(kernel: &Kernel, thread: GuestThreadId) -> VirtAddr {
    kernel.threads.get(thread).map_or(VirtAddr(0), |t| t.kthread)
}

fn init(kernel: &mut Kernel, at: VirtAddr, owner: Option<VirtAddr>) {
    let m = &kernel.memory;
    dispatcher::init(m, at, dispatcher::Kind::Mutant, MUTANT_SIZE, if owner.is_some() { 0 } else { 1 });
    let _ = m.write_u32(at.add(0x10), at.0 + 0x10);
    let _ = m.write_u32(at.add(0x14), at.0 + 0x10);
    let _ = m.write_u32(at.add(MUTANT_OWNER), owner.map_or(0, |o| o.0));
    let _ = m.write_u8(at.add(MUTANT_ABANDONED), 0);
    kernel.threads.mutants.insert(at.0);
}

/// Releases one level of `thread`'s ownership of the mutant at `header`;
/// the previous signal state. `MUTANT_NOT_OWNED` if `thread` does not own it.
pub fn release(kernel: &mut Kernel, header: VirtAddr, thread: GuestThreadId) -> Result<i32, NtStatus> {
    let me = kthread_of(kernel, thread);
    let previous = dispatcher::signal(&kernel.memory, header);
    if previous > 0 || dispatcher::mutant_owner(&kernel.memory, header) != me.0 {
        return Err(NtStatus::MUTANT_NOT_OWNED);
    }
    dispatcher::set_signal(&kernel.memory, header, previous + 1);
    if previous + 1 == 1 {
        let _ = kernel.memory.write_u32(header.add(MUTANT_OWNER), 0);
        wait::signal_changed(kernel, header);
    }
    Ok(previous)
}

fn abandon(kernel: &mut Kernel, header: VirtAddr) {
    dispatcher::set_signal(&kernel.memory, header, 1);
    let _ = kernel.memory.write_u32(header.add(MUTANT_OWNER), 0);
    let _ = kernel.memory.write_u8(header.add(MUTANT_ABANDONED), 1);
    wait::signal_changed(kernel, header);
}

/// Abandons every mutant the thread whose `KTHREAD` is `kthread` owns.
pub fn abandon_owned_by(kernel: &mut Kernel, kthread: VirtAddr) {
    let owned: Vec<u32> = kernel
        .threads
        .mutants
        .iter()
        .copied()
        .filter(|&m| {
            let at = VirtAddr(m);
            dispatcher::kind(&kernel.memory, at) == Some(dispatcher::Kind::Mutant)
                && dispatcher::mutant_owner(&kernel.memory, at) == kthread.0
                && dispatcher::signal(&kernel.memory, at) <= 0
        })
        .collect();
    for m in owned {
        abandon(kernel, VirtAddr(m));
    }
}

fn mutant_of(kernel: &Kernel, handle: u32) -> Result<VirtAddr, NtStatus> {
    let id = kernel.objects.lookup(handle).ok_or(NtStatus::INVALID_HANDLE)?;
    match kernel.objects.get(id) {
        Some(o) if o.ty == ObjectType::Mutant => Ok(o.body),
        Some(_) => Err(NtStatus::OBJECT_TYPE_MISMATCH),
        None => Err(NtStatus::INVALID_HANDLE),
    }
}

/// `NtCreateMutant(Handle*, ObjectAttributes*, InitialOwner)`.
pub fn nt_create_mutant(
    kernel: &mut Kernel,
    handle_out: VirtAddr,
    attrs: Option<VirtAddr>,
    initial_owner: bool,
    call: Call,
) -> NtStatus {
    let name = match open_if_named(kernel, attrs, ObjectType::Mutant) {
        Ok(Creation::Opened(handle)) => return report_opened(kernel, handle, Some(handle_out)),
        Ok(Creation::Create(name)) => name,
        Err(e) => return e,
    };
    let id = match kernel.objects.create(&kernel.memory, ObjectType::Mutant, MUTANT_SIZE) {
        Ok(id) => id,
        Err(e) => return e,
    };
    let body = kernel.objects.get(id).expect("just created").body;
    let owner = initial_owner.then(|| kthread_of(kernel, call.thread));
    init(kernel, body, owner);
    finish_create(kernel, id, name, Some(handle_out)).map_or_else(|e| e, |_| NtStatus::SUCCESS)
}

/// `NtReleaseMutant(Handle, PreviousCount*)`.
pub fn nt_release_mutant(kernel: &mut Kernel, handle: u32, previous_out: Option<VirtAddr>, call: Call) -> NtStatus {
    match mutant_of(kernel, handle).and_then(|header| release(kernel, header, call.thread)) {
        Ok(previous) => {
            if let Some(out) = previous_out {
                let _ = kernel.memory.write_u32(out, previous as u32);
            }
            NtStatus::SUCCESS
        }
        Err(e) => e,
    }
}

/// `NtQueryMutant(Handle, MutantBasicInformation*)`:
/// `{ CurrentCount: i32, OwnedByCaller: u8, AbandonedState: u8 }`.
pub fn nt_query_mutant(kernel: &mut Kernel, handle: u32, info_out: VirtAddr, call: Call) -> NtStatus {
    match mutant_of(kernel, handle) {
        Ok(header) => {
            let m = &kernel.memory;
            let count = dispatcher::signal(m, header);
            let owned = dispatcher::mutant_owner(m, header) == kthread_of(kernel, call.thread).0 && count <= 0;
            let abandoned = m.read_u8(header.add(MUTANT_ABANDONED)).unwrap_or(0);
            let ok = m.write_u32(info_out, count as u32).is_ok()
                && m.write_u8(info_out.add(4), owned as u8).is_ok()
                && m.write_u8(info_out.add(5), abandoned).is_ok();
            if ok {
                NtStatus::SUCCESS
            } else {
                NtStatus::ACCESS_VIOLATION
            }
        }
        Err(e) => e,
    }
}

/// `KeInitializeMutant(Mutant, InitialOwner)` on guest memory.
pub fn ke_initialize_mutant(kernel: &mut Kernel, mutant: VirtAddr, initial_owner: bool, call: Call) {
    let owner = initial_owner.then(|| kthread_of(kernel, call.thread));
    init(kernel, mutant, owner);
}

/// `KeReleaseMutant(Mutant, Increment, Abandoned, Wait)`: the previous
/// signal state. With `Abandoned` the mutant is freed as if its owner died.
pub fn ke_release_mutant(
    kernel: &mut Kernel,
    mutant: VirtAddr,
    _increment: u32,
    abandoned: bool,
    _wait: bool,
    call: Call,
) -> i32 {
    kernel.threads.mutants.insert(mutant.0);
    let previous = dispatcher::signal(&kernel.memory, mutant);
    if abandoned {
        abandon(kernel, mutant);
        return previous;
    }
    match release(kernel, mutant, call.thread) {
        Ok(previous) => previous,
        Err(e) => {
            tracing::warn!(mutant = %mutant, thread = call.thread, "KeReleaseMutant failed: {e}");
            previous
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::Outcome;
    use crate::threading::testing::*;
    use crate::threading::wait::{nt_wait_for_multiple_objects_ex, nt_wait_for_single_object_ex, WAIT_ANY};

    fn new_mutant(k: &mut Kernel, owner: Option<GuestThreadId>) -> u32 {
        let out = scratch(k, 4);
        let st = nt_create_mutant(k, out, None, owner.is_some(), call_from(owner.unwrap_or(1)));
        assert_eq!(st, NtStatus::SUCCESS);
        k.memory.read_u32(out).unwrap()
    }

    #[test]
    fn the_owner_may_acquire_recursively_and_must_release_as_often() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let h = new_mutant(&mut k, Some(a));
        assert_eq!(nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(a)), Outcome::value(0));
        assert_eq!(event_state(&k, h), -1);
        assert_eq!(nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(b)), Outcome::Pending);
        assert_eq!(nt_release_mutant(&mut k, h, None, call_from(b)), NtStatus::MUTANT_NOT_OWNED);
        k.outbox.clear();
        assert_eq!(nt_release_mutant(&mut k, h, None, call_from(a)), NtStatus::SUCCESS);
        assert!(returns(&k).is_empty(), "still held once");
        assert_eq!(nt_release_mutant(&mut k, h, None, call_from(a)), NtStatus::SUCCESS);
        assert_eq!(returns(&k), vec![(b, 0)]);
        let kb = k.threads.get(b).unwrap().kthread;
        assert_eq!(dispatcher::mutant_owner(&k.memory, body(&k, h)), kb.0);
    }

    #[test]
    fn abandoned_mutant_reports_abandoned_wait() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let h = new_mutant(&mut k, Some(a));
        let other = new_event(&mut k, 1, false);
        let handles = put_handles(&k, &[other, h]);
        let out = nt_wait_for_multiple_objects_ex(&mut k, 2, handles, WAIT_ANY, 1, false, None, call_from(b));
        assert_eq!(out, Outcome::Pending);
        k.outbox.clear();
        crate::threading::thread_returned(&mut k, a, 0);
        assert_eq!(returns(&k), vec![(b, NtStatus::ABANDONED_WAIT_0.0 + 1)]);
        k.outbox.clear();
        assert_eq!(nt_release_mutant(&mut k, h, None, call_from(b)), NtStatus::SUCCESS);
        assert_eq!(nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(b)), Outcome::value(0));
    }

    #[test]
    fn a_guest_mutant_owned_by_a_dying_thread_is_abandoned_too() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let m = scratch(&mut k, MUTANT_SIZE);
        ke_initialize_mutant(&mut k, m, true, call_from(a));
        crate::threading::thread_returned(&mut k, a, 0);
        let out = crate::threading::wait::ke_wait_for_single_object(&mut k, m, 0, 0, false, None, call_from(b));
        assert_eq!(out, Outcome::value(NtStatus::ABANDONED_WAIT_0.0 as u64));
        assert_eq!(ke_release_mutant(&mut k, m, 1, false, false, call_from(b)), 0);
        assert_eq!(dispatcher::signal(&k.memory, m), 1);
    }

    #[test]
    fn query_mutant_reports_ownership() {
        let (mut k, a) = kernel_with_thread();
        let h = new_mutant(&mut k, Some(a));
        let info = scratch(&mut k, 8);
        assert_eq!(nt_query_mutant(&mut k, h, info, call_from(a)), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(info).unwrap(), 0);
        assert_eq!(k.memory.read_u8(info.add(4)).unwrap(), 1);
    }
}
