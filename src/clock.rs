//! The date rules and waivers see: today in UTC, or `JIXIAO_TODAY` when
//! set, so that a run can be reproduced on any day; and the time a record
//! is stamped with.

/// Today as YYYY-MM-DD (UTC), or `JIXIAO_TODAY` when set, so that runs
/// and tests can be reproduced on any day.
pub fn today() -> String {
    if let Ok(Some(d)) = given_today() {
        return d;
    }
    let (y, m, d) = civil(unix_seconds() / 86_400);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The date `JIXIAO_TODAY` sets, if it is set: an error when it is not a
/// date of the calendar written YYYY-MM-DD (a run would otherwise use the
/// real date without saying so). Checked when a command starts.
pub fn given_today() -> Result<Option<String>, String> {
    let Some(raw) = std::env::var_os("JIXIAO_TODAY") else {
        return Ok(None);
    };
    let text = raw.to_string_lossy().into_owned();
    let bad = || {
        format!(
            "环境变量 JIXIAO_TODAY 的值“{}”不是日期，应写成 2025-03-31 这样的年-月-日，或不设置",
            text.chars()
                .take(40)
                .map(|c| if c.is_control() { '?' } else { c })
                .collect::<String>()
        )
    };
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let number = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<i64>().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (number(y, 4), number(m, 2), number(d, 2)) else {
        return Err(bad());
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if !(1..=days).contains(&d) {
        return Err(bad());
    }
    Ok(Some(text))
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

    #[test]
    fn a_given_today_must_be_a_date() {
        // SAFETY: this test alone sets the variable in this process.
        let with = |v: &str| {
            unsafe { std::env::set_var("JIXIAO_TODAY", v) };
            let r = super::given_today();
            unsafe { std::env::remove_var("JIXIAO_TODAY") };
            r
        };
        assert_eq!(with("2024-02-29"), Ok(Some("2024-02-29".into())));
        for bad in [
            "2023-02-29",
            "2025-13-01",
            "2025-3-31",
            "yesterday",
            "2025-04-31",
            "",
        ] {
            assert!(with(bad).is_err(), "{bad}");
        }
    }
}
