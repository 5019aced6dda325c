//! The query builder: turns a [`Selection`] into parameterized SQL over the OneRoster views.
//!
//! One builder serves both engines; [`Dialect`] holds every difference. Every value a client
//! sends (filter values, path ids, limit, offset) is bound as a parameter, never spliced into the
//! text: the text is built only from the field catalogue's fixed names.

pub mod dialect;
pub mod views;

mod predicate;

use time::OffsetDateTime;

pub use dialect::Dialect;
pub use views::Link;

use super::hydrate;
use super::plan::{Restriction, Selection};
use crate::oneroster::entity::Entity;
use crate::oneroster::query::Direction;

/// SQL Server accepts at most 2 100 parameters per call; IN-lists are cut well below that.
pub const MAX_IN_LIST: usize = 1000;

/// A value bound to a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    Text(String),
    Int(i64),
    /// A UTC instant: canonical text in SQLite, `datetime2` in SQL Server.
    Timestamp(OffsetDateTime),
}

/// SQL text and its parameters, in marker order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlQuery {
    pub text: String,
    pub params: Vec<Param>,
}

/// The two statements of a collection read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListStatements {
    /// `SELECT COUNT(*)` of the matching rows (`X-Total-Count`).
    pub count: SqlQuery,
    /// The page itself, in the requested order.
    pub page: SqlQuery,
}

/// Accumulates SQL text and binds parameters in order.
pub(crate) struct Writer {
    pub(crate) dialect: Dialect,
    pub(crate) text: String,
    pub(crate) params: Vec<Param>,
}

impl Writer {
    fn new(dialect: Dialect) -> Writer {
        Writer {
            dialect,
            text: String::new(),
            params: Vec::new(),
        }
    }

    /// Binds `param` and returns its marker.
    pub(crate) fn bind(&mut self, param: Param) -> String {
        self.params.push(param);
        self.dialect.placeholder(self.params.len())
    }

    pub(crate) fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// `alias.[column]`.
    pub(crate) fn col(&self, alias: &str, column: &str) -> String {
        format!("{alias}.{}", self.dialect.ident(column))
    }

    pub(crate) fn view(&self, entity: Entity) -> String {
        self.dialect.object(views::view(entity))
    }

    fn finish(self) -> SqlQuery {
        SqlQuery {
            text: self.text,
            params: self.params,
        }
    }
}

/// The count and page statements for `selection`.
///
/// The page is a deferred join: an inner query finds the page's sourcedIds in the requested
/// order (it touches only what the filter and the order need, so skipping `offset` rows is cheap),
/// and the outer query reads the full rows of just those ids. Without it a deep page would pay
/// for every lookup of every skipped row, and its cost would grow with its offset.
pub fn list_statements(selection: &Selection, dialect: Dialect) -> ListStatements {
    let mut inner = Writer::new(dialect);
    write_where(&mut inner, selection);
    let view = inner.view(selection.entity);
    let count = SqlQuery {
        text: format!("SELECT COUNT(*) FROM {view} t{}", inner.text),
        params: inner.params.clone(),
    };
    let filter = std::mem::take(&mut inner.text);
    let id = |alias: &str| format!("{alias}.{}", dialect.ident("sourcedId"));
    inner.push(&format!("SELECT {} FROM {view} t{filter}", id("t")));
    write_order(&mut inner, selection, "t");
    let limit = inner.bind(Param::Int(i64::from(selection.query.limit)));
    let offset = inner.bind(Param::Int(
        i64::try_from(selection.query.offset).unwrap_or(i64::MAX),
    ));
    inner.push(&dialect.paging(&limit, &offset));

    let mut page = Writer {
        dialect,
        text: format!(
            "{} FROM {view} r JOIN ({}) p ON {} = {}",
            select_list(dialect, selection.entity, "r"),
            inner.text,
            id("p"),
            id("r"),
        ),
        params: inner.params,
    };
    write_order(&mut page, selection, "r");
    ListStatements {
        count,
        page: page.finish(),
    }
}

/// `SELECT owner, target FROM link WHERE owner IN (…)`, for one batch of at most
/// [`MAX_IN_LIST`] owners, in a stable order.
pub fn link_statement(link: Link, owners: &[String], dialect: Dialect) -> SqlQuery {
    let mut w = Writer::new(dialect);
    let markers: Vec<String> = owners
        .iter()
        .map(|id| w.bind(Param::Text(id.clone())))
        .collect();
    let (owner, target) = (w.col("l", link.owner), w.col("l", link.target));
    w.push(&format!(
        "SELECT {owner}, {target} FROM {} l WHERE {owner} IN ({}) ORDER BY {owner}, {target}",
        dialect.object(link.view),
        markers.join(", ")
    ));
    w.finish()
}

/// The link reads that fill the arrays of references of a page's records (their owners, in page
/// order): for each reference-list field of `entity`, one statement per [`MAX_IN_LIST`] owners.
pub fn link_statements(
    entity: Entity,
    owners: &[String],
    dialect: Dialect,
) -> Vec<(&'static str, SqlQuery)> {
    let mut statements = Vec::new();
    for field in entity.fields() {
        let Some(link) = views::link(entity, field.name) else {
            continue;
        };
        for batch in owners.chunks(MAX_IN_LIST) {
            statements.push((field.name, link_statement(link, batch, dialect)));
        }
    }
    statements
}

