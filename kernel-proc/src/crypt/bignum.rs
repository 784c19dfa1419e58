//! `XeCryptBn*`: the console's big-number helpers, its RSA public
//! operation and PKCS #1 signature blocks.
//!
//! A bignum is an array of digits, least significant digit first; a digit
//! is a DWORD (`BnDw`) or a QWORD (`BnQw`) stored little-endian (`Le`),
//! big-endian (`Be`) or in the platform's order (`Ne`, big-endian on the
//! console). `XECRYPT_RSA` is the digit count (DWORD, 0x0), the public
//! exponent (DWORD, 0x4) and a reserved QWORD, followed by the modulus in
//! `BnQwNe` (SDK `xecrypt.h`). The arithmetic is `num-bigint`'s.

use crate::kernel::Kernel;
use num_bigint::BigUint;
use shared::memory::{GuestMemory, VirtAddr};

/// The largest modulus the console's RSA functions take: 4096 bits
/// (`XeCryptBnQwNeRsaKeyGen` allows 512 to 4096; SDK `xecrypt.h`).
const MAX_DIGITS: u32 = 64;

/// Reads a `BnQwNe` number of `digits` QWORDs.
fn read_qw_ne(m: &GuestMemory, at: Option<VirtAddr>, digits: u32) -> BigUint {
    let raw = super::read(m, at, digits * 8);
    let big_endian: Vec<u8> = raw.chunks_exact(8).rev().flatten().copied().collect();
    BigUint::from_bytes_be(&big_endian)
}

/// Writes `value` as a `BnQwNe` number of `digits` QWORDs (the value fits:
/// it was reduced by a modulus of that many digits).
fn write_qw_ne(m: &GuestMemory, at: Option<VirtAddr>, digits: u32, value: &BigUint) {
    let bytes = value.to_bytes_be();
    let mut big_endian = vec![0u8; (digits * 8) as usize];
    let len = bytes.len().min(big_endian.len());
    let start = big_endian.len() - len;
    big_endian[start..].copy_from_slice(&bytes[bytes.len() - len..]);
    let raw: Vec<u8> = big_endian.chunks_exact(8).rev().flatten().copied().collect();
    super::write(m, at, &raw);
}

/// Copies `count` digits of `size` bytes from `input` to `out`, each
/// through `convert` (in place when they are the same).
fn map_digits(
    m: &GuestMemory,
    input: Option<VirtAddr>,
    out: Option<VirtAddr>,
    count: u32,
    size: usize,
    convert: impl Fn(&mut [u8]),
) {
    let mut data = super::read(m, input, count.saturating_mul(size as u32));
    data.chunks_exact_mut(size).for_each(convert);
    super::write(m, out, &data);
}

/// `XeCryptBnDw_Zero(Number, Digits)`.
pub fn xe_crypt_bn_dw_zero(kernel: &mut Kernel, number: Option<VirtAddr>, digits: u32) {
    super::write(&kernel.memory, number, &vec![0; digits as usize * 4]);
}

/// `XeCryptBnDw_Copy(In, Out, Digits)`.
pub fn xe_crypt_bn_dw_copy(kernel: &mut Kernel, input: Option<VirtAddr>, out: Option<VirtAddr>, digits: u32) {
    map_digits(&kernel.memory, input, out, digits, 4, |_| {});
}

/// `XeCryptBnDw_SwapLeBe(In, Out, Digits)`: each DWORD byte-reversed.
pub fn xe_crypt_bn_dw_swap_le_be(kernel: &mut Kernel, input: Option<VirtAddr>, out: Option<VirtAddr>, digits: u32) {
    map_digits(&kernel.memory, input, out, digits, 4, |d| d.reverse());
}

/// `XeCryptBnQw_Zero(Number, Digits)`.
pub fn xe_crypt_bn_qw_zero(kernel: &mut Kernel, number: Option<VirtAddr>, digits: u32) {
    super::write(&kernel.memory, number, &vec![0; digits as usize * 8]);
}

/// `XeCryptBnQw_Copy(In, Out, Digits)`.
pub fn xe_crypt_bn_qw_copy(kernel: &mut Kernel, input: Option<VirtAddr>, out: Option<VirtAddr>, digits: u32) {
    map_digits(&kernel.memory, input, out, digits, 8, |_| {});
}

