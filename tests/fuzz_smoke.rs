//! A short, seeded random pass over every parser, run by `cargo test` (and so
//! by `npm test`), through the crate's public API. The long coverage-guided
//! campaigns live in `fuzz/` (`npm run fuzz`); this pass keeps their "no
//! panic" properties in CI.

use rust_cors::headers::{is_token, list_contains, parse_list, request_header_names};
use rust_cors::js_regex::{translate, Translation};
use rust_cors::origin::{Matcher, Verdict};
use rust_cors::pattern::{parse_pattern, OriginPattern, PatternIndex};
use rust_cors::policy::{compile, Given, HeaderInput, ItemInput, OriginInput, PolicyInput};

/// A header option given as this value.
fn header(given: Given) -> HeaderInput {
    HeaderInput {
        given,
        names: None,
        text: None,
        throws: false,
    }
}

/// A header option given as an array of these names.
fn name_list(list: &[&str]) -> HeaderInput {
    HeaderInput {
        given: Given::Array,
        names: Some(list.iter().map(|s| s.to_string()).collect()),
        text: None,
        throws: false,
    }
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// An origin pattern that is well formed most of the time, then possibly
    /// spoiled by a random piece.
    fn pattern(&mut self) -> String {
        let scheme = ["https://", "http://", "", "ftp://"][self.below(4)];
        let wild = ["*.", "", "*.*.", "a*."][self.below(4)];
        let labels = [
            "example.com",
            "a-b.example.org",
            "localhost",
            "co.uk",
            "github.io",
            "com",
        ];
        let host = labels[self.below(labels.len())];
        let port = ["", ":*", ":8080", ":443", ":"][self.below(5)];
        let mut p = format!("{scheme}{wild}{host}{port}");
        if self.below(4) == 0 {
            let at = self.below(p.len() + 1);
            let piece = ORIGIN_PIECES[self.below(ORIGIN_PIECES.len())];
            if p.is_char_boundary(at) {
                p.insert_str(at, piece);
            }
        }
        p
    }

    /// A string of up to `max` pieces drawn from `alphabet`.
    fn text(&mut self, alphabet: &[&str], max: usize) -> String {
        let n = self.below(max + 1);
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len())])
            .collect()
    }
}

const ORIGIN_PIECES: &[&str] = &[
    "https://",
    "http://",
    "*",
    ".",
    "*.",
    ":",
    ":*",
    "example",
    "com",
    "co.uk",
    "github.io",
    "localhost",
    "127.0.0.1",
    "[::1]",
    "a",
    "-",
    "_",
    "8080",
    "/",
    "?",
    "@",
    " ",
    "\u{e9}",
    "\u{4e2d}",
    "xn--",
    "\r",
    "\0",
    "%",
    "443",
];
const HEADER_PIECES: &[&str] = &[
    "Content-Type",
    "x-a",
    ",",
    ", ",
    " ",
    "\t",
    "*",
    "authorization",
    "X-B",
    "(",
    "\u{e9}",
    ";",
    "=",
    "\"",
    "",
];
const REGEX_PIECES: &[&str] = &[
    "^", "$", "https?", ":\\/\\/", "(", ")", "(?:", "|", "[a-z]", "[^a]", "[]", "[^]", "\\d",
    "\\w", "\\s", "\\b", "\\B", ".", "*", "+", "?", "{2}", "{1,3}", "*?", "\\.", "example", "com",
    "(?=a)", "\\1", "\\u00e9", "\\x41", "\u{e9}", "\u{4e2d}", "\\", "{", "]",
];
const FLAGS: &[&str] = &[
    "", "i", "m", "s", "u", "im", "is", "iu", "msu", "g", "y", "v", "x",
];

#[test]
fn seeded_pass_over_patterns_headers_regexps_and_policies() {
    let mut rng = Rng(0x5eed_c0de_2026_1128);
    // How many inputs got past each parser: the pass must reach the code
    // behind the first refusal, not only the error paths.
    let (mut patterns, mut lists, mut exact, mut policies) = (0, 0, 0, 0);
    for _ in 0..3000 {
        // Origin patterns: parse, and whatever parses matches without panicking.
        let p = rng.pattern();
        let origin = rng.text(ORIGIN_PIECES, 12);
        if let Ok(pat) = parse_pattern(&p) {
            patterns += 1;
            let _ = pat.matches(origin.as_bytes());
            assert!(!pat.matches(b""), "{p:?} matched the empty origin");
        }

        // Header lists: parsed items are tokens; names are sorted and unique.
        let h = rng.text(HEADER_PIECES, 16);
        if let Some(items) = parse_list(&h) {
            lists += 1;
            assert!(items.iter().all(|i| is_token(i)), "{h:?}");
        }
        let names = request_header_names(&h);
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{h:?} -> {names:?}");
        let _ = list_contains(&h, "x-a");

        // RegExps: an Exact translation compiles and runs.
        let source = rng.text(REGEX_PIECES, 10);
        let flags = FLAGS[rng.below(FLAGS.len())];
        if let Translation::Exact { pattern, .. } = translate(&source, flags) {
            exact += 1;
            match regex::bytes::Regex::new(&pattern) {
                Ok(re) => {
                    let _ = re.is_match(origin.as_bytes());
                }
                Err(e) => panic!("/{source}/{flags}: {e}"),
            }
        }

        // Policies: compiling never panics; a sloppy list is never an error.
        let mut spec = PolicyInput::defaults(OriginInput::List {
            items: vec![
                ItemInput::String(origin.clone()),
                ItemInput::String(p.clone()),
                ItemInput::Regex {
                    source: source.clone(),
                    flags: flags.to_string(),
                },
            ],
            match_all: rng.below(2) == 0,
            ordered: false,
        });
        spec.credentials = Given::Boolean(rng.below(2) == 0);
        spec.methods = header(Given::String(h.clone()));
        spec.allowed_headers = Some(name_list(&[&h, &origin]));
        spec.max_age = header(Given::String(rng.text(&["1", "0", "-", ".", "e", "9"], 6)));
        let compiled = compile(&spec).expect("a list of strings and RegExps always compiles");
        policies += 1;
        if let Some(m) = compiled.matcher {
            let _ = m.decide_unlisted(&origin);
        }
    }
    assert!(
        patterns > 200 && lists > 300 && exact > 300 && policies > 200,
        "too few valid inputs: {patterns} patterns, {lists} lists, {exact} translations, {policies} policies"
    );
}

