//! Time: `KeQuerySystemTime`, `KeQueryInterruptTime`,
//! `KeQueryPerformanceFrequency`, `RtlTimeToTimeFields`,
//! `RtlTimeFieldsToTime`.
//!
//! NT time counts 100 ns intervals since 1601-01-01 00:00 UTC. `TIME_FIELDS`
//! is eight big-endian `u16`s: year, month (1–12), day (1–31), hour, minute,
//! second, milliseconds, weekday (0 = Sunday).

use crate::clock::{EPOCH_1601_TO_1970, PERFORMANCE_FREQUENCY};
use crate::kernel::Kernel;
use crate::mm::access::GuestAccess;
use shared::memory::VirtAddr;

const TICKS_PER_MS: u64 = 10_000;
const TICKS_PER_DAY: u64 = 86_400 * 1_000 * TICKS_PER_MS;
/// Days from 1601-01-01 to 1970-01-01.
const DAYS_1601_TO_1970: i64 = (EPOCH_1601_TO_1970 / TICKS_PER_DAY) as i64;

/// A calendar date and time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TimeFields {
    pub year: u16,
    pub month: u16,
    pub day: u16,
    pub hour: u16,
    pub minute: u16,
    pub second: u16,
    pub milliseconds: u16,
    pub weekday: u16,
}

/// Proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u16, u16) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u16;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u16;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Day count since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u16, day: u16) -> i64 {
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: u16) -> u16 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

impl TimeFields {
    /// The fields of an NT time.
    pub fn from_time(time: u64) -> TimeFields {
        let days = (time / TICKS_PER_DAY) as i64;
        let in_day = time % TICKS_PER_DAY;
        let (year, month, day) = civil_from_days(days - DAYS_1601_TO_1970);
        let ms = in_day / TICKS_PER_MS;
        TimeFields {
            year: year as u16,
            month,
            day,
            hour: (ms / 3_600_000) as u16,
            minute: (ms / 60_000 % 60) as u16,
            second: (ms / 1000 % 60) as u16,
            milliseconds: (ms % 1000) as u16,
            // 1601-01-01 was a Monday.
            weekday: ((days + 1) % 7) as u16,
        }
    }

    /// The NT time of these fields (the weekday is ignored); None when a
    /// field is out of range.
    pub fn to_time(self) -> Option<u64> {
        let valid = self.year >= 1601
            && (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year as i64, self.month)
            && self.hour < 24
            && self.minute < 60
            && self.second < 60
            && self.milliseconds < 1000;
        if !valid {
            return None;
        }
        let days = (days_from_civil(self.year as i64, self.month, self.day) + DAYS_1601_TO_1970) as u64;
        let ms =
            ((self.hour as u64 * 60 + self.minute as u64) * 60 + self.second as u64) * 1000 + self.milliseconds as u64;
        Some(days * TICKS_PER_DAY + ms * TICKS_PER_MS)
    }

    fn words(self) -> [u16; 8] {
        [self.year, self.month, self.day, self.hour, self.minute, self.second, self.milliseconds, self.weekday]
    }
}

/// `KeQuerySystemTime(PLARGE_INTEGER CurrentTime)`.
pub fn ke_query_system_time(kernel: &mut Kernel, out: VirtAddr) {
    let now = kernel.clock.system_time();
    let _ = kernel.memory.w64(out, now);
}

/// `KeQueryInterruptTime()`: 100 ns units since the session started.
pub fn ke_query_interrupt_time(kernel: &mut Kernel) -> u64 {
    (kernel.clock.elapsed().as_nanos() / 100) as u64
}

/// `KeQueryPerformanceFrequency()`.
pub fn ke_query_performance_frequency(_kernel: &mut Kernel) -> u64 {
    PERFORMANCE_FREQUENCY
}

/// `RtlTimeToTimeFields(PLARGE_INTEGER Time, PTIME_FIELDS TimeFields)`.
pub fn rtl_time_to_time_fields(kernel: &mut Kernel, time: VirtAddr, fields: VirtAddr) {
    let Ok(t) = kernel.memory.r64(time) else { return };
    for (i, w) in TimeFields::from_time(t).words().into_iter().enumerate() {
        let _ = kernel.memory.w16(fields.add(2 * i as u32), w);
    }
}

