//! The policy's findings (misconfigurations, each a [`Finding`] with a
//! stable code, a message that names the option, and a fix): their codes,
//! and the error a configuration that cannot work is refused with.

pub use crate::finding::{Finding, NearMiss, Severity};

pub const INVALID_OPTION: &str = "RUST_CORS_INVALID_OPTION";
pub const INVALID_PATTERN: &str = "RUST_CORS_INVALID_PATTERN";
pub const WILDCARD_CREDENTIALS: &str = "RUST_CORS_WILDCARD_CREDENTIALS";
pub const REFLECT_CREDENTIALS: &str = "RUST_CORS_REFLECT_CREDENTIALS";
pub const NULL_ORIGIN: &str = "RUST_CORS_NULL_ORIGIN";
pub const UNANCHORED_REGEX: &str = "RUST_CORS_UNANCHORED_REGEX";
pub const INSECURE_ORIGIN: &str = "RUST_CORS_INSECURE_ORIGIN";
pub const INVALID_TOKEN: &str = "RUST_CORS_INVALID_TOKEN";
pub const MAX_AGE: &str = "RUST_CORS_MAX_AGE";
pub const ORIGIN_NEVER_MATCHES: &str = "RUST_CORS_ORIGIN_NEVER_MATCHES";

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
