//! Every statement the builder writes for SQL Server is T-SQL a real parser accepts.
//!
//! Two sources: here, a matrix that walks every entity × field × operator, every sort, every
//! route restriction and link batches through the builder; and in `equivalence`, every statement
//! the SQL Server store actually sent (recorded by the relay). Each is parsed with sqlparser's
//! MsSqlDialect.

#![allow(clippy::unwrap_used)]

use sqlparser::dialect::MsSqlDialect;
use sqlparser::parser::Parser;

use ums_oneroster::oneroster::entity::{Entity, FieldType};
use ums_oneroster::oneroster::primitives::Hrefs;
use ums_oneroster::oneroster::query::ListQuery;
use ums_oneroster::oneroster::vocab::Version;
use ums_oneroster::store::sql::{self, Dialect, SqlQuery, MAX_IN_LIST};
use ums_oneroster::store::{Restriction, Selection};

/// SQL Server's limit on parameters per call.
const MAX_PARAMETERS: usize = 2100;

/// sqlparser 0.64 takes only a literal after `FETCH NEXT` where T-SQL also takes a parameter
/// (`fetch_row_count_expression`), so that one marker is read as a number; nothing else changes.
fn for_sqlparser(text: &str) -> String {
    let Some(at) = text.find("FETCH NEXT @P") else {
        return text.to_owned();
    };
    let marker_start = at + "FETCH NEXT ".len();
    let digits = text[marker_start + 2..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    format!(
        "{}100{}",
        &text[..marker_start],
        &text[marker_start + 2 + digits..]
    )
}

/// Panics unless `statement` parses as T-SQL and stays within SQL Server's parameter limit.
pub fn parses(statement: &SqlQuery) {
    if let Err(error) = Parser::parse_sql(&MsSqlDialect {}, &for_sqlparser(&statement.text)) {
        panic!("not T-SQL ({error}):\n{}", statement.text);
    }
    assert!(
        statement.params.len() <= MAX_PARAMETERS,
        "{}",
        statement.text
    );
    let markers = (1..=statement.params.len()).all(|n| statement.text.contains(&format!("@P{n}")));
    assert!(
        markers,
        "every parameter has its marker: {}",
        statement.text
    );
}

fn value_for(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Timestamp => "2026-01-01T00:00:00Z",
        FieldType::Date => "2026-08-01",
        FieldType::Bool => "true",
        FieldType::Enum(words) => words[0],
        _ => "x_1%",
    }
}

fn selection(entity: Entity, restrictions: Vec<Restriction>, query: &str) -> Option<Selection> {
    let mut query = ListQuery::parse(query).ok()?;
    query.check(entity, Version::V1p1).ok()?;
    Some(Selection {
        entity,
        restrictions,
        query,
        hrefs: Hrefs::new("http://h/ims/oneroster/v1p1"),
    })
}

fn restrictions() -> Vec<Restriction> {
    vec![
        Restriction::column("type", "school"),
        Restriction::Enrolled {
            role: Some("student"),
            class: Some("c1".into()),
            school: Some("s1".into()),
        },
        Restriction::ClassOfUser { user: "u1".into() },
        Restriction::ClassInTerm { term: "t1".into() },
        Restriction::SessionOfSchool {
            school: "s1".into(),
        },
        Restriction::MemberOf { org: "s1".into() },
    ]
}

fn matrix() -> Vec<SqlQuery> {
    let mut statements = Vec::new();
    let mut add = |selection: Option<Selection>| {
        if let Some(selection) = selection {
            let list = sql::list_statements(&selection, Dialect::MsSql);
            statements.push(list.count);
            statements.push(list.page);
        }
    };
    for entity in Entity::ALL {
        add(selection(entity, vec![], "limit=5000&offset=425000"));
        for field in entity.fields() {
            let name = match field.ty {
                FieldType::Ref(_) | FieldType::RefList(_) => format!("{}.sourcedId", field.name),
                _ => field.name.to_owned(),
            };
            let value = value_for(field.ty);
            for op in ["=", "!=", ">", ">=", "<", "<=", "~"] {
                add(selection(
                    entity,
                    vec![],
                    &format!("filter={name}{op}'{value}'"),
                ));
            }
            add(selection(
                entity,
                vec![],
                &format!("sort={}&orderBy=desc", field.name),
            ));
        }
        add(selection(
            entity,
            vec![],
            "filter=status='active' AND (dateLastModified>'2026-01-01' OR sourcedId~'a')",
        ));
        for restriction in restrictions() {
            add(selection(
                entity,
                vec![restriction],
                "filter=status='active'&sort=sourcedId",
            ));
        }
    }
    let owners: Vec<String> = (0..MAX_IN_LIST + 1).map(|i| format!("id-{i}")).collect();
    for entity in Entity::ALL {
        statements.extend(
            sql::link_statements(entity, &owners, Dialect::MsSql)
                .into_iter()
                .map(|(_, statement)| statement),
        );
    }
    statements.push(sql::client_secret_statement(
        "WebserviceUser",
        Dialect::MsSql,
    ));
    statements
}

#[test]
fn only_the_fetch_count_is_adapted_for_the_parser() {
    assert_eq!(
        for_sqlparser("x OFFSET @P12 ROWS FETCH NEXT @P11 ROWS ONLY) p"),
        "x OFFSET @P12 ROWS FETCH NEXT 100 ROWS ONLY) p"
    );
    assert_eq!(for_sqlparser("SELECT 1"), "SELECT 1");
}

#[test]
fn every_statement_of_the_matrix_is_t_sql() {
    let statements = matrix();
    assert!(statements.len() > 1000, "{}", statements.len());
    for statement in &statements {
        parses(statement);
    }
}

#[test]
fn the_widest_filter_stays_far_below_the_parameter_limit() {
    let clauses: Vec<String> = (0..ums_oneroster::oneroster::filter::MAX_CLAUSES)
        .map(|i| format!("orgs.sourcedId!='o{i}'"))
        .collect();
    let selection = selection(
        Entity::User,
        vec![Restriction::Enrolled {
            role: Some("student"),
            class: Some("c".into()),
            school: Some("s".into()),
        }],
        &format!("filter={}", clauses.join(" AND ")),
    )
    .unwrap();
    let page = sql::list_statements(&selection, Dialect::MsSql).page;
    parses(&page);
    assert!(page.params.len() < 100, "{}", page.params.len());
}