/// `SELECT secret FROM WebServicesSettings WHERE user = ?`.
pub fn client_secret_statement(client_id: &str, dialect: Dialect) -> SqlQuery {
    let mut w = Writer::new(dialect);
    let marker = w.bind(Param::Text(client_id.to_owned()));
    w.push(&format!(
        "SELECT {} FROM {} WHERE {} = {marker}",
        dialect.ident("Password"),
        dialect.object("WebServicesSettings"),
        dialect.ident("UserName")
    ));
    w.finish()
}

fn select_list(dialect: Dialect, entity: Entity, alias: &str) -> String {
    let columns: Vec<String> = hydrate::columns(entity)
        .iter()
        .map(|c| format!("{alias}.{}", dialect.ident(c)))
        .collect();
    format!("SELECT {}", columns.join(", "))
}

fn write_where(w: &mut Writer, selection: &Selection) {
    let mut clauses = Vec::new();
    for restriction in &selection.restrictions {
        clauses.push(restriction_sql(w, restriction));
    }
    if let Some(filter) = &selection.query.filter {
        clauses.push(predicate::filter_sql(w, selection.entity, filter));
    }
    if !clauses.is_empty() {
        w.push(&format!(" WHERE {}", clauses.join(" AND ")));
    }
}

fn active(w: &mut Writer, alias: &str) -> String {
    let marker = w.bind(Param::Text("active".into()));
    format!("{} = {marker}", w.col(alias, "status"))
}

fn restriction_sql(w: &mut Writer, restriction: &Restriction) -> String {
    let t_id = w.col("t", "sourcedId");
    match restriction {
        Restriction::Column { column, value } => {
            let marker = w.bind(Param::Text(value.clone()));
            format!("{} = {marker}", w.col("t", column))
        }
        Restriction::Enrolled {
            role,
            class,
            school,
        } => {
            let mut parts = vec![
                format!("{} = {t_id}", w.col("e", "userSourcedId")),
                active(w, "e"),
            ];
            for (column, value) in [
                ("role", role.map(str::to_owned)),
                ("classSourcedId", class.clone()),
                ("schoolSourcedId", school.clone()),
            ] {
                if let Some(value) = value {
                    let marker = w.bind(Param::Text(value));
                    parts.push(format!("{} = {marker}", w.col("e", column)));
                }
            }
            exists(w, Entity::Enrollment, "e", &parts)
        }
        Restriction::ClassOfUser { user } => {
            let marker = w.bind(Param::Text(user.clone()));
            let parts = [
                format!("{} = {t_id}", w.col("e", "classSourcedId")),
                format!("{} = {marker}", w.col("e", "userSourcedId")),
                active(w, "e"),
            ];
            exists(w, Entity::Enrollment, "e", &parts)
        }
        Restriction::ClassInTerm { term } => {
            let marker = w.bind(Param::Text(term.clone()));
            format!(
                "EXISTS (SELECT 1 FROM {} ct WHERE {} = {t_id} AND {} = {marker})",
                w.dialect.object("oneroster_class_terms"),
                w.col("ct", "classSourcedId"),
                w.col("ct", "termSourcedId"),
            )
        }
        Restriction::SessionOfSchool { school } => {
            let marker = w.bind(Param::Text(school.clone()));
            format!(
                "EXISTS (SELECT 1 FROM {} ct JOIN {} c ON {} = {} WHERE {} = {t_id} AND {} = {marker})",
                w.dialect.object("oneroster_class_terms"),
                w.view(Entity::Class),
                w.col("c", "sourcedId"),
                w.col("ct", "classSourcedId"),
                w.col("ct", "termSourcedId"),
                w.col("c", "schoolSourcedId"),
            )
        }
        Restriction::MemberOf { org } => {
            let marker = w.bind(Param::Text(org.clone()));
            format!(
                "EXISTS (SELECT 1 FROM {} uo WHERE {} = {t_id} AND {} = {marker})",
                w.dialect.object("oneroster_user_orgs"),
                w.col("uo", "userSourcedId"),
                w.col("uo", "orgSourcedId"),
            )
        }
    }
}

fn exists(w: &Writer, entity: Entity, alias: &str, parts: &[String]) -> String {
    format!(
        "EXISTS (SELECT 1 FROM {} {alias} WHERE {})",
        w.view(entity),
        parts.join(" AND ")
    )
}

fn write_order(w: &mut Writer, selection: &Selection, alias: &str) {
    let direction = match selection.query.direction {
        Direction::Asc => "ASC",
        Direction::Desc => "DESC",
    };
    let id = w.col(alias, "sourcedId");
    let sort_column = selection
        .query
        .sort
        .as_deref()
        .and_then(|name| selection.entity.field(name))
        .and_then(|field| views::column(&field))
        .filter(|column| *column != "sourcedId");
    let order = match sort_column {
        // Ties are broken by sourcedId, so offset paging is stable under any sort.
        Some(column) => format!(" ORDER BY {} {direction}, {id} ASC", w.col(alias, column)),
        None => format!(" ORDER BY {id} {direction}"),
    };
    w.push(&order);
}

#[cfg(test)]
mod tests;
