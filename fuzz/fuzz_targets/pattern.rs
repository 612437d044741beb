//! The origin-pattern parser and matcher: `pattern::parse_pattern` on
//! arbitrary text, then `OriginPattern::matches` on arbitrary origins.
//!
//! Input layout: the pattern (lossy UTF-8), then origins separated by 0xFF.
//! The pattern part may hold more patterns, separated by 0xFE.
//!
//! Properties: nothing panics; a parsed pattern prints (Display) as a
//! pattern that parses back to the same value; a matching origin starts with
//! the pattern's scheme and "://"; the exact-host form of the pattern
//! matches its own canonical origin; matching is the same through the
//! options compiler's `Matcher`; and the index over all the patterns that
//! parse answers exactly what a scan of them answers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rust_cors::origin::Verdict;
use rust_cors::pattern::{is_pattern, parse_pattern, OriginPattern, PatternIndex};
use rust_cors::policy::{compile, ItemInput, OriginInput, OriginRule, PolicyInput};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0xFF);
    let mut texts = parts.next().unwrap_or(&[]).split(|&b| b == 0xFE);
    let text = String::from_utf8_lossy(texts.next().unwrap_or(&[])).into_owned();
    let origins: Vec<&[u8]> = parts.take(8).collect();

    // Every pattern that parses, through the index and through a scan.
    let more: Vec<OriginPattern> = std::iter::once(text.as_bytes())
        .chain(texts.take(16))
        .filter_map(|t| parse_pattern(&String::from_utf8_lossy(t)).ok())
        .collect();
    let index = PatternIndex::new(&more);
    for o in &origins {
        let scan = more.iter().any(|p| p.matches(o));
        assert_eq!(index.matches(o), scan, "{:?}", String::from_utf8_lossy(o));
    }

    let parsed = parse_pattern(&text);
    // In a list, a string is a pattern exactly when it holds `*` and parses;
    // otherwise it is the plain string cors compares (never an error).
    let policy = compile(&PolicyInput::defaults(OriginInput::List {
        items: vec![ItemInput::String(text.clone())],
        match_all: false,
        ordered: false,
    }))
    .unwrap_or_else(|e| panic!("a list of one string always compiles: {}", e.message));
    let OriginRule::List {
        pattern_strings, ..
    } = &policy.origin
    else {
        panic!("a list compiles to a list rule")
    };
    assert_eq!(
        is_pattern(&text) && parsed.is_ok(),
        pattern_strings.as_slice() == [0]
    );
    let Ok(p) = parsed else {
        return;
    };
    assert!(is_pattern(&text));
    let shown = p.to_string();
    let again =
        parse_pattern(&shown).unwrap_or_else(|e| panic!("{shown:?} does not re-parse: {e}"));
    assert_eq!(again, p, "Display/parse round trip");
    assert_eq!(again.to_string(), shown);

    // The smallest origin the pattern is meant for: its normalised text with
    // one label for `*.` and no port for `:*`.
    let mut canonical = shown.replacen("*.", "a.", 1);
    if let Some(s) = canonical.strip_suffix(":*") {
        canonical = s.to_string();
    }
    assert!(
        p.matches(canonical.as_bytes()),
        "{shown} must match {canonical}"
    );

    let m = policy.matcher.expect("a pattern makes a matcher");
    for o in origins {
        let hit = p.matches(o);
        if hit {
            assert!(o.starts_with(p.scheme().as_bytes()));
            assert!(o[p.scheme().len()..].starts_with(b"://"));
        }
        if let Ok(s) = std::str::from_utf8(o) {
            if s.is_ascii() {
                assert_eq!(m.decide_unlisted(s) == Verdict::Allowed, hit);
            } else {
                let _ = m.decide_unlisted(s);
            }
        }
    }
});
