//! Semaphores. `KSEMAPHORE` (0x14 bytes, xenia `X_KSEMAPHORE`): dispatcher
//! header (type 5, `SignalState` = count) and `Limit` at 0x10.

use super::{dispatcher, wait};
use crate::kernel::Kernel;
use crate::ob::names::{finish_create, open_if_named, report_opened, Creation};
use crate::ob::ObjectType;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

pub const KSEMAPHORE_SIZE: u32 = 0x14;
pub const LIMIT: u32 = 0x10;

/// Adds `count` to the semaphore at `header`, waking waiters; the previous
/// count. Past the limit nothing changes: `STATUS_SEMAPHORE_LIMIT_EXCEEDED`.
pub fn release(kernel: &mut Kernel, header: VirtAddr, count: i32) -> Result<i32, NtStatus> {
    if count <= 0 {
        return Err(NtStatus::INVALID_PARAMETER);
    }
    let limit = kernel.memory.read_u32(header.add(LIMIT)).unwrap_or(0) as i32;
    let previous = dispatcher::signal(&kernel.memory, header);
    match previous.checked_add(count) {
        Some(next) if next <= limit => {
            dispatcher::set_signal(&kernel.memory, header, next);
            wait::signal_changed(kernel, header);
            Ok(previous)
        }
        _ => Err(NtStatus::SEMAPHORE_LIMIT_EXCEEDED),
    }
}

fn init(kernel: &Kernel, at: VirtAddr, count: i32, limit: i32) {
    dispatcher::init(&kernel.memory, at, dispatcher::Kind::Semaphore, KSEMAPHORE_SIZE, count);
    let _ = kernel.memory.write_u32(at.add(LIMIT), limit as u32);
}

fn semaphore_of(kernel: &Kernel, handle: u32) -> Result<VirtAddr, NtStatus> {
    let id = kernel.objects.lookup(handle).ok_or(NtStatus::INVALID_HANDLE)?;
    match kernel.objects.get(id) {
        Some(o) if o.ty == ObjectType::Semaphore => Ok(o.body),
        Some(_) => Err(NtStatus::OBJECT_TYPE_MISMATCH),
        None => Err(NtStatus::INVALID_HANDLE),
    }
}

/// `NtCreateSemaphore(Handle*, ObjectAttributes*, InitialCount, MaximumCount)`.
pub fn nt_create_semaphore(
    kernel: &mut Kernel,
    handle_out: VirtAddr,
    attrs: Option<VirtAddr>,
    count: i32,
    limit: i32,
) -> NtStatus {
    if limit <= 0 || count < 0 || count > limit {
        return NtStatus::INVALID_PARAMETER;
    }
    let name = match open_if_named(kernel, attrs, ObjectType::Semaphore) {
        Ok(Creation::Opened(handle)) => return report_opened(kernel, handle, Some(handle_out)),
        Ok(Creation::Create(name)) => name,
        Err(e) => return e,
    };
    let id = match kernel.objects.create(&kernel.memory, ObjectType::Semaphore, KSEMAPHORE_SIZE) {
        Ok(id) => id,
        Err(e) => return e,
    };
    let body = kernel.objects.get(id).expect("just created").body;
    init(kernel, body, count, limit);
    finish_create(kernel, id, name, Some(handle_out)).map_or_else(|e| e, |_| NtStatus::SUCCESS)
}

/// `NtReleaseSemaphore(Handle, ReleaseCount, PreviousCount*)`.
pub fn nt_release_semaphore(kernel: &mut Kernel, handle: u32, count: i32, previous_out: Option<VirtAddr>) -> NtStatus {
    let result = semaphore_of(kernel, handle).and_then(|header| release(kernel, header, count));
    match result {
        Ok(previous) => {
            if let Some(out) = previous_out {
                let _ = kernel.memory.write_u32(out, previous as u32);
            }
            NtStatus::SUCCESS
        }
        Err(e) => e,
    }
}

/// `NtQuerySemaphore(Handle, SemaphoreBasicInformation*)`:
/// `{ CurrentCount, MaximumCount }`.
pub fn nt_query_semaphore(kernel: &mut Kernel, handle: u32, info_out: VirtAddr) -> NtStatus {
    match semaphore_of(kernel, handle) {
        Ok(header) => {
            let count = dispatcher::signal(&kernel.memory, header) as u32;
            let limit = kernel.memory.read_u32(header.add(LIMIT)).unwrap_or(0);
            if kernel.memory.write_u32(info_out, count).is_err()
                || kernel.memory.write_u32(info_out.add(4), limit).is_err()
            {
                return NtStatus::ACCESS_VIOLATION;
            }
            NtStatus::SUCCESS
        }
        Err(e) => e,
    }
}

