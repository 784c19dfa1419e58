//! Helpers for the unit tests of the objects and threading modules.

use super::{create_thread, CreateThread};
use crate::clock::GuestClock;
use crate::dispatch::Call;
use crate::kernel::Kernel;
use shared::ipc::kernel::{CallArgs, GuestThreadId, ThreadStart, ToCpu};
use shared::memory::VirtAddr;

/// A kernel with a deterministic clock and one running guest thread
/// (entry 0x82000000, context 0x1234).
pub fn kernel_with_thread() -> (Kernel, GuestThreadId) {
    let mut k = Kernel::for_tests();
    k.clock = GuestClock::new(true);
    let (_, id) =
        create_thread(&mut k, CreateThread { entry: 0x8200_0000, start_context: 0x1234, ..Default::default() })
            .expect("a test thread");
    (k, id)
}

/// Another running thread.
pub fn spawn(k: &mut Kernel, entry: u32) -> GuestThreadId {
    create_thread(k, CreateThread { entry, ..Default::default() }).expect("a test thread").1
}

/// A call frame from `thread`.
pub fn call_from(thread: GuestThreadId) -> Call {
    Call { thread, export: 0, args: CallArgs { gpr: [0; 8], fpr: [0; 4], sp: 0, lr: 0x8200_4321 } }
}

/// The start message sent for `thread`, if any.
pub fn started(k: &Kernel, thread: GuestThreadId) -> Option<ThreadStart> {
    k.outbox.iter().find_map(|m| match m {
        ToCpu::StartThread(s) if s.thread == thread => Some(*s),
        _ => None,
    })
}

/// (thread, r3) of every `Return` in the outbox, in order.
pub fn returns(k: &Kernel) -> Vec<(GuestThreadId, u32)> {
    k.outbox
        .iter()
        .filter_map(|m| match m {
            ToCpu::Return { thread, r3, .. } => Some((*thread, *r3 as u32)),
            _ => None,
        })
        .collect()
}

/// (thread, routine, args) of every `Apc` in the outbox, in order.
pub fn apcs(k: &Kernel) -> Vec<(GuestThreadId, u32, [u32; 3])> {
    k.outbox
        .iter()
        .filter_map(|m| match m {
            ToCpu::Apc { thread, routine, args } => Some((*thread, *routine, *args)),
            _ => None,
        })
        .collect()
}

/// Guest scratch memory.
pub fn scratch(k: &mut Kernel, size: u32) -> VirtAddr {
    k.objects.alloc_guest(&k.memory, size, 16).expect("scratch memory")
}

/// A 64-bit timeout in guest memory.
pub fn put_timeout(k: &Kernel, ticks: i64) -> VirtAddr {
    // Tests are short; a fresh address per call from the top of the pool.
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let at = VirtAddr(0x7EFF_0000 + (NEXT.fetch_add(8, std::sync::atomic::Ordering::Relaxed) % 0x8000));
    k.memory.write_u64(at, ticks as u64).unwrap();
    at
}

/// An array of handles in guest memory.
pub fn put_handles(k: &Kernel, handles: &[u32]) -> VirtAddr {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let at = VirtAddr(0x7EFF_8000 + (NEXT.fetch_add(0x100, std::sync::atomic::Ordering::Relaxed) % 0x8000));
    for (i, h) in handles.iter().enumerate() {
        k.memory.write_u32(at.add(4 * i as u32), *h).unwrap();
    }
    at
}

/// A new event (type 0 notification, 1 synchronization); its handle.
pub fn new_event(k: &mut Kernel, event_type: u32, initial: bool) -> u32 {
    let out = scratch(k, 4);
    let status = super::event::nt_create_event(k, out, None, event_type, initial);
    assert!(status.is_success());
    k.memory.read_u32(out).unwrap()
}

/// Body address of the object behind `handle`.
pub fn body(k: &Kernel, handle: u32) -> VirtAddr {
    let id = k.objects.lookup(handle).expect("a live handle");
    k.objects.get(id).unwrap().body
}

/// `SignalState` of the object behind `handle`.
pub fn event_state(k: &Kernel, handle: u32) -> i32 {
    super::dispatcher::signal(&k.memory, body(k, handle))
}
