//! Locale, country and language names: `XamGetLocale`, `XamGetLocaleEx`,
//! `XamGetCountryString`, `XamGetLanguageString`, `XamGetLocaleString`,
//! the `XamGetOnline*` conversions, `XamFormatDateString`,
//! `XamFormatTimeString`.
//!
//! Countries, locales and languages are small numbers indexing the tables
//! below (ISO codes; numbering as xenia's `xam_locale.cc` records it). The
//! "online" numbering extends the console's country list (its first 111
//! entries are the same) with the countries Xbox Live added later. The
//! console's country is its XConfig user country (the United States, as
//! [`crate::xconfig`] reports); dates and times are formatted as a US
//! console does, in the console's time zone (UTC).

use super::{error, info, write_utf16};
use crate::kernel::Kernel;
use shared::memory::VirtAddr;

/// The console's XConfig country: the United States.
pub const CONSOLE_COUNTRY: u8 = 103;

/// Country codes by country id, two letters each; `--` marks ids with none.
const COUNTRIES: &str =
    "ZZAEALAMARATAUAZBEBGBHBNBOBRBYBZCA--CHCLCNCOCRCZDEDKDODZECEEEGESFIFOFRGBGEGRGTHKHNHRHUIDIEILINIQIRISITJM\
JOJPKEKGKRKWKZLBLILTLULVLYMAMCMKMNMOMVMXMYNINLNONZOMPAPEPHPKPLPRPTPYQARORUSASESGSISK--SVSYTHTNTRTTTWUAUS\
UYUZVEVNYEZAZW";
/// The countries only the online numbering has (ids 111 on); the last is "unknown".
const ONLINE_EXTRA_COUNTRIES: &str =
    "AF--ADAOAI--AGAWBSBDBBBJBMBTBABWBFBIKHCMCVKYCFTDCXCCKMCGCDCKCICYDJDM--GQERETFKFJGFPFGAGMGHGIGLGDGP--GGGN\
GWGYHTJEKILALSLRMGMWMLMTMHMQMRMUYTFMMDMEMSMZMMNANRNPANNCNENGNUNF--PWPSPGPNRERWWSSMSTSNRSSCSLSBSOLKSHKNLC\
PMVCSRSZTJTZTLTGTKTOTMTCTVUGVUVA--VGWFEHZMZZ";
/// Locale codes by locale id.
const LOCALES: &str = "ZZAUATBEBRCACLCNCOCZDKFIFRDEGRHKHUINIEITJPKRMXNLNZNOPLPTSGSKZAESSECHTWGBUSRUZZTRARSAILAE";
/// Language codes by language id.
const LANGUAGES: &str = "zzenjadefresitkozhpt--plrusvtrnbnlzh";
/// Language codes by online language id.
const ONLINE_LANGUAGES: &str =
    "zzenjadefresitkozhptzhplrudafinbnlsvcselhuskidmsarbgethrheiskkltlvroslthtrukvipssqhybnbekmamfokaklswkylb\
mkmtmnneurrwwositk";
/// The locale of each country id (0 when the country has no locale of its own).
const LOCALE_OF_COUNTRY: [u8; 112] = [
    0, 43, 0, 0, 40, 2, 1, 0, 3, 0, 0, 0, 0, 4, 0, 0, 5, 0, 33, 6, 7, 8, 0, 9, 13, 10, 0, 0, 0, 0, 0, 31, 11, 0, 12,
    35, 0, 14, 0, 15, 0, 0, 16, 0, 18, 42, 17, 0, 0, 0, 19, 0, 0, 20, 0, 0, 21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 22, 0, 0, 23, 25, 24, 0, 0, 0, 0, 0, 26, 0, 27, 0, 0, 0, 37, 41, 32, 28, 0, 29, 0, 0, 0, 0, 0, 39, 0, 34, 0, 36,
    0, 0, 0, 0, 0, 30, 0, 38,
];
/// The online country id of each locale id.
const ONLINE_COUNTRY_OF_LOCALE: [u8; 44] = [
    2, 6, 5, 8, 13, 16, 19, 20, 21, 23, 25, 32, 34, 24, 37, 39, 42, 46, 44, 50, 53, 56, 71, 74, 76, 75, 82, 84, 91, 93,
    109, 31, 90, 18, 101, 35, 103, 88, 236, 99, 4, 89, 45, 1,
];
/// The console language of each online language id (English when none fits).
const LANGUAGE_OF_ONLINE_LANGUAGE: [u8; 61] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 17, 11, 12, 1, 1, 15, 16, 13, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    14, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
];
/// The online id of "unknown country".
const ONLINE_COUNTRY_UNKNOWN: u32 = 236;
/// The country id of "unknown country".
const COUNTRY_UNKNOWN: u32 = 111;

