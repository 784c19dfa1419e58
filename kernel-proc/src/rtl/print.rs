//! `DbgPrint` and the C-library formatting exports of `xboxkrnl.exe`
//! (`sprintf`, `_snprintf`, `_scprintf`, their `v` forms and their wide
//! forms) and `xam.xex` (`wsprintfA`, `wsprintfW`).
//!
//! Buffer semantics are the Microsoft C runtime's: `sprintf` always
//! terminates; `_snprintf(buf, count, …)` terminates only when the text is
//! shorter than `count`, returns -1 (after storing `count` characters) when
//! it is longer, and with a null buffer and a count of 0 returns the length
//! it would need; `wsprintf` stores at most 1024 characters with the
//! terminator. The counts are of characters (code units for the wide forms).

use super::format::{format, read_narrow, read_wide, to_narrow, ArgSource, CallArgs, VaList, MAX_GUEST_STRING};
use crate::dispatch::Call;
use crate::kernel::Kernel;
use crate::status::NtStatus;
use shared::memory::{GuestMemory, VirtAddr};

/// `wsprintf`'s buffer limit, terminator included.
const WSPRINTF_LIMIT: usize = 1024;

/// Reads the format string and formats it.
fn render(memory: &GuestMemory, fmt: VirtAddr, wide: bool, args: &mut dyn ArgSource) -> Option<Vec<u16>> {
    let units: Vec<u16> = if wide {
        read_wide(memory, fmt, MAX_GUEST_STRING)
    } else {
        read_narrow(memory, fmt, MAX_GUEST_STRING).into_iter().map(u16::from).collect()
    };
    format(memory, &units, wide, args).ok()
}

/// Stores `units` (and a terminator when `terminate`) at `buffer`.
fn store(memory: &GuestMemory, buffer: VirtAddr, units: &[u16], wide: bool, terminate: bool) -> bool {
    if wide {
        let mut bytes: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
        if terminate {
            bytes.extend_from_slice(&[0, 0]);
        }
        memory.write_bytes(buffer, &bytes).is_ok()
    } else {
        let mut bytes = to_narrow(units);
        if terminate {
            bytes.push(0);
        }
        memory.write_bytes(buffer, &bytes).is_ok()
    }
}

/// Stores the terminator only (after a failed format).
fn terminate_empty(memory: &GuestMemory, buffer: VirtAddr, wide: bool) {
    let _ = if wide { memory.write_u16(buffer, 0) } else { memory.write_u8(buffer, 0) };
}

/// `sprintf`-style: unbounded, always terminated.
fn print_unbounded(
    kernel: &Kernel,
    buffer: Option<VirtAddr>,
    fmt: Option<VirtAddr>,
    wide: bool,
    args: &mut dyn ArgSource,
) -> i32 {
    let (Some(buffer), Some(fmt)) = (buffer, fmt) else { return -1 };
    match render(&kernel.memory, fmt, wide, args) {
        Some(text) if store(&kernel.memory, buffer, &text, wide, true) => text.len() as i32,
        _ => {
            terminate_empty(&kernel.memory, buffer, wide);
            -1
        }
    }
}

/// `_snprintf`-style: at most `count` characters.
fn print_bounded(
    kernel: &Kernel,
    buffer: Option<VirtAddr>,
    count: u32,
    fmt: Option<VirtAddr>,
    wide: bool,
    args: &mut dyn ArgSource,
) -> i32 {
    let Some(fmt) = fmt else { return -1 };
    let count = count as i32;
    if count < 0 {
        return -1;
    }
    let Some(text) = render(&kernel.memory, fmt, wide, args) else {
        if let (Some(buffer), true) = (buffer, count > 0) {
            terminate_empty(&kernel.memory, buffer, wide);
        }
        return -1;
    };
    let Some(buffer) = buffer else {
        return if count == 0 { text.len() as i32 } else { -1 };
    };
    let count = count as usize;
    if text.len() < count {
        if store(&kernel.memory, buffer, &text, wide, true) {
            text.len() as i32
        } else {
            -1
        }
    } else if text.len() == count {
        if store(&kernel.memory, buffer, &text, wide, false) {
            text.len() as i32
        } else {
            -1
        }
    } else {
        store(&kernel.memory, buffer, &text[..count], wide, false);
        -1
    }
}

/// `_scprintf`-style: only the length.
fn print_count(kernel: &Kernel, fmt: Option<VirtAddr>, wide: bool, args: &mut dyn ArgSource) -> i32 {
    let Some(fmt) = fmt else { return -1 };
    render(&kernel.memory, fmt, wide, args).map_or(-1, |t| t.len() as i32)
}

