//! The OneRoster `filter` query parameter: syntax tree and parser.
//!
//! This module turns a raw `filter` value such as
//! `status='active' AND school.sourcedId='s1' OR role~'teach'` into a
//! [`Filter`] tree. It knows nothing about entities, columns or SQL; callers
//! validate field names with [`Filter::predicates`] and translate the tree
//! themselves.
//!
//! Grammar (OneRoster 1.1/1.2, extended to chains of any length):
//!
//! ```text
//! filter   = clause *( ws1 ( "AND" / "OR" ) ws1 clause )   ; AND binds tighter than OR
//! clause   = field ws operator ws "'" value "'"
//! field    = name *( "." name )                            ; e.g. school.sourcedId
//! name     = ( ALPHA / "_" ) *( ALPHA / DIGIT / "_" )
//! operator = "=" / "!=" / ">" / ">=" / "<" / "<=" / "~"      ; ~ = case-insensitive contains
//! value    = *( any-char-except-quote / "''" )               ; '' is an embedded quote
//! ```
//!
//! `AND`/`OR` are case-insensitive. They must be followed by whitespace and
//! preceded by whitespace or directly by the closing quote of a value.
//! Whitespace is otherwise optional around operators and at both ends.
//! Parentheses are not part of OneRoster and are rejected.
//!
//! A real tokenizer is used instead of a regular expression on purpose:
//! values may contain spaces, operator characters, the words `AND`/`OR` and
//! `''` escapes, which regex-based providers get wrong (go-oneroster rejects
//! spaces in values; a greedy field group mis-splits `>=`, `<=` and `!=`).
//! A tokenizer also gives exact error positions for HTTP 400 responses.
//! The parser works on a `Vec<char>`, so every reported position is a
//! 0-based character offset and no slicing can split a UTF-8 sequence.

use std::fmt;

/// Maximum number of clauses in one filter.
///
/// Each clause becomes at least one SQL parameter; this keeps the parameter
/// count far below SQL Server's limit of 2100.
pub const MAX_CLAUSES: usize = 50;

/// Maximum length of one (unescaped) filter value, in characters.
pub const MAX_VALUE_CHARS: usize = 1000;

/// A comparison operator of the OneRoster filter grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// `=`: equal.
    Eq,
    /// `!=`: not equal.
    Ne,
    /// `>`: greater than.
    Gt,
    /// `>=`: greater than or equal.
    Ge,
    /// `<`: less than.
    Lt,
    /// `<=`: less than or equal.
    Le,
    /// `~`: case-insensitive substring match ("contains").
    Contains,
}

impl Operator {
    /// The operator as written in a filter: `"="`, `"!="`, `">"`, `">="`,
    /// `"<"`, `"<="` or `"~"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "=",
            Operator::Ne => "!=",
            Operator::Gt => ">",
            Operator::Ge => ">=",
            Operator::Lt => "<",
            Operator::Le => "<=",
            Operator::Contains => "~",
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A dotted field path, e.g. `school.sourcedId`.
///
/// Always holds at least one segment; each segment matches
/// `[A-Za-z_][A-Za-z0-9_]*`. Only the parser creates field paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// The path as written, segments joined with `.`.
    text: String,
    /// The individual segments.
    segments: Vec<String>,
}

impl FieldPath {
    /// Builds a path from segments the parser has already validated.
    fn from_segments(segments: Vec<String>) -> Self {
        FieldPath {
            text: segments.join("."),
            segments,
        }
    }

    /// A path from trusted dotted text (a field name this service defines), e.g. when a 1.2
    /// name is mapped onto the 1.1 field it filters.
    pub fn from_dotted(text: &str) -> Self {
        FieldPath::from_segments(text.split('.').map(str::to_owned).collect())
    }

    /// The segments of the path: `["school", "sourcedId"]`.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// The first segment: `school` for `school.sourcedId`.
    pub fn head(&self) -> &str {
        self.segments.first().map_or("", String::as_str)
    }

