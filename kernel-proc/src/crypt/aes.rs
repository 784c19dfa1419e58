//! `XeCryptAes*`: AES-128 (FIPS 197) with the key schedule in guest memory.
//!
//! `XECRYPT_AES_STATE` is the encryption schedule (11 round keys of 16
//! bytes) at 0x0 and the decryption schedule of the equivalent inverse
//! cipher at 0xB0 (0x160 bytes; SDK `xecrypt.h`, xenia
//! `xboxkrnl_crypt.cc`). The schedules are computed here so the state
//! holds what the console's does; the first round key is the cipher key,
//! from which the `aes` crate's cipher is keyed for ECB and CBC.

use crate::kernel::Kernel;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use aes::Aes128;
use shared::memory::{GuestMemory, VirtAddr};

/// Offset of the decryption schedule.
pub const DECRYPT_SCHEDULE: u32 = 0xB0;
/// Size of `XECRYPT_AES_STATE`.
pub const STATE_SIZE: u32 = 0x160;

type Block = aes::Block;

/// The S-box of one byte, from the crate's round function: a round with a
/// zero round key over a block of sixteen equal bytes is SubBytes alone
/// (ShiftRows moves equal bytes, and MixColumns maps a column of equal
/// bytes `a` to `2a ⊕ 3a ⊕ a ⊕ a = a`).
fn sub_byte(byte: u8) -> u8 {
    let mut block = Block::from([byte; 16]);
    aes::hazmat::cipher_round(&mut block, &Block::default());
    block[0]
}

/// The encryption and decryption schedules of `key` (FIPS 197 §5.2 and
/// §5.3.5).
pub fn schedules(key: &[u8; 16]) -> ([[u8; 16]; 11], [[u8; 16]; 11]) {
    let mut words = [[0u8; 4]; 44];
    for (i, word) in words.iter_mut().take(4).enumerate() {
        word.copy_from_slice(&key[4 * i..4 * i + 4]);
    }
    let mut rcon = 1u8;
    for i in 4..44 {
        let mut t = words[i - 1];
        if i % 4 == 0 {
            t = [sub_byte(t[1]) ^ rcon, sub_byte(t[2]), sub_byte(t[3]), sub_byte(t[0])];
            rcon = (rcon << 1) ^ if rcon & 0x80 != 0 { 0x1B } else { 0 };
        }
        words[i] = std::array::from_fn(|j| words[i - 4][j] ^ t[j]);
    }
    let encrypt: [[u8; 16]; 11] = std::array::from_fn(|r| std::array::from_fn(|b| words[4 * r + b / 4][b % 4]));
    let decrypt = std::array::from_fn(|r| {
        let mut round = Block::from(encrypt[10 - r]);
        if r != 0 && r != 10 {
            aes::hazmat::inv_mix_columns(&mut round);
        }
        round.into()
    });
    (encrypt, decrypt)
}

/// The cipher keyed by the state's first round key.
pub(crate) fn cipher(m: &GuestMemory, state: VirtAddr) -> Aes128 {
    Aes128::new(&super::read_array::<16>(m, Some(state)).into())
}

/// Runs `cipher` over 16-byte blocks in CBC mode; `feed` is the IV on
/// entry and the last ciphertext block on return. Bytes past the last
/// whole block are left alone.
pub(crate) fn cbc(cipher: &Aes128, data: &mut [u8], feed: &mut [u8; 16], encrypt: bool) {
    for chunk in data.chunks_exact_mut(16) {
        let block: &mut [u8; 16] = chunk.try_into().expect("16-byte chunk");
        if encrypt {
            let mut b = Block::from(std::array::from_fn::<u8, 16, _>(|i| block[i] ^ feed[i]));
            cipher.encrypt_block(&mut b);
            *block = b.into();
            *feed = *block;
        } else {
            let ciphertext = *block;
            let mut b = Block::from(ciphertext);
            cipher.decrypt_block(&mut b);
            *block = std::array::from_fn(|i| b[i] ^ feed[i]);
            *feed = ciphertext;
        }
    }
}

/// `XeCryptAesKey(State, Key)`: writes both schedules of the 16-byte key.
pub fn xe_crypt_aes_key(kernel: &mut Kernel, state: VirtAddr, key: Option<VirtAddr>) {
    let m = &kernel.memory;
    let (encrypt, decrypt) = schedules(&super::read_array(m, key));
    super::write(m, Some(state), encrypt.as_flattened());
    super::write(m, Some(state.add(DECRYPT_SCHEDULE)), decrypt.as_flattened());
}

/// `XeCryptAesEcb(State, In, Out, Encrypt)`: one 16-byte block.
pub fn xe_crypt_aes_ecb(
    kernel: &mut Kernel,
    state: VirtAddr,
    input: Option<VirtAddr>,
    out: Option<VirtAddr>,
    encrypt: bool,
) {
    let m = &kernel.memory;
    let cipher = cipher(m, state);
    let mut block = Block::from(super::read_array::<16>(m, input));
    if encrypt {
        cipher.encrypt_block(&mut block);
    } else {
        cipher.decrypt_block(&mut block);
    }
    super::write(m, out, &block);
}

