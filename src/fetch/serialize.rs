//! How a browser writes an origin: the `Origin` header is always the
//! serialization of the URL Standard (`scheme://host[:port]`, scheme and a
//! special scheme's host in lower case, no default port, no user info, path,
//! query or fragment). A configured origin written any other way can never
//! equal it. This is the one place that knows the serialized form: the
//! policy's near-miss findings and `rust-cors check --origin` both ask here.

/// Why an origin text is not how a browser writes an origin, and the form a
/// browser would send for it, when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotSerialized {
    /// What is wrong, e.g. `ends with a slash`, `has no scheme`.
    pub reasons: Vec<&'static str>,
    /// The serialized origin the text most likely means (`None` when it has
    /// none a browser would send: a non-ASCII host, a port out of range).
    pub serialized: Option<String>,
}

impl NotSerialized {
    /// The reasons as one phrase: `ends with a slash and has an upper-case host`.
    pub fn describe(&self) -> String {
        match self.reasons.as_slice() {
            [] => String::new(),
            [one] => (*one).to_string(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    }
}

fn default_port(scheme: &str) -> Option<u32> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

fn is_special(scheme: &str) -> bool {
    default_port(scheme).is_some()
}

/// A scheme as the URL Standard reads one: a letter, then letters, digits,
/// `+`, `-` or `.`.
fn is_scheme(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Hosts a page is served from over plain http while developing.
fn is_local(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "[::1]"
}

/// Code points a special URL's host cannot contain (the URL Standard's
/// forbidden domain code points that survive the split into parts).
fn forbidden_in_host(c: char) -> bool {
    c.is_ascii_control()
        || matches!(
            c,
            ' ' | '#' | '%' | '/' | ':' | '<' | '>' | '?' | '@' | '[' | '\\' | ']' | '^' | '|'
        )
}

/// `None` when `text` is a serialized origin (or `null`), else why not and
/// what a browser would send for it.
pub fn check_serialized_origin(text: &str) -> Option<NotSerialized> {
    if text == "null" || is_plainly_serialized(text) {
        return None;
    }
    let mut reasons = Vec::new();
    let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control());
    if trimmed.len() != text.len() {
        reasons.push("has surrounding spaces");
    }
    let (scheme, rest) = match trimmed.split_once("://") {
        Some((scheme, rest)) if is_scheme(scheme) => (scheme.to_string(), rest),
        _ => {
            // `localhost:5173`, `app.example.com`: a host with no scheme.
            reasons.push("has no scheme");
            let host = trimmed
                .split(['/', '?', '#'])
                .next()
                .unwrap_or("")
                .rsplit_once(':')
                .map_or(trimmed, |(host, _)| host);
            let scheme = if is_local(&host.to_ascii_lowercase()) {
                "http"
            } else {
                "https"
            };
            (scheme.to_string(), trimmed)
        }
    };
    let lower_scheme = scheme.to_ascii_lowercase();
    if lower_scheme != scheme {
        reasons.push("has an upper-case scheme");
    }
    let special = is_special(&lower_scheme);
    let end = rest
        .find(|c: char| c == '/' || c == '?' || c == '#' || (special && c == '\\'))
        .unwrap_or(rest.len());
    let (mut authority, tail) = rest.split_at(end);
    if tail == "/" {
        reasons.push("ends with a slash");
    } else if !tail.is_empty() {
        reasons.push("has a path");
    }
    if let Some((_, host)) = authority.rsplit_once('@') {
        reasons.push("has user info");
        authority = host;
    }
    let (host, port) = split_host_port(authority);
    let host = if special {
        if host.is_empty() || (!host.starts_with('[') && host.chars().any(forbidden_in_host)) {
            return Some(NotSerialized {
                reasons: vec!["has no valid host"],
                serialized: None,
            });
        }
        if !host.is_ascii() {
            reasons.push("has a non-ASCII host (browsers send its xn-- form)");
            None
        } else {
            let lower = host.to_ascii_lowercase();
            if lower != host {
                reasons.push("has an upper-case host");
            }
            Some(lower)
        }
    } else {
        Some(host.to_string())
    };
    let port = match port {
        None => Some(String::new()),
        Some("") => {
            reasons.push("has an empty port");
            Some(String::new())
        }
        Some(p) if special => {
            if p.bytes().all(|b| b.is_ascii_digit()) {
                special_port(p, &lower_scheme, &mut reasons)
            } else {
                reasons.push("has a port that is not a number");
                None
            }
        }
        Some(p) => Some(format!(":{p}")),
    };
    if reasons.is_empty() {
        return None;
    }
    let serialized = match (host, port) {
        (Some(host), Some(port)) => Some(format!("{lower_scheme}://{host}{port}")),
        _ => None,
    };
    Some(NotSerialized {
        reasons,
        serialized,
    })
}

/// The common case, decided without allocating: `http://` or `https://`, a
/// host of lower-case letters, digits, `-` and `.`, and an optional port
/// that is written as browsers write it (digits, no leading zero, at most
/// 65535, not the scheme's default). Every text this accepts is one the
/// whole check accepts (a test compares the two).
fn is_plainly_serialized(text: &str) -> bool {
    let (rest, default) = if let Some(rest) = text.strip_prefix("https://") {
        (rest, 443)
    } else if let Some(rest) = text.strip_prefix("http://") {
        (rest, 80)
    } else {
        return false;
    };
    let (host, port) = match rest.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    host_ok
        && port.is_none_or(|p| {
            !p.is_empty()
                && p.len() <= 5
                && !p.starts_with('0')
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|n| n <= 65535 && n != default)
        })
}

/// The serialized `:port` (empty for the default port) of a special URL's
/// all-digit port, or `None` when it is out of range.
fn special_port(p: &str, scheme: &str, reasons: &mut Vec<&'static str>) -> Option<String> {
    let n = match p.trim_start_matches('0') {
        "" => 0,
        digits => match digits.parse::<u32>() {
            Ok(n) if n <= 65535 => n,
            _ => {
                reasons.push("has a port above 65535");
                return None;
            }
        },
    };
    if Some(n) == default_port(scheme) {
        reasons.push(match n {
            443 => "has the default port :443",
            21 => "has the default port :21",
            _ => "has the default port :80",
        });
        return Some(String::new());
    }
    if n.to_string() != p {
        reasons.push("has leading zeros in the port");
    }
    Some(format!(":{n}"))
}

/// `host[:port]`, IPv6 literals in brackets included.
fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        if let Some(close) = authority.find(']') {
            let (host, after) = authority.split_at(close + 1);
            return (host, after.strip_prefix(':'));
        }
        return (authority, None);
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(text: &str) -> Option<String> {
        check_serialized_origin(text)
            .expect("not serialized")
            .serialized
    }

