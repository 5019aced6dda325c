//! Wire primitives shared by both versions: status, timestamps, dates, string booleans and
//! GUIDRefs, each with the exact serialization OneRoster consumers insist on.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, OffsetDateTime};

use super::datetime;
use super::entity::Entity;

/// `status`: OneRoster 1.1 dropped `inactive`, so only these two exist on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    #[serde(rename = "tobedeleted")]
    ToBeDeleted,
}

impl Status {
    /// Reads the view's `status` column; anything but `active` is a tombstone.
    pub fn from_column(text: &str) -> Status {
        if text.eq_ignore_ascii_case("active") {
            Status::Active
        } else {
            Status::ToBeDeleted
        }
    }
}

/// A UTC instant written as `YYYY-MM-DDTHH:MM:SS.sssZ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub OffsetDateTime);

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&datetime::format_timestamp(self.0))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        datetime::parse_timestamp(&text)
            .map(Timestamp)
            .ok_or_else(|| de::Error::custom(format!("not a timestamp: {text}")))
    }
}

/// A calendar date written as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CalendarDate(pub Date);

impl Serialize for CalendarDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&datetime::format_date(self.0))
    }
}

impl<'de> Deserialize<'de> for CalendarDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        datetime::parse_date(&text)
            .map(CalendarDate)
            .ok_or_else(|| de::Error::custom(format!("not a date: {text}")))
    }
}

/// A boolean written as the lowercase string `"true"` or `"false"`, as real 1.1 providers and
/// the 1.2 schema do (strict clients reject JSON booleans and `"True"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrBool(pub bool);

impl Serialize for StrBool {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if self.0 { "true" } else { "false" })
    }
}

impl<'de> Deserialize<'de> for StrBool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match String::deserialize(deserializer)?.as_str() {
            "true" => Ok(StrBool(true)),
            "false" => Ok(StrBool(false)),
            other => Err(de::Error::custom(format!(
                "not \"true\"/\"false\": {other}"
            ))),
        }
    }
}

/// A reference to another record: absolute `href`, `sourcedId` and the base `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GuidRef {
    #[schema(format = "uri")]
    pub href: String,
    pub sourced_id: String,
    #[serde(rename = "type")]
    pub ref_type: String,
}

/// OpenAPI schemas of the string-encoded primitives, for the discovery documents.
macro_rules! string_schema {
    ($type:ty, $name:literal, $schema:expr) => {
        impl utoipa::PartialSchema for $type {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                serde_json::from_value($schema).unwrap_or_default()
            }
        }

        impl utoipa::ToSchema for $type {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed($name)
            }
        }
    };
}

string_schema!(
    Timestamp,
    "DateTime",
    serde_json::json!({"type": "string", "format": "date-time"})
);
string_schema!(
    CalendarDate,
    "Date",
    serde_json::json!({"type": "string", "format": "date"})
);
string_schema!(
    StrBool,
    "StringBoolean",
    serde_json::json!({"type": "string", "enum": ["true", "false"]})
);

/// Builds GUIDRefs whose `href` points into one version's tree on the request's host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hrefs {
    base: String,
}

impl Hrefs {
    /// `base` is the absolute tree URL, e.g. `https://skole.example.dk/ims/oneroster/v1p1`.
    pub fn new(base: impl Into<String>) -> Hrefs {
        let mut base = base.into();
        while base.ends_with('/') {
            base.pop();
        }
        Hrefs { base }
    }

    /// A GUIDRef to `entity` record `sourced_id`.
    pub fn to(&self, entity: Entity, sourced_id: String) -> GuidRef {
        GuidRef {
            href: format!("{}/{}/{}", self.base, entity.collection(), sourced_id),
            sourced_id,
            ref_type: entity.guid_type().to_owned(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn booleans_are_lowercase_strings() {
        assert_eq!(serde_json::to_value(StrBool(true)).unwrap(), json!("true"));
        assert!(serde_json::from_value::<StrBool>(json!("True")).is_err());
        assert!(serde_json::from_value::<StrBool>(json!(true)).is_err());
    }

    #[test]
    fn timestamps_have_milliseconds_in_utc() {
        let ts: Timestamp = serde_json::from_value(json!("2026-08-01T08:00:00+02:00")).unwrap();
        assert_eq!(
            serde_json::to_value(ts).unwrap(),
            json!("2026-08-01T06:00:00.000Z")
        );
    }

    #[test]
    fn guid_refs_are_absolute_with_base_type() {
        let hrefs = Hrefs::new("https://h.example/ims/oneroster/v1p1/");
        let r = hrefs.to(Entity::Org, "s1".into());
        assert_eq!(
            serde_json::to_value(r).unwrap(),
            json!({"href": "https://h.example/ims/oneroster/v1p1/orgs/s1", "sourcedId": "s1", "type": "org"})
        );
    }

    #[test]
    fn status_spelling() {
        assert_eq!(
            serde_json::to_value(Status::ToBeDeleted).unwrap(),
            json!("tobedeleted")
        );
        assert_eq!(Status::from_column("active"), Status::Active);
    }
}
