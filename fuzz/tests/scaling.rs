//! No input takes time superlinear in its length.
//!
//! Each case times one operation of the Rust core on a hostile input of size
//! n and of size 8n (the per-call time is the best of several batches, each
//! batch at least a few milliseconds long, so timer resolution and other
//! processes on the machine barely matter). Linear work gives a ratio near 8,
//! n log n about 10, quadratic 64: the bound is 32, and a case is measured
//! up to three times before it fails, so a noisy machine cannot fail it.
//!
//! Run with `cargo test --release --test scaling -- --nocapture` in fuzz/.

use std::hint::black_box;
use std::time::{Duration, Instant};

use rust_cors::headers::{parse_list, request_header_names};
use rust_cors::js_regex::{translate, Translation};
use rust_cors::origin::Matcher;
use rust_cors::origin::Verdict;
use rust_cors::pattern::parse_pattern;
use rust_cors::policy::{compile, ItemInput, OriginInput, Policy, PolicyInput};

/// The policy of an origin list with cors's other defaults.
fn compile_list(items: &[ItemInput]) -> Policy {
    compile(&PolicyInput::defaults(OriginInput::List {
        items: items.to_vec(),
        match_all: false,
        ordered: false,
    }))
    .unwrap_or_else(|e| panic!("{}", e.message))
}

fn matcher_of(items: &[ItemInput]) -> Matcher {
    compile_list(items).matcher.expect("a matcher")
}

const FACTOR: usize = 8;
const MAX_RATIO: f64 = 32.0;

/// Seconds per call of `f`, the best of 5 batches of at least 4 ms.
fn per_call(f: &mut dyn FnMut()) -> f64 {
    let start = Instant::now();
    f();
    let once = start.elapsed().max(Duration::from_nanos(50));
    let reps = ((Duration::from_millis(4).as_secs_f64() / once.as_secs_f64()).ceil() as usize)
        .clamp(1, 100_000);
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..reps {
            f();
        }
        best = best.min(t.elapsed().as_secs_f64() / reps as f64);
    }
    best
}

/// Times `op` on `make(n)` and `make(FACTOR * n)` and checks the ratio.
fn linear<I>(name: &str, n: usize, make: impl Fn(usize) -> I, op: impl Fn(&I)) {
    let small = make(n);
    let big = make(FACTOR * n);
    let mut last = 0.0;
    for attempt in 1..=3 {
        let ts = per_call(&mut || op(black_box(&small)));
        let tb = per_call(&mut || op(black_box(&big)));
        last = tb / ts;
        println!(
            "{name:<48} n={n:<7} {:>10.1} us  8n: {:>10.1} us  ratio {last:>5.1}{}",
            ts * 1e6,
            tb * 1e6,
            if attempt > 1 { " (retry)" } else { "" }
        );
        if last < MAX_RATIO {
            return;
        }
    }
    panic!("{name}: time grows superlinearly (x{last:.1} for x{FACTOR} input)");
}

fn exact(source: &str, flags: &str) -> String {
    match translate(source, flags) {
        Translation::Exact { pattern, .. } => pattern,
        Translation::Js { reason } => panic!("{source}: refused: {reason}"),
    }
}

fn regex_item(source: &str) -> ItemInput {
    ItemInput::Regex {
        source: source.into(),
        flags: String::new(),
    }
}

#[test]
fn translator_is_linear_in_the_source() {
    linear(
        "translate (?:a|b)*n",
        150,
        |n| "(?:a|b)".repeat(n),
        |s| {
            black_box(translate(s, ""));
        },
    );
    linear(
        "translate [a-z0-9\\u00e9-\\u00ff]*n (i)",
        40,
        |n| "[a-z0-9\\u00e9-\\u00ff]".repeat(n),
        |s| {
            black_box(translate(s, "i"));
        },
    );
    linear(
        "translate a{0,5}*n",
        150,
        |n| "a{0,5}".repeat(n),
        |s| {
            black_box(translate(s, ""));
        },
    );
    linear(
        "translate \\u{1F600}.*n (u)",
        80,
        |n| "\\u{1F600}.".repeat(n),
        |s| {
            black_box(translate(s, "u"));
        },
    );
    // Over the length limit: refused after one pass.
    linear(
        "translate refuses 'a'*n (over the limit)",
        100_000,
        |n| "a".repeat(n),
        |s| {
            black_box(translate(s, ""));
        },
    );
    linear(
        "translate + compile ^(?:x|y)+z$ chains",
        100,
        |n| format!("^{}$", "(?:x|y)+z".repeat(n)),
        |s| {
            let p = exact(s, "");
            black_box(regex::bytes::Regex::new(&p).unwrap());
        },
    );
}

