//! JS `RegExp` (source, flags) → a `regex::bytes` pattern that decides exactly as JS does,
//! or a refusal ("run it in JS") with a reason.
//!
//! The translation only has to be exact over **Latin-1 inputs**: the caller matches only
//! strings whose UTF-16 code units are all `<= 0xFF`, converted to bytes one byte per code
//! unit, so byte `b` stands for the char `U+00b`. The emitted pattern therefore runs with
//! Unicode mode off (`(?-u)`), and every atom is emitted as an explicit byte or byte class
//! computed here (JS and Rust disagree on `\d`, `\s`, `\w`, `.`, case folding...).
//!
//! `test()` only asks whether a match exists somewhere. For a regular expression without
//! backreferences or lookaround that is "does some substring belong to the language", so
//! greedy/lazy and capturing/non-capturing make no difference, and JS's rule that rejects
//! empty iterations of a quantifier does not change the language either.
//!
//! Anything not known to be exact is refused; refusing is always safe (the caller then runs
//! the JS `RegExp`), a wrong translation is a security bug.

mod charset;
mod parser;
#[cfg(test)]
mod tests;

pub(crate) use charset::emit_byte;

use parser::Parser;

/// The outcome of [`translate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Translation {
    /// A pattern for `regex::bytes` (it compiles with `regex::bytes::Regex::new` and
    /// `RegexSet::new`; it starts with `(?-u)`).
    ///
    /// `cr_sensitive`: the decision could differ from JS on inputs containing `b'\r'`
    /// (m-flag `^`/`$`: JS treats `\r` as a line terminator, Rust's `(?m)` only `\n`).
    /// The caller must then run the JS `RegExp` for inputs containing `'\r'`.
    Exact { pattern: String, cr_sensitive: bool },
    /// Must run as a JS `RegExp`; `reason` is a short human sentence.
    Js { reason: String },
}

/// Longest `source` (in chars) that is translated.
const MAX_SOURCE_CHARS: usize = 10_000;
/// Deepest group nesting that is translated.
const MAX_DEPTH: usize = 100;
/// Largest quantifier count that is translated.
const MAX_COUNT: u32 = 1000;
/// Upper bound on the pattern's size once every counted repetition is expanded.
const MAX_WEIGHT: u64 = 50_000;

/// Translates a JS `RegExp` (`RegExp.prototype.source` and `.flags`) into a `regex::bytes`
/// pattern that decides `test()` exactly as JS does over Latin-1 inputs, or refuses.
pub fn translate(source: &str, flags: &str) -> Translation {
    match translate_inner(source, flags) {
        Ok((pattern, cr_sensitive)) => Translation::Exact {
            pattern,
            cr_sensitive,
        },
        Err(Refusal(reason)) => Translation::Js { reason },
    }
}

fn translate_inner(source: &str, flags: &str) -> Result<(String, bool), Refusal> {
    let flags = Flags::parse(flags)?;
    // A char is at least one UTF-16 unit, so this is a cheap pre-check before counting.
    if source.len() > 4 * MAX_SOURCE_CHARS || source.chars().count() > MAX_SOURCE_CHARS {
        return refuse("the pattern is longer than 10,000 characters");
    }
    let mut p = Parser {
        chars: source.chars().collect(),
        pos: 0,
        flags,
        out: String::with_capacity(source.len() * 2 + 8),
        cr_sensitive: false,
        depth: 0,
    };
    p.out.push_str("(?-u)");
    let weight = p.disjunction()?;
    match p.peek() {
        None => {}
        Some(')') => return refuse("unmatched ')' (syntax error)"),
        Some(_) => return refuse("unexpected character (syntax error)"),
    }
    if weight > MAX_WEIGHT {
        return refuse("the pattern is too large once its repetitions are expanded");
    }
    if regex::bytes::Regex::new(&p.out).is_err() {
        return refuse("the translated pattern exceeds the regex crate's limits");
    }
    Ok((p.out, p.cr_sensitive))
}

/// Why a pattern must run as a JS `RegExp`.
#[derive(Debug)]
struct Refusal(String);

fn refuse<T>(reason: &str) -> Result<T, Refusal> {
    Err(Refusal(reason.to_owned()))
}

#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    i: bool,
    m: bool,
    s: bool,
    u: bool,
}

impl Flags {
    fn parse(flags: &str) -> Result<Flags, Refusal> {
        let mut f = Flags::default();
        let mut d = false;
        for c in flags.chars() {
            let slot = match c {
                'i' => &mut f.i,
                'm' => &mut f.m,
                's' => &mut f.s,
                'u' => &mut f.u,
                'd' => &mut d,
                'g' => return refuse("g flag: test() keeps lastIndex state between calls"),
                'y' => return refuse("y flag: sticky matching keeps lastIndex state"),
                'v' => return refuse("v flag (unicode sets) is not translated"),
                _ => return refuse("unknown flag"),
            };
            if *slot {
                return refuse("duplicate flag (syntax error)");
            }
            *slot = true;
        }
        Ok(f)
    }
}

/// The verdict of the translation on one input: 1 match, 0 no match, -1 not decided here
/// (not translatable, input not Latin-1, or `cr_sensitive` and the input has `'\r'`).
///
/// A test oracle of the unit tests and the fuzz targets, not used by the library: built
/// with `cfg(test)` or the `fuzz` feature, which fuzz/ turns on.
#[cfg(any(test, feature = "fuzz"))]
pub fn verdict(source: &str, flags: &str, input: &str) -> i32 {
    use std::cell::RefCell;
    use std::collections::HashMap;

    let mut bytes = Vec::with_capacity(input.len());
    for c in input.chars() {
        match u8::try_from(u32::from(c)) {
            Ok(b) => bytes.push(b),
            Err(_) => return -1,
        }
    }
    /// (source, flags) → the compiled translation and its `cr_sensitive`, or `None` if refused.
    type Cache = HashMap<(String, String), Option<(regex::bytes::Regex, bool)>>;
    thread_local! {
        static CACHE: RefCell<Cache> = RefCell::new(HashMap::new());
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let key = (source.to_owned(), flags.to_owned());
        if !cache.contains_key(&key) {
            if cache.len() >= 512 {
                cache.clear();
            }
            let compiled = match translate(source, flags) {
                Translation::Exact {
                    pattern,
                    cr_sensitive,
                } => regex::bytes::Regex::new(&pattern)
                    .ok()
                    .map(|re| (re, cr_sensitive)),
                Translation::Js { .. } => None,
            };
            cache.insert(key.clone(), compiled);
        }
        match cache.get(&key) {
            Some(Some((re, cr_sensitive))) => {
                if *cr_sensitive && bytes.contains(&b'\r') {
                    -1
                } else {
                    i32::from(re.is_match(&bytes))
                }
            }
            _ => -1,
        }
    })
}
