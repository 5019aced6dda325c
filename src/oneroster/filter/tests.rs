//! Unit tests of `filter`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn parse(input: &str) -> Filter {
    Filter::parse(input).unwrap_or_else(|e| panic!("{input:?} should parse: {e}"))
}

fn pred(field: &str, operator: Operator, value: &str) -> Filter {
    let segments = field.split('.').map(str::to_string).collect();
    Filter::Predicate(Predicate {
        field: FieldPath::from_segments(segments),
        operator,
        value: value.to_string(),
    })
}

/// Parses, expects a syntax error, returns (position, message).
fn syntax_err(input: &str) -> (usize, String) {
    match Filter::parse(input) {
        Err(FilterError::Syntax { position, message }) => (position, message),
        other => panic!("{input:?}: expected a syntax error, got {other:?}"),
    }
}

fn single(input: &str) -> Predicate {
    match parse(input) {
        Filter::Predicate(p) => p,
        other => panic!("{input:?}: expected a single predicate, got {other:?}"),
    }
}

// --- operators -------------------------------------------------------

#[test]
fn every_operator_parses() {
    let cases = [
        ("=", Operator::Eq),
        ("!=", Operator::Ne),
        (">", Operator::Gt),
        (">=", Operator::Ge),
        ("<", Operator::Lt),
        ("<=", Operator::Le),
        ("~", Operator::Contains),
    ];
    for (text, operator) in cases {
        let p = single(&format!("givenName{text}'x'"));
        assert_eq!(p.operator, operator, "{text}");
        assert_eq!(p.field.as_str(), "givenName", "{text}");
        assert_eq!(p.value, "x");
        assert_eq!(operator.as_str(), text);
        assert_eq!(operator.to_string(), text);
    }
}

#[test]
fn two_char_operators_are_not_mis_split() {
    for (text, operator) in [
        (">=", Operator::Ge),
        ("<=", Operator::Le),
        ("!=", Operator::Ne),
    ] {
        let p = single(&format!("dateLastModified{text}'2024-01-01'"));
        assert_eq!(p.field.as_str(), "dateLastModified");
        assert_eq!(p.operator, operator);
        assert_eq!(
            p.value, "2024-01-01",
            "the '=' must not leak into the value"
        );
    }
}

#[test]
fn bang_without_equals_is_not_an_operator() {
    let (position, message) = syntax_err("status!'active'");
    assert_eq!(position, 6);
    assert!(message.contains("expected an operator"), "{message}");
}

#[test]
fn double_equals_is_rejected_at_second_equals() {
    let (position, message) = syntax_err("status=='active'");
    assert_eq!(position, 7);
    assert!(message.contains("after operator '='"), "{message}");
}

// --- values ----------------------------------------------------------

#[test]
fn value_may_contain_spaces_and_operators() {
    let p = single("title='Math >= 101 != <= ~ = x'");
    assert_eq!(p.value, "Math >= 101 != <= ~ = x");
}

#[test]
fn value_may_contain_and_or_keywords() {
    let f = parse("title='Rock AND Roll OR Jazz' AND status='active'");
    assert_eq!(
        f,
        Filter::And(vec![
            pred("title", Operator::Eq, "Rock AND Roll OR Jazz"),
            pred("status", Operator::Eq, "active"),
        ])
    );
}

#[test]
fn doubled_quote_is_unescaped() {
    assert_eq!(single("familyName='O''Brien'").value, "O'Brien");
    assert_eq!(single("familyName=''''").value, "'");
    assert_eq!(single("familyName='a'''").value, "a'");
}

#[test]
fn empty_value_is_allowed() {
    assert_eq!(single("middleName=''").value, "");
    let f = parse("middleName='' AND status='active'");
    assert_eq!(f.predicates().len(), 2);
}

