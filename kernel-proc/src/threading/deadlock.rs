//! The deadlock report: when every guest thread is blocked with no
//! deadline, no timer armed and no DPC pending, nothing can ever wake one.

use super::dispatcher::{self, Kind};
use super::thread::RunState;
use crate::kernel::Kernel;
use shared::memory::VirtAddr;
use std::fmt::Write;

/// Hook: a per-thread dump if the title is deadlocked, else `None`.
///
/// A thread counts as blocked when it waits without a deadline or is
/// suspended (never started, or suspended while running). Any running
/// thread, wait deadline, armed timer or pending DPC means something may
/// still happen. A title with no live thread is not deadlocked (it ended).
pub fn deadlock_report(kernel: &Kernel) -> Option<String> {
    let live: Vec<_> =
        kernel.threads.iter().filter(|t| t.is_alive() && Some(t.id) != kernel.interrupt_thread).collect();
    if live.is_empty() || !kernel.threads.timers.is_empty() || !kernel.threads.pending_dpcs.is_empty() {
        return None;
    }
    for t in &live {
        let stuck = match &t.state {
            RunState::Waiting(w) => w.deadline.is_none(),
            RunState::Created => t.suspend_count > 0,
            RunState::Running => t.suspend_count > 0,
            RunState::Exited(_) => true,
        };
        if !stuck {
            return None;
        }
    }
    let mut out = format!("deadlock: all {} guest threads are blocked and nothing can wake one\n", live.len());
    for t in live {
        let _ =
            write!(out, "  thread {} (handle {:#010x}, kthread {}, entry {:#010x}", t.id, t.handle, t.kthread, t.entry);
        match &t.state {
            RunState::Waiting(w) => {
                let _ = write!(out, ", in {} called from lr {:#010x}", w.export, w.lr);
                if t.suspend_count > 0 {
                    let _ = write!(out, ", suspended x{}", t.suspend_count);
                }
                let _ = writeln!(out, ")");
                let how = if w.all { "all of" } else { "any of" };
                let _ = writeln!(out, "    waits for {how}:");
                for &o in &w.objects {
                    let _ = writeln!(out, "      {}", describe(kernel, o));
                }
                if w.objects.is_empty() {
                    let _ = writeln!(out, "      nothing (an endless delay)");
                }
            }
            RunState::Created => {
                let _ = writeln!(out, ") created suspended (count {}), never resumed", t.suspend_count);
            }
            _ => {
                let _ =
                    writeln!(out, ") suspended (count {}), last blocked in {:?}", t.suspend_count, t.last_wait_export);
            }
        }
    }
    Some(out)
}

/// One waited-on object, as a reader of the report wants it.
fn describe(kernel: &Kernel, at: VirtAddr) -> String {
    if at == dispatcher::ALWAYS_SIGNALED {
        return "an object without a dispatcher header (always signaled)".into();
    }
    let m = &kernel.memory;
    let state = dispatcher::signal(m, at);
    let mut text = match dispatcher::kind(m, at) {
        Some(Kind::NotificationEvent) => format!("notification event {at} (state {state})"),
        Some(Kind::SynchronizationEvent) => {
            let cs_owner = m.read_u32(at.add(super::critical_section::OWNING_THREAD)).unwrap_or(0);
            match kernel.threads.by_kthread(VirtAddr(cs_owner)) {
                Some(owner) => {
                    format!("critical section or synchronization event {at} (state {state}, owner thread {owner})")
                }
                None => format!("synchronization event {at} (state {state})"),
            }
        }
        Some(Kind::Semaphore) => format!("semaphore {at} (count {state})"),
        Some(Kind::Mutant) => {
            let owner = kernel.threads.by_kthread(VirtAddr(dispatcher::mutant_owner(m, at)));
            match owner {
                Some(o) => format!("mutant {at} (owned by thread {o}, state {state})"),
                None => format!("mutant {at} (state {state})"),
            }
        }
        Some(Kind::Thread) => match kernel.threads.by_kthread(at) {
            Some(id) => format!("thread {id} to end"),
            None => format!("thread object {at}"),
        },
        Some(Kind::NotificationTimer) | Some(Kind::SynchronizationTimer) => format!("timer {at} (not armed)"),
        Some(other) => format!("{other:?} {at} (state {state})"),
        None => format!("object {at} of unknown type"),
    };
    if let Some(id) = kernel.objects.by_body(at) {
        let handles = kernel.objects.handles_of(id);
        if let Some(h) = handles.first() {
            let _ = write!(text, ", handle {h:#010x}");
        }
        if let Some(name) = kernel.objects.get(id).and_then(|o| o.name.as_ref()) {
            let _ = write!(text, ", named {name:?}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::Outcome;
    use crate::threading::critical_section::{rtl_enter_critical_section, rtl_initialize_critical_section};
    use crate::threading::testing::*;
    use crate::threading::wait::nt_wait_for_single_object_ex;

    #[test]
    fn deadlock_report_names_every_blocked_thread() {
        let (mut k, a) = kernel_with_thread();
        let b = spawn(&mut k, 0x8200_0100);
        let cs = scratch(&mut k, 0x1C);
        rtl_initialize_critical_section(&mut k, cs);
        let h = new_event(&mut k, 0, false);
        assert_eq!(rtl_enter_critical_section(&mut k, cs, call_from(a)), Outcome::value(0));
        assert_eq!(deadlock_report(&k), None, "both threads still run");
        assert_eq!(rtl_enter_critical_section(&mut k, cs, call_from(b)), Outcome::Pending);
        assert_eq!(deadlock_report(&k), None, "thread a still runs");
        assert_eq!(nt_wait_for_single_object_ex(&mut k, h, 1, false, None, call_from(a)), Outcome::Pending);
        let report = deadlock_report(&k).expect("a deadlock");
        assert!(report.contains(&format!("thread {a} ")), "{report}");
        assert!(report.contains(&format!("thread {b} ")), "{report}");
        assert!(report.contains("NtWaitForSingleObjectEx"), "{report}");
        assert!(report.contains("RtlEnterCriticalSection"), "{report}");
        assert!(report.contains(&format!("owner thread {a}")), "{report}");
        assert!(report.contains(&format!("handle {h:#010x}")), "{report}");
        assert!(report.contains("lr 0x82004321"), "{report}");
        assert!(report.contains("entry 0x82000100"), "{report}");
    }

    #[test]
    fn a_timed_wait_is_not_a_deadlock() {
        let (mut k, a) = kernel_with_thread();
        let h = new_event(&mut k, 0, false);
        let t = put_timeout(&k, -1000);
        nt_wait_for_single_object_ex(&mut k, h, 1, false, Some(t), call_from(a));
        assert_eq!(deadlock_report(&k), None);
    }
}