    /// Everything after the first dot, joined with `.`: `sourcedId` for
    /// `school.sourcedId`, `b.c` for `a.b.c`, `None` for a plain field.
    pub fn tail(&self) -> Option<&str> {
        self.text.split_once('.').map(|(_, tail)| tail)
    }

    /// The whole path as written, e.g. `school.sourcedId`.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// One `field op 'value'` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predicate {
    /// The field being compared, possibly dotted.
    pub field: FieldPath,
    /// The comparison operator.
    pub operator: Operator,
    /// The value with its quotes removed and `''` unescaped to `'`.
    pub value: String,
}

/// A parsed filter: OR of ANDs (disjunctive form exactly as written, AND
/// binding tighter).
///
/// `And` and `Or` never hold a single element (it is collapsed to the element
/// itself) and are never empty. `a AND b AND c` is one `And` with three
/// children; `a AND b OR c AND d` is `Or[And[a, b], And[c, d]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// A single clause.
    Predicate(Predicate),
    /// All children must match (each child is a `Predicate`).
    And(Vec<Filter>),
    /// Any child must match (each child is a `Predicate` or an `And`).
    Or(Vec<Filter>),
}

impl Filter {
    /// Parses the value of a `filter` query parameter (already URL-decoded).
    ///
    /// # Errors
    ///
    /// [`FilterError::Empty`] for blank input, [`FilterError::Syntax`] with a
    /// character position for malformed input, and the limit errors when
    /// [`MAX_CLAUSES`] or [`MAX_VALUE_CHARS`] is exceeded.
    pub fn parse(input: &str) -> Result<Filter, FilterError> {
        if input.trim().is_empty() {
            return Err(FilterError::Empty);
        }
        Parser::new(input).parse_filter()
    }

    /// Every predicate, in source order (used to validate field names).
    pub fn predicates(&self) -> Vec<&Predicate> {
        let mut out = Vec::new();
        self.collect_predicates(&mut out);
        out
    }

    fn collect_predicates<'a>(&'a self, out: &mut Vec<&'a Predicate>) {
        match self {
            Filter::Predicate(predicate) => out.push(predicate),
            Filter::And(children) | Filter::Or(children) => {
                for child in children {
                    child.collect_predicates(out);
                }
            }
        }
    }
}

/// Why a filter could not be parsed. Every variant maps to HTTP 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// The filter is empty or only whitespace.
    #[error("the filter is empty")]
    Empty,
    /// The filter is malformed.
    #[error("filter syntax error at character {position}: {message}")]
    Syntax {
        /// 0-based character (not byte) offset of the offending character;
        /// the input length when the filter ends too early.
        position: usize,
        /// What was expected, worded for an API user.
        message: String,
    },
    /// The filter has more than [`MAX_CLAUSES`] clauses.
    #[error("the filter has more than {max} clauses")]
    TooManyClauses {
        /// The limit that was exceeded.
        max: usize,
    },
    /// A value is longer than [`MAX_VALUE_CHARS`] characters.
    #[error("a filter value is longer than {max} characters")]
    ValueTooLong {
        /// The limit that was exceeded.
        max: usize,
    },
}

/// `AND` or `OR` between two clauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Connective {
    And,
    Or,
}

impl Connective {
    fn from_word(word: &str) -> Option<Self> {
        if word.eq_ignore_ascii_case("AND") {
            Some(Connective::And)
        } else if word.eq_ignore_ascii_case("OR") {
            Some(Connective::Or)
        } else {
            None
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Connective::And => "AND",
            Connective::Or => "OR",
        }
    }

    /// Where the next clause stands, for error messages.
    fn context(self) -> &'static str {
        match self {
            Connective::And => "after AND",
            Connective::Or => "after OR",
        }
    }
}

const OPERATOR_LIST: &str = "=, !=, >, >=, <, <=, ~";

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_operator_start(c: char) -> bool {
    matches!(c, '=' | '!' | '>' | '<' | '~')
}

/// Quote-like characters that users paste instead of ASCII `'`.
fn is_wrong_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '`' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}'
    )
}

