//! Japanese era dates (和暦).
//!
//! In: text such as `平成 16年 7月 1日`, `令和元年５月１日`, `平成一一年一二月八日`.
//! Out: an [`EraDate`] and its ISO form (`2004-07-01`).
//!
//! Grammar (nom): `era ws* (元 | numeral) ws* 年 ws* numeral ws* 月 ws* numeral ws* 日`,
//! `era` one of 明治 大正 昭和 平成 令和, `ws` any whitespace, numerals as in
//! [`crate::normalize::number`]. A date outside its era (平成31年5月1日) or not in the
//! calendar (2月30日) is an error the caller reports; it is never moved to a nearby date.

use crate::classify::{num, ws0};
use nom::{branch::alt, bytes::complete::tag, combinator::map, IResult, Parser};

/// A Gregorian date as (year, month, day).
type Ymd = (i32, u32, u32);

/// (name, first day, last day). The day an emperor died was the
/// last day of his era and the first of the next: 明治45年7月30日 is 大正元年7月30日,
/// 大正15年12月25日 is 昭和元年12月25日. 昭和 and 平成 ended the day before the next
/// era began.
const ERAS: [(&str, Ymd, Ymd); 5] = [
    ("明治", (1868, 1, 25), (1912, 7, 30)),
    ("大正", (1912, 7, 30), (1926, 12, 25)),
    ("昭和", (1926, 12, 25), (1989, 1, 7)),
    ("平成", (1989, 1, 8), (2019, 4, 30)),
    ("令和", (2019, 5, 1), (9999, 12, 31)),
];

/// A date as printed in an era; `year` is the era year (元年 = 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EraDate {
    pub era: usize,
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

fn era(i: &str) -> IResult<&str, usize> {
    alt((
        map(tag("明治"), |_| 0),
        map(tag("大正"), |_| 1),
        map(tag("昭和"), |_| 2),
        map(tag("平成"), |_| 3),
        map(tag("令和"), |_| 4),
    ))
    .parse(i)
}

