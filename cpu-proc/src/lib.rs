//! cpu-proc: guest threads running Xenon PowerPC code.
//!
//! Modules: [`ppc`] (decoder, interpreter, thread state, the bus trait) and
//! [`conformance`] (the data-driven instruction test runner behind
//! `xenact ppc-test`).

pub mod conformance;
pub mod ppc;
pub mod runtime;