    #[test]
    fn the_plain_case_agrees_with_the_whole_check() {
        let hosts = [
            "a.example",
            "A.example",
            "",
            "a_b.example",
            "127.0.0.1",
            "xn--bcher-kva.example",
            "a..b",
            "é.example",
        ];
        let ports = [
            "", ":", ":0", ":08080", ":8080", ":80", ":443", ":65535", ":65536", ":99999", ":1a",
            ":123456",
        ];
        let tails = ["", "/", "/x", "?q", "#f", "\\", " "];
        for scheme in ["https://", "http://", "HTTPS://", "ws://", ""] {
            for host in hosts {
                for port in ports {
                    for tail in tails {
                        let text = format!("{scheme}{host}{port}{tail}");
                        if is_plainly_serialized(&text) {
                            assert_eq!(check_serialized_origin_whole(&text), None, "{text}");
                        }
                    }
                }
            }
        }
        assert!(is_plainly_serialized("https://app.example.com"));
        assert!(is_plainly_serialized("http://localhost:5173"));
        assert!(!is_plainly_serialized("https://app.example.com:443"));
    }

    /// The check without its plain-case shortcut.
    fn check_serialized_origin_whole(text: &str) -> Option<NotSerialized> {
        let saved = text.to_string();
        // The shortcut only ever answers None; run the rest by hand on a
        // text it does not recognise: a leading space is trimmed and
        // reported, so compare against that report minus its reason.
        let spaced = format!(" {saved}");
        let result = check_serialized_origin(&spaced)?;
        let reasons: Vec<_> = result
            .reasons
            .into_iter()
            .filter(|r| *r != "has surrounding spaces")
            .collect();
        if reasons.is_empty() {
            None
        } else {
            Some(NotSerialized {
                reasons,
                serialized: result.serialized,
            })
        }
    }