/// `XeCryptAesCbc(State, In, InSize, Out, Feed, Encrypt)`: CBC over the
/// whole blocks of the input (in place when `In == Out`); `Feed` is the IV
/// and receives the last ciphertext block (SDK `xecrypt.h`).
pub fn xe_crypt_aes_cbc(
    kernel: &mut Kernel,
    state: VirtAddr,
    input: Option<VirtAddr>,
    size: u32,
    out: Option<VirtAddr>,
    feed_at: Option<VirtAddr>,
    encrypt: bool,
) {
    let m = &kernel.memory;
    let cipher = cipher(m, state);
    let mut data = super::read(m, input, size & !15);
    let mut feed = super::read_array::<16>(m, feed_at);
    cbc(&cipher, &mut data, &mut feed, encrypt);
    super::write(m, out, &data);
    super::write(m, feed_at, &feed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypt::testing::{bytes, hex, scratch};

    const FIPS_197_KEY: &str = "000102030405060708090a0b0c0d0e0f";
    const FIPS_197_PLAIN: &str = "00112233445566778899aabbccddeeff";
    const FIPS_197_CIPHER: &str = "69c4e0d86a7b0430d8cdb78070b4c55a";

    #[test]
    fn the_key_schedule_matches_fips_197_appendix_a1() {
        let mut k = Kernel::for_tests();
        let (state, key) = (scratch(0), scratch(1));
        k.memory.write_bytes(key, &hex("2b7e151628aed2a6abf7158809cf4f3c")).unwrap();
        xe_crypt_aes_key(&mut k, state, Some(key));
        assert_eq!(bytes(&k.memory, state.add(16), 16), hex("a0fafe1788542cb123a339392a6c7605"));
        assert_eq!(bytes(&k.memory, state.add(160), 16), hex("d014f9a8c9ee2589e13f0cc8b6630ca6"));
        // The decryption schedule starts with the last round key and ends
        // with the cipher key.
        assert_eq!(bytes(&k.memory, state.add(DECRYPT_SCHEDULE), 16), hex("d014f9a8c9ee2589e13f0cc8b6630ca6"));
        assert_eq!(bytes(&k.memory, state.add(STATE_SIZE - 16), 16), hex("2b7e151628aed2a6abf7158809cf4f3c"));
    }

    #[test]
    fn ecb_encrypts_and_decrypts_the_fips_197_vector() {
        let mut k = Kernel::for_tests();
        let (state, key, data) = (scratch(0), scratch(1), scratch(2));
        k.memory.write_bytes(key, &hex(FIPS_197_KEY)).unwrap();
        k.memory.write_bytes(data, &hex(FIPS_197_PLAIN)).unwrap();
        xe_crypt_aes_key(&mut k, state, Some(key));
        xe_crypt_aes_ecb(&mut k, state, Some(data), Some(data.add(16)), true);
        assert_eq!(bytes(&k.memory, data.add(16), 16), hex(FIPS_197_CIPHER));
        xe_crypt_aes_ecb(&mut k, state, Some(data.add(16)), Some(data.add(32)), false);
        assert_eq!(bytes(&k.memory, data.add(32), 16), hex(FIPS_197_PLAIN));
    }

    /// NIST SP 800-38A F.2.1/F.2.2 (CBC-AES128), the first two blocks.
    const SP800_38A_KEY: &str = "2b7e151628aed2a6abf7158809cf4f3c";
    const SP800_38A_IV: &str = "000102030405060708090a0b0c0d0e0f";
    const SP800_38A_PLAIN: &str = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51";
    const SP800_38A_CIPHER: &str = "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2";

    #[test]
    fn cbc_in_place_gives_the_sp800_38a_ciphertext_and_leaves_the_last_block_in_feed() {
        let mut k = Kernel::for_tests();
        let (state, key, data, feed) = (scratch(0), scratch(1), scratch(2), scratch(3));
        k.memory.write_bytes(key, &hex(SP800_38A_KEY)).unwrap();
        k.memory.write_bytes(data, &hex(SP800_38A_PLAIN)).unwrap();
        k.memory.write_bytes(feed, &hex(SP800_38A_IV)).unwrap();
        xe_crypt_aes_key(&mut k, state, Some(key));
        xe_crypt_aes_cbc(&mut k, state, Some(data), 32, Some(data), Some(feed), true);
        assert_eq!(bytes(&k.memory, data, 32), hex(SP800_38A_CIPHER));
        assert_eq!(bytes(&k.memory, feed, 16), hex(SP800_38A_CIPHER)[16..].to_vec());

        k.memory.write_bytes(feed, &hex(SP800_38A_IV)).unwrap();
        xe_crypt_aes_cbc(&mut k, state, Some(data), 32, Some(data), Some(feed), false);
        assert_eq!(bytes(&k.memory, data, 32), hex(SP800_38A_PLAIN));
        assert_eq!(bytes(&k.memory, feed, 16), hex(SP800_38A_CIPHER)[16..].to_vec());
    }
}
