//! Wall-clock time as UTC RFC 3339 text (`2024-03-01T12:00:00.250Z`), without a date crate.
//!
//! Days since 1970-01-01 become a civil date by Howard Hinnant's `civil_from_days`
//! (proleptic Gregorian calendar, eras of 400 years = 146 097 days).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Now, as RFC 3339 UTC with milliseconds.
pub fn now_rfc3339() -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    rfc3339(since)
}

/// An instant as RFC 3339 UTC with milliseconds (the epoch for one before it).
pub fn rfc3339_at(t: SystemTime) -> String {
    rfc3339(t.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO))
}

/// The instant `since` the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn rfc3339(since: Duration) -> String {
    let secs = since.as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        since.subsec_millis()
    )
}

/// Seconds since the Unix epoch of an RFC 3339 UTC text written by [`rfc3339`], if it parses.
pub fn parse_rfc3339(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let days = days_from_civil(y, m, d);
    u64::try_from(days * 86_400 + h * 3600 + mi * 60 + s).ok()
}

/// (year, month 1..=12, day 1..=31) of day `z` counted from 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468; // shift the epoch to 0000-03-01 so leap days end each year
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // day of era, 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153; // March = 0
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The inverse of [`civil_from_days`].
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        // `date -u -d @0` and `date -u -d @951782400` (GNU coreutils): the epoch, and the
        // leap day of 2000 (a year divisible by 400, so a leap year).
        assert_eq!(rfc3339(Duration::ZERO), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            rfc3339(Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00.000Z"
        );
        // `date -u -d @1709294400.25`: 2024-03-01 12:00:00.25 UTC.
        assert_eq!(
            rfc3339(Duration::from_millis(1_709_294_400_250)),
            "2024-03-01T12:00:00.250Z"
        );
    }

    #[test]
    fn parse_inverts_format() {
        for secs in [0u64, 951_782_400, 1_709_294_400, 4_102_444_799] {
            assert_eq!(
                parse_rfc3339(&rfc3339(Duration::from_secs(secs))),
                Some(secs)
            );
        }
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
