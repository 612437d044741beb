//! The origin rule of a compiled policy and its matcher.
//!
//! Exact origins are decided in JS (a `Set`), because a JS `Set.has` is far
//! cheaper than any N-API call. What reaches Rust is the part JS cannot do
//! fast or safely: translated RegExps (one `RegexSet`, linear time) and
//! structured origin patterns (`https://*.example.com`).

use std::collections::HashSet;

use regex::bytes::RegexSet;

use crate::pattern::OriginPattern;

/// What the matcher says about one origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Denied,
    /// The Rust translation is not exact for this input (not Latin-1, or a
    /// carriage return met a multiline anchor): JS must run the RegExps.
    AskJs,
}

impl Verdict {
    pub fn as_i32(self) -> i32 {
        match self {
            Verdict::Allowed => 1,
            Verdict::Denied => 0,
            Verdict::AskJs => -1,
        }
    }
}

/// Origins that only a translated RegExp or a pattern can decide, plus the
/// exact origins (kept here too so that Rust callers see the whole rule).
#[derive(Debug, Default)]
pub struct Matcher {
    exact: HashSet<Vec<u8>>,
    regexes: Option<RegexSet>,
    patterns: Vec<OriginPattern>,
    /// Some translated RegExp decides differently from JS on input holding `\r`.
    cr_sensitive: bool,
}

/// Largest origin, in bytes, copied onto the stack before matching.
const STACK_ORIGIN: usize = 256;

impl Matcher {
    pub fn new(
        exact: impl IntoIterator<Item = String>,
        regexes: Option<RegexSet>,
        patterns: Vec<OriginPattern>,
        cr_sensitive: bool,
    ) -> Self {
        Matcher {
            exact: exact.into_iter().map(String::into_bytes).collect(),
            regexes,
            patterns,
            cr_sensitive,
        }
    }

    /// True when JS never needs to ask Rust (no regex, no pattern).
    pub fn is_trivial(&self) -> bool {
        self.regexes.is_none() && self.patterns.is_empty()
    }

    /// Decide an origin given as the UTF-8 of a JS string. Only Latin-1
    /// strings (every code unit <= 0xFF, which is what Node's HTTP parser
    /// produces) are decided here; others are handed back to JS.
    pub fn decide_str(&self, origin: &str) -> Verdict {
        if self.exact.contains(origin.as_bytes()) {
            return Verdict::Allowed;
        }
        if origin.is_ascii() {
            return self.decide_latin1(origin.as_bytes());
        }
        let mut stack = [0u8; STACK_ORIGIN];
        let mut heap = Vec::new();
        let n = origin.chars().count();
        let buf: &mut [u8] = if n <= STACK_ORIGIN {
            &mut stack[..n]
        } else {
            heap.resize(n, 0);
            &mut heap
        };
        for (slot, c) in buf.iter_mut().zip(origin.chars()) {
            match u8::try_from(u32::from(c)) {
                Ok(b) => *slot = b,
                Err(_) => return self.decide_wide(origin),
            }
        }
        self.decide_latin1(buf)
    }

    /// A string with code units above 0xFF: exact origins and patterns are
    /// decided on its UTF-8, RegExps are left to JS.
    fn decide_wide(&self, origin: &str) -> Verdict {
        let bytes = origin.as_bytes();
        if self.patterns.iter().any(|p| p.matches(bytes)) {
            Verdict::Allowed
        } else if self.regexes.is_some() {
            Verdict::AskJs
        } else {
            Verdict::Denied
        }
    }

