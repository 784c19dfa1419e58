//! The one typed configuration of a session. The supervisor builds it from
//! the command line and hands it to every child in its welcome; nothing on
//! a hot path reads flags from the environment.

use crate::ipc::ring::SpinPolicy;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// How gpu-proc runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GpuMode {
    /// Command processor, interrupts and rendering.
    Full,
    /// After repeated crashes: keeps the register file, vblank and
    /// interrupts alive for the guest, renders nothing.
    Fallback,
}

/// The title a session boots.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum TitleSpec {
    /// A `.xex`, a disc image or a folder holding `default.xex`.
    Path(PathBuf),
    /// A XEX handed over whole (the demo title built into `xenact`).
    Embedded { name: String, bytes: Vec<u8> },
}

/// The display server a window would open on, from the environment
/// (what winit reads): `None` when there is none.
pub fn display_server() -> Option<String> {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(wayland) = set("WAYLAND_DISPLAY") {
        return Some(format!("Wayland display {}", wayland.to_string_lossy()));
    }
    set("DISPLAY").map(|x| format!("X display {}", x.to_string_lossy()))
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Config {
    /// The title to boot; `None` for an idle session (every unit up, no guest code).
    pub title: Option<TitleSpec>,
    /// No window: frames go to PNG dumps when asked.
    pub headless: bool,
    /// Where `--dump-frames` writes PNGs.
    pub dump_frames: Option<PathBuf>,
    /// Spin budget of the hot rings.
    pub spin: SpinPolicy,
    /// How gpu-proc runs now.
    pub gpu_mode: GpuMode,
    /// One guest thread at a time; guest time from retired instructions.
    pub deterministic: bool,
    /// Where each title's `cache:` device lives (one folder per title id).
    pub cache_dir: Option<PathBuf>,
    /// The instrumented kernel's event log (`.gz` / `.zst` compress).
    pub event_log: Option<PathBuf>,
    /// `--audio-out FILE.wav`: the audio goes to this WAV file.
    pub audio_out: Option<PathBuf>,
    /// `--max-instructions N`: stop the run after N guest instructions.
    pub max_instructions: Option<u64>,
    /// `--trace-pc ADDR,…`: PCs whose every visit is recorded (r3–r10, LR)
    /// as engine-local `pc.hit` events of the event log.
    pub trace_pcs: Vec<u32>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: None,
            headless: true,
            dump_frames: None,
            spin: SpinPolicy::for_this_machine(),
            gpu_mode: GpuMode::Full,
            deterministic: false,
            cache_dir: None,
            event_log: None,
            audio_out: None,
            max_instructions: None,
            trace_pcs: Vec::new(),
        }
    }
}
