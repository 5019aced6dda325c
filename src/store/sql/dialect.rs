//! The one place where SQLite and SQL Server differ in the SQL the builder writes.
//!
//! Both engines accept `[bracketed]` identifiers, `CONCAT()`, `LIKE … ESCAPE` and `EXISTS`, so
//! the differences left are parameter markers, paging, schema-qualified object names, how text
//! compares without case, and how dates and times turn into text.

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

    /// A view or table name. SQL Server names resolve through the login's default schema unless
    /// qualified, and an unqualified name also keeps a cached plan from being shared between
    /// logins, so T-SQL names the `dbo` schema the scripts in `infra/sql/mssql/` create.
    pub fn object(self, name: &str) -> String {
        match self {
            Dialect::Sqlite => self.ident(name),
            Dialect::MsSql => format!("[dbo].{}", self.ident(name)),
        }
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
            // Style 121 (`yyyy-mm-dd hh:mi:ss.mmm`) always writes the milliseconds of a
            // datetime2(3), and is independent of the session's language. (Style 126 drops a zero
            // `.000`, and FORMAT's `:` is the culture's time separator, `.` for a Danish login.)
            Dialect::MsSql => format!(
                "CONCAT(REPLACE(CONVERT(varchar(23), CAST({column} AS datetime2(3)), 121), ' ', 'T'), 'Z')"
            ),
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

    #[test]
    fn t_sql_names_the_schema_and_spells_out_milliseconds() {
        assert_eq!(
            Dialect::Sqlite.object("oneroster_users"),
            "[oneroster_users]"
        );
        assert_eq!(
            Dialect::MsSql.object("oneroster_users"),
            "[dbo].[oneroster_users]"
        );
        let text = Dialect::MsSql.timestamp_text("t.[dateLastModified]");
        assert!(
            text.contains(", 121)") && !text.contains("FORMAT"),
            "{text}"
        );
    }
}
