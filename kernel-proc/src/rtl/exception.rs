//! Exceptions a title raises on purpose: `RtlRaiseException` and
//! `DbgBreakPoint`.
//!
//! The console dispatches them to the title's structured exception handlers
//! and, with none taking it and no debugger attached, ends the title. Xenact
//! has no SEH dispatch, so a raise ends the title at once with a guest-fault
//! report naming the exception code, its address and the thread (as
//! `KeBugCheck` does). The one exception is the thread-naming convention
//! (code `0x406D1388`): titles raise it inside a handler that always
//! continues, so the raise just returns, as it would on the console.
//!
//! `EXCEPTION_RECORD` (0x50 bytes, xenia `X_EXCEPTION_RECORD`, NT
//! `winnt.h`): `ExceptionCode` 0x0, `ExceptionFlags` 0x4,
//! `ExceptionRecord` (chained record) 0x8, `ExceptionAddress` 0xC,
//! `NumberParameters` 0x10, `ExceptionInformation[15]` 0x14. The
//! thread-naming record's information is `THREADNAME_INFO`: type `0x1000`,
//! name pointer, thread id (-1 = the caller), flags.

use crate::dispatch::{Call, Outcome};
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

pub const RECORD_CODE: u32 = 0x0;
pub const RECORD_FLAGS: u32 = 0x4;
pub const RECORD_ADDRESS: u32 = 0xC;
pub const RECORD_PARAMETER_COUNT: u32 = 0x10;
pub const RECORD_INFORMATION: u32 = 0x14;
const MAX_PARAMETERS: u32 = 15;

/// MSVC's "set thread name" exception.
pub const SET_THREAD_NAME: u32 = 0x406D_1388;
/// MSVC's C++ `throw`.
pub const CPP_EXCEPTION: u32 = 0xE06D_7363;
/// `STATUS_BREAKPOINT`, what `DbgBreakPoint` raises.
pub const BREAKPOINT: u32 = 0x8000_0003;
const THREADNAME_TYPE: u32 = 0x1000;

/// Ends the title with a guest-fault report; the calling thread never
/// resumes.
pub fn fault(kernel: &mut Kernel, report: String) -> Outcome {
    kernel.fatal.get_or_insert(report);
    Outcome::Pending
}

fn describe(code: u32) -> &'static str {
    match code {
        BREAKPOINT => " (STATUS_BREAKPOINT)",
        CPP_EXCEPTION => " (C++ exception)",
        0xC000_0005 => " (STATUS_ACCESS_VIOLATION)",
        0xC000_0094 => " (STATUS_INTEGER_DIVIDE_BY_ZERO)",
        0xC000_001D => " (STATUS_ILLEGAL_INSTRUCTION)",
        0xC000_0025 => " (STATUS_NONCONTINUABLE_EXCEPTION)",
        _ => "",
    }
}

/// The name a thread-naming record carries, as printable ASCII.
fn thread_name(kernel: &Kernel, record: VirtAddr) -> Option<String> {
    let m = &kernel.memory;
    let info = record.add(RECORD_INFORMATION);
    if m.read_u32(info).ok()? != THREADNAME_TYPE {
        return None;
    }
    let name = VirtAddr(m.read_u32(info.add(4)).ok()?);
    let mut text = String::new();
    for i in 0..64 {
        match m.read_u8(name.add(i)).ok()? {
            0 => break,
            b @ 0x20..=0x7E => text.push(b as char),
            _ => text.push('?'),
        }
    }
    Some(text)
}

