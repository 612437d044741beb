use super::*;

fn exact(source: &str, flags: &str) -> (String, bool) {
    match translate(source, flags) {
        Translation::Exact {
            pattern,
            cr_sensitive,
        } => {
            assert!(regex::bytes::Regex::new(&pattern).is_ok(), "{pattern}");
            assert!(regex::bytes::RegexSet::new([&pattern]).is_ok(), "{pattern}");
            (pattern, cr_sensitive)
        }
        Translation::Js { reason } => panic!("/{source}/{flags} refused: {reason}"),
    }
}

fn refused(source: &str, flags: &str) -> String {
    match translate(source, flags) {
        Translation::Js { reason } => {
            assert!(!reason.is_empty());
            reason
        }
        Translation::Exact { pattern, .. } => {
            panic!("/{source}/{flags} should be refused, got {pattern}")
        }
    }
}

/// Latin-1 string → bytes.
fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("test input is Latin-1"))
        .collect()
}

fn is_match(source: &str, flags: &str, input: &str) -> bool {
    let (pattern, _) = exact(source, flags);
    let re = regex::bytes::Regex::new(&pattern).expect("compiles");
    re.is_match(&latin1(input))
}

fn check(source: &str, flags: &str, yes: &[&str], no: &[&str]) {
    for s in yes {
        assert!(
            is_match(source, flags, s),
            "/{source}/{flags} should match {s:?}"
        );
    }
    for s in no {
        assert!(
            !is_match(source, flags, s),
            "/{source}/{flags} should not match {s:?}"
        );
    }
}

#[test]
fn literals_and_dot() {
    check(
        r"example\.com",
        "",
        &["https://example.com", "xexample.comx"],
        &["https://exampleXcom", "EXAMPLE.COM"],
    );
    check(
        "a.c",
        "",
        &["abc", "a\u{e9}c", "a\tc"],
        &["a\nc", "a\rc", "ac"],
    );
    check("a.c", "s", &["abc", "a\nc", "a\rc"], &["ac"]);
    check("caf\u{e9}", "", &["caf\u{e9}"], &["cafe", "caf\u{c9}"]);
    check("(?:)", "", &["", "x"], &[]);
}

#[test]
fn flags() {
    assert!(refused("a", "g").contains("lastIndex"));
    assert!(refused("a", "y").contains("sticky"));
    refused("a", "v");
    refused("a", "x");
    refused("a", "ii");
    exact("a", "d");
    exact("a", "dimsu");
}

#[test]
fn anchors() {
    check("^a$", "", &["a"], &["ab", "ba", "a\n", "\na"]);
    let (_, cr) = exact("^a$", "");
    assert!(!cr);
    check("^b$", "m", &["a\nb", "b\nc", "b"], &["ab", "a\rb"]);
    let (_, cr) = exact("^a", "m");
    assert!(cr, "m-flag ^ must be cr_sensitive");
    let (_, cr) = exact("a$", "m");
    assert!(cr, "m-flag $ must be cr_sensitive");
    let (_, cr) = exact("a", "m");
    assert!(!cr);
    // JS $ has no "before a final newline" rule.
    check("a$", "", &["a"], &["a\n"]);
}

#[test]
fn word_boundaries() {
    check(
        r"\bfoo\b",
        "",
        &["a foo b", "foo", "x-foo"],
        &["afoo", "foo_", "foo1"],
    );
    check(r"\Bfoo", "", &["afoo", "_foo"], &["foo", "-foo"]);
    // Latin-1 letters are not JS word chars.
    check(r"\bfoo", "", &["\u{e9}foo"], &[]);
    check(r"\bfoo", "iu", &["\u{e9}foo", "FOO"], &["_foo"]);
}

