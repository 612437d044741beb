//! The pattern parser: the text of a pattern to an [`OriginPattern`], or
//! an error that names the problem and the fix.

use super::*;

fn default_port(scheme: &str) -> Option<&'static str> {
    match scheme {
        "http" | "ws" => Some("80"),
        "https" | "wss" => Some("443"),
        "ftp" => Some("21"),
        _ => None,
    }
}

/// Quotes user input for an error message, shortened if very long.
fn quote(s: &str) -> String {
    const MAX: usize = 200;
    if s.len() <= MAX {
        return format!("{s:?}");
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{:?}…", &s[..end])
}

/// Parses and validates an origin pattern such as `https://*.example.com`,
/// `http://localhost:*` or `https://*.example.com:*`.
///
/// The error names the problem and the fix, prefixed with
/// `origin pattern "<input>": `.
pub fn parse_pattern(s: &str) -> Result<OriginPattern, String> {
    parse_inner(s).map_err(|why| format!("origin pattern {}: {why}", quote(s)))
}

fn parse_inner(s: &str) -> Result<OriginPattern, String> {
    if s == "*" {
        return Err(
            "\"*\" on its own means any origin, not a pattern; use it as the whole origin option"
                .into(),
        );
    }
    if !s.contains('*') {
        return Err("has no `*`, so it is an exact origin; list it as a plain origin".into());
    }
    if s.len() > MAX_PATTERN_LEN {
        return Err(format!(
            "is longer than {MAX_PATTERN_LEN} characters, which no origin can be"
        ));
    }
    if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "contains {c:?}; remove whitespace and control characters"
        ));
    }
    if !s.is_ascii() {
        return Err(
            "contains non-ASCII characters; write an internationalised host in its \
             punycode (xn--) form, as browsers send it in Origin"
                .into(),
        );
    }
    let Some((scheme, rest)) = s.split_once("://") else {
        return Err(
            "has no scheme; write it as scheme://host, e.g. \"https://*.example.com\"".into(),
        );
    };
    let scheme = parse_scheme(scheme)?;
    if let Some(i) = rest.find(['/', '?', '#']) {
        return Err(format!(
            "an origin has no path, query or fragment; drop {:?}",
            &rest[i..]
        ));
    }
    if rest.contains('@') {
        return Err("an origin has no user name or password; drop the part up to \"@\"".into());
    }
    let (host, port) = split_pattern_host_port(rest)?;
    let port = parse_port(port, &scheme)?;
    let host = parse_host(host)?;
    if matches!(host, HostRule::Exact(_)) && port != PortRule::Any {
        // Unreachable with the checks above (every `*` is in the host or the
        // port), kept as a guard.
        return Err(
            "`*` may only be the leftmost host label (\"*.example.com\") or the whole port (\":*\")"
                .into(),
        );
    }
    Ok(OriginPattern { scheme, host, port })
}

fn parse_scheme(scheme: &str) -> Result<String, String> {
    if scheme.contains('*') {
        return Err(
            "the scheme cannot be a wildcard; write one pattern per scheme, \
             e.g. \"https://*.example.com\" and \"http://*.example.com\""
                .into(),
        );
    }
    let mut bytes = scheme.bytes();
    let valid = match bytes.next() {
        Some(first) => {
            first.is_ascii_alphabetic()
                && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        }
        None => false,
    };
    if !valid {
        return Err(format!(
            "{scheme:?} is not a URL scheme; start with one such as \"https://\""
        ));
    }
    let scheme = scheme.to_ascii_lowercase();
    if matches!(
        scheme.as_str(),
        "file" | "data" | "about" | "javascript" | "blob"
    ) {
        return Err(format!(
            "{scheme}: documents send an opaque origin (\"Origin: null\") or their creator's \
             origin, so this could never match; write the origin of the page instead"
        ));
    }
    Ok(scheme)
}