/// Entry `id` of a table of two-letter codes (`--` is none).
fn code(table: &str, id: u32) -> Option<&str> {
    let at = id as usize * 2;
    table.get(at..at + 2).filter(|c| *c != "--")
}

fn country_code(id: u32) -> Option<&'static str> {
    if id == COUNTRY_UNKNOWN {
        Some("ZZ")
    } else {
        code(COUNTRIES, id)
    }
}

fn online_country_code(id: u32) -> Option<&'static str> {
    match id.checked_sub(COUNTRY_UNKNOWN) {
        None => code(COUNTRIES, id),
        Some(extra) => code(ONLINE_EXTRA_COUNTRIES, extra),
    }
}

/// Copies `text` and its terminator into a buffer of `capacity` units: the
/// HRESULT the string exports return.
fn put_string(kernel: &Kernel, text: Option<&str>, capacity: u32, buffer: Option<VirtAddr>) -> u32 {
    if capacity >= 0x8000_0000 {
        return error::E_INVALIDARG;
    }
    let Some(text) = text else { return error::E_NOT_FOUND };
    if text.len() as u32 + 1 > capacity {
        return error::hresult(error::INSUFFICIENT_BUFFER);
    }
    match buffer {
        Some(b) if write_utf16(&kernel.memory, b, text, capacity) => error::SUCCESS,
        _ => error::E_INVALIDARG,
    }
}

/// The console's locale, limited to the ids a title knows (`max_country`,
/// `max_locale`); past them, one chosen by the game region.
fn locale(max_country: u32, max_locale: u32) -> u32 {
    let country = u32::from(CONSOLE_COUNTRY);
    if country <= max_country {
        let locale = u32::from(LOCALE_OF_COUNTRY[country as usize]);
        if locale <= max_locale {
            return locale;
        }
    }
    let region = info::GAME_REGION;
    match (region >> 8) & 0xFF {
        1 if region == 0x101 => 20, // Japan
        1 => 21,                    // Korea
        2 => 35,                    // Great Britain
        _ => 36,                    // United States
    }
}

/// `XamGetLocale()`.
pub fn xam_get_locale(_kernel: &mut Kernel) -> u32 {
    locale(COUNTRY_UNKNOWN, 43)
}

/// `XamGetLocaleEx(MaxCountryId, MaxLocaleId)`.
pub fn xam_get_locale_ex(_kernel: &mut Kernel, max_country: u32, max_locale: u32) -> u32 {
    locale(max_country & 0xFF, max_locale & 0xFF)
}

/// `XamGetCountryString(CountryId, BufferLength, Buffer)`.
pub fn xam_get_country_string(kernel: &mut Kernel, id: u32, length: u32, buffer: Option<VirtAddr>) -> u32 {
    put_string(kernel, country_code(id & 0xFF), length, buffer)
}

/// `XamGetOnlineCountryString(OnlineCountryId, BufferLength, Buffer)`.
pub fn xam_get_online_country_string(kernel: &mut Kernel, id: u32, length: u32, buffer: Option<VirtAddr>) -> u32 {
    put_string(kernel, online_country_code(id & 0xFF), length, buffer)
}

/// `XamGetLanguageString(LanguageId, BufferLength, Buffer)`.
pub fn xam_get_language_string(kernel: &mut Kernel, id: u32, length: u32, buffer: Option<VirtAddr>) -> u32 {
    put_string(kernel, code(LANGUAGES, id & 0xFF), length, buffer)
}