#[test]
fn escapes() {
    check(r"\t\n\v\f\r", "", &["\t\n\u{b}\u{c}\r"], &["tnvfr"]);
    check(r"\0", "", &["\0"], &["0"]);
    check(r"\x41\u0042", "", &["AB"], &["ab"]);
    check(r"\u{43}", "u", &["C"], &["u"]);
    check(r"\cJ\ca", "", &["\n\u{1}"], &[]);
    check(
        r"\/\.\*\+\?\(\)\[\]\{\}\|\^\$\\",
        "",
        &["/.*+?()[]{}|^$\\"],
        &[],
    );
    check(r"a\-b\:", "", &["a-b:"], &[]);
    check(
        r"\s",
        "",
        &[" ", "\t", "\u{b}", "\u{c}", "\r", "\n", "\u{a0}"],
        &["a", "\u{85}"],
    );
    check(r"\S", "", &["a", "\u{85}"], &[" ", "\u{a0}"]);
    check(r"\d", "", &["5"], &["a", "\u{b2}"]);
    check(r"\D", "", &["a"], &["5"]);
    check(r"\w", "", &["a", "Z", "0", "_"], &["-", "\u{e9}", "\u{aa}"]);
    check(r"\W", "", &["-", "\u{e9}"], &["a", "_"]);
    // Above Latin-1 without i: never matches.
    check("a\u{100}|b", "", &["b"], &["a", "a\u{0}"]);
    check(r"a\u0100?", "", &["a"], &[]);
    check("a\u{1F600}?", "u", &["a"], &[]);
}

#[test]
fn escape_refusals() {
    refused(r"\1", "");
    refused(r"(a)\1", "");
    refused(r"\8", "");
    refused(r"\01", "");
    refused(r"\k<n>", "");
    refused(r"(?<n>a)\k<n>", "");
    refused(r"\p{L}", "u");
    refused(r"\p{L}", "");
    refused(r"\c", "");
    refused(r"\c1", "");
    refused(r"[\c1]", "");
    refused(r"\x4", "");
    refused(r"\u{41}", "");
    refused(r"\u12", "u");
    refused(r"\u{110000}", "u");
    refused(r"\a", "");
    refused(r"\-", "u");
    refused("\\", "");
    refused("\u{1F600}", "");
}

#[test]
fn classes() {
    check("[a-c]", "", &["b"], &["d", "B"]);
    check("[^a-c]", "", &["d", "\n"], &["a", "b"]);
    check("[a-]", "", &["-", "a"], &["b"]);
    check("[-a]", "", &["-", "a"], &["b"]);
    check("[a-c-e]", "", &["a", "-", "e"], &["d"]);
    check(r"[\d_]", "", &["5", "_"], &["a"]);
    check(r"[^\s]", "", &["a"], &[" ", "\u{a0}"]);
    check(r"[\b]", "", &["\u{8}"], &["b"]);
    check(r"[\-]", "u", &["-"], &["a"]);
    check("[.]", "", &["."], &["a"]);
    check("[[]", "", &["["], &["a"]);
    check(r"[\x00-\u0100]", "", &["\u{ff}", "\0"], &[]);
    check(r"[\u0100-\u0200]", "", &[], &["\u{ff}", "a"]);
    check(r"[^\u0100]", "", &["\u{ff}"], &[]);
    // `[]` matches nothing, `[^]` anything.
    check("a[]", "", &[], &["a", "a]", ""]);
    check("a[]*b", "", &["ab"], &["a"]);
    check("[^]", "", &["\n", "\r", "a"], &[""]);
    check("a[^]b", "", &["a\rb"], &["ab"]);
}

#[test]
fn class_refusals() {
    refused("[a", "");
    refused("[b-a]", "");
    refused(r"[\d-z]", "");
    refused(r"[a-\w]", "");
    refused(r"[\B]", "");
    refused(r"[\1]", "");
    refused("[a]]", "");
}

#[test]
fn groups_and_alternation() {
    check("^(a|bc)$", "", &["a", "bc"], &["b", "abc"]);
    check("^(?:a|)$", "", &["a", ""], &["b"]);
    check("^(?<host>[a-z]+)$", "", &["abc"], &["ab1"]);
    check("a||b", "", &["", "x"], &[]);
    check("^(?:(?:(a)))$", "", &["a"], &[]);
}

#[test]
fn group_refusals() {
    assert!(refused("(?=a)", "").contains("lookahead"));
    refused("(?!a)", "");
    assert!(refused("(?<=a)b", "").contains("lookbehind"));
    refused("(?<!a)b", "");
    refused("(?i:a)", "");
    refused("(?<1a>b)", "");
    refused("(?<h\u{e9}>b)", "");
    refused("(a", "");
    refused("a)", "");
    refused("(?", "");
}