/// Parses an era date at the start of `i`; returns the rest.
pub fn era_date(i: &str) -> IResult<&str, EraDate> {
    let (i, era) = era(i)?;
    let (i, _) = ws0(i)?;
    let (i, year) = alt((map(tag("元"), |_| 1), num)).parse(i)?;
    let (i, (_, _, _, month, _, _, _, day, _, _)) = (
        ws0,
        tag("年"),
        ws0,
        num,
        ws0,
        tag("月"),
        ws0,
        num,
        ws0,
        tag("日"),
    )
        .parse(i)?;
    Ok((
        i,
        EraDate {
            era,
            year,
            month,
            day,
        },
    ))
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A Gregorian date as written in metadata, `2022-02-01` or `2022/02/01` (two-digit
/// month and day), as `YYYY-MM-DD` when it is a calendar date.
pub fn written_iso(s: &str) -> Option<String> {
    let mut parts = s.trim().splitn(3, ['-', '/']);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let d = d
        .get(..2)
        .filter(|_| d.len() == 2 || !d.as_bytes()[2].is_ascii_digit())?;
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    (y > 0 && d >= 1 && d <= days_in_month(y, m)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

impl EraDate {
    pub fn era_name(&self) -> &'static str {
        ERAS[self.era].0
    }

    /// The Gregorian date as `YYYY-MM-DD`, or why it is not a valid date of its era.
    pub fn to_iso(&self) -> Result<String, String> {
        let (name, start, end) = ERAS[self.era];
        if self.year == 0 || self.year > 200 {
            return Err(format!("{name}{}年 is not a year of {name}", self.year));
        }
        let y = start.0 + self.year as i32 - 1;
        if self.month == 0 || self.day == 0 || self.day > days_in_month(y, self.month) {
            return Err(format!(
                "{name}{}年{}月{}日 is not a calendar date",
                self.year, self.month, self.day
            ));
        }
        let date = (y, self.month, self.day);
        if date < start || date > end {
            return Err(format!(
                "{name}{}年{}月{}日 ({:04}-{:02}-{:02}) is outside the {name} era",
                self.year, self.month, self.day, y, self.month, self.day
            ));
        }
        Ok(iso_date(y, self.month, self.day))
    }
}

/// `YYYY-MM-DD` for a year of the eras (four digits), without the formatting machinery,
/// which cost more than the rest of building a 附則 entry.
fn iso_date(y: i32, m: u32, d: u32) -> String {
    let digit = |v: u32| char::from(b'0' + (v % 10) as u8);
    let y = y.clamp(0, 9999) as u32;
    let mut s = String::with_capacity(10);
    s.extend([y / 1000, y / 100, y / 10, y].map(digit));
    s.push('-');
    s.extend([m / 10, m].map(digit));
    s.push('-');
    s.extend([d / 10, d].map(digit));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_dates_are_calendar_dates() {
        assert_eq!(written_iso("2022-02-01").as_deref(), Some("2022-02-01"));
        assert_eq!(written_iso(" 2024/02/29 ").as_deref(), Some("2024-02-29"));
        assert_eq!(
            written_iso("2022-02-01T09:00").as_deref(),
            Some("2022-02-01")
        );
        for bad in [
            "2023-02-29",
            "2022-13-01",
            "2022-2-1",
            "2022-02-001",
            "令和4年",
        ] {
            assert_eq!(written_iso(bad), None, "{bad}");
        }
    }

    fn iso(s: &str) -> Result<String, String> {
        let (rest, d) = era_date(s).map_err(|e| e.to_string())?;
        assert!(rest.is_empty(), "rest {rest:?}");
        d.to_iso()
    }

    #[test]
    fn converts_dates_exactly() {
        assert_eq!(iso("平成 16年 7月 1日").unwrap(), "2004-07-01");
        assert_eq!(iso("平成31年4月1日").unwrap(), "2019-04-01");
        assert_eq!(iso("平成31年4月30日").unwrap(), "2019-04-30");
        assert_eq!(iso("令和元年5月1日").unwrap(), "2019-05-01");
        assert_eq!(iso("令和 7年 7月 18日").unwrap(), "2025-07-18");
        assert_eq!(iso("令和７年７月１８日").unwrap(), "2025-07-18");
        assert_eq!(iso("平成一一年一二月八日").unwrap(), "1999-12-08");
        assert_eq!(iso("昭和五十九年十二月二十五日").unwrap(), "1984-12-25");
        assert_eq!(iso("明治元年1月25日").unwrap(), "1868-01-25");
        assert_eq!(iso("平成 21年７月 1日").unwrap(), "2009-07-01");
        // the last day of an era is also the first of the next era's year 1
        assert_eq!(iso("明治四十五年七月三十日").unwrap(), "1912-07-30");
        assert_eq!(iso("大正元年七月三十日").unwrap(), "1912-07-30");
        assert_eq!(iso("大正十五年十二月二十五日").unwrap(), "1926-12-25");
        assert_eq!(iso("昭和元年十二月二十五日").unwrap(), "1926-12-25");
        assert_eq!(iso("昭和64年1月7日").unwrap(), "1989-01-07");
    }

    #[test]
    fn rejects_dates_outside_their_era() {
        assert!(iso("平成31年5月1日").unwrap_err().contains("outside"));
        assert!(iso("令和元年4月30日").unwrap_err().contains("outside"));
        assert!(iso("昭和64年1月8日").unwrap_err().contains("outside"));
        assert!(iso("明治45年7月31日").unwrap_err().contains("outside"));
        assert!(iso("大正元年7月29日").unwrap_err().contains("outside"));
        assert!(iso("大正15年12月26日").unwrap_err().contains("outside"));
        assert!(iso("令和2年2月30日").unwrap_err().contains("calendar"));
        assert!(iso("令和3年2月29日").is_err());
        assert!(iso("令和2年2月29日").is_ok());
        assert!(iso("令和0年1月1日").is_err());
    }

    #[test]
    fn stops_at_non_dates() {
        assert!(era_date("平成年7月1日").is_err());
        assert!(era_date("西暦2004年").is_err());
        let (rest, _) = era_date("平成 16年 7月 1日変更").unwrap();
        assert_eq!(rest, "変更");
    }
}
