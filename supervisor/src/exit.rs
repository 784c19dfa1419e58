//! Why a session ended, and the process exit code for each reason.

use shared::ipc::control::Unit;
use std::fmt;

/// Exit code for bad input or usage.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code when a unit the session cannot live without died, or could not start.
pub const EXIT_UNIT_CRASHED: u8 = 70;
/// Exit code when a guest fault stopped the title.
pub const EXIT_GUEST_FAULT: u8 = 71;
/// Exit code when every guest thread was blocked for good.
pub const EXIT_DEADLOCK: u8 = 72;
/// Exit code when `--max-instructions` guest instructions ran.
pub const EXIT_INSTRUCTION_LIMIT: u8 = 73;
/// Exit code when `--timeout` ran out first.
pub const EXIT_TIMEOUT: u8 = 124;
/// Exit code after Ctrl-C (SIGINT) or SIGTERM.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Why a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExitReason {
    /// The title ended with this exit code.
    TitleEnded(i32),
    /// `--timeout` elapsed.
    Timeout,
    /// Ctrl-C or SIGTERM.
    Interrupted,
    /// The user closed the window.
    WindowClosed,
    /// A unit died or failed to start and the session cannot go on.
    UnitCrashed { unit: Unit, detail: String },
    /// A guest fault stopped the title.
    GuestFault(String),
    /// Every guest thread was blocked with nothing to wake one.
    Deadlock(String),
    /// `--max-instructions` was reached (the summary says where).
    InstructionLimit(String),
    /// A unit binary could not be used (missing, another protocol version,
    /// another unit): bad input, like a malformed image.
    Incompatible(String),
}

impl ExitReason {
    /// The supervisor's exit code for this reason. A title's own exit code
    /// passes through (its low 8 bits).
    pub fn code(&self) -> u8 {
        match self {
            ExitReason::TitleEnded(code) => *code as u8,
            ExitReason::Timeout => EXIT_TIMEOUT,
            ExitReason::Interrupted => EXIT_INTERRUPTED,
            ExitReason::WindowClosed => 0,
            ExitReason::UnitCrashed { .. } => EXIT_UNIT_CRASHED,
            ExitReason::GuestFault(_) => EXIT_GUEST_FAULT,
            ExitReason::Deadlock(_) => EXIT_DEADLOCK,
            ExitReason::Incompatible(_) => EXIT_BAD_INPUT,
            ExitReason::InstructionLimit(_) => EXIT_INSTRUCTION_LIMIT,
        }
    }
}

impl fmt::Display for ExitReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExitReason::TitleEnded(code) => write!(f, "title ended with exit code {code}"),
            ExitReason::Timeout => write!(f, "timeout reached"),
            ExitReason::Interrupted => write!(f, "interrupted"),
            ExitReason::WindowClosed => write!(f, "the window was closed"),
            ExitReason::UnitCrashed { unit, detail } => write!(f, "{unit} failed: {detail}"),
            ExitReason::GuestFault(_) => write!(f, "guest fault"),
            ExitReason::Deadlock(_) => write!(f, "deadlock: every guest thread is blocked"),
            ExitReason::Incompatible(detail) => write!(f, "{detail}"),
            ExitReason::InstructionLimit(summary) => write!(f, "{summary}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_session_failure_has_its_own_code() {
        let codes = [
            ExitReason::Timeout.code(),
            ExitReason::Interrupted.code(),
            ExitReason::UnitCrashed { unit: Unit::Cpu, detail: String::new() }.code(),
            ExitReason::GuestFault(String::new()).code(),
            ExitReason::Deadlock(String::new()).code(),
            ExitReason::InstructionLimit(String::new()).code(),
            EXIT_BAD_INPUT,
        ];
        let mut unique = codes.to_vec();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
        assert!(!codes.contains(&0));
    }

    #[test]
    fn closing_the_window_is_not_a_failure() {
        assert_eq!(ExitReason::WindowClosed.code(), 0);
    }

    #[test]
    fn title_exit_code_passes_through() {
        assert_eq!(ExitReason::TitleEnded(0).code(), 0);
        assert_eq!(ExitReason::TitleEnded(5).code(), 5);
    }
}
