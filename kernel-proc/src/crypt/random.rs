//! `XeCryptRandom`: cryptographically strong random bytes (SDK
//! `xecrypt.h`). The generator is `rand`'s ChaCha-based `StdRng`, seeded
//! from the host's random source; under `--deterministic` from a fixed
//! seed, so two runs of a title draw the same bytes in the same order.

use crate::kernel::Kernel;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use shared::memory::VirtAddr;

/// The seed of a deterministic session's generator.
const DETERMINISTIC_SEED: u64 = 0x5865_4372_7970_7452;

/// The kernel's random generator.
pub struct Random(StdRng);

impl Random {
    /// Seeded from the host, or from a fixed seed when `deterministic`.
    pub fn new(deterministic: bool) -> Random {
        Random(if deterministic { StdRng::seed_from_u64(DETERMINISTIC_SEED) } else { rand::make_rng() })
    }

    pub fn fill(&mut self, out: &mut [u8]) {
        self.0.fill_bytes(out);
    }
}

impl std::fmt::Debug for Random {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Random")
    }
}

/// `XeCryptRandom(Buffer, Size)`.
pub fn xe_crypt_random(kernel: &mut Kernel, buffer: Option<VirtAddr>, size: u32) {
    let mut bytes = vec![0u8; size as usize];
    kernel.random.fill(&mut bytes);
    super::write(&kernel.memory, buffer, &bytes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypt::testing::{bytes, scratch};

    fn draw(k: &mut Kernel) -> Vec<u8> {
        xe_crypt_random(k, Some(scratch(0)), 32);
        bytes(&k.memory, scratch(0), 32)
    }

    #[test]
    fn deterministic_sessions_draw_the_same_bytes_in_the_same_order() {
        let (mut a, mut b) = (Kernel::for_tests(), Kernel::for_tests());
        a.random = Random::new(true);
        b.random = Random::new(true);
        let (first, second) = (draw(&mut a), draw(&mut a));
        assert_eq!(first, draw(&mut b));
        assert_eq!(second, draw(&mut b));
        assert_ne!(first, second);
    }

    #[test]
    fn free_running_sessions_draw_different_bytes() {
        let (mut a, mut b) = (Kernel::for_tests(), Kernel::for_tests());
        let first = draw(&mut a);
        assert_ne!(first, draw(&mut b));
        assert_ne!(first, vec![0u8; 32]);
    }
}