/// `wsprintf`-style: at most 1023 characters and the terminator.
fn print_limited(
    kernel: &Kernel,
    buffer: Option<VirtAddr>,
    fmt: Option<VirtAddr>,
    wide: bool,
    args: &mut dyn ArgSource,
) -> i32 {
    let (Some(buffer), Some(fmt)) = (buffer, fmt) else { return -1 };
    let Some(mut text) = render(&kernel.memory, fmt, wide, args) else {
        terminate_empty(&kernel.memory, buffer, wide);
        return -1;
    };
    text.truncate(WSPRINTF_LIMIT - 1);
    if store(&kernel.memory, buffer, &text, wide, true) {
        text.len() as i32
    } else {
        -1
    }
}

/// `DbgPrint(PCSZ Format, ...)`: one line of debug output, exactly as
/// formatted (the line ends where the text ends; one trailing newline is
/// the line's own).
pub fn dbg_print(kernel: &mut Kernel, fmt: Option<VirtAddr>, call: Call) -> NtStatus {
    let Some(fmt) = fmt else { return NtStatus::INVALID_PARAMETER };
    let memory = kernel.memory.clone();
    let mut args = CallArgs::new(&memory, call, 1);
    if let Some(text) = render(&memory, fmt, false, &mut args) {
        kernel.debug.line(&to_narrow(&text));
    }
    NtStatus::SUCCESS
}

/// `sprintf(char *buffer, const char *format, ...)`.
pub fn sprintf(kernel: &mut Kernel, buffer: Option<VirtAddr>, fmt: Option<VirtAddr>, call: Call) -> i32 {
    let memory = kernel.memory.clone();
    print_unbounded(kernel, buffer, fmt, false, &mut CallArgs::new(&memory, call, 2))
}

/// `_snprintf(char *buffer, size_t count, const char *format, ...)`.
pub fn snprintf(kernel: &mut Kernel, buffer: Option<VirtAddr>, count: u32, fmt: Option<VirtAddr>, call: Call) -> i32 {
    let memory = kernel.memory.clone();
    print_bounded(kernel, buffer, count, fmt, false, &mut CallArgs::new(&memory, call, 3))
}

/// `_scprintf(const char *format, ...)`.
pub fn scprintf(kernel: &mut Kernel, fmt: Option<VirtAddr>, call: Call) -> i32 {
    let memory = kernel.memory.clone();
    print_count(kernel, fmt, false, &mut CallArgs::new(&memory, call, 1))
}

/// `vsprintf(char *buffer, const char *format, va_list args)`.
pub fn vsprintf(kernel: &mut Kernel, buffer: Option<VirtAddr>, fmt: Option<VirtAddr>, va: VirtAddr) -> i32 {
    let memory = kernel.memory.clone();
    print_unbounded(kernel, buffer, fmt, false, &mut VaList::new(&memory, va))
}

/// `_vsnprintf(char *buffer, size_t count, const char *format, va_list args)`.
pub fn vsnprintf(
    kernel: &mut Kernel,
    buffer: Option<VirtAddr>,
    count: u32,
    fmt: Option<VirtAddr>,
    va: VirtAddr,
) -> i32 {
    let memory = kernel.memory.clone();
    print_bounded(kernel, buffer, count, fmt, false, &mut VaList::new(&memory, va))
}

/// `_vscprintf(const char *format, va_list args)`.
pub fn vscprintf(kernel: &mut Kernel, fmt: Option<VirtAddr>, va: VirtAddr) -> i32 {
    let memory = kernel.memory.clone();
    print_count(kernel, fmt, false, &mut VaList::new(&memory, va))
}

/// `swprintf(wchar_t *buffer, const wchar_t *format, ...)` (the runtime's
/// form without a count).
pub fn swprintf(kernel: &mut Kernel, buffer: Option<VirtAddr>, fmt: Option<VirtAddr>, call: Call) -> i32 {
    let memory = kernel.memory.clone();
    print_unbounded(kernel, buffer, fmt, true, &mut CallArgs::new(&memory, call, 2))
}

/// `_snwprintf(wchar_t *buffer, size_t count, const wchar_t *format, ...)`.
pub fn snwprintf(kernel: &mut Kernel, buffer: Option<VirtAddr>, count: u32, fmt: Option<VirtAddr>, call: Call) -> i32 {
    let memory = kernel.memory.clone();
    print_bounded(kernel, buffer, count, fmt, true, &mut CallArgs::new(&memory, call, 3))
}

/// `_scwprintf(const wchar_t *format, ...)`.
pub fn scwprintf(kernel: &mut Kernel, fmt: Option<VirtAddr>, call: Call) -> i32 {
    let memory = kernel.memory.clone();
    print_count(kernel, fmt, true, &mut CallArgs::new(&memory, call, 1))
}

