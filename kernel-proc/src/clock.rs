//! Guest time: the system time in 100 ns units since 1601 (as NT keeps
//! it), and the performance counter. From the host clock normally; from the
//! retired-instruction count under `--deterministic` (fed by cpu-proc).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// 100 ns intervals between 1601-01-01 and 1970-01-01.
pub const EPOCH_1601_TO_1970: u64 = 116_444_736_000_000_000;
/// Frequency of `KeQueryPerformanceCounter` (xenia reports 50 MHz).
pub const PERFORMANCE_FREQUENCY: u64 = 50_000_000;

/// The kernel's clock.
#[derive(Debug)]
pub struct GuestClock {
    deterministic: bool,
    /// Host instant the session's guest time started.
    started: Instant,
    /// System time (100 ns since 1601) at `started`.
    system_at_start: u64,
    /// Guest time elapsed in deterministic mode.
    deterministic_elapsed: Duration,
    /// While the kernel handles one operation, the time it started: every
    /// reading inside one call agrees.
    frozen: Option<Duration>,
}

impl GuestClock {
    pub fn new(deterministic: bool) -> GuestClock {
        let system_at_start = if deterministic {
            // A fixed date so two deterministic runs agree: 2010-01-01T00:00:00Z.
            EPOCH_1601_TO_1970 + 1_262_304_000 * 10_000_000
        } else {
            let unix = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
            EPOCH_1601_TO_1970 + (unix.as_nanos() / 100) as u64
        };
        GuestClock {
            deterministic,
            started: Instant::now(),
            system_at_start,
            deterministic_elapsed: Duration::ZERO,
            frozen: None,
        }
    }

    /// Guest time since the session started.
    pub fn elapsed(&self) -> Duration {
        if self.deterministic {
            self.deterministic_elapsed
        } else {
            self.frozen.unwrap_or_else(|| self.started.elapsed())
        }
    }

    /// Holds the time still until [`GuestClock::thaw`]: the kernel calls it
    /// around each operation so one call sees one instant.
    pub fn freeze(&mut self) {
        self.frozen = None;
        self.frozen = Some(self.elapsed());
    }

    pub fn thaw(&mut self) {
        self.frozen = None;
    }

    /// Advances deterministic guest time (ignored otherwise).
    pub fn advance(&mut self, by: Duration) {
        if self.deterministic {
            self.deterministic_elapsed += by;
        }
    }

    /// `KeQuerySystemTime`: 100 ns units since 1601-01-01 UTC.
    pub fn system_time(&self) -> u64 {
        self.system_at_start + (self.elapsed().as_nanos() / 100) as u64
    }

    /// `KeQueryPerformanceCounter` at [`PERFORMANCE_FREQUENCY`].
    pub fn performance_counter(&self) -> u64 {
        (self.elapsed().as_nanos() * PERFORMANCE_FREQUENCY as u128 / 1_000_000_000) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_time_moves_only_when_advanced() {
        let mut c = GuestClock::new(true);
        let t0 = c.system_time();
        assert_eq!(c.performance_counter(), 0);
        c.advance(Duration::from_millis(1));
        assert_eq!(c.system_time() - t0, 10_000);
        assert_eq!(c.performance_counter(), 50_000);
    }

    #[test]
    fn a_frozen_clock_reads_one_instant_until_thawed() {
        let mut c = GuestClock::new(false);
        c.freeze();
        let t = c.elapsed();
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(c.elapsed(), t);
        c.thaw();
        assert!(c.elapsed() > t);
    }

    #[test]
    fn host_time_is_after_2020() {
        let c = GuestClock::new(false);
        let year_2020 = EPOCH_1601_TO_1970 + 1_577_836_800 * 10_000_000;
        assert!(c.system_time() > year_2020);
    }
}
