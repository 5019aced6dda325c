//! Timestamps and dates as OneRoster writes and filters them.
//!
//! `dateLastModified` goes out as UTC with milliseconds (`2026-08-01T06:30:00.000Z`), the exact
//! form Microsoft's SDS tests match. Filter values come in looser shapes (with or without
//! fractional seconds, `Z` or a numeric offset, sometimes a bare date), and must compare
//! chronologically, so they are parsed into an instant and re-rendered in the canonical form.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

const MILLIS_UTC: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
const PLAIN_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]");
const NAIVE_DATETIME: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]");

/// Renders an instant as `YYYY-MM-DDTHH:MM:SS.sssZ` in UTC.
pub fn format_timestamp(instant: OffsetDateTime) -> String {
    instant
        .to_offset(UtcOffset::UTC)
        .format(MILLIS_UTC)
        .unwrap_or_default()
}

/// Parses a timestamp as a client may send it: RFC 3339 with `Z` or an offset, with or without
/// fractional seconds; a zone-less date-time is taken as UTC, and a bare date as its midnight UTC.
pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if let Ok(instant) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(instant.to_offset(UtcOffset::UTC));
    }
    if let Ok(naive) = PrimitiveDateTime::parse(text, NAIVE_DATETIME) {
        return Some(naive.assume_utc());
    }
    parse_date(text).map(|date| date.midnight().assume_utc())
}

/// Re-renders any accepted timestamp in the canonical millisecond UTC form, which sorts as text
/// in time order. Sub-millisecond digits are truncated, as the stored values carry none.
pub fn canonical_timestamp(text: &str) -> Option<String> {
    parse_timestamp(text).map(format_timestamp)
}

/// Parses a calendar date `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text.trim(), PLAIN_DATE).ok()
}

/// Renders a calendar date as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    date.format(PLAIN_DATE).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_has_milliseconds_and_z() {
        assert_eq!(
            canonical_timestamp("2024-01-02T03:04:05Z").unwrap(),
            "2024-01-02T03:04:05.000Z"
        );
        assert_eq!(
            canonical_timestamp("2024-01-02T03:04:05.123456Z").unwrap(),
            "2024-01-02T03:04:05.123Z"
        );
    }

    #[test]
    fn offsets_are_converted_to_utc() {
        assert_eq!(
            canonical_timestamp("2024-01-02T03:04:05+02:00").unwrap(),
            "2024-01-02T01:04:05.000Z"
        );
        assert_eq!(
            canonical_timestamp("2024-01-01T00:30:00.5-01:00").unwrap(),
            "2024-01-01T01:30:00.500Z"
        );
    }

    #[test]
    fn zone_less_and_bare_dates_are_utc() {
        assert_eq!(
            canonical_timestamp("2024-01-02T03:04:05").unwrap(),
            "2024-01-02T03:04:05.000Z"
        );
        assert_eq!(
            canonical_timestamp("2024-01-02").unwrap(),
            "2024-01-02T00:00:00.000Z"
        );
    }

    #[test]
    fn garbage_is_rejected() {
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-01-02T25:00:00Z",
            "2024-1-2",
        ] {
            assert!(canonical_timestamp(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn dates_round_trip() {
        let date = parse_date("2025-07-31").unwrap();
        assert_eq!(format_date(date), "2025-07-31");
        assert!(parse_date("31-07-2025").is_none());
    }
}