/// `RtlTimeFieldsToTime(PTIME_FIELDS TimeFields, PLARGE_INTEGER Time)`:
/// false when a field is out of range.
pub fn rtl_time_fields_to_time(kernel: &mut Kernel, fields: VirtAddr, time: VirtAddr) -> bool {
    let mut w = [0u16; 8];
    for (i, slot) in w.iter_mut().enumerate() {
        match kernel.memory.r16(fields.add(2 * i as u32)) {
            Ok(v) => *slot = v,
            Err(_) => return false,
        }
    }
    let f = TimeFields {
        year: w[0],
        month: w[1],
        day: w[2],
        hour: w[3],
        minute: w[4],
        second: w[5],
        milliseconds: w[6],
        weekday: w[7],
    };
    match f.to_time() {
        Some(t) => kernel.memory.w64(time, t).is_ok(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(
        year: u16,
        month: u16,
        day: u16,
        hour: u16,
        minute: u16,
        second: u16,
        ms: u16,
        weekday: u16,
    ) -> TimeFields {
        TimeFields { year, month, day, hour, minute, second, milliseconds: ms, weekday }
    }

    #[test]
    fn known_instants_convert_both_ways() {
        // The NT epoch: Monday 1601-01-01.
        assert_eq!(TimeFields::from_time(0), fields(1601, 1, 1, 0, 0, 0, 0, 1));
        // The Unix epoch: Thursday 1970-01-01.
        assert_eq!(TimeFields::from_time(EPOCH_1601_TO_1970), fields(1970, 1, 1, 0, 0, 0, 0, 4));
        // 2005-11-22 12:34:56.789, a Tuesday (the console's launch day).
        let t = EPOCH_1601_TO_1970 + 1_132_662_896_789 * TICKS_PER_MS;
        let f = TimeFields::from_time(t);
        assert_eq!(f, fields(2005, 11, 22, 12, 34, 56, 789, 2));
        assert_eq!(f.to_time(), Some(t));
        // A leap day.
        let leap = fields(2024, 2, 29, 23, 59, 59, 999, 4);
        assert_eq!(TimeFields::from_time(leap.to_time().unwrap()), leap);
    }

    #[test]
    fn out_of_range_fields_are_refused() {
        assert_eq!(fields(1600, 12, 31, 0, 0, 0, 0, 0).to_time(), None);
        assert_eq!(fields(2023, 2, 29, 0, 0, 0, 0, 0).to_time(), None);
        assert_eq!(fields(2024, 13, 1, 0, 0, 0, 0, 0).to_time(), None);
        assert_eq!(fields(2024, 1, 1, 24, 0, 0, 0, 0).to_time(), None);
        assert_eq!(fields(2024, 1, 1, 0, 0, 0, 1000, 0).to_time(), None);
        assert_eq!(fields(1900, 2, 29, 0, 0, 0, 0, 0).to_time(), None);
        assert!(fields(2000, 2, 29, 0, 0, 0, 0, 0).to_time().is_some());
    }

    #[test]
    fn the_exports_read_and_write_guest_structures() {
        let mut k = Kernel::for_tests();
        let (time, out, back) = (VirtAddr(0x1000), VirtAddr(0x1010), VirtAddr(0x1020));
        k.memory.write_u64(time, EPOCH_1601_TO_1970 + 86_400 * 1000 * TICKS_PER_MS).unwrap();
        rtl_time_to_time_fields(&mut k, time, out);
        let words: Vec<u16> = (0..8).map(|i| k.memory.read_u16(out.add(2 * i)).unwrap()).collect();
        assert_eq!(words, [1970, 1, 2, 0, 0, 0, 0, 5]);
        assert!(rtl_time_fields_to_time(&mut k, out, back));
        assert_eq!(k.memory.read_u64(back).unwrap(), k.memory.read_u64(time).unwrap());
        k.memory.write_u16(out.add(2), 0).unwrap();
        assert!(!rtl_time_fields_to_time(&mut k, out, back));
    }

    #[test]
    fn clocks_report_time_and_frequency() {
        let mut k = Kernel::for_tests();
        ke_query_system_time(&mut k, VirtAddr(0x1000));
        let year = TimeFields::from_time(k.memory.read_u64(VirtAddr(0x1000)).unwrap()).year;
        assert!(year >= 2024, "{year}");
        assert_eq!(ke_query_performance_frequency(&mut k), 50_000_000);
        let a = ke_query_interrupt_time(&mut k);
        assert!(ke_query_interrupt_time(&mut k) >= a);
    }
}
