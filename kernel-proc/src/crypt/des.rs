//! `XeCryptDes*` and `XeCryptDes3*`: DES and triple DES (FIPS 46-3, EDE
//! with three keys as NIST SP 800-67 defines it), and key parity.
//!
//! `XECRYPT_DES_STATE` is 0x80 bytes (`keytab[16][2]`, one pair of DWORDs
//! per round) and `XECRYPT_DES3_STATE` three of them (0x180; SDK
//! `xecrypt.h`). The console fills `keytab` with its own key schedule;
//! Xenact stores the 8-byte key in the first round's pair (the rest zero)
//! and keys the `des` crate's cipher from it, which keeps the state the
//! console's size and copyable but not byte-for-byte the console's.

use crate::kernel::Kernel;
use des::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use des::{Des, TdesEde3};
use shared::memory::{GuestMemory, VirtAddr};

/// Size of `XECRYPT_DES_STATE`.
pub const STATE_SIZE: u32 = 0x80;
/// Size of `XECRYPT_DES3_STATE`.
pub const STATE3_SIZE: u32 = 3 * STATE_SIZE;

/// Writes one DES state for `key`.
fn store_key(m: &GuestMemory, state: VirtAddr, key: &[u8; 8]) {
    let mut table = [0u8; STATE_SIZE as usize];
    table[..8].copy_from_slice(key);
    super::write(m, Some(state), &table);
}

fn key_of(m: &GuestMemory, state: VirtAddr) -> [u8; 8] {
    super::read_array(m, Some(state))
}

/// A block cipher with 8-byte blocks, as ECB and CBC use it.
trait Cipher8 {
    fn crypt(&self, block: &mut [u8; 8], encrypt: bool);
}

impl<C: BlockEncrypt + BlockDecrypt<BlockSize = des::cipher::consts::U8>> Cipher8 for C {
    fn crypt(&self, block: &mut [u8; 8], encrypt: bool) {
        let b = des::cipher::generic_array::GenericArray::from_mut_slice(block);
        if encrypt {
            self.encrypt_block(b);
        } else {
            self.decrypt_block(b);
        }
    }
}

fn ecb(m: &GuestMemory, cipher: &impl Cipher8, input: Option<VirtAddr>, out: Option<VirtAddr>, encrypt: bool) {
    let mut block = super::read_array::<8>(m, input);
    cipher.crypt(&mut block, encrypt);
    super::write(m, out, &block);
}

/// CBC over the whole 8-byte blocks of the input; `feed` is the IV and
/// receives the last ciphertext block (SDK `xecrypt.h`).
fn cbc(
    m: &GuestMemory,
    cipher: &impl Cipher8,
    input: Option<VirtAddr>,
    size: u32,
    out: Option<VirtAddr>,
    feed_at: Option<VirtAddr>,
    encrypt: bool,
) {
    let mut data = super::read(m, input, size & !7);
    let mut feed = super::read_array::<8>(m, feed_at);
    for chunk in data.chunks_exact_mut(8) {
        let block: &mut [u8; 8] = chunk.try_into().expect("8-byte chunk");
        if encrypt {
            *block = std::array::from_fn(|i| block[i] ^ feed[i]);
            cipher.crypt(block, true);
            feed = *block;
        } else {
            let ciphertext = *block;
            cipher.crypt(block, false);
            *block = std::array::from_fn(|i| block[i] ^ feed[i]);
            feed = ciphertext;
        }
    }
    super::write(m, out, &data);
    super::write(m, feed_at, &feed);
}

fn des(m: &GuestMemory, state: VirtAddr) -> Des {
    Des::new(&key_of(m, state).into())
}

fn des3(m: &GuestMemory, state: VirtAddr) -> TdesEde3 {
    let keys: Vec<u8> = (0..3).flat_map(|i| key_of(m, state.add(i * STATE_SIZE))).collect();
    TdesEde3::new_from_slice(&keys).expect("24-byte key")
}