/// Labels for the index pass: few, so that hosts share suffixes and one
/// pattern's host is often a suffix of another's.
const HOST_LABELS: &[&str] = &["a", "b", "ab", "x-y", "a_b", "example", "test", "c0"];
const SCHEMES: &[&str] = &["https", "http", "wss"];

impl Rng {
    /// A host of 1 to `max` labels from `HOST_LABELS`.
    fn host(&mut self, max: usize) -> String {
        let n = 1 + self.below(max);
        (0..n)
            .map(|_| HOST_LABELS[self.below(HOST_LABELS.len())])
            .collect::<Vec<_>>()
            .join(".")
    }

    /// An origin near the patterns: often a pattern's scheme, host (with
    /// labels added in front or not) and port, each sometimes replaced by a
    /// near miss, and sometimes a random piece inserted anywhere.
    fn origin_near(&mut self, shapes: &[(String, String, String)]) -> String {
        let (mut scheme, mut host, mut port) = match shapes.len() {
            0 => (String::from("https"), self.host(3), String::new()),
            n => shapes[self.below(n)].clone(),
        };
        if self.below(8) == 0 {
            scheme = ["https", "http", "wss", "HTTPS", "ftp", ""][self.below(6)].to_string();
        }
        if self.below(6) == 0 {
            host = self.host(3);
        }
        for _ in 0..self.below(3) {
            host = format!("{}.{host}", self.host(1));
        }
        match self.below(30) {
            0 => host = format!(".{host}"),
            1 => host = format!("{}.{host}", "z".repeat(64)),
            2 | 3 => {
                // Around the 253-byte limit of a host name.
                let target = 248 + self.below(10);
                let mut padded = String::new();
                while padded.len() + host.len() < target {
                    let room = target - padded.len() - host.len();
                    padded.push_str(&"z".repeat(room.clamp(1, 63)));
                    padded.push('.');
                }
                host = padded + &host;
            }
            _ => {}
        }
        if port == ":*" || self.below(4) == 0 {
            port = [
                "", ":8080", ":80", ":443", ":08080", ":", ":65536", ":1", ":0", ":65535",
            ][self.below(10)]
            .to_string();
        }
        let sep = if self.below(30) == 0 { ":/" } else { "://" };
        let mut origin = format!("{scheme}{sep}{host}{port}");
        if self.below(10) == 0 {
            let at = self.below(origin.len() + 1);
            let piece = ORIGIN_PIECES[self.below(ORIGIN_PIECES.len())];
            if origin.is_char_boundary(at) {
                origin.insert_str(at, piece);
            }
        }
        origin
    }
}

#[test]
fn seeded_pass_index_answers_like_the_linear_scan() {
    let mut rng = Rng(0x1dec_5eed_0a11_0e55);
    let (mut hits, mut misses) = (0usize, 0usize);
    for _ in 0..2000 {
        let mut patterns: Vec<OriginPattern> = Vec::new();
        let mut shapes: Vec<(String, String, String)> = Vec::new();
        for _ in 0..1 + rng.below(12) {
            let scheme = SCHEMES[rng.below(SCHEMES.len())];
            let host = rng.host(3);
            let (text, port) = if rng.below(2) == 0 {
                let port = ["", ":*", ":8080", ":80", ":443", ":1", ":0"][rng.below(7)];
                (format!("{scheme}://*.{host}{port}"), port)
            } else {
                (format!("{scheme}://{host}:*"), ":*")
            };
            if let Ok(pattern) = parse_pattern(&text) {
                patterns.push(pattern);
                shapes.push((scheme.to_string(), host, port.to_string()));
            }
        }
        let index = PatternIndex::new(&patterns);
        let matcher = Matcher::new(None, patterns.clone(), false);
        for _ in 0..16 {
            let origin = rng.origin_near(&shapes);
            let linear = patterns.iter().any(|p| p.matches(origin.as_bytes()));
            assert_eq!(
                index.matches(origin.as_bytes()),
                linear,
                "{origin:?} against {:?}",
                patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>()
            );
            let verdict = matcher.decide_unlisted(&origin);
            assert_eq!(verdict == Verdict::Allowed, linear, "{origin:?}");
            let units: Vec<u16> = origin.encode_utf16().collect();
            assert_eq!(matcher.decide_unlisted_utf16(&units), verdict, "{origin:?}");
            if linear {
                hits += 1;
            } else {
                misses += 1;
            }
        }
    }
    eprintln!("index pass: {hits} hits, {misses} misses");
    assert!(
        hits > 2000 && misses > 2000,
        "the pass must exercise both answers: {hits} hits, {misses} misses"
    );
}