#[test]
fn unicode_values_work() {
    assert_eq!(single("familyName='Ærø Åsgård ø'").value, "Ærø Åsgård ø");
    assert_eq!(single("familyName~'😀 ß'").value, "😀 ß");
}

#[test]
fn error_positions_count_characters_not_bytes() {
    // 'æøå' is 3 characters but 6 bytes.
    let (position, _) = syntax_err("familyName='æøå' x");
    assert_eq!(position, 17);
}

// --- field paths -----------------------------------------------------

#[test]
fn dotted_paths_parse() {
    let p = single("school.sourcedId='s1'");
    assert_eq!(p.field.segments(), ["school", "sourcedId"]);
    assert_eq!(p.field.head(), "school");
    assert_eq!(p.field.tail(), Some("sourcedId"));
    assert_eq!(p.field.to_string(), "school.sourcedId");
}

#[test]
fn deep_path_tail_is_joined_and_plain_field_has_no_tail() {
    let p = single("a.b_2.c='x'");
    assert_eq!(p.field.segments().len(), 3);
    assert_eq!(p.field.tail(), Some("b_2.c"));
    let plain = single("_status='x'");
    assert_eq!(plain.field.head(), "_status");
    assert_eq!(plain.field.tail(), None);
}

#[test]
fn malformed_paths_are_rejected() {
    let (position, message) = syntax_err("school.='x'");
    assert_eq!(position, 7);
    assert!(message.contains("after '.'"), "{message}");
    assert_eq!(syntax_err("school..id='x'").0, 7);
    assert_eq!(syntax_err(".id='x'").0, 0);
    assert_eq!(syntax_err("school. id='x'").0, 7);
}

#[test]
fn field_must_start_with_letter_or_underscore() {
    let (position, message) = syntax_err("1abc='x'");
    assert_eq!(position, 0);
    assert!(
        message.contains("expected a field name at the start"),
        "{message}"
    );
    assert_eq!(syntax_err("fämily='x'").0, 1);
}

// --- chains and precedence -------------------------------------------

#[test]
fn and_chain_is_one_flat_and() {
    let f = parse("a='1' AND b='2' AND c='3'");
    assert_eq!(
        f,
        Filter::And(vec![
            pred("a", Operator::Eq, "1"),
            pred("b", Operator::Eq, "2"),
            pred("c", Operator::Eq, "3"),
        ])
    );
}

#[test]
fn or_chain_is_one_flat_or() {
    let f = parse("a='1' OR b!='2' OR c~'3'");
    assert_eq!(
        f,
        Filter::Or(vec![
            pred("a", Operator::Eq, "1"),
            pred("b", Operator::Ne, "2"),
            pred("c", Operator::Contains, "3"),
        ])
    );
}

#[test]
fn and_binds_tighter_than_or() {
    let f = parse("a='1' AND b='2' OR c='3' AND d='4'");
    assert_eq!(
        f,
        Filter::Or(vec![
            Filter::And(vec![
                pred("a", Operator::Eq, "1"),
                pred("b", Operator::Eq, "2")
            ]),
            Filter::And(vec![
                pred("c", Operator::Eq, "3"),
                pred("d", Operator::Eq, "4")
            ]),
        ])
    );
}

#[test]
fn mixed_chain_collapses_single_element_groups() {
    let f = parse("a='1' OR b='2' AND c='3' OR d='4'");
    assert_eq!(
        f,
        Filter::Or(vec![
            pred("a", Operator::Eq, "1"),
            Filter::And(vec![
                pred("b", Operator::Eq, "2"),
                pred("c", Operator::Eq, "3")
            ]),
            pred("d", Operator::Eq, "4"),
        ])
    );
}

#[test]
fn predicates_are_in_source_order() {
    let f = parse("a='1' AND b='2' OR c='3' AND d.e='4'");
    let fields: Vec<String> = f.predicates().iter().map(|p| p.field.to_string()).collect();
    assert_eq!(fields, ["a", "b", "c", "d.e"]);
}

