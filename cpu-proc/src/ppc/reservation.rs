//! Load-reserve / store-conditional across guest threads.
//!
//! One table is shared by every guest thread of the process. `lwarx`/`ldarx`
//! take a ticket on the reservation granule (a 128-byte cache line on
//! Xenon); any store to the granule by any thread, or another thread's
//! reservation of it, cancels the ticket; `stwcx.`/`stdcx.` succeed only
//! while the ticket is still current and the memory still holds the value
//! loaded, which they check and replace with one compare-and-swap. Slots are
//! hashed, so two granules may share a slot: a collision only makes a
//! store-conditional fail, which the architecture allows.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

const SLOTS: usize = 4096;
const GRANULE_SHIFT: u32 = 7;

pub struct ReservationTable {
    /// Per slot: `(ticket << 32) | (granule address | 1)`, 0 when free.
    slots: Box<[AtomicU64]>,
    next_ticket: AtomicU32,
    /// Number of slots in use; stores skip the table when it is zero.
    active: AtomicU32,
}

impl Default for ReservationTable {
    fn default() -> Self {
        ReservationTable {
            slots: (0..SLOTS).map(|_| AtomicU64::new(0)).collect(),
            next_ticket: AtomicU32::new(1),
            active: AtomicU32::new(0),
        }
    }
}

fn slot_of(addr: u32) -> usize {
    let granule = addr >> GRANULE_SHIFT;
    (granule.wrapping_mul(0x9E37_79B1) >> 20) as usize % SLOTS
}

fn tag(addr: u32) -> u64 {
    ((addr >> GRANULE_SHIFT << GRANULE_SHIFT) | 1) as u64
}

impl ReservationTable {
    pub fn new() -> ReservationTable {
        ReservationTable::default()
    }

    /// Takes a reservation on the granule holding `addr`; returns the ticket.
    pub fn reserve(&self, addr: u32) -> u64 {
        let ticket = self.next_ticket.fetch_add(1, Ordering::Relaxed) as u64;
        let entry = (ticket << 32) | tag(addr);
        let old = self.slots[slot_of(addr)].swap(entry, Ordering::AcqRel);
        if old == 0 {
            self.active.fetch_add(1, Ordering::Relaxed);
        }
        entry
    }

    /// Ends the reservation `ticket` if it is still current; true if it was.
    /// The caller then performs its compare-and-swap.
    pub fn take(&self, addr: u32, ticket: u64) -> bool {
        let ok = self.slots[slot_of(addr)].compare_exchange(ticket, 0, Ordering::AcqRel, Ordering::Acquire).is_ok();
        if ok {
            self.active.fetch_sub(1, Ordering::Relaxed);
        }
        ok
    }

    /// Called on every guest store: cancels any reservation on the granule.
    #[inline(always)]
    pub fn note_store(&self, addr: u32) {
        if self.active.load(Ordering::Relaxed) == 0 {
            return;
        }
        let slot = &self.slots[slot_of(addr)];
        let entry = slot.load(Ordering::Acquire);
        if entry & 0xFFFF_FFFF == tag(addr)
            && slot.compare_exchange(entry, 0, Ordering::AcqRel, Ordering::Relaxed).is_ok()
        {
            self.active.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reservation_is_taken_once() {
        let t = ReservationTable::new();
        let ticket = t.reserve(0x1000_1004);
        assert!(t.take(0x1000_1004, ticket));
        assert!(!t.take(0x1000_1004, ticket));
    }

    #[test]
    fn another_threads_reservation_of_the_granule_cancels_mine() {
        let t = ReservationTable::new();
        let mine = t.reserve(0x1000_1000);
        let theirs = t.reserve(0x1000_107C);
        assert!(!t.take(0x1000_1000, mine));
        assert!(t.take(0x1000_107C, theirs));
    }

    #[test]
    fn a_store_to_the_granule_cancels_the_reservation() {
        let t = ReservationTable::new();
        let mine = t.reserve(0x1000_1000);
        t.note_store(0x1000_1040);
        assert!(!t.take(0x1000_1000, mine));
    }
}
