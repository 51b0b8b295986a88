//! Civil-date arithmetic (proleptic Gregorian, days since 1970-01-01), so the core can
//! turn "09:45 on 2025-03-14" into a timestamp without a date library or the system clock.

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let d = i64::from(d);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parse `YYYY-MM-DD` (exactly that shape, a real day, years 1000..=9999) to a day number.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let y = i64::from(digits(0..4)?);
    let m = digits(5..7)?;
    let d = digits(8..10)?;
    if y < 1000 || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// `YYYY-MM-DD` of a day number.
pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The local date at `now_ms` for a UTC offset in minutes.
pub fn local_date(now_ms: i64, utc_offset_min: i16) -> String {
    let local_ms = now_ms.saturating_add(i64::from(utc_offset_min) * 60_000);
    format_date(local_ms.div_euclid(86_400_000))
}

/// Unix milliseconds of a local clock time (minutes since midnight) on a date.
pub fn local_to_ms(date: &str, minute_of_day: i64, utc_offset_min: i16) -> Option<i64> {
    let days = parse_date(date)?;
    Some(days * 86_400_000 + (minute_of_day - i64::from(utc_offset_min)) * 60_000)
}

/// Local minutes since midnight of the date `date` for a timestamp (may exceed 1440 or be
/// negative when the timestamp is on another day).
pub fn ms_to_local_minutes(date: &str, ms: i64, utc_offset_min: i16) -> Option<i64> {
    let midnight = local_to_ms(date, 0, utc_offset_min)?;
    Some((ms - midnight).div_euclid(60_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_day_numbers() {
        for s in ["1970-01-01", "2000-02-29", "2025-03-14", "2400-12-31"] {
            let d = parse_date(s).expect("valid");
            assert_eq!(format_date(d), s);
        }
        assert_eq!(parse_date("1970-01-01"), Some(0));
    }

    #[test]
    fn impossible_dates_are_rejected() {
        for s in [
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "25-01-01",
            "2025-1-01",
            "2025-01-01x",
            "２０２５-01-01",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn local_clock_times_convert_with_the_offset() {
        // 09:45 in CET (UTC+1) on 2025-03-14 is 08:45 UTC.
        let ms = local_to_ms("2025-03-14", 9 * 60 + 45, 60).expect("valid");
        assert_eq!(
            ms,
            (parse_date("2025-03-14").expect("valid") * 1440 + 8 * 60 + 45) * 60_000
        );
        assert_eq!(ms_to_local_minutes("2025-03-14", ms, 60), Some(585));
        assert_eq!(local_date(ms, 60), "2025-03-14");
    }
}