/// `XeCryptDesParity(In, Size, Out)`: each byte with its low bit set so
/// the byte has odd parity, as DES keys carry it.
pub fn xe_crypt_des_parity(kernel: &mut Kernel, input: Option<VirtAddr>, size: u32, out: Option<VirtAddr>) {
    let m = &kernel.memory;
    let bytes: Vec<u8> =
        super::read(m, input, size).into_iter().map(|b| (b & 0xFE) | (((b >> 1).count_ones() as u8 & 1) ^ 1)).collect();
    super::write(m, out, &bytes);
}

/// `XeCryptDesKey(State, Key)`: an 8-byte key.
pub fn xe_crypt_des_key(kernel: &mut Kernel, state: VirtAddr, key: Option<VirtAddr>) {
    let m = &kernel.memory;
    store_key(m, state, &super::read_array(m, key));
}

/// `XeCryptDesEcb(State, In, Out, Encrypt)`: one 8-byte block.
pub fn xe_crypt_des_ecb(
    kernel: &mut Kernel,
    state: VirtAddr,
    input: Option<VirtAddr>,
    out: Option<VirtAddr>,
    encrypt: bool,
) {
    let m = &kernel.memory;
    ecb(m, &des(m, state), input, out, encrypt);
}

/// `XeCryptDesCbc(State, In, InSize, Out, Feed, Encrypt)`.
pub fn xe_crypt_des_cbc(
    kernel: &mut Kernel,
    state: VirtAddr,
    input: Option<VirtAddr>,
    size: u32,
    out: Option<VirtAddr>,
    feed: Option<VirtAddr>,
    encrypt: bool,
) {
    let m = &kernel.memory;
    cbc(m, &des(m, state), input, size, out, feed, encrypt);
}

/// `XeCryptDes3Key(State, Key)`: a 24-byte key, three DES keys in order.
pub fn xe_crypt_des3_key(kernel: &mut Kernel, state: VirtAddr, key: Option<VirtAddr>) {
    let m = &kernel.memory;
    let keys = super::read_array::<24>(m, key);
    for (i, key) in keys.chunks_exact(8).enumerate() {
        store_key(m, state.add(i as u32 * STATE_SIZE), key.try_into().expect("8-byte key"));
    }
}

/// `XeCryptDes3Ecb(State, In, Out, Encrypt)`: one block, encrypt-decrypt-
/// encrypt with the three keys.
pub fn xe_crypt_des3_ecb(
    kernel: &mut Kernel,
    state: VirtAddr,
    input: Option<VirtAddr>,
    out: Option<VirtAddr>,
    encrypt: bool,
) {
    let m = &kernel.memory;
    ecb(m, &des3(m, state), input, out, encrypt);
}

