//! `XeCrypt*` and the `XeKeys*` exports built on them: the console's
//! crypto library, with every state structure kept in guest memory in the
//! console's layout, so a title may copy, inspect or resume it.
//!
//! Layouts, signatures and semantics come from the SDK's `xecrypt.h`
//! documentation and xenia `xboxkrnl_crypt.cc`; the primitives are
//! RustCrypto's where a crate exposes the piece the guest state needs.
//!
//! - [`hash`]: a Merkle–Damgård hash whose state lives in guest memory
//!   (count, chaining words, block buffer), shared by SHA-1, SHA-256, MD5.
//! - [`sha`], [`sha256`], [`md5`]: the hash exports.
//! - [`hmac`]: HMAC-SHA-1 and HMAC-MD5, incremental and one-shot.
//! - [`aes`]: AES-128 key schedule, ECB and CBC.
//! - [`des`]: DES and triple DES, key parity.
//! - [`rc4`]: the RC4 stream cipher.
//! - [`bignum`]: digit-order conversions, RSA public operation, PKCS #1
//!   signature blocks.
//! - [`random`]: `XeCryptRandom` and its generator.
//! - [`keys`]: `XeKeys*` exports that use the console's own keys.

pub mod aes;
pub mod bignum;
pub mod des;
pub mod hash;
pub mod hmac;
pub mod keys;
pub mod md5;
pub mod random;
pub mod rc4;
pub mod sha;
pub mod sha256;

use shared::memory::{GuestMemory, VirtAddr};

/// `len` bytes of guest memory at `at` (zeros where it cannot be read, or
/// for a null pointer).
pub(crate) fn read(m: &GuestMemory, at: Option<VirtAddr>, len: u32) -> Vec<u8> {
    let mut data = vec![0u8; len as usize];
    if let Some(at) = at {
        let _ = m.read_bytes(at, &mut data);
    }
    data
}

/// A fixed-size block of guest memory (zeros where it cannot be read).
pub(crate) fn read_array<const N: usize>(m: &GuestMemory, at: Option<VirtAddr>) -> [u8; N] {
    let mut data = [0u8; N];
    if let Some(at) = at {
        let _ = m.read_bytes(at, &mut data);
    }
    data
}

/// Writes `data` at `at` (nothing for a null pointer).
pub(crate) fn write(m: &GuestMemory, at: Option<VirtAddr>, data: &[u8]) {
    if let Some(at) = at {
        let _ = m.write_bytes(at, data);
    }
}

/// The three optional inputs the one-shot hash and MAC exports take, read
/// in order (a null input or a zero size adds nothing).
pub(crate) fn read_three(m: &GuestMemory, inputs: [(Option<VirtAddr>, u32); 3]) -> Vec<u8> {
    inputs.into_iter().flat_map(|(at, len)| if at.is_some() { read(m, at, len) } else { Vec::new() }).collect()
}

#[cfg(test)]
pub(crate) mod testing {
    use shared::memory::{GuestMemory, VirtAddr};

    /// Bytes from a hex string (spaces allowed), for known-answer vectors.
    pub fn hex(text: &str) -> Vec<u8> {
        let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        digits.chunks(2).map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap()).collect()
    }

    /// `len` bytes of guest memory.
    pub fn bytes(m: &GuestMemory, at: VirtAddr, len: usize) -> Vec<u8> {
        let mut out = vec![0u8; len];
        m.read_bytes(at, &mut out).unwrap();
        out
    }

    /// Scratch addresses in the test kernel's memory, 4 KiB apart.
    pub fn scratch(n: u32) -> VirtAddr {
        VirtAddr(0x4000_0000 + n * 0x1000)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{bytes, hex, scratch};
    use crate::dispatch::{Call, Outcome};
    use crate::exports::find_by_name;
    use crate::kernel::Kernel;
    use shared::ipc::kernel::CallArgs;

    #[test]
    fn the_table_row_of_hmac_sha_takes_its_last_two_arguments_from_the_stack() {
        let mut k = Kernel::for_tests();
        let (key, data, out, sp) = (scratch(0), scratch(1), scratch(2), scratch(3));
        k.memory.write_bytes(key, b"Jefe").unwrap();
        k.memory.write_bytes(data, b"what do ya want for nothing?").unwrap();
        k.memory.write_u64(sp.add(0x54), out.0 as u64).unwrap();
        k.memory.write_u64(sp.add(0x5C), 20).unwrap();
        let gpr = [key.0 as u64, 4, data.0 as u64, 28, 0, 0, 0, 0];
        let call = Call { thread: 1, export: 0, args: CallArgs { gpr, fpr: [0; 4], sp: sp.0, lr: 0 } };
        let handler = find_by_name("XeCryptHmacSha").and_then(|e| e.handler).expect("a handler");
        assert_eq!(handler(&mut k, &call), Outcome::value(0));
        assert_eq!(bytes(&k.memory, out, 20), hex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
    }
}