/// A character as shown in an error message: `'x'`, or a name when quoting
/// it would be confusing.
fn describe(c: char) -> String {
    match c {
        '\'' => "a single quote (')".to_string(),
        '"' => "a double quote (\")".to_string(),
        ' ' => "a space".to_string(),
        c if c.is_whitespace() || c.is_control() => format!("{}", c.escape_unicode()),
        c => format!("'{c}'"),
    }
}

fn syntax(position: usize, message: String) -> FilterError {
    FilterError::Syntax { position, message }
}

/// Collapses a one-element list to its element; otherwise wraps it.
fn collapse(mut items: Vec<Filter>, wrap: fn(Vec<Filter>) -> Filter) -> Filter {
    if items.len() == 1 {
        if let Some(only) = items.pop() {
            return only;
        }
    }
    wrap(items)
}

/// Recursive-descent parser over the characters of the input.
struct Parser {
    chars: Vec<char>,
    pos: usize,
    clauses: usize,
}

impl Parser {
    fn new(input: &str) -> Self {
        Parser {
            chars: input.chars().collect(),
            pos: 0,
            clauses: 0,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_second(&self) -> Option<char> {
        self.chars.get(self.pos.saturating_add(1)).copied()
    }

    fn advance(&mut self, count: usize) {
        self.pos = self.pos.saturating_add(count).min(self.chars.len());
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.advance(1);
        }
    }

    fn take_while(&mut self, accept: fn(char) -> bool) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek().filter(|&c| accept(c)) {
            out.push(c);
            self.advance(1);
        }
        out
    }

    /// A syntax error at the current position: `expected`, then what was found.
    fn unexpected(&self, expected: &str) -> FilterError {
        let message = match self.peek() {
            None => format!("{expected}, but the filter ends here"),
            Some('(' | ')') => "parentheses are not supported in OneRoster filters; \
                 combine clauses with AND and OR (AND binds tighter than OR)"
                .to_string(),
            Some(c) => format!("{expected}, found {}", describe(c)),
        };
        syntax(self.pos, message)
    }

    /// `filter = clause *( connective clause )`, grouped as OR of ANDs.
    fn parse_filter(mut self) -> Result<Filter, FilterError> {
        let mut groups = Vec::new();
        let mut current = Vec::new();
        let mut context = "at the start of the filter";
        loop {
            self.skip_whitespace();
            current.push(Filter::Predicate(self.parse_clause(context)?));
            self.count_clause()?;
            self.skip_whitespace();
            let Some(connective) = self.parse_connective()? else {
                break;
            };
            if connective == Connective::Or {
                groups.push(collapse(std::mem::take(&mut current), Filter::And));
            }
            context = connective.context();
        }
        groups.push(collapse(current, Filter::And));
        Ok(collapse(groups, Filter::Or))
    }

    fn count_clause(&mut self) -> Result<(), FilterError> {
        self.clauses = self.clauses.saturating_add(1);
        if self.clauses > MAX_CLAUSES {
            return Err(FilterError::TooManyClauses { max: MAX_CLAUSES });
        }
        Ok(())
    }

    /// After a value: end of input, or `AND`/`OR` followed by whitespace.
    fn parse_connective(&mut self) -> Result<Option<Connective>, FilterError> {
        if self.peek().is_none() {
            return Ok(None);
        }
        let start = self.pos;
        let word = self.take_while(is_name_char);
        let Some(connective) = Connective::from_word(&word) else {
            self.pos = start;
            return Err(self.unexpected_after_value(&word));
        };
        match self.peek() {
            Some(c) if c.is_whitespace() => Ok(Some(connective)),
            None => {
                Err(self.unexpected(&format!("expected a field name {}", connective.context())))
            }
            Some(_) => Err(self.unexpected(&format!(
                "expected whitespace after {}",
                connective.as_str()
            ))),
        }
    }

    fn unexpected_after_value(&self, word: &str) -> FilterError {
        let expected = "expected AND or OR after the value";
        if word.is_empty() {
            self.unexpected(expected)
        } else {
            syntax(self.pos, format!("{expected}, found '{word}'"))
        }
    }

