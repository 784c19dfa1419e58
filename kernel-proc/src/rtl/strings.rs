//! Counted strings: `ANSI_STRING` (`STRING`) and `UNICODE_STRING`, both
//! `{ u16 Length; u16 MaximumLength; u32 Buffer; }` in big-endian guest
//! memory, lengths in bytes; unicode text is big-endian UTF-16.
//!
//! The console's "ANSI" code page is Latin-1 here: widening maps each byte
//! to the same code point, narrowing maps code points above `0xFF` to `?`
//! (as xenia's `RtlUnicodeToMultiByteN` does). Case mapping of bytes uses
//! the console's table (`RtlUpperChar`: Latin-1 letters, `ÿ` becomes `?`).
//! Strings the kernel allocates come from the pool and are freed with
//! `RtlFree*String`.

use super::format::{read_narrow, read_wide};
use crate::kernel::Kernel;
use crate::mm::access::GuestAccess;
use crate::status::NtStatus;
use shared::memory::{GuestMemory, VirtAddr};

/// `STATUS_INVALID_PARAMETER_2`.
pub const STATUS_INVALID_PARAMETER_2: NtStatus = NtStatus(0xC000_00F0);
/// Longest counted string, in bytes.
const MAX_COUNTED: usize = 0xFFFE;

/// The header of a counted string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counted {
    pub length: u16,
    pub maximum_length: u16,
    pub buffer: u32,
}

impl Counted {
    pub const SIZE: u32 = 8;

    pub fn read(memory: &GuestMemory, at: VirtAddr) -> Result<Counted, NtStatus> {
        Ok(Counted { length: memory.r16(at)?, maximum_length: memory.r16(at.add(2))?, buffer: memory.r32(at.add(4))? })
    }

    pub fn write(self, memory: &GuestMemory, at: VirtAddr) -> Result<(), NtStatus> {
        memory.w16(at, self.length)?;
        memory.w16(at.add(2), self.maximum_length)?;
        memory.w32(at.add(4), self.buffer)
    }

    /// The bytes the string holds (`length` of them).
    pub fn bytes(self, memory: &GuestMemory) -> Result<Vec<u8>, NtStatus> {
        if self.length == 0 {
            return Ok(Vec::new());
        }
        memory.read_vec(VirtAddr(self.buffer), self.length as u32)
    }

    /// The UTF-16 units a unicode string holds.
    pub fn units(self, memory: &GuestMemory) -> Result<Vec<u16>, NtStatus> {
        Ok(self.bytes(memory)?.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect())
    }
}

/// Reads the text of an `ANSI_STRING` as Latin-1.
pub fn read_ansi_string(memory: &GuestMemory, at: VirtAddr) -> Result<String, NtStatus> {
    Ok(Counted::read(memory, at)?.bytes(memory)?.iter().map(|&b| b as char).collect())
}

/// Widens Latin-1 bytes.
pub fn widen(bytes: &[u8]) -> Vec<u16> {
    bytes.iter().map(|&b| b as u16).collect()
}

/// Narrows UTF-16 units; anything above `0xFF` becomes `?`.
pub fn narrow(units: &[u16]) -> Vec<u8> {
    units.iter().map(|&u| if u <= 0xFF { u as u8 } else { b'?' }).collect()
}

fn units_to_bytes(units: &[u16]) -> Vec<u8> {
    units.iter().flat_map(|u| u.to_be_bytes()).collect()
}

/// The console's upper-case mapping of a byte.
pub const fn upper_byte(c: u8) -> u8 {
    match c {
        b'a'..=b'z' => c - 0x20,
        0xFF => b'?',
        0xE0..=0xFE if c != 0xF7 => c - 0x20,
        _ => c,
    }
}

/// The console's lower-case mapping of a byte.
pub const fn lower_byte(c: u8) -> u8 {
    match c {
        b'A'..=b'Z' => c + 0x20,
        0xC0..=0xDE if c != 0xD7 => c + 0x20,
        _ => c,
    }
}

