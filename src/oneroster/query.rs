//! The list parameters every collection takes (`limit`, `offset`, `sort`, `orderBy`, `filter`,
//! `fields`), parsed once at the edge into types the rest of the service trusts.
//!
//! Parsing happens in two steps: [`ListQuery::parse`] reads the query string, then
//! [`ListQuery::check`] validates names against the entity's field catalogue. An unknown
//! filter field is an error; an unknown sort or selection field is a warning that falls back to
//! the default (the 1.1 rules).

use super::entity::{Entity, FieldType};
use super::filter::FieldPath;
use super::filter::{Filter, FilterError, Predicate};
use super::status::{CodeMinor, StatusInfo};
use super::vocab::Version;
use super::{datetime, versions, vocab};

/// The page size when the client names none (1.1 and 1.2 both say 100).
pub const DEFAULT_LIMIT: u32 = 100;
/// The largest `limit` accepted: the 1.2 OpenAPI types `limit` as int32 with no maximum, and a
/// server that clamps makes clients that stop on a short page lose data. SDS asks for 5 000
/// (classic SDS for 10 000); a page's size is bounded in practice by the data and by the 6 MB
/// buffered Lambda response.
pub const MAX_LIMIT: u32 = i32::MAX as u32;
/// The largest `offset` accepted (int32 in the 1.2 OpenAPI).
pub const MAX_OFFSET: u64 = i32::MAX as u64;

/// Sort direction (`orderBy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Asc,
    Desc,
}

/// Why the parameters were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("limit must be a whole number from 1 to {MAX_LIMIT}, not '{0}'")]
    InvalidLimit(String),
    #[error("offset must be a whole number from 0 to {MAX_OFFSET}, not '{0}'")]
    InvalidOffset(String),
    #[error("orderBy must be 'asc' or 'desc', not '{0}'")]
    InvalidOrderBy(String),
    #[error("the parameter '{0}' is given more than once")]
    Repeated(&'static str),
    #[error("{0}")]
    Filter(#[from] FilterError),
    #[error("'{0}' is not a field that can be filtered on here")]
    UnknownFilterField(String),
    #[error("'{value}' is not a valid value for {field} (expected {expected})")]
    InvalidFilterValue {
        field: String,
        value: String,
        expected: &'static str,
    },
    #[error("the fields parameter names a blank field")]
    BlankSelectionField,
    #[error("unknown fields: {0}")]
    UnknownSelectionField(String),
}

impl QueryError {
    /// The codeMinor the error is reported with.
    pub fn code_minor(&self) -> CodeMinor {
        match self {
            QueryError::Filter(_)
            | QueryError::UnknownFilterField(_)
            | QueryError::InvalidFilterValue { .. } => CodeMinor::InvalidFilterField,
            QueryError::BlankSelectionField => CodeMinor::InvalidBlankSelectionField,
            QueryError::UnknownSelectionField(_) => CodeMinor::InvalidSelectionField,
            _ => CodeMinor::InvalidData,
        }
    }
}

/// Validated list parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub limit: u32,
    pub offset: u64,
    /// The sort field; `None` means the default order (`sourcedId`).
    pub sort: Option<String>,
    pub direction: Direction,
    pub filter: Option<Filter>,
    /// The selected fields; `None` means all of them.
    pub fields: Option<Vec<String>>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            limit: DEFAULT_LIMIT,
            offset: 0,
            sort: None,
            direction: Direction::Asc,
            filter: None,
            fields: None,
        }
    }
}

#[derive(Default)]
struct RawParams {
    limit: Option<String>,
    offset: Option<String>,
    sort: Option<String>,
    order_by: Option<String>,
    filter: Option<String>,
    fields: Vec<String>,
}

fn set_once(
    slot: &mut Option<String>,
    name: &'static str,
    value: String,
) -> Result<(), QueryError> {
    if slot.replace(value).is_some() {
        return Err(QueryError::Repeated(name));
    }
    Ok(())
}

