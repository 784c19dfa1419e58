//! The `printf` formatter behind `DbgPrint` and the C-library exports
//! (`sprintf`, `_snprintf`, `_vsnprintf`, the wide forms…).
//!
//! It follows the Microsoft C runtime the console's libraries come from:
//!
//! - `%[flags][width][.precision][size]type`, flags `-` `+` space `#` `0`,
//!   `*` for width and precision (a negative width left-justifies);
//! - sizes `h` `hh` `l` `ll` `L` `w` `I` `I32` `I64` `j` `z` `t`;
//! - types `d i u o x X p c C s S Z n e E f F g G a A` and `%%`;
//! - every argument takes one 64-bit slot (a register or a stack doubleword;
//!   a `va_list` is an array of such slots), so a `double` is read as the
//!   bit pattern of its slot;
//! - in the narrow functions `%s`/`%c` are narrow and `%S`/`%C` wide, in the
//!   wide functions the other way round; `h` forces narrow and `l`/`w` wide;
//! - `%p` prints eight upper-case hex digits; `%Z` prints an `ANSI_STRING`
//!   (or a `UNICODE_STRING` when wide); a null string prints `(null)`;
//! - the `0` flag is ignored with `-` and, for integers, with a precision;
//! - exponents have at least three digits (`1.500000e+002`), as that runtime
//!   prints them; infinities and NaNs print as `inf` and `nan`; decimal
//!   rounding is exact (ties to even), as glibc and the current Microsoft
//!   runtime do;
//! - a format that ends inside a conversion is an error (the functions
//!   return -1); an unknown conversion is copied to the output as written.
//!
//! Output is a sequence of UTF-16 code units; narrow callers turn units
//! above `0xFF` into `?`.

use shared::memory::{GuestMemory, VirtAddr};

/// Longest guest string a conversion reads (a runaway pointer stops here).
pub const MAX_GUEST_STRING: usize = 0x10_0000;

/// Where conversions take their arguments from: one 64-bit slot each.
pub trait ArgSource {
    fn next_slot(&mut self) -> u64;
}

/// Arguments of the call itself (registers, then the caller's stack).
pub struct CallArgs<'a> {
    memory: &'a GuestMemory,
    call: crate::dispatch::Call,
    next: usize,
}

impl<'a> CallArgs<'a> {
    /// Arguments from the `first`th parameter on (0 = r3).
    pub fn new(memory: &'a GuestMemory, call: crate::dispatch::Call, first: usize) -> CallArgs<'a> {
        CallArgs { memory, call, next: first }
    }
}

impl ArgSource for CallArgs<'_> {
    fn next_slot(&mut self) -> u64 {
        let value = self.call.arg(self.memory, self.next);
        self.next += 1;
        value
    }
}

/// Arguments from a guest `va_list`: consecutive 8-byte slots.
pub struct VaList<'a> {
    memory: &'a GuestMemory,
    at: VirtAddr,
}

impl<'a> VaList<'a> {
    pub fn new(memory: &'a GuestMemory, at: VirtAddr) -> VaList<'a> {
        VaList { memory, at }
    }
}

impl ArgSource for VaList<'_> {
    fn next_slot(&mut self) -> u64 {
        let value = self.memory.read_u64(self.at).unwrap_or(0);
        self.at = self.at.add(8);
        value
    }
}

/// A format string ended inside a conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatError;

/// Reads a NUL-terminated narrow string (at most `max` bytes).
pub fn read_narrow(memory: &GuestMemory, at: VirtAddr, max: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut p = at;
    while out.len() < max {
        match memory.read_u8(p) {
            Ok(0) | Err(_) => break,
            Ok(b) => out.push(b),
        }
        p = p.add(1);
    }
    out
}

/// Reads a NUL-terminated big-endian UTF-16 string (at most `max` units).
pub fn read_wide(memory: &GuestMemory, at: VirtAddr, max: usize) -> Vec<u16> {
    let mut out = Vec::new();
    let mut p = at;
    while out.len() < max {
        match memory.read_u16(p) {
            Ok(0) | Err(_) => break,
            Ok(u) => out.push(u),
        }
        p = p.add(2);
    }
    out
}