/// Upper case of a UTF-16 unit (units whose upper case is not one unit stay).
pub fn upcase_unit(u: u16) -> u16 {
    char::from_u32(u as u32)
        .map(|c| {
            let mut up = c.to_uppercase();
            match (up.next(), up.next()) {
                (Some(one), None) if (one as u32) <= 0xFFFF => one as u32 as u16,
                _ => u,
            }
        })
        .unwrap_or(u)
}

/// Lower case of a UTF-16 unit.
pub fn downcase_unit(u: u16) -> u16 {
    char::from_u32(u as u32)
        .map(|c| {
            let mut low = c.to_lowercase();
            match (low.next(), low.next()) {
                (Some(one), None) if (one as u32) <= 0xFFFF => one as u32 as u16,
                _ => u,
            }
        })
        .unwrap_or(u)
}

/// Compares like `RtlCompareString`: the first differing unit decides (as a
/// difference), else the longer string is greater (difference of lengths).
fn compare_units(a: &[u32], b: &[u32], len_a: i32, len_b: i32) -> i32 {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return *x as i32 - *y as i32;
        }
    }
    len_a - len_b
}

fn compare_bytes(a: &[u8], b: &[u8], case_insensitive: bool) -> i32 {
    let map =
        |s: &[u8]| -> Vec<u32> { s.iter().map(|&c| if case_insensitive { upper_byte(c) } else { c } as u32).collect() };
    compare_units(&map(a), &map(b), a.len() as i32, b.len() as i32)
}

/// Allocates `bytes` from the pool for a string the kernel hands out.
fn alloc_string(kernel: &mut Kernel, bytes: u32) -> Result<u32, NtStatus> {
    let memory = kernel.memory.clone();
    kernel.mm.pool_alloc(&memory, bytes.max(1)).map(|a| a.0).ok_or(NtStatus::NO_MEMORY)
}

/// `RtlInitAnsiString(PANSI_STRING Destination, PCSZ Source)`.
pub fn rtl_init_ansi_string(kernel: &mut Kernel, dest: VirtAddr, source: Option<VirtAddr>) {
    let s = match source {
        Some(src) => {
            let len = read_narrow(&kernel.memory, src, MAX_COUNTED).len() as u16;
            Counted { length: len, maximum_length: len + 1, buffer: src.0 }
        }
        None => Counted { length: 0, maximum_length: 0, buffer: 0 },
    };
    let _ = s.write(&kernel.memory, dest);
}

/// `RtlInitUnicodeString(PUNICODE_STRING Destination, PCWSTR Source)`.
pub fn rtl_init_unicode_string(kernel: &mut Kernel, dest: VirtAddr, source: Option<VirtAddr>) {
    let s = match source {
        Some(src) => {
            let len = (read_wide(&kernel.memory, src, MAX_COUNTED / 2 - 1).len() * 2) as u16;
            Counted { length: len, maximum_length: len + 2, buffer: src.0 }
        }
        None => Counted { length: 0, maximum_length: 0, buffer: 0 },
    };
    let _ = s.write(&kernel.memory, dest);
}

fn free_string(kernel: &mut Kernel, string: VirtAddr) {
    let Ok(s) = Counted::read(&kernel.memory, string) else { return };
    if s.buffer != 0 {
        let memory = kernel.memory.clone();
        kernel.mm.pool_free(&memory, VirtAddr(s.buffer));
    }
    let _ = Counted { length: 0, maximum_length: 0, buffer: 0 }.write(&kernel.memory, string);
}

/// `RtlFreeAnsiString(PANSI_STRING String)`.
pub fn rtl_free_ansi_string(kernel: &mut Kernel, string: VirtAddr) {
    free_string(kernel, string);
}

/// `RtlFreeUnicodeString(PUNICODE_STRING String)`.
pub fn rtl_free_unicode_string(kernel: &mut Kernel, string: VirtAddr) {
    free_string(kernel, string);
}

