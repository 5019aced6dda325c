//! Unit tests of `query`.

#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn defaults() {
    let q = ListQuery::parse("").unwrap();
    assert_eq!(q, ListQuery::default());
    assert_eq!(q.limit, 100);
}

#[test]
fn limits_are_honoured_up_to_int32() {
    assert_eq!(ListQuery::parse("limit=10000").unwrap().limit, 10_000);
    assert_eq!(
        ListQuery::parse("limit=2147483647").unwrap().limit,
        2_147_483_647
    );
    for bad in [
        "limit=0",
        "limit=-1",
        "limit=abc",
        "limit=2147483648",
        "limit=",
        "limit=%2B5",
        "limit=1.0",
    ] {
        assert!(
            matches!(ListQuery::parse(bad), Err(QueryError::InvalidLimit(_))),
            "{bad}"
        );
    }
}

#[test]
fn offset_and_order() {
    let q = ListQuery::parse("offset=20&sort=familyName&orderBy=DESC").unwrap();
    assert_eq!((q.offset, q.direction), (20, Direction::Desc));
    assert_eq!(q.sort.as_deref(), Some("familyName"));
    assert!(ListQuery::parse("offset=-3").is_err());
    assert!(ListQuery::parse("offset=2147483648").is_err());
    assert_eq!(
        ListQuery::parse("offset=2147483647").unwrap().offset,
        2_147_483_647
    );
    assert!(matches!(
        ListQuery::parse("orderBy=up"),
        Err(QueryError::InvalidOrderBy(_))
    ));
}

#[test]
fn fields_accept_comma_lists_and_repeats() {
    let q = ListQuery::parse("fields=givenName,familyName&fields=email&fields=givenName").unwrap();
    assert_eq!(q.fields.unwrap(), ["givenName", "familyName", "email"]);
    assert_eq!(
        ListQuery::parse("fields=a,,b"),
        Err(QueryError::BlankSelectionField)
    );
    assert_eq!(
        ListQuery::parse("fields="),
        Err(QueryError::BlankSelectionField)
    );
}

#[test]
fn repeated_scalars_are_refused() {
    assert_eq!(
        ListQuery::parse("limit=1&limit=2"),
        Err(QueryError::Repeated("limit"))
    );
}

#[test]
fn check_warns_on_unknown_sort_and_fields() {
    let mut q = ListQuery::parse("sort=shoeSize&fields=givenName,shoeSize").unwrap();
    let warnings = q.check(Entity::User, Version::V1p1).unwrap();
    assert_eq!(warnings.len(), 2);
    assert_eq!(q.sort, None);
    assert_eq!(q.fields.unwrap(), ["givenName"]);
}

#[test]
fn check_refuses_unknown_filter_fields_naming_them() {
    let mut q = ListQuery::parse("filter=shoeSize%3D'42'").unwrap();
    let err = q.check(Entity::User, Version::V1p1).unwrap_err();
    assert_eq!(err, QueryError::UnknownFilterField("shoeSize".into()));
    assert!(err.to_string().contains("shoeSize"));
    let mut q = ListQuery::parse("filter=givenName.sourcedId%3D'x'").unwrap();
    assert!(q.check(Entity::User, Version::V1p1).is_err());
}

#[test]
fn check_normalizes_values() {
    let mut q = ListQuery::parse(
        "filter=status%3D'ACTIVE' AND dateLastModified>'2026-01-01T01:00:00%2B01:00'",
    )
    .unwrap();
    q.check(Entity::User, Version::V1p1).unwrap();
    let filter = q.filter.unwrap();
    let values: Vec<_> = filter
        .predicates()
        .iter()
        .map(|p| p.value.clone())
        .collect();
    assert_eq!(values, ["active", "2026-01-01T00:00:00.000Z"]);
}

#[test]
fn check_refuses_bad_typed_values() {
    let mut q = ListQuery::parse("filter=dateLastModified>'last week'").unwrap();
    assert!(matches!(
        q.check(Entity::User, Version::V1p1),
        Err(QueryError::InvalidFilterValue { .. })
    ));
    let mut q = ListQuery::parse("filter=school.sourcedId%3D'x'").unwrap();
    assert!(q.check(Entity::Class, Version::V1p1).is_ok());
}

#[test]
fn version_1_2_names_users_by_roles() {
    let mut q =
        ListQuery::parse("filter=roles.role%3D'siteAdministrator'&sort=userMasterIdentifier")
            .unwrap();
    q.check(Entity::User, Version::V1p2).unwrap();
    let filter = q.filter.unwrap();
    let predicate = filter.predicates()[0];
    assert_eq!(
        (
            predicate.field.to_string().as_str(),
            predicate.value.as_str()
        ),
        ("role", "administrator")
    );
    assert_eq!(q.sort.as_deref(), Some("username"));
    let mut q = ListQuery::parse("filter=role%3D'student'").unwrap();
    assert!(q.check(Entity::User, Version::V1p2).is_err());
}

#[test]
fn unknown_fields_are_an_error_in_1_2() {
    let mut q = ListQuery::parse("fields=roles,shoeSize").unwrap();
    assert_eq!(
        q.check(Entity::User, Version::V1p2),
        Err(QueryError::UnknownSelectionField("shoeSize".into()))
    );
    let mut q = ListQuery::parse("fields=roles").unwrap();
    assert!(q.check(Entity::User, Version::V1p2).unwrap().is_empty());
}