// --- whitespace and keywords -----------------------------------------

#[test]
fn whitespace_around_operators_is_tolerated() {
    assert_eq!(
        parse("status = 'active'"),
        pred("status", Operator::Eq, "active")
    );
    assert_eq!(
        parse("  status>=\t'a'  "),
        pred("status", Operator::Ge, "a")
    );
}

#[test]
fn extra_whitespace_around_keywords_is_tolerated() {
    let f = parse("a='1'  AND \t b='2'\n OR  c='3'");
    assert_eq!(f.predicates().len(), 3);
    assert!(matches!(f, Filter::Or(ref v) if v.len() == 2));
}

#[test]
fn keyword_may_follow_closing_quote_directly() {
    let f = parse("a='1'AND b='2'");
    assert_eq!(
        f,
        Filter::And(vec![
            pred("a", Operator::Eq, "1"),
            pred("b", Operator::Eq, "2")
        ])
    );
}

#[test]
fn keywords_are_case_insensitive() {
    let f = parse("a='1' and b='2' Or c='3' aNd d='4'");
    assert_eq!(parse("a='1' AND b='2' OR c='3' AND d='4'"), f);
}

#[test]
fn keyword_must_be_followed_by_whitespace() {
    let (position, message) = syntax_err("a='1' ANDb='2'");
    assert_eq!(position, 6);
    assert!(message.contains("expected AND or OR"), "{message}");
    let (position, message) = syntax_err("a='1' AND.b='2'");
    assert_eq!(position, 9);
    assert!(
        message.contains("expected whitespace after AND"),
        "{message}"
    );
}

#[test]
fn fields_named_like_keywords_are_allowed_before_an_operator() {
    let f = parse("a='1' AND or='2'");
    assert_eq!(f.predicates()[1].field.as_str(), "or");
}

// --- errors ----------------------------------------------------------

#[test]
fn empty_and_blank_input() {
    assert_eq!(Filter::parse(""), Err(FilterError::Empty));
    assert_eq!(Filter::parse("   \t\n"), Err(FilterError::Empty));
    assert_eq!(FilterError::Empty.to_string(), "the filter is empty");
}

#[test]
fn unterminated_quote_points_at_opening_quote() {
    let (position, message) = syntax_err("status = 'active");
    assert_eq!(position, 9);
    assert!(
        message.contains("unterminated quoted value starting at character 9"),
        "{message}"
    );
    // A trailing escaped quote does not close the value.
    assert_eq!(syntax_err("a='x''").0, 2);
}

#[test]
fn missing_operator() {
    let (position, message) = syntax_err("status 'active'");
    assert_eq!(position, 7);
    assert_eq!(
        message,
        "expected an operator (=, !=, >, >=, <, <=, ~) after field 'status', found a single quote (')"
    );
    let (position, message) = syntax_err("status");
    assert_eq!(position, 6);
    assert!(message.ends_with("but the filter ends here"), "{message}");
}

#[test]
fn missing_value_quotes() {
    let (position, message) = syntax_err("status=active");
    assert_eq!(position, 7);
    assert!(
        message.contains("expected a value in single quotes after operator '='"),
        "{message}"
    );
    let (_, message) = syntax_err("status>=");
    assert!(message.contains("after operator '>='"), "{message}");
}

#[test]
fn wrong_quote_characters_get_a_hint() {
    for input in ["status=\"active\"", "status=\u{2019}active\u{2019}"] {
        let (position, message) = syntax_err(input);
        assert_eq!(position, 7);
        assert!(message.contains("ASCII single quotes"), "{message}");
    }
}

#[test]
fn trailing_garbage() {
    let (position, message) = syntax_err("a='1' b='2'");
    assert_eq!(position, 6);
    assert_eq!(message, "expected AND or OR after the value, found 'b'");
    let (position, message) = syntax_err("a='1';");
    assert_eq!(position, 5);
    assert!(
        message.starts_with("expected AND or OR after the value"),
        "{message}"
    );
}