#[test]
fn quantifiers() {
    check("^a{2}$", "", &["aa"], &["a", "aaa"]);
    check("^a{2,}$", "", &["aa", "aaaa"], &["a"]);
    check("^a{2,3}$", "", &["aa", "aaa"], &["a", "aaaa"]);
    check("^a{0,1}?b+?c*?d??$", "", &["abd", "bbccc"], &["aab"]);
    check("^(ab)+$", "", &["abab"], &["aba"]);
    check("^a{1000}$", "", &[&"a".repeat(1000)], &[&"a".repeat(999)]);
    check("^x{0}$", "", &[""], &["x"]);
}

#[test]
fn quantifier_refusals() {
    refused("a{1001}", "");
    refused("a{1,1001}", "");
    refused("a{99999999999999999999}", "");
    refused("a{3,2}", "");
    refused("*a", "");
    refused("a**", "");
    refused("a*??", "");
    refused("+", "");
    refused("^*", "");
    refused(r"\b+", "");
    refused("a{", "");
    refused("a{1", "");
    refused("a{,2}", "");
    refused("{2}", "");
    refused("a}", "");
    refused("a]", "");
    refused("(a{1000}){1000}", "");
}

#[test]
fn limits() {
    refused(&"a".repeat(10_001), "");
    exact(&"a".repeat(10_000), "");
    let deep = format!("{}a{}", "(".repeat(101), ")".repeat(101));
    assert!(refused(&deep, "").contains("nested"));
    // Deep nesting is refused without blowing the stack.
    let very_deep = format!("{}a{}", "(".repeat(5000), ")".repeat(5000));
    refused(&very_deep, "");
    let ok = format!("{}a{}", "(".repeat(60), ")".repeat(60));
    exact(&ok, "");
}

#[test]
fn catastrophic_pattern_is_fast() {
    let (pattern, _) = exact(r"^https:\/\/(a+)+\.example\.com$", "");
    let re = regex::bytes::Regex::new(&pattern).expect("compiles");
    let input = format!("https://{}!", "a".repeat(28));
    let start = std::time::Instant::now();
    assert!(!re.is_match(input.as_bytes()));
    assert!(re.is_match(b"https://aaa.example.com"));
    assert!(start.elapsed() < std::time::Duration::from_secs(1));
}

#[test]
fn case_insensitive_latin1() {
    check("abc", "i", &["ABC", "aBc"], &["ab"]);
    check("\u{e9}", "i", &["\u{c9}", "\u{e9}"], &["e"]);
    check("[\u{e0}-\u{e2}]", "i", &["\u{c1}"], &["\u{c3}"]);
    // × and ÷ have no case partner.
    check("\u{d7}", "i", &["\u{d7}"], &["\u{f7}"]);
    // µ, ÿ and ß only match themselves within Latin-1.
    for c in ["\u{b5}", "\u{ff}", "\u{df}"] {
        for flags in ["i", "iu"] {
            for b in 0..=255u8 {
                let s = char::from(b).to_string();
                assert_eq!(is_match(c, flags, &s), s == c, "/{c}/{flags} vs {b:#x}");
            }
        }
    }
    // Non-ASCII uppercase never folds to ASCII.
    check("k", "i", &["K", "k"], &["\u{e5}"]);
    check("[^a]", "i", &["b"], &["a", "A"]);
    check("[^\u{e9}]", "iu", &["e"], &["\u{c9}"]);
    check(
        r"\W",
        "iu",
        &["-", "\u{e5}", "\u{df}"],
        &["s", "S", "k", "K"],
    );
    check(r"[^\W]", "iu", &["s", "K"], &["-"]);
    check(r"\W", "i", &["\u{b5}", "\u{ff}"], &["s", "k"]);
    check(r"[\W\d]", "i", &["\u{b5}", "5"], &["a"]);
    check(r"[^\D]", "i", &["5"], &["\u{b5}", "\u{ff}", "a"]);
    check(r"[^\S]", "iu", &[" "], &["\u{b5}", "k"]);
    check(".", "i", &["a"], &["\n", "\r"]);
    check(r"\x41\u0062", "i", &["ab", "AB"], &[]);
}