/// Size modifier of a conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Size {
    Default,
    Char,
    Short,
    Long,
    LongLong,
    Wide,
}

#[derive(Clone, Copy, Debug, Default)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    precision: Option<usize>,
}

struct Cursor<'f> {
    units: &'f [u16],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self, ahead: usize) -> Option<u16> {
        self.units.get(self.pos + ahead).copied()
    }

    fn next(&mut self) -> Option<u16> {
        let u = self.peek(0)?;
        self.pos += 1;
        Some(u)
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek(0) == Some(c as u16) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
}

/// Formats `format` (code units, no terminator) with arguments from `args`.
/// `wide` selects the wide functions' meaning of `%s`/`%c`.
pub fn format(
    memory: &GuestMemory,
    format: &[u16],
    wide: bool,
    args: &mut dyn ArgSource,
) -> Result<Vec<u16>, FormatError> {
    let mut out: Vec<u16> = Vec::with_capacity(format.len() + 16);
    let mut f = Cursor { units: format, pos: 0 };
    while let Some(c) = f.next() {
        if c != b'%' as u16 {
            out.push(c);
            continue;
        }
        let spec_start = f.pos - 1;
        let mut spec = Spec::default();
        while let Some(flag) = f.peek(0).filter(|&u| u < 0x80).map(|u| u as u8) {
            match flag {
                b'-' => spec.left = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.alt = true,
                b'0' => spec.zero = true,
                _ => break,
            }
            f.pos += 1;
        }
        if f.eat(b'*') {
            let w = args.next_slot() as u32 as i32;
            if w < 0 {
                spec.left = true;
            }
            spec.width = w.unsigned_abs() as usize;
        } else {
            spec.width = read_number(&mut f);
        }
        if f.eat(b'.') {
            if f.eat(b'*') {
                let p = args.next_slot() as u32 as i32;
                spec.precision = (p >= 0).then_some(p as usize);
            } else {
                spec.precision = Some(read_number(&mut f));
            }
        }
        let size = read_size(&mut f);
        let Some(ty) = f.next() else { return Err(FormatError) };
        if ty == 0 {
            return Err(FormatError);
        }
        if spec.left {
            spec.zero = false;
        }
        let ty = if ty < 0x80 { ty as u8 as char } else { '\u{0}' };
        match ty {
            '%' => out.push(b'%' as u16),
            'd' | 'i' => {
                let v = signed_arg(args.next_slot(), size);
                integer(&mut out, &spec, v.unsigned_abs(), v < 0, true, 10, false);
            }
            'u' | 'o' | 'x' | 'X' => {
                let v = unsigned_arg(args.next_slot(), size);
                let radix = match ty {
                    'o' => 8,
                    'u' => 10,
                    _ => 16,
                };
                integer(&mut out, &spec, v, false, false, radix, ty == 'X');
            }
            'p' => {
                let v = args.next_slot() as u32 as u64;
                let spec = Spec { precision: Some(8), alt: false, plus: false, space: false, ..spec };
                integer(&mut out, &spec, v, false, false, 16, true);
            }
            'c' | 'C' => {
                let unit = args.next_slot() as u16;
                let is_wide = is_wide_conversion(size, ty == 'C', wide);
                let unit = if is_wide { unit } else { unit & 0xFF };
                pad(&mut out, &spec, &[], &[unit]);
            }
            's' | 'S' => {
                let ptr = args.next_slot() as u32;
                let is_wide = is_wide_conversion(size, ty == 'S', wide);
                let cap = spec.precision.unwrap_or(MAX_GUEST_STRING).min(MAX_GUEST_STRING);
                let text: Vec<u16> = if ptr == 0 {
                    "(null)".encode_utf16().take(cap).collect()
                } else if is_wide {
                    read_wide(memory, VirtAddr(ptr), cap)
                } else {
                    read_narrow(memory, VirtAddr(ptr), cap).into_iter().map(u16::from).collect()
                };
                pad(&mut out, &spec, &[], &text);
            }
            'Z' => {
                let ptr = args.next_slot() as u32;
                let is_wide = is_wide_conversion(size, false, wide);
                let text = counted_string(memory, ptr, is_wide, spec.precision);
                pad(&mut out, &spec, &[], &text);
            }
            'n' => {
                let ptr = VirtAddr(args.next_slot() as u32);
                let count = out.len() as u32;
                let _ = match size {
                    Size::Short | Size::Char => memory.write_u16(ptr, count as u16),
                    Size::LongLong => memory.write_u64(ptr, count as u64),
                    _ => memory.write_u32(ptr, count),
                };
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'a' | 'A' => {
                let v = f64::from_bits(args.next_slot());
                float(&mut out, &spec, v, ty);
            }
            _ => {
                // Unknown conversion: copy it as written.
                out.extend_from_slice(&format[spec_start..f.pos]);
            }
        }
    }
    Ok(out)
}

fn read_number(f: &mut Cursor<'_>) -> usize {
    let mut n: usize = 0;
    while let Some(d) = f.peek(0).filter(|&u| (b'0' as u16..=b'9' as u16).contains(&u)) {
        n = n.saturating_mul(10).saturating_add((d - b'0' as u16) as usize).min(1 << 20);
        f.pos += 1;
    }
    n
}

fn read_size(f: &mut Cursor<'_>) -> Size {
    let at = |f: &Cursor<'_>, i: usize, c: u8| f.peek(i) == Some(c as u16);
    if f.eat(b'h') {
        if f.eat(b'h') {
            Size::Char
        } else {
            Size::Short
        }
    } else if f.eat(b'l') {
        if f.eat(b'l') {
            Size::LongLong
        } else {
            Size::Long
        }
    } else if f.eat(b'L') || f.eat(b'j') {
        Size::LongLong
    } else if f.eat(b'w') {
        Size::Wide
    } else if f.eat(b'z') || f.eat(b't') {
        Size::Default
    } else if at(f, 0, b'I') {
        f.pos += 1;
        if at(f, 0, b'6') && at(f, 1, b'4') {
            f.pos += 2;
            Size::LongLong
        } else {
            if at(f, 0, b'3') && at(f, 1, b'2') {
                f.pos += 2;
            }
            Size::Default
        }
    } else {
        Size::Default
    }
}

fn signed_arg(slot: u64, size: Size) -> i64 {
    match size {
        Size::LongLong => slot as i64,
        Size::Short => slot as i16 as i64,
        Size::Char => slot as i8 as i64,
        _ => slot as i32 as i64,
    }
}

fn unsigned_arg(slot: u64, size: Size) -> u64 {
    match size {
        Size::LongLong => slot,
        Size::Short => slot as u16 as u64,
        Size::Char => slot as u8 as u64,
        _ => slot as u32 as u64,
    }
}

fn is_wide_conversion(size: Size, upper: bool, wide_function: bool) -> bool {
    match size {
        Size::Long | Size::Wide => true,
        Size::Short | Size::Char => false,
        _ => upper != wide_function,
    }
}

/// The text of an `ANSI_STRING`/`UNICODE_STRING` at `ptr`.
fn counted_string(memory: &GuestMemory, ptr: u32, wide: bool, precision: Option<usize>) -> Vec<u16> {
    let header = VirtAddr(ptr);
    let (Ok(len), Ok(buffer)) = (memory.read_u16(header), memory.read_u32(header.add(4))) else {
        return "(null)".encode_utf16().collect();
    };
    if ptr == 0 || buffer == 0 {
        return "(null)".encode_utf16().collect();
    }
    let cap = precision.unwrap_or(usize::MAX);
    if wide {
        (0..len as u32 / 2).map_while(|i| memory.read_u16(VirtAddr(buffer).add(2 * i)).ok()).take(cap).collect()
    } else {
        (0..len as u32).map_while(|i| memory.read_u8(VirtAddr(buffer).add(i)).ok()).take(cap).map(u16::from).collect()
    }
}

fn ascii(s: &str) -> Vec<u16> {
    s.bytes().map(u16::from).collect()
}

/// Writes `prefix` and `body` padded to the width.
fn pad(out: &mut Vec<u16>, spec: &Spec, prefix: &[u16], body: &[u16]) {
    let len = prefix.len() + body.len();
    let fill = spec.width.saturating_sub(len);
    if !spec.left && !spec.zero {
        out.extend(std::iter::repeat_n(b' ' as u16, fill));
    }
    out.extend_from_slice(prefix);
    if !spec.left && spec.zero {
        out.extend(std::iter::repeat_n(b'0' as u16, fill));
    }
    out.extend_from_slice(body);
    if spec.left {
        out.extend(std::iter::repeat_n(b' ' as u16, fill));
    }
}

fn sign_prefix(spec: &Spec, negative: bool) -> &'static str {
    if negative {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    }
}