#[test]
fn other_logical_operators_are_rejected() {
    let (position, message) = syntax_err("a='1' && b='2'");
    assert_eq!(position, 6);
    assert!(message.contains("expected AND or OR"), "{message}");
    assert_eq!(
        syntax_err("a='1' NOT b='2'").1,
        "expected AND or OR after the value, found 'NOT'"
    );
}

#[test]
fn leading_keyword() {
    let (position, message) = syntax_err("AND a='1'");
    assert_eq!(position, 0);
    assert_eq!(
        message,
        "expected a field name at the start of the filter, found the keyword 'AND'"
    );
    assert_eq!(syntax_err("  or a='1'").0, 2);
}

#[test]
fn doubled_or_trailing_keyword() {
    let (position, message) = syntax_err("a='1' AND OR b='2'");
    assert_eq!(position, 10);
    assert!(
        message.contains("after AND, found the keyword 'OR'"),
        "{message}"
    );
    for input in ["a='1' AND", "a='1' OR   "] {
        let (position, message) = syntax_err(input);
        assert_eq!(position, input.chars().count());
        assert!(message.contains("but the filter ends here"), "{message}");
    }
    assert!(syntax_err("a='1' OR").1.contains("after OR"));
}

#[test]
fn parentheses_are_rejected_clearly() {
    for (input, position) in [
        ("(a='1')", 0),
        ("a='1' AND (b='2' OR c='3')", 10),
        ("a='1' )", 6),
        ("a(='1'", 1),
    ] {
        let (pos, message) = syntax_err(input);
        assert_eq!(pos, position, "{input}");
        assert!(
            message.contains("parentheses are not supported"),
            "{message}"
        );
    }
    // Inside quotes they are ordinary characters.
    assert_eq!(single("title='(x)'").value, "(x)");
}

#[test]
fn syntax_error_display() {
    let err = Filter::parse("status").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("filter syntax error at character 6: "),
        "{err}"
    );
}

// --- limits ----------------------------------------------------------

fn chain(count: usize) -> String {
    (0..count)
        .map(|i| format!("f{i}='{i}'"))
        .collect::<Vec<_>>()
        .join(" AND ")
}

#[test]
fn max_clauses_is_accepted() {
    assert_eq!(parse(&chain(MAX_CLAUSES)).predicates().len(), MAX_CLAUSES);
}

#[test]
fn too_many_clauses() {
    let err = Filter::parse(&chain(MAX_CLAUSES + 1)).unwrap_err();
    assert_eq!(err, FilterError::TooManyClauses { max: MAX_CLAUSES });
    assert_eq!(err.to_string(), "the filter has more than 50 clauses");
}

#[test]
fn value_length_limit_counts_characters() {
    let ok = "æ".repeat(MAX_VALUE_CHARS);
    assert_eq!(single(&format!("a='{ok}'")).value, ok);
    let escaped = "''".repeat(MAX_VALUE_CHARS);
    assert_eq!(
        single(&format!("a='{escaped}'")).value.len(),
        MAX_VALUE_CHARS
    );
}

#[test]
fn too_long_value() {
    let long = "x".repeat(MAX_VALUE_CHARS + 1);
    let err = Filter::parse(&format!("a='{long}'")).unwrap_err();
    assert_eq!(
        err,
        FilterError::ValueTooLong {
            max: MAX_VALUE_CHARS
        }
    );
    assert_eq!(
        err.to_string(),
        "a filter value is longer than 1000 characters"
    );
}

// --- property-style tests --------------------------------------------