/// `RtlAnsiStringToUnicodeString(PUNICODE_STRING Dest, PCANSI_STRING Source,
/// BOOLEAN Allocate)`.
pub fn rtl_ansi_string_to_unicode_string(
    kernel: &mut Kernel,
    dest: VirtAddr,
    source: VirtAddr,
    allocate: bool,
) -> NtStatus {
    let result = (|| {
        let text = widen(&Counted::read(&kernel.memory, source)?.bytes(&kernel.memory)?);
        let bytes = text.len() * 2;
        if bytes > MAX_COUNTED {
            return Err(STATUS_INVALID_PARAMETER_2);
        }
        let mut d = Counted::read(&kernel.memory, dest)?;
        if allocate {
            d.maximum_length = (bytes + 2) as u16;
            d.buffer = alloc_string(kernel, d.maximum_length as u32)?;
        } else if bytes > d.maximum_length as usize {
            return Err(NtStatus::BUFFER_OVERFLOW);
        }
        let mut data = units_to_bytes(&text);
        if bytes + 2 <= d.maximum_length as usize {
            data.extend_from_slice(&[0, 0]);
        }
        kernel.memory.write_all(VirtAddr(d.buffer), &data)?;
        d.length = bytes as u16;
        d.write(&kernel.memory, dest)
    })();
    result.err().unwrap_or(NtStatus::SUCCESS)
}

/// `RtlUnicodeStringToAnsiString(PANSI_STRING Dest, PCUNICODE_STRING Source,
/// BOOLEAN Allocate)`: without allocation a short buffer gets what fits and
/// `STATUS_BUFFER_OVERFLOW`.
pub fn rtl_unicode_string_to_ansi_string(
    kernel: &mut Kernel,
    dest: VirtAddr,
    source: VirtAddr,
    allocate: bool,
) -> NtStatus {
    let result = (|| {
        let mut text = narrow(&Counted::read(&kernel.memory, source)?.units(&kernel.memory)?);
        if text.len() > MAX_COUNTED {
            return Err(STATUS_INVALID_PARAMETER_2);
        }
        let mut d = Counted::read(&kernel.memory, dest)?;
        let mut status = NtStatus::SUCCESS;
        if allocate {
            d.maximum_length = (text.len() + 1) as u16;
            d.buffer = alloc_string(kernel, d.maximum_length as u32)?;
        } else if text.len() + 1 > d.maximum_length as usize {
            if d.maximum_length == 0 {
                return Err(NtStatus::BUFFER_OVERFLOW);
            }
            status = NtStatus::BUFFER_OVERFLOW;
            text.truncate(d.maximum_length as usize - 1);
        }
        d.length = text.len() as u16;
        text.push(0);
        kernel.memory.write_all(VirtAddr(d.buffer), &text)?;
        d.write(&kernel.memory, dest)?;
        Ok(status)
    })();
    result.unwrap_or_else(|e| e)
}

/// `RtlCopyString(PSTRING Dest, PCSTRING Source)`: as much as fits; a null
/// source empties the destination.
pub fn rtl_copy_string(kernel: &mut Kernel, dest: VirtAddr, source: Option<VirtAddr>) {
    let _ = copy_counted(kernel, dest, source, 1);
}

/// `RtlCopyUnicodeString(PUNICODE_STRING Dest, PCUNICODE_STRING Source)`.
pub fn rtl_copy_unicode_string(kernel: &mut Kernel, dest: VirtAddr, source: Option<VirtAddr>) {
    let _ = copy_counted(kernel, dest, source, 2);
}

