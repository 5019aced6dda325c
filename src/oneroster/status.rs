//! The OneRoster status payload (`imsx_StatusInfo`) in both versions' shapes and spellings.
//!
//! 1.1 wraps entries in `{"statusInfoSet": [...]}` and spells codeMinor values with spaces
//! (`unknown object`); 1.2 sends the bare `imsx_StatusInfoDType` with `imsx_CodeMinor` as a list
//! of name/value pairs and its own spellings (`unknownobject`).

use serde_json::{json, Value};

use super::vocab::Version;

/// `imsx_codeMajor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMajor {
    Success,
    Failure,
}

/// `imsx_severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Warning,
    Error,
}

/// `imsx_codeMinor`: why a request failed, or what a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMinor {
    UnknownObject,
    InvalidData,
    Unauthorized,
    Forbidden,
    ServerBusy,
    InvalidSortField,
    InvalidSelectionField,
    InvalidFilterField,
    InvalidBlankSelectionField,
    InternalServerError,
    Unsupported,
}

impl CodeMinor {
    /// The value's spelling in `version`.
    pub fn spelling(self, version: Version) -> &'static str {
        use CodeMinor::*;
        match (self, version) {
            (UnknownObject, Version::V1p1) => "unknown object",
            (UnknownObject, Version::V1p2) => "unknownobject",
            (InvalidData, Version::V1p1) => "invalid data",
            (InvalidData, Version::V1p2) => "invaliddata",
            (Unauthorized, Version::V1p1) => "unauthorized",
            (Unauthorized, Version::V1p2) => "unauthorisedrequest",
            (Forbidden, _) => "forbidden",
            (ServerBusy, _) => "server_busy",
            (InvalidSortField, _) => "invalid_sort_field",
            (InvalidSelectionField, _) => "invalid_selection_field",
            (InvalidFilterField, _) => "invalid_filter_field",
            (InvalidBlankSelectionField, Version::V1p1) => "invalid_blank_selection_field",
            (InvalidBlankSelectionField, Version::V1p2) => "invalid_selection_field",
            (InternalServerError, _) => "internal_server_error",
            (Unsupported, _) => "unsupported",
        }
    }
}

/// One status entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusInfo {
    pub code_major: CodeMajor,
    pub severity: Severity,
    pub code_minor: CodeMinor,
    pub description: String,
}

impl StatusInfo {
    /// A failure (`failure`/`error`).
    pub fn failure(code_minor: CodeMinor, description: impl Into<String>) -> StatusInfo {
        StatusInfo {
            code_major: CodeMajor::Failure,
            severity: Severity::Error,
            code_minor,
            description: description.into(),
        }
    }

    /// A warning that accompanies data (`success`/`warning`).
    pub fn warning(code_minor: CodeMinor, description: impl Into<String>) -> StatusInfo {
        StatusInfo {
            code_major: CodeMajor::Success,
            severity: Severity::Warning,
            code_minor,
            description: description.into(),
        }
    }

    fn major(&self) -> &'static str {
        match self.code_major {
            CodeMajor::Success => "success",
            CodeMajor::Failure => "failure",
        }
    }

    fn severity(&self) -> &'static str {
        match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// One 1.1 `statusInfoSet` entry.
    pub fn v1p1_entry(&self) -> Value {
        json!({
            "imsx_codeMajor": self.major(),
            "imsx_severity": self.severity(),
            "imsx_description": self.description,
            "imsx_codeMinor": self.code_minor.spelling(Version::V1p1),
        })
    }

    /// The bare 1.2 `imsx_StatusInfoDType`.
    pub fn v1p2_body(&self) -> Value {
        json!({
            "imsx_codeMajor": self.major(),
            "imsx_severity": self.severity(),
            "imsx_description": self.description,
            "imsx_CodeMinor": {"imsx_codeMinorField": [{
                "imsx_codeMinorFieldName": "TargetEndSystem",
                "imsx_codeMinorFieldValue": self.code_minor.spelling(Version::V1p2),
            }]},
        })
    }

    /// The whole error body in `version`'s shape.
    pub fn body(&self, version: Version) -> Value {
        match version {
            Version::V1p1 => json!({ "statusInfoSet": [self.v1p1_entry()] }),
            Version::V1p2 => self.v1p2_body(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1p1_shape() {
        let info = StatusInfo::failure(CodeMinor::UnknownObject, "no user x");
        assert_eq!(
            info.body(Version::V1p1),
            json!({"statusInfoSet": [{
                "imsx_codeMajor": "failure", "imsx_severity": "error",
                "imsx_description": "no user x", "imsx_codeMinor": "unknown object"}]})
        );
    }

    #[test]
    fn v1p2_shape() {
        let info = StatusInfo::failure(CodeMinor::Unauthorized, "missing token");
        let body = info.body(Version::V1p2);
        assert_eq!(
            body["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"],
            "unauthorisedrequest"
        );
        assert!(body.get("statusInfoSet").is_none());
    }
}