/// Tiny deterministic linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Checks the structural invariants of a parsed filter.
fn assert_well_formed(filter: &Filter, depth: usize) {
    match filter {
        Filter::Predicate(p) => assert!(!p.field.segments().is_empty()),
        Filter::And(children) | Filter::Or(children) => {
            assert!(children.len() >= 2, "{filter:?}");
            assert!(depth < 2, "OR of ANDs is at most two levels: {filter:?}");
            let nested_or = matches!(filter, Filter::Or(_)) && depth > 0;
            assert!(!nested_or, "{filter:?}");
            for child in children {
                assert!(!matches!(child, Filter::Or(_)), "{filter:?}");
                if matches!(filter, Filter::And(_)) {
                    assert!(matches!(child, Filter::Predicate(_)), "{filter:?}");
                }
                assert_well_formed(child, depth + 1);
            }
        }
    }
}

#[test]
fn never_panics_on_random_input() {
    const PIECES: &[&str] = &[
        "a",
        "Z",
        "_",
        "1",
        ".",
        " ",
        "\t",
        "'",
        "''",
        "=",
        "!",
        ">",
        "<",
        "~",
        ">=",
        "<=",
        "!=",
        "AND",
        "or",
        " AND ",
        " OR ",
        "(",
        ")",
        "\"",
        "æ",
        "ø",
        "å",
        "😀",
        "\u{0}",
        "\u{2019}",
        "school.sourcedId",
        "status='active'",
    ];
    let mut rng = Lcg(0x5EED);
    for _ in 0..20_000 {
        let len = rng.below(16);
        let input: String = (0..len).map(|_| *rng.pick(PIECES)).collect();
        match Filter::parse(&input) {
            Ok(filter) => {
                assert_well_formed(&filter, 0);
                assert!(!filter.predicates().is_empty());
            }
            Err(FilterError::Syntax { position, .. }) => {
                assert!(position <= input.chars().count(), "{input:?}");
            }
            Err(_) => {}
        }
    }
}

#[test]
fn generated_valid_filters_round_trip() {
    const FIELDS: &[&str] = &[
        "status",
        "school.sourcedId",
        "orgs.sourcedId",
        "_x",
        "dateLastModified",
    ];
    const OPS: &[Operator] = &[
        Operator::Eq,
        Operator::Ne,
        Operator::Gt,
        Operator::Ge,
        Operator::Lt,
        Operator::Le,
        Operator::Contains,
    ];
    const VALUE_PIECES: &[&str] = &["a", " ", "'", "AND", " OR ", ">=", "=", "æøå", "(", ""];
    const SPACES: &[&str] = &["", " ", "  ", "\t"];
    let mut rng = Lcg(42);
    for _ in 0..2_000 {
        let count = 1 + rng.below(6);
        let mut text = String::new();
        let mut expected = Vec::new();
        let mut or_count = 0;
        for i in 0..count {
            if i > 0 {
                let word = *rng.pick(&["AND", "and", "OR", "Or"]);
                or_count += usize::from(word.eq_ignore_ascii_case("OR"));
                text.push_str(&format!("{} {word} ", rng.pick(SPACES)));
            }
            let field = *rng.pick(FIELDS);
            let op = *rng.pick(OPS);
            let value: String = (0..rng.below(5)).map(|_| *rng.pick(VALUE_PIECES)).collect();
            let (s1, s2) = (*rng.pick(SPACES), *rng.pick(SPACES));
            text.push_str(&format!(
                "{field}{s1}{op}{s2}'{}'",
                value.replace('\'', "''")
            ));
            expected.push((field.to_string(), op, value));
        }
        let filter = parse(&text);
        assert_well_formed(&filter, 0);
        let got: Vec<(String, Operator, String)> = filter
            .predicates()
            .into_iter()
            .map(|p| (p.field.to_string(), p.operator, p.value.clone()))
            .collect();
        assert_eq!(got, expected, "{text:?}");
        let top_level = match &filter {
            Filter::Or(children) => children.len(),
            _ => 1,
        };
        assert_eq!(top_level, or_count + 1, "{text:?}");
    }
}
