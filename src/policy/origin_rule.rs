//! The origin rule: the `origin` option compiled to a rule for JS and a
//! matcher for its patterns and translated RegExps.

use regex::bytes::RegexSet;

use super::*;
use crate::js_regex::{translate, Translation};
use crate::pattern::{is_pattern, parse_pattern, OriginPattern};

/// How many translated RegExps are kept in Rust when the whole set is too
/// large for the regex crate's size limit.
const SET_SPLIT: usize = 1000;

pub(super) struct CompiledOrigin<'a> {
    pub(super) rule: OriginRule,
    pub(super) matcher: Option<Matcher>,
    pub(super) pattern_matchers: Vec<Matcher>,
    /// The strings that count as exact origins (diagnostics).
    pub(super) exact: Vec<&'a str>,
    /// The valid patterns (diagnostics).
    pub(super) patterns: Vec<&'a str>,
    /// The RegExp sources (diagnostics).
    pub(super) regexes: Vec<&'a str>,
}

impl CompiledOrigin<'_> {
    fn simple(rule: OriginRule) -> Self {
        CompiledOrigin {
            rule,
            matcher: None,
            pattern_matchers: Vec::new(),
            exact: Vec::new(),
            patterns: Vec::new(),
            regexes: Vec::new(),
        }
    }
}

/// A string with `*` is a pattern when it parses; otherwise it stays the
/// inert literal cors compares it as, with a warning.
fn classify_string(s: &str, findings: &mut Vec<Finding>) -> Option<OriginPattern> {
    if !is_pattern(s) {
        return None;
    }
    match parse_pattern(s) {
        Ok(p) => Some(p),
        Err(problem) => {
            findings.push(Finding::warning(
                INVALID_PATTERN,
                format!(
                    "rust-cors: option `origin`: {problem}. It is kept as a plain string, compared exactly as cors compares it, so it matches only an Origin equal to {:?}.",
                    shorten(s, 80)
                ),
                "Write a valid pattern (a scheme, then `*.` before a domain you control, e.g. 'https://*.example.com', or `:*` for the port), or list the origins.",
            ));
            None
        }
    }
}

pub(super) fn compile_origin_rule<'a>(
    origin: &'a OriginInput,
    findings: &mut Vec<Finding>,
) -> CompiledOrigin<'a> {
    match origin {
        OriginInput::Disabled => CompiledOrigin::simple(OriginRule::Disabled),
        OriginInput::Any => CompiledOrigin::simple(OriginRule::Any),
        OriginInput::Dynamic => CompiledOrigin::simple(OriginRule::Dynamic),
        OriginInput::Reflect(_) => CompiledOrigin::simple(OriginRule::Reflect),
        OriginInput::Fixed { value, object } => fixed_origin(value, *object, findings),
        OriginInput::List {
            items,
            match_all,
            ordered,
        } => {
            let strings: Vec<&str> = items
                .iter()
                .filter_map(|item| match item {
                    ItemInput::String(value) => Some(value.as_str()),
                    ItemInput::Regex { .. } => None,
                })
                .collect();
            let regexes: Vec<(&str, &str)> = items
                .iter()
                .filter_map(|item| match item {
                    ItemInput::Regex { source, flags } => Some((source.as_str(), flags.as_str())),
                    ItemInput::String(_) => None,
                })
                .collect();
            strings_origin(&strings, &regexes, *match_all, *ordered, findings)
        }
    }
}

/// A fixed origin: a string, or a String object (`object`), whose value
/// cors sends as is, pattern or not.
pub(super) fn fixed_origin<'a>(
    value: &'a str,
    object: bool,
    findings: &mut Vec<Finding>,
) -> CompiledOrigin<'a> {
    let pattern = if object {
        None
    } else {
        classify_string(value, findings)
    };
    match pattern {
        Some(p) => list_origin(&[value], &[], false, false, vec![Some(p)]),
        None => {
            let mut c = CompiledOrigin::simple(OriginRule::Fixed);
            c.exact.push(value);
            c
        }
    }
}

