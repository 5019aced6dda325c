//! The one place where SQLite and SQL Server differ in the SQL the builder writes.
//!
//! Both engines accept `[bracketed]` identifiers, `CONCAT()`, `LIKE … ESCAPE` and `EXISTS`, so
//! the differences left are parameter markers, paging, and how text compares without case.

/// A SQL dialect the query builder can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite 3.44+ (the embedded demo store): `?N` parameters, `LIMIT … OFFSET …`.
    Sqlite,
    /// SQL Server 2017+ (T-SQL): `@PN` parameters, `OFFSET … ROWS FETCH NEXT … ROWS ONLY`.
    MsSql,
}

impl Dialect {
    /// The marker for the `n`th (1-based) parameter.
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::MsSql => format!("@P{n}"),
        }
    }

    /// A quoted identifier. Brackets work in both engines and protect names such as
    /// `primary`, `type` and `user`, which are reserved words in one or the other.
    pub fn ident(self, name: &str) -> String {
        format!("[{name}]")
    }

    /// The paging clause after `ORDER BY`, given the limit and offset markers.
    pub fn paging(self, limit: &str, offset: &str) -> String {
        match self {
            Dialect::Sqlite => format!(" LIMIT {limit} OFFSET {offset}"),
            Dialect::MsSql => format!(" OFFSET {offset} ROWS FETCH NEXT {limit} ROWS ONLY"),
        }
    }

    /// The case-insensitive text comparison suffix. SQL Server's default collations already
    /// ignore case; SQLite needs NOCASE (which folds ASCII only).
    pub fn nocase(self) -> &'static str {
        match self {
            Dialect::Sqlite => " COLLATE NOCASE",
            Dialect::MsSql => "",
        }
    }

    /// A timestamp column as canonical `YYYY-MM-DDTHH:MM:SS.sssZ` text, for `~` matching.
    pub fn timestamp_text(self, column: &str) -> String {
        match self {
            Dialect::Sqlite => column.to_owned(),
            // Style 126 drops `.000`, so FORMAT spells the milliseconds out.
            Dialect::MsSql => format!("FORMAT({column}, 'yyyy-MM-ddTHH:mm:ss.fffZ')"),
        }
    }

    /// A date column as `YYYY-MM-DD` text, for `~` matching.
    pub fn date_text(self, column: &str) -> String {
        match self {
            Dialect::Sqlite => column.to_owned(),
            Dialect::MsSql => format!("CONVERT(varchar(10), {column}, 23)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_paging() {
        assert_eq!(Dialect::Sqlite.placeholder(3), "?3");
        assert_eq!(Dialect::MsSql.placeholder(3), "@P3");
        assert_eq!(Dialect::Sqlite.paging("?1", "?2"), " LIMIT ?1 OFFSET ?2");
        assert_eq!(
            Dialect::MsSql.paging("@P1", "@P2"),
            " OFFSET @P2 ROWS FETCH NEXT @P1 ROWS ONLY"
        );
    }
}
