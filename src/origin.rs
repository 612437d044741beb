//! The origin rule of a compiled policy and its matcher.
//!
//! Exact origins are decided in JS (a `Set`), because a JS `Set.has` is far
//! cheaper than any N-API call. What reaches Rust is the part JS cannot do
//! fast or safely: translated RegExps (one `RegexSet`, linear time) and
//! structured origin patterns (`https://*.example.com`), indexed by host so
//! that a lookup costs time in the length of the `Origin`, not in the number
//! of patterns.

use regex::bytes::RegexSet;

use crate::pattern::{OriginPattern, PatternIndex};

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

/// Origins that only a translated RegExp or a pattern can decide (exact
/// origins stay in JS's `Set`, see the module comment).
#[derive(Debug, Default)]
pub struct Matcher {
    regexes: Option<RegexSet>,
    patterns: PatternIndex,
    /// Some translated RegExp decides differently from JS on input holding `\r`.
    cr_sensitive: bool,
}

/// Largest origin, in bytes, copied onto the stack before matching.
const STACK_ORIGIN: usize = 256;

impl Matcher {
    /// A rough size of the memory this matcher holds, for the JS engine's
    /// accounting (V8 does not see native memory, so without a hint it
    /// collects dropped policies late). The compiled regex set is taken as
    /// 64 bytes per byte of pattern source, plus a fixed cost for its caches.
    pub fn approximate_size(&self) -> usize {
        let regexes = self.regexes.as_ref().map_or(0, |set| {
            16 * 1024 + 64 * set.patterns().iter().map(String::len).sum::<usize>()
        });
        std::mem::size_of::<Self>() + regexes + self.patterns.approximate_size()
    }

    pub fn new(
        regexes: Option<RegexSet>,
        patterns: Vec<OriginPattern>,
        cr_sensitive: bool,
    ) -> Self {
        let patterns = PatternIndex::new(&patterns);
        Matcher {
            regexes,
            patterns,
            cr_sensitive,
        }
    }

