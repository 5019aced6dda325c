//! Time stamps in the one text form the contract allows (`YYYY-MM-DDTHH:MM:SS.sssZ`), and the
//! demo's fixed calendar.
//!
//! The demo never reads the wall clock: a fixed "today" keeps every generated database identical
//! for a seed. It lies in the past, so triggers that fall back to the wall clock (a DELETE by
//! hand) still stamp later than anything generated.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use time::{Date, Month, OffsetDateTime, UtcOffset};

use super::DemoError;

/// The current school year runs 2026-08-01..2027-07-31 ("2026-2027", schoolYear "2027").
pub(super) const CURRENT_YEAR_START: i32 = 2026;

/// Ordinary rows were last modified between the start of the school year and `RECENT_FROM`.
const ORDINARY_FROM_MS: i64 = 1_785_542_400_000; // 2026-08-01T00:00:00Z
/// Tombstones and ended memberships were stamped between `RECENT_FROM` and the demo's today.
const RECENT_FROM_MS: i64 = 1_793_491_200_000; // 2026-11-01T00:00:00Z
/// The demo's "today": 2026-11-20T12:00:00Z.
const TODAY_MS: i64 = 1_795_176_000_000;

/// A UTC instant in milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Stamp(i64);

impl Stamp {
    /// A time in the ordinary part of the term (before any tombstone).
    pub(super) fn ordinary(rng: &mut ChaCha8Rng) -> Self {
        Self(rng.random_range(ORDINARY_FROM_MS..RECENT_FROM_MS))
    }

    /// A time in the last weeks before the demo's today.
    pub(super) fn recent(rng: &mut ChaCha8Rng) -> Self {
        Self(rng.random_range(RECENT_FROM_MS..TODAY_MS))
    }

    /// The same instant as `at`, truncated to milliseconds.
    pub(super) fn from_datetime(at: OffsetDateTime) -> Self {
        let ms = at.unix_timestamp_nanos() / 1_000_000;
        Self(i64::try_from(ms).unwrap_or(i64::MAX))
    }

    /// `ms` milliseconds later (or earlier, when negative).
    pub(super) fn plus_ms(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }

    /// The calendar day, for begin/end dates derived from a stamp.
    pub(super) fn date(self) -> Result<Date, DemoError> {
        Ok(self.datetime()?.date())
    }

    /// The contract's text form.
    pub(super) fn text(self) -> Result<String, DemoError> {
        let t = self.datetime()?;
        Ok(format!(
            "{}T{:02}:{:02}:{:02}.{:03}Z",
            date_text(t.date()),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        ))
    }

    fn datetime(self) -> Result<OffsetDateTime, DemoError> {
        let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000)?;
        Ok(at.to_offset(UtcOffset::UTC))
    }
}

/// `YYYY-MM-DD`.
pub(super) fn date_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A calendar date, for the fixed dates of the school calendar.
pub(super) fn ymd(year: i32, month: Month, day: u8) -> Result<Date, DemoError> {
    Ok(Date::from_calendar_date(year, month, day)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_the_documented_instants() {
        let text = |ms| Stamp(ms).text().unwrap();
        assert_eq!(text(ORDINARY_FROM_MS), "2026-08-01T00:00:00.000Z");
        assert_eq!(text(RECENT_FROM_MS), "2026-11-01T00:00:00.000Z");
        assert_eq!(text(TODAY_MS), "2026-11-20T12:00:00.000Z");
    }

    #[test]
    fn offsets_are_converted_to_utc_and_truncated_to_ms() {
        let at = time::macros::datetime!(2026-11-21 13:14:15.123_999 +01:00);
        assert_eq!(
            Stamp::from_datetime(at).text().unwrap(),
            "2026-11-21T12:14:15.123Z"
        );
    }
}
