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
mod tests;
