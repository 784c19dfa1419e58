//! `RtlComputeCrc32`: the IEEE 802.3 CRC-32 (reflected polynomial
//! `0xEDB88320`, as zlib computes it), continued from a seed so that a
//! buffer may be checked in pieces (xenia `xboxkrnl_rtl.cc`: the seed is the
//! CRC of what came before, 0 to start).

use crate::dispatch::{Call, Outcome};
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// Bytes read from guest memory at a time.
const CHUNK: u32 = 0x1_0000;

/// The CRC-32 of `data` continued from `seed`.
pub fn crc32(seed: u32, data: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new_with_initial(seed);
    hasher.update(data);
    hasher.finalize()
}

/// `RtlComputeCrc32(Seed, Buffer, Length)`. Unreadable memory faults as
/// it would on the console.
pub fn rtl_compute_crc32(kernel: &mut Kernel, seed: u32, buffer: VirtAddr, length: u32, call: Call) -> Outcome {
    let mut crc = seed;
    let mut done = 0;
    let mut chunk = vec![0u8; length.min(CHUNK) as usize];
    while done < length {
        let n = (length - done).min(CHUNK);
        let at = buffer.add(done);
        if kernel.memory.read_bytes(at, &mut chunk[..n as usize]).is_err() {
            let report = format!(
                "RtlComputeCrc32 read unreadable guest memory near {at} (buffer {buffer}, {length} bytes) for the call from {:#010x} in thread {}",
                call.args.lr, call.thread
            );
            return super::exception::fault(kernel, report);
        }
        crc = crc32(crc, &chunk[..n as usize]);
        done += n;
    }
    Outcome::value(crc as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::*;

    #[test]
    fn the_check_value_and_known_answers_match_zlib() {
        assert_eq!(crc32(0, b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(0, b"The quick brown fox jumps over the lazy dog"), 0x414F_A339);
        assert_eq!(crc32(0, b""), 0);
        assert_eq!(crc32(0x1234_5678, b""), 0x1234_5678, "an empty buffer gives the seed back");
    }

    #[test]
    fn a_crc_continued_from_a_seed_equals_the_crc_of_the_whole() {
        let first = crc32(0, b"12345");
        assert_eq!(crc32(first, b"6789"), 0xCBF4_3926);
    }

    #[test]
    fn the_export_reads_guest_memory_across_chunks() {
        let (mut k, t) = kernel_with_thread();
        let data: Vec<u8> = (0..CHUNK + 300).map(|i| (i * 7) as u8).collect();
        let at = scratch(&mut k, data.len() as u32);
        k.memory.write_bytes(at, &data).unwrap();
        let out = rtl_compute_crc32(&mut k, 0, at, data.len() as u32, call_from(t));
        assert_eq!(out, Outcome::value(crc32(0, &data) as u64));
        let bad = rtl_compute_crc32(&mut k, 0, VirtAddr(0x7F00_0000), 4, call_from(t));
        assert_eq!(bad, Outcome::Pending);
        assert!(k.fatal.clone().unwrap().contains("RtlComputeCrc32"));
    }
}
