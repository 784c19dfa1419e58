//! `XeKeys*` exports that run a cipher or MAC with one of the console's own
//! keys. Those keys live in each console's key vault and fuses and are not
//! known to an emulator; Xenact uses what xenia documents (xenia
//! `xboxkrnl_crypt.cc`):
//!
//! - key 0x19 (the retail roamable obfuscation key) is the same on every
//!   retail console and is known; `XeKeysHmacSha` with any other key fails;
//! - the per-console key obfuscation key (key 0x18) that `XeKeysObscureKey`
//!   encrypts with is taken as all zeros, so obscured keys round-trip
//!   through the `…UsingKey` exports but differ from a real console's.

use super::aes;
use crate::kernel::Kernel;
use crate::status::NtStatus;
use ::aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use ::aes::Aes128;
use shared::memory::{GuestMemory, VirtAddr};

/// Key 0x19, the retail roamable obfuscation key (xenia `xboxkrnl_crypt.cc`).
const ROAMABLE_OBFUSCATION_KEY: u32 = 0x19;
const ROAMABLE_OBFUSCATION_KEY_VALUE: [u8; 16] =
    [0xE1, 0xBC, 0x15, 0x9C, 0x73, 0xB1, 0xEA, 0xE9, 0xAB, 0x31, 0x70, 0xF3, 0xAD, 0x47, 0xEB, 0xF3];

/// Stand-in for the console's key obfuscation key (see the module doc).
const KEY_OBFUSCATION_KEY: [u8; 16] = [0; 16];

/// The key an obscured key stands for.
fn unobscure(m: &GuestMemory, obscured: VirtAddr) -> [u8; 16] {
    let mut block = ::aes::Block::from(super::read_array::<16>(m, Some(obscured)));
    Aes128::new(&KEY_OBFUSCATION_KEY.into()).decrypt_block(&mut block);
    block.into()
}

/// `XeKeysHmacSha(KeyNum, In1, Size1, In2, Size2, In3, Size3, Out,
/// OutSize)`: HMAC-SHA-1 under console key `KeyNum`; only key 0x19 is
/// known, any other gives `STATUS_UNSUCCESSFUL`.
#[allow(clippy::too_many_arguments)]
pub fn xe_keys_hmac_sha(
    kernel: &mut Kernel,
    key_num: u32,
    in1: Option<VirtAddr>,
    size1: u32,
    in2: Option<VirtAddr>,
    size2: u32,
    in3: Option<VirtAddr>,
    size3: u32,
    out: Option<VirtAddr>,
    out_size: u32,
) -> NtStatus {
    if key_num != ROAMABLE_OBFUSCATION_KEY {
        tracing::warn!(key_num, "XeKeysHmacSha: the console key is unknown");
        return NtStatus::UNSUCCESSFUL;
    }
    let m = &kernel.memory;
    let message = super::read_three(m, [(in1, size1), (in2, size2), (in3, size3)]);
    let digest = super::hmac::hmac_sha(&ROAMABLE_OBFUSCATION_KEY_VALUE, &message);
    super::write(m, out, &digest[..(out_size as usize).min(20)]);
    NtStatus::SUCCESS
}

/// `XeKeysObscureKey(In, Out)`: the 16-byte key encrypted (AES-ECB) under
/// the key obfuscation key.
pub fn xe_keys_obscure_key(kernel: &mut Kernel, input: Option<VirtAddr>, out: Option<VirtAddr>) -> NtStatus {
    let m = &kernel.memory;
    let mut block = ::aes::Block::from(super::read_array::<16>(m, input));
    Aes128::new(&KEY_OBFUSCATION_KEY.into()).encrypt_block(&mut block);
    super::write(m, out, &block);
    NtStatus::SUCCESS
}

/// `XeKeysAesCbcUsingKey(ObscuredKey, In, InSize, Out, Feed, Encrypt)`:
/// `XeCryptAesCbc` under the key an obscured key stands for.
pub fn xe_keys_aes_cbc_using_key(
    kernel: &mut Kernel,
    obscured: Option<VirtAddr>,
    input: Option<VirtAddr>,
    size: u32,
    out: Option<VirtAddr>,
    feed_at: Option<VirtAddr>,
    encrypt: bool,
) -> NtStatus {
    let Some(obscured) = obscured else {
        return NtStatus::INVALID_PARAMETER;
    };
    let m = &kernel.memory;
    let cipher = Aes128::new(&unobscure(m, obscured).into());
    let mut data = super::read(m, input, size & !15);
    let mut feed = super::read_array::<16>(m, feed_at);
    aes::cbc(&cipher, &mut data, &mut feed, encrypt);
    super::write(m, out, &data);
    super::write(m, feed_at, &feed);
    NtStatus::SUCCESS
}