/// `RtlRaiseException(ExceptionRecord)`: see the module doc.
pub fn rtl_raise_exception(kernel: &mut Kernel, record: VirtAddr, call: Call) -> Outcome {
    let m = &kernel.memory;
    let Ok(code) = m.read_u32(record.add(RECORD_CODE)) else {
        let report = format!(
            "the title called RtlRaiseException with an unreadable record at {record} from {:#010x} in thread {}",
            call.args.lr, call.thread
        );
        return fault(kernel, report);
    };
    if code == SET_THREAD_NAME {
        if let Some(name) = thread_name(kernel, record) {
            tracing::debug!(thread = call.thread, "the title names a thread {name:?}");
        }
        return Outcome::value(0);
    }
    let flags = m.read_u32(record.add(RECORD_FLAGS)).unwrap_or(0);
    let address = match m.read_u32(record.add(RECORD_ADDRESS)).unwrap_or(0) {
        0 => call.args.lr,
        a => a,
    };
    let count = m.read_u32(record.add(RECORD_PARAMETER_COUNT)).unwrap_or(0).min(MAX_PARAMETERS);
    let parameters: Vec<String> = (0..count)
        .map(|i| format!("{:#010x}", m.read_u32(record.add(RECORD_INFORMATION + 4 * i)).unwrap_or(0)))
        .collect();
    let report = format!(
        "the title raised exception {code:#010x}{} at {address:#010x} (flags {flags:#x}, parameters [{}]) through RtlRaiseException from {:#010x} in thread {}; Xenact has no structured exception dispatch",
        describe(code),
        parameters.join(", "),
        call.args.lr,
        call.thread
    );
    fault(kernel, report)
}

/// `DbgBreakPoint()`: a breakpoint with no debugger attached.
pub fn dbg_break_point(kernel: &mut Kernel, call: Call) -> Outcome {
    let report = format!(
        "the title hit a breakpoint: DbgBreakPoint raised {BREAKPOINT:#010x}{} from {:#010x} in thread {} with no debugger attached",
        describe(BREAKPOINT),
        call.args.lr,
        call.thread
    );
    fault(kernel, report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threading::testing::*;

    fn record(k: &mut Kernel, code: u32, address: u32, params: &[u32]) -> VirtAddr {
        let at = scratch(k, 0x60);
        let m = &k.memory;
        m.write_u32(at.add(RECORD_CODE), code).unwrap();
        m.write_u32(at.add(RECORD_FLAGS), 1).unwrap();
        m.write_u32(at.add(RECORD_ADDRESS), address).unwrap();
        m.write_u32(at.add(RECORD_PARAMETER_COUNT), params.len() as u32).unwrap();
        for (i, p) in params.iter().enumerate() {
            m.write_u32(at.add(RECORD_INFORMATION + 4 * i as u32), *p).unwrap();
        }
        at
    }

    #[test]
    fn a_raised_exception_ends_the_title_with_its_code_and_address() {
        let (mut k, t) = kernel_with_thread();
        let r = record(&mut k, CPP_EXCEPTION, 0x8201_2340, &[0x1993_0520, 0x7000_0000, 0x8200_1000]);
        assert_eq!(rtl_raise_exception(&mut k, r, call_from(t)), Outcome::Pending);
        let report = k.fatal.clone().expect("a fatal report");
        for part in ["0xe06d7363", "C++ exception", "0x82012340", "0x19930520", "thread 1"] {
            assert!(report.contains(part), "{part} missing from {report}");
        }
    }

    #[test]
    fn a_zero_exception_address_names_the_caller() {
        let (mut k, t) = kernel_with_thread();
        let r = record(&mut k, 0xC000_0005, 0, &[]);
        rtl_raise_exception(&mut k, r, call_from(t));
        assert!(k.fatal.clone().unwrap().contains("at 0x82004321"));
    }

    #[test]
    fn the_thread_naming_exception_returns() {
        let (mut k, t) = kernel_with_thread();
        let name = scratch(&mut k, 16);
        k.memory.write_bytes(name, b"Render\0").unwrap();
        let r = record(&mut k, SET_THREAD_NAME, 0, &[THREADNAME_TYPE, name.0, u32::MAX, 0]);
        assert_eq!(thread_name(&k, r).as_deref(), Some("Render"));
        assert_eq!(rtl_raise_exception(&mut k, r, call_from(t)), Outcome::value(0));
        assert!(k.fatal.is_none());
    }

    #[test]
    fn a_breakpoint_is_a_fatal_report() {
        let (mut k, t) = kernel_with_thread();
        assert_eq!(dbg_break_point(&mut k, call_from(t)), Outcome::Pending);
        let report = k.fatal.clone().unwrap();
        assert!(report.contains("0x80000003") && report.contains("0x82004321"), "{report}");
    }
}