fn copy_counted(kernel: &mut Kernel, dest: VirtAddr, source: Option<VirtAddr>, unit: usize) -> Result<(), NtStatus> {
    let mut d = Counted::read(&kernel.memory, dest)?;
    let Some(source) = source else {
        d.length = 0;
        return d.write(&kernel.memory, dest);
    };
    let mut data = Counted::read(&kernel.memory, source)?.bytes(&kernel.memory)?;
    let fits = (d.maximum_length as usize).min(data.len()) / unit * unit;
    data.truncate(fits);
    d.length = fits as u16;
    if fits + unit <= d.maximum_length as usize {
        data.extend(std::iter::repeat_n(0, unit));
    }
    kernel.memory.write_all(VirtAddr(d.buffer), &data)?;
    d.write(&kernel.memory, dest)
}

fn append_counted(kernel: &mut Kernel, dest: VirtAddr, data: &[u8], unit: usize) -> Result<(), NtStatus> {
    let mut d = Counted::read(&kernel.memory, dest)?;
    let new_len = d.length as usize + data.len();
    if new_len > d.maximum_length as usize {
        return Err(NtStatus::BUFFER_TOO_SMALL);
    }
    let mut bytes = data.to_vec();
    if new_len + unit <= d.maximum_length as usize {
        bytes.extend(std::iter::repeat_n(0, unit));
    }
    kernel.memory.write_all(VirtAddr(d.buffer).add(d.length as u32), &bytes)?;
    d.length = new_len as u16;
    d.write(&kernel.memory, dest)
}

/// `RtlAppendStringToString(PSTRING Dest, PCSTRING Source)`.
pub fn rtl_append_string_to_string(kernel: &mut Kernel, dest: VirtAddr, source: VirtAddr) -> NtStatus {
    let result = Counted::read(&kernel.memory, source)
        .and_then(|s| s.bytes(&kernel.memory))
        .and_then(|data| append_counted(kernel, dest, &data, 1));
    result.err().unwrap_or(NtStatus::SUCCESS)
}

/// `RtlAppendUnicodeStringToString(PUNICODE_STRING Dest, PCUNICODE_STRING Source)`.
pub fn rtl_append_unicode_string_to_string(kernel: &mut Kernel, dest: VirtAddr, source: VirtAddr) -> NtStatus {
    let result = Counted::read(&kernel.memory, source)
        .and_then(|s| s.bytes(&kernel.memory))
        .and_then(|data| append_counted(kernel, dest, &data[..data.len() / 2 * 2], 2));
    result.err().unwrap_or(NtStatus::SUCCESS)
}

/// `RtlAppendUnicodeToString(PUNICODE_STRING Dest, PCWSTR Source)`.
pub fn rtl_append_unicode_to_string(kernel: &mut Kernel, dest: VirtAddr, source: Option<VirtAddr>) -> NtStatus {
    let Some(source) = source else { return NtStatus::SUCCESS };
    let data = units_to_bytes(&read_wide(&kernel.memory, source, MAX_COUNTED / 2));
    append_counted(kernel, dest, &data, 2).err().unwrap_or(NtStatus::SUCCESS)
}

/// `RtlCreateUnicodeString(PUNICODE_STRING Dest, PCWSTR Source)`: a pool
/// copy; false when out of memory.
pub fn rtl_create_unicode_string(kernel: &mut Kernel, dest: VirtAddr, source: VirtAddr) -> bool {
    let units = read_wide(&kernel.memory, source, MAX_COUNTED / 2 - 1);
    let bytes = units.len() as u32 * 2;
    let Ok(buffer) = alloc_string(kernel, bytes + 2) else { return false };
    let mut data = units_to_bytes(&units);
    data.extend_from_slice(&[0, 0]);
    let s = Counted { length: bytes as u16, maximum_length: bytes as u16 + 2, buffer };
    kernel.memory.write_all(VirtAddr(buffer), &data).is_ok() && s.write(&kernel.memory, dest).is_ok()
}

