//! Structured origin patterns: `https://*.example.com`, `http://localhost:*`
//! and `https://*.example.com:*`.
//!
//! A pattern is parsed into (scheme, host rule, port rule) and matched
//! structurally against the raw `Origin` header, never as a glob or regex, so
//! `https://*.example.com` cannot be satisfied by `https://evil-example.com`
//! or `https://a.example.com.evil.net`.
//!
//! Rules:
//! - The scheme is required and is never a wildcard. It is lower-cased.
//! - `*` may appear only as the whole leftmost host label, followed by a dot
//!   (`*.example.com`), where it stands for **one or more** whole DNS labels
//!   (the whole host at most 253 bytes, the longest DNS name), or as the
//!   whole port (`:*`).
//! - The host is lower-cased (browsers always send lower-case hosts in
//!   `Origin`) and must be ASCII: internationalised names are written in
//!   their punycode (`xn--`) form, as browsers send them.
//! - No port means "no explicit port": `https://*.example.com` matches
//!   `https://a.example.com` only, not `https://a.example.com:8443`. A port
//!   equal to the scheme's default (`:443` for https) is dropped while
//!   parsing, because browsers omit it from `Origin`. `:*` matches any
//!   explicit port and also no port (the default port).
//! - `*.` is refused where it could reach a name at or below a public
//!   suffix: before a public suffix (`*.com`, `*.co.uk`, `*.github.io`),
//!   before a domain that has public suffixes under it (`*.amazonaws.com`,
//!   since `s3.amazonaws.com` is one), before a single-label name (other than
//!   `localhost`), or before an IP address. The public-suffix data comes from
//!   the `psl` crate (Mozilla's Public Suffix List compiled into code, ICANN
//!   and private sections).
//!
//! [`OriginPattern::matches`] defines a match for one pattern;
//! [`PatternIndex`] answers the same for many at once, in time that depends
//! on the length of the `Origin`, not on the number of patterns.

mod index;
mod parse;
#[cfg(test)]
mod tests;

pub use index::PatternIndex;
pub use parse::parse_pattern;

use std::fmt;

/// Longest pattern accepted (a host is at most 253 bytes; this leaves room
/// for any scheme and port).
const MAX_PATTERN_LEN: usize = 1024;
/// Longest DNS name and label.
const MAX_HOST_LEN: usize = 253;
const MAX_LABEL_LEN: usize = 63;

#[derive(Debug, Clone, PartialEq, Eq)]
enum HostRule {
    /// The host must be exactly this (lower-case DNS name, IPv4 or `[IPv6]`).
    Exact(String),
    /// One or more labels, then `.` and this fixed part.
    Subdomains(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PortRule {
    /// The origin must carry no explicit port.
    Default,
    /// The origin's port must be exactly this number, written canonically
    /// (no leading zeros), as browsers do.
    Exact(u16),
    /// Any explicit port, or none.
    Any,
}

/// A validated origin pattern. Build one with [`parse_pattern`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginPattern {
    scheme: String,
    host: HostRule,
    port: PortRule,
}

/// Whether an origin string from the options is a pattern: it contains `*`
/// and is not exactly `*` (which means "any origin").
pub fn is_pattern(s: &str) -> bool {
    s != "*" && s.contains('*')
}

impl OriginPattern {
    /// Whether the raw `Origin` header value (bytes, as received; Latin-1)
    /// matches this pattern. Allocation-free and linear in `origin.len()`.
    ///
    /// This is the reference definition of a match: [`PatternIndex`] answers
    /// the same for many patterns at once, and the tests compare the two.
    pub fn matches(&self, origin: &[u8]) -> bool {
        let Some(rest) = origin.strip_prefix(self.scheme.as_bytes()) else {
            return false;
        };
        let Some(rest) = rest.strip_prefix(b"://") else {
            return false;
        };
        let (host, port) = split_host_port(rest);
        let Some(host) = host else {
            return false;
        };
        self.host_matches(host) && self.port_matches(port)
    }

    fn host_matches(&self, host: &[u8]) -> bool {
        match &self.host {
            HostRule::Exact(h) => host == h.as_bytes(),
            HostRule::Subdomains(fixed) => {
                let fixed = fixed.as_bytes();
                // Need at least one label byte and the separating dot. A name
                // longer than DNS allows cannot be resolved, so no page has it.
                if host.len() < fixed.len() + 2
                    || host.len() > MAX_HOST_LEN
                    || !host.ends_with(fixed)
                {
                    return false;
                }
                let dot = host.len() - fixed.len() - 1;
                host[dot] == b'.' && is_label_sequence(&host[..dot])
            }
        }
    }

