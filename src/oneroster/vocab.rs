//! OneRoster vocabularies: the closed lists of values that `status`, `type`, `role` and friends
//! take. Filters compare enumerations case-insensitively, so a value is looked up here and bound
//! to SQL in its canonical spelling (which keeps the comparison an index-friendly equality).

/// The two OneRoster versions served side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// OneRoster 1.1, under `/ims/oneroster/v1p1`: what SDS reads.
    V1p1,
    /// OneRoster 1.2 rostering, under `/ims/oneroster/rostering/v1p2`.
    V1p2,
}

impl Version {
    /// The tree's base path, without a trailing slash.
    pub fn base_path(self) -> &'static str {
        match self {
            Version::V1p1 => "/ims/oneroster/v1p1",
            Version::V1p2 => "/ims/oneroster/rostering/v1p2",
        }
    }
}

/// `status` of every record.
pub const STATUS: &[&str] = &["active", "tobedeleted"];
/// `org.type`.
pub const ORG_TYPE: &[&str] = &[
    "department",
    "district",
    "local",
    "national",
    "school",
    "state",
];
/// `academicSession.type`.
pub const SESSION_TYPE: &[&str] = &["gradingPeriod", "semester", "schoolYear", "term"];
/// `class.classType`.
pub const CLASS_TYPE: &[&str] = &["homeroom", "scheduled"];
/// 1.1 `user.role` and `enrollment.role`.
pub const ROLE: &[&str] = &[
    "administrator",
    "aide",
    "guardian",
    "parent",
    "proctor",
    "relative",
    "student",
    "teacher",
];
/// `demographics.sex` (1.1).
pub const SEX: &[&str] = &["male", "female"];

/// The canonical spelling of `value` in `vocabulary`, compared case-insensitively; `None` when
/// the value is not in the list (the caller then compares the raw value and simply matches
/// nothing).
pub fn canonical(vocabulary: &'static [&'static str], value: &str) -> Option<&'static str> {
    vocabulary
        .iter()
        .copied()
        .find(|known| known.eq_ignore_ascii_case(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_is_case_insensitive() {
        assert_eq!(canonical(SESSION_TYPE, "SCHOOLYEAR"), Some("schoolYear"));
        assert_eq!(canonical(STATUS, "Active"), Some("active"));
        assert_eq!(canonical(ROLE, "headmaster"), None);
    }

    #[test]
    fn base_paths() {
        assert_eq!(Version::V1p1.base_path(), "/ims/oneroster/v1p1");
        assert_eq!(Version::V1p2.base_path(), "/ims/oneroster/rostering/v1p2");
    }
}
