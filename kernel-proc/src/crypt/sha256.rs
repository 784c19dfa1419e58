//! `XeCryptSha256*`: SHA-256 (FIPS 180-4) over `XECRYPT_SHA256_STATE`
//! (count 0x0, eight words 0x4, buffer 0x24; 0x64 bytes; [`super::hash`]).
//! The block function is the `sha2` crate's.

use super::hash::{self, Algorithm};
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// SHA-256 as [`hash`] drives it.
pub struct Sha256;

impl Algorithm for Sha256 {
    const INITIAL: &'static [u32] =
        &[0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A, 0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19];
    const DIGEST: usize = 32;
    const BIG_ENDIAN: bool = true;

    fn compress(state: &mut [u32], block: &[u8; 64]) {
        let words: &mut [u32; 8] = state.try_into().expect("eight SHA-256 words");
        sha2::compress256(words, &[(*block).into()]);
    }
}

/// `XeCryptSha256Init(State)`.
pub fn xe_crypt_sha256_init(kernel: &mut Kernel, state: VirtAddr) {
    hash::init::<Sha256>(&kernel.memory, state);
}

/// `XeCryptSha256Update(State, Input, InputSize)`.
pub fn xe_crypt_sha256_update(kernel: &mut Kernel, state: VirtAddr, input: Option<VirtAddr>, size: u32) {
    hash::update::<Sha256>(&kernel.memory, state, input, size);
}

/// `XeCryptSha256Final(State, Out, OutSize)`: up to 32 bytes of the digest.
pub fn xe_crypt_sha256_final(kernel: &mut Kernel, state: VirtAddr, out: Option<VirtAddr>, out_size: u32) {
    hash::finish::<Sha256>(&kernel.memory, state, out, out_size);
}

/// `XeCryptSha256(In1, Size1, In2, Size2, In3, Size3, Out, OutSize)`, the
/// one-shot form shaped like `XeCryptSha`.
#[allow(clippy::too_many_arguments)]
pub fn xe_crypt_sha256(
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
    hash::one_shot::<Sha256>(&kernel.memory, [(in1, size1), (in2, size2), (in3, size3)], out, out_size);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypt::hash::Layout;
    use crate::crypt::testing::{bytes, hex, scratch};

    const TWO_BLOCKS: &[u8] = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    const TWO_BLOCKS_DIGEST: &str = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

    #[test]
    fn the_state_structure_is_0x64_bytes() {
        assert_eq!(Layout::<Sha256>::BUFFER, 0x24);
        assert_eq!(Layout::<Sha256>::SIZE, 0x64);
    }

    #[test]
    fn init_writes_the_initial_words_big_endian() {
        let mut k = Kernel::for_tests();
        xe_crypt_sha256_init(&mut k, scratch(0));
        assert_eq!(bytes(&k.memory, scratch(0), 8), hex("00000000 6a09e667"));
    }

    #[test]
    fn incremental_updates_give_the_fips_180_digest() {
        let mut k = Kernel::for_tests();
        let (state, input, out) = (scratch(0), scratch(1), scratch(2));
        k.memory.write_bytes(input, TWO_BLOCKS).unwrap();
        xe_crypt_sha256_init(&mut k, state);
        xe_crypt_sha256_update(&mut k, state, Some(input), 3);
        xe_crypt_sha256_update(&mut k, state, Some(input.add(3)), 53);
        xe_crypt_sha256_final(&mut k, state, Some(out), 32);
        assert_eq!(bytes(&k.memory, out, 32), hex(TWO_BLOCKS_DIGEST));
        assert_eq!(bytes(&k.memory, state.add(4), 32), hex(TWO_BLOCKS_DIGEST));
    }

    #[test]
    fn the_one_shot_form_gives_the_fips_180_digest_of_abc() {
        let mut k = Kernel::for_tests();
        let (a, out) = (scratch(0), scratch(2));
        k.memory.write_bytes(a, b"abc").unwrap();
        xe_crypt_sha256(&mut k, Some(a), 1, Some(a.add(1)), 2, None, 0, Some(out), 32);
        assert_eq!(bytes(&k.memory, out, 32), hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
}