/// `XeCryptBnQw_SwapLeBe(In, Out, Digits)`: `DwLe` ⇄ `DwBe`, each DWORD of
/// the QWORDs byte-reversed.
pub fn xe_crypt_bn_qw_swap_le_be(kernel: &mut Kernel, input: Option<VirtAddr>, out: Option<VirtAddr>, digits: u32) {
    map_digits(&kernel.memory, input, out, digits, 8, |d| {
        d[..4].reverse();
        d[4..].reverse();
    });
}

/// `XeCryptBnQw_SwapDwQw(In, Out, Digits)`: `DwBe` ⇄ `QwBe`, the two
/// DWORDs of each QWORD exchanged.
pub fn xe_crypt_bn_qw_swap_dw_qw(kernel: &mut Kernel, input: Option<VirtAddr>, out: Option<VirtAddr>, digits: u32) {
    map_digits(&kernel.memory, input, out, digits, 8, |d| d.rotate_left(4));
}

/// `XeCryptBnQw_SwapDwQwLeBe(In, Out, Digits)`: `QwLe` ⇄ `QwBe` (and
/// `DwLe` → `QwBe`), each QWORD byte-reversed.
pub fn xe_crypt_bn_qw_swap_dw_qw_le_be(
    kernel: &mut Kernel,
    input: Option<VirtAddr>,
    out: Option<VirtAddr>,
    digits: u32,
) {
    map_digits(&kernel.memory, input, out, digits, 8, |d| d.reverse());
}

/// `XeCryptBnQwNeCompare(A, B, Digits)`: −1, 0 or +1 as A is less than,
/// equal to or greater than B.
pub fn xe_crypt_bn_qw_ne_compare(kernel: &mut Kernel, a: Option<VirtAddr>, b: Option<VirtAddr>, digits: u32) -> i32 {
    let m = &kernel.memory;
    let digits = digits.min(0x1_0000);
    read_qw_ne(m, a, digits).cmp(&read_qw_ne(m, b, digits)) as i32
}

/// `XeCryptBnQwNeModExp(Out, Base, Exponent, Modulus, Digits)`:
/// `Out = Base ^ Exponent mod Modulus`, all `BnQwNe` of `Digits` QWORDs;
/// FALSE for a zero modulus or more than 64 digits (SDK `xecrypt.h`: FALSE
/// for invalid inputs such as a zero modulus).
pub fn xe_crypt_bn_qw_ne_mod_exp(
    kernel: &mut Kernel,
    out: Option<VirtAddr>,
    base: Option<VirtAddr>,
    exponent: Option<VirtAddr>,
    modulus: Option<VirtAddr>,
    digits: u32,
) -> bool {
    let m = &kernel.memory;
    if digits == 0 || digits > MAX_DIGITS {
        return false;
    }
    let modulus = read_qw_ne(m, modulus, digits);
    if modulus == BigUint::ZERO {
        return false;
    }
    let result = read_qw_ne(m, base, digits).modpow(&read_qw_ne(m, exponent, digits), &modulus);
    write_qw_ne(m, out, digits, &result);
    true
}

/// `XeCryptBnQwNeRsaPubCrypt(In, Out, Rsa)`: `Out = In ^ PublicExponent mod
/// Modulus` with the key's digit count; FALSE (nothing written) for a key
/// of no digits, more than 64, or a zero modulus.
pub fn xe_crypt_bn_qw_ne_rsa_pub_crypt(
    kernel: &mut Kernel,
    input: Option<VirtAddr>,
    out: Option<VirtAddr>,
    rsa: VirtAddr,
) -> bool {
    let m = &kernel.memory;
    let digits = m.read_u32(rsa).unwrap_or(0);
    let exponent = m.read_u32(rsa.add(4)).unwrap_or(0);
    if digits == 0 || digits > MAX_DIGITS {
        return false;
    }
    let modulus = read_qw_ne(m, Some(rsa.add(0x10)), digits);
    if modulus == BigUint::ZERO {
        return false;
    }
    let result = read_qw_ne(m, input, digits).modpow(&BigUint::from(exponent), &modulus);
    write_qw_ne(m, out, digits, &result);
    true
}