/// `RtlCompareString(PCSTRING String1, PCSTRING String2, BOOLEAN CaseInsensitive)`.
pub fn rtl_compare_string(kernel: &mut Kernel, a: VirtAddr, b: VirtAddr, case_insensitive: bool) -> i32 {
    let read = |at| Counted::read(&kernel.memory, at).and_then(|s| s.bytes(&kernel.memory)).unwrap_or_default();
    compare_bytes(&read(a), &read(b), case_insensitive)
}

/// `RtlCompareStringN(PCSZ String1, ULONG Length1, PCSZ String2, ULONG
/// Length2, BOOLEAN CaseInsensitive)`: a length of `0xFFFFFFFF` means up to
/// the terminator.
pub fn rtl_compare_string_n(
    kernel: &mut Kernel,
    a: VirtAddr,
    len_a: u32,
    b: VirtAddr,
    len_b: u32,
    case_insensitive: bool,
) -> i32 {
    let read = |at: VirtAddr, len: u32| {
        if len == u32::MAX {
            read_narrow(&kernel.memory, at, MAX_COUNTED * 16)
        } else {
            kernel.memory.read_vec(at, len.min(MAX_COUNTED as u32 * 16)).unwrap_or_default()
        }
    };
    compare_bytes(&read(a, len_a), &read(b, len_b), case_insensitive)
}

/// `RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING
/// String2, BOOLEAN CaseInsensitive)`: the length difference is in bytes.
pub fn rtl_compare_unicode_string(kernel: &mut Kernel, a: VirtAddr, b: VirtAddr, case_insensitive: bool) -> i32 {
    let read = |at| Counted::read(&kernel.memory, at).and_then(|s| s.units(&kernel.memory)).unwrap_or_default();
    let (ua, ub) = (read(a), read(b));
    let map = |s: &[u16]| -> Vec<u32> {
        s.iter().map(|&u| if case_insensitive { upcase_unit(u) } else { u } as u32).collect()
    };
    compare_units(&map(&ua), &map(&ub), ua.len() as i32 * 2, ub.len() as i32 * 2)
}

/// `RtlUpcaseUnicodeChar(WCHAR)`.
pub fn rtl_upcase_unicode_char(_kernel: &mut Kernel, c: u32) -> u32 {
    upcase_unit(c as u16) as u32
}

/// `RtlDowncaseUnicodeChar(WCHAR)`.
pub fn rtl_downcase_unicode_char(_kernel: &mut Kernel, c: u32) -> u32 {
    downcase_unit(c as u16) as u32
}

/// `RtlUpperChar(CHAR)`.
pub fn rtl_upper_char(_kernel: &mut Kernel, c: u32) -> u32 {
    upper_byte(c as u8) as u32
}

/// `RtlLowerChar(CHAR)`.
pub fn rtl_lower_char(_kernel: &mut Kernel, c: u32) -> u32 {
    lower_byte(c as u8) as u32
}

/// `RtlMultiByteToUnicodeN(PWCH Unicode, ULONG UnicodeBytes, PULONG
/// BytesWritten, PCCH MultiByte, ULONG MultiByteBytes)`.
pub fn rtl_multi_byte_to_unicode_n(
    kernel: &mut Kernel,
    dest: VirtAddr,
    dest_bytes: u32,
    written_out: Option<VirtAddr>,
    source: VirtAddr,
    source_bytes: u32,
) -> NtStatus {
    let result = (|| {
        let count = (dest_bytes / 2).min(source_bytes);
        let text = widen(&kernel.memory.read_vec(source, count)?);
        kernel.memory.write_all(dest, &units_to_bytes(&text))?;
        if let Some(out) = written_out {
            kernel.memory.w32(out, count * 2)?;
        }
        Ok(())
    })();
    result.err().unwrap_or(NtStatus::SUCCESS)
}

