//! The supervisor (`xenact`): the command line, the session's guest memory,
//! spawning and wiring the units, health checks, restart policy, shutdown.
//!
//! - [`session`]: one run of a title, its event loop and shutdown.
//! - [`child`]: spawning one unit, its handshake, output and death watch.
//! - [`restart`]: the crash budget and fallback policy.
//! - [`exit`]: exit reasons and codes.
//! - [`bench`]: `xenact bench ipc`.
//! - [`bench_gpu`]: `xenact bench gpu`.
//! - [`inspect`]: `xenact peek` / `poke` on a live session.
//! - [`log`]: `xenact log digest` / `diff` over event logs.
//! - [`formats_cli`]: `xenact info`, `xex pack`, `iso pack`.
//! - [`ppc_cli`]: `xenact ppc-test`, `xenact bench cpu`.

pub mod bench;
pub mod bench_gpu;
pub mod child;
pub mod exit;
pub mod formats_cli;
pub mod inspect;
pub mod log;
pub mod ppc_cli;
pub mod restart;
pub mod session;
