//! Instants as text: RFC 3339 date-times read (response members,
//! credentials' expiration, `X-Amz-Date`) and written (in UTC), and HTTP
//! dates read (a `Date` header, for clock skew).
//!
//! The results are those of `aws-smithy-types`' `DateTime::from_str` with
//! `Format::DateTime`, `Format::DateTimeWithOffset` and `Format::HttpDate`,
//! and of `DateTime::fmt` with `Format::DateTime` (which use the `time`
//! crate), quirks included; the property tests in `tests/properties.rs`
//! hold both to the same answers. Those parsers and formatters cost the
//! shipped .wasm about 5 KB (brotli, `scripts/bench-size.sh`); this is a
//! fraction of that. The messages are the console's own.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Whether an RFC 3339 date-time may carry a numeric offset (`+02:00`) or
/// must be in UTC (`Z`), as Smithy's `date-time` requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offsets {
    /// Only `Z`.
    Forbidden,
    /// `Z`, `z` or `±HH:MM`.
    Allowed,
}

/// Reads an RFC 3339 date-time such as `2026-11-28T21:31:42.5Z`; with
/// [`Offsets::Allowed`] also `2026-11-28T22:31:42+01:00`. The error says
/// what is wrong, for a message.
pub fn parse_rfc3339(s: &str, offsets: Offsets) -> Result<SystemTime, String> {
    if offsets == Offsets::Forbidden && !s.ends_with('Z') {
        return Err("it must be in UTC, ending in `Z`".to_owned());
    }
    let b = s.as_bytes();
    if b.len() > 10 && !matches!(b[10], b'T' | b't') {
        return Err("the date and the time must be separated by `T`".to_owned());
    }
    let mut at = Cursor(b);
    let year = at.digits(4, "year")?;
    at.literal(b'-')?;
    let month = at.digits(2, "month")?;
    at.literal(b'-')?;
    let day = at.digits(2, "day")?;
    if at.0.is_empty() {
        return Err("the time is missing".to_owned());
    }
    at.0 = &at.0[1..];
    let hour = at.digits(2, "hour")?;
    at.literal(b':')?;
    let minute = at.digits(2, "minute")?;
    at.literal(b':')?;
    let mut second = at.digits(2, "second")?;
    let mut nanos = 0;
    if at.0.first() == Some(&b'.') {
        at.0 = &at.0[1..];
        let digits = at.0.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return Err("a digit must follow the `.` of the seconds".to_owned());
        }
        let mut place = 100_000_000;
        for c in &at.0[..digits] {
            nanos += u32::from(c - b'0') * place;
            place /= 10;
        }
        at.0 = &at.0[digits..];
    }
    let offset_seconds = match at.0.first() {
        Some(b'Z' | b'z') => {
            at.0 = &at.0[1..];
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            at.0 = &at.0[1..];
            let hours = at.digits(2, "offset")?;
            at.literal(b':')?;
            let minutes = at.digits(2, "offset")?;
            if hours > 23 || minutes > 59 {
                return Err("its offset is not between -23:59 and +23:59".to_owned());
            }
            let seconds = i64::from(hours * 3600 + minutes * 60);
            if sign == b'-' { -seconds } else { seconds }
        }
        _ => return Err("`Z` or an offset such as `+02:00` must follow the time".to_owned()),
    };
    if !at.0.is_empty() {
        return Err("something follows the time zone".to_owned());
    }
    // A leap second (`:60`) counts as the nanosecond before it, and only
    // where one can be: at 23:59:60 UTC on the last day of a month.
    let leap = second == 60;
    if leap {
        second = 59;
        nanos = 999_999_999;
    }
    let year = i64::from(year);
    if !(1..=12).contains(&month) {
        return Err("its month is not 01 to 12".to_owned());
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err("its day is not a day of that month".to_owned());
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err("its time of day is out of range".to_owned());
    }
    let secs = days_from_civil(year, month, day) * 86_400
        + i64::from(hour * 3600 + minute * 60 + second)
        - offset_seconds;
    if leap {
        let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
        let last_of_month = (-9999..=9999).contains(&y) && d == days_in_month(y, m);
        if secs.rem_euclid(86_400) != 86_399 || !last_of_month {
            return Err(
                "a leap second (:60) can only be 23:59:60 UTC on the last day of a month"
                    .to_owned(),
            );
        }
    }
    to_system_time(secs, nanos).ok_or_else(|| "it is out of the supported range".to_owned())
}

