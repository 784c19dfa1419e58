//! `XeCryptSha*`: SHA-1 (FIPS 180-4) over `XECRYPT_SHA_STATE` (0x58
//! bytes; [`super::hash`]). The block function is the `sha1` crate's.

use super::hash::{self, Algorithm};
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// SHA-1 as [`hash`] drives it.
pub struct Sha1;

impl Algorithm for Sha1 {
    const INITIAL: &'static [u32] = &[0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];
    const DIGEST: usize = 20;
    const BIG_ENDIAN: bool = true;

    fn compress(state: &mut [u32], block: &[u8; 64]) {
        let words: &mut [u32; 5] = state.try_into().expect("five SHA-1 words");
        sha1::compress(words, &[(*block).into()]);
    }
}

/// `XeCryptShaInit(State)`.
pub fn xe_crypt_sha_init(kernel: &mut Kernel, state: VirtAddr) {
    hash::init::<Sha1>(&kernel.memory, state);
}

/// `XeCryptShaUpdate(State, Input, InputSize)`.
pub fn xe_crypt_sha_update(kernel: &mut Kernel, state: VirtAddr, input: Option<VirtAddr>, size: u32) {
    hash::update::<Sha1>(&kernel.memory, state, input, size);
}

/// `XeCryptShaFinal(State, Out, OutSize)`: up to 20 bytes of the digest;
/// the state's words are the digest afterwards.
pub fn xe_crypt_sha_final(kernel: &mut Kernel, state: VirtAddr, out: Option<VirtAddr>, out_size: u32) {
    hash::finish::<Sha1>(&kernel.memory, state, out, out_size);
}

/// `XeCryptSha(In1, Size1, In2, Size2, In3, Size3, Out, OutSize)`: the
/// digest of the three inputs in a row.
#[allow(clippy::too_many_arguments)]
pub fn xe_crypt_sha(
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
    hash::one_shot::<Sha1>(&kernel.memory, [(in1, size1), (in2, size2), (in3, size3)], out, out_size);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypt::hash::Layout;
    use crate::crypt::testing::{bytes, hex, scratch};

    #[test]
    fn the_state_structure_is_0x58_bytes() {
        assert_eq!(Layout::<Sha1>::BUFFER, 0x18);
        assert_eq!(Layout::<Sha1>::SIZE, 0x58);
    }

    #[test]
    fn incremental_updates_across_block_edges_give_the_fips_180_digest() {
        let mut k = Kernel::for_tests();
        let (state, input, out) = (scratch(0), scratch(1), scratch(2));
        // FIPS 180-2 appendix A.2: the two-block message.
        let data = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        k.memory.write_bytes(input, data).unwrap();
        xe_crypt_sha_init(&mut k, state);
        for (start, len) in [(0u32, 10u32), (10, 30), (40, 16)] {
            xe_crypt_sha_update(&mut k, state, Some(input.add(start)), len);
        }
        xe_crypt_sha_final(&mut k, state, Some(out), 20);
        assert_eq!(bytes(&k.memory, out, 20), hex("84983e441c3bd26ebaae4aa1f95129e5e54670f1"));
    }

    #[test]
    fn after_final_the_state_words_hold_the_digest() {
        let mut k = Kernel::for_tests();
        let (state, input) = (scratch(0), scratch(1));
        k.memory.write_bytes(input, b"abc").unwrap();
        xe_crypt_sha_init(&mut k, state);
        xe_crypt_sha_update(&mut k, state, Some(input), 3);
        xe_crypt_sha_final(&mut k, state, None, 0);
        assert_eq!(bytes(&k.memory, state.add(4), 20), hex("a9993e364706816aba3e25717850c26c9cd0d89d"));
    }

    #[test]
    fn the_one_shot_form_hashes_its_three_inputs_in_order_and_truncates() {
        let mut k = Kernel::for_tests();
        let (a, b, out) = (scratch(0), scratch(1), scratch(2));
        k.memory.write_bytes(a, b"a").unwrap();
        k.memory.write_bytes(b, b"bc").unwrap();
        k.memory.write_bytes(out.add(16), &[0xEE; 4]).unwrap();
        xe_crypt_sha(&mut k, Some(a), 1, Some(b), 2, None, 0, Some(out), 16);
        assert_eq!(bytes(&k.memory, out, 20), [hex("a9993e364706816aba3e25717850c26c"), vec![0xEE; 4]].concat());
    }
}