impl RawParams {
    fn read(query: &str) -> Result<RawParams, QueryError> {
        let mut raw = RawParams::default();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.into_owned();
            match name.as_ref() {
                "limit" => set_once(&mut raw.limit, "limit", value)?,
                "offset" => set_once(&mut raw.offset, "offset", value)?,
                "sort" => set_once(&mut raw.sort, "sort", value)?,
                "orderBy" => set_once(&mut raw.order_by, "orderBy", value)?,
                "filter" => set_once(&mut raw.filter, "filter", value)?,
                "fields" => raw.fields.push(value),
                _ => {}
            }
        }
        Ok(raw)
    }
}

/// A plain decimal: digits only (Rust's parser would also take a leading `+`).
fn decimal(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn parse_limit(text: &str) -> Result<u32, QueryError> {
    decimal(text)
        .filter(|limit| (1..=u64::from(MAX_LIMIT)).contains(limit))
        .and_then(|limit| u32::try_from(limit).ok())
        .ok_or_else(|| QueryError::InvalidLimit(text.to_owned()))
}

fn parse_offset(text: &str) -> Result<u64, QueryError> {
    decimal(text)
        .filter(|offset| *offset <= MAX_OFFSET)
        .ok_or_else(|| QueryError::InvalidOffset(text.to_owned()))
}

fn parse_direction(text: &str) -> Result<Direction, QueryError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "asc" => Ok(Direction::Asc),
        "desc" => Ok(Direction::Desc),
        _ => Err(QueryError::InvalidOrderBy(text.to_owned())),
    }
}

/// `fields` as a comma list, repeated parameters, or both.
fn parse_fields(values: &[String]) -> Result<Option<Vec<String>>, QueryError> {
    if values.is_empty() {
        return Ok(None);
    }
    let mut fields = Vec::new();
    for name in values.iter().flat_map(|v| v.split(',')) {
        let name = name.trim();
        if name.is_empty() {
            return Err(QueryError::BlankSelectionField);
        }
        if !fields.iter().any(|known| known == name) {
            fields.push(name.to_owned());
        }
    }
    Ok(Some(fields))
}

impl ListQuery {
    /// Reads the parameters of a collection request from its raw query string.
    pub fn parse(query: &str) -> Result<ListQuery, QueryError> {
        let raw = RawParams::read(query)?;
        Ok(ListQuery {
            limit: raw
                .limit
                .as_deref()
                .map_or(Ok(DEFAULT_LIMIT), parse_limit)?,
            offset: raw.offset.as_deref().map_or(Ok(0), parse_offset)?,
            sort: raw
                .sort
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            direction: raw
                .order_by
                .as_deref()
                .map_or(Ok(Direction::Asc), parse_direction)?,
            filter: raw.filter.as_deref().map(Filter::parse).transpose()?,
            fields: parse_fields(&raw.fields)?,
        })
    }

    /// Reads only `fields`, the one parameter a single-record read takes.
    pub fn parse_single(query: &str) -> Result<ListQuery, QueryError> {
        let raw = RawParams::read(query)?;
        Ok(ListQuery {
            fields: parse_fields(&raw.fields)?,
            ..ListQuery::default()
        })
    }