/// `vswprintf(wchar_t *buffer, const wchar_t *format, va_list args)`.
pub fn vswprintf(kernel: &mut Kernel, buffer: Option<VirtAddr>, fmt: Option<VirtAddr>, va: VirtAddr) -> i32 {
    let memory = kernel.memory.clone();
    print_unbounded(kernel, buffer, fmt, true, &mut VaList::new(&memory, va))
}

/// `_vsnwprintf(wchar_t *buffer, size_t count, const wchar_t *format, va_list args)`.
pub fn vsnwprintf(
    kernel: &mut Kernel,
    buffer: Option<VirtAddr>,
    count: u32,
    fmt: Option<VirtAddr>,
    va: VirtAddr,
) -> i32 {
    let memory = kernel.memory.clone();
    print_bounded(kernel, buffer, count, fmt, true, &mut VaList::new(&memory, va))
}

/// `_vscwprintf(const wchar_t *format, va_list args)`.
pub fn vscwprintf(kernel: &mut Kernel, fmt: Option<VirtAddr>, va: VirtAddr) -> i32 {
    let memory = kernel.memory.clone();
    print_count(kernel, fmt, true, &mut VaList::new(&memory, va))
}

/// `wsprintfA(LPSTR buffer, LPCSTR format, ...)` (xam).
pub fn wsprintf_a(kernel: &mut Kernel, buffer: Option<VirtAddr>, fmt: Option<VirtAddr>, call: Call) -> i32 {
    let memory = kernel.memory.clone();
    print_limited(kernel, buffer, fmt, false, &mut CallArgs::new(&memory, call, 2))
}

