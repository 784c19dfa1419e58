//! `XeCryptHmacSha*` and `XeCryptHmacMd5*`: HMAC (RFC 2104) over SHA-1 and
//! MD5. The incremental state is two hash states in a row
//! (`XECRYPT_HMACSHA_STATE`, 0xB0 bytes; `XECRYPT_HMACMD5_STATE`, 0xA8;
//! SDK `xecrypt.h`): the first is the inner hash, already fed the key
//! XOR ipad, the second the outer hash, fed the key XOR opad. A key
//! longer than the 64-byte block is first hashed, as RFC 2104 says (the
//! SDK documents keys of up to 64 bytes; xenia hashes longer ones).

use super::hash::{Algorithm, HashState, Layout};
use super::md5::Md5;
use super::sha::Sha1;
use crate::kernel::Kernel;
use shared::memory::{GuestMemory, VirtAddr};

/// The inner and outer hashes after the padded key.
fn keyed<A: Algorithm>(key: &[u8]) -> (HashState<A>, HashState<A>) {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        let mut hash = HashState::<A>::new();
        hash.update(key);
        let digest = hash.finish();
        block[..digest.len()].copy_from_slice(&digest);
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let (mut inner, mut outer) = (HashState::<A>::new(), HashState::<A>::new());
    inner.update(&block.map(|b| b ^ 0x36));
    outer.update(&block.map(|b| b ^ 0x5C));
    (inner, outer)
}

/// The MAC from the keyed pair once the message is in the inner hash.
fn close<A: Algorithm>(inner: &mut HashState<A>, outer: &mut HashState<A>) -> Vec<u8> {
    let inner_digest = inner.finish();
    outer.update(&inner_digest);
    outer.finish()
}

fn mac<A: Algorithm>(key: &[u8], message: &[u8]) -> Vec<u8> {
    let (mut inner, mut outer) = keyed::<A>(key);
    inner.update(message);
    close(&mut inner, &mut outer)
}

/// HMAC-SHA-1 of `message`, for [`super::keys`].
pub(crate) fn hmac_sha(key: &[u8], message: &[u8]) -> Vec<u8> {
    mac::<Sha1>(key, message)
}

fn init<A: Algorithm>(m: &GuestMemory, state: VirtAddr, key: Option<VirtAddr>, key_size: u32) {
    let (inner, outer) = keyed::<A>(&super::read(m, key, key_size));
    inner.store(m, state);
    outer.store(m, state.add(Layout::<A>::SIZE));
}

fn update<A: Algorithm>(m: &GuestMemory, state: VirtAddr, input: Option<VirtAddr>, size: u32) {
    let mut inner = HashState::<A>::load(m, state);
    inner.update(&super::read(m, input, size));
    inner.store(m, state);
}

fn finish<A: Algorithm>(m: &GuestMemory, state: VirtAddr, out: Option<VirtAddr>, out_size: u32) {
    let (mut inner, mut outer) =
        (HashState::<A>::load(m, state), HashState::<A>::load(m, state.add(Layout::<A>::SIZE)));
    let digest = close(&mut inner, &mut outer);
    inner.store(m, state);
    outer.store(m, state.add(Layout::<A>::SIZE));
    super::write(m, out, &digest[..(out_size as usize).min(A::DIGEST)]);
}

/// The MAC of the three guest inputs under the guest key, at once.
fn one_shot<A: Algorithm>(
    m: &GuestMemory,
    key: Option<VirtAddr>,
    key_size: u32,
    inputs: [(Option<VirtAddr>, u32); 3],
) -> Vec<u8> {
    mac::<A>(&super::read(m, key, key_size), &super::read_three(m, inputs))
}

/// `XeCryptHmacShaInit(State, Key, KeySize)`.
pub fn xe_crypt_hmac_sha_init(kernel: &mut Kernel, state: VirtAddr, key: Option<VirtAddr>, key_size: u32) {
    init::<Sha1>(&kernel.memory, state, key, key_size);
}

/// `XeCryptHmacShaUpdate(State, Input, InputSize)`.
pub fn xe_crypt_hmac_sha_update(kernel: &mut Kernel, state: VirtAddr, input: Option<VirtAddr>, size: u32) {
    update::<Sha1>(&kernel.memory, state, input, size);
}

