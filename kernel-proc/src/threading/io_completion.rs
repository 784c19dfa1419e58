//! I/O completion ports: `NtCreateIoCompletion`, `NtSetIoCompletion`,
//! `NtRemoveIoCompletion`, `NtQueryIoCompletion`.
//!
//! A port is a `KQUEUE` (NT `ntddk.h`; 0x28 bytes): dispatcher header of
//! type 4 (`QueueObject`) whose `SignalState` is the number of queued
//! packets, `EntryListHead` 0x10, `CurrentCount` 0x18, `MaximumCount` 0x1C
//! (the concurrency the creator asked for), `ThreadListHead` 0x20. Packets
//! live in guest memory like the console's completion packets, linked
//! first-in first-out into `EntryListHead`: list entry 0x0, key 0x8, APC
//! context 0xC, I/O status 0x10, information 0x14 (0x18 bytes, from the
//! kernel-object pool).
//!
//! A remove on an empty port parks the thread on the queue's header
//! ([`wait::After::IoCompletion`]); a post wakes the oldest remover, which
//! takes the packet. Waiting on a port handle with `NtWaitFor*` returns when
//! a packet is queued and takes none, as NT's queue objects do.

use super::{dispatcher, wait};
use crate::dispatch::{Call, Outcome};
use crate::kernel::Kernel;
use crate::ob::names::{finish_create, open_if_named, report_opened, Creation};
use crate::ob::{resolve_typed, ObjectType};
use crate::status::NtStatus;
use shared::memory::{GuestMemory, VirtAddr};

pub const KQUEUE_SIZE: u32 = 0x28;
pub const ENTRY_LIST: u32 = 0x10;
pub const CURRENT_COUNT: u32 = 0x18;
pub const MAXIMUM_COUNT: u32 = 0x1C;
pub const THREAD_LIST: u32 = 0x20;
const _: () = assert!(THREAD_LIST + 8 == KQUEUE_SIZE);

const PACKET_SIZE: u32 = 0x18;
const PACKET_KEY: u32 = 0x8;
const PACKET_APC_CONTEXT: u32 = 0xC;
const PACKET_STATUS: u32 = 0x10;
const PACKET_INFORMATION: u32 = 0x14;

/// `IoCompletionBasicInformation`, the one class `NtQueryIoCompletion` has.
const BASIC_INFORMATION: u32 = 0;

/// One completion packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packet {
    pub key: u32,
    pub apc_context: u32,
    pub status: u32,
    pub information: u32,
}

/// Where a remover wants a packet written (its out-pointers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Removal {
    pub queue: VirtAddr,
    pub key_out: Option<VirtAddr>,
    pub apc_context_out: Option<VirtAddr>,
    pub iosb_out: Option<VirtAddr>,
}

fn init_list(memory: &GuestMemory, head: VirtAddr) {
    let _ = memory.write_u32(head, head.0);
    let _ = memory.write_u32(head.add(4), head.0);
}

fn init_queue(memory: &GuestMemory, queue: VirtAddr, concurrency: u32) {
    dispatcher::init(memory, queue, dispatcher::Kind::Queue, KQUEUE_SIZE, 0);
    init_list(memory, queue.add(ENTRY_LIST));
    let _ = memory.write_u32(queue.add(CURRENT_COUNT), 0);
    let _ = memory.write_u32(queue.add(MAXIMUM_COUNT), concurrency);
    init_list(memory, queue.add(THREAD_LIST));
}

/// Queues `packet` at the tail of the port at `queue` and wakes the oldest
/// remover (or `NtWaitFor*` waiter).
pub fn post(kernel: &mut Kernel, queue: VirtAddr, packet: Packet) -> Result<(), NtStatus> {
    let memory = kernel.memory.clone();
    let at = kernel.objects.alloc_guest(&memory, PACKET_SIZE, 8).ok_or(NtStatus::NO_MEMORY)?;
    let head = queue.add(ENTRY_LIST);
    let tail = VirtAddr(memory.read_u32(head.add(4)).unwrap_or(head.0));
    let write = || -> Result<(), shared::MemError> {
        memory.write_u32(at.add(PACKET_KEY), packet.key)?;
        memory.write_u32(at.add(PACKET_APC_CONTEXT), packet.apc_context)?;
        memory.write_u32(at.add(PACKET_STATUS), packet.status)?;
        memory.write_u32(at.add(PACKET_INFORMATION), packet.information)?;
        memory.write_u32(at, head.0)?;
        memory.write_u32(at.add(4), tail.0)?;
        memory.write_u32(tail, at.0)?;
        memory.write_u32(head.add(4), at.0)
    };
    write().map_err(|_| NtStatus::ACCESS_VIOLATION)?;
    dispatcher::set_signal(&memory, queue, dispatcher::signal(&memory, queue) + 1);
    wait::signal_changed(kernel, queue);
    Ok(())
}