fn integer(out: &mut Vec<u16>, spec: &Spec, value: u64, negative: bool, signed: bool, radix: u32, upper: bool) {
    let mut digits = match radix {
        8 => format!("{value:o}"),
        16 if upper => format!("{value:X}"),
        16 => format!("{value:x}"),
        _ => value.to_string(),
    };
    let precision = spec.precision.unwrap_or(1);
    if value == 0 && precision == 0 {
        digits.clear();
    }
    if digits.len() < precision {
        digits = "0".repeat(precision - digits.len()) + &digits;
    }
    let mut prefix = String::new();
    if signed {
        prefix.push_str(sign_prefix(spec, negative));
    }
    if spec.alt && value != 0 && radix == 16 {
        prefix.push_str(if upper { "0X" } else { "0x" });
    }
    if spec.alt && radix == 8 && !digits.starts_with('0') {
        digits.insert(0, '0');
    }
    let spec = Spec { zero: spec.zero && spec.precision.is_none(), ..*spec };
    pad(out, &spec, &ascii(&prefix), &ascii(&digits));
}

fn float(out: &mut Vec<u16>, spec: &Spec, value: f64, ty: char) {
    let upper = ty.is_ascii_uppercase();
    let negative = value.is_sign_negative() && !value.is_nan();
    let magnitude = value.abs();
    let prefix = sign_prefix(spec, negative);
    if !value.is_finite() {
        let text = if value.is_nan() { "nan" } else { "inf" };
        let text = if upper { text.to_ascii_uppercase() } else { text.to_owned() };
        let spec = Spec { zero: false, ..*spec };
        return pad(out, &spec, &ascii(prefix), &ascii(&text));
    }
    let body = match ty.to_ascii_lowercase() {
        'f' => fixed(magnitude, spec.precision.unwrap_or(6), spec.alt),
        'e' => exponential(magnitude, spec.precision.unwrap_or(6), spec.alt, upper),
        'g' => general(magnitude, spec.precision.unwrap_or(6), spec.alt, upper),
        _ => hex_float(magnitude, spec.precision, upper),
    };
    pad(out, spec, &ascii(prefix), &ascii(&body));
}

