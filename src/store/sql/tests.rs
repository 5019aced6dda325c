//! The SQL the builder writes, for both dialects.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::oneroster::primitives::Hrefs;
use crate::oneroster::query::ListQuery;

fn selection(entity: Entity, restrictions: Vec<Restriction>, query: &str) -> Selection {
    let mut query = ListQuery::parse(query).unwrap();
    query
        .check(entity, crate::oneroster::vocab::Version::V1p1)
        .unwrap();
    Selection {
        entity,
        restrictions,
        query,
        hrefs: Hrefs::new("http://h/ims/oneroster/v1p1"),
    }
}

#[test]
fn a_plain_page_is_ordered_by_sourced_id_and_paged_with_parameters() {
    let s = selection(Entity::Org, vec![], "limit=5&offset=10");
    let sql = list_statements(&s, Dialect::Sqlite);
    assert_eq!(sql.count.text, "SELECT COUNT(*) FROM [oneroster_orgs] t");
    assert_eq!(
        sql.page.text,
        "SELECT r.[sourcedId], r.[status], r.[dateLastModified], r.[name], r.[type], \
         r.[identifier], r.[parentSourcedId] FROM [oneroster_orgs] r \
         JOIN (SELECT t.[sourcedId] FROM [oneroster_orgs] t ORDER BY t.[sourcedId] ASC \
         LIMIT ?1 OFFSET ?2) p ON p.[sourcedId] = r.[sourcedId] ORDER BY r.[sourcedId] ASC"
    );
    assert_eq!(sql.page.params, vec![Param::Int(5), Param::Int(10)]);
    let mssql = list_statements(&s, Dialect::MsSql);
    assert!(mssql
        .page
        .text
        .contains("ORDER BY t.[sourcedId] ASC OFFSET @P2 ROWS FETCH NEXT @P1 ROWS ONLY) p"));
}

#[test]
fn filters_bind_every_value_and_keep_and_tighter_than_or() {
    let s = selection(
        Entity::User,
        vec![Restriction::column("role", "student")],
        "filter=status='active' AND givenName~'Sø' OR dateLastModified>'2026-01-01T00:00:00Z'",
    );
    let sql = list_statements(&s, Dialect::Sqlite);
    assert_eq!(
        sql.count.text,
        "SELECT COUNT(*) FROM [oneroster_users] t WHERE t.[role] = ?1 AND \
         ((t.[status] = ?2 AND t.[givenName] LIKE ?3 ESCAPE '\\') OR t.[dateLastModified] > ?4)"
    );
    assert_eq!(sql.count.params[2], Param::Text("%Sø%".into()));
    assert!(matches!(sql.count.params[3], Param::Timestamp(_)));
    assert!(
        !sql.page.text.contains("Sø"),
        "values never reach the SQL text"
    );
}

#[test]
fn text_equality_ignores_case_in_sqlite() {
    let s = selection(Entity::User, vec![], "filter=email='A@B.dk'");
    let sql = list_statements(&s, Dialect::Sqlite);
    assert!(sql
        .count
        .text
        .ends_with("WHERE t.[email] = ?1 COLLATE NOCASE"));
    let sql = list_statements(&s, Dialect::MsSql);
    assert!(sql.count.text.ends_with("WHERE t.[email] = @P1"));
}

#[test]
fn references_and_reference_lists() {
    let s = selection(
        Entity::Class,
        vec![],
        "filter=school.sourcedId='s1' AND terms.sourcedId!='t1'",
    );
    let sql = list_statements(&s, Dialect::Sqlite);
    assert!(sql.count.text.contains("t.[schoolSourcedId] = ?1"));
    assert!(sql.count.text.contains(
        "NOT EXISTS (SELECT 1 FROM [oneroster_class_terms] l WHERE l.[classSourcedId] = t.[sourcedId] AND l.[termSourcedId] = ?2)"
    ));
}

#[test]
fn list_fields_match_any_element() {
    let s = selection(Entity::User, vec![], "filter=grades='05'");
    let sql = list_statements(&s, Dialect::Sqlite);
    assert!(sql
        .count
        .text
        .ends_with("CONCAT(',', t.[grades], ',') LIKE ?1 ESCAPE '\\'"));
    assert_eq!(sql.count.params, vec![Param::Text("%,05,%".into())]);
}

#[test]
fn sort_breaks_ties_by_sourced_id() {
    let s = selection(Entity::User, vec![], "sort=familyName&orderBy=desc");
    let sql = list_statements(&s, Dialect::Sqlite);
    assert!(sql
        .page
        .text
        .contains("ORDER BY t.[familyName] DESC, t.[sourcedId] ASC LIMIT"));
    assert!(sql
        .page
        .text
        .ends_with("ORDER BY r.[familyName] DESC, r.[sourcedId] ASC"));
    let s = selection(Entity::Enrollment, vec![], "sort=class");
    assert!(list_statements(&s, Dialect::Sqlite)
        .page
        .text
        .contains("ORDER BY t.[classSourcedId] ASC"));
}

#[test]
fn nested_restrictions() {
    let s = selection(
        Entity::User,
        vec![Restriction::Enrolled {
            role: Some("student"),
            class: Some("c1".into()),
            school: None,
        }],
        "",
    );
    let sql = list_statements(&s, Dialect::MsSql);
    assert_eq!(
        sql.count.text,
        "SELECT COUNT(*) FROM [dbo].[oneroster_users] t WHERE EXISTS (SELECT 1 FROM [dbo].[oneroster_enrollments] e \
         WHERE e.[userSourcedId] = t.[sourcedId] AND e.[status] = @P1 AND e.[role] = @P2 AND e.[classSourcedId] = @P3)"
    );
}

#[test]
fn link_batches_are_parameterized() {
    let link = views::link(Entity::User, "orgs").unwrap();
    let sql = link_statement(link, &["u1".into(), "u2".into()], Dialect::MsSql);
    assert_eq!(
        sql.text,
        "SELECT l.[userSourcedId], l.[orgSourcedId] FROM [dbo].[oneroster_user_orgs] l \
         WHERE l.[userSourcedId] IN (@P1, @P2) ORDER BY l.[userSourcedId], l.[orgSourcedId]"
    );
}