/// Takes the packet at the head of the port at `queue`, if any.
pub fn take(kernel: &mut Kernel, queue: VirtAddr) -> Option<Packet> {
    let memory = kernel.memory.clone();
    let head = queue.add(ENTRY_LIST);
    let first = VirtAddr(memory.read_u32(head).ok()?);
    if first == head || first.0 == 0 {
        return None;
    }
    let r = |off| memory.read_u32(first.add(off)).unwrap_or(0);
    let packet = Packet {
        key: r(PACKET_KEY),
        apc_context: r(PACKET_APC_CONTEXT),
        status: r(PACKET_STATUS),
        information: r(PACKET_INFORMATION),
    };
    let next = r(0);
    let _ = memory.write_u32(head, next);
    let _ = memory.write_u32(VirtAddr(next).add(4), head.0);
    kernel.objects.free_guest(first);
    dispatcher::set_signal(&memory, queue, (dispatcher::signal(&memory, queue) - 1).max(0));
    Some(packet)
}

/// Takes a packet for a remover and writes it to its out-pointers: at once
/// or when its wait on the queue is satisfied.
pub fn deliver(kernel: &mut Kernel, removal: Removal) {
    let Some(p) = take(kernel, removal.queue) else {
        tracing::warn!(queue = %removal.queue, "NtRemoveIoCompletion woke to an empty port");
        return;
    };
    let m = &kernel.memory;
    if let Some(out) = removal.key_out {
        let _ = m.write_u32(out, p.key);
    }
    if let Some(out) = removal.apc_context_out {
        let _ = m.write_u32(out, p.apc_context);
    }
    if let Some(out) = removal.iosb_out {
        let _ = m.write_u32(out, p.status);
        let _ = m.write_u32(out.add(4), p.information);
    }
}

fn port_of(kernel: &Kernel, handle: u32, call: &Call) -> Result<VirtAddr, NtStatus> {
    let id = resolve_typed(kernel, handle, call.thread, ObjectType::IoCompletion)?;
    kernel.objects.get(id).map(|o| o.body).ok_or(NtStatus::INVALID_HANDLE)
}

/// `NtCreateIoCompletion(Handle*, DesiredAccess, ObjectAttributes*,
/// NumberOfConcurrentThreads)`: a named port that exists is opened.
pub fn nt_create_io_completion(
    kernel: &mut Kernel,
    handle_out: VirtAddr,
    _desired_access: u32,
    attrs: Option<VirtAddr>,
    concurrency: u32,
) -> NtStatus {
    let name = match open_if_named(kernel, attrs, ObjectType::IoCompletion) {
        Ok(Creation::Opened(handle)) => return report_opened(kernel, handle, Some(handle_out)),
        Ok(Creation::Create(name)) => name,
        Err(e) => return e,
    };
    let id = match kernel.objects.create(&kernel.memory, ObjectType::IoCompletion, KQUEUE_SIZE) {
        Ok(id) => id,
        Err(e) => return e,
    };
    let body = kernel.objects.get(id).expect("just created").body;
    init_queue(&kernel.memory, body, concurrency);
    finish_create(kernel, id, name, Some(handle_out)).map_or_else(|e| e, |_| NtStatus::SUCCESS)
}

/// `NtSetIoCompletion(Handle, KeyContext, ApcContext, IoStatus,
/// IoStatusInformation)`: posts a packet.
pub fn nt_set_io_completion(
    kernel: &mut Kernel,
    handle: u32,
    key: u32,
    apc_context: u32,
    status: u32,
    information: u32,
    call: Call,
) -> NtStatus {
    let posted = port_of(kernel, handle, &call)
        .and_then(|queue| post(kernel, queue, Packet { key, apc_context, status, information }));
    posted.err().unwrap_or(NtStatus::SUCCESS)
}