    /// Validates names against `entity` as `version` names its fields, normalizes filter values
    /// (canonical enumeration spellings, UTC timestamps, 1.1 names), and returns the warnings
    /// for names it dropped. An unknown sort field falls back to the default order with a
    /// warning. Unknown `fields` are a warning in 1.1 (all fields are returned) and a 400
    /// `invalid_selection_field` in 1.2, whose body may carry no warnings.
    pub fn check(
        &mut self,
        entity: Entity,
        version: Version,
    ) -> Result<Vec<StatusInfo>, QueryError> {
        if let Some(filter) = self.filter.as_mut() {
            normalize_filter(filter, entity, version)?;
        }
        let mut warnings = Vec::new();
        if let Some(sort) = self.sort.take() {
            match versions::canonical_path(entity, version, &sort)
                .filter(|s| is_sortable(entity, s))
            {
                Some(canonical) => self.sort = Some(canonical),
                None => warnings.push(StatusInfo::warning(
                    CodeMinor::InvalidSortField,
                    format!(
                        "'{sort}' is not a sortable field; the default order (sourcedId) is used"
                    ),
                )),
            }
        }
        if let Some(fields) = self.fields.take() {
            let (known, unknown): (Vec<_>, Vec<_>) = fields
                .into_iter()
                .partition(|f| versions::has_field(entity, version, f));
            if !unknown.is_empty() {
                let list = unknown.join(", ");
                if version == Version::V1p2 {
                    return Err(QueryError::UnknownSelectionField(list));
                }
                warnings.push(StatusInfo::warning(
                    CodeMinor::InvalidSelectionField,
                    format!("unknown fields ignored: {list}"),
                ));
            }
            self.fields = (!known.is_empty()).then_some(known);
        }
        Ok(warnings)
    }
}

fn is_sortable(entity: Entity, name: &str) -> bool {
    entity
        .field(name)
        .is_some_and(|f| !matches!(f.ty, FieldType::RefList(_)))
}

fn normalize_filter(
    filter: &mut Filter,
    entity: Entity,
    version: Version,
) -> Result<(), QueryError> {
    match filter {
        Filter::Predicate(predicate) => {
            let written = predicate.field.to_string();
            let canonical = versions::canonical_path(entity, version, &written)
                .ok_or_else(|| QueryError::UnknownFilterField(written.clone()))?;
            if canonical != written {
                predicate.value =
                    versions::canonical_value(entity, version, &written, &predicate.value);
                predicate.field = FieldPath::from_dotted(&canonical);
            }
            normalize_predicate(predicate, entity)
        }
        Filter::And(parts) | Filter::Or(parts) => parts
            .iter_mut()
            .try_for_each(|part| normalize_filter(part, entity, version)),
    }
}

fn normalize_predicate(predicate: &mut Predicate, entity: Entity) -> Result<(), QueryError> {
    use super::filter::Operator::Contains;
    let unknown = || QueryError::UnknownFilterField(predicate.field.to_string());
    let field = entity.field(predicate.field.head()).ok_or_else(unknown)?;
    let tail = predicate.field.tail();
    match field.ty {
        FieldType::Ref(_) | FieldType::RefList(_) if tail.is_some_and(|t| t != "sourcedId") => {
            return Err(unknown());
        }
        FieldType::Ref(_) | FieldType::RefList(_) => {}
        _ if tail.is_some() => return Err(unknown()),
        _ => {}
    }
    if predicate.operator == Contains {
        return Ok(());
    }
    let invalid = |expected| QueryError::InvalidFilterValue {
        field: predicate.field.to_string(),
        value: predicate.value.clone(),
        expected,
    };
    let normalized = match field.ty {
        FieldType::Enum(vocabulary) => vocab::canonical(vocabulary, &predicate.value)
            .map(str::to_owned)
            .unwrap_or_else(|| predicate.value.clone()),
        FieldType::Timestamp => datetime::canonical_timestamp(&predicate.value)
            .ok_or_else(|| invalid("an ISO 8601 date-time such as 2026-08-01T00:00:00.000Z"))?,
        FieldType::Date => datetime::parse_date(&predicate.value)
            .map(datetime::format_date)
            .ok_or_else(|| invalid("a date YYYY-MM-DD"))?,
        FieldType::Bool => match predicate.value.to_ascii_lowercase().as_str() {
            b @ ("true" | "false") => b.to_owned(),
            _ => return Err(invalid("'true' or 'false'")),
        },
        _ => return Ok(()),
    };
    predicate.value = normalized;
    Ok(())
}

#[cfg(test)]
mod tests;
