//! Where 1.2 names differ from 1.1 names, for the list parameters.
//!
//! Records are stored and filtered under their 1.1 field names. Only users were renamed in 1.2:
//! `role` and `orgs` became `roles[]` and `primaryOrg`. A 1.2 filter on `roles.role` or
//! `roles.org.sourcedId` is therefore mapped onto `role` / `orgs.sourcedId`, and `fields` is
//! checked against the 1.2 names.

use super::entity::Entity;
use super::v1p2;
use super::vocab::Version;

/// The JSON names of a 1.2 user, in output order.
const USER_V1P2: &[&str] = &[
    "sourcedId",
    "status",
    "dateLastModified",
    "userMasterIdentifier",
    "username",
    "userIds",
    "enabledUser",
    "givenName",
    "familyName",
    "middleName",
    "preferredFirstName",
    "preferredMiddleName",
    "preferredLastName",
    "pronouns",
    "roles",
    "userProfiles",
    "primaryOrg",
    "identifier",
    "email",
    "sms",
    "phone",
    "agents",
    "grades",
];

fn renamed(entity: Entity, version: Version) -> bool {
    entity == Entity::User && version == Version::V1p2
}

/// Whether `name` is a field of `entity`'s representation in `version` (for `fields`).
pub fn has_field(entity: Entity, version: Version, name: &str) -> bool {
    if renamed(entity, version) {
        USER_V1P2.contains(&name)
    } else {
        entity.field(name).is_some()
    }
}

/// The 1.1 path that a filter or sort path of `version` stands for; `None` when the path does
/// not exist in that version.
pub fn canonical_path(entity: Entity, version: Version, path: &str) -> Option<String> {
    if !renamed(entity, version) {
        return Some(path.to_owned());
    }
    let head = path.split('.').next().unwrap_or(path);
    match path {
        "roles.role" => Some("role".to_owned()),
        "roles.org.sourcedId" => Some("orgs.sourcedId".to_owned()),
        "userMasterIdentifier" => Some("username".to_owned()),
        _ if head == "role" || head == "orgs" => None,
        _ if USER_V1P2.contains(&head) => Some(path.to_owned()),
        _ => None,
    }
}

/// A filter value of `version` in its 1.1 form (1.2 role names are mapped back).
pub fn canonical_value(entity: Entity, version: Version, path: &str, value: &str) -> String {
    if renamed(entity, version) && path == "roles.role" {
        v1p2::v1p1_role(value).to_owned()
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_are_renamed_in_1_2_only() {
        assert!(has_field(Entity::User, Version::V1p2, "roles"));
        assert!(!has_field(Entity::User, Version::V1p2, "role"));
        assert!(has_field(Entity::User, Version::V1p1, "role"));
        assert!(has_field(Entity::Org, Version::V1p2, "identifier"));
    }

    #[test]
    fn paths_map_onto_1_1_fields() {
        let path = |p| canonical_path(Entity::User, Version::V1p2, p);
        assert_eq!(path("roles.role").as_deref(), Some("role"));
        assert_eq!(
            path("roles.org.sourcedId").as_deref(),
            Some("orgs.sourcedId")
        );
        assert_eq!(path("givenName").as_deref(), Some("givenName"));
        assert_eq!(path("role"), None);
        assert_eq!(path("orgs.sourcedId"), None);
        assert_eq!(
            canonical_path(Entity::User, Version::V1p1, "role").as_deref(),
            Some("role")
        );
        assert_eq!(
            canonical_value(
                Entity::User,
                Version::V1p2,
                "roles.role",
                "siteAdministrator"
            ),
            "administrator"
        );
    }
}