fn fixed(v: f64, precision: usize, alt: bool) -> String {
    let mut s = format!("{v:.precision$}");
    if alt && precision == 0 {
        s.push('.');
    }
    s
}

/// `d.ddde±XXX` with `precision` digits after the point.
fn exponential(v: f64, precision: usize, alt: bool, upper: bool) -> String {
    let s = format!("{v:.precision$e}");
    let (mantissa, exponent) = s.split_once('e').expect("Rust's exponent format has an e");
    let exponent: i32 = exponent.parse().expect("a decimal exponent");
    let mut m = mantissa.to_owned();
    if alt && precision == 0 {
        m.push('.');
    }
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{m}{}{sign}{:03}", if upper { 'E' } else { 'e' }, exponent.unsigned_abs())
}

fn general(v: f64, precision: usize, alt: bool, upper: bool) -> String {
    let p = precision.max(1);
    // The exponent after rounding to p significant digits decides the style.
    let x = if v == 0.0 {
        0
    } else {
        let s = format!("{v:.prec$e}", prec = p - 1);
        s.split_once('e').map_or(0, |(_, e)| e.parse::<i32>().unwrap_or(0))
    };
    let mut s = if (p as i32) > x && x >= -4 {
        fixed(v, (p as i32 - 1 - x) as usize, alt)
    } else {
        exponential(v, p - 1, alt, upper)
    };
    if !alt {
        // Trailing zeros of the fraction go, and a point left bare.
        let (num, exp) = match s.find(['e', 'E']) {
            Some(i) => (s[..i].to_owned(), s[i..].to_owned()),
            None => (s.clone(), String::new()),
        };
        let num = if num.contains('.') { num.trim_end_matches('0').trim_end_matches('.').to_owned() } else { num };
        s = num + &exp;
    }
    s
}

