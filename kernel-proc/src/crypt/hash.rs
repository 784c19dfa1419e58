//! A Merkle–Damgård hash (64-byte blocks) whose state is a guest structure:
//! the byte count (DWORD) at 0x0, the chaining words (DWORDs, big-endian
//! like every console word) at 0x4, then the 64-byte block buffer. That is
//! `XECRYPT_SHA_STATE` (0x58), `XECRYPT_SHA256_STATE` (0x64) and
//! `XECRYPT_MD5_STATE` (0x54) (SDK `xecrypt.h`; xenia `xboxkrnl_crypt.cc`
//! for SHA-256, whose size it marks unconfirmed).
//!
//! After `Final` the chaining words hold the digest: the SDK documents that
//! a caller may pass an output size of zero and read the digest from the
//! state.

use shared::memory::{GuestMemory, VirtAddr};
use std::marker::PhantomData;

/// One hash function: its initial words and block function.
pub trait Algorithm {
    /// The initial chaining words (their number is the state's size).
    const INITIAL: &'static [u32];
    /// Digest size in bytes.
    const DIGEST: usize;
    /// Whether words and the bit count are big-endian in the digest and the
    /// padding (SHA) or little-endian (MD5).
    const BIG_ENDIAN: bool;
    /// Runs the block function over one block.
    fn compress(state: &mut [u32], block: &[u8; 64]);
}

/// The layout of an algorithm's state structure.
pub struct Layout<A>(PhantomData<A>);

impl<A: Algorithm> Layout<A> {
    pub const COUNT: u32 = 0x0;
    pub const WORDS: u32 = 0x4;
    pub const BUFFER: u32 = 0x4 + 4 * A::INITIAL.len() as u32;
    /// Size of the guest structure.
    pub const SIZE: u32 = Self::BUFFER + 64;
}

/// A hash computation loaded from (and stored back to) guest memory.
pub struct HashState<A> {
    count: u32,
    words: Vec<u32>,
    buffer: [u8; 64],
    algorithm: PhantomData<A>,
}

impl<A: Algorithm> HashState<A> {
    /// The state `Init` leaves.
    pub fn new() -> Self {
        HashState { count: 0, words: A::INITIAL.to_vec(), buffer: [0; 64], algorithm: PhantomData }
    }

    pub fn load(m: &GuestMemory, at: VirtAddr) -> Self {
        let mut state = Self::new();
        state.count = m.read_u32(at.add(Layout::<A>::COUNT)).unwrap_or(0);
        for (i, word) in state.words.iter_mut().enumerate() {
            *word = m.read_u32(at.add(Layout::<A>::WORDS + 4 * i as u32)).unwrap_or(0);
        }
        let _ = m.read_bytes(at.add(Layout::<A>::BUFFER), &mut state.buffer);
        state
    }

    pub fn store(&self, m: &GuestMemory, at: VirtAddr) {
        let _ = m.write_u32(at.add(Layout::<A>::COUNT), self.count);
        for (i, &word) in self.words.iter().enumerate() {
            let _ = m.write_u32(at.add(Layout::<A>::WORDS + 4 * i as u32), word);
        }
        let _ = m.write_bytes(at.add(Layout::<A>::BUFFER), &self.buffer);
    }

    pub fn update(&mut self, mut data: &[u8]) {
        let used = (self.count % 64) as usize;
        // The console counts bytes in a DWORD.
        self.count = self.count.wrapping_add(data.len() as u32);
        if used > 0 {
            let take = (64 - used).min(data.len());
            self.buffer[used..used + take].copy_from_slice(&data[..take]);
            data = &data[take..];
            if used + take < 64 {
                return;
            }
            let block = self.buffer;
            A::compress(&mut self.words, &block);
        }
        let mut blocks = data.chunks_exact(64);
        for block in &mut blocks {
            A::compress(&mut self.words, block.try_into().expect("64-byte chunk"));
        }
        let rest = blocks.remainder();
        self.buffer[..rest.len()].copy_from_slice(rest);
    }

    /// Pads, runs the last blocks and returns the digest; the state's words
    /// are then the digest's.
    pub fn finish(&mut self) -> Vec<u8> {
        let bits = (self.count as u64).wrapping_mul(8);
        let mut padding = vec![0x80u8];
        padding.resize((55u32.wrapping_sub(self.count) % 64 + 1) as usize, 0);
        self.update(&padding);
        self.update(&if A::BIG_ENDIAN { bits.to_be_bytes() } else { bits.to_le_bytes() });
        self.words
            .iter()
            .flat_map(|w| if A::BIG_ENDIAN { w.to_be_bytes() } else { w.to_le_bytes() })
            .take(A::DIGEST)
            .collect()
    }
}

impl<A: Algorithm> Default for HashState<A> {
    fn default() -> Self {
        Self::new()
    }
}

/// `Init(State)`.
pub fn init<A: Algorithm>(m: &GuestMemory, state: VirtAddr) {
    HashState::<A>::new().store(m, state);
}

/// `Update(State, Input, InputSize)`.
pub fn update<A: Algorithm>(m: &GuestMemory, state: VirtAddr, input: Option<VirtAddr>, size: u32) {
    let mut hash = HashState::<A>::load(m, state);
    hash.update(&super::read(m, input, size));
    hash.store(m, state);
}

/// `Final(State, Out, OutSize)`: up to the digest's size of it to `out`.
pub fn finish<A: Algorithm>(m: &GuestMemory, state: VirtAddr, out: Option<VirtAddr>, out_size: u32) {
    let mut hash = HashState::<A>::load(m, state);
    let digest = hash.finish();
    hash.store(m, state);
    super::write(m, out, &digest[..(out_size as usize).min(A::DIGEST)]);
}

/// The one-shot form: the digest of three inputs in a row.
pub fn one_shot<A: Algorithm>(
    m: &GuestMemory,
    inputs: [(Option<VirtAddr>, u32); 3],
    out: Option<VirtAddr>,
    out_size: u32,
) {
    let mut hash = HashState::<A>::new();
    hash.update(&super::read_three(m, inputs));
    super::write(m, out, &hash.finish()[..(out_size as usize).min(A::DIGEST)]);
}
