//! Exports cpu-proc may run itself, without a round trip to this process.
//!
//! Only exports whose whole effect is on guest memory qualify, and only in
//! the cases where that holds: an uncontended critical section, TLS slots,
//! SLISTs. When a case needs the kernel (a contended enter, a leave with
//! waiters) the local code changes nothing and answers [`Local::Forward`],
//! and the call goes to kernel-proc as usual. The code here and the
//! kernel's exports share their memory-level helpers, so both sides keep
//! one protocol on the guest structures.
//!
//! kernel-proc declares which exports cpu-proc may run ([`declare`]) in the
//! control area before any guest thread exists; a kernel that wants to see
//! every call (an instrumented one) declares none, and then nothing runs here.

use crate::exports::{self, Module};
use crate::kernel::Kernel;
use crate::threading::critical_section::{
    atomic_add, atomic_cas, take_ownership, LOCK_COUNT, OWNING_THREAD, RECURSION_COUNT,
};
use crate::threading::slist;
use crate::threading::thread::{PCR_CURRENT_THREAD, PCR_TLS};
use shared::memory::{ControlArea, GuestMemory, VirtAddr};
use std::sync::atomic::Ordering;

/// The exports that may run in cpu-proc.
pub const LOCAL_EXPORTS: &[&str] = &[
    "RtlEnterCriticalSection",
    "RtlLeaveCriticalSection",
    "RtlTryEnterCriticalSection",
    "KeTlsGetValue",
    "KeTlsSetValue",
    "InterlockedPushEntrySList",
    "InterlockedPopEntrySList",
    "InterlockedFlushSList",
];

/// What running an export locally came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Local {
    /// Done: r3 takes this value.
    Done(u64),
    /// Needs the kernel; nothing was changed.
    Forward,
}

/// Declares [`LOCAL_EXPORTS`] and the TLS layout they need.
pub fn declare(kernel: &Kernel) {
    let control = kernel.memory.control();
    let table = control.local_exports();
    table.tls_data_size.store(kernel.threads.tls_template().data_size, Ordering::SeqCst);
    table.tls_slot_count.store(kernel.threads.tls_template().slot_count, Ordering::SeqCst);
    table.declare(
        LOCAL_EXPORTS.iter().filter_map(|name| exports::index_of_name(Module::Xboxkrnl, name)).map(|i| i as u32),
    );
}

/// Declares that nothing runs in cpu-proc.
pub fn declare_none(control: &ControlArea<'_>) {
    control.local_exports().declare([]);
}

/// Runs export `index` for the thread whose PCR is `pcr` (its r13), with
/// arguments r3–r10, if it can finish here.
pub fn call(memory: &GuestMemory, index: u32, pcr: u32, args: &[u64; 8]) -> Local {
    let Some(export) = exports::EXPORTS.get(index as usize) else { return Local::Forward };
    let arg = |n: usize| VirtAddr(args[n] as u32);
    let me = || memory.read_u32(VirtAddr(pcr).add(PCR_CURRENT_THREAD)).unwrap_or(0);
    match export.name {
        "RtlEnterCriticalSection" => enter(memory, arg(0), me()),
        "RtlTryEnterCriticalSection" => Local::Done(try_enter(memory, arg(0), me()) as u64),
        "RtlLeaveCriticalSection" => leave(memory, arg(0), me()),
        "KeTlsGetValue" => match tls_slot(memory, pcr, args[0] as u32) {
            Some(slot) => Local::Done(memory.read_u32(slot).unwrap_or(0) as u64),
            None => Local::Done(0),
        },
        "KeTlsSetValue" => match tls_slot(memory, pcr, args[0] as u32) {
            Some(slot) => Local::Done(memory.write_u32(slot, args[1] as u32).is_ok() as u64),
            None => Local::Done(0),
        },
        "InterlockedPushEntrySList" => Local::Done(slist::push(memory, arg(0), arg(1)) as u64),
        "InterlockedPopEntrySList" => Local::Done(slist::pop(memory, arg(0)) as u64),
        "InterlockedFlushSList" => Local::Done(slist::flush(memory, arg(0)) as u64),
        _ => Local::Forward,
    }
}