/// `XeCryptHmacShaFinal(State, Out, OutSize)`: up to 20 bytes of the MAC.
pub fn xe_crypt_hmac_sha_final(kernel: &mut Kernel, state: VirtAddr, out: Option<VirtAddr>, out_size: u32) {
    finish::<Sha1>(&kernel.memory, state, out, out_size);
}

/// `XeCryptHmacSha(Key, KeySize, In1, Size1, In2, Size2, In3, Size3, Out,
/// OutSize)`.
#[allow(clippy::too_many_arguments)]
pub fn xe_crypt_hmac_sha(
    kernel: &mut Kernel,
    key: Option<VirtAddr>,
    key_size: u32,
    in1: Option<VirtAddr>,
    size1: u32,
    in2: Option<VirtAddr>,
    size2: u32,
    in3: Option<VirtAddr>,
    size3: u32,
    out: Option<VirtAddr>,
    out_size: u32,
) {
    let m = &kernel.memory;
    let digest = one_shot::<Sha1>(m, key, key_size, [(in1, size1), (in2, size2), (in3, size3)]);
    super::write(m, out, &digest[..(out_size as usize).min(Sha1::DIGEST)]);
}

/// `XeCryptHmacShaVerify(Key, KeySize, In1, Size1, In2, Size2, In3, Size3,
/// Expected, ExpectedSize)`: TRUE when the MAC's first `ExpectedSize`
/// bytes are `Expected` (SDK `xecrypt.h`).
#[allow(clippy::too_many_arguments)]
pub fn xe_crypt_hmac_sha_verify(
    kernel: &mut Kernel,
    key: Option<VirtAddr>,
    key_size: u32,
    in1: Option<VirtAddr>,
    size1: u32,
    in2: Option<VirtAddr>,
    size2: u32,
    in3: Option<VirtAddr>,
    size3: u32,
    expected: Option<VirtAddr>,
    expected_size: u32,
) -> bool {
    let m = &kernel.memory;
    let digest = one_shot::<Sha1>(m, key, key_size, [(in1, size1), (in2, size2), (in3, size3)]);
    if expected_size as usize > digest.len() {
        return false;
    }
    super::read(m, expected, expected_size) == digest[..expected_size as usize]
}

/// `XeCryptHmacMd5Init(State, Key, KeySize)`.
pub fn xe_crypt_hmac_md5_init(kernel: &mut Kernel, state: VirtAddr, key: Option<VirtAddr>, key_size: u32) {
    init::<Md5>(&kernel.memory, state, key, key_size);
}

/// `XeCryptHmacMd5Update(State, Input, InputSize)`.
pub fn xe_crypt_hmac_md5_update(kernel: &mut Kernel, state: VirtAddr, input: Option<VirtAddr>, size: u32) {
    update::<Md5>(&kernel.memory, state, input, size);
}

/// `XeCryptHmacMd5Final(State, Out, OutSize)`: up to 16 bytes of the MAC.
pub fn xe_crypt_hmac_md5_final(kernel: &mut Kernel, state: VirtAddr, out: Option<VirtAddr>, out_size: u32) {
    finish::<Md5>(&kernel.memory, state, out, out_size);
}

