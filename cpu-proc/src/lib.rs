//! cpu-proc: the Xenon PowerPC cores.

pub mod runtime;