fn owned_by(memory: &GuestMemory, cs: VirtAddr, me: u32) -> bool {
    me != 0 && memory.read_u32(cs.add(OWNING_THREAD)).ok() == Some(me)
}

fn enter(memory: &GuestMemory, cs: VirtAddr, me: u32) -> Local {
    if try_enter(memory, cs, me) {
        Local::Done(0)
    } else {
        Local::Forward
    }
}

fn try_enter(memory: &GuestMemory, cs: VirtAddr, me: u32) -> bool {
    if atomic_cas(memory, cs.add(LOCK_COUNT), -1i32 as u32, 0) {
        take_ownership(memory, cs, VirtAddr(me));
        return true;
    }
    if owned_by(memory, cs, me) {
        atomic_add(memory, cs.add(LOCK_COUNT), 1);
        atomic_add(memory, cs.add(RECURSION_COUNT), 1);
        return true;
    }
    false
}

fn leave(memory: &GuestMemory, cs: VirtAddr, me: u32) -> Local {
    let recursion = memory.read_u32(cs.add(RECURSION_COUNT)).unwrap_or(0) as i32;
    if recursion > 1 {
        atomic_add(memory, cs.add(RECURSION_COUNT), -1);
        atomic_add(memory, cs.add(LOCK_COUNT), -1);
        return Local::Done(0);
    }
    // The last level: release, unless a waiter has queued (LockCount > 0),
    // which takes the kernel to wake it.
    let _ = memory.write_u32(cs.add(RECURSION_COUNT), 0);
    let _ = memory.write_u32(cs.add(OWNING_THREAD), 0);
    if atomic_cas(memory, cs.add(LOCK_COUNT), 0, -1i32 as u32) {
        return Local::Done(0);
    }
    // A contender arrived: put things back as they were and let the kernel
    // do the whole leave. Nobody can have taken the section meanwhile, as
    // LockCount never passed through -1.
    take_ownership(memory, cs, VirtAddr(me));
    let _ = memory.write_u32(cs.add(RECURSION_COUNT), recursion as u32);
    Local::Forward
}