fn split_pattern_host_port(rest: &str) -> Result<(&str, Option<&str>), String> {
    if rest.starts_with('[') {
        let Some(close) = rest.find(']') else {
            return Err("the IPv6 address has no closing \"]\"".into());
        };
        let (host, after) = rest.split_at(close + 1);
        return match after.strip_prefix(':') {
            Some(port) => Ok((host, Some(port))),
            None if after.is_empty() => Ok((host, None)),
            None => Err(format!(
                "unexpected {after:?} after the IPv6 address; only \":port\" may follow"
            )),
        };
    }
    match rest.split_once(':') {
        Some((host, port)) => Ok((host, Some(port))),
        None => Ok((rest, None)),
    }
}

fn parse_port(port: Option<&str>, scheme: &str) -> Result<PortRule, String> {
    let Some(port) = port else {
        return Ok(PortRule::Default);
    };
    if port == "*" {
        return Ok(PortRule::Any);
    }
    if port.contains('*') {
        return Err(format!(
            "port {port:?}: `*` must be the whole port (\":*\" for any port)"
        ));
    }
    if port.is_empty() {
        return Err(
            "ends with \":\" but no port; drop the \":\" or write \":*\" for any port".into(),
        );
    }
    if port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "port {port:?} is not a number from 0 to 65535 (or \"*\" for any port)"
        ));
    }
    let canonical = port.trim_start_matches('0');
    let canonical = if canonical.is_empty() { "0" } else { canonical };
    let value: u16 = canonical.parse().map_err(|_| {
        format!("port {port:?} is not a number from 0 to 65535 (or \"*\" for any port)")
    })?;
    if default_port(scheme) == Some(canonical) {
        // Browsers omit the default port from Origin; treat it as no port.
        return Ok(PortRule::Default);
    }
    Ok(PortRule::Exact(value))
}

fn parse_host(host: &str) -> Result<HostRule, String> {
    if host.is_empty() {
        return Err("the host is empty; write it as scheme://host".into());
    }
    let host = host.to_ascii_lowercase();
    if host.starts_with('[') {
        if host.contains('*') {
            return Err("an IPv6 address cannot contain `*`".into());
        }
        let inner = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or("");
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err(format!("{host:?} is not an IPv6 address"));
        }
        return Ok(HostRule::Exact(host));
    }
    if host == "*" {
        return Err(
            "`*` cannot be the whole host, since every site would match; put it before a domain \
             (\"https://*.example.com\"), or use the origin \"*\" to allow every origin"
                .into(),
        );
    }
    if let Some(fixed) = host.strip_prefix("*.") {
        if fixed.contains('*') {
            return Err(
                "`*` may appear only once in the host, as the whole leftmost label; \
                 \"*.\" already matches one or more labels"
                    .into(),
            );
        }
        check_dns_name(fixed)?;
        if fixed.len() > MAX_HOST_LEN - 2 {
            return Err(format!(
                "the domain after \"*.\" is longer than {} characters, which leaves no room \
                 for a subdomain in a host name of at most {MAX_HOST_LEN}",
                MAX_HOST_LEN - 2
            ));
        }
        if fixed
            .rsplit('.')
            .next()
            .is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(format!(
                "{fixed} looks like an IP address, which has no subdomains; \
                 list the address as an exact origin"
            ));
        }
        check_not_public_suffix(fixed)?;
        return Ok(HostRule::Subdomains(fixed.to_string()));
    }
    if host.contains('*') {
        return Err(
            "`*` must be the whole leftmost host label followed by a dot, as in \
             \"https://*.example.com\"; partial labels (\"*-app.example.com\") and inner \
             labels (\"app.*.example.com\") are not supported, use a RegExp for those"
                .into(),
        );
    }
    check_dns_name(&host)?;
    Ok(HostRule::Exact(host))
}