    /// Decide an origin whose bytes are Latin-1 code units (patterns and
    /// RegExps only: exact origins are compared on the string).
    fn decide_latin1(&self, origin: &[u8]) -> Verdict {
        if self.patterns.iter().any(|p| p.matches(origin)) {
            return Verdict::Allowed;
        }
        match &self.regexes {
            None => Verdict::Denied,
            Some(set) => {
                if self.cr_sensitive && origin.contains(&b'\r') {
                    return Verdict::AskJs;
                }
                if set.is_match(origin) {
                    Verdict::Allowed
                } else {
                    Verdict::Denied
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::parse_pattern;

    fn matcher(exact: &[&str], regexes: &[&str], patterns: &[&str], cr: bool) -> Matcher {
        let set = if regexes.is_empty() {
            None
        } else {
            Some(RegexSet::new(regexes).expect("test regexes compile"))
        };
        let pats = patterns
            .iter()
            .map(|p| parse_pattern(p).expect("test pattern parses"))
            .collect();
        Matcher::new(exact.iter().map(|s| s.to_string()), set, pats, cr)
    }

    #[test]
    fn exact_origins_match_byte_for_byte() {
        let m = matcher(&["https://a.com", "http://localhost:3000"], &[], &[], false);
        assert_eq!(m.decide_str("https://a.com"), Verdict::Allowed);
        assert_eq!(m.decide_str("https://a.com/"), Verdict::Denied);
        assert_eq!(m.decide_str("HTTPS://a.com"), Verdict::Denied);
        assert_eq!(m.decide_str("http://localhost:3000"), Verdict::Allowed);
        assert_eq!(m.decide_str(""), Verdict::Denied);
        assert!(m.is_trivial());
    }

    #[test]
    fn regex_set_decides_latin1_and_defers_the_rest() {
        let m = matcher(&[], &[r"(?-u)\Ahttps://[a-z]+\.example\.com\z"], &[], false);
        assert!(!m.is_trivial());
        assert_eq!(m.decide_str("https://api.example.com"), Verdict::Allowed);
        assert_eq!(m.decide_str("https://evil-example.com"), Verdict::Denied);
        // Latin-1 beyond ASCII is decided in Rust, one byte per code unit.
        assert_eq!(m.decide_str("https://\u{e9}.example.com"), Verdict::Denied);
        // Anything above U+00FF goes back to JS.
        assert_eq!(m.decide_str("https://\u{4e2d}.example.com"), Verdict::AskJs);
        assert_eq!(
            m.decide_str("https://\u{1F600}.example.com"),
            Verdict::AskJs
        );
    }

    #[test]
    fn latin1_bytes_are_single_units() {
        // (?-u) '.' is one byte: "é" must count as one unit, as in JS.
        let m = matcher(&[], &[r"(?s-u)\Aa.b\z"], &[], false);
        assert_eq!(m.decide_str("a\u{e9}b"), Verdict::Allowed);
        assert_eq!(m.decide_str("a\u{e9}\u{e9}b"), Verdict::Denied);
    }

    #[test]
    fn carriage_return_defers_when_sensitive() {
        let m = matcher(&[], &[r"(?m-u)^x$"], &[], true);
        assert_eq!(m.decide_str("a\r\nx"), Verdict::AskJs);
        assert_eq!(m.decide_str("a\nx"), Verdict::Allowed);
        let m = matcher(&[], &[r"(?m-u)^x$"], &[], false);
        assert_eq!(m.decide_str("a\r\nx"), Verdict::Allowed);
        assert_eq!(m.decide_str("a\rx"), Verdict::Denied);
    }

    #[test]
    fn patterns_join_the_same_matcher() {
        let m = matcher(&["https://b.org"], &[], &["https://*.example.com"], false);
        assert_eq!(m.decide_str("https://a.b.example.com"), Verdict::Allowed);
        assert_eq!(m.decide_str("https://example.com"), Verdict::Denied);
        assert_eq!(m.decide_str("https://evil-example.com"), Verdict::Denied);
        assert_eq!(m.decide_str("https://b.org"), Verdict::Allowed);
    }

    #[test]
    fn long_origins_use_the_heap_path() {
        let long = format!("https://{}\u{e9}.example.com", "a".repeat(10_000));
        let m = matcher(&[], &[r"(?-u)\Ahttps://a+\xE9\.example\.com\z"], &[], false);
        assert_eq!(m.decide_str(&long), Verdict::Allowed);
    }
    /// `cargo test --release --lib bench_pattern_lookup -- --ignored --nocapture`
    #[test]
    #[ignore = "benchmark, run by hand in release"]
    fn bench_pattern_lookup() {
        use std::hint::black_box;
        use std::time::{Duration, Instant};
        for n in [1_000usize, 100_000] {
            let patterns: Vec<OriginPattern> = (0..n)
                .map(|i| {
                    let text = if i % 2 == 0 {
                        format!("https://*.tenant{i}.example.com")
                    } else {
                        format!("http://tenant{i}.example.net:*")
                    };
                    parse_pattern(&text).expect("bench pattern parses")
                })
                .collect();
            let m = Matcher::new(Vec::<String>::new(), None, patterns, false);
            let hits: Vec<String> = (0..4096)
                .map(|i| {
                    let k = (i * 7919) % n;
                    if k % 2 == 0 {
                        format!("https://app.tenant{k}.example.com")
                    } else {
                        format!("http://tenant{k}.example.net:3000")
                    }
                })
                .collect();
            let misses: Vec<String> = (0..4096)
                .map(|i| format!("https://app{i}.nobody.example.com"))
                .collect();
            for (kind, origins, want) in [
                ("hit", &hits, Verdict::Allowed),
                ("miss", &misses, Verdict::Denied),
            ] {
                for o in origins.iter().take(64) {
                    assert_eq!(m.decide_str(o), want, "{o}");
                }
                let start = Instant::now();
                let mut done = 0usize;
                while start.elapsed() < Duration::from_millis(300) {
                    for o in origins.iter().skip(done % 4096).take(64) {
                        black_box(m.decide_str(black_box(o)));
                    }
                    done += 64;
                }
                let ns = start.elapsed().as_nanos() as f64 / done as f64;
                println!("{n} patterns, {kind}: {ns:.1} ns per lookup");
            }
        }
    }
}
