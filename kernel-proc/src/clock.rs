//! Guest time: the system time in 100 ns units since 1601 (as NT keeps
//! it), and the performance counter. From the host clock normally; from the
//! instruction ticks of the shared guest clock under `--deterministic`
//! ([`shared::memory::control::GuestTime`], moved by cpu-proc).

use shared::memory::GuestMemory;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// 100 ns intervals between 1601-01-01 and 1970-01-01.
pub const EPOCH_1601_TO_1970: u64 = 116_444_736_000_000_000;
/// Frequency of `KeQueryPerformanceCounter` (xenia reports 50 MHz).
pub const PERFORMANCE_FREQUENCY: u64 = 50_000_000;

/// Where guest time comes from.
enum Source {
    /// The host clock, from this instant.
    Host(Instant),
    /// Only [`GuestClock::advance`] moves it (unit tests).
    Manual(Duration),
    /// The ticks of the shared guest clock (`--deterministic`).
    Ticks(Arc<GuestMemory>),
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Host(started) => write!(f, "Host({started:?})"),
            Source::Manual(elapsed) => write!(f, "Manual({elapsed:?})"),
            Source::Ticks(_) => write!(f, "Ticks"),
        }
    }
}

/// The kernel's clock.
#[derive(Debug)]
pub struct GuestClock {
    source: Source,
    /// System time (100 ns since 1601) when guest time started.
    system_at_start: u64,
    /// While the kernel handles one operation, the time it started: every
    /// reading inside one call agrees.
    frozen: Option<Duration>,
}

impl GuestClock {
    /// A fixed date so two deterministic runs agree: 2010-01-01T00:00:00Z.
    const DETERMINISTIC_EPOCH: u64 = EPOCH_1601_TO_1970 + 1_262_304_000 * 10_000_000;

    /// The host clock, or (`deterministic`) a clock only
    /// [`GuestClock::advance`] moves.
    pub fn new(deterministic: bool) -> GuestClock {
        if deterministic {
            return GuestClock {
                source: Source::Manual(Duration::ZERO),
                system_at_start: Self::DETERMINISTIC_EPOCH,
                frozen: None,
            };
        }
        let unix = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        GuestClock {
            source: Source::Host(Instant::now()),
            system_at_start: EPOCH_1601_TO_1970 + (unix.as_nanos() / 100) as u64,
            frozen: None,
        }
    }

    /// The shared guest clock of a `--deterministic` session.
    pub fn from_guest_ticks(memory: Arc<GuestMemory>) -> GuestClock {
        GuestClock { source: Source::Ticks(memory), system_at_start: Self::DETERMINISTIC_EPOCH, frozen: None }
    }

    /// Whether guest time is independent of the host clock.
    pub fn is_deterministic(&self) -> bool {
        !matches!(self.source, Source::Host(_))
    }

    /// Guest time since the session started.
    pub fn elapsed(&self) -> Duration {
        if let Some(frozen) = self.frozen {
            return frozen;
        }
        match &self.source {
            Source::Host(started) => started.elapsed(),
            Source::Manual(elapsed) => *elapsed,
            Source::Ticks(memory) => memory.control().guest_time().now(),
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

    /// Advances a manual clock (ignored otherwise).
    pub fn advance(&mut self, by: Duration) {
        if let Source::Manual(elapsed) = &mut self.source {
            *elapsed += by;
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
    fn the_shared_clock_reads_the_guest_ticks() {
        use std::os::fd::AsFd;
        use std::sync::atomic::Ordering;
        let fd = GuestMemory::create_file().unwrap();
        let memory = Arc::new(GuestMemory::map(fd.as_fd()).unwrap());
        let c = GuestClock::from_guest_ticks(memory.clone());
        let t0 = c.system_time();
        assert_eq!(c.elapsed(), Duration::ZERO);
        memory.control().guest_time().ticks.store(2_000_000, Ordering::SeqCst);
        assert_eq!(c.elapsed(), Duration::from_millis(2));
        assert_eq!(c.system_time() - t0, 20_000);
    }

    #[test]
    fn host_time_is_after_2020() {
        let c = GuestClock::new(false);
        let year_2020 = EPOCH_1601_TO_1970 + 1_577_836_800 * 10_000_000;
        assert!(c.system_time() > year_2020);
    }
}