/// A lower-case host name: non-empty dot-separated labels of host bytes.
fn check_dns_name(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("the host after \"*.\" is empty; write a domain such as *.example.com".into());
    }
    if host.ends_with('.') {
        return Err(format!(
            "host {host:?} ends with a dot; drop it (browsers send the host without it)"
        ));
    }
    if host.len() > MAX_HOST_LEN {
        return Err(format!("the host is longer than {MAX_HOST_LEN} characters"));
    }
    for label in host.split('.') {
        if label.is_empty() {
            return Err(format!(
                "host {host:?} has an empty label (\"..\" or a leading dot)"
            ));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(format!(
                "host label {label:?} is longer than {MAX_LABEL_LEN} characters"
            ));
        }
        if let Some(b) = label.bytes().find(|&b| !is_host_label_byte(b)) {
            return Err(format!(
                "host {host:?} contains {:?}, which cannot appear in a host name",
                char::from(b)
            ));
        }
    }
    Ok(())
}

/// Refuses `*.fixed` when the wildcard could reach a name at or below a
/// public suffix: `fixed` is itself a public suffix (`*.co.uk`,
/// `*.github.io`), a top-level domain, or has public suffixes under it
/// (`*.amazonaws.com` reaches `bucket.s3.amazonaws.com`, where
/// `s3.amazonaws.com` is a public suffix, so anyone can get such a name).
/// Both sections of the list count, ICANN and private.
fn check_not_public_suffix(fixed: &str) -> Result<(), String> {
    const FIX: &str = "list the origins you mean (e.g. \"https://app.example.com\"), or use a \
                       pattern on a domain you control that has no public suffix under it";
    if let Some(suffix) = psl::suffix(fixed.as_bytes()) {
        if suffix.is_known() && suffix.as_bytes() == fixed.as_bytes() {
            return Err(format!(
                "*.{fixed} covers the public suffix {fixed}: anyone can register a name under \
                 it, so every such site would be allowed; {FIX}"
            ));
        }
    }
    if !fixed.contains('.') {
        // "*.localhost" only reaches this machine (RFC 6761), so it is allowed.
        if fixed == "localhost" {
            return Ok(());
        }
        return Err(format!(
            "*.{fixed} covers the top-level domain {fixed}, a public suffix: every site under \
             it would be allowed; {FIX}"
        ));
    }
    if has_public_suffix_below(fixed) {
        return Err(format!(
            "*.{fixed} covers public suffixes: the Public Suffix List has entries under \
             {fixed}, below which anyone can get their own name, so sites you do not control \
             would be allowed; {FIX}"
        ));
    }
    Ok(())
}

/// Whether the Public Suffix List (as compiled into the `psl` crate) has a
/// rule strictly below `domain`: a plain rule (`s3.amazonaws.com` below
/// `amazonaws.com`), a wildcard (`*.kawasaki.jp` below `kawasaki.jp`) or any
/// deeper one.
///
/// The `psl` crate answers "what is the suffix of this name" but cannot list
/// the rules. It reads a name's labels from the right through an iterator
/// and only asks for the next label while the rules it has matched so far
/// have children. So `domain`'s labels are handed over, then one probe
/// label: the list has a rule below `domain` exactly when the probe is asked
/// for. This errs only towards refusing: a lookup that read labels eagerly
/// would ask for the probe every time, and the unit tests (registrable
/// domains accepted) would fail.
pub(super) fn has_public_suffix_below(domain: &str) -> bool {
    use psl::Psl;

    struct Probe<'a, I: Iterator<Item = &'a [u8]>> {
        labels: I,
        asked_below: bool,
    }
    impl<'a, I: Iterator<Item = &'a [u8]>> Iterator for Probe<'a, I> {
        type Item = &'a [u8];
        fn next(&mut self) -> Option<&'a [u8]> {
            if let Some(label) = self.labels.next() {
                return Some(label);
            }
            if self.asked_below {
                return None;
            }
            self.asked_below = true;
            Some(b"rust-cors-probe")
        }
    }

    let mut probe = Probe {
        labels: domain.as_bytes().rsplit(|&b| b == b'.'),
        asked_below: false,
    };
    psl::List.find(&mut probe);
    probe.asked_below
}