/// `0x1.hhhhp±d`: 13 hex digits unless a precision says otherwise.
fn hex_float(v: f64, precision: Option<usize>, upper: bool) -> String {
    let bits = v.to_bits();
    let raw_exp = ((bits >> 52) & 0x7FF) as i32;
    let mut mantissa = bits & ((1 << 52) - 1);
    let (mut lead, exp) = match (raw_exp, mantissa) {
        (0, 0) => (0u64, 0),
        (0, _) => (0, -1022),
        _ => (1, raw_exp - 1023),
    };
    let digits = precision.unwrap_or(13).min(13);
    if digits < 13 {
        // Round to nearest, ties to even, at the last kept hex digit.
        let drop = 4 * (13 - digits) as u32;
        let full = (lead << 52) | mantissa;
        let half = 1u64 << (drop - 1);
        let rest = full & ((1u64 << drop) - 1);
        let mut kept = full >> drop;
        if rest > half || (rest == half && kept & 1 == 1) {
            kept += 1;
        }
        let full = kept << drop;
        lead = full >> 52;
        mantissa = full & ((1 << 52) - 1);
    }
    let hex = format!("{mantissa:013x}");
    let frac = &hex[..digits];
    let point = if digits > 0 { "." } else { "" };
    let sign = if exp < 0 { '-' } else { '+' };
    let s = format!("0x{lead}{point}{frac}p{sign}{}", exp.unsigned_abs());
    if upper {
        s.to_ascii_uppercase()
    } else {
        s
    }
}