    /// Decide an origin that is none of the exact origins: patterns and
    /// RegExps only. This is the per-request call from JS, which has already
    /// looked the string up in its own `Set` of exact origins, compared as JS
    /// strings; the exact origins are never consulted here, so the UTF-8 copy
    /// of a string with lone surrogates (turned into U+FFFD) cannot alias
    /// one. Patterns only match ASCII, and RegExps are left to JS for any
    /// code unit above U+00FF, so no lossy byte decides anything.
    pub fn decide_unlisted(&self, origin: &str) -> Verdict {
        // Patterns match ASCII only, so the UTF-8 bytes are as good as the
        // code units; the index rejects origins longer than any pattern allows.
        if self.patterns.matches(origin.as_bytes()) {
            return Verdict::Allowed;
        }
        let Some(set) = &self.regexes else {
            return Verdict::Denied;
        };
        if origin.is_ascii() {
            return self.decide_regexes(set, origin.as_bytes());
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
                // Above Latin-1: the translation is not exact, JS decides.
                Err(_) => return Verdict::AskJs,
            }
        }
        self.decide_regexes(set, buf)
    }

    /// [`Matcher::decide_unlisted`] for an origin given as the UTF-16 code
    /// units of a JS string, exactly as JS holds it (lone surrogates
    /// included): nothing is lost on the way, and napi's UTF-16 conversion
    /// is cheaper than its UTF-8 one. Patterns and RegExps only.
    pub fn decide_unlisted_utf16(&self, origin: &[u16]) -> Verdict {
        if self.denies_longer_than(origin.len()) {
            return Verdict::Denied;
        }
        let mut stack = [0u8; STACK_ORIGIN];
        let mut heap = Vec::new();
        let buf: &mut [u8] = if origin.len() <= STACK_ORIGIN {
            &mut stack[..origin.len()]
        } else {
            heap.resize(origin.len(), 0);
            &mut heap
        };
        for (slot, &unit) in buf.iter_mut().zip(origin) {
            match u8::try_from(unit) {
                Ok(b) => *slot = b,
                // Above Latin-1: no pattern matches it (patterns are ASCII),
                // and the RegExps' translation is not exact for it.
                Err(_) if self.regexes.is_some() => return Verdict::AskJs,
                Err(_) => return Verdict::Denied,
            }
        }
        // Bytes above 0x7F are Latin-1 code units here, not UTF-8: patterns
        // never match them either way.
        if self.patterns.matches(buf) {
            return Verdict::Allowed;
        }
        match &self.regexes {
            Some(set) => self.decide_regexes(set, buf),
            None => Verdict::Denied,
        }
    }

    /// Whether every origin of more than `units` UTF-16 code units is
    /// denied (no RegExps, and no pattern matches one that long): then the
    /// first `units + 1` units of an origin are enough to deny it.
    pub fn denies_longer_than(&self, units: usize) -> bool {
        self.regexes.is_none() && units > self.patterns.longest_origin()
    }

    /// The RegExps on an origin whose bytes are its Latin-1 code units.
    fn decide_regexes(&self, set: &RegexSet, origin: &[u8]) -> Verdict {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::parse_pattern;

    fn matcher(regexes: &[&str], patterns: &[&str], cr: bool) -> Matcher {
        let set = if regexes.is_empty() {
            None
        } else {
            Some(RegexSet::new(regexes).expect("test regexes compile"))
        };
        let pats = patterns
            .iter()
            .map(|p| parse_pattern(p).expect("test pattern parses"))
            .collect();
        Matcher::new(set, pats, cr)
    }

    #[test]
    fn a_prefix_longer_than_any_pattern_is_enough_to_deny() {
        let m = matcher(&[], &["https://*.example.com"], false);
        let longest = m.patterns.longest_origin();
        assert!(m.denies_longer_than(longest + 1));
        assert!(!m.denies_longer_than(longest));
        // A host of 253 bytes (the DNS limit) is still allowed.
        let label = "a".repeat(60);
        let host = format!("{label}.{label}.{label}.{}.example.com", "b".repeat(58));
        assert_eq!(host.len(), 253);
        let origin: Vec<u16> = format!("https://{host}").encode_utf16().collect();
        assert!(origin.len() <= longest);
        assert_eq!(m.decide_unlisted_utf16(&origin), Verdict::Allowed);
        // With RegExps there is no bound.
        let m = matcher(&["^https://"], &["https://*.example.com"], false);
        assert!(!m.denies_longer_than(100_000));
    }

    #[test]
    fn regex_set_decides_latin1_and_defers_the_rest() {
        let m = matcher(&[r"(?-u)\Ahttps://[a-z]+\.example\.com\z"], &[], false);
        assert_eq!(
            m.decide_unlisted("https://api.example.com"),
            Verdict::Allowed
        );
        assert_eq!(
            m.decide_unlisted("https://evil-example.com"),
            Verdict::Denied
        );
        // Latin-1 beyond ASCII is decided in Rust, one byte per code unit.
        assert_eq!(
            m.decide_unlisted("https://\u{e9}.example.com"),
            Verdict::Denied
        );
        // Anything above U+00FF goes back to JS.
        assert_eq!(
            m.decide_unlisted("https://\u{4e2d}.example.com"),
            Verdict::AskJs
        );
        assert_eq!(
            m.decide_unlisted("https://\u{1F600}.example.com"),
            Verdict::AskJs
        );
    }

    #[test]
    fn latin1_bytes_are_single_units() {
        // (?-u) '.' is one byte: "é" must count as one unit, as in JS.
        let m = matcher(&[r"(?s-u)\Aa.b\z"], &[], false);
        assert_eq!(m.decide_unlisted("a\u{e9}b"), Verdict::Allowed);
        assert_eq!(m.decide_unlisted("a\u{e9}\u{e9}b"), Verdict::Denied);
    }

    #[test]
    fn carriage_return_defers_when_sensitive() {
        let m = matcher(&[r"(?m-u)^x$"], &[], true);
        assert_eq!(m.decide_unlisted("a\r\nx"), Verdict::AskJs);
        assert_eq!(m.decide_unlisted("a\nx"), Verdict::Allowed);
        let m = matcher(&[r"(?m-u)^x$"], &[], false);
        assert_eq!(m.decide_unlisted("a\r\nx"), Verdict::Allowed);
        assert_eq!(m.decide_unlisted("a\rx"), Verdict::Denied);
    }

    #[test]
    fn patterns_join_the_same_matcher() {
        let m = matcher(
            &[r"(?-u)\Ahttps://b\.org\z"],
            &["https://*.example.com"],
            false,
        );
        assert_eq!(
            m.decide_unlisted("https://a.b.example.com"),
            Verdict::Allowed
        );
        assert_eq!(m.decide_unlisted("https://example.com"), Verdict::Denied);
        assert_eq!(
            m.decide_unlisted("https://evil-example.com"),
            Verdict::Denied
        );
        assert_eq!(m.decide_unlisted("https://b.org"), Verdict::Allowed);
    }

    #[test]
    fn long_origins_use_the_heap_path() {
        let long = format!("https://{}\u{e9}.example.com", "a".repeat(10_000));
        let m = matcher(&[r"(?-u)\Ahttps://a+\xE9\.example\.com\z"], &[], false);
        assert_eq!(m.decide_unlisted(&long), Verdict::Allowed);
    }
    #[test]
    fn non_ascii_never_matches_a_pattern() {
        // A JS string with a lone surrogate reaches Rust as UTF-8 with U+FFFD
        // in its place.
        let m = matcher(&[], &["https://*.example.com"], false);
        assert_eq!(m.decide_unlisted("https://a.example.com"), Verdict::Allowed);
        assert_eq!(
            m.decide_unlisted("https://\u{FFFD}.example.com"),
            Verdict::Denied
        );
        // With RegExps it goes back to JS.
        let m = matcher(&[r"(?-u)\Ax\z"], &[], false);
        assert_eq!(m.decide_unlisted("https://x.org"), Verdict::Denied);
        assert_eq!(m.decide_unlisted("https://\u{FFFD}.org"), Verdict::AskJs);
        assert_eq!(m.decide_unlisted("x"), Verdict::Allowed);
    }

    #[test]
    fn utf16_origins_are_decided_like_strings() {
        let m = matcher(
            &[r"(?-u)\Ahttps://[a-z\xE9]+\.example\.org\z"],
            &["https://*.example.com", "http://localhost:*"],
            false,
        );
        let units = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
        let long_latin1 = format!("https://{}.example.org", "\u{e9}".repeat(300));
        assert_eq!(m.decide_unlisted(&long_latin1), Verdict::Allowed);
        for origin in [
            "https://a.example.com",
            "https://example.com",
            "http://localhost:3000",
            "https://\u{e9}t\u{e9}.example.org",
            "https://x.example.org",
            "https://\u{4e2d}.example.org",
            "https://\u{1F600}.example.com",
            "https://a\u{FFFD}.example",
            "",
            // Longer than the stack buffer.
            &long_latin1,
        ] {
            assert_eq!(
                m.decide_unlisted_utf16(&units(origin)),
                m.decide_unlisted(origin),
                "{origin}"
            );
        }
        // A lone surrogate is one unit above Latin-1: back to JS when there
        // are RegExps, a miss otherwise.
        let lone: Vec<u16> = "https://a"
            .encode_utf16()
            .chain([0xD800])
            .chain(".example".encode_utf16())
            .collect();
        assert_eq!(m.decide_unlisted_utf16(&lone), Verdict::AskJs);
        let m = matcher(&[], &["https://*.example.com"], false);
        assert_eq!(m.decide_unlisted_utf16(&lone), Verdict::Denied);
        let long = vec![u16::from(b'a'); 10_000];
        assert_eq!(m.decide_unlisted_utf16(&long), Verdict::Denied);
        let long_match = units(&format!("https://{}.example.com", "a.".repeat(100) + "b"));
        assert_eq!(m.decide_unlisted_utf16(&long_match), Verdict::Allowed);
    }

    #[test]
    fn origins_longer_than_any_match_are_misses() {
        // A `*.` pattern matches hosts up to 253 bytes, the DNS limit: the
        // bound is the scheme, "://", 253 and the longest port.
        let m = matcher(&[], &["https://*.example.com:*"], false);
        let bound = "https://".len() + 253 + ":65535".len();
        assert!(m.denies_longer_than(bound + 1));
        assert!(!m.denies_longer_than(bound));
        let label = "a".repeat(63);
        let host = format!("{label}.{label}.{label}.{}.example.com", "b".repeat(49));
        assert_eq!(host.len(), 253);
        let longest = format!("https://{host}:65535");
        assert_eq!(longest.len(), bound);
        assert_eq!(m.decide_unlisted(&longest), Verdict::Allowed);
        let too_long = format!("https://c{host}:65535");
        assert_eq!(m.decide_unlisted(&too_long), Verdict::Denied);
        assert_eq!(m.decide_unlisted(&"x".repeat(10_000)), Verdict::Denied);
        // The reference matcher agrees: 254 bytes is not a host name.
        let pattern = parse_pattern("https://*.example.com:*").expect("parses");
        assert!(pattern.matches(longest.as_bytes()));
        assert!(!pattern.matches(too_long.as_bytes()));
        // With a RegExp there is no bound.
        let m = matcher(&[r"(?-u)\Ax+\z"], &[], false);
        assert!(!m.denies_longer_than(100_000));
        assert_eq!(m.decide_unlisted(&"x".repeat(10_000)), Verdict::Allowed);
    }

    #[test]
    fn a_hundred_thousand_patterns_match_like_one() {
        let n: usize = 100_000;
        let texts: Vec<String> = (0..n)
            .map(|i| match i % 4 {
                0 => format!("https://*.t{i}.example.com"),
                1 => format!("http://h{i}.example.net:*"),
                2 => format!("https://*.t{i}.example.com:{}", 1000 + i % 60_000),
                _ => format!("wss://*.s{i}.t{}.example.com:*", i - 3),
            })
            .collect();
        let patterns: Vec<OriginPattern> = texts
            .iter()
            .map(|t| parse_pattern(t).expect("test pattern parses"))
            .collect();
        let m = Matcher::new(None, patterns.clone(), false);
        let mut checked = 0;
        for i in (0..n).step_by(7919) {
            let candidates = [
                format!("https://a.t{i}.example.com"),
                format!("https://a.b.t{i}.example.com"),
                format!("https://t{i}.example.com"),
                format!("http://h{i}.example.net:8080"),
                format!("http://h{i}.example.net"),
                format!("http://a.h{i}.example.net"),
                format!("https://a.t{i}.example.com:{}", 1000 + i % 60_000),
                format!("https://a.t{i}.example.com:{}", 1001 + i % 60_000),
                format!("wss://x.s{i}.t{}.example.com:9", i.saturating_sub(3)),
                format!("wss://x.s{}.t{i}.example.com:9", i + 3),
                format!("https://a.t{i}x.example.com"),
            ];
            for origin in &candidates {
                let linear = patterns.iter().any(|p| p.matches(origin.as_bytes()));
                let verdict = if linear {
                    Verdict::Allowed
                } else {
                    Verdict::Denied
                };
                assert_eq!(m.decide_unlisted(origin), verdict, "{origin}");
                checked += 1;
            }
        }
        assert!(checked > 100);
        assert_eq!(
            m.decide_unlisted("https://a.t0.example.com"),
            Verdict::Allowed
        );
        assert_eq!(
            m.decide_unlisted("https://a.t99996.example.com"),
            Verdict::Allowed
        );
        assert_eq!(
            m.decide_unlisted("http://h99997.example.net:1"),
            Verdict::Allowed
        );
        assert_eq!(
            m.decide_unlisted("https://a.t100000.example.com"),
            Verdict::Denied
        );
        assert_eq!(m.decide_unlisted("https://t4.example.com"), Verdict::Denied);
    }

    /// CPU time of this thread in nanoseconds (Linux), so that other
    /// processes on a busy machine do not count; wall time elsewhere.
    fn thread_cpu_ns(wall: std::time::Instant) -> u128 {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| wall.elapsed().as_nanos())
    }

    /// `cargo test --release --lib bench_pattern_lookup -- --ignored --nocapture`
    #[test]
    #[ignore = "benchmark, run by hand in release"]
    fn bench_pattern_lookup() {
        use std::hint::black_box;
        use std::time::Instant;
        let wall = Instant::now();
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
            let m = Matcher::new(None, patterns, false);
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
                    assert_eq!(m.decide_unlisted(o), want, "{o}");
                }
                // The best of 5 rounds of CPU time.
                let mut best = f64::INFINITY;
                for _ in 0..5 {
                    let start = thread_cpu_ns(wall);
                    let mut done = 0usize;
                    while thread_cpu_ns(wall) - start < 60_000_000 {
                        for o in origins.iter().skip(done % 4096).take(256) {
                            black_box(m.decide_unlisted(black_box(o)));
                        }
                        done += 256;
                    }
                    let spent = (thread_cpu_ns(wall) - start) as f64;
                    best = best.min(spent / done as f64);
                }
                println!("{n} patterns, {kind}: {best:.1} ns per lookup");
            }
        }
    }
}
