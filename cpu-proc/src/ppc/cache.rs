//! The decoded-code cache and its invalidation.
//!
//! Each guest thread keeps its own cache of decoded 4 KiB pages (1024
//! pre-decoded [`Ins`] each, opcode detection done once). Pages are shared
//! state between threads through a [`CodeMap`]: one generation word per guest
//! page, odd while some thread holds the page decoded. A store into such a
//! page (any guest thread of the process), `icbi`, or an explicit
//! [`CodeMap::invalidate_range`] (the loader, a kernel write seen through the
//! dirty-page bitmap) bumps the page's generation; every thread drops its
//! stale copy the next time it checks (page switch, `isync`, `sc`, the end
//! of a run slice), which is when the architecture requires new code to be
//! visible.

use super::decode::{self, Ins};
use super::fault::FaultKind;
use shared::memory::{GuestMemory, VirtAddr};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

pub const PAGE_SIZE: u32 = 0x1000;
const PAGES: usize = 1 << 20;
const SLOTS: usize = (PAGE_SIZE / 4) as usize;

/// Process-wide code-page generations, shared by every guest thread.
pub struct CodeMap {
    generations: Box<[AtomicU32]>,
    /// Bumped whenever any page is invalidated, so threads can skip the
    /// per-page check when nothing changed.
    epoch: AtomicU64,
}

impl Default for CodeMap {
    fn default() -> Self {
        CodeMap { generations: (0..PAGES).map(|_| AtomicU32::new(0)).collect(), epoch: AtomicU64::new(0) }
    }
}

impl CodeMap {
    pub fn new() -> CodeMap {
        CodeMap::default()
    }

    /// Called on every guest store: invalidates the page if it holds code.
    #[inline(always)]
    pub fn note_store(&self, addr: u32) -> bool {
        let slot = &self.generations[(addr >> 12) as usize];
        if slot.load(Ordering::Relaxed) & 1 == 0 {
            return false;
        }
        self.invalidate_page(addr);
        true
    }

    /// Drops every decoded copy of the page holding `addr`.
    pub fn invalidate_page(&self, addr: u32) {
        let slot = &self.generations[(addr >> 12) as usize];
        let mut current = slot.load(Ordering::Acquire);
        while current & 1 == 1 {
            match slot.compare_exchange_weak(current, current.wrapping_add(1), Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => {
                    self.epoch.fetch_add(1, Ordering::Release);
                    return;
                }
                Err(seen) => current = seen,
            }
        }
    }

    /// Drops every decoded page that overlaps `[addr, addr + len)`.
    pub fn invalidate_range(&self, addr: u32, len: u32) {
        if len == 0 {
            return;
        }
        let first = addr >> 12;
        let last = ((addr as u64 + len as u64 - 1) >> 12).min(PAGES as u64 - 1) as u32;
        for page in first..=last {
            self.invalidate_page(page << 12);
        }
    }

    /// Invalidates each page that the dirty-page bitmap reports as written
    /// since the last look, taking (clearing) the bit. Only call this where
    /// cpu-proc is the bitmap's consumer for those pages.
    pub fn sync_dirty(&self, memory: &GuestMemory, pages: impl IntoIterator<Item = u32>) {
        let control = memory.control();
        for page in pages {
            if control.take_dirty(page << 12) {
                self.invalidate_page(page << 12);
            }
        }
    }

    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Marks the page as decoded and returns the generation to remember.
    fn claim(&self, page: u32) -> u32 {
        self.generations[page as usize].fetch_or(1, Ordering::AcqRel) | 1
    }

    fn generation(&self, page: u32) -> u32 {
        self.generations[page as usize].load(Ordering::Acquire)
    }
}

/// One decoded page.
pub struct DecodedPage {
    pub ops: [Ins; SLOTS],
    generation: u32,
}

#[derive(Default)]
struct PageHasher(u64);

impl Hasher for PageHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | *b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A thread's decoded pages, keyed by page number.
#[derive(Default)]
pub struct PageCache {
    pages: HashMap<u32, Box<DecodedPage>, BuildHasherDefault<PageHasher>>,
    epoch: u64,
}

impl PageCache {
    /// Drops pages whose generation moved on since they were decoded.
    pub fn revalidate(&mut self, map: &CodeMap) {
        let epoch = map.epoch();
        if epoch != self.epoch {
            self.epoch = epoch;
            self.pages.retain(|page, decoded| map.generation(*page) == decoded.generation);
        }
    }

    /// The decoded page holding `pc`, decoding it on first use.
    #[inline]
    pub fn page(&mut self, memory: &GuestMemory, map: &CodeMap, pc: u32) -> Result<&DecodedPage, FaultKind> {
        let page = pc >> 12;
        match self.pages.entry(page) {
            std::collections::hash_map::Entry::Occupied(slot) => Ok(slot.into_mut()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let decoded = decode_page(memory, map, page).ok_or(FaultKind::Fetch { addr: pc })?;
                Ok(slot.insert(decoded))
            }
        }
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

fn decode_page(memory: &GuestMemory, map: &CodeMap, page: u32) -> Option<Box<DecodedPage>> {
    let base = page << 12;
    // Claim before reading so a store racing with the decode bumps the
    // generation and the copy is dropped at the next check.
    let generation = map.claim(page);
    let mut bytes = [0u8; PAGE_SIZE as usize];
    memory.read_bytes(VirtAddr(base), &mut bytes).ok()?;
    let mut ops = [Ins::default(); SLOTS];
    for (slot, word) in ops.iter_mut().zip(bytes.chunks_exact(4)) {
        *slot = decode::decode(u32::from_be_bytes([word[0], word[1], word[2], word[3]]));
    }
    Some(Box::new(DecodedPage { ops, generation }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustix::fd::AsFd;

    #[test]
    fn a_store_into_a_decoded_page_drops_it_at_the_next_check() {
        let fd = GuestMemory::create_file().unwrap();
        let memory = GuestMemory::map(fd.as_fd()).unwrap();
        let map = CodeMap::new();
        let mut cache = PageCache::default();
        memory.write_u32(VirtAddr(0x8200_0000), 0x3860_0001).unwrap();
        assert_eq!(cache.page(&memory, &map, 0x8200_0000).unwrap().ops[0].op, decode::Opcode::Addi);
        assert!(map.note_store(0x8200_0010));
        assert!(!map.note_store(0x8200_0010), "second store finds the page already invalid");
        cache.revalidate(&map);
        assert!(cache.is_empty());
    }

    #[test]
    fn another_threads_redecode_does_not_revive_a_stale_copy() {
        let fd = GuestMemory::create_file().unwrap();
        let memory = GuestMemory::map(fd.as_fd()).unwrap();
        let map = CodeMap::new();
        let (mut a, mut c) = (PageCache::default(), PageCache::default());
        a.page(&memory, &map, 0x8200_0000).unwrap();
        map.note_store(0x8200_0000);
        c.page(&memory, &map, 0x8200_0000).unwrap();
        a.revalidate(&map);
        assert!(a.is_empty());
    }

    #[test]
    fn fetching_from_mmio_is_a_fetch_fault() {
        let fd = GuestMemory::create_file().unwrap();
        let memory = GuestMemory::map(fd.as_fd()).unwrap();
        let err = PageCache::default().page(&memory, &CodeMap::new(), 0x7FC8_0000).err();
        assert_eq!(err, Some(FaultKind::Fetch { addr: 0x7FC8_0000 }));
    }
}
