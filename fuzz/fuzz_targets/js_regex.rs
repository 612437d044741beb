//! The JS-RegExp translator: `js_regex::translate` on arbitrary (source,
//! flags), then compiling the translation (alone, as a `RegexSet`, and
//! through `policy::compile`) and matching it against inputs.
//!
//! Input layout: byte 0 picks the flags (a bitmask over "dgimsuvy"; 0xFF:
//! take the flags from the text before the first 0xFE instead), then the
//! source, then inputs separated by 0xFF bytes. Sources are UTF-8 (lossy);
//! inputs are read both as Latin-1 (one char per byte, what Node's HTTP
//! parser produces) and as lossy UTF-8 (to reach chars above U+00FF).
//!
//! Properties: nothing panics; an `Exact` translation compiles with
//! `regex::bytes::Regex::new` and in a `RegexSet` (as documented); the
//! matcher built by the policy compiler agrees with `js_regex::verdict`, and
//! both leave to JS exactly the inputs above Latin-1 (and `\r` when the
//! translation is `cr_sensitive`). Whether the translation agrees with JS
//! itself is the JS property test's job (`__test__/js-regex.test.js`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rust_cors::js_regex::{translate, verdict, Translation};
use rust_cors::origin::Verdict;
use rust_cors::policy::{
    compile, regex_anchoring_problem, ItemInput, OriginInput, OriginRule, PolicyInput,
};

const FLAG_CHARS: &[u8] = b"dgimsuvy";

fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| char::from(c)).collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let (flags, rest): (String, &[u8]) = if sel == 0xFF {
        match rest.iter().position(|&b| b == 0xFE) {
            Some(i) => (
                String::from_utf8_lossy(&rest[..i]).into_owned(),
                &rest[i + 1..],
            ),
            None => (String::new(), rest),
        }
    } else {
        let f = FLAG_CHARS
            .iter()
            .enumerate()
            .filter(|(i, _)| sel & (1 << i) != 0)
            .map(|(_, &c)| char::from(c))
            .collect();
        (f, rest)
    };
    let mut parts = rest.split(|&b| b == 0xFF);
    let source = String::from_utf8_lossy(parts.next().unwrap_or(&[])).into_owned();
    let inputs: Vec<&[u8]> = parts.take(8).collect();

    let _ = regex_anchoring_problem(&source);
    let translation = translate(&source, &flags);
    let compiled = match &translation {
        Translation::Exact {
            pattern,
            cr_sensitive,
        } => {
            assert!(
                pattern.starts_with("(?-u)"),
                "translation must run with Unicode off"
            );
            Some(*cr_sensitive)
        }
        Translation::Js { reason } => {
            assert!(!reason.is_empty());
            None
        }
    };

    // The same RegExp through the options compiler.
    let items = vec![ItemInput::Regex {
        source: source.clone(),
        flags: flags.clone(),
    }];
    // An Exact translation compiles with Regex::new (else it would be in
    // js_regexes) and in a RegexSet.
    let policy = compile(&PolicyInput::defaults(OriginInput::List {
        items,
        match_all: false,
        ordered: false,
    }))
    .unwrap_or_else(|e| panic!("one RegExp always compiles (or runs in JS): {}", e.message));
    let OriginRule::List { js_regexes, .. } = &policy.origin else {
        panic!("a list compiles to a list rule")
    };
    match &compiled {
        Some(_) => assert!(js_regexes.is_empty() && policy.matcher.is_some()),
        None => assert_eq!(js_regexes, &vec![0]),
    }
    let origin = &policy;

    for raw in inputs {
        for input in [latin1(raw), String::from_utf8_lossy(raw).into_owned()] {
            // `verdict` compiles the translation on its own (thread-local cache).
            let v = verdict(&source, &flags, &input);
            assert!((-1..=1).contains(&v));
            let Some(cr) = compiled else {
                assert_eq!(v, -1);
                continue;
            };
            let d = origin
                .matcher
                .as_ref()
                .expect("matcher")
                .decide_unlisted(&input);
            let is_latin1 = input.chars().all(|c| u32::from(c) <= 0xFF);
            if !is_latin1 || (cr && input.contains('\r')) {
                assert_eq!(v, -1);
                assert_eq!(d, Verdict::AskJs);
            } else {
                assert_eq!(
                    d.as_i32(),
                    v,
                    "the policy matcher disagrees with the translation"
                );
            }
        }
    }
});