/// `KeInitializeSemaphore(Semaphore, Count, Limit)` on guest memory.
pub fn ke_initialize_semaphore(kernel: &mut Kernel, semaphore: VirtAddr, count: i32, limit: i32) {
    init(kernel, semaphore, count, limit);
}

/// `KeReleaseSemaphore(Semaphore, Increment, Adjustment, Wait)`: the
/// previous count. (Past the limit the console raises an exception; here the
/// count stays and a warning is logged.)
pub fn ke_release_semaphore(
    kernel: &mut Kernel,
    semaphore: VirtAddr,
    _increment: u32,
    adjustment: i32,
    _wait: bool,
) -> i32 {
    match release(kernel, semaphore, adjustment) {
        Ok(previous) => previous,
        Err(e) => {
            tracing::warn!(semaphore = %semaphore, adjustment, "KeReleaseSemaphore failed: {e}");
            dispatcher::signal(&kernel.memory, semaphore)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::Outcome;
    use crate::threading::testing::*;
    use crate::threading::wait::{ke_wait_for_single_object, nt_wait_for_single_object_ex};

    fn new_semaphore(k: &mut Kernel, count: i32, limit: i32) -> u32 {
        let out = scratch(k, 4);
        assert_eq!(nt_create_semaphore(k, out, None, count, limit), NtStatus::SUCCESS);
        k.memory.read_u32(out).unwrap()
    }

    #[test]
    fn each_wait_takes_one_count() {
        let (mut k, t) = kernel_with_thread();
        let h = new_semaphore(&mut k, 2, 5);
        assert_eq!(nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t)), Outcome::value(0));
        assert_eq!(nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t)), Outcome::value(0));
        assert_eq!(nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(t)), Outcome::Pending);
        k.outbox.clear();
        let prev = scratch(&mut k, 4);
        assert_eq!(nt_release_semaphore(&mut k, h, 2, Some(prev)), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(prev).unwrap(), 0);
        assert_eq!(returns(&k), vec![(t, 0)]);
        assert_eq!(event_state(&k, h), 1, "one of the two released counts was taken");
    }

    #[test]
    fn releasing_past_the_limit_fails_and_changes_nothing() {
        let (mut k, _) = kernel_with_thread();
        let h = new_semaphore(&mut k, 1, 2);
        assert_eq!(nt_release_semaphore(&mut k, h, 2, None), NtStatus::SEMAPHORE_LIMIT_EXCEEDED);
        assert_eq!(event_state(&k, h), 1);
        assert_eq!(nt_release_semaphore(&mut k, h, 1, None), NtStatus::SUCCESS);
        assert_eq!(event_state(&k, h), 2);
    }

    #[test]
    fn bad_counts_are_refused() {
        let (mut k, _) = kernel_with_thread();
        let out = scratch(&mut k, 4);
        assert_eq!(nt_create_semaphore(&mut k, out, None, 3, 2), NtStatus::INVALID_PARAMETER);
        assert_eq!(nt_create_semaphore(&mut k, out, None, 0, 0), NtStatus::INVALID_PARAMETER);
    }

    #[test]
    fn guest_semaphore_keeps_its_count_in_guest_memory() {
        let (mut k, t) = kernel_with_thread();
        let sem = scratch(&mut k, KSEMAPHORE_SIZE);
        ke_initialize_semaphore(&mut k, sem, 0, 10);
        assert_eq!(ke_wait_for_single_object(&mut k, sem, 0, 0, false, None, call_from(t)), Outcome::Pending);
        assert_eq!(ke_release_semaphore(&mut k, sem, 1, 3, false), 0);
        assert_eq!(k.memory.read_u32(sem.add(4)).unwrap(), 2);
        assert_eq!(k.memory.read_u32(sem.add(LIMIT)).unwrap(), 10);
        let info = scratch(&mut k, 8);
        let h = new_semaphore(&mut k, 1, 4);
        assert_eq!(nt_query_semaphore(&mut k, h, info), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(info.add(4)).unwrap(), 4);
    }
}
