//! PCRE renderings of origin rules, for servers whose regexes are PCRE
//! (nginx `map`). Every rendering decides exactly what the middleware
//! decides, over the raw bytes of the `Origin` header (the middleware sees
//! the same bytes as a Latin-1 string).
//!
//! The output is plain PCRE for a pattern compiled without options (no UTF,
//! no caseless, no multiline): `\A`/`\z` anchors, `(?:...)` groups, classes
//! of `\xHH` bytes, lookaround. Nothing depends on PCRE's character tables
//! or newline convention.

use super::linear;
use crate::js_regex::{emit_byte, translate, Translation};
use crate::pattern::OriginPattern;

/// The bytes a Latin-1 string stands for, or `None` when some char is above
/// U+00FF (such a string never equals an `Origin` header value).
fn latin1_bytes(s: &str) -> Option<Vec<u8>> {
    s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

/// A regex matching exactly the header value `origin` (case-sensitive), or
/// `None` when no header value can equal it.
pub fn exact(origin: &str) -> Option<String> {
    let bytes = latin1_bytes(origin)?;
    if bytes.is_empty() {
        // cors never allows a missing or empty Origin.
        return None;
    }
    let mut out = String::from(r"\A");
    for b in bytes {
        emit_byte(b, &mut out);
    }
    out.push_str(r"\z");
    Some(out)
}

/// A canonical port as `pattern.rs` accepts it for `:*`: `0`, or 1 to 5
/// digits without a leading zero, at most 65535.
const ANY_PORT: &str = r"(?::(?:0|[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?";

/// A regex deciding exactly as [`OriginPattern::matches`].
pub fn pattern(p: &OriginPattern) -> String {
    let mut out = String::from(r"\A");
    for b in p.scheme().bytes() {
        emit_byte(b, &mut out);
    }
    out.push_str("://");
    if p.allows_subdomains() {
        // The host (every byte up to a `:` or the end) is at most 253 bytes,
        // as the middleware bounds it: no run of 254 bytes without a `:`.
        out.push_str(r"(?![^\x3A]{254})");
        // One or more labels of 1 to 63 host bytes, each followed by a dot
        // (a label has no dot, so its repetition is possessive).
        out.push_str(r"(?:[\-0-9_a-z]{1,63}+\.)+");
    }
    for b in p.fixed_host().bytes() {
        emit_byte(b, &mut out);
    }
    if p.allows_any_port() {
        out.push_str(ANY_PORT);
    } else {
        // The normalised text ends with `:digits` for an exact port.
        let text = p.to_string();
        if let Some(port) = explicit_port(&text, p) {
            out.push(':');
            out.push_str(port);
        }
    }
    out.push_str(r"\z");
    out
}

/// The exact port of a pattern without `:*`, read from its normalised text.
fn explicit_port<'a>(text: &'a str, p: &OriginPattern) -> Option<&'a str> {
    let host_end = text.find("://")? + 3;
    let host_len = p.fixed_host().len() + if p.allows_subdomains() { 2 } else { 0 };
    text.get(host_end + host_len..)?.strip_prefix(':')
}

