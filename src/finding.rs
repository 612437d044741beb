//! One problem type for the whole crate: a policy's findings (`policy`) and
//! what the browser model finds in a server's answers (`fetch`, where it is
//! named `Problem`) are both a [`Finding`]: a stable code, a severity, a
//! one-line message and a fix. And the one way to shorten user text for such
//! a message, [`shorten`].

use serde::Serialize;

/// How bad a finding is. A policy's findings are warnings (`strict` makes
/// them errors); in the browser model an error means the browser blocks the
/// request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// The browser blocks the request.
    Error,
    /// It works, but something is wrong or fragile.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`, as JS reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem: a stable code, what is wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// A stable code, one of the constants of `policy` or `fetch`.
    pub code: &'static str,
    pub severity: Severity,
    /// One line: for a policy, naming the option; for a response, in a
    /// browser's words.
    pub message: String,
    /// What to change, e.g. "add Content-Type to Access-Control-Allow-Headers".
    pub fix: String,
    /// A policy's `RUST_CORS_ORIGIN_NEVER_MATCHES`: the origin entry and the
    /// origin a browser sends for it, so that a refusal of that origin can
    /// point at the entry (explain(), NODE_DEBUG).
    #[serde(rename = "nearMiss", skip_serializing_if = "Option::is_none")]
    pub near_miss: Option<NearMiss>,
}

/// An origin entry that can never equal a browser's `Origin`, and the
/// serialized origin it most likely means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearMiss {
    pub entry: String,
    pub serialized: Option<String>,
}

impl Finding {
    pub fn new(
        code: &'static str,
        severity: Severity,
        message: String,
        fix: impl Into<String>,
    ) -> Self {
        Finding {
            code,
            severity,
            message,
            fix: fix.into(),
            near_miss: None,
        }
    }

    pub fn error(code: &'static str, message: String, fix: impl Into<String>) -> Self {
        Finding::new(code, Severity::Error, message, fix)
    }

    pub fn warning(code: &'static str, message: String, fix: impl Into<String>) -> Self {
        Finding::new(code, Severity::Warning, message, fix)
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

/// `text` cut to its first `max` characters, with `…` when it was longer.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max).collect();
    short.push('…');
    short
}

/// [`shorten`], with every control character (a header value's CR, LF, NUL)
/// shown as a space, so that the message stays one line.
pub fn shorten_line(text: &str, max: usize) -> String {
    shorten(&text.replace(char::is_control, " "), max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_by_characters() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "abc…");
        assert_eq!(shorten("ééééé", 2), "éé…");
        assert_eq!(shorten("a\nb", 5), "a\nb");
        assert_eq!(shorten_line("a\nb\0c", 5), "a b c");
        assert_eq!(shorten_line("a\r\nbcd", 3), "a  …");
    }
}