/// Reads an HTTP date in the IMF-fixdate form, `Sun, 06 Nov 1994 08:49:37
/// GMT` (with at most 3 digits of fractional seconds).
pub fn parse_http_date(s: &str) -> Option<SystemTime> {
    if !s.is_ascii() {
        return None;
    }
    let b = s.trim().as_bytes();
    if !(29..=33).contains(&b.len())
        || !b.ends_with(b" GMT")
        || b[16] != b' '
        || b[19] != b':'
        || b[22] != b':'
    {
        return None;
    }
    let nanos = match b[25] {
        b'.' => {
            let fraction = &b[26..b.len() - 4];
            if fraction.len() > 3 {
                return None;
            }
            let scale = [100_000_000, 10_000_000, 1_000_000].get(fraction.len().checked_sub(1)?)?;
            unsigned(fraction)? * scale
        }
        b' ' => 0,
        _ => return None,
    };
    let hour = unsigned(&b[17..19])?;
    let minute = unsigned(&b[20..22])?;
    let second = unsigned(&b[23..25])?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    const MONTHS: [&[u8; 5]; 12] = [
        b" Jan ", b" Feb ", b" Mar ", b" Apr ", b" May ", b" Jun ", b" Jul ", b" Aug ", b" Sep ",
        b" Oct ", b" Nov ", b" Dec ",
    ];
    let month = MONTHS.iter().position(|m| &b[7..12] == *m)? as u32 + 1;
    // `str::parse::<i32>` reads a sign too
    let year = match b[12..16].split_first() {
        Some((b'-', digits)) if !digits.starts_with(b"+") => -i64::from(unsigned(digits)?),
        _ => i64::from(unsigned(&b[12..16])?),
    };
    let day = unsigned(&b[5..7])?;
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let secs =
        days_from_civil(year, month, day) * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    to_system_time(secs, nanos)
}

/// An instant in RFC 3339 UTC, e.g. `2026-11-28T21:31:42Z`, with the
/// microseconds when there are any (`…42.5Z`); `None` outside the years 1
/// to 9999.
pub fn format_rfc3339(t: SystemTime) -> Option<String> {
    let (secs, nanos) = epoch_parts(t);
    format_parts(secs, nanos)
}

/// Whole seconds since 1970 (rounded down) and the nanoseconds after them.
pub(crate) fn epoch_parts(t: SystemTime) -> (i64, u32) {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(before) => {
            let d = before.duration();
            match d.subsec_nanos() {
                0 => (-(d.as_secs() as i64), 0),
                n => (-(d.as_secs() as i64) - 1, 1_000_000_000 - n),
            }
        }
    }
}

/// [`format_rfc3339`] of whole seconds and nanoseconds since 1970.
pub(crate) fn format_parts(secs: i64, nanos: u32) -> Option<String> {
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    if !(1..=9999).contains(&year) {
        return None;
    }
    let time = secs.rem_euclid(86_400) as u32;
    let mut out = String::with_capacity(27);
    for (value, width, then) in [
        (year as u32, 4, '-'),
        (month, 2, '-'),
        (day, 2, 'T'),
        (time / 3600, 2, ':'),
        (time / 60 % 60, 2, ':'),
        (time % 60, 2, '.'),
        (nanos / 1000, 6, 'Z'),
    ] {
        let digits = (0..width)
            .rev()
            .map(|place| char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
        if then == 'Z' {
            // microseconds, without trailing zeros, and none at all for 0
            let fraction: String = digits.collect();
            out.push_str(fraction.trim_end_matches('0'));
        } else {
            out.extend(digits);
        }
        if then != '.' || nanos >= 1000 {
            out.push(then);
        }
    }
    Some(out)
}

/// What Rust's `str::parse::<u32>` reads (an optional `+`, then at least
/// one digit), for the short fields of an HTTP date.
fn unsigned(b: &[u8]) -> Option<u32> {
    let digits = b.strip_prefix(b"+").unwrap_or(b);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(number(digits))
}

/// The value of ASCII digits.
fn number(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, c| n * 10 + u32::from(c - b'0'))
}

