//! The OneRoster standard: model, vocabularies, and the query language (filter, sort, fields,
//! paging). Nothing here knows about HTTP or SQL; it is unit-tested in place.

pub mod datetime;
pub mod entity;
pub mod filter;
pub mod primitives;
pub mod query;
pub mod status;
pub mod v1p1;
pub mod v1p2;
pub mod versions;
pub mod vocab;
