//! The run-time library: strings, memory helpers, time, status codes and
//! formatted output.
//!
//! Submodules:
//! - [`format`]: the `printf` formatter shared by every formatting export;
//! - [`print`]: `DbgPrint` and the C-library formatting exports;
//! - [`strings`]: `ANSI_STRING`/`UNICODE_STRING` exports and conversions;
//! - [`memory`]: `RtlFillMemoryUlong`, `RtlCompareMemory`…;
//! - [`time`]: system time, interrupt time, performance frequency, time fields;
//! - [`error`]: the `RtlNtStatusToDosError` mapping.

pub mod error;
pub mod format;
pub mod memory;
pub mod print;
pub mod strings;
pub mod time;
