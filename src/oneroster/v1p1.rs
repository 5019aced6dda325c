//! The OneRoster 1.1 rostering model as serde types.
//!
//! These are also the service's canonical records: the stores build them straight from the
//! views, and the 1.2 representation is derived from them. Optional fields are omitted rather
//! than written as `null` (schemas do not allow null, and lean records keep a 5 000-record page
//! well under the 6 MB Lambda response limit).

use serde::{Deserialize, Serialize};

use super::primitives::{CalendarDate, GuidRef, Status, StrBool, Timestamp};

/// The fields every record carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Common {
    pub sourced_id: String,
    pub status: Status,
    pub date_last_modified: Timestamp,
}

/// `org`: the municipality (district) and its schools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Org {
    #[serde(flatten)]
    pub common: Common,
    pub name: String,
    #[serde(rename = "type")]
    pub org_type: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub parent: Option<GuidRef>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub children: Vec<GuidRef>,
}

/// `academicSession`: school years, terms and grading periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AcademicSession {
    #[serde(flatten)]
    pub common: Common,
    pub title: String,
    pub start_date: CalendarDate,
    pub end_date: CalendarDate,
    #[serde(rename = "type")]
    pub session_type: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub parent: Option<GuidRef>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub children: Vec<GuidRef>,
    pub school_year: String,
}

/// `course`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Course {
    #[serde(flatten)]
    pub common: Common,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub school_year: Option<GuidRef>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub course_code: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub grades: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub subjects: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub org: Option<GuidRef>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub subject_codes: Vec<String>,
}

/// `class`: a stamklasse (homeroom) or a hold (scheduled).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Class {
    #[serde(flatten)]
    pub common: Common,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub class_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub class_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub grades: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub subjects: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub course: Option<GuidRef>,
    pub school: GuidRef,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub terms: Vec<GuidRef>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub subject_codes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub periods: Vec<String>,
}

/// `user`: students, staff and guardians.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct User {
    #[serde(flatten)]
    pub common: Common,
    pub username: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub enabled_user: Option<StrBool>,
    pub given_name: String,
    pub family_name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub middle_name: Option<String>,
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub sms: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub agents: Vec<GuidRef>,
    pub orgs: Vec<GuidRef>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub grades: Vec<String>,
}

/// `enrollment`: one user in one class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Enrollment {
    #[serde(flatten)]
    pub common: Common,
    pub user: GuidRef,
    pub class: GuidRef,
    pub school: GuidRef,
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub primary: Option<StrBool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub begin_date: Option<CalendarDate>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub end_date: Option<CalendarDate>,
}

/// `demographics`: keyed by the user's sourcedId.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Demographics {
    #[serde(flatten)]
    pub common: Common,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub birth_date: Option<CalendarDate>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub sex: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub american_indian_or_alaska_native: Option<StrBool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub asian: Option<StrBool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub black_or_african_american: Option<StrBool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub native_hawaiian_or_other_pacific_islander: Option<StrBool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub white: Option<StrBool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub demographic_race_two_or_more_races: Option<StrBool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub hispanic_or_latino_ethnicity: Option<StrBool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub country_of_birth_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub state_of_birth_abbreviation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub city_of_birth: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub public_school_residence_status: Option<String>,
}

/// Any one record, as a store returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Record {
    Org(Org),
    AcademicSession(AcademicSession),
    Course(Course),
    Class(Class),
    User(User),
    Enrollment(Enrollment),
    Demographics(Demographics),
}

impl Record {
    /// The fields every record carries.
    pub fn common(&self) -> &Common {
        match self {
            Record::Org(r) => &r.common,
            Record::AcademicSession(r) => &r.common,
            Record::Course(r) => &r.common,
            Record::Class(r) => &r.common,
            Record::User(r) => &r.common,
            Record::Enrollment(r) => &r.common,
            Record::Demographics(r) => &r.common,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::oneroster::entity::Entity;
    use crate::oneroster::primitives::Hrefs;
    use serde_json::json;
    use time::macros::datetime;

    fn common() -> Common {
        Common {
            sourced_id: "u1".into(),
            status: Status::Active,
            date_last_modified: Timestamp(datetime!(2026-08-01 06:00 UTC)),
        }
    }

    #[test]
    fn user_omits_absent_fields_and_uses_string_booleans() {
        let hrefs = Hrefs::new("https://h/ims/oneroster/v1p1");
        let user = User {
            common: common(),
            username: "ande4821".into(),
            enabled_user: Some(StrBool(true)),
            given_name: "Åse".into(),
            family_name: "Mølgaard".into(),
            middle_name: None,
            role: "student".into(),
            identifier: Some("ande4821".into()),
            email: None,
            sms: None,
            phone: None,
            agents: vec![],
            orgs: vec![hrefs.to(Entity::Org, "s1".into())],
            grades: vec!["05".into()],
        };
        let value = serde_json::to_value(&user).unwrap();
        assert_eq!(
            value,
            json!({
                "sourcedId": "u1", "status": "active",
                "dateLastModified": "2026-08-01T06:00:00.000Z",
                "username": "ande4821", "enabledUser": "true",
                "givenName": "Åse", "familyName": "Mølgaard", "role": "student",
                "identifier": "ande4821",
                "orgs": [{"href": "https://h/ims/oneroster/v1p1/orgs/s1", "sourcedId": "s1", "type": "org"}],
                "grades": ["05"]
            })
        );
        let back: User = serde_json::from_value(value).unwrap();
        assert_eq!(back, user);
    }
}