    #[test]
    fn serialized_origins_pass() {
        for ok in [
            "https://app.example.com",
            "http://localhost:5173",
            "http://127.0.0.1:8080",
            "http://[::1]:3000",
            "https://a.example.com:8443",
            "null",
            "chrome-extension://abcdefghijklmnop",
            "capacitor://localhost",
        ] {
            assert_eq!(check_serialized_origin(ok), None, "{ok}");
        }
    }

    #[test]
    fn near_misses_get_their_serialized_form() {
        let cases = [
            (
                "https://app.example.com/",
                "https://app.example.com",
                "ends with a slash",
            ),
            (
                "https://app.example.com/api",
                "https://app.example.com",
                "has a path",
            ),
            ("localhost:5173", "http://localhost:5173", "has no scheme"),
            (
                "app.example.com",
                "https://app.example.com",
                "has no scheme",
            ),
            (
                "https://APP.example.com",
                "https://app.example.com",
                "has an upper-case host",
            ),
            (
                "HTTPS://app.example.com",
                "https://app.example.com",
                "has an upper-case scheme",
            ),
            (
                "https://app.example.com:443",
                "https://app.example.com",
                "has the default port :443",
            ),
            (
                "http://app.example.com:80",
                "http://app.example.com",
                "has the default port :80",
            ),
            (
                " https://app.example.com ",
                "https://app.example.com",
                "has surrounding spaces",
            ),
            (
                "https://user@app.example.com",
                "https://app.example.com",
                "has user info",
            ),
            (
                "http://localhost:05173",
                "http://localhost:5173",
                "has leading zeros in the port",
            ),
            (
                "https://app.example.com:",
                "https://app.example.com",
                "has an empty port",
            ),
            (
                "https://app.example.com?x",
                "https://app.example.com",
                "has a path",
            ),
            (
                "http://[::1]:3000/",
                "http://[::1]:3000",
                "ends with a slash",
            ),
        ];
        for (text, serialized, reason) in cases {
            let n = check_serialized_origin(text).expect(text);
            assert_eq!(n.serialized.as_deref(), Some(serialized), "{text}");
            assert!(n.reasons.contains(&reason), "{text}: {:?}", n.reasons);
        }
        let both = check_serialized_origin("https://App.example.com:443/").expect("near miss");
        assert_eq!(
            both.describe(),
            "ends with a slash, has an upper-case host and has the default port :443"
        );
    }

    #[test]
    fn texts_without_a_serialized_form() {
        assert_eq!(fix("https://bücher.example"), None);
        assert_eq!(fix("https://a.example.com:99999"), None);
        assert_eq!(fix("https://a.example.com:http"), None);
        assert_eq!(fix("https://"), None);
        assert_eq!(fix("https://a b.example"), None);
        // never a panic on odd text
        for odd in [
            "",
            "://",
            ":",
            "[",
            "https://[",
            "https://@",
            "\u{0}",
            "é://x",
        ] {
            let _ = check_serialized_origin(odd);
        }
    }
}