/// `NtRemoveIoCompletion(Handle, KeyContext*, ApcContext*, IoStatusBlock*,
/// Timeout*)`: the oldest packet, waiting for one up to the timeout (null
/// waits forever, 0 polls); `STATUS_TIMEOUT` when none came.
pub fn nt_remove_io_completion(
    kernel: &mut Kernel,
    handle: u32,
    key_out: Option<VirtAddr>,
    apc_context_out: Option<VirtAddr>,
    iosb_out: Option<VirtAddr>,
    timeout: Option<VirtAddr>,
    call: Call,
) -> Outcome {
    let queue = match port_of(kernel, handle, &call) {
        Ok(q) => q,
        Err(e) => return Outcome::value(e.0 as u64),
    };
    let removal = Removal { queue, key_out, apc_context_out, iosb_out };
    let deadline = wait::deadline(kernel, wait::read_timeout(kernel, timeout));
    let req = wait::Request {
        deadline,
        after: wait::After::IoCompletion(removal),
        ..wait::Request::new(vec![queue], "NtRemoveIoCompletion")
    };
    wait::begin(kernel, call.thread, call.args.lr, req)
}

/// `NtQueryIoCompletion(Handle, InformationClass, Information*, Length,
/// ReturnLength*)`: `IoCompletionBasicInformation` is `{ Depth }`, the
/// number of queued packets.
pub fn nt_query_io_completion(
    kernel: &mut Kernel,
    handle: u32,
    class: u32,
    info: VirtAddr,
    length: u32,
    return_length: Option<VirtAddr>,
    call: Call,
) -> NtStatus {
    let queue = match port_of(kernel, handle, &call) {
        Ok(q) => q,
        Err(e) => return e,
    };
    if class != BASIC_INFORMATION {
        return NtStatus::INVALID_INFO_CLASS;
    }
    if length < 4 {
        return NtStatus::INFO_LENGTH_MISMATCH;
    }
    let depth = dispatcher::signal(&kernel.memory, queue);
    if kernel.memory.write_u32(info, depth as u32).is_err() {
        return NtStatus::ACCESS_VIOLATION;
    }
    if let Some(out) = return_length {
        let _ = kernel.memory.write_u32(out, 4);
    }
    NtStatus::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::*;
    use std::time::Duration;

    fn new_port(k: &mut Kernel) -> u32 {
        let out = scratch(k, 4);
        assert_eq!(nt_create_io_completion(k, out, 0, None, 2), NtStatus::SUCCESS);
        k.memory.read_u32(out).unwrap()
    }

    struct Outs {
        key: VirtAddr,
        apc: VirtAddr,
        iosb: VirtAddr,
    }

    fn outs(k: &mut Kernel) -> Outs {
        let at = scratch(k, 0x10);
        Outs { key: at, apc: at.add(4), iosb: at.add(8) }
    }

    fn remove(k: &mut Kernel, port: u32, o: &Outs, timeout: Option<VirtAddr>, call: Call) -> Outcome {
        nt_remove_io_completion(k, port, Some(o.key), Some(o.apc), Some(o.iosb), timeout, call)
    }

    fn got(k: &Kernel, o: &Outs) -> [u32; 4] {
        let r = |a: VirtAddr| k.memory.read_u32(a).unwrap();
        [r(o.key), r(o.apc), r(o.iosb), r(o.iosb.add(4))]
    }

    #[test]
    fn packets_come_out_in_the_order_they_were_posted() {
        let (mut k, t) = kernel_with_thread();
        let port = new_port(&mut k);
        assert_eq!(nt_set_io_completion(&mut k, port, 1, 0x10, 0, 100, call_from(t)), NtStatus::SUCCESS);
        assert_eq!(nt_set_io_completion(&mut k, port, 2, 0x20, 0xC000_0011, 0, call_from(t)), NtStatus::SUCCESS);
        let o = outs(&mut k);
        assert_eq!(remove(&mut k, port, &o, None, call_from(t)), Outcome::value(0));
        assert_eq!(got(&k, &o), [1, 0x10, 0, 100]);
        assert_eq!(remove(&mut k, port, &o, None, call_from(t)), Outcome::value(0));
        assert_eq!(got(&k, &o), [2, 0x20, 0xC000_0011, 0]);
        assert_eq!(event_state(&k, port), 0);
    }

    #[test]
    fn a_remover_on_an_empty_port_waits_for_the_next_post() {
        let (mut k, consumer) = kernel_with_thread();
        let producer = spawn(&mut k, 0x8200_0100);
        let port = new_port(&mut k);
        let o = outs(&mut k);
        assert_eq!(remove(&mut k, port, &o, None, call_from(consumer)), Outcome::Pending);
        k.outbox.clear();
        nt_set_io_completion(&mut k, port, 7, 0x77, 0, 4, call_from(producer));
        assert_eq!(returns(&k), vec![(consumer, 0)]);
        assert_eq!(got(&k, &o), [7, 0x77, 0, 4]);
        assert_eq!(event_state(&k, port), 0, "the woken remover took the packet");
    }

    #[test]
    fn a_remove_times_out_and_a_zero_timeout_polls() {
        let (mut k, t) = kernel_with_thread();
        let port = new_port(&mut k);
        let o = outs(&mut k);
        let zero = put_timeout(&k, 0);
        assert_eq!(remove(&mut k, port, &o, Some(zero), call_from(t)), Outcome::value(NtStatus::TIMEOUT.0 as u64));
        let five_ms = put_timeout(&k, -50_000);
        assert_eq!(remove(&mut k, port, &o, Some(five_ms), call_from(t)), Outcome::Pending);
        k.clock.advance(Duration::from_millis(5));
        wait::expire(&mut k);
        assert_eq!(returns(&k), vec![(t, NtStatus::TIMEOUT.0)]);
        k.outbox.clear();
        nt_set_io_completion(&mut k, port, 1, 2, 3, 4, call_from(t));
        assert!(returns(&k).is_empty(), "the timed-out remover is gone");
        assert_eq!(event_state(&k, port), 1, "the packet stays queued");
    }

    #[test]
    fn query_reports_the_depth_and_bad_handles_fail() {
        let (mut k, t) = kernel_with_thread();
        let port = new_port(&mut k);
        for i in 0..3 {
            nt_set_io_completion(&mut k, port, i, 0, 0, 0, call_from(t));
        }
        let info = scratch(&mut k, 8);
        assert_eq!(
            nt_query_io_completion(&mut k, port, 0, info, 4, Some(info.add(4)), call_from(t)),
            NtStatus::SUCCESS
        );
        assert_eq!(k.memory.read_u32(info).unwrap(), 3);
        assert_eq!(nt_query_io_completion(&mut k, port, 1, info, 4, None, call_from(t)), NtStatus::INVALID_INFO_CLASS);
        assert_eq!(
            nt_query_io_completion(&mut k, port, 0, info, 2, None, call_from(t)),
            NtStatus::INFO_LENGTH_MISMATCH
        );
        let event = new_event(&mut k, 0, false);
        assert_eq!(nt_set_io_completion(&mut k, event, 0, 0, 0, 0, call_from(t)), NtStatus::OBJECT_TYPE_MISMATCH);
        let o = outs(&mut k);
        let bad = remove(&mut k, 0xF800_0F00, &o, None, call_from(t));
        assert_eq!(bad, Outcome::value(NtStatus::INVALID_HANDLE.0 as u64));
    }

    #[test]
    fn the_port_is_a_queue_object_with_its_concurrency() {
        let (mut k, t) = kernel_with_thread();
        let port = new_port(&mut k);
        let q = body(&k, port);
        assert_eq!(dispatcher::kind(&k.memory, q), Some(dispatcher::Kind::Queue));
        assert_eq!(k.memory.read_u32(q.add(MAXIMUM_COUNT)).unwrap(), 2);
        assert_eq!(k.memory.read_u32(q.add(ENTRY_LIST)).unwrap(), q.0 + ENTRY_LIST, "empty list");
        let waiter = crate::threading::wait::nt_wait_for_single_object_ex(&mut k, port, 1, false, None, call_from(t));
        assert_eq!(waiter, Outcome::Pending, "a wait on an empty port blocks");
        k.outbox.clear();
        let other = spawn(&mut k, 0x8200_0100);
        nt_set_io_completion(&mut k, port, 9, 0, 0, 0, call_from(other));
        assert_eq!(returns(&k), vec![(t, 0)]);
        assert_eq!(event_state(&k, port), 1, "a plain wait takes no packet");
    }
}
