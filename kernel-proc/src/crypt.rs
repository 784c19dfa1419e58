//! `XeCryptSha*`: SHA-1 with its state in guest memory, as the console
//! keeps it (`XECRYPT_SHA_STATE`: byte count 0x0, five state words 0x4,
//! the 64-byte block buffer 0x18; 0x58 bytes; layout from xenia
//! `xboxkrnl_crypt.cc`). The compression function is the `sha1` crate's.

use crate::kernel::Kernel;
use shared::memory::{GuestMemory, VirtAddr};

const COUNT: u32 = 0x0;
const STATE: u32 = 0x4;
const BUFFER: u32 = 0x18;
const INITIAL: [u32; 5] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];

/// One 64-byte block as the compression function takes it.
fn block(bytes: &[u8]) -> sha1::digest::generic_array::GenericArray<u8, sha1::digest::consts::U64> {
    sha1::digest::generic_array::GenericArray::clone_from_slice(bytes)
}

/// A SHA-1 computation held in host memory between guest calls.
struct Sha {
    count: u64,
    state: [u32; 5],
    buffer: [u8; 64],
}

impl Sha {
    fn new() -> Sha {
        Sha { count: 0, state: INITIAL, buffer: [0; 64] }
    }

    fn load(m: &GuestMemory, at: VirtAddr) -> Sha {
        let mut sha = Sha::new();
        sha.count = m.read_u32(at.add(COUNT)).unwrap_or(0) as u64;
        for (i, word) in sha.state.iter_mut().enumerate() {
            *word = m.read_u32(at.add(STATE + 4 * i as u32)).unwrap_or(0);
        }
        let _ = m.read_bytes(at.add(BUFFER), &mut sha.buffer);
        sha
    }

    fn store(&self, m: &GuestMemory, at: VirtAddr) {
        let _ = m.write_u32(at.add(COUNT), self.count as u32);
        for (i, &word) in self.state.iter().enumerate() {
            let _ = m.write_u32(at.add(STATE + 4 * i as u32), word);
        }
        let _ = m.write_bytes(at.add(BUFFER), &self.buffer);
    }

    fn update(&mut self, mut data: &[u8]) {
        let used = (self.count % 64) as usize;
        self.count += data.len() as u64;
        if used > 0 {
            let take = (64 - used).min(data.len());
            self.buffer[used..used + take].copy_from_slice(&data[..take]);
            data = &data[take..];
            if used + take < 64 {
                return;
            }
            sha1::compress(&mut self.state, &[block(&self.buffer)]);
        }
        let blocks = data.len() / 64;
        for chunk in data[..blocks * 64].chunks_exact(64) {
            sha1::compress(&mut self.state, &[block(chunk)]);
        }
        let rest = &data[blocks * 64..];
        self.buffer[..rest.len()].copy_from_slice(rest);
    }

    fn finish(mut self) -> [u8; 20] {
        let bits = self.count.wrapping_mul(8);
        let mut padding = vec![0x80u8];
        padding.resize(((55 - self.count as i64).rem_euclid(64) + 1) as usize, 0);
        self.update(&padding);
        self.update(&bits.to_be_bytes());
        let mut out = [0u8; 20];
        for (i, word) in self.state.iter().enumerate() {
            out[4 * i..4 * i + 4].copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

fn read(m: &GuestMemory, at: Option<VirtAddr>, len: u32) -> Vec<u8> {
    let mut data = vec![0u8; len as usize];
    if let Some(at) = at {
        let _ = m.read_bytes(at, &mut data);
    }
    data
}

/// `XeCryptShaInit(State)`.
pub fn xe_crypt_sha_init(kernel: &mut Kernel, state: VirtAddr) {
    Sha::new().store(&kernel.memory, state);
}

/// `XeCryptShaUpdate(State, Input, InputSize)`.
pub fn xe_crypt_sha_update(kernel: &mut Kernel, state: VirtAddr, input: Option<VirtAddr>, size: u32) {
    let m = &kernel.memory;
    let mut sha = Sha::load(m, state);
    sha.update(&read(m, input, size));
    sha.store(m, state);
}

/// `XeCryptShaFinal(State, Out, OutSize)`: up to 20 bytes of the digest.
pub fn xe_crypt_sha_final(kernel: &mut Kernel, state: VirtAddr, out: Option<VirtAddr>, out_size: u32) {
    let m = &kernel.memory;
    let digest = Sha::load(m, state).finish();
    if let Some(out) = out {
        let _ = m.write_bytes(out, &digest[..(out_size as usize).min(20)]);
    }
    Sha::new().store(m, state);
}

/// `XeCryptSha(In1, Size1, In2, Size2, In3, Size3, Out, OutSize)`: the
/// digest of the three inputs in a row.
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
    let m = &kernel.memory;
    let mut sha = Sha::new();
    for (input, size) in [(in1, size1), (in2, size2), (in3, size3)] {
        sha.update(&read(m, input, size));
    }
    if let Some(out) = out {
        let _ = m.write_bytes(out, &sha.finish()[..(out_size as usize).min(20)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha1::{Digest, Sha1};

    #[test]
    fn incremental_updates_across_block_edges_give_the_sha1_digest() {
        let mut k = Kernel::for_tests();
        let (state, input, out) = (VirtAddr(0x4000_0000), VirtAddr(0x4000_1000), VirtAddr(0x4000_2000));
        let data: Vec<u8> = (0..200u32).map(|i| (i * 7) as u8).collect();
        k.memory.write_bytes(input, &data).unwrap();
        xe_crypt_sha_init(&mut k, state);
        for (start, len) in [(0u32, 10u32), (10, 60), (70, 64), (134, 66)] {
            xe_crypt_sha_update(&mut k, state, Some(input.add(start)), len);
        }
        xe_crypt_sha_final(&mut k, state, Some(out), 20);
        let mut got = [0u8; 20];
        k.memory.read_bytes(out, &mut got).unwrap();
        assert_eq!(got.to_vec(), Sha1::digest(&data).to_vec());
    }

    #[test]
    fn the_one_shot_form_hashes_its_three_inputs_in_order() {
        let mut k = Kernel::for_tests();
        let (a, b, out) = (VirtAddr(0x4000_0000), VirtAddr(0x4000_1000), VirtAddr(0x4000_2000));
        k.memory.write_bytes(a, b"abc").unwrap();
        k.memory.write_bytes(b, b"defgh").unwrap();
        xe_crypt_sha(&mut k, Some(a), 3, Some(b), 5, None, 0, Some(out), 16);
        let mut got = [0u8; 16];
        k.memory.read_bytes(out, &mut got).unwrap();
        assert_eq!(got.to_vec(), Sha1::digest(b"abcdefgh")[..16].to_vec());
    }
}
