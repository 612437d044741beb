//! A short, seeded random pass over every parser, run by `cargo test` (and so
//! by `npm test`). The long coverage-guided campaigns live in `fuzz/`
//! (`npm run fuzz`); this pass keeps their "no panic" properties in CI.

use crate::headers::{list_contains, parse_list, request_header_names};
use crate::js_regex::{translate, verdict, Translation};
use crate::pattern::parse_pattern;
use crate::policy::tests::{header, input, names as name_list};
use crate::policy::{compile, Given, ItemInput, OriginInput};

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
            assert!(items.iter().all(|i| crate::headers::is_token(i)), "{h:?}");
        }
        let names = request_header_names(&h);
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{h:?} -> {names:?}");
        let _ = list_contains(&h, "x-a");

        // RegExps: an Exact translation compiles; the verdict is -1, 0 or 1.
        let source = rng.text(REGEX_PIECES, 10);
        let flags = FLAGS[rng.below(FLAGS.len())];
        if let Translation::Exact { pattern, .. } = translate(&source, flags) {
            exact += 1;
            assert!(
                regex::bytes::Regex::new(&pattern).is_ok(),
                "/{source}/{flags}"
            );
        }
        assert!((-1..=1).contains(&verdict(&source, flags, &origin)));

        // Policies: compiling never panics; a sloppy list is never an error.
        let mut spec = input(OriginInput::List {
            items: vec![
                ItemInput::String {
                    value: origin.clone(),
                },
                ItemInput::String { value: p.clone() },
                ItemInput::Regex {
                    source: source.clone(),
                    flags: flags.to_string(),
                },
            ],
            match_all: rng.below(2) == 0,
            ordered: false,
        });
        spec.credentials = Given::Boolean {
            value: rng.below(2) == 0,
        };
        spec.methods = header(Given::String { value: h.clone() });
        spec.allowed_headers = Some(name_list(&[&h, &origin]));
        spec.max_age = header(Given::String {
            value: rng.text(&["1", "0", "-", ".", "e", "9"], 6),
        });
        let compiled = compile(&spec).expect("a list of strings and RegExps always compiles");
        policies += 1;
        if let Some(m) = compiled.matcher {
            let _ = m.decide_str(&origin);
        }
    }
    assert!(
        patterns > 200 && lists > 300 && exact > 300 && policies > 200,
        "too few valid inputs: {patterns} patterns, {lists} lists, {exact} translations, {policies} policies"
    );
}
