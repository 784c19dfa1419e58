//! The run-time library: strings, memory helpers, time, status codes and
//! formatted output.
//!
//! Submodules:
//! - [`format`]: the `printf` formatter shared by every formatting export;
//! - [`print`]: `DbgPrint` and the C-library formatting exports;
//! - [`strings`]: `ANSI_STRING`/`UNICODE_STRING` exports and conversions;
//! - [`memory`]: `RtlFillMemoryUlong`, `RtlCompareMemory`…;
//! - [`time`]: system time, interrupt time, performance frequency, time fields;
//! - [`error`]: the `RtlNtStatusToDosError` mapping;
//! - [`crc`]: the CRC-32 (`RtlComputeCrc32`);
//! - [`image`]: PE headers of loaded images (`RtlImageNtHeader`);
//! - [`exception`]: `RtlRaiseException` and `DbgBreakPoint`, which end the
//!   title with a guest-fault report (no structured exception dispatch).

pub mod crc;
pub mod error;
pub mod exception;
pub mod format;
pub mod image;
pub mod memory;
pub mod print;
pub mod strings;
pub mod time;
