//! `DISPATCHER_HEADER`: the state every waitable object keeps in guest
//! memory, and what "signaled" and "acquiring" mean for each kind.
//!
//! The guest copy is the only copy: titles read `SignalState` directly and
//! initialize headers themselves (some inline `KeInitializeEvent`), so the
//! kernel reads and writes the header on every operation and keeps no shadow.
//!
//! Layout (16 bytes; xenia `X_DISPATCH_HEADER`, NT `DISPATCHER_HEADER`):
//! `Type` u8 0x0, `Absolute`/`Abandoned` u8 0x1, `Size` u8 0x2 (in words),
//! `Inserted` u8 0x3, `SignalState` i32 0x4, `WaitListHead` 0x8 (flink,
//! blink). Type values (NT `KOBJECTS`): 0 notification event, 1
//! synchronization event, 2 mutant, 3 process, 4 queue, 5 semaphore, 6
//! thread, 7 gate, 8 notification timer, 9 synchronization timer.
//!
//! `KMUTANT` (0x20): header, `MutantListEntry` 0x10, `OwnerThread` 0x18 (a
//! `KTHREAD` pointer), `Abandoned` u8 0x1C. A free mutant has `SignalState`
//! 1; each acquisition subtracts one.

use shared::memory::{GuestMemory, VirtAddr};

pub const TYPE: u32 = 0x0;
pub const SIZE: u32 = 0x2;
pub const SIGNAL_STATE: u32 = 0x4;
pub const WAIT_LIST: u32 = 0x8;
pub const HEADER_SIZE: u32 = 0x10;

pub const MUTANT_OWNER: u32 = 0x18;
pub const MUTANT_ABANDONED: u32 = 0x1C;
pub const MUTANT_SIZE: u32 = 0x20;

/// A waitable object that needs no header: always signaled (waits on files
/// and other objects without a dispatcher header complete at once).
pub const ALWAYS_SIGNALED: VirtAddr = VirtAddr(0);

/// The `Type` byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    NotificationEvent = 0,
    SynchronizationEvent = 1,
    Mutant = 2,
    Process = 3,
    Queue = 4,
    Semaphore = 5,
    Thread = 6,
    Gate = 7,
    NotificationTimer = 8,
    SynchronizationTimer = 9,
}

impl Kind {
    pub fn from_byte(b: u8) -> Option<Kind> {
        use Kind::*;
        Some(match b {
            0 => NotificationEvent,
            1 => SynchronizationEvent,
            2 => Mutant,
            3 => Process,
            4 => Queue,
            5 => Semaphore,
            6 => Thread,
            7 => Gate,
            8 => NotificationTimer,
            9 => SynchronizationTimer,
            _ => return None,
        })
    }
}

/// Writes a fresh header: type, size in words, signal state and an empty
/// wait list (both links at the list head).
pub fn init(memory: &GuestMemory, at: VirtAddr, kind: Kind, size_bytes: u32, signal: i32) {
    let _ = memory.write_u8(at.add(TYPE), kind as u8);
    let _ = memory.write_u8(at.add(1), 0);
    let _ = memory.write_u8(at.add(SIZE), (size_bytes / 4) as u8);
    let _ = memory.write_u8(at.add(3), 0);
    set_signal(memory, at, signal);
    let _ = memory.write_u32(at.add(WAIT_LIST), at.0 + WAIT_LIST);
    let _ = memory.write_u32(at.add(WAIT_LIST + 4), at.0 + WAIT_LIST);
}

pub fn kind(memory: &GuestMemory, at: VirtAddr) -> Option<Kind> {
    Kind::from_byte(memory.read_u8(at.add(TYPE)).ok()?)
}

pub fn signal(memory: &GuestMemory, at: VirtAddr) -> i32 {
    memory.read_u32(at.add(SIGNAL_STATE)).unwrap_or(0) as i32
}

pub fn set_signal(memory: &GuestMemory, at: VirtAddr, value: i32) {
    let _ = memory.write_u32(at.add(SIGNAL_STATE), value as u32);
}

pub fn mutant_owner(memory: &GuestMemory, at: VirtAddr) -> u32 {
    memory.read_u32(at.add(MUTANT_OWNER)).unwrap_or(0)
}

/// Whether the thread whose `KTHREAD` is at `kthread` could acquire the
/// object now.
pub fn is_signaled(memory: &GuestMemory, at: VirtAddr, kthread: VirtAddr) -> bool {
    if at == ALWAYS_SIGNALED {
        return true;
    }
    let state = signal(memory, at);
    match kind(memory, at) {
        Some(Kind::Mutant) => state > 0 || mutant_owner(memory, at) == kthread.0,
        Some(_) => state > 0,
        None => true,
    }
}

/// Acquires the object for `kthread` (which [`is_signaled`] allowed).
/// Returns true when it was a mutant abandoned by its previous owner.
pub fn acquire(memory: &GuestMemory, at: VirtAddr, kthread: VirtAddr) -> bool {
    if at == ALWAYS_SIGNALED {
        return false;
    }
    match kind(memory, at) {
        Some(Kind::SynchronizationEvent) | Some(Kind::SynchronizationTimer) => set_signal(memory, at, 0),
        Some(Kind::Semaphore) => set_signal(memory, at, signal(memory, at) - 1),
        Some(Kind::Mutant) => {
            let state = signal(memory, at) - 1;
            set_signal(memory, at, state);
            if state == 0 {
                let _ = memory.write_u32(at.add(MUTANT_OWNER), kthread.0);
                let abandoned = memory.read_u8(at.add(MUTANT_ABANDONED)).unwrap_or(0) != 0;
                let _ = memory.write_u8(at.add(MUTANT_ABANDONED), 0);
                return abandoned;
            }
        }
        _ => {}
    }
    false
}
