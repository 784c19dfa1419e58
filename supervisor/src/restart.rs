//! When a crashed unit is restarted, and as what.
//!
//! As browsers do with their GPU process: a unit in a crash loop — more
//! than [`CRASH_BUDGET`] crashes within [`CRASH_WINDOW`], each less than
//! [`CRASH_LOOP_UPTIME`] after its process was started — is not restarted as
//! it was. The GPU falls back to a renderer that only keeps the guest's view
//! of the GPU alive; the audio unit is switched off; a fallback GPU that
//! keeps crashing ends the session.
//!
//! A unit that dies after running longer than [`CRASH_LOOP_UPTIME`] had
//! recovered (a restarted gpu-proc presents its next frame within a few
//! hundred milliseconds), so that crash is restarted without using the
//! budget: isolated crashes, however many over a session, never cost the
//! title its renderer. What the budget catches is the unit that cannot get
//! going again, such as one that dies on the same state each time it resumes.

use shared::config::GpuMode;
use shared::ipc::control::Unit;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Crashes tolerated within [`CRASH_WINDOW`] before falling back.
pub const CRASH_BUDGET: usize = 3;
pub const CRASH_WINDOW: Duration = Duration::from_secs(60);
/// A crash sooner than this after the process started counts against the budget.
pub const CRASH_LOOP_UPTIME: Duration = Duration::from_secs(2);

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
    /// Records a crash at `now` of a process that had run for `uptime`
    /// and decides what follows.
    pub fn on_crash(&mut self, unit: Unit, now: Instant, uptime: Duration) -> RestartDecision {
        if uptime < CRASH_LOOP_UPTIME {
            self.crashes.push_back(now);
        }
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

    /// The uptime of a process that dies right after starting.
    const LOOP: Duration = Duration::from_millis(100);

    #[test]
    fn gpu_falls_back_after_more_than_three_crashes_in_a_minute() {
        let mut b = CrashBudget::default();
        let t = Instant::now();
        for i in 0..3 {
            assert_eq!(b.on_crash(Unit::Gpu, t + Duration::from_secs(i), LOOP), RestartDecision::Restart);
        }
        assert_eq!(b.on_crash(Unit::Gpu, t + Duration::from_secs(4), LOOP), RestartDecision::RestartAsFallback);
        assert_eq!(b.gpu_mode(), GpuMode::Fallback);
        // The fallback gets its own budget, then the session gives up.
        for i in 0..3 {
            assert_eq!(b.on_crash(Unit::Gpu, t + Duration::from_secs(5 + i), LOOP), RestartDecision::Restart);
        }
        assert_eq!(b.on_crash(Unit::Gpu, t + Duration::from_secs(9), LOOP), RestartDecision::GiveUp);
    }

    #[test]
    fn crashes_older_than_the_window_are_forgiven() {
        let mut b = CrashBudget::default();
        let t = Instant::now();
        for i in 0..10 {
            assert_eq!(b.on_crash(Unit::Gpu, t + Duration::from_secs(i * 30), LOOP), RestartDecision::Restart);
        }
        assert_eq!(b.restarts(), 10);
    }

    #[test]
    fn crashes_after_a_healthy_uptime_never_use_the_budget() {
        let mut b = CrashBudget::default();
        let t = Instant::now();
        for i in 0..10 {
            let at = t + Duration::from_millis(2500 * i);
            assert_eq!(b.on_crash(Unit::Gpu, at, CRASH_LOOP_UPTIME), RestartDecision::Restart);
        }
        assert_eq!(b.gpu_mode(), GpuMode::Full);
        // Crash-loop crashes still add up among them.
        for i in 0..3 {
            assert_eq!(b.on_crash(Unit::Gpu, t + Duration::from_secs(30 + i), LOOP), RestartDecision::Restart);
        }
        assert_eq!(b.on_crash(Unit::Gpu, t + Duration::from_secs(34), LOOP), RestartDecision::RestartAsFallback);
    }

    #[test]
    fn audio_is_disabled_when_over_budget_and_core_units_never_restart() {
        let mut b = CrashBudget::default();
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(b.on_crash(Unit::Audio, t, LOOP), RestartDecision::Restart);
        }
        assert_eq!(b.on_crash(Unit::Audio, t, LOOP), RestartDecision::Disable);
        assert_eq!(CrashBudget::default().on_crash(Unit::Kernel, t, Duration::from_secs(600)), RestartDecision::GiveUp);
        assert_eq!(CrashBudget::default().on_crash(Unit::Cpu, t, Duration::from_secs(600)), RestartDecision::GiveUp);
    }
}