/// Narrow output: one byte per unit, `?` for units a byte cannot hold.
pub fn to_narrow(units: &[u16]) -> Vec<u8> {
    units.iter().map(|&u| if u <= 0xFF { u as u8 } else { b'?' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::Kernel;

    /// Arguments given directly as slots.
    struct Slots<'a>(std::slice::Iter<'a, u64>);

    impl ArgSource for Slots<'_> {
        fn next_slot(&mut self) -> u64 {
            self.0.next().copied().unwrap_or(0)
        }
    }

    fn fmt_in(k: &Kernel, f: &str, args: &[u64]) -> String {
        let units: Vec<u16> = f.encode_utf16().collect();
        let out = format(&k.memory, &units, false, &mut Slots(args.iter())).unwrap();
        String::from_utf16(&out).unwrap()
    }

    fn fmt(f: &str, args: &[u64]) -> String {
        fmt_in(&Kernel::for_tests(), f, args)
    }

    fn wide_fmt(k: &Kernel, f: &str, args: &[u64]) -> String {
        let units: Vec<u16> = f.encode_utf16().collect();
        let out = format(&k.memory, &units, true, &mut Slots(args.iter())).unwrap();
        String::from_utf16(&out).unwrap()
    }

    fn put_narrow(k: &Kernel, at: u32, s: &str) -> u64 {
        k.memory.write_bytes(VirtAddr(at), s.as_bytes()).unwrap();
        k.memory.write_u8(VirtAddr(at + s.len() as u32), 0).unwrap();
        at as u64
    }

    fn put_wide(k: &Kernel, at: u32, s: &str) -> u64 {
        let mut p = at;
        for u in s.encode_utf16().chain([0]) {
            k.memory.write_u16(VirtAddr(p), u).unwrap();
            p += 2;
        }
        at as u64
    }

    #[test]
    fn plain_text_and_percent_pass_through() {
        assert_eq!(fmt("hello, world\n", &[]), "hello, world\n");
        assert_eq!(fmt("100%% done", &[]), "100% done");
    }

    #[test]
    fn signed_and_unsigned_integers() {
        assert_eq!(fmt("%d %i %u", &[(-5i64) as u64, 42, 0xFFFF_FFFF]), "-5 42 4294967295");
        // Only the low 32 bits of a slot count without a size.
        assert_eq!(fmt("%d", &[0x1_0000_0007]), "7");
        assert_eq!(fmt("%ld %lu", &[(-1i64) as u64, (-1i64) as u64]), "-1 4294967295");
        assert_eq!(
            fmt("%lld %I64d %llu", &[(-3i64) as u64, 1 << 40, u64::MAX]),
            "-3 1099511627776 18446744073709551615"
        );
        assert_eq!(fmt("%hd %hu %hhd", &[0x1_FFFF, 0x1_FFFF, 0xFF]), "-1 65535 -1");
        assert_eq!(fmt("%I32d %Id", &[9, 10]), "9 10");
    }

    #[test]
    fn hex_octal_and_pointers() {
        assert_eq!(fmt("%x %X %o", &[0xBEEF, 0xBEEF, 8]), "beef BEEF 10");
        assert_eq!(fmt("%#x %#X %#o %#x", &[255, 255, 8, 0]), "0xff 0XFF 010 0");
        assert_eq!(fmt("%08x|%016llx", &[0x1234, 0xDEAD_BEEF_0000]), "00001234|0000deadbeef0000");
        assert_eq!(fmt("%p", &[0x8200_1234]), "82001234");
        assert_eq!(fmt("%p", &[0x10]), "00000010");
        assert_eq!(fmt("%#010x", &[0x1F]), "0x0000001f");
    }

    #[test]
    fn flags_width_and_precision() {
        assert_eq!(fmt("[%5d][%-5d][%05d]", &[42, 42, 42]), "[   42][42   ][00042]");
        assert_eq!(fmt("[%+d][% d][%+d]", &[3, 3, (-3i64) as u64]), "[+3][ 3][-3]");
        assert_eq!(fmt("[%05d]", &[(-42i64) as u64]), "[-0042]");
        assert_eq!(fmt("[%.3d][%8.3d][%08.3d]", &[7, 7, 7]), "[007][     007][     007]");
        assert_eq!(fmt("[%.0d][%.0x]", &[0, 0]), "[][]");
        assert_eq!(fmt("[%-05d]", &[1]), "[1    ]");
        assert_eq!(fmt("[%*d][%-*d][%*d]", &[4, 1, 4, 2, (-4i64) as u64, 3]), "[   1][2   ][3   ]");
        assert_eq!(fmt("[%.*d]", &[3, 5]), "[005]");
        assert_eq!(fmt("[%.*d]", &[(-1i64) as u64, 5]), "[5]");
        assert_eq!(fmt("[%+u]", &[5]), "[5]");
    }

    #[test]
    fn characters_and_strings() {
        let k = Kernel::for_tests();
        let s = put_narrow(&k, 0x1000, "abcdef");
        let w = put_wide(&k, 0x2000, "wide\u{e9}");
        assert_eq!(fmt_in(&k, "%c%c", &[b'o' as u64, b'k' as u64 | 0x100]), "ok");
        assert_eq!(fmt_in(&k, "[%s][%.3s][%8s][%-8s]", &[s, s, s, s]), "[abcdef][abc][  abcdef][abcdef  ]");
        assert_eq!(fmt_in(&k, "[%S][%ls][%ws][%hs]", &[w, w, w, s]), "[wide\u{e9}][wide\u{e9}][wide\u{e9}][abcdef]");
        assert_eq!(fmt_in(&k, "[%s][%.2s]", &[0, 0]), "[(null)][(n]");
        assert_eq!(fmt_in(&k, "%C%lc", &[0x263A, 0x263B]), "\u{263A}\u{263B}");
    }

    #[test]
    fn wide_functions_swap_the_meaning_of_s_and_c() {
        let k = Kernel::for_tests();
        let s = put_narrow(&k, 0x1000, "narrow");
        let w = put_wide(&k, 0x2000, "wide");
        assert_eq!(wide_fmt(&k, "%s|%S|%hs|%ls", &[w, s, s, w]), "wide|narrow|narrow|wide");
        assert_eq!(wide_fmt(&k, "%c%C", &[0x263A, b'x' as u64 | 0x100]), "\u{263A}x");
    }

    #[test]
    fn counted_strings_print_their_length_not_their_terminator() {
        let k = Kernel::for_tests();
        put_narrow(&k, 0x1100, "counted!");
        k.memory.write_u16(VirtAddr(0x1000), 7).unwrap();
        k.memory.write_u16(VirtAddr(0x1002), 9).unwrap();
        k.memory.write_u32(VirtAddr(0x1004), 0x1100).unwrap();
        assert_eq!(fmt_in(&k, "<%Z>", &[0x1000]), "<counted>");
        put_wide(&k, 0x2100, "uni!");
        k.memory.write_u16(VirtAddr(0x2000), 6).unwrap();
        k.memory.write_u32(VirtAddr(0x2004), 0x2100).unwrap();
        assert_eq!(fmt_in(&k, "<%wZ>", &[0x2000]), "<uni>");
        assert_eq!(fmt_in(&k, "<%Z>", &[0]), "<(null)>");
    }

    #[test]
    fn n_stores_the_count_so_far() {
        let k = Kernel::for_tests();
        assert_eq!(fmt_in(&k, "abc%nde%hn", &[0x3000, 0x3010]), "abcde");
        assert_eq!(k.memory.read_u32(VirtAddr(0x3000)).unwrap(), 3);
        assert_eq!(k.memory.read_u16(VirtAddr(0x3010)).unwrap(), 5);
    }

    #[test]
    fn floating_point_in_all_styles() {
        let f = |v: f64| v.to_bits();
        assert_eq!(fmt("%f %.2f %.0f %#.0f", &[f(1.5), f(2.375), f(2.5), f(3.0)]), "1.500000 2.38 2 3.");
        assert_eq!(fmt("%e %.2E", &[f(150.0), f(-0.000123)]), "1.500000e+002 -1.23E-004");
        assert_eq!(
            fmt("%g %g %g %g", &[f(100.0), f(0.0001), f(1e-5), f(123456789.0)]),
            "100 0.0001 1e-005 1.23457e+008"
        );
        assert_eq!(fmt("%.3g %#g %G", &[f(1.23456), f(2.0), f(1e20)]), "1.23 2.00000 1E+020");
        assert_eq!(fmt("[%8.2f][%-8.2f][%08.2f][%+.1f]", &[f(1.23456); 4]), "[    1.23][1.23    ][00001.23][+1.2]");
        assert_eq!(fmt("%f %f %F", &[f(f64::INFINITY), f(f64::NEG_INFINITY), f(f64::NAN)]), "inf -inf NAN");
        assert_eq!(
            fmt("%a %.1a %A", &[f(1.0), f(1.5), f(-2.0)]),
            "0x1.0000000000000p+0 0x1.8p+0 -0X1.0000000000000P+1"
        );
        assert_eq!(fmt("%g", &[f(0.0)]), "0");
    }

    #[test]
    fn a_format_ending_inside_a_conversion_is_an_error_and_unknown_ones_are_copied() {
        let k = Kernel::for_tests();
        let units: Vec<u16> = "abc %-5".encode_utf16().collect();
        assert_eq!(format(&k.memory, &units, false, &mut Slots([].iter())), Err(FormatError));
        assert_eq!(fmt("a %y b %-3k", &[]), "a %y b %-3k");
    }

    #[test]
    fn call_and_va_list_sources_read_the_guest_abi_slots() {
        let k = Kernel::for_tests();
        let va = VirtAddr(0x4000);
        k.memory.write_u64(va, 7).unwrap();
        k.memory.write_u64(va.add(8), (-2i64) as u64).unwrap();
        let units: Vec<u16> = "%d %d".encode_utf16().collect();
        let out = format(&k.memory, &units, false, &mut VaList::new(&k.memory, va)).unwrap();
        assert_eq!(to_narrow(&out), b"7 -2");
        let call = crate::dispatch::Call {
            thread: 1,
            export: 0,
            args: shared::ipc::kernel::CallArgs { gpr: [0, 0, 11, 12, 0, 0, 0, 0], fpr: [0; 4], sp: 0, lr: 0 },
        };
        let out = format(&k.memory, &units, false, &mut CallArgs::new(&k.memory, call, 2)).unwrap();
        assert_eq!(to_narrow(&out), b"11 12");
    }

    #[test]
    fn narrow_output_replaces_units_above_a_byte() {
        assert_eq!(to_narrow(&[b'a' as u16, 0xE9, 0x263A]), vec![b'a', 0xE9, b'?']);
    }
}