/// The rest of an RFC 3339 text, read from the front.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    /// Exactly `n` ASCII digits, as a number.
    fn digits(&mut self, n: usize, what: &str) -> Result<u32, String> {
        match self.0.get(..n) {
            Some(d) if d.iter().all(u8::is_ascii_digit) => {
                self.0 = &self.0[n..];
                Ok(number(d))
            }
            _ => Err(format!("its {what} is not {n} digits")),
        }
    }

    fn literal(&mut self, c: u8) -> Result<(), String> {
        match self.0.split_first() {
            Some((first, rest)) if *first == c => {
                self.0 = rest;
                Ok(())
            }
            _ => Err(format!("a `{}` is missing", c as char)),
        }
    }
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (`civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Seconds and nanoseconds since 1970 as a `SystemTime`, when the platform
/// can hold it.
pub(crate) fn to_system_time(secs: i64, nanos: u32) -> Option<SystemTime> {
    if secs < 0 {
        // e.g. -1.25 s is 2 s before the epoch, plus 0.75 s
        let (whole, nanos) = if nanos > 0 {
            (secs.unsigned_abs() - 1, 1_000_000_000 - nanos)
        } else {
            (secs.unsigned_abs(), 0)
        };
        UNIX_EPOCH.checked_sub(Duration::new(whole, nanos))
    } else {
        UNIX_EPOCH.checked_add(Duration::new(secs.unsigned_abs(), nanos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64, nanos: u32) -> SystemTime {
        UNIX_EPOCH + Duration::new(secs, nanos)
    }

    #[test]
    fn reads_rfc3339_in_utc_and_with_offsets() {
        let utc = parse_rfc3339("2026-11-28T21:31:42Z", Offsets::Forbidden);
        assert_eq!(utc, Ok(at(1_795_901_502, 0)));
        assert_eq!(
            parse_rfc3339("2026-11-28T22:31:42.5+01:00", Offsets::Allowed),
            Ok(at(1_795_901_502, 500_000_000))
        );
        assert_eq!(
            parse_rfc3339("2026-11-28t21:31:42.123456789123z", Offsets::Allowed),
            Ok(at(1_795_901_502, 123_456_789))
        );
        assert!(
            parse_rfc3339("2026-11-28T22:31:42+01:00", Offsets::Forbidden)
                .unwrap_err()
                .contains("UTC")
        );
    }

    #[test]
    fn refuses_impossible_dates_and_says_why() {
        let problem = |s| parse_rfc3339(s, Offsets::Allowed).unwrap_err();
        assert!(problem("2026-02-29T00:00:00Z").contains("day"));
        assert!(problem("2026-13-01T00:00:00Z").contains("month"));
        assert!(problem("2026-11-28T24:00:00Z").contains("time of day"));
        assert!(problem("2026-11-28 21:31:42Z").contains("`T`"));
        assert!(problem("2026-11-28T21:31:42").contains("`Z`"));
        assert!(problem("2026-11-28T21:31:42+24:00").contains("offset"));
        assert!(problem("2026-11-28T21:31:42.Z").contains("digit"));
        assert!(problem("2026-11-28T21:31:42Zx").contains("follows"));
        assert_eq!(
            parse_rfc3339("2024-02-29T00:00:00Z", Offsets::Allowed),
            Ok(at(1_709_164_800, 0))
        );
    }

    #[test]
    fn a_leap_second_is_the_nanosecond_before_it_and_only_at_a_months_end() {
        assert_eq!(
            parse_rfc3339("2016-12-31T23:59:60Z", Offsets::Forbidden),
            Ok(at(1_483_228_799, 999_999_999))
        );
        assert_eq!(
            parse_rfc3339("2017-01-01T00:59:60+01:00", Offsets::Allowed),
            Ok(at(1_483_228_799, 999_999_999))
        );
        assert!(parse_rfc3339("2016-12-30T23:59:60Z", Offsets::Forbidden).is_err());
    }

    #[test]
    fn reads_http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(at(784_111_777, 0))
        );
        assert_eq!(
            parse_http_date(" Sun, 06 Nov 1994 08:49:37.12 GMT\r\n"),
            Some(at(784_111_777, 120_000_000))
        );
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37.1234 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 nov 1994 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 31 Nov 1994 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in (-3_652_425 * 2..3_652_425 * 2).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }
}