fn tls_slot(memory: &GuestMemory, pcr: u32, index: u32) -> Option<VirtAddr> {
    let table = memory.control();
    let table = table.local_exports();
    if index >= table.tls_slot_count.load(Ordering::Relaxed) {
        return None;
    }
    let block = memory.read_u32(VirtAddr(pcr).add(PCR_TLS)).ok()?;
    Some(VirtAddr(block).add(table.tls_data_size.load(Ordering::Relaxed) + index * 4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::Outcome;
    use crate::threading::critical_section as cs_exports;
    use crate::threading::testing::{call_from, kernel_with_thread, scratch, spawn};
    use crate::threading::tls;

    fn index(name: &str) -> u32 {
        exports::index_of_name(Module::Xboxkrnl, name).unwrap() as u32
    }

    fn local(k: &Kernel, name: &str, thread: u32, args: &[u64]) -> Local {
        let pcr = k.threads.get(thread).unwrap().pcr.0;
        let mut regs = [0u64; 8];
        regs[..args.len()].copy_from_slice(args);
        call(&k.memory, index(name), pcr, &regs)
    }

    #[test]
    fn every_declared_export_is_in_the_table_and_marked_local() {
        let (k, _) = kernel_with_thread();
        declare(&k);
        let table = k.memory.control();
        for name in LOCAL_EXPORTS {
            assert!(table.local_exports().is_local(index(name)), "{name}");
        }
        assert!(!table.local_exports().is_local(index("NtClose")));
        declare_none(&table);
        assert!(!table.local_exports().is_local(index("KeTlsGetValue")));
    }

    #[test]
    fn an_uncontended_section_is_entered_and_left_locally_the_kernels_way() {
        let (mut k, a) = kernel_with_thread();
        let cs = scratch(&mut k, cs_exports::SIZE);
        cs_exports::rtl_initialize_critical_section(&mut k, cs);
        assert_eq!(local(&k, "RtlEnterCriticalSection", a, &[cs.0 as u64]), Local::Done(0));
        assert_eq!(local(&k, "RtlEnterCriticalSection", a, &[cs.0 as u64]), Local::Done(0));
        let kthread = k.threads.get(a).unwrap().kthread.0;
        assert_eq!(k.memory.read_u32(cs.add(OWNING_THREAD)).unwrap(), kthread);
        assert_eq!(k.memory.read_u32(cs.add(RECURSION_COUNT)).unwrap(), 2);
        assert_eq!(k.memory.read_u32(cs.add(LOCK_COUNT)).unwrap(), 1);
        // The kernel's own leave understands what the local enter did.
        cs_exports::rtl_leave_critical_section(&mut k, cs);
        assert_eq!(local(&k, "RtlLeaveCriticalSection", a, &[cs.0 as u64]), Local::Done(0));
        assert_eq!(k.memory.read_u32(cs.add(LOCK_COUNT)).unwrap() as i32, -1);
        assert_eq!(k.memory.read_u32(cs.add(OWNING_THREAD)).unwrap(), 0);
    }

    #[test]
    fn contention_goes_to_the_kernel_and_the_waiter_is_woken_by_the_forwarded_leave() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let cs = scratch(&mut k, cs_exports::SIZE);
        cs_exports::rtl_initialize_critical_section(&mut k, cs);
        assert_eq!(local(&k, "RtlEnterCriticalSection", a, &[cs.0 as u64]), Local::Done(0));
        assert_eq!(local(&k, "RtlEnterCriticalSection", b, &[cs.0 as u64]), Local::Forward);
        assert_eq!(local(&k, "RtlTryEnterCriticalSection", b, &[cs.0 as u64]), Local::Done(0));
        assert_eq!(cs_exports::rtl_enter_critical_section(&mut k, cs, call_from(b)), Outcome::Pending);
        k.outbox.clear();
        // A waiter is queued: the local leave changes nothing and forwards.
        let before: Vec<u32> = (0..7).map(|i| k.memory.read_u32(cs.add(i * 4)).unwrap()).collect();
        assert_eq!(local(&k, "RtlLeaveCriticalSection", a, &[cs.0 as u64]), Local::Forward);
        let after: Vec<u32> = (0..7).map(|i| k.memory.read_u32(cs.add(i * 4)).unwrap()).collect();
        assert_eq!(before, after);
        cs_exports::rtl_leave_critical_section(&mut k, cs);
        assert!(!k.outbox.is_empty(), "the waiter is woken");
        assert_eq!(k.memory.read_u32(cs.add(OWNING_THREAD)).unwrap(), k.threads.get(b).unwrap().kthread.0);
    }

    #[test]
    fn tls_values_set_locally_are_what_the_kernel_reads_and_the_reverse() {
        let (mut k, a) = kernel_with_thread();
        declare(&k);
        let slot = tls::ke_tls_alloc(&mut k);
        assert_eq!(local(&k, "KeTlsSetValue", a, &[slot as u64, 0xABCD]), Local::Done(1));
        assert_eq!(tls::ke_tls_get_value(&mut k, slot, call_from(a)), 0xABCD);
        assert!(tls::ke_tls_set_value(&mut k, slot, 0x1234, call_from(a)));
        assert_eq!(local(&k, "KeTlsGetValue", a, &[slot as u64]), Local::Done(0x1234));
        let past = k.threads.tls_template().slot_count as u64;
        assert_eq!(local(&k, "KeTlsGetValue", a, &[past]), Local::Done(0));
    }

    #[test]
    fn slists_pushed_locally_pop_in_the_kernel() {
        let (mut k, a) = kernel_with_thread();
        let head = scratch(&mut k, 8);
        let (e1, e2) = (scratch(&mut k, 8), scratch(&mut k, 8));
        assert_eq!(local(&k, "InterlockedPushEntrySList", a, &[head.0 as u64, e1.0 as u64]), Local::Done(0));
        assert_eq!(local(&k, "InterlockedPushEntrySList", a, &[head.0 as u64, e2.0 as u64]), Local::Done(e1.0 as u64));
        assert_eq!(slist::interlocked_pop_entry_slist(&mut k, head), e2.0);
        assert_eq!(local(&k, "InterlockedFlushSList", a, &[head.0 as u64]), Local::Done(e1.0 as u64));
        assert_eq!(local(&k, "InterlockedPopEntrySList", a, &[head.0 as u64]), Local::Done(0));
    }
}