/// `XeKeysHmacShaUsingKey(ObscuredKey, In1, Size1, In2, Size2, In3, Size3,
/// Out, OutSize)`: HMAC-SHA-1 under the key an obscured key stands for;
/// `STATUS_INVALID_PARAMETER` without one (xenia).
#[allow(clippy::too_many_arguments)]
pub fn xe_keys_hmac_sha_using_key(
    kernel: &mut Kernel,
    obscured: Option<VirtAddr>,
    in1: Option<VirtAddr>,
    size1: u32,
    in2: Option<VirtAddr>,
    size2: u32,
    in3: Option<VirtAddr>,
    size3: u32,
    out: Option<VirtAddr>,
    out_size: u32,
) -> NtStatus {
    let Some(obscured) = obscured else {
        return NtStatus::INVALID_PARAMETER;
    };
    let m = &kernel.memory;
    let key = unobscure(m, obscured);
    let message = super::read_three(m, [(in1, size1), (in2, size2), (in3, size3)]);
    super::write(m, out, &super::hmac::hmac_sha(&key, &message)[..(out_size as usize).min(20)]);
    NtStatus::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypt::testing::{bytes, hex, scratch};

    #[test]
    fn hmac_sha_with_key_0x19_uses_the_roamable_obfuscation_key() {
        let mut k = Kernel::for_tests();
        let (data, out, key, expected) = (scratch(0), scratch(1), scratch(2), scratch(3));
        k.memory.write_bytes(data, b"profile").unwrap();
        k.memory.write_bytes(key, &ROAMABLE_OBFUSCATION_KEY_VALUE).unwrap();
        let status = xe_keys_hmac_sha(&mut k, 0x19, Some(data), 7, None, 0, None, 0, Some(out), 20);
        assert_eq!(status, NtStatus::SUCCESS);
        crate::crypt::hmac::xe_crypt_hmac_sha(
            &mut k,
            Some(key),
            16,
            Some(data),
            7,
            None,
            0,
            None,
            0,
            Some(expected),
            20,
        );
        assert_eq!(bytes(&k.memory, out, 20), bytes(&k.memory, expected, 20));
    }

    #[test]
    fn hmac_sha_with_an_unknown_console_key_fails_and_writes_nothing() {
        let mut k = Kernel::for_tests();
        k.memory.write_bytes(scratch(1), &[0xAA; 20]).unwrap();
        let status = xe_keys_hmac_sha(&mut k, 0x02, Some(scratch(0)), 4, None, 0, None, 0, Some(scratch(1)), 20);
        assert_eq!(status, NtStatus::UNSUCCESSFUL);
        assert_eq!(bytes(&k.memory, scratch(1), 20), [0xAA; 20]);
    }

    #[test]
    fn an_obscured_key_drives_aes_cbc_and_hmac_as_the_plain_key_would() {
        let mut k = Kernel::for_tests();
        let (key, obscured, data, feed, out) = (scratch(0), scratch(1), scratch(2), scratch(3), scratch(4));
        // NIST SP 800-38A F.2.1, first block.
        k.memory.write_bytes(key, &hex("2b7e151628aed2a6abf7158809cf4f3c")).unwrap();
        k.memory.write_bytes(data, &hex("6bc1bee22e409f96e93d7e117393172a")).unwrap();
        k.memory.write_bytes(feed, &hex("000102030405060708090a0b0c0d0e0f")).unwrap();
        assert_eq!(xe_keys_obscure_key(&mut k, Some(key), Some(obscured)), NtStatus::SUCCESS);
        assert_ne!(bytes(&k.memory, obscured, 16), bytes(&k.memory, key, 16));
        let status = xe_keys_aes_cbc_using_key(&mut k, Some(obscured), Some(data), 16, Some(out), Some(feed), true);
        assert_eq!(status, NtStatus::SUCCESS);
        assert_eq!(bytes(&k.memory, out, 16), hex("7649abac8119b246cee98e9b12e9197d"));

        k.memory.write_bytes(key, b"Jefe").unwrap();
        k.memory.write_bytes(key.add(4), &[0; 12]).unwrap();
        xe_keys_obscure_key(&mut k, Some(key), Some(obscured));
        k.memory.write_bytes(data, b"what do ya want for nothing?").unwrap();
        xe_keys_hmac_sha_using_key(&mut k, Some(obscured), Some(data), 28, None, 0, None, 0, Some(out), 20);
        // A 16-byte key padded with zeros is the same HMAC key as "Jefe".
        assert_eq!(bytes(&k.memory, out, 20), hex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
    }

    #[test]
    fn the_using_key_forms_refuse_a_null_key() {
        let mut k = Kernel::for_tests();
        let status = xe_keys_hmac_sha_using_key(&mut k, None, None, 0, None, 0, None, 0, None, 0);
        assert_eq!(status, NtStatus::INVALID_PARAMETER);
        let status = xe_keys_aes_cbc_using_key(&mut k, None, None, 0, None, None, true);
        assert_eq!(status, NtStatus::INVALID_PARAMETER);
    }
}
