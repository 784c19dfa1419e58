//! `XeCryptRc4*`: the RC4 stream cipher with its state in guest memory.
//!
//! `XECRYPT_RC4_STATE` is the permutation `S[256]` at 0x0, then the bytes
//! `i` (0x100) and `j` (0x101); 0x102 bytes (SDK `xecrypt.h`). Keys may be
//! 0 to 256 bytes long. The cipher is written here: the `rc4` crate fixes
//! the key length at compile time and keeps its state private, and the
//! guest owns this one.

use crate::kernel::Kernel;
use shared::memory::{GuestMemory, VirtAddr};

/// Size of `XECRYPT_RC4_STATE`.
pub const STATE_SIZE: u32 = 0x102;

/// The cipher's state as the guest structure holds it.
struct Rc4 {
    s: [u8; 256],
    i: u8,
    j: u8,
}

impl Rc4 {
    /// The key-scheduling algorithm. An empty key schedules as one zero
    /// byte (the cycling index has nothing to cycle over).
    fn new(key: &[u8]) -> Rc4 {
        let key = if key.is_empty() { &[0u8][..] } else { key };
        let mut s: [u8; 256] = std::array::from_fn(|i| i as u8);
        let mut j = 0u8;
        for i in 0..256 {
            j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
            s.swap(i, j as usize);
        }
        Rc4 { s, i: 0, j: 0 }
    }

    fn load(m: &GuestMemory, at: VirtAddr) -> Rc4 {
        let bytes = super::read_array::<{ STATE_SIZE as usize }>(m, Some(at));
        Rc4 { s: bytes[..256].try_into().expect("256 bytes"), i: bytes[256], j: bytes[257] }
    }

    fn store(&self, m: &GuestMemory, at: VirtAddr) {
        let mut bytes = [0u8; STATE_SIZE as usize];
        bytes[..256].copy_from_slice(&self.s);
        bytes[256] = self.i;
        bytes[257] = self.j;
        super::write(m, Some(at), &bytes);
    }

    /// XORs the key stream into `data`.
    fn apply(&mut self, data: &mut [u8]) {
        for byte in data {
            self.i = self.i.wrapping_add(1);
            self.j = self.j.wrapping_add(self.s[self.i as usize]);
            self.s.swap(self.i as usize, self.j as usize);
            let k = self.s[self.s[self.i as usize].wrapping_add(self.s[self.j as usize]) as usize];
            *byte ^= k;
        }
    }
}

/// `XeCryptRc4Key(State, Key, KeySize)`.
pub fn xe_crypt_rc4_key(kernel: &mut Kernel, state: VirtAddr, key: Option<VirtAddr>, key_size: u32) {
    let m = &kernel.memory;
    Rc4::new(&super::read(m, key, key_size.min(256))).store(m, state);
}

/// `XeCryptRc4Ecb(State, InOut, Size)`: encrypts or decrypts in place,
/// going on from where the state's stream stands.
pub fn xe_crypt_rc4_ecb(kernel: &mut Kernel, state: VirtAddr, data_at: Option<VirtAddr>, size: u32) {
    let m = &kernel.memory;
    let mut rc4 = Rc4::load(m, state);
    let mut data = super::read(m, data_at, size);
    rc4.apply(&mut data);
    super::write(m, data_at, &data);
    rc4.store(m, state);
}

/// `XeCryptRc4(Key, KeySize, InOut, Size)`: both in one call.
pub fn xe_crypt_rc4(kernel: &mut Kernel, key: Option<VirtAddr>, key_size: u32, data_at: Option<VirtAddr>, size: u32) {
    let m = &kernel.memory;
    let mut rc4 = Rc4::new(&super::read(m, key, key_size.min(256)));
    let mut data = super::read(m, data_at, size);
    rc4.apply(&mut data);
    super::write(m, data_at, &data);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypt::testing::{bytes, hex, scratch};

    #[test]
    fn the_classic_vectors_encrypt_to_their_ciphertexts() {
        let mut k = Kernel::for_tests();
        let (key, data) = (scratch(0), scratch(1));
        for (key_text, plain, cipher) in [
            ("Key", "Plaintext", "bbf316e8d940af0ad3"),
            ("Wiki", "pedia", "1021bf0420"),
            ("Secret", "Attack at dawn", "45a01f645fc35b383552544b9bf5"),
        ] {
            k.memory.write_bytes(key, key_text.as_bytes()).unwrap();
            k.memory.write_bytes(data, plain.as_bytes()).unwrap();
            xe_crypt_rc4(&mut k, Some(key), key_text.len() as u32, Some(data), plain.len() as u32);
            assert_eq!(bytes(&k.memory, data, plain.len()), hex(cipher), "{key_text}");
        }
    }

    /// RFC 6229, 40-bit key 0102030405: key stream bytes 0–15.
    #[test]
    fn the_stream_continues_across_ecb_calls_as_rfc_6229_lists_it() {
        let mut k = Kernel::for_tests();
        let (state, key, data) = (scratch(0), scratch(1), scratch(2));
        k.memory.write_bytes(key, &hex("0102030405")).unwrap();
        k.memory.write_bytes(data, &[0u8; 16]).unwrap();
        xe_crypt_rc4_key(&mut k, state, Some(key), 5);
        xe_crypt_rc4_ecb(&mut k, state, Some(data), 5);
        xe_crypt_rc4_ecb(&mut k, state, Some(data.add(5)), 11);
        assert_eq!(bytes(&k.memory, data, 16), hex("b2396305f03dc027ccc3524a0a1118a8"));
        // i and j follow S in the structure.
        assert_eq!(bytes(&k.memory, state.add(0x100), 1), [16]);
    }
}