/// `XamGetOnlineLanguageString(OnlineLanguageId, BufferLength, Buffer)`.
pub fn xam_get_online_language_string(kernel: &mut Kernel, id: u32, length: u32, buffer: Option<VirtAddr>) -> u32 {
    put_string(kernel, code(ONLINE_LANGUAGES, id & 0xFF), length, buffer)
}

/// `XamGetLocaleString(LocaleId, BufferLength, Buffer)`.
pub fn xam_get_locale_string(kernel: &mut Kernel, id: u32, length: u32, buffer: Option<VirtAddr>) -> u32 {
    put_string(kernel, code(LOCALES, id & 0xFF), length, buffer)
}

/// `XamGetOnlineCountryFromLocale(LocaleId)` (0 for an unknown locale).
pub fn xam_get_online_country_from_locale(_kernel: &mut Kernel, id: u32) -> u32 {
    ONLINE_COUNTRY_OF_LOCALE.get((id & 0xFF) as usize).map_or(0, |&c| u32::from(c))
}

/// `XamGetLocaleFromOnlineCountry(OnlineCountryId)`.
pub fn xam_get_locale_from_online_country(_kernel: &mut Kernel, id: u32) -> u32 {
    match id & 0xFF {
        ONLINE_COUNTRY_UNKNOWN => u32::from(LOCALE_OF_COUNTRY[COUNTRY_UNKNOWN as usize]),
        i if i < COUNTRY_UNKNOWN => u32::from(LOCALE_OF_COUNTRY[i as usize]),
        _ => 0,
    }
}

/// `XamGetCountryFromOnlineCountry(OnlineCountryId)`: the same id for the
/// console's countries, "unknown" for the unknown one, else 0.
pub fn xam_get_country_from_online_country(_kernel: &mut Kernel, id: u32) -> u32 {
    match id & 0xFF {
        ONLINE_COUNTRY_UNKNOWN => COUNTRY_UNKNOWN,
        i if i < COUNTRY_UNKNOWN && code(COUNTRIES, i).is_some() => i,
        _ => 0,
    }
}

/// `XamGetLanguageFromOnlineLanguage(OnlineLanguageId)`.
pub fn xam_get_language_from_online_language(_kernel: &mut Kernel, id: u32) -> u32 {
    LANGUAGE_OF_ONLINE_LANGUAGE.get((id & 0xFF) as usize).map_or(0, |&l| u32::from(l))
}

/// (year, month, day, hour, minute) of an NT time (100 ns since 1601), UTC.
fn civil(filetime: u64) -> (i64, u32, u32, u32, u32) {
    let secs = (filetime / 10_000_000) as i64 - 11_644_473_600;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, (rem / 3600) as u32, (rem % 3600 / 60) as u32)
}

/// `XamFormatDateString(Flags, FileTime, Buffer, Count)`: `MM/DD/YYYY`.
pub fn xam_format_date_string(kernel: &mut Kernel, _flags: u32, filetime: u64, buffer: Option<VirtAddr>, count: u32) {
    let Some(buffer) = buffer else { return };
    let (y, mo, d, _, _) = civil(filetime);
    let _ = kernel.memory.fill(buffer, count.saturating_mul(2), 0);
    write_utf16(&kernel.memory, buffer, &format!("{mo:02}/{d:02}/{y}"), count);
}