#[test]
fn translated_matching_is_linear_in_the_origin() {
    // The classic catastrophic-backtracking RegExp: exponential in JS,
    // linear once translated.
    let evil = r"^https:\/\/(a+)+\.example\.com$";
    let m = matcher_of(&[regex_item(evil)]);
    linear(
        "(a+)+ vs 'https://' + 'a'*n + '!'",
        20_000,
        |n| format!("https://{}!", "a".repeat(n)),
        |s| {
            assert_eq!(m.decide_unlisted(s), Verdict::Denied);
        },
    );
    linear(
        "(a+)+ vs Latin-1 'https://' + 'é'*n",
        20_000,
        |n| format!("https://{}", "é".repeat(n)),
        |s| {
            assert_eq!(m.decide_unlisted(s), Verdict::Denied);
        },
    );
    linear(
        "(a+)+ vs wide 'https://' + 'ā'*n (to JS)",
        20_000,
        |n| format!("https://{}", "ā".repeat(n)),
        |s| {
            assert_eq!(m.decide_unlisted(s), Verdict::AskJs);
        },
    );
    let nested = r"^(?:(?:a|aa)*)*b$";
    let m = matcher_of(&[
        regex_item(nested),
        regex_item(r"(x+x+)+y"),
        regex_item(r"^(\w+\s?)*$"),
    ]);
    linear(
        "3 backtracking RegExps vs 'a'*n + '!'",
        20_000,
        |n| format!("{}!", "a".repeat(n)),
        |s| {
            black_box(m.decide_unlisted(s));
        },
    );
}

#[test]
fn origin_patterns_are_linear() {
    linear(
        "parse_pattern https://*.(a.)*n com",
        50,
        |n| format!("https://*.{}com", "a.".repeat(n)),
        |s| {
            black_box(parse_pattern(s).ok());
        },
    );
    linear(
        "parse_pattern over the limit",
        100_000,
        |n| format!("https://*.{}", "a".repeat(n)),
        |s| {
            assert!(parse_pattern(s).is_err());
        },
    );
    let p = parse_pattern("https://*.example.com:*").unwrap();
    linear(
        "matches https://(a.)*n example.com",
        10_000,
        |n| format!("https://{}example.com", "a.".repeat(n)),
        |s| {
            black_box(p.matches(s.as_bytes()));
        },
    );
    linear(
        "matches https://a*n ...",
        10_000,
        |n| format!("https://{}.example.com:443", "a".repeat(n)),
        |s| {
            black_box(p.matches(s.as_bytes()));
        },
    );
}

#[test]
fn header_lists_are_linear() {
    linear(
        "parse_list 'x-h,'*n",
        1_000,
        |n| "x-h,".repeat(n),
        |s| {
            black_box(parse_list(s));
        },
    );
    linear(
        "parse_list ','*n",
        100_000,
        |n| ",".repeat(n),
        |s| {
            black_box(parse_list(s));
        },
    );
    linear(
        "parse_list ' '*n (one blank element)",
        100_000,
        |n| " ".repeat(n),
        |s| {
            black_box(parse_list(s));
        },
    );
    linear(
        "request_header_names distinct names",
        1_000,
        |n| {
            (0..n)
                .map(|i| format!("X-H{i}"))
                .collect::<Vec<_>>()
                .join(",")
        },
        |s| {
            black_box(request_header_names(s));
        },
    );
    linear(
        "request_header_names ','*n",
        100_000,
        |n| ",".repeat(n),
        |s| {
            black_box(request_header_names(s));
        },
    );
    linear(
        "request_header_names over the cap",
        20_000,
        |n| "a,".repeat(n),
        |s| {
            black_box(request_header_names(s));
        },
    );
}

#[test]
fn the_options_compiler_is_linear_in_the_list() {
    linear(
        "compile n exact origins",
        1_000,
        |n| {
            (0..n)
                .map(|i| ItemInput::String(format!("https://app{i}.example.com")))
                .collect::<Vec<_>>()
        },
        |items| {
            black_box(compile_list(items));
        },
    );
    linear(
        "compile n patterns",
        100,
        |n| {
            (0..n)
                .map(|i| ItemInput::String(format!("https://*.app{i}.example.com")))
                .collect::<Vec<_>>()
        },
        |items| {
            black_box(compile_list(items));
        },
    );
    linear(
        "compile n ports and n schemes on one host",
        200,
        |n| {
            (0..n)
                .flat_map(|i| {
                    [
                        ItemInput::String(format!("https://*.example.com:{}", 1000 + i)),
                        ItemInput::String(format!("s{i}://*.example.com")),
                    ]
                })
                .collect::<Vec<_>>()
        },
        |items| {
            black_box(compile_list(items));
        },
    );
    linear(
        "compile n RegExps",
        20,
        |n| {
            (0..n)
                .map(|i| regex_item(&format!(r"^https:\/\/([a-z0-9-]+\.)?app{i}\.example\.com$")))
                .collect::<Vec<_>>()
        },
        |items| {
            black_box(compile_list(items));
        },
    );
}