    fn port_matches(&self, port: Option<&[u8]>) -> bool {
        match (&self.port, port) {
            (PortRule::Default, None) => true,
            (PortRule::Default, Some(_)) => false,
            (PortRule::Exact(p), Some(q)) => canonical_port(q) == Some(*p),
            (PortRule::Exact(_), None) => false,
            (PortRule::Any, None) => true,
            (PortRule::Any, Some(q)) => is_canonical_port(q),
        }
    }

    /// The scheme, lower-case, without `://`.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// Whether the host part is `*.` + a fixed domain.
    pub fn allows_subdomains(&self) -> bool {
        matches!(self.host, HostRule::Subdomains(_))
    }

    /// Whether the port part is `:*`.
    pub fn allows_any_port(&self) -> bool {
        matches!(self.port, PortRule::Any)
    }

    /// The fixed host: the exact host, or the domain after `*.`.
    pub fn fixed_host(&self) -> &str {
        match &self.host {
            HostRule::Exact(h) | HostRule::Subdomains(h) => h,
        }
    }
}

/// The normalised pattern text, e.g. `https://*.example.com:*`.
impl fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.scheme)?;
        match &self.host {
            HostRule::Exact(h) => f.write_str(h)?,
            HostRule::Subdomains(h) => write!(f, "*.{h}")?,
        }
        match &self.port {
            PortRule::Default => Ok(()),
            PortRule::Exact(p) => write!(f, ":{p}"),
            PortRule::Any => f.write_str(":*"),
        }
    }
}

/// Splits `host[:port]` (what follows `scheme://` in an origin). The host is
/// `None` when the shape is not an origin's (empty host, junk after an IPv6
/// literal). The port is returned without the colon.
fn split_host_port(rest: &[u8]) -> (Option<&[u8]>, Option<&[u8]>) {
    let host_end = if rest.first() == Some(&b'[') {
        match rest.iter().position(|&b| b == b']') {
            Some(i) => i + 1,
            None => return (None, None),
        }
    } else {
        rest.iter().position(|&b| b == b':').unwrap_or(rest.len())
    };
    let (host, after) = rest.split_at(host_end);
    if host.is_empty() {
        return (None, None);
    }
    match after.split_first() {
        None => (Some(host), None),
        Some((b':', port)) => (Some(host), Some(port)),
        Some(_) => (None, None),
    }
}

/// A port as a browser serialises it: 1–5 digits, no leading zero (except
/// `0` itself), at most 65535.
fn is_canonical_port(p: &[u8]) -> bool {
    canonical_port(p).is_some()
}

/// The value of a port written as a browser serialises it, or `None`.
fn canonical_port(p: &[u8]) -> Option<u16> {
    if p.is_empty() || p.len() > 5 || !p.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if p.len() > 1 && p[0] == b'0' {
        return None;
    }
    let value = p
        .iter()
        .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
    u16::try_from(value).ok()
}

/// A byte that may appear in a host label of an origin a browser sends.
#[inline]
fn is_host_label_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
}

/// The first position in `host` where it stops being a sequence of valid
/// labels (a byte no host label has, an empty label, a label over 63 bytes),
/// or `host.len()`. `host[..dot]`, for a dot at `dot > 0`, is one or more
/// valid labels exactly when `dot` is below this position: the dot itself
/// counts as a stop when the label before it is empty.
fn label_sequence_end(host: &[u8]) -> usize {
    let mut label_len = 0usize;
    for (at, &b) in host.iter().enumerate() {
        if b == b'.' {
            if label_len == 0 {
                return at;
            }
            label_len = 0;
        } else if is_host_label_byte(b) {
            label_len += 1;
            if label_len > MAX_LABEL_LEN {
                return at;
            }
        } else {
            return at;
        }
    }
    host.len()
}

/// One or more non-empty labels of at most 63 host bytes, separated by dots.
fn is_label_sequence(s: &[u8]) -> bool {
    !s.is_empty() && s.last() != Some(&b'.') && label_sequence_end(s) == s.len()
}
