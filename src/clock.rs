//! The date rules and waivers see: today in UTC, or `JIXIAO_TODAY` when
//! set, so that a run can be reproduced on any day; and the time a record
//! is stamped with.

/// Today as YYYY-MM-DD (UTC), or `JIXIAO_TODAY` when set, so that runs
/// and tests can be reproduced on any day.
pub fn today() -> String {
    if let Ok(d) = std::env::var("JIXIAO_TODAY")
        && d.len() == 10
    {
        return d;
    }
    let (y, m, d) = civil(unix_seconds() / 86_400);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The time now, UTC, as YYYY-MM-DD HH:MM:SS: when something was recorded.
pub fn now() -> String {
    let secs = unix_seconds();
    let (y, m, d) = civil(secs / 86_400);
    let s = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil(days: u64) -> (i64, i64, i64) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn today_is_a_date() {
        let t = super::today();
        assert_eq!(t.len(), 10);
        assert_eq!(&t[4..5], "-");
        assert_eq!(super::civil(0), (1970, 1, 1));
        assert_eq!(super::civil(20_788), (2026, 12, 1));
        assert_eq!(super::now().len(), 19);
    }
}
