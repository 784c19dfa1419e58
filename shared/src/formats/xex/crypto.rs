//! XEX2 image encryption: AES-128, session key from the file key.
//!
//! The console derives the session key by decrypting the 16-byte file key
//! stored in the security info (`aes_key` at offset 0x150) with AES-128-ECB
//! under a master key, then decrypts the data region with AES-128-CBC and an
//! all-zero IV. The two public master keys (retail and devkit) are the values
//! listed in xenia `xex_module.cc`.

use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use aes::Aes128;

/// Which master key a file's session key was derived with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// The retail console key.
    Retail,
    /// The development kit key (all zeros).
    Devkit,
}

impl KeyKind {
    /// Both kinds, in the order a loader tries them.
    pub const ALL: [KeyKind; 2] = [KeyKind::Retail, KeyKind::Devkit];

    /// The master key (public; see the module docs).
    pub const fn master_key(self) -> [u8; 16] {
        match self {
            KeyKind::Retail => {
                [0x20, 0xB1, 0x85, 0xA5, 0x9D, 0x28, 0xFD, 0xC3, 0x40, 0x58, 0x3F, 0xBB, 0x08, 0x96, 0xBF, 0x91]
            }
            KeyKind::Devkit => [0; 16],
        }
    }
}

/// The session key for a file key under `kind`'s master key.
pub fn session_key(kind: KeyKind, file_key: &[u8; 16]) -> [u8; 16] {
    let cipher = Aes128::new(&kind.master_key().into());
    let mut block = (*file_key).into();
    cipher.decrypt_block(&mut block);
    block.into()
}

/// The file key to store so that [`session_key`] yields `session`.
pub fn file_key_for(kind: KeyKind, session: &[u8; 16]) -> [u8; 16] {
    let cipher = Aes128::new(&kind.master_key().into());
    let mut block = (*session).into();
    cipher.encrypt_block(&mut block);
    block.into()
}

/// AES-128-CBC decryption that can be fed in pieces (the basic-compression
/// blocks continue one CBC chain across their data parts).
pub struct CbcDecryptor {
    cipher: Aes128,
    iv: [u8; 16],
}

impl CbcDecryptor {
    /// A decryptor with an all-zero IV.
    pub fn new(key: &[u8; 16]) -> Self {
        CbcDecryptor { cipher: Aes128::new(key.into()), iv: [0; 16] }
    }

    /// Decrypts `data` in place; its length must be a multiple of 16 (the
    /// caller checks; a trailing partial block is left as it is).
    pub fn decrypt(&mut self, data: &mut [u8]) {
        for chunk in data.chunks_exact_mut(16) {
            let mut cipher_text = [0u8; 16];
            cipher_text.copy_from_slice(chunk);
            let mut block = cipher_text.into();
            self.cipher.decrypt_block(&mut block);
            for (out, (plain, prev)) in chunk.iter_mut().zip(block.iter().zip(self.iv.iter())) {
                *out = plain ^ prev;
            }
            self.iv = cipher_text;
        }
    }
}

/// AES-128-CBC encryption with an all-zero IV, the inverse of [`CbcDecryptor`].
pub struct CbcEncryptor {
    cipher: Aes128,
    iv: [u8; 16],
}

impl CbcEncryptor {
    /// An encryptor with an all-zero IV.
    pub fn new(key: &[u8; 16]) -> Self {
        CbcEncryptor { cipher: Aes128::new(key.into()), iv: [0; 16] }
    }

    /// Encrypts `data` in place; its length must be a multiple of 16.
    pub fn encrypt(&mut self, data: &mut [u8]) {
        for chunk in data.chunks_exact_mut(16) {
            for (byte, prev) in chunk.iter_mut().zip(self.iv.iter()) {
                *byte ^= prev;
            }
            let mut block = aes::Block::clone_from_slice(chunk);
            self.cipher.encrypt_block(&mut block);
            chunk.copy_from_slice(&block);
            self.iv.copy_from_slice(&block);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_key_round_trips_to_session_key() {
        let session = *b"0123456789abcdef";
        for kind in KeyKind::ALL {
            assert_eq!(session_key(kind, &file_key_for(kind, &session)), session);
        }
    }

    #[test]
    fn cbc_in_pieces_equals_cbc_at_once() {
        let key = [7u8; 16];
        let plain: Vec<u8> = (0..96u8).collect();
        let mut whole = plain.clone();
        CbcEncryptor::new(&key).encrypt(&mut whole);
        assert_ne!(whole, plain);
        let mut dec = CbcDecryptor::new(&key);
        let (a, b) = whole.split_at_mut(32);
        dec.decrypt(a);
        dec.decrypt(b);
        assert_eq!(whole, plain);
    }
}
