//! Memory helpers: `RtlFillMemoryUlong`, `RtlCompareMemory`,
//! `RtlCompareMemoryUlong` (NT semantics: the compares return how many
//! bytes match before the first difference).

use crate::kernel::Kernel;
use crate::mm::access::GuestAccess;
use shared::memory::VirtAddr;

/// `RtlFillMemoryUlong(PVOID Destination, SIZE_T Length, ULONG Pattern)`:
/// `Length / 4` big-endian copies of the pattern.
pub fn rtl_fill_memory_ulong(kernel: &mut Kernel, dest: VirtAddr, length: u32, pattern: u32) {
    let bytes: Vec<u8> = std::iter::repeat_n(pattern.to_be_bytes(), (length / 4) as usize).flatten().collect();
    let _ = kernel.memory.write_all(dest, &bytes);
}

/// `RtlCompareMemory(PVOID Source1, PVOID Source2, SIZE_T Length)`: bytes
/// equal before the first difference (`Length` when all are).
pub fn rtl_compare_memory(kernel: &mut Kernel, a: VirtAddr, b: VirtAddr, length: u32) -> u32 {
    let (Ok(x), Ok(y)) = (kernel.memory.read_vec(a, length), kernel.memory.read_vec(b, length)) else { return 0 };
    x.iter().zip(&y).take_while(|(p, q)| p == q).count() as u32
}

/// `RtlCompareMemoryUlong(PVOID Source, SIZE_T Length, ULONG Pattern)`:
/// bytes of whole words equal to the pattern before the first other word
/// (0 for an unaligned source).
pub fn rtl_compare_memory_ulong(kernel: &mut Kernel, source: VirtAddr, length: u32, pattern: u32) -> u32 {
    if source.0 % 4 != 0 {
        return 0;
    }
    let Ok(data) = kernel.memory.read_vec(source, length / 4 * 4) else { return 0 };
    4 * data.chunks_exact(4).take_while(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]) == pattern).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_writes_whole_big_endian_words() {
        let mut k = Kernel::for_tests();
        k.memory.fill(VirtAddr(0x1000), 12, 0xEE).unwrap();
        rtl_fill_memory_ulong(&mut k, VirtAddr(0x1000), 10, 0x0102_0304);
        assert_eq!(k.memory.read_vec(VirtAddr(0x1000), 10).unwrap(), [1, 2, 3, 4, 1, 2, 3, 4, 0xEE, 0xEE]);
    }

    #[test]
    fn compares_count_the_matching_prefix() {
        let mut k = Kernel::for_tests();
        k.memory.write_bytes(VirtAddr(0x1000), b"abcdXfgh").unwrap();
        k.memory.write_bytes(VirtAddr(0x2000), b"abcdYfgh").unwrap();
        assert_eq!(rtl_compare_memory(&mut k, VirtAddr(0x1000), VirtAddr(0x2000), 8), 4);
        assert_eq!(rtl_compare_memory(&mut k, VirtAddr(0x1000), VirtAddr(0x2000), 3), 3);
        rtl_fill_memory_ulong(&mut k, VirtAddr(0x3000), 8, 7);
        k.memory.write_u32(VirtAddr(0x3008), 8).unwrap();
        assert_eq!(rtl_compare_memory_ulong(&mut k, VirtAddr(0x3000), 16, 7), 8);
        assert_eq!(rtl_compare_memory_ulong(&mut k, VirtAddr(0x3000), 7, 7), 4);
        assert_eq!(rtl_compare_memory_ulong(&mut k, VirtAddr(0x3002), 4, 7), 0);
    }
}