/// The DigestInfo of SHA-1 for the three formats, most significant byte
/// first, with the zero byte that ends the padding (SDK `xecrypt.h`).
const PKCS1_PREFIXES: [&[u8]; 3] = [
    &[0x00, 0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A, 0x05, 0x00, 0x04, 0x14],
    &[0x00, 0x30, 0x1F, 0x30, 0x07, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A, 0x04, 0x14],
    &[0x00],
];

/// The PKCS #1 v1.5 signature block of `hash` in `BnDwLe` order (the
/// big-endian block reversed), or `None` when `size` cannot hold it.
fn pkcs1_block(hash: &[u8; 20], kind: u32, size: u32) -> Option<Vec<u8>> {
    let prefix = PKCS1_PREFIXES[kind.min(2) as usize];
    let padding = (size as usize).checked_sub(2 + prefix.len() + hash.len())?;
    let mut block = vec![0x00, 0x01];
    block.resize(2 + padding, 0xFF);
    block.extend_from_slice(prefix);
    block.extend_from_slice(hash);
    block.reverse();
    Some(block)
}

/// `XeCryptBnDwLePkcs1Format(Hash, Type, Sig, SigSize)`: the signature
/// block of a SHA-1 digest in format 0, 1 or (above 1) 2: with the
/// DigestInfo, with its NULL parameters left out, or with none.
pub fn xe_crypt_bn_dw_le_pkcs1_format(
    kernel: &mut Kernel,
    hash: Option<VirtAddr>,
    kind: u32,
    sig: Option<VirtAddr>,
    size: u32,
) {
    let m = &kernel.memory;
    if let Some(block) = pkcs1_block(&super::read_array(m, hash), kind, size) {
        super::write(m, sig, &block);
    }
}