/// `XeCryptDes3Cbc(State, In, InSize, Out, Feed, Encrypt)`.
pub fn xe_crypt_des3_cbc(
    kernel: &mut Kernel,
    state: VirtAddr,
    input: Option<VirtAddr>,
    size: u32,
    out: Option<VirtAddr>,
    feed: Option<VirtAddr>,
    encrypt: bool,
) {
    let m = &kernel.memory;
    cbc(m, &des3(m, state), input, size, out, feed, encrypt);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypt::testing::{bytes, hex, scratch};

    /// FIPS 81 appendix B: "Now is the time for all " under 0123456789abcdef.
    const FIPS_81_KEY: &str = "0123456789abcdef";
    const FIPS_81_PLAIN: &str = "4e6f772069732074 68652074696d6520 666f7220616c6c20";
    const FIPS_81_ECB: &str = "3fa40e8a984d4815 6a271787ab8883f9 893d51ec4b563b53";
    const FIPS_81_IV: &str = "1234567890abcdef";
    const FIPS_81_CBC: &str = "e5c7cdde872bf27c 43e934008c389c0f 683788499a7c05f6";

    #[test]
    fn parity_sets_the_low_bit_to_make_each_byte_odd() {
        let mut k = Kernel::for_tests();
        k.memory.write_bytes(scratch(0), &[0x00, 0x01, 0xFE, 0x13, 0x80]).unwrap();
        xe_crypt_des_parity(&mut k, Some(scratch(0)), 5, Some(scratch(1)));
        assert_eq!(bytes(&k.memory, scratch(1), 5), [0x01, 0x01, 0xFE, 0x13, 0x80]);
        k.memory.write_bytes(scratch(0), &[0x02, 0x03]).unwrap();
        xe_crypt_des_parity(&mut k, Some(scratch(0)), 2, Some(scratch(1)));
        assert_eq!(bytes(&k.memory, scratch(1), 2), [0x02, 0x02]);
    }

    #[test]
    fn des_ecb_and_cbc_give_the_fips_81_ciphertexts() {
        let mut k = Kernel::for_tests();
        let (state, key, data, out, feed) = (scratch(0), scratch(1), scratch(2), scratch(3), scratch(4));
        k.memory.write_bytes(key, &hex(FIPS_81_KEY)).unwrap();
        k.memory.write_bytes(data, &hex(FIPS_81_PLAIN)).unwrap();
        xe_crypt_des_key(&mut k, state, Some(key));
        for i in 0..3 {
            xe_crypt_des_ecb(&mut k, state, Some(data.add(8 * i)), Some(out.add(8 * i)), true);
        }
        assert_eq!(bytes(&k.memory, out, 24), hex(FIPS_81_ECB));

        k.memory.write_bytes(feed, &hex(FIPS_81_IV)).unwrap();
        xe_crypt_des_cbc(&mut k, state, Some(data), 24, Some(out), Some(feed), true);
        assert_eq!(bytes(&k.memory, out, 24), hex(FIPS_81_CBC));
        assert_eq!(bytes(&k.memory, feed, 8), hex("683788499a7c05f6"));

        k.memory.write_bytes(feed, &hex(FIPS_81_IV)).unwrap();
        xe_crypt_des_cbc(&mut k, state, Some(out), 24, Some(out), Some(feed), false);
        assert_eq!(bytes(&k.memory, out, 24), hex(FIPS_81_PLAIN));
    }

    /// NIST SP 800-67 rev. 1 appendix B: three keys, ECB.
    #[test]
    fn des3_ecb_gives_the_sp800_67_ciphertext_and_decrypts_it() {
        let mut k = Kernel::for_tests();
        let (state, key, data, out) = (scratch(0), scratch(1), scratch(2), scratch(3));
        k.memory.write_bytes(key, &hex("0123456789abcdef 23456789abcdef01 456789abcdef0123")).unwrap();
        k.memory.write_bytes(data, b"The qufck brown fox jump").unwrap();
        xe_crypt_des3_key(&mut k, state, Some(key));
        for i in 0..3 {
            xe_crypt_des3_ecb(&mut k, state, Some(data.add(8 * i)), Some(out.add(8 * i)), true);
        }
        assert_eq!(bytes(&k.memory, out, 24), hex("a826fd8ce53b855f cce21c8112256fe6 68d5c05dd9b6b900"));
        xe_crypt_des3_ecb(&mut k, state, Some(out), Some(out), false);
        assert_eq!(bytes(&k.memory, out, 8), b"The qufc");
    }

    #[test]
    fn des3_cbc_with_one_key_three_times_equals_single_des_cbc() {
        let mut k = Kernel::for_tests();
        let (state, key, data, out, feed) = (scratch(0), scratch(1), scratch(2), scratch(3), scratch(4));
        k.memory.write_bytes(key, &hex(&FIPS_81_KEY.repeat(3))).unwrap();
        k.memory.write_bytes(data, &hex(FIPS_81_PLAIN)).unwrap();
        k.memory.write_bytes(feed, &hex(FIPS_81_IV)).unwrap();
        xe_crypt_des3_key(&mut k, state, Some(key));
        xe_crypt_des3_cbc(&mut k, state, Some(data), 24, Some(out), Some(feed), true);
        assert_eq!(bytes(&k.memory, out, 24), hex(FIPS_81_CBC));
        assert_eq!(STATE3_SIZE, 0x180);
    }
}