/// A JS RegExp `(source, flags)` as a PCRE pattern deciding `test()` exactly
/// in linear time, or why it cannot be rendered.
///
/// The translation to `regex` syntax (src/js_regex.rs) is exact over Latin-1
/// inputs; its output uses a small fixed vocabulary, re-spelled by
/// [`linear::render`] token by token, every choice possessive or atomic. A
/// token outside that vocabulary, or a choice PCRE would backtrack over, is
/// refused, never guessed.
pub fn js_regex(source: &str, flags: &str) -> Result<String, String> {
    match translate(source, flags) {
        Translation::Js { reason } => Err(reason),
        Translation::Exact { pattern, .. } => linear::render(&pattern),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::parse_pattern;

    /// The host bound of a `*.` pattern, which the `regex` crate cannot
    /// spell (real PCRE runs it in __test__/nginx.test.js).
    const HOST_BOUND: &str = r"(?![^\x3A]{254})";

    /// A PCRE rendering as a `regex` crate matcher: the host bound is
    /// checked by hand, possessive marks (no different here) are dropped.
    struct BytesRegex {
        re: regex::bytes::Regex,
        host_bound: bool,
    }

    impl BytesRegex {
        fn is_match(&self, origin: &[u8]) -> bool {
            if self.host_bound {
                let Some(at) = origin.windows(3).position(|w| w == b"://") else {
                    return false;
                };
                let rest = &origin[at + 3..];
                if rest.iter().take_while(|&&b| b != b':').count() >= 254 {
                    return false;
                }
            }
            self.re.is_match(origin)
        }
    }

    fn bytes_regex(pcre: &str) -> BytesRegex {
        let host_bound = pcre.contains(HOST_BOUND);
        let plain = pcre.replace(HOST_BOUND, "").replace("}+", "}");
        BytesRegex {
            re: regex::bytes::Regex::new(&format!("(?-u){plain}")).expect("valid regex syntax too"),
            host_bound,
        }
    }

    #[test]
    fn exact_origins_are_escaped_and_case_sensitive() {
        assert_eq!(
            exact("https://a.example.com").as_deref(),
            Some(r"\Ahttps://a\.example\.com\z")
        );
        assert_eq!(exact("http://x$y").as_deref(), Some(r"\Ahttp://x\x24y\z"));
        assert_eq!(exact("http://é").as_deref(), Some(r"\Ahttp://\xE9\z"));
        assert_eq!(exact("http://\u{100}"), None);
        assert_eq!(exact(""), None);
        let re = bytes_regex(&exact("https://a.example.com").unwrap_or_default());
        assert!(re.is_match(b"https://a.example.com"));
        assert!(!re.is_match(b"https://A.example.com"));
        assert!(!re.is_match(b"https://a.example.com\n"));
        assert!(!re.is_match(b"https://aXexample.com"));
    }

    #[test]
    fn patterns_decide_like_the_structural_matcher() {
        let origins: &[&[u8]] = &[
            b"https://a.example.com",
            b"https://A.example.com",
            b"https://a.b.example.com",
            b"https://example.com",
            b"https://.example.com",
            b"https://a..example.com",
            b"https://a.example.com:443",
            b"https://a.example.com:8443",
            b"https://a.example.com:08443",
            b"https://a.example.com:65535",
            b"https://a.example.com:65536",
            b"https://a.example.com:0",
            b"https://a.example.com:",
            b"http://a.example.com",
            b"https://evil-example.com",
            b"https://a.example.com.evil.net",
            b"https://a_b-c.example.com",
            b"https://a%2e.example.com",
            b"http://localhost",
            b"http://localhost:3000",
            b"http://localhost:3000/",
            b"http://[::1]:8080",
            b"http://[::1]",
            b"https://x.example.com:8080",
        ];
        for text in [
            "https://*.example.com",
            "https://*.example.com:*",
            "https://*.example.com:8443",
            "http://localhost:*",
            "http://[::1]:*",
            "HTTPS://*.Example.COM:443",
        ] {
            let p = parse_pattern(text).expect("valid pattern");
            let re = bytes_regex(&pattern(&p));
            for origin in origins {
                assert_eq!(
                    re.is_match(origin),
                    p.matches(origin),
                    "{text} on {:?}",
                    String::from_utf8_lossy(origin)
                );
            }
        }
        // A long label sequence, and one label of 64 bytes.
        let p = parse_pattern("https://*.example.com").expect("valid");
        let re = bytes_regex(&pattern(&p));
        let long = format!("https://{}.example.com", "a".repeat(64));
        assert_eq!(re.is_match(long.as_bytes()), p.matches(long.as_bytes()));
        let ok = format!("https://{}.example.com", "a.".repeat(100) + "b");
        assert!(re.is_match(ok.as_bytes()) && p.matches(ok.as_bytes()));
        // Hosts around the 253-byte bound, with and without a port.
        let p = parse_pattern("https://*.example.com:*").expect("valid");
        let re = bytes_regex(&pattern(&p));
        // A host of `len` bytes: labels of up to 9 bytes, then example.com.
        let host = |len: usize| {
            let mut labels = "abcdefghi.".repeat(len / 10 + 1);
            labels.truncate(len - ".example.com".len());
            if labels.ends_with('.') {
                labels.replace_range(..1, "xy");
                labels.pop();
            }
            format!("{labels}.example.com")
        };
        for len in 240..=400 {
            assert_eq!(host(len).len(), len);
            for port in ["", ":8080"] {
                let origin = format!("https://{}{port}", host(len));
                let bytes = origin.as_bytes();
                assert_eq!(re.is_match(bytes), p.matches(bytes), "{origin}");
                assert_eq!(re.is_match(bytes), len <= 253, "{origin}");
            }
        }
    }

    #[test]
    fn seeded_random_origins_agree_with_patterns() {
        let p = parse_pattern("https://*.ex-ample.co.uk:*").expect("valid");
        let re = bytes_regex(&pattern(&p));
        let alphabet = b"ahs:/.-_9A0x*[]:1";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut s = b"https://".to_vec();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let n = (state % 12) as usize;
            for k in 0..n {
                let i = ((state >> (k * 4)) % alphabet.len() as u64) as usize;
                s.push(alphabet[i]);
            }
            if state.is_multiple_of(3) {
                s.extend_from_slice(b".ex-ample.co.uk");
            }
            if state.is_multiple_of(5) {
                s.extend_from_slice(b":8080");
            }
            assert_eq!(
                re.is_match(&s),
                p.matches(&s),
                "{:?}",
                String::from_utf8_lossy(&s)
            );
        }
    }

    #[test]
    fn regexes_are_respelled_token_by_token() {
        assert_eq!(
            js_regex(r"^https:\/\/a\.example\.com$", "").as_deref(),
            Ok(r"\Ahttps://a\.example\.com\z")
        );
        // Case folding is explicit classes; `.` excludes \n and \r.
        assert_eq!(
            js_regex("^a.$", "i").as_deref(),
            Ok(r"\A[\x41\x61][\x00-\x09\x0B-\x0C\x0E-\xFF]\z")
        );
        // m-flag anchors: \r is a line end too.
        assert_eq!(
            js_regex("^a$", "m").as_deref(),
            Ok(r"(?:\A|(?<=[\n\r]))a(?:\z|(?=[\n\r]))")
        );
        assert!(js_regex(r"\bx\B", "")
            .unwrap_or_default()
            .contains("(?<=[0-9A-Z_a-z])"));
        assert_eq!(
            js_regex("^a{2,}b{3}c{1,4}?", "").as_deref(),
            Ok("\\Aa{2,}+b{3}c{1,4}+")
        );
        assert!(js_regex("(?<=a)b", "").is_err());
        assert!(js_regex("a", "g").is_err());
        // Backtracking forms are refused (src/export/linear.rs).
        assert!(js_regex(r"^https:\/\/(a+)+\.example\.com$", "").is_err());
        assert!(js_regex(r"(a)\1", "").is_err());
    }
}