/// `RtlUnicodeToMultiByteN(PCHAR MultiByte, ULONG MultiByteBytes, PULONG
/// BytesWritten, PCWCH Unicode, ULONG UnicodeBytes)`.
pub fn rtl_unicode_to_multi_byte_n(
    kernel: &mut Kernel,
    dest: VirtAddr,
    dest_bytes: u32,
    written_out: Option<VirtAddr>,
    source: VirtAddr,
    source_bytes: u32,
) -> NtStatus {
    let result = (|| {
        let count = (source_bytes / 2).min(dest_bytes);
        let bytes = kernel.memory.read_vec(source, count * 2)?;
        let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        kernel.memory.write_all(dest, &narrow(&units))?;
        if let Some(out) = written_out {
            kernel.memory.w32(out, count)?;
        }
        Ok(())
    })();
    result.err().unwrap_or(NtStatus::SUCCESS)
}

/// `RtlMultiByteToUnicodeSize(PULONG BytesInUnicode, PCCH MultiByte, ULONG Bytes)`.
pub fn rtl_multi_byte_to_unicode_size(
    kernel: &mut Kernel,
    size_out: VirtAddr,
    _source: VirtAddr,
    bytes: u32,
) -> NtStatus {
    kernel.memory.w32(size_out, bytes.saturating_mul(2)).err().unwrap_or(NtStatus::SUCCESS)
}