#[test]
fn case_insensitive_refusals() {
    // Chars above Latin-1 may fold onto Latin-1 ones: refused under i.
    for src in [
        "\u{39c}",
        "\u{178}",
        r"\u212A",
        "\u{17f}",
        r"\u212B",
        "[\u{100}-\u{200}]",
        r"[^\u0100]",
        "[a-\u{100}]",
        r"\u{1E9E}",
    ] {
        refused(src, "i");
        refused(src, "iu");
    }
    // The same chars are fine without i (they never match Latin-1 input).
    check("a|\u{39c}", "", &["a"], &["\u{b5}", "M"]);
    check("[\u{17f}\u{212a}]", "u", &[], &["s", "k"]);
}

#[test]
fn surrogates() {
    // An escaped surrogate pair is one code point with u.
    check(r"a[\uD83D\uDE00]?", "u", &["a"], &[]);
    refused(r"[\uD83D\uDE00-\uDE01]", "u");
    // Without u the same source is three code units: D83D and the range DE00-DE01.
    check(r"[\uD83D\uDE00-\uDE01]", "", &[], &["a"]);
    check(r"[\uDE00-\uDE01\uD83D]", "", &[], &["a"]);
}

#[test]
fn verdicts() {
    assert_eq!(verdict(r"^https:\/\/a\.com$", "", "https://a.com"), 1);
    assert_eq!(verdict(r"^https:\/\/a\.com$", "", "https://b.com"), 0);
    assert_eq!(verdict("a", "g", "a"), -1);
    assert_eq!(verdict("a", "", "a\u{100}"), -1);
    assert_eq!(verdict("a", "", "a\u{fffd}"), -1);
    assert_eq!(verdict("^a", "m", "b\ra"), -1);
    assert_eq!(verdict("^a", "m", "b\na"), 1);
    assert_eq!(verdict("^a", "", "b\ra"), 0);
}

#[test]
fn emitted_escapes_do_not_swallow_following_chars() {
    check(r"^\x411$", "", &["A1"], &["A"]);
    check(r"^\x30{2}1,$", "", &["001,"], &[]);
    check(r"^a{2}3$", "", &["aa3"], &[]);
}

#[test]
fn large_patterns_translate_quickly() {
    for src in [
        r"([a-z]{1,1000}){1,49}",
        r"(?:(?:(?:[^]{10}){10}){10}){10}",
        r"(?:(?:(?:(?:[^]{10}){10}){10}){10}){10}",
        "[a-z0-9]{1000}",
    ] {
        let start = std::time::Instant::now();
        let _ = translate(src, "i");
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "{src} took {:?}",
            start.elapsed()
        );
    }
}

/// Random sources over the syntax alphabet: no panic, and every Exact pattern compiles.
#[test]
fn random_sources_never_panic() {
    const ALPHABET: &[&str] = &[
        "a",
        "K",
        "0",
        "-",
        "^",
        "$",
        "\\",
        ".",
        "*",
        "+",
        "?",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "|",
        "/",
        ",",
        ":",
        "<",
        ">",
        "=",
        "!",
        "b",
        "B",
        "d",
        "w",
        "s",
        "c",
        "x",
        "u",
        "k",
        "p",
        "1",
        "9",
        "\u{e9}",
        "\u{b5}",
        "\u{17f}",
        "\u{1f600}",
        "\r",
        "\n",
        "?:",
        "?<",
        "{2}",
        "{1,3}",
        "\\u{",
        "\\x4",
        "\\uD83D",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let all_flags = ["", "i", "m", "s", "u", "iu", "ims", "imsu", "g"];
    let mut exact_count = 0;
    for _ in 0..4000 {
        let len = next() % 12;
        let mut src = String::new();
        for _ in 0..len {
            src.push_str(ALPHABET[(next() % ALPHABET.len() as u64) as usize]);
        }
        let flags = all_flags[(next() % all_flags.len() as u64) as usize];
        if let Translation::Exact { pattern, .. } = translate(&src, flags) {
            exact_count += 1;
            assert!(
                regex::bytes::Regex::new(&pattern).is_ok(),
                "{src} -> {pattern}"
            );
        }
    }
    assert!(exact_count > 100, "only {exact_count} translated");
}

#[test]
fn patterns_are_readable() {
    let (p, _) = exact(r"^https:\/\/[a-z]+\.example\.com(:\d+)?$", "");
    assert_eq!(
        p,
        r"(?-u)\Ahttps://[\x61-\x7A]+\.example\.com(?::[\x30-\x39]+)?\z"
    );
}
