//! Notification listeners: `XamNotifyCreateListener`, `XNotifyGetNext`.
//!
//! A listener is a waitable object (a notification event, signaled while
//! notifications are queued) plus the queue, kept here by object id. A
//! notification id packs its area's mask bit (bits 25–30), a version (bits
//! 16–24) and a local id; a listener only takes the areas in its mask. The
//! first listener of the system area gets what a console reports at start:
//! the system UI shown and hidden, sign-in changed, input devices changed,
//! input device configuration changed (values as xenia's
//! `KernelState::RegisterNotifyListener` delivers them).

use crate::kernel::Kernel;
use crate::ob::{ObjectId, ObjectType};
use crate::threading::{dispatcher, event};
use shared::memory::VirtAddr;
use std::collections::VecDeque;

/// Notifications a title receives when it starts listening to the system area.
const STARTUP: [(u32, u32); 8] =
    [(0x09, 1), (0x09, 0), (0x0A, 1), (0x0A, 1), (0x12, 0), (0x12, 0), (0x13, 0), (0x13, 0)];

/// One listener's state.
#[derive(Debug, Default)]
pub struct Listener {
    mask: u64,
    max_version: u32,
    queue: VecDeque<(u32, u32)>,
}

impl Listener {
    fn accepts(&self, id: u32) -> bool {
        let area = (id >> 25) & 0x3F;
        let version = (id >> 16) & 0x1FF;
        self.mask & (1 << area) != 0 && version <= self.max_version
    }
}

/// Queues notification `id` with `param` for every listener of its area.
pub fn broadcast(kernel: &mut Kernel, id: u32, param: u32) {
    let targets: Vec<ObjectId> =
        kernel.xam.listeners.iter().filter(|(_, l)| l.accepts(id)).map(|(&oid, _)| oid).collect();
    for oid in targets {
        enqueue(kernel, oid, id, param);
    }
}

fn enqueue(kernel: &mut Kernel, oid: ObjectId, id: u32, param: u32) {
    let Some(listener) = kernel.xam.listeners.get_mut(&oid) else { return };
    if !listener.accepts(id) {
        return;
    }
    listener.queue.push_back((id, param));
    if let Some(body) = kernel.objects.get(oid).map(|o| o.body) {
        event::set_event(kernel, body);
    }
}

/// `XamNotifyCreateListener(AreaMask, MaxVersion)` (what the title
/// library's `XNotifyCreateListener` calls): a handle, or 0.
pub fn xam_notify_create_listener(kernel: &mut Kernel, mask: u64, max_version: u32) -> u32 {
    create(kernel, mask, max_version.min(10))
}

/// `XamNotifyCreateListenerInternal(AreaMask, IsSystem, MaxVersion)`.
pub fn xam_notify_create_listener_internal(kernel: &mut Kernel, mask: u64, _is_system: u32, max_version: u32) -> u32 {
    create(kernel, mask, max_version.min(10))
}

fn create(kernel: &mut Kernel, mask: u64, max_version: u32) -> u32 {
    let memory = kernel.memory.clone();
    let Ok(oid) = kernel.objects.create(&memory, ObjectType::Event, event::KEVENT_SIZE) else { return 0 };
    let body = kernel.objects.get(oid).expect("just created").body;
    dispatcher::init(&memory, body, dispatcher::Kind::NotificationEvent, event::KEVENT_SIZE, 0);
    let Ok(handle) = kernel.objects.add_handle(&memory, oid) else { return 0 };
    kernel.xam.listeners.insert(oid, Listener { mask, max_version, queue: VecDeque::new() });
    if !kernel.xam.startup_notified && mask & 1 != 0 {
        kernel.xam.startup_notified = true;
        for (id, param) in STARTUP {
            enqueue(kernel, oid, id, param);
        }
    }
    handle
}

/// `XNotifyGetNext(Handle, MatchId, IdOut, ParamOut)`: TRUE and the oldest
/// queued notification (the oldest with `MatchId` when it is not 0).
pub fn x_notify_get_next(
    kernel: &mut Kernel,
    handle: u32,
    match_id: u32,
    id_out: Option<VirtAddr>,
    param_out: Option<VirtAddr>,
) -> u32 {
    let memory = kernel.memory.clone();
    if let Some(p) = param_out {
        let _ = memory.write_u32(p, 0);
    }
    let Some(id_out) = id_out else { return 0 };
    let _ = memory.write_u32(id_out, 0);
    let Some(oid) = kernel.objects.lookup(handle) else { return 0 };
    let Some(listener) = kernel.xam.listeners.get_mut(&oid) else { return 0 };
    let position = if match_id == 0 {
        (!listener.queue.is_empty()).then_some(0)
    } else {
        listener.queue.iter().position(|&(id, _)| id == match_id)
    };
    let Some((id, param)) = position.and_then(|i| listener.queue.remove(i)) else { return 0 };
    let empty = listener.queue.is_empty();
    let _ = memory.write_u32(id_out, id);
    if let Some(p) = param_out {
        let _ = memory.write_u32(p, param);
    }
    if empty {
        if let Some(body) = kernel.objects.get(oid).map(|o| o.body) {
            event::reset_event(kernel, body);
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_system_listener_gets_the_startup_notifications_in_order() {
        let mut k = Kernel::for_tests();
        let h = xam_notify_create_listener(&mut k, 1, 10);
        assert_ne!(h, 0);
        let (id, param) = (VirtAddr(0x4000_0000), VirtAddr(0x4000_0004));
        let mut got = Vec::new();
        while x_notify_get_next(&mut k, h, 0, Some(id), Some(param)) == 1 {
            got.push((k.memory.read_u32(id).unwrap(), k.memory.read_u32(param).unwrap()));
        }
        assert_eq!(got, STARTUP.to_vec());
        assert_eq!(k.memory.read_u32(id).unwrap(), 0);
        // A second listener starts empty.
        let h2 = xam_notify_create_listener(&mut k, 1, 10);
        assert_eq!(x_notify_get_next(&mut k, h2, 0, Some(id), None), 0);
    }

    #[test]
    fn match_id_picks_a_notification_and_other_areas_are_filtered_out() {
        let mut k = Kernel::for_tests();
        let h = xam_notify_create_listener(&mut k, 1 << 2, 10);
        broadcast(&mut k, (2 << 25) | 0x05, 7);
        broadcast(&mut k, (2 << 25) | 0x06, 8);
        broadcast(&mut k, 0x0A, 1); // system area: not in the mask
        let (id, param) = (VirtAddr(0x4000_0000), VirtAddr(0x4000_0004));
        assert_eq!(x_notify_get_next(&mut k, h, (2 << 25) | 0x06, Some(id), Some(param)), 1);
        assert_eq!(k.memory.read_u32(param).unwrap(), 8);
        assert_eq!(x_notify_get_next(&mut k, h, 0, Some(id), Some(param)), 1);
        assert_eq!(k.memory.read_u32(id).unwrap(), (2 << 25) | 0x05);
        assert_eq!(x_notify_get_next(&mut k, h, 0, Some(id), Some(param)), 0);
    }
}
