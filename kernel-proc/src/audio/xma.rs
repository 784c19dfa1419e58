//! The XMA context exports, answered as a console with no free XMA
//! hardware context would answer, until Xenact has an XMA decoder.
//!
//! `XMACreateContext` fails with `STATUS_NO_MEMORY` and writes a null
//! context (its failure in xenia `xboxkrnl_audio_xma.cc` when no context is
//! free), so a title never holds a context. Every other `XMA*` export is
//! served by [`xma_not_supported`], which logs the export's name once:
//! queries (`XMAGet*`, `XMAIs*`) read 0 (no offset, nothing valid), the
//! rest answer `STATUS_NOT_SUPPORTED`.
//!
//! ([`Call`] comes last in a parameter list: it takes no argument register.)

use crate::dispatch::Call;
use crate::exports::EXPORTS;
use crate::kernel::Kernel;
use crate::status::NtStatus;
use shared::memory::VirtAddr;

/// `XMACreateContext(context_out)`.
pub fn xma_create_context(kernel: &mut Kernel, out: Option<VirtAddr>, call: Call) -> NtStatus {
    report(kernel, call.export);
    if let Some(out) = out {
        let _ = kernel.memory.write_u32(out, 0);
    }
    NtStatus::NO_MEMORY
}

/// Any other `XMA*` export (the table gives its name).
pub fn xma_not_supported(kernel: &mut Kernel, call: Call) -> u32 {
    let name = report(kernel, call.export);
    if name.starts_with("XMAGet") || name.starts_with("XMAIs") {
        0
    } else {
        NtStatus::NOT_SUPPORTED.0
    }
}

/// Logs once per export that XMA is not supported; returns its name.
fn report(kernel: &mut Kernel, export: u32) -> &'static str {
    let name = EXPORTS.get(export as usize).map_or("XMA export", |e| e.name);
    if kernel.audio.first_unsupported_call(export) {
        tracing::warn!("{name}: XMA contexts are not supported yet");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::ipc::kernel::CallArgs;

    fn call_of(name: &str) -> Call {
        let export = EXPORTS.iter().position(|e| e.name == name).unwrap() as u32;
        Call { thread: 1, export, args: CallArgs { gpr: [0; 8], fpr: [0; 4], sp: 0, lr: 0 } }
    }

    #[test]
    fn creating_a_context_fails_with_no_memory_and_a_null_context() {
        let mut k = Kernel::for_tests();
        let out = VirtAddr(0x1000);
        k.memory.write_u32(out, 0xDEAD_BEEF).unwrap();

        let status = xma_create_context(&mut k, Some(out), call_of("XMACreateContext"));

        assert_eq!(status, NtStatus::NO_MEMORY);
        assert_eq!(k.memory.read_u32(out).unwrap(), 0);
    }

    #[test]
    fn context_operations_answer_not_supported_and_queries_read_zero() {
        let mut k = Kernel::for_tests();

        assert_eq!(xma_not_supported(&mut k, call_of("XMAInitializeContext")), NtStatus::NOT_SUPPORTED.0);
        assert_eq!(xma_not_supported(&mut k, call_of("XMASetInputBuffer0")), NtStatus::NOT_SUPPORTED.0);
        assert_eq!(xma_not_supported(&mut k, call_of("XMAIsOutputBufferValid")), 0);
        assert_eq!(xma_not_supported(&mut k, call_of("XMAGetOutputBufferWriteOffset")), 0);
    }

    #[test]
    fn each_unsupported_export_is_reported_once() {
        let mut k = Kernel::for_tests();
        let call = call_of("XMAEnableContext");

        xma_not_supported(&mut k, call);

        assert!(!k.audio.first_unsupported_call(call.export));
        assert!(k.audio.first_unsupported_call(call_of("XMADisableContext").export));
    }
}