    /// `clause = field operator 'value'`.
    fn parse_clause(&mut self, context: &str) -> Result<Predicate, FilterError> {
        let start = self.pos;
        let field = self.parse_field(context)?;
        self.skip_whitespace();
        let is_keyword =
            field.segments().len() == 1 && Connective::from_word(field.head()).is_some();
        if is_keyword && !self.peek().is_some_and(is_operator_start) {
            return Err(syntax(
                start,
                format!("expected a field name {context}, found the keyword '{field}'"),
            ));
        }
        let operator = self.parse_operator(&field)?;
        self.skip_whitespace();
        let value = self.parse_value(operator)?;
        Ok(Predicate {
            field,
            operator,
            value,
        })
    }

    /// `field = name *( "." name )`.
    fn parse_field(&mut self, context: &str) -> Result<FieldPath, FilterError> {
        let mut segments = vec![self.parse_name(&format!("expected a field name {context}"))?];
        while self.peek() == Some('.') {
            self.advance(1);
            segments.push(self.parse_name("expected a field name after '.'")?);
        }
        Ok(FieldPath::from_segments(segments))
    }

    fn parse_name(&mut self, expected: &str) -> Result<String, FilterError> {
        if !self.peek().is_some_and(is_name_start) {
            return Err(self.unexpected(expected));
        }
        Ok(self.take_while(is_name_char))
    }

    /// The longest operator at the current position (`>=` before `>`).
    fn parse_operator(&mut self, field: &FieldPath) -> Result<Operator, FilterError> {
        let (operator, width) = match (self.peek(), self.peek_second()) {
            (Some('!'), Some('=')) => (Operator::Ne, 2),
            (Some('>'), Some('=')) => (Operator::Ge, 2),
            (Some('<'), Some('=')) => (Operator::Le, 2),
            (Some('='), _) => (Operator::Eq, 1),
            (Some('>'), _) => (Operator::Gt, 1),
            (Some('<'), _) => (Operator::Lt, 1),
            (Some('~'), _) => (Operator::Contains, 1),
            _ => {
                return Err(self.unexpected(&format!(
                    "expected an operator ({OPERATOR_LIST}) after field '{field}'"
                )))
            }
        };
        self.advance(width);
        Ok(operator)
    }

    /// `'value'` with `''` unescaped to `'`.
    fn parse_value(&mut self, operator: Operator) -> Result<String, FilterError> {
        match self.peek() {
            Some('\'') => {}
            Some(c) if is_wrong_quote(c) => {
                return Err(syntax(
                    self.pos,
                    format!(
                        "values must be enclosed in ASCII single quotes ('), found {} \
                         after operator '{operator}'",
                        describe(c)
                    ),
                ))
            }
            _ => {
                return Err(self.unexpected(&format!(
                    "expected a value in single quotes after operator '{operator}'"
                )))
            }
        }
        let start = self.pos;
        self.advance(1);
        self.parse_quoted_body(start)
    }

    /// The characters after an opening quote at `start`, up to the closing quote.
    fn parse_quoted_body(&mut self, start: usize) -> Result<String, FilterError> {
        let mut value = String::new();
        let mut length = 0usize;
        loop {
            let c = match (self.peek(), self.peek_second()) {
                (None, _) => return Err(unterminated(start)),
                (Some('\''), Some('\'')) => {
                    self.advance(2);
                    '\''
                }
                (Some('\''), _) => {
                    self.advance(1);
                    return Ok(value);
                }
                (Some(c), _) => {
                    self.advance(1);
                    c
                }
            };
            length = length.saturating_add(1);
            if length > MAX_VALUE_CHARS {
                return Err(FilterError::ValueTooLong {
                    max: MAX_VALUE_CHARS,
                });
            }
            value.push(c);
        }
    }
}

fn unterminated(start: usize) -> FilterError {
    syntax(
        start,
        format!(
            "unterminated quoted value starting at character {start}; \
             close it with ' (write '' for a quote inside a value)"
        ),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
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
}
