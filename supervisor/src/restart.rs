//! When a crashed unit is restarted, and as what.
//!
//! As browsers do with their GPU process: a unit that crashes more than
//! [`CRASH_BUDGET`] times within [`CRASH_WINDOW`] is not restarted as it
//! was. The GPU falls back to a renderer that only keeps the guest's view of
//! the GPU alive; the audio unit is switched off; a fallback GPU that keeps
//! crashing ends the session.

use shared::config::GpuMode;
use shared::ipc::control::Unit;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Crashes tolerated within [`CRASH_WINDOW`] before falling back.
pub const CRASH_BUDGET: usize = 3;
pub const CRASH_WINDOW: Duration = Duration::from_secs(60);

/// What to do after a restartable unit died.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestartDecision {
    /// Start it again as it was.
    Restart,
    /// Start the GPU again as the non-rendering fallback.
    RestartAsFallback,
    /// Go on without the unit (audio only).
    Disable,
    /// The session cannot go on.
    GiveUp,
}

/// Crash history of one unit.
#[derive(Debug, Default)]
pub struct CrashBudget {
    crashes: VecDeque<Instant>,
    fallen_back: bool,
    restarts: u32,
}

impl CrashBudget {
    /// Records a crash at `now` and decides what follows.
    pub fn on_crash(&mut self, unit: Unit, now: Instant) -> RestartDecision {
        self.crashes.push_back(now);
        while self.crashes.front().is_some_and(|&t| now.duration_since(t) > CRASH_WINDOW) {
            self.crashes.pop_front();
        }
        let over_budget = self.crashes.len() > CRASH_BUDGET;
        let decision = match (unit, over_budget, self.fallen_back) {
            (Unit::Gpu, false, _) => RestartDecision::Restart,
            (Unit::Gpu, true, false) => {
                self.fallen_back = true;
                self.crashes.clear();
                RestartDecision::RestartAsFallback
            }
            (Unit::Gpu, true, true) => RestartDecision::GiveUp,
            (Unit::Audio, false, _) => RestartDecision::Restart,
            (Unit::Audio, true, _) => RestartDecision::Disable,
            (Unit::Cpu | Unit::Kernel, _, _) => RestartDecision::GiveUp,
        };
        if matches!(decision, RestartDecision::Restart | RestartDecision::RestartAsFallback) {
            self.restarts += 1;
        }
        decision
    }

    /// Restarts so far.
    pub fn restarts(&self) -> u32 {
        self.restarts
    }

    /// The mode a (re)started GPU runs in.
    pub fn gpu_mode(&self) -> GpuMode {
        if self.fallen_back {
            GpuMode::Fallback
        } else {
            GpuMode::Full
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpu_falls_back_after_more_than_three_crashes_in_a_minute() {
        let mut b = CrashBudget::default();
        let t = Instant::now();
        for i in 0..3 {
            assert_eq!(b.on_crash(Unit::Gpu, t + Duration::from_secs(i)), RestartDecision::Restart);
        }
        assert_eq!(b.on_crash(Unit::Gpu, t + Duration::from_secs(4)), RestartDecision::RestartAsFallback);
        assert_eq!(b.gpu_mode(), GpuMode::Fallback);
        // The fallback gets its own budget, then the session gives up.
        for i in 0..3 {
            assert_eq!(b.on_crash(Unit::Gpu, t + Duration::from_secs(5 + i)), RestartDecision::Restart);
        }
        assert_eq!(b.on_crash(Unit::Gpu, t + Duration::from_secs(9)), RestartDecision::GiveUp);
    }

    #[test]
    fn crashes_older_than_the_window_are_forgiven() {
        let mut b = CrashBudget::default();
        let t = Instant::now();
        for i in 0..10 {
            assert_eq!(b.on_crash(Unit::Gpu, t + Duration::from_secs(i * 30)), RestartDecision::Restart);
        }
        assert_eq!(b.restarts(), 10);
    }

    #[test]
    fn audio_is_disabled_when_over_budget_and_core_units_never_restart() {
        let mut b = CrashBudget::default();
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(b.on_crash(Unit::Audio, t), RestartDecision::Restart);
        }
        assert_eq!(b.on_crash(Unit::Audio, t), RestartDecision::Disable);
        assert_eq!(CrashBudget::default().on_crash(Unit::Kernel, t), RestartDecision::GiveUp);
        assert_eq!(CrashBudget::default().on_crash(Unit::Cpu, t), RestartDecision::GiveUp);
    }
}