/// `XamFormatTimeString(Flags, FileTime, Buffer, Count)`: `HH:MM`.
pub fn xam_format_time_string(kernel: &mut Kernel, _flags: u32, filetime: u64, buffer: Option<VirtAddr>, count: u32) {
    let Some(buffer) = buffer else { return };
    let (_, _, _, h, mi) = civil(filetime);
    let _ = kernel.memory.fill(buffer, count.saturating_mul(2), 0);
    write_utf16(&kernel.memory, buffer, &format!("{h:02}:{mi:02}"), count);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xam::read_utf16;

    #[test]
    fn the_tables_have_the_consoles_sizes() {
        assert_eq!(COUNTRIES.len(), 2 * 111);
        assert_eq!(ONLINE_EXTRA_COUNTRIES.len(), 2 * (237 - 111));
        assert_eq!(LOCALES.len(), 2 * 44);
        assert_eq!(LANGUAGES.len(), 2 * 18);
        assert_eq!(ONLINE_LANGUAGES.len(), 2 * 61);
    }

    #[test]
    fn a_us_console_is_in_the_us_locale() {
        let mut k = Kernel::for_tests();
        // The country agrees with what ExGetXConfigSetting reports.
        let out = VirtAddr(0x1000);
        crate::xconfig::ex_get_xconfig_setting(&mut k, 3, 0x0E, Some(out), 1, None);
        assert_eq!(k.memory.read_u8(out).unwrap(), CONSOLE_COUNTRY);
        assert_eq!(xam_get_locale(&mut k), 36);
        assert_eq!(xam_get_locale_ex(&mut k, 50, 43), 36, "falls back on the region");
        let buf = VirtAddr(0x2000);
        assert_eq!(xam_get_locale_string(&mut k, 36, 3, Some(buf)), 0);
        assert_eq!(read_utf16(&k.memory, buf, 8).unwrap(), "US");
        assert_eq!(xam_get_country_string(&mut k, 103, 3, Some(buf)), 0);
        assert_eq!(read_utf16(&k.memory, buf, 8).unwrap(), "US");
        assert_eq!(xam_get_language_string(&mut k, 1, 3, Some(buf)), 0);
        assert_eq!(read_utf16(&k.memory, buf, 8).unwrap(), "en");
    }

    #[test]
    fn strings_report_missing_ids_and_small_buffers() {
        let mut k = Kernel::for_tests();
        let at = VirtAddr(0x2000);
        let buf = Some(at);
        assert_eq!(xam_get_country_string(&mut k, 17, 3, buf), 0x8007_0490);
        assert_eq!(xam_get_country_string(&mut k, 200, 3, buf), 0x8007_0490);
        assert_eq!(xam_get_country_string(&mut k, 1, 2, buf), 0x8007_007A);
        assert_eq!(xam_get_language_string(&mut k, 1, 0x8000_0000, buf), error::E_INVALIDARG);
        assert_eq!(xam_get_online_country_string(&mut k, 236, 3, buf), 0);
        assert_eq!(read_utf16(&k.memory, at, 8).unwrap(), "ZZ");
        assert_eq!(xam_get_online_country_string(&mut k, 111, 3, buf), 0);
        assert_eq!(read_utf16(&k.memory, at, 8).unwrap(), "AF");
        assert_eq!(xam_get_online_language_string(&mut k, 13, 3, buf), 0);
        assert_eq!(read_utf16(&k.memory, at, 8).unwrap(), "da");
    }

    #[test]
    fn online_ids_convert_both_ways() {
        let mut k = Kernel::for_tests();
        assert_eq!(xam_get_online_country_from_locale(&mut k, 36), 103);
        assert_eq!(xam_get_locale_from_online_country(&mut k, 103), 36);
        assert_eq!(xam_get_locale_from_online_country(&mut k, 236), 38);
        assert_eq!(xam_get_country_from_online_country(&mut k, 236), 111);
        assert_eq!(xam_get_country_from_online_country(&mut k, 94), 0);
        assert_eq!(xam_get_country_from_online_country(&mut k, 35), 35);
        assert_eq!(xam_get_language_from_online_language(&mut k, 36), 14);
    }

    #[test]
    fn dates_and_times_format_as_a_us_console() {
        let mut k = Kernel::for_tests();
        // 2024-02-29 13:05:00 UTC.
        let ft = (1_709_211_900u64 + 11_644_473_600) * 10_000_000;
        let buf = VirtAddr(0x3000);
        xam_format_date_string(&mut k, 0, ft, Some(buf), 16);
        assert_eq!(read_utf16(&k.memory, buf, 16).unwrap(), "02/29/2024");
        xam_format_time_string(&mut k, 0, ft, Some(buf), 16);
        assert_eq!(read_utf16(&k.memory, buf, 16).unwrap(), "13:05");
    }
}
