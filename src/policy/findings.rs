//! The findings: misconfigurations, each with a stable code, a message
//! that names the option, and a fix.

use serde::Serialize;

/// How bad a finding is. Every finding of a policy that cors answers is a
/// warning; `strict` makes it an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    Warning,
    Error,
}

/// One misconfiguration: a stable code, what is wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

impl Finding {
    pub(super) fn warning(code: &'static str, message: String, fix: impl Into<String>) -> Self {
        Finding {
            code,
            severity: Severity::Warning,
            message,
            fix: fix.into(),
        }
    }

    /// The text of the warning or error: the message, then the fix.
    pub fn text(&self) -> String {
        if self.fix.is_empty() {
            self.message.clone()
        } else {
            format!("{} {}", self.message, self.fix)
        }
    }
}

pub const INVALID_OPTION: &str = "RUST_CORS_INVALID_OPTION";
pub const INVALID_PATTERN: &str = "RUST_CORS_INVALID_PATTERN";
pub const WILDCARD_CREDENTIALS: &str = "RUST_CORS_WILDCARD_CREDENTIALS";
pub const REFLECT_CREDENTIALS: &str = "RUST_CORS_REFLECT_CREDENTIALS";
pub const NULL_ORIGIN: &str = "RUST_CORS_NULL_ORIGIN";
pub const UNANCHORED_REGEX: &str = "RUST_CORS_UNANCHORED_REGEX";
pub const INSECURE_ORIGIN: &str = "RUST_CORS_INSECURE_ORIGIN";
pub const INVALID_TOKEN: &str = "RUST_CORS_INVALID_TOKEN";
pub const MAX_AGE: &str = "RUST_CORS_MAX_AGE";

/// A configuration that cannot work: thrown as a `TypeError` with `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub code: &'static str,
    pub message: String,
}

impl From<Finding> for ConfigError {
    fn from(f: Finding) -> Self {
        ConfigError {
            code: f.code,
            message: f.text(),
        }
    }
}

pub(super) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}