/// `RtlUnicodeToMultiByteSize(PULONG BytesInMultiByte, PCWCH Unicode, ULONG Bytes)`.
pub fn rtl_unicode_to_multi_byte_size(
    kernel: &mut Kernel,
    size_out: VirtAddr,
    _source: VirtAddr,
    bytes: u32,
) -> NtStatus {
    kernel.memory.w32(size_out, bytes / 2).err().unwrap_or(NtStatus::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S1: VirtAddr = VirtAddr(0x1000);
    const S2: VirtAddr = VirtAddr(0x1010);
    const T1: u32 = 0x2000;
    const T2: u32 = 0x3000;

    fn put(k: &Kernel, at: u32, s: &[u8]) {
        k.memory.write_bytes(VirtAddr(at), s).unwrap();
        k.memory.write_u8(VirtAddr(at + s.len() as u32), 0).unwrap();
    }

    fn put_wide(k: &Kernel, at: u32, s: &str) {
        for (i, u) in s.encode_utf16().chain([0]).enumerate() {
            k.memory.write_u16(VirtAddr(at + 2 * i as u32), u).unwrap();
        }
    }

    fn counted(k: &Kernel, at: VirtAddr) -> Counted {
        Counted::read(&k.memory, at).unwrap()
    }

    fn set(k: &Kernel, at: VirtAddr, length: u16, maximum_length: u16, buffer: u32) {
        Counted { length, maximum_length, buffer }.write(&k.memory, at).unwrap();
    }

    #[test]
    fn init_measures_the_terminated_text() {
        let mut k = Kernel::for_tests();
        put(&k, T1, b"hello");
        rtl_init_ansi_string(&mut k, S1, Some(VirtAddr(T1)));
        assert_eq!(counted(&k, S1), Counted { length: 5, maximum_length: 6, buffer: T1 });
        put_wide(&k, T2, "h\u{e9}!");
        rtl_init_unicode_string(&mut k, S2, Some(VirtAddr(T2)));
        assert_eq!(counted(&k, S2), Counted { length: 6, maximum_length: 8, buffer: T2 });
        rtl_init_ansi_string(&mut k, S1, None);
        assert_eq!(counted(&k, S1), Counted { length: 0, maximum_length: 0, buffer: 0 });
    }

    #[test]
    fn ansi_to_unicode_allocates_or_fills_the_callers_buffer() {
        let mut k = Kernel::for_tests();
        put(&k, T1, b"ab\xE9");
        set(&k, S1, 3, 4, T1);
        assert_eq!(rtl_ansi_string_to_unicode_string(&mut k, S2, S1, true), NtStatus::SUCCESS);
        let u = counted(&k, S2);
        assert_eq!((u.length, u.maximum_length), (6, 8));
        assert_eq!(u.units(&k.memory).unwrap(), vec![b'a' as u16, b'b' as u16, 0xE9]);
        assert_eq!(k.memory.read_u16(VirtAddr(u.buffer + 6)).unwrap(), 0);
        rtl_free_unicode_string(&mut k, S2);
        assert_eq!(counted(&k, S2), Counted { length: 0, maximum_length: 0, buffer: 0 });
        assert!(!k.mm.is_committed(&k.memory, VirtAddr(u.buffer)));
        // The caller's buffer: too small is an overflow and nothing changes.
        set(&k, S2, 0, 4, T2);
        assert_eq!(rtl_ansi_string_to_unicode_string(&mut k, S2, S1, false), NtStatus::BUFFER_OVERFLOW);
        assert_eq!(counted(&k, S2).length, 0);
        set(&k, S2, 0, 6, T2);
        assert_eq!(rtl_ansi_string_to_unicode_string(&mut k, S2, S1, false), NtStatus::SUCCESS);
        assert_eq!(counted(&k, S2).length, 6);
    }

    #[test]
    fn unicode_to_ansi_narrows_and_truncates_with_overflow() {
        let mut k = Kernel::for_tests();
        put_wide(&k, T1, "x\u{263A}yz");
        set(&k, S1, 8, 10, T1);
        assert_eq!(rtl_unicode_string_to_ansi_string(&mut k, S2, S1, true), NtStatus::SUCCESS);
        let a = counted(&k, S2);
        assert_eq!((a.length, a.maximum_length), (4, 5));
        assert_eq!(k.memory.read_vec(VirtAddr(a.buffer), 5).unwrap(), b"x?yz\0");
        rtl_free_ansi_string(&mut k, S2);
        set(&k, S2, 0, 3, T2);
        assert_eq!(rtl_unicode_string_to_ansi_string(&mut k, S2, S1, false), NtStatus::BUFFER_OVERFLOW);
        assert_eq!(counted(&k, S2).length, 2);
        assert_eq!(k.memory.read_vec(VirtAddr(T2), 3).unwrap(), b"x?\0");
    }

    #[test]
    fn copy_and_append_respect_the_maximum_length() {
        let mut k = Kernel::for_tests();
        put(&k, T1, b"abcdef");
        set(&k, S1, 6, 7, T1);
        set(&k, S2, 0, 4, T2);
        rtl_copy_string(&mut k, S2, Some(S1));
        assert_eq!(counted(&k, S2).length, 4);
        assert_eq!(k.memory.read_vec(VirtAddr(T2), 4).unwrap(), b"abcd");
        rtl_copy_string(&mut k, S2, None);
        assert_eq!(counted(&k, S2).length, 0);
        set(&k, S2, 2, 16, T2);
        assert_eq!(rtl_append_string_to_string(&mut k, S2, S1), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_vec(VirtAddr(T2), 9).unwrap(), b"ababcdef\0");
        set(&k, S2, 12, 16, T2);
        assert_eq!(rtl_append_string_to_string(&mut k, S2, S1), NtStatus::BUFFER_TOO_SMALL);
    }

    #[test]
    fn unicode_copy_append_and_create() {
        let mut k = Kernel::for_tests();
        put_wide(&k, T1, "wide");
        assert!(rtl_create_unicode_string(&mut k, S1, VirtAddr(T1)));
        let c = counted(&k, S1);
        assert_eq!((c.length, c.maximum_length), (8, 10));
        set(&k, S2, 0, 6, T2);
        rtl_copy_unicode_string(&mut k, S2, Some(S1));
        assert_eq!(counted(&k, S2).units(&k.memory).unwrap(), "wid".encode_utf16().collect::<Vec<_>>());
        set(&k, S2, 0, 20, T2);
        rtl_append_unicode_string_to_string(&mut k, S2, S1);
        assert_eq!(rtl_append_unicode_to_string(&mut k, S2, Some(VirtAddr(T1))), NtStatus::SUCCESS);
        assert_eq!(counted(&k, S2).units(&k.memory).unwrap(), "widewide".encode_utf16().collect::<Vec<_>>());
    }

    #[test]
    fn compares_order_by_first_difference_then_length() {
        let mut k = Kernel::for_tests();
        put(&k, T1, b"Alpha");
        put(&k, T2, b"alphabet");
        set(&k, S1, 5, 6, T1);
        set(&k, S2, 8, 9, T2);
        assert!(rtl_compare_string(&mut k, S1, S2, false) < 0);
        assert_eq!(rtl_compare_string(&mut k, S1, S2, true), -3);
        set(&k, S2, 5, 9, T2);
        assert_eq!(rtl_compare_string(&mut k, S1, S2, true), 0);
        assert_eq!(rtl_compare_string_n(&mut k, VirtAddr(T1), u32::MAX, VirtAddr(T2), 5, true), 0);
        assert_eq!(rtl_compare_string_n(&mut k, VirtAddr(T1), 3, VirtAddr(T2), 3, false), b'A' as i32 - b'a' as i32);
        put_wide(&k, T1, "Stra\u{df}e");
        put_wide(&k, T2, "STRA\u{df}E!");
        set(&k, S1, 12, 14, T1);
        set(&k, S2, 14, 16, T2);
        assert_eq!(rtl_compare_unicode_string(&mut k, S1, S2, true), -2);
        assert!(rtl_compare_unicode_string(&mut k, S1, S2, false) > 0);
    }

    #[test]
    fn case_mapping_of_bytes_and_units() {
        let mut k = Kernel::for_tests();
        assert_eq!(rtl_upper_char(&mut k, b'q' as u32), b'Q' as u32);
        assert_eq!(rtl_upper_char(&mut k, 0xE9), 0xC9);
        assert_eq!(rtl_upper_char(&mut k, 0xF7), 0xF7);
        assert_eq!(rtl_upper_char(&mut k, 0xFF), b'?' as u32);
        assert_eq!(rtl_lower_char(&mut k, 0xC9), 0xE9);
        assert_eq!(rtl_lower_char(&mut k, 0xD7), 0xD7);
        assert_eq!(rtl_upcase_unicode_char(&mut k, 0x03B1), 0x0391);
        assert_eq!(rtl_upcase_unicode_char(&mut k, 0xDF), 0xDF);
        assert_eq!(rtl_downcase_unicode_char(&mut k, b'Z' as u32), b'z' as u32);
    }

    #[test]
    fn multi_byte_conversions_count_bytes() {
        let mut k = Kernel::for_tests();
        put(&k, T1, b"abc");
        let written = VirtAddr(0x1100);
        assert_eq!(
            rtl_multi_byte_to_unicode_n(&mut k, VirtAddr(T2), 4, Some(written), VirtAddr(T1), 3),
            NtStatus::SUCCESS
        );
        assert_eq!(k.memory.read_u32(written).unwrap(), 4);
        assert_eq!(k.memory.read_vec(VirtAddr(T2), 4).unwrap(), [0, b'a', 0, b'b']);
        put_wide(&k, T1, "x\u{263A}");
        let d = VirtAddr(0x4000);
        assert_eq!(rtl_unicode_to_multi_byte_n(&mut k, d, 10, Some(written), VirtAddr(T1), 4), NtStatus::SUCCESS);
        assert_eq!(k.memory.read_u32(written).unwrap(), 2);
        assert_eq!(k.memory.read_vec(d, 2).unwrap(), b"x?");
        rtl_multi_byte_to_unicode_size(&mut k, written, VirtAddr(T1), 7);
        assert_eq!(k.memory.read_u32(written).unwrap(), 14);
        rtl_unicode_to_multi_byte_size(&mut k, written, VirtAddr(T1), 14);
        assert_eq!(k.memory.read_u32(written).unwrap(), 7);
    }
}