/// `XeCryptHmacMd5(Key, KeySize, In1, Size1, In2, Size2, In3, Size3, Out,
/// OutSize)`.
#[allow(clippy::too_many_arguments)]
pub fn xe_crypt_hmac_md5(
    kernel: &mut Kernel,
    key: Option<VirtAddr>,
    key_size: u32,
    in1: Option<VirtAddr>,
    size1: u32,
    in2: Option<VirtAddr>,
    size2: u32,
    in3: Option<VirtAddr>,
    size3: u32,
    out: Option<VirtAddr>,
    out_size: u32,
) {
    let m = &kernel.memory;
    let digest = one_shot::<Md5>(m, key, key_size, [(in1, size1), (in2, size2), (in3, size3)]);
    super::write(m, out, &digest[..(out_size as usize).min(Md5::DIGEST)]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypt::testing::{bytes, hex, scratch};

    /// RFC 2202 test cases 1, 2 and 6 (the last with an 80-byte key):
    /// key, data, HMAC-SHA-1, HMAC-MD5.
    fn rfc_2202() -> Vec<(Vec<u8>, Vec<u8>, &'static str, &'static str)> {
        vec![
            (
                vec![0x0B; 20],
                b"Hi There".to_vec(),
                "b617318655057264e28bc0b6fb378c8ef146be00",
                "5ccec34ea9656392457fa1ac27f08fbc",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
                "750c783e6ab0b503eaa86e310a5db738",
            ),
            (
                vec![0xAA; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "aa4ae5e15272d00e95705637ce8a3b55ed402112",
                "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd",
            ),
        ]
    }

    #[test]
    fn the_one_shot_forms_give_the_rfc_2202_macs() {
        let mut k = Kernel::for_tests();
        let (key, data, out) = (scratch(0), scratch(1), scratch(2));
        for (key_bytes, message, sha, md5) in rfc_2202() {
            k.memory.write_bytes(key, &key_bytes).unwrap();
            k.memory.write_bytes(data, &message).unwrap();
            let (kl, ml) = (key_bytes.len() as u32, message.len() as u32);
            xe_crypt_hmac_sha(&mut k, Some(key), kl, Some(data), 4, Some(data.add(4)), ml - 4, None, 0, Some(out), 20);
            assert_eq!(bytes(&k.memory, out, 20), hex(sha));
            xe_crypt_hmac_md5(&mut k, Some(key), kl, Some(data), ml, None, 0, None, 0, Some(out), 16);
            assert_eq!(bytes(&k.memory, out, 16), hex(md5));
        }
    }

    #[test]
    fn the_incremental_forms_give_the_rfc_2202_macs() {
        let mut k = Kernel::for_tests();
        let (state, key, data, out) = (scratch(0), scratch(1), scratch(2), scratch(3));
        for (key_bytes, message, sha, md5) in rfc_2202() {
            k.memory.write_bytes(key, &key_bytes).unwrap();
            k.memory.write_bytes(data, &message).unwrap();
            let (kl, ml) = (key_bytes.len() as u32, message.len() as u32);
            xe_crypt_hmac_sha_init(&mut k, state, Some(key), kl);
            xe_crypt_hmac_sha_update(&mut k, state, Some(data), 3);
            xe_crypt_hmac_sha_update(&mut k, state, Some(data.add(3)), ml - 3);
            xe_crypt_hmac_sha_final(&mut k, state, Some(out), 20);
            assert_eq!(bytes(&k.memory, out, 20), hex(sha));
            xe_crypt_hmac_md5_init(&mut k, state, Some(key), kl);
            xe_crypt_hmac_md5_update(&mut k, state, Some(data), ml);
            xe_crypt_hmac_md5_final(&mut k, state, Some(out), 16);
            assert_eq!(bytes(&k.memory, out, 16), hex(md5));
        }
    }

    #[test]
    fn init_leaves_the_outer_hash_at_0x58_after_one_block() {
        let mut k = Kernel::for_tests();
        let key = scratch(1);
        k.memory.write_bytes(key, b"Jefe").unwrap();
        xe_crypt_hmac_sha_init(&mut k, scratch(0), Some(key), 4);
        // Each half has counted the 64-byte padded key.
        assert_eq!(k.memory.read_u32(scratch(0)).unwrap(), 64);
        assert_eq!(k.memory.read_u32(scratch(0).add(0x58)).unwrap(), 64);
    }

    #[test]
    fn verify_accepts_a_matching_prefix_and_rejects_a_changed_byte() {
        let mut k = Kernel::for_tests();
        let (key, data, expected) = (scratch(0), scratch(1), scratch(2));
        k.memory.write_bytes(key, b"Jefe").unwrap();
        k.memory.write_bytes(data, b"what do ya want for nothing?").unwrap();
        k.memory.write_bytes(expected, &hex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")).unwrap();
        let verify = |k: &mut Kernel, size| {
            xe_crypt_hmac_sha_verify(k, Some(key), 4, Some(data), 28, None, 0, None, 0, Some(expected), size)
        };
        assert!(verify(&mut k, 20));
        assert!(verify(&mut k, 10));
        k.memory.write_bytes(expected.add(5), &[0]).unwrap();
        assert!(!verify(&mut k, 20));
    }
}