/// `wsprintfW(LPWSTR buffer, LPCWSTR format, ...)` (xam).
pub fn wsprintf_w(kernel: &mut Kernel, buffer: Option<VirtAddr>, fmt: Option<VirtAddr>, call: Call) -> i32 {
    let memory = kernel.memory.clone();
    print_limited(kernel, buffer, fmt, true, &mut CallArgs::new(&memory, call, 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::ipc::kernel::CallArgs as Regs;

    const FMT: u32 = 0x1000;
    const BUF: u32 = 0x2000;
    const STR: u32 = 0x3000;

    fn call(gpr: [u64; 8]) -> Call {
        Call { thread: 1, export: 0, args: Regs { gpr, fpr: [0; 4], sp: 0x8000, lr: 0 } }
    }

    fn put(k: &Kernel, at: u32, s: &str) {
        k.memory.write_bytes(VirtAddr(at), s.as_bytes()).unwrap();
        k.memory.write_u8(VirtAddr(at + s.len() as u32), 0).unwrap();
    }

    fn put_wide(k: &Kernel, at: u32, s: &str) {
        for (i, u) in s.encode_utf16().chain([0]).enumerate() {
            k.memory.write_u16(VirtAddr(at + 2 * i as u32), u).unwrap();
        }
    }

    fn buf(k: &Kernel, len: usize) -> Vec<u8> {
        let mut b = vec![0; len];
        k.memory.read_bytes(VirtAddr(BUF), &mut b).unwrap();
        b
    }

    #[test]
    fn dbg_print_writes_one_line_as_formatted() {
        let mut k = Kernel::for_tests();
        put(&k, FMT, "value=%d name=%s\n");
        put(&k, STR, "disc");
        dbg_print(&mut k, Some(VirtAddr(FMT)), call([FMT as u64, 42, STR as u64, 0, 0, 0, 0, 0]));
        put(&k, FMT, "no newline %x");
        dbg_print(&mut k, Some(VirtAddr(FMT)), call([FMT as u64, 255, 0, 0, 0, 0, 0, 0]));
        assert_eq!(k.debug.text(), "value=42 name=disc\nno newline ff\n");
        assert_eq!(dbg_print(&mut k, None, call([0; 8])), NtStatus::INVALID_PARAMETER);
    }

    #[test]
    fn varargs_past_r10_come_from_the_stack() {
        let mut k = Kernel::for_tests();
        put(&k, FMT, "%d %d %d %d %d %d %d %d %d");
        // r3 = format, r4–r10 = 1..7, then the save area.
        k.memory.write_u64(VirtAddr(0x8000 + 0x54), 8).unwrap();
        k.memory.write_u64(VirtAddr(0x8000 + 0x5C), 9).unwrap();
        dbg_print(&mut k, Some(VirtAddr(FMT)), call([FMT as u64, 1, 2, 3, 4, 5, 6, 7]));
        assert_eq!(k.debug.text(), "1 2 3 4 5 6 7 8 9\n");
    }

    #[test]
    fn sprintf_terminates_and_returns_the_length() {
        let mut k = Kernel::for_tests();
        put(&k, FMT, "[%05d]");
        let n = sprintf(&mut k, Some(VirtAddr(BUF)), Some(VirtAddr(FMT)), call([0, 0, 42, 0, 0, 0, 0, 0]));
        assert_eq!(n, 7);
        assert_eq!(buf(&k, 8), b"[00042]\0");
        assert_eq!(sprintf(&mut k, None, Some(VirtAddr(FMT)), call([0; 8])), -1);
    }

    #[test]
    fn snprintf_follows_the_microsoft_truncation_rules() {
        let mut k = Kernel::for_tests();
        put(&k, FMT, "abcdef");
        k.memory.fill(VirtAddr(BUF), 16, b'#').unwrap();
        let f = Some(VirtAddr(FMT));
        assert_eq!(snprintf(&mut k, Some(VirtAddr(BUF)), 10, f, call([0; 8])), 6);
        assert_eq!(buf(&k, 8), b"abcdef\0#");
        k.memory.fill(VirtAddr(BUF), 16, b'#').unwrap();
        assert_eq!(snprintf(&mut k, Some(VirtAddr(BUF)), 6, f, call([0; 8])), 6);
        assert_eq!(buf(&k, 7), b"abcdef#");
        k.memory.fill(VirtAddr(BUF), 16, b'#').unwrap();
        assert_eq!(snprintf(&mut k, Some(VirtAddr(BUF)), 4, f, call([0; 8])), -1);
        assert_eq!(buf(&k, 5), b"abcd#");
        assert_eq!(snprintf(&mut k, None, 0, f, call([0; 8])), 6);
        assert_eq!(scprintf(&mut k, f, call([0; 8])), 6);
    }

    #[test]
    fn v_forms_read_a_va_list() {
        let mut k = Kernel::for_tests();
        put(&k, FMT, "%s=%u");
        put(&k, STR, "x");
        let va = VirtAddr(0x4000);
        k.memory.write_u64(va, STR as u64).unwrap();
        k.memory.write_u64(va.add(8), 17).unwrap();
        let f = Some(VirtAddr(FMT));
        assert_eq!(vsprintf(&mut k, Some(VirtAddr(BUF)), f, va), 4);
        assert_eq!(buf(&k, 5), b"x=17\0");
        assert_eq!(vsnprintf(&mut k, Some(VirtAddr(BUF)), 3, f, va), -1);
        assert_eq!(vscprintf(&mut k, f, va), 4);
    }

    #[test]
    fn wide_forms_write_big_endian_utf16() {
        let mut k = Kernel::for_tests();
        put_wide(&k, FMT, "%s:%d");
        put_wide(&k, STR, "w\u{e9}");
        let f = Some(VirtAddr(FMT));
        let n = swprintf(&mut k, Some(VirtAddr(BUF)), f, call([0, 0, STR as u64, 5, 0, 0, 0, 0]));
        assert_eq!(n, 4);
        assert_eq!(buf(&k, 10), [0, b'w', 0, 0xE9, 0, b':', 0, b'5', 0, 0]);
        assert_eq!(snwprintf(&mut k, Some(VirtAddr(BUF)), 2, f, call([0, 0, 0, STR as u64, 5, 0, 0, 0])), -1);
        assert_eq!(scwprintf(&mut k, f, call([0, STR as u64, 5, 0, 0, 0, 0, 0])), 4);
        let va = VirtAddr(0x4000);
        k.memory.write_u64(va, STR as u64).unwrap();
        k.memory.write_u64(va.add(8), 6).unwrap();
        assert_eq!(vswprintf(&mut k, Some(VirtAddr(BUF)), f, va), 4);
        assert_eq!(vsnwprintf(&mut k, Some(VirtAddr(BUF)), 8, f, va), 4);
        assert_eq!(vscwprintf(&mut k, f, va), 4);
    }

    #[test]
    fn wsprintf_stops_at_1023_characters() {
        let mut k = Kernel::for_tests();
        put(&k, FMT, "%2000d");
        let n = wsprintf_a(&mut k, Some(VirtAddr(BUF)), Some(VirtAddr(FMT)), call([0, 0, 1, 0, 0, 0, 0, 0]));
        assert_eq!(n, 1023);
        assert_eq!(k.memory.read_u8(VirtAddr(BUF + 1023)).unwrap(), 0);
        put_wide(&k, FMT, "%d");
        assert_eq!(wsprintf_w(&mut k, Some(VirtAddr(BUF)), Some(VirtAddr(FMT)), call([0, 0, 12, 0, 0, 0, 0, 0])), 2);
    }
}