/// `XeCryptBnDwLePkcs1Verify(Hash, Sig, SigSize)`: TRUE when `Sig` is the
/// block of `Hash` in any of the three formats (SDK `xecrypt.h`).
pub fn xe_crypt_bn_dw_le_pkcs1_verify(
    kernel: &mut Kernel,
    hash: Option<VirtAddr>,
    sig: Option<VirtAddr>,
    size: u32,
) -> bool {
    let m = &kernel.memory;
    let hash = super::read_array(m, hash);
    let sig = super::read(m, sig, size.min(0x1000));
    (0..3).any(|kind| pkcs1_block(&hash, kind, size).is_some_and(|block| block == sig))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypt::testing::{bytes, hex, scratch};

    #[test]
    fn the_swaps_reorder_bytes_as_their_names_say() {
        let mut k = Kernel::for_tests();
        let (a, b) = (scratch(0), scratch(1));
        k.memory.write_bytes(a, &hex("0001020304050607")).unwrap();
        xe_crypt_bn_qw_swap_dw_qw_le_be(&mut k, Some(a), Some(b), 1);
        assert_eq!(bytes(&k.memory, b, 8), hex("0706050403020100"));
        xe_crypt_bn_qw_swap_le_be(&mut k, Some(a), Some(b), 1);
        assert_eq!(bytes(&k.memory, b, 8), hex("0302010007060504"));
        xe_crypt_bn_qw_swap_dw_qw(&mut k, Some(a), Some(b), 1);
        assert_eq!(bytes(&k.memory, b, 8), hex("0405060700010203"));
        xe_crypt_bn_dw_swap_le_be(&mut k, Some(a), Some(a), 2);
        assert_eq!(bytes(&k.memory, a, 8), hex("0302010007060504"));
        xe_crypt_bn_qw_zero(&mut k, Some(a), 1);
        assert_eq!(bytes(&k.memory, a, 8), [0; 8]);
    }

    /// A 128-bit toy key: n = p·q with p = 2^64 − 59, q = 2^64 − 83, e = 3.
    fn toy_key(k: &Kernel, rsa: VirtAddr) -> BigUint {
        let n = (BigUint::from(1u8) << 64u32) - 59u32;
        let n = n * ((BigUint::from(1u8) << 64u32) - 83u32);
        k.memory.write_u32(rsa, 2).unwrap();
        k.memory.write_u32(rsa.add(4), 3).unwrap();
        write_qw_ne(&k.memory, Some(rsa.add(0x10)), 2, &n);
        n
    }

    #[test]
    fn rsa_pub_crypt_cubes_the_input_modulo_the_key() {
        let mut k = Kernel::for_tests();
        let (rsa, input, out) = (scratch(0), scratch(1), scratch(2));
        let n = toy_key(&k, rsa);
        // Least significant QWORD first, each big-endian.
        k.memory.write_bytes(input, &hex("0000000000001234 0000000000000001")).unwrap();
        assert!(xe_crypt_bn_qw_ne_rsa_pub_crypt(&mut k, Some(input), Some(out), rsa));
        let x = (BigUint::from(1u8) << 64u32) + 0x1234u32;
        assert_eq!(read_qw_ne(&k.memory, Some(out), 2), x.modpow(&BigUint::from(3u8), &n));
    }

    #[test]
    fn rsa_pub_crypt_refuses_a_key_without_digits() {
        let mut k = Kernel::for_tests();
        let (rsa, out) = (scratch(0), scratch(2));
        toy_key(&k, rsa);
        k.memory.write_u32(rsa, 0).unwrap();
        k.memory.write_bytes(out, &[0xAA; 16]).unwrap();
        assert!(!xe_crypt_bn_qw_ne_rsa_pub_crypt(&mut k, Some(scratch(1)), Some(out), rsa));
        assert_eq!(bytes(&k.memory, out, 16), [0xAA; 16]);
    }

    #[test]
    fn mod_exp_and_compare_work_on_qw_ne_digits() {
        let mut k = Kernel::for_tests();
        let (a, b, c, mo, out) = (scratch(0), scratch(1), scratch(2), scratch(3), scratch(4));
        write_qw_ne(&k.memory, Some(a), 2, &BigUint::from(7u8));
        write_qw_ne(&k.memory, Some(b), 2, &BigUint::from(5u8));
        write_qw_ne(&k.memory, Some(mo), 2, &BigUint::from(1000u32));
        assert!(xe_crypt_bn_qw_ne_mod_exp(&mut k, Some(out), Some(a), Some(b), Some(mo), 2));
        assert_eq!(read_qw_ne(&k.memory, Some(out), 2), BigUint::from(807u32)); // 7^5 = 16807
        assert_eq!(xe_crypt_bn_qw_ne_compare(&mut k, Some(a), Some(b), 2), 1);
        assert_eq!(xe_crypt_bn_qw_ne_compare(&mut k, Some(b), Some(a), 2), -1);
        write_qw_ne(&k.memory, Some(c), 2, &BigUint::ZERO);
        assert!(!xe_crypt_bn_qw_ne_mod_exp(&mut k, Some(out), Some(a), Some(b), Some(c), 2));
    }

    #[test]
    fn pkcs1_format_0_is_the_reversed_digest_info_block_and_verifies() {
        let mut k = Kernel::for_tests();
        let (hash, sig) = (scratch(0), scratch(1));
        let digest: Vec<u8> = (1..=20).collect();
        k.memory.write_bytes(hash, &digest).unwrap();
        xe_crypt_bn_dw_le_pkcs1_format(&mut k, Some(hash), 0, Some(sig), 128);
        let block = bytes(&k.memory, sig, 128);
        let reversed_digest: Vec<u8> = (1..=20).rev().collect();
        assert_eq!(block[..20], reversed_digest[..]);
        assert_eq!(block[20..36], hex("140400051a02030e2b05060930213000")[..]);
        assert!(block[36..126].iter().all(|&b| b == 0xFF));
        assert_eq!(block[126..], [0x01, 0x00]);
        assert!(xe_crypt_bn_dw_le_pkcs1_verify(&mut k, Some(hash), Some(sig), 128));
    }

    #[test]
    fn pkcs1_verify_accepts_every_format_and_rejects_another_hash() {
        let mut k = Kernel::for_tests();
        let (hash, sig) = (scratch(0), scratch(1));
        k.memory.write_bytes(hash, &[0x5A; 20]).unwrap();
        for kind in [1, 2, 7] {
            xe_crypt_bn_dw_le_pkcs1_format(&mut k, Some(hash), kind, Some(sig), 64);
            assert!(xe_crypt_bn_dw_le_pkcs1_verify(&mut k, Some(hash), Some(sig), 64), "format {kind}");
        }
        k.memory.write_bytes(hash, &[0x5B]).unwrap();
        assert!(!xe_crypt_bn_dw_le_pkcs1_verify(&mut k, Some(hash), Some(sig), 64));
    }
}
