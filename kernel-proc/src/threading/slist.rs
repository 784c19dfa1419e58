//! Interlocked singly linked lists.
//!
//! `SLIST_HEADER` (8 bytes, xenia `X_SLIST_HEADER`): first entry 0x0, depth
//! u16 0x4, sequence u16 0x6; each entry's first word links to the next.
//! The header is swapped as one big-endian 64-bit atomic so code running in
//! cpu-proc may use the same list. As in xenia, a push bumps depth and
//! sequence, a pop lowers depth, a flush clears the header.

use crate::kernel::Kernel;
use shared::memory::{GuestMemory, VirtAddr};
use std::sync::atomic::Ordering;

fn pack(first: u32, depth: u16, sequence: u16) -> u64 {
    (first as u64) << 32 | (depth as u64) << 16 | sequence as u64
}

fn unpack(v: u64) -> (u32, u16, u16) {
    ((v >> 32) as u32, (v >> 16) as u16, v as u16)
}

/// Applies `f` to the header atomically (plainly if it is misaligned);
/// returns the header `f` saw and what it returned.
fn update<T>(memory: &GuestMemory, head: VirtAddr, mut f: impl FnMut(u64) -> (Option<u64>, T)) -> T {
    match memory.atomic_u64(head) {
        Ok(word) => {
            let mut current = word.load(Ordering::SeqCst);
            loop {
                let (next, result) = f(u64::from_be(current));
                let Some(next) = next else { return result };
                match word.compare_exchange(current, next.to_be(), Ordering::SeqCst, Ordering::SeqCst) {
                    Ok(_) => return result,
                    Err(seen) => current = seen,
                }
            }
        }
        Err(_) => {
            let (next, result) = f(memory.read_u64(head).unwrap_or(0));
            if let Some(next) = next {
                let _ = memory.write_u64(head, next);
            }
            result
        }
    }
}

/// Pushes `entry`; the previous first entry. Memory only, so cpu-proc can
/// run it too ([`crate::local`]).
pub fn push(m: &GuestMemory, head: VirtAddr, entry: VirtAddr) -> u32 {
    update(m, head, |v| {
        let (first, depth, sequence) = unpack(v);
        let _ = m.write_u32(entry, first);
        (Some(pack(entry.0, depth.wrapping_add(1), sequence.wrapping_add(1))), first)
    })
}

/// Pops the first entry, or 0 when the list is empty.
pub fn pop(m: &GuestMemory, head: VirtAddr) -> u32 {
    update(m, head, |v| {
        let (first, depth, sequence) = unpack(v);
        if first == 0 {
            return (None, 0);
        }
        let next = m.read_u32(VirtAddr(first)).unwrap_or(0);
        (Some(pack(next, depth.wrapping_sub(1), sequence)), first)
    })
}

/// Empties the list; the former first entry (the whole chain).
pub fn flush(m: &GuestMemory, head: VirtAddr) -> u32 {
    update(m, head, |v| (Some(0), unpack(v).0))
}

/// `InterlockedPushEntrySList(ListHead, ListEntry)`: the previous first entry.
pub fn interlocked_push_entry_slist(kernel: &mut Kernel, head: VirtAddr, entry: VirtAddr) -> u32 {
    push(&kernel.memory, head, entry)
}

/// `InterlockedPopEntrySList(ListHead)`: the removed entry, or 0.
pub fn interlocked_pop_entry_slist(kernel: &mut Kernel, head: VirtAddr) -> u32 {
    pop(&kernel.memory, head)
}

/// `InterlockedFlushSList(ListHead)`: the former first entry (the whole chain).
pub fn interlocked_flush_slist(kernel: &mut Kernel, head: VirtAddr) -> u32 {
    flush(&kernel.memory, head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::scratch;

    #[test]
    fn push_pop_and_flush_keep_depth_and_order() {
        let mut k = Kernel::for_tests();
        let head = scratch(&mut k, 8);
        let (e1, e2) = (scratch(&mut k, 8), scratch(&mut k, 8));
        assert_eq!(interlocked_push_entry_slist(&mut k, head, e1), 0);
        assert_eq!(interlocked_push_entry_slist(&mut k, head, e2), e1.0);
        assert_eq!(k.memory.read_u16(head.add(4)).unwrap(), 2, "depth");
        assert_eq!(k.memory.read_u16(head.add(6)).unwrap(), 2, "sequence");
        assert_eq!(interlocked_pop_entry_slist(&mut k, head), e2.0);
        assert_eq!(k.memory.read_u16(head.add(4)).unwrap(), 1);
        interlocked_push_entry_slist(&mut k, head, e2);
        assert_eq!(interlocked_flush_slist(&mut k, head), e2.0);
        assert_eq!(k.memory.read_u32(e2).unwrap(), e1.0, "the chain stays linked");
        assert_eq!(interlocked_pop_entry_slist(&mut k, head), 0);
    }
}
