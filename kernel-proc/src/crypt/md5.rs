//! `XeCryptMd5*`: MD5 (RFC 1321) over `XECRYPT_MD5_STATE` (count 0x0,
//! four words 0x4, buffer 0x14; 0x54 bytes; [`super::hash`]).
//!
//! The block function is written here from RFC 1321 §3.4: the `md-5`
//! crate keeps its chaining words private, and the guest state needs them.

use super::hash::{self, Algorithm};
use crate::kernel::Kernel;
use shared::memory::VirtAddr;
use std::sync::OnceLock;

/// MD5 as [`hash`] drives it.
pub struct Md5;

/// Per-step left rotations (RFC 1321 §3.4), four per round.
const SHIFTS: [[u32; 4]; 4] = [[7, 12, 17, 22], [5, 9, 14, 20], [4, 11, 16, 23], [6, 10, 15, 21]];

/// `T[i] = floor(2^32 · |sin(i + 1)|)` (RFC 1321 §3.4).
fn sine_table() -> &'static [u32; 64] {
    static TABLE: OnceLock<[u32; 64]> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|i| ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32))
}

impl Algorithm for Md5 {
    const INITIAL: &'static [u32] = &[0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476];
    const DIGEST: usize = 16;
    const BIG_ENDIAN: bool = false;

    fn compress(state: &mut [u32], block: &[u8; 64]) {
        let x: [u32; 16] = std::array::from_fn(|i| u32::from_le_bytes(block[4 * i..4 * i + 4].try_into().unwrap()));
        let t = sine_table();
        let [mut a, mut b, mut c, mut d] = [state[0], state[1], state[2], state[3]];
        for i in 0..64 {
            let (f, k) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((b & d) | (c & !d), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let sum = a.wrapping_add(f).wrapping_add(x[k]).wrapping_add(t[i]);
            let rotated = b.wrapping_add(sum.rotate_left(SHIFTS[i / 16][i % 4]));
            (a, b, c, d) = (d, rotated, b, c);
        }
        for (word, add) in state.iter_mut().zip([a, b, c, d]) {
            *word = word.wrapping_add(add);
        }
    }
}

/// `XeCryptMd5Init(State)`.
pub fn xe_crypt_md5_init(kernel: &mut Kernel, state: VirtAddr) {
    hash::init::<Md5>(&kernel.memory, state);
}

/// `XeCryptMd5Update(State, Input, InputSize)`.
pub fn xe_crypt_md5_update(kernel: &mut Kernel, state: VirtAddr, input: Option<VirtAddr>, size: u32) {
    hash::update::<Md5>(&kernel.memory, state, input, size);
}

/// `XeCryptMd5Final(State, Out, OutSize)`: up to 16 bytes of the digest.
pub fn xe_crypt_md5_final(kernel: &mut Kernel, state: VirtAddr, out: Option<VirtAddr>, out_size: u32) {
    hash::finish::<Md5>(&kernel.memory, state, out, out_size);
}

/// `XeCryptMd5(In1, Size1, In2, Size2, In3, Size3, Out, OutSize)`.
#[allow(clippy::too_many_arguments)]
pub fn xe_crypt_md5(
    kernel: &mut Kernel,
    in1: Option<VirtAddr>,
    size1: u32,
    in2: Option<VirtAddr>,
    size2: u32,
    in3: Option<VirtAddr>,
    size3: u32,
    out: Option<VirtAddr>,
    out_size: u32,
) {
    hash::one_shot::<Md5>(&kernel.memory, [(in1, size1), (in2, size2), (in3, size3)], out, out_size);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypt::hash::Layout;
    use crate::crypt::testing::{bytes, hex, scratch};

    #[test]
    fn the_state_structure_is_0x54_bytes() {
        assert_eq!(Layout::<Md5>::SIZE, 0x54);
    }

    #[test]
    fn the_rfc_1321_suite_hashes_to_its_digests() {
        let mut k = Kernel::for_tests();
        let (input, out) = (scratch(1), scratch(2));
        let long = "1234567890".repeat(8);
        for (message, digest) in [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            (long.as_str(), "57edf4a22be3c955ac49da2e2107b67a"),
        ] {
            k.memory.write_bytes(input, message.as_bytes()).unwrap();
            xe_crypt_md5(&mut k, Some(input), message.len() as u32, None, 0, None, 0, Some(out), 16);
            assert_eq!(bytes(&k.memory, out, 16), hex(digest), "{message:?}");
        }
    }

    #[test]
    fn incremental_updates_match_and_leave_the_digest_words_big_endian() {
        let mut k = Kernel::for_tests();
        let (state, input, out) = (scratch(0), scratch(1), scratch(2));
        k.memory.write_bytes(input, b"message digest").unwrap();
        xe_crypt_md5_init(&mut k, state);
        xe_crypt_md5_update(&mut k, state, Some(input), 7);
        xe_crypt_md5_update(&mut k, state, Some(input.add(7)), 7);
        xe_crypt_md5_final(&mut k, state, Some(out), 16);
        assert_eq!(bytes(&k.memory, out, 16), hex("f96b697d7cb7938d525a2f31aaf161d0"));
        // The first word, 0x7d696bf9, as the console stores a DWORD.
        assert_eq!(bytes(&k.memory, state.add(4), 4), hex("7d696bf9"));
    }
}
