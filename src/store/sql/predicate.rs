//! Filter predicates as SQL: one comparison per field type, all values bound.

use super::{views, Param, Writer};
use crate::oneroster::datetime;
use crate::oneroster::entity::{Entity, FieldType};
use crate::oneroster::filter::{Filter, Operator, Predicate};

/// The SQL condition for a whole filter; AND binds tighter than OR, as in the grammar.
pub(super) fn filter_sql(w: &mut Writer, entity: Entity, filter: &Filter) -> String {
    match filter {
        Filter::Predicate(predicate) => predicate_sql(w, entity, predicate),
        Filter::And(parts) => joined(w, entity, parts, " AND "),
        Filter::Or(parts) => joined(w, entity, parts, " OR "),
    }
}

fn joined(w: &mut Writer, entity: Entity, parts: &[Filter], glue: &str) -> String {
    let sql: Vec<String> = parts.iter().map(|p| filter_sql(w, entity, p)).collect();
    format!("({})", sql.join(glue))
}

fn comparison(op: Operator) -> &'static str {
    match op {
        Operator::Eq => "=",
        Operator::Ne => "<>",
        Operator::Gt => ">",
        Operator::Ge => ">=",
        Operator::Lt => "<",
        Operator::Le => "<=",
        Operator::Contains => "LIKE",
    }
}

/// `%value%` with LIKE's wildcards escaped, for `~` (contains).
fn like_pattern(value: &str) -> String {
    let mut pattern = String::with_capacity(value.len() + 2);
    pattern.push('%');
    for c in value.chars() {
        if matches!(c, '\\' | '%' | '_' | '[') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

fn predicate_sql(w: &mut Writer, entity: Entity, predicate: &Predicate) -> String {
    let Some(field) = entity.field(predicate.field.head()) else {
        // ListQuery::check has refused unknown fields; match nothing rather than everything.
        return "1 = 0".to_owned();
    };
    match (field.ty, views::column(&field)) {
        (FieldType::RefList(_), _) => match views::link(entity, field.name) {
            Some(link) => ref_list_sql(w, link, predicate),
            None => "1 = 0".to_owned(),
        },
        (ty, Some(column)) => {
            let column = w.col("t", column);
            scalar_sql(w, ty, &column, predicate)
        }
        (_, None) => "1 = 0".to_owned(),
    }
}

fn scalar_sql(w: &mut Writer, ty: FieldType, column: &str, predicate: &Predicate) -> String {
    let (op, value) = (predicate.operator, predicate.value.as_str());
    if op == Operator::Contains {
        let text = match ty {
            FieldType::Timestamp => w.dialect.timestamp_text(column),
            FieldType::Date => w.dialect.date_text(column),
            FieldType::Bool => {
                format!("(CASE WHEN {column} = 1 THEN 'true' WHEN {column} = 0 THEN 'false' END)")
            }
            _ => column.to_owned(),
        };
        let marker = w.bind(Param::Text(like_pattern(value)));
        return format!("{text} LIKE {marker} ESCAPE '\\'");
    }
    let param = match ty {
        FieldType::Timestamp => match datetime::parse_timestamp(value) {
            Some(instant) => Param::Timestamp(instant),
            None => return "1 = 0".to_owned(),
        },
        FieldType::Bool => Param::Int(i64::from(value == "true")),
        _ => Param::Text(value.to_owned()),
    };
    if ty == FieldType::List && matches!(op, Operator::Eq | Operator::Ne) {
        return list_membership(w, column, op, value);
    }
    let collation = if ty == FieldType::Text {
        w.dialect.nocase()
    } else {
        ""
    };
    let marker = w.bind(param);
    let compare = format!("{column} {} {marker}{collation}", comparison(op));
    if op == Operator::Ne {
        // An absent value differs from any given value.
        format!("({column} IS NULL OR {compare})")
    } else {
        compare
    }
}

/// `=` on a list field matches when any element equals the value; `!=` when none does.
fn list_membership(w: &mut Writer, column: &str, op: Operator, value: &str) -> String {
    let escaped = like_pattern(value);
    let element = format!("%,{},%", &escaped[1..escaped.len() - 1]);
    let marker = w.bind(Param::Text(element));
    let test = format!("CONCAT(',', {column}, ',') LIKE {marker} ESCAPE '\\'");
    match op {
        Operator::Ne => format!("({column} IS NULL OR NOT {test})"),
        _ => test,
    }
}

/// A filter on an array of references matches when any element matches; `!=` when none equals.
fn ref_list_sql(w: &mut Writer, link: views::Link, predicate: &Predicate) -> String {
    let (owner, target) = (w.col("l", link.owner), w.col("l", link.target));
    let t_id = w.col("t", "sourcedId");
    let (negate, op) = match predicate.operator {
        Operator::Ne => ("NOT ", Operator::Eq),
        other => ("", other),
    };
    let value = if op == Operator::Contains {
        like_pattern(&predicate.value)
    } else {
        predicate.value.clone()
    };
    let marker = w.bind(Param::Text(value));
    let escape = if op == Operator::Contains {
        " ESCAPE '\\'"
    } else {
        ""
    };
    format!(
        "{negate}EXISTS (SELECT 1 FROM {} l WHERE {owner} = {t_id} AND {target} {} {marker}{escape})",
        w.dialect.object(link.view),
        comparison(op),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("5_B%"), "%5\\_B\\%%");
        assert_eq!(like_pattern("æ"), "%æ%");
    }
}
