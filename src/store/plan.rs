//! What a request asks a store for, independent of SQL: the entity, the restrictions its route
//! implies (`/schools/{id}/students` is "users with role student affiliated with org {id}"), the
//! client's own list parameters, and where GUIDRef hrefs must point.

use crate::oneroster::entity::Entity;
use crate::oneroster::primitives::Hrefs;
use crate::oneroster::query::ListQuery;

/// A restriction that a route's path implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restriction {
    /// A column of the entity's view equals a value: `type = 'school'`, `sourcedId = {id}`,
    /// `schoolSourcedId = {school}`.
    Column { column: &'static str, value: String },
    /// Users with an active enrollment, optionally in one role, class or school.
    Enrolled {
        role: Option<&'static str>,
        class: Option<String>,
        school: Option<String>,
    },
    /// Classes in which a user has an active enrollment.
    ClassOfUser { user: String },
    /// Classes that run in a term.
    ClassInTerm { term: String },
    /// Academic sessions that a school's classes run in.
    SessionOfSchool { school: String },
    /// Users affiliated with an org.
    MemberOf { org: String },
}

impl Restriction {
    /// `column = value`.
    pub fn column(column: &'static str, value: impl Into<String>) -> Restriction {
        Restriction::Column {
            column,
            value: value.into(),
        }
    }
}

/// Everything a store needs to answer one read.
#[derive(Debug, Clone)]
pub struct Selection {
    pub entity: Entity,
    pub restrictions: Vec<Restriction>,
    /// Checked list parameters (`ListQuery::check` has run).
    pub query: ListQuery,
    pub hrefs: Hrefs,
}
