//! Values in and out of tiberius: statement parameters, and view rows read through the shared
//! [`RowReader`] so records come out exactly as from SQLite.

use tiberius::time::{Date as TdsDate, DateTime2, Time as TdsTime};
use tiberius::{ColumnData, FromSql, Query, Row};
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::oneroster::datetime;
use crate::store::hydrate::RowReader;
use crate::store::sql::{Param, SqlQuery};
use crate::store::StoreError;

/// `statement` as a tiberius query with its parameters bound in marker order: text as
/// nvarchar, integers as bigint, instants as datetime2 (UTC, like the views' columns).
pub fn query(statement: &SqlQuery) -> Query<'_> {
    let mut query = Query::new(statement.text.as_str());
    for param in &statement.params {
        match param {
            Param::Text(text) => query.bind(text.as_str()),
            Param::Int(n) => query.bind(*n),
            Param::Timestamp(instant) => {
                query.bind(ColumnData::DateTime2(Some(datetime2(*instant))))
            }
        }
    }
    query
}

/// An instant as a UTC `datetime2(7)`: days since 0001-01-01 and 100 ns ticks since midnight.
pub fn datetime2(instant: OffsetDateTime) -> DateTime2 {
    let utc = instant.to_offset(UtcOffset::UTC);
    let days = (utc.date() - time::macros::date!(0001 - 01 - 01)).whole_days();
    let (hour, minute, second, nanos) = utc.time().as_hms_nano();
    let seconds = u64::from(hour) * 3600 + u64::from(minute) * 60 + u64::from(second);
    let ticks = seconds * 10_000_000 + u64::from(nanos) / 100;
    DateTime2::new(
        TdsDate::new(u32::try_from(days).unwrap_or(0)),
        TdsTime::new(ticks, 7),
    )
}

/// Reads the cells of one row left to right.
pub struct TdsRow<'a> {
    row: &'a Row,
    view: &'static str,
    index: usize,
}

impl<'a> TdsRow<'a> {
    pub fn new(row: &'a Row, view: &'static str) -> TdsRow<'a> {
        TdsRow {
            row,
            view,
            index: 0,
        }
    }

    fn next(&mut self) -> Result<&'a ColumnData<'static>, StoreError> {
        let cell = self
            .row
            .get_column_data(self.index)
            .map_err(|e| self.contract(e.to_string()))?;
        self.index += 1;
        Ok(cell)
    }

    fn contract(&self, detail: String) -> StoreError {
        StoreError::Contract {
            view: self.view,
            detail: format!("column {}: {detail}", self.index + 1),
        }
    }

    /// The next column as an integer (`COUNT(*)` is an int, `COUNT_BIG(*)` a bigint).
    pub fn integer(&mut self) -> Result<Option<i64>, StoreError> {
        let cell = self.next()?;
        integer(cell).map_err(|()| self.unexpected(cell, "an integer"))
    }

    fn unexpected(&self, cell: &ColumnData<'_>, wanted: &str) -> StoreError {
        self.contract(format!("{} where {wanted} was expected", kind(cell)))
    }
}

/// What a cell holds, for error messages (never its value).
fn kind(cell: &ColumnData<'_>) -> &'static str {
    match cell {
        ColumnData::U8(_) | ColumnData::I16(_) | ColumnData::I32(_) | ColumnData::I64(_) => {
            "an integer"
        }
        ColumnData::F32(_) | ColumnData::F64(_) | ColumnData::Numeric(_) => "a number",
        ColumnData::Bit(_) => "a bit",
        ColumnData::String(_) => "text",
        ColumnData::Guid(_) => "a uniqueidentifier",
        ColumnData::Binary(_) => "binary data",
        ColumnData::Xml(_) => "XML",
        ColumnData::Date(_) => "a date",
        ColumnData::Time(_) => "a time",
        _ => "a date and time",
    }
}

/// The integer in `cell`, whichever width SQL Server chose; `Err` if it is no integer.
fn integer(cell: &ColumnData<'_>) -> Result<Option<i64>, ()> {
    Ok(match cell {
        ColumnData::U8(v) => v.map(i64::from),
        ColumnData::I16(v) => v.map(i64::from),
        ColumnData::I32(v) => v.map(i64::from),
        ColumnData::I64(v) => *v,
        ColumnData::Bit(v) => v.map(i64::from),
        _ => return Err(()),
    })
}

impl RowReader for TdsRow<'_> {
    fn text(&mut self) -> Result<Option<String>, StoreError> {
        let cell = self.next()?;
        match cell {
            ColumnData::String(v) => Ok(v.as_ref().map(|s| s.to_string())),
            other => integer(other)
                .map(|n| n.map(|n| n.to_string()))
                .map_err(|()| self.unexpected(other, "text")),
        }
    }

    fn timestamp(&mut self) -> Result<Option<OffsetDateTime>, StoreError> {
        let cell = self.next()?;
        let conversion = |e: tiberius::error::Error| self.contract(e.to_string());
        match cell {
            ColumnData::DateTimeOffset(_) => OffsetDateTime::from_sql(cell).map_err(conversion),
            ColumnData::DateTime2(_) | ColumnData::DateTime(_) | ColumnData::SmallDateTime(_) => {
                // The views hold UTC in zone-less datetime2(3).
                Ok(PrimitiveDateTime::from_sql(cell)
                    .map_err(conversion)?
                    .map(PrimitiveDateTime::assume_utc))
            }
            // A view may also expose the canonical text, as the SQLite views do.
            ColumnData::String(Some(text)) => datetime::parse_timestamp(text)
                .map(Some)
                .ok_or_else(|| self.contract(format!("bad timestamp {text}"))),
            ColumnData::String(None) => Ok(None),
            other => Err(self.unexpected(other, "a timestamp")),
        }
    }

    fn date(&mut self) -> Result<Option<Date>, StoreError> {
        let cell = self.next()?;
        match cell {
            ColumnData::Date(_) => Date::from_sql(cell).map_err(|e| self.contract(e.to_string())),
            ColumnData::String(Some(text)) => datetime::parse_date(text)
                .map(Some)
                .ok_or_else(|| self.contract(format!("bad date {text}"))),
            ColumnData::String(None) => Ok(None),
            other => Err(self.unexpected(other, "a date")),
        }
    }

    fn flag(&mut self) -> Result<Option<bool>, StoreError> {
        let cell = self.next()?;
        match cell {
            ColumnData::String(v) => Ok(v.as_deref().map(|t| matches!(t, "1" | "true"))),
            other => integer(other)
                .map(|n| n.map(|n| n != 0))
                .map_err(|()| self.unexpected(other, "a 0/1 flag")),
        }
    }
}
