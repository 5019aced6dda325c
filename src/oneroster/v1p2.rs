//! The OneRoster 1.2 representation, derived from the canonical (1.1-shaped) records.
//!
//! Orgs, academic sessions, courses, classes, enrollments and demographics have the same JSON
//! shape in both versions, so they are written as they are. Users differ: 1.2 replaces `role`
//! and `orgs` with `roles[]` (one per org, the first `primary`) and `primaryOrg`, requires
//! `enabledUser`, and adds `userMasterIdentifier`, preferred names, `pronouns` and
//! `userProfiles`.

use serde::{Deserialize, Serialize};

use super::primitives::{GuidRef, StrBool};
use super::v1p1::{self, Common};

/// `roles[]` item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    /// `primary` or `secondary`.
    pub role_type: String,
    pub role: String,
    pub org: GuidRef,
}

/// `userIds[]` item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UserId {
    #[serde(rename = "type")]
    pub id_type: String,
    pub identifier: String,
}

/// `userProfiles[]` credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Credential {
    #[serde(rename = "type")]
    pub credential_type: String,
    pub username: String,
}

/// `userProfiles[]` item: an account the user holds with some system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserProfile {
    pub profile_id: String,
    pub profile_type: String,
    pub vendor_id: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub credentials: Vec<Credential>,
}

/// A 1.2 `user`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = UserV1p2)]
#[serde(rename_all = "camelCase")]
pub struct User {
    #[serde(flatten)]
    pub common: Common,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub user_master_identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub user_ids: Vec<UserId>,
    pub enabled_user: StrBool,
    pub given_name: String,
    pub family_name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub middle_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub preferred_first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub preferred_middle_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub preferred_last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub pronouns: Option<String>,
    pub roles: Vec<Role>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub user_profiles: Vec<UserProfile>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[schema(nullable = false)]
    pub primary_org: Option<GuidRef>,
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
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub grades: Vec<String>,
}

/// A record in its 1.2 representation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Record {
    /// Every entity whose shape 1.2 did not change.
    Unchanged(v1p1::Record),
    User(User),
}

/// The 1.2 spelling of a 1.1 role. 1.2 splits `administrator` by scope; UMS's leaders are
/// administrators of the org they are attached to, hence `siteAdministrator`.
pub fn role(v1p1_role: &str) -> &str {
    match v1p1_role {
        "administrator" => "siteAdministrator",
        other => other,
    }
}

/// The 1.1 role(s) a 1.2 role value stands for, for filtering (`roles.role='siteAdministrator'`).
pub fn v1p1_role(v1p2_role: &str) -> &str {
    if v1p2_role.eq_ignore_ascii_case("siteAdministrator")
        || v1p2_role.eq_ignore_ascii_case("districtAdministrator")
    {
        "administrator"
    } else {
        v1p2_role
    }
}

fn user(user: v1p1::User) -> User {
    let roles = user
        .orgs
        .iter()
        .enumerate()
        .map(|(i, org)| Role {
            role_type: if i == 0 { "primary" } else { "secondary" }.to_owned(),
            role: role(&user.role).to_owned(),
            org: org.clone(),
        })
        .collect();
    User {
        common: user.common,
        // The UNI-Login username is unique across Denmark: the user's master identifier.
        user_master_identifier: Some(user.username.clone()),
        username: Some(user.username),
        user_ids: Vec::new(),
        enabled_user: user.enabled_user.unwrap_or(StrBool(true)),
        given_name: user.given_name,
        family_name: user.family_name,
        middle_name: user.middle_name,
        preferred_first_name: None,
        preferred_middle_name: None,
        preferred_last_name: None,
        pronouns: None,
        roles,
        user_profiles: Vec::new(),
        primary_org: user.orgs.into_iter().next(),
        identifier: user.identifier,
        email: user.email,
        sms: user.sms,
        phone: user.phone,
        agents: user.agents,
        grades: user.grades,
    }
}

impl From<v1p1::Record> for Record {
    fn from(record: v1p1::Record) -> Record {
        match record {
            v1p1::Record::User(u) => Record::User(user(u)),
            other => Record::Unchanged(other),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::oneroster::entity::Entity;
    use crate::oneroster::primitives::{Hrefs, Status, Timestamp};
    use serde_json::json;
    use time::macros::datetime;

    fn user_1p1(role: &str, orgs: &[&str]) -> v1p1::User {
        let hrefs = Hrefs::new("https://h/ims/oneroster/rostering/v1p2");
        v1p1::User {
            common: Common {
                sourced_id: "u1".into(),
                status: Status::Active,
                date_last_modified: Timestamp(datetime!(2026-08-01 06:00 UTC)),
            },
            username: "sore1234".into(),
            enabled_user: None,
            given_name: "Søren".into(),
            family_name: "Ærø".into(),
            middle_name: None,
            role: role.into(),
            identifier: None,
            email: None,
            sms: None,
            phone: None,
            agents: vec![],
            orgs: orgs
                .iter()
                .map(|o| hrefs.to(Entity::Org, (*o).into()))
                .collect(),
            grades: vec![],
        }
    }

    #[test]
    fn users_get_roles_primary_org_and_required_enabled_user() {
        let record = Record::from(v1p1::Record::User(user_1p1("administrator", &["d", "s"])));
        let value = serde_json::to_value(record).unwrap();
        assert_eq!(value["enabledUser"], "true");
        assert_eq!(value["roles"][0]["roleType"], "primary");
        assert_eq!(value["roles"][0]["role"], "siteAdministrator");
        assert_eq!(value["roles"][1]["roleType"], "secondary");
        assert_eq!(value["primaryOrg"]["sourcedId"], "d");
        assert_eq!(value["userMasterIdentifier"], "sore1234");
        assert!(value.get("role").is_none() && value.get("orgs").is_none());
        assert_eq!(
            value["roles"][1]["org"],
            json!({"href": "https://h/ims/oneroster/rostering/v1p2/orgs/s", "sourcedId": "s", "type": "org"})
        );
    }

    #[test]
    fn role_spellings_round_trip_for_filters() {
        for r in ["student", "teacher", "aide", "guardian", "administrator"] {
            assert_eq!(v1p1_role(role(r)), r);
        }
    }
}
