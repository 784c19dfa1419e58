//! The body of the `pm4_ring` fuzz target (`fuzz/fuzz_targets/pm4_ring.rs`):
//! arbitrary bytes become a primary ring in fresh guest memory, and the
//! command processor must consume it without panicking or hanging. The same
//! body runs over deterministic mutations of a valid ring under plain
//! `cargo test` (`fuzz_smoke_mutated_rings_never_panic_or_hang`).

use super::{CommandProcessor, Limits, RunOutcome};
use crate::registers as regs;
use shared::memory::{GuestMemory, VirtAddr};
use std::os::fd::AsFd;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// Physical address the fuzzed ring is placed at.
pub const RING_BASE: u32 = 0x0010_0000;
/// Where the read pointer is written back.
pub const WRITE_BACK: u32 = 0x0000_F000;
/// Most ring bytes one input may supply.
const MAX_RING_BYTES: usize = 1 << 18;

/// Runs the command processor over `data` taken as ring contents (big-endian
/// dwords, the write pointer at its end). Bounded: at most a few runs, each
/// within small [`Limits`].
pub fn fuzz_body(data: &[u8]) {
    let Ok(fd) = GuestMemory::create_file() else { return };
    let Ok(memory) = GuestMemory::map(fd.as_fd()) else { return };
    let memory = Arc::new(memory);
    let data = &data[..data.len().min(MAX_RING_BYTES)];
    let dwords = (data.len() / 4) as u32;
    if dwords == 0 {
        return;
    }
    // The smallest ring (2^(n+3) bytes) that holds the data plus one free dword.
    let mut bufsz = 0;
    while (1u32 << (bufsz + 1)) <= dwords {
        bufsz += 1;
    }
    let ring = VirtAddr(0xA000_0000 | RING_BASE);
    let _ = memory.write_bytes(ring, &data[..dwords as usize * 4]);
    let control = memory.control();
    let set = |r: u32, v: u32| control.gpu_register(r as usize).store(v, Ordering::SeqCst);
    set(regs::CP_RB_BASE, RING_BASE);
    set(regs::CP_RB_CNTL, bufsz);
    set(regs::CP_RB_RPTR_ADDR, WRITE_BACK);
    set(regs::CP_RB_RPTR, 0);
    set(regs::CP_RB_WPTR, dwords);
    let limits = Limits {
        packets_per_run: 4096,
        dwords_per_run: 1 << 14,
        work_per_packet: 1 << 14,
        max_ib_depth: 4,
        wait_polls: 2,
        wait_give_up: Duration::ZERO,
    };
    let mut cp = CommandProcessor::with_limits(memory.clone(), limits);
    for _ in 0..8 {
        let outcome = cp.run();
        let _ = cp.take_effects();
        if !matches!(outcome, RunOutcome::Budget | RunOutcome::Swapped | RunOutcome::Waiting) {
            break;
        }
    }
}