/// An origin list: its strings and its RegExps (source, flags), each in
/// order.
pub(super) fn strings_origin<'a>(
    strings: &[&'a str],
    regexes: &[(&'a str, &'a str)],
    match_all: bool,
    ordered: bool,
    findings: &mut Vec<Finding>,
) -> CompiledOrigin<'a> {
    let parsed = strings
        .iter()
        .map(|value| classify_string(value, findings))
        .collect();
    list_origin(strings, regexes, match_all, ordered, parsed)
}

/// Compile a list; `parsed` holds, for each string item in order, its
/// pattern when it is a valid one.
fn list_origin<'a>(
    strings: &[&'a str],
    regexes: &[(&'a str, &'a str)],
    match_all: bool,
    ordered: bool,
    parsed: Vec<Option<OriginPattern>>,
) -> CompiledOrigin<'a> {
    let mut exact = Vec::new();
    let mut pattern_texts = Vec::new();
    let mut pattern_strings = Vec::new();
    let mut patterns = Vec::new();
    for (index, (pattern, value)) in parsed.into_iter().zip(strings).enumerate() {
        match pattern {
            Some(p) => {
                pattern_strings.push(index as u32);
                pattern_texts.push(*value);
                patterns.push(p);
            }
            None => exact.push(*value),
        }
    }
    let regex_sources: Vec<&str> = regexes.iter().map(|(source, _)| *source).collect();
    if ordered {
        // JS tests every element in order on the user's objects; Rust only
        // decides each valid pattern on its own.
        let pattern_matchers = patterns
            .into_iter()
            .map(|p| Matcher::new(None, vec![p], false))
            .collect();
        return CompiledOrigin {
            rule: OriginRule::List {
                match_all,
                pattern_strings,
                js_regexes: (0..regexes.len() as u32).collect(),
            },
            matcher: None,
            pattern_matchers,
            exact,
            patterns: pattern_texts,
            regexes: regex_sources,
        };
    }
    let (matcher, js_regexes) = build_matcher(regexes, patterns);
    CompiledOrigin {
        rule: OriginRule::List {
            match_all,
            pattern_strings,
            js_regexes,
        },
        matcher,
        pattern_matchers: Vec::new(),
        exact,
        patterns: pattern_texts,
        regexes: regex_sources,
    }
}

/// The matcher for translated RegExps and patterns, and the indices of the
/// RegExps that run in JS.
fn build_matcher(
    regexes: &[(&str, &str)],
    patterns: Vec<OriginPattern>,
) -> (Option<Matcher>, Vec<u32>) {
    let mut rust_regexes: Vec<String> = Vec::new();
    let mut rust_indices: Vec<u32> = Vec::new();
    let mut js: Vec<u32> = Vec::new();
    let mut cr_sensitive = false;
    for (index, (source, flags)) in regexes.iter().enumerate() {
        match translate(source, flags) {
            Translation::Exact {
                pattern,
                cr_sensitive: cr,
            } => {
                cr_sensitive |= cr;
                rust_regexes.push(pattern);
                rust_indices.push(index as u32);
            }
            Translation::Js { .. } => js.push(index as u32),
        }
    }
    let set = if rust_regexes.is_empty() {
        None
    } else {
        match RegexSet::new(&rust_regexes) {
            Ok(set) => Some(set),
            Err(_) => {
                // Too large together (tens of thousands of RegExps): keep the
                // ones that compile alone, up to a bound, the rest in JS.
                let mut keep = Vec::new();
                for (pattern, index) in rust_regexes.iter().zip(&rust_indices) {
                    if keep.len() < SET_SPLIT && regex::bytes::Regex::new(pattern).is_ok() {
                        keep.push(pattern.as_str());
                    } else {
                        js.push(*index);
                    }
                }
                match RegexSet::new(&keep) {
                    Ok(set) if !keep.is_empty() => Some(set),
                    _ => {
                        js = (0..regexes.len() as u32).collect();
                        None
                    }
                }
            }
        }
    };
    js.sort_unstable();
    let matcher = if set.is_none() && patterns.is_empty() {
        None
    } else {
        Some(Matcher::new(set, patterns, cr_sensitive))
    };
    (matcher, js)
}
