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

use std::cell::RefCell;
use std::collections::HashMap;

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

/// A set of bytes (= Latin-1 chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct ByteSet([u64; 4]);

impl ByteSet {
    const ALL: ByteSet = ByteSet([u64::MAX; 4]);

    fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1u64 << (b & 63)) != 0
    }

    fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1u64 << (b & 63);
    }

    fn remove(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] &= !(1u64 << (b & 63));
    }

    fn insert_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.insert(b);
        }
    }

    fn union(&mut self, other: &ByteSet) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a |= *b;
        }
    }

    fn complement(&self) -> ByteSet {
        ByteSet(self.0.map(|w| !w))
    }

    /// Emits the set as one `regex` atom (Unicode mode off).
    fn emit(&self, out: &mut String) {
        let mut ranges: Vec<(u8, u8)> = Vec::new();
        let mut start: Option<u8> = None;
        for b in 0..=255u8 {
            match (self.contains(b), start) {
                (true, None) => start = Some(b),
                (false, Some(s)) => {
                    ranges.push((s, b - 1));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            ranges.push((s, 255));
        }
        match ranges.as_slice() {
            // Matches nothing: the complement of every byte.
            [] => out.push_str(r"[^\x00-\xFF]"),
            [(lo, hi)] if lo == hi => emit_byte(*lo, out),
            _ => {
                out.push('[');
                for &(lo, hi) in &ranges {
                    push_hex(lo, out);
                    if hi != lo {
                        out.push('-');
                        push_hex(hi, out);
                    }
                }
                out.push(']');
            }
        }
    }
}

fn push_hex(b: u8, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push_str("\\x");
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 15)]));
}

/// One byte as a regex atom outside a class, the same in Rust's `regex` and
/// in PCRE (the nginx exporter uses it too): plain when readable and never
/// special, else `\xHH`.
pub(crate) fn emit_byte(b: u8, out: &mut String) {
    match b {
        b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' | b'/' | b':' | b'@' | b',' | b'=' | b'_' => {
            out.push(char::from(b))
        }
        b'.' => out.push_str(r"\."),
        b'-' => out.push_str(r"\-"),
        _ => push_hex(b, out),
    }
}

// Chars above U+00FF that are case-insensitively equal to a Latin-1 char. Bit positions in
// `Specials`. Found by checking every code point against every Latin-1 char in Node 20:
// without `u` (Canonicalize = toUpperCase, guarded) only the first three exist; with `u`
// (simple case folding) all seven.
const SP_Y_DIAERESIS_CAPITAL: u8 = 1 << 0; // U+0178 ~ ÿ (FF)
const SP_GREEK_CAPITAL_MU: u8 = 1 << 1; // U+039C ~ µ (B5)
const SP_GREEK_SMALL_MU: u8 = 1 << 2; // U+03BC ~ µ (B5)
const SP_LONG_S: u8 = 1 << 3; // U+017F ~ s S (u only)
const SP_CAPITAL_SHARP_S: u8 = 1 << 4; // U+1E9E ~ ß (DF) (u only)
const SP_KELVIN: u8 = 1 << 5; // U+212A ~ k K (u only)
const SP_ANGSTROM: u8 = 1 << 6; // U+212B ~ å Å (u only)
const SP_ALL: u8 = 0x7F;

/// The Latin-1 chars equal (under `i`) to the special chars in `specials`.
fn special_equivalents(specials: u8, unicode: bool) -> ByteSet {
    let mut s = ByteSet::default();
    if specials & SP_Y_DIAERESIS_CAPITAL != 0 {
        s.insert(0xFF);
    }
    if specials & (SP_GREEK_CAPITAL_MU | SP_GREEK_SMALL_MU) != 0 {
        s.insert(0xB5);
    }
    if unicode {
        if specials & SP_LONG_S != 0 {
            s.insert(b's');
            s.insert(b'S');
        }
        if specials & SP_CAPITAL_SHARP_S != 0 {
            s.insert(0xDF);
        }
        if specials & SP_KELVIN != 0 {
            s.insert(b'k');
            s.insert(b'K');
        }
        if specials & SP_ANGSTROM != 0 {
            s.insert(0xE5);
            s.insert(0xC5);
        }
    }
    s
}

/// The other Latin-1 char with the same JS canonical form, if any. Both with and without
/// `u` the Latin-1 classes are exactly the ASCII letter pairs and À-Þ/à-þ (minus × ÷);
/// µ, ß and ÿ only match themselves within Latin-1.
fn case_partner(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' | b'a'..=b'z' => Some(b ^ 0x20),
        0xC0..=0xDE | 0xE0..=0xFE if b != 0xD7 && b != 0xF7 => Some(b ^ 0x20),
        _ => None,
    }
}

/// Members of a JS char set seen through the Latin-1 window.
#[derive(Debug, Clone, Copy, Default)]
struct CharSet {
    /// Members `<= 0xFF`.
    latin1: ByteSet,
    /// Which of the special chars above 0xFF are members.
    specials: u8,
    /// Some member above 0xFF was written explicitly (literal, escape or range end).
    explicit_big: bool,
}

impl CharSet {
    fn add_char(&mut self, c: u32) {
        self.add_range(c, c);
    }

    fn add_range(&mut self, lo: u32, hi: u32) {
        if let Ok(lo8) = u8::try_from(lo) {
            self.latin1
                .insert_range(lo8, u8::try_from(hi).unwrap_or(0xFF));
        }
        if hi > 0xFF {
            self.explicit_big = true;
        }
    }

    fn add_set(&mut self, other: &CharSet) {
        self.latin1.union(&other.latin1);
        self.specials |= other.specials;
        self.explicit_big |= other.explicit_big;
    }

    /// The Latin-1 inputs matched, given JS's matching rule: with `i` an input char matches
    /// when some member has the same canonical form; `invert` applies after that.
    fn matcher(&self, flags: Flags, invert: bool) -> Result<ByteSet, Refusal> {
        let mut m = self.latin1;
        if flags.i {
            if self.explicit_big {
                return refuse("i flag with a character above U+00FF (case folding not modelled)");
            }
            for b in 0..=255u8 {
                if self.latin1.contains(b) {
                    if let Some(p) = case_partner(b) {
                        m.insert(p);
                    }
                }
            }
            m.union(&special_equivalents(self.specials, flags.u));
        }
        Ok(if invert { m.complement() } else { m })
    }
}

/// `\d \D \s \S \w \W`.
fn class_escape(kind: char, flags: Flags) -> CharSet {
    let mut digits = ByteSet::default();
    digits.insert_range(b'0', b'9');
    let mut space = ByteSet::default();
    space.insert_range(0x09, 0x0D);
    space.insert(b' ');
    space.insert(0xA0);
    let mut word = digits;
    word.insert_range(b'A', b'Z');
    word.insert_range(b'a', b'z');
    word.insert(b'_');
    // With `u` and `i`, \w also holds U+017F and U+212A (they fold into [a-z]) and \W lacks them.
    let extra_word = if flags.u && flags.i {
        SP_LONG_S | SP_KELVIN
    } else {
        0
    };
    // Every big whitespace char is outside the special list, so \S holds all specials.
    let (latin1, specials) = match kind {
        'd' => (digits, 0),
        'D' => (digits.complement(), SP_ALL),
        's' => (space, 0),
        'S' => (space.complement(), SP_ALL),
        'w' => (word, extra_word),
        _ => (word.complement(), SP_ALL & !extra_word),
    };
    CharSet {
        latin1,
        specials,
        explicit_big: false,
    }
}

/// A class member before ranges are formed.
enum ClassAtom {
    Char(u32),
    Set(CharSet),
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    flags: Flags,
    out: String,
    cr_sensitive: bool,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Disjunction :: Alternative ( `|` Alternative )*. Returns the expanded weight.
    fn disjunction(&mut self) -> Result<u64, Refusal> {
        let mut weight = self.alternative()?;
        while self.eat('|') {
            self.out.push('|');
            weight = weight.saturating_add(self.alternative()?);
        }
        Ok(weight)
    }

    fn alternative(&mut self) -> Result<u64, Refusal> {
        let mut weight = 0u64;
        while !matches!(self.peek(), None | Some('|') | Some(')')) {
            weight = weight.saturating_add(self.term()?);
            if weight > MAX_WEIGHT {
                return refuse("the pattern is too large once its repetitions are expanded");
            }
        }
        Ok(weight)
    }

    fn term(&mut self) -> Result<u64, Refusal> {
        let Some(c) = self.peek() else {
            return refuse("unexpected end of pattern");
        };
        match c {
            '^' | '$' => {
                self.pos += 1;
                let anchor = match (c, self.flags.m) {
                    ('^', false) => r"\A",
                    ('$', false) => r"\z",
                    ('^', true) => "(?m:^)",
                    _ => "(?m:$)",
                };
                self.cr_sensitive |= self.flags.m;
                self.out.push_str(anchor);
                return self.no_quantifier_after_assertion();
            }
            '\\' if matches!(self.peek_at(1), Some('b' | 'B')) => {
                let negated = self.peek_at(1) == Some('B');
                self.pos += 2;
                self.out
                    .push_str(if negated { r"(?-u:\B)" } else { r"(?-u:\b)" });
                return self.no_quantifier_after_assertion();
            }
            '*' | '+' | '?' => return refuse("quantifier without an atom (syntax error)"),
            '{' => return refuse("lone '{' (Annex B literal or syntax error)"),
            '}' => return refuse("lone '}' (Annex B literal or syntax error)"),
            ']' => return refuse("lone ']' (Annex B literal or syntax error)"),
            _ => {}
        }
        let atom_weight = if c == '(' {
            self.group()?
        } else {
            let set = self.atom_set()?;
            set.emit(&mut self.out);
            1
        };
        let factor = self.quantifier()?;
        Ok(atom_weight.saturating_mul(factor))
    }

    fn no_quantifier_after_assertion(&mut self) -> Result<u64, Refusal> {
        match self.peek() {
            Some('*' | '+' | '?' | '{') => refuse("quantified assertion (syntax error)"),
            _ => Ok(1),
        }
    }

    /// An optional quantifier; emits it and returns the repetition factor for the weight.
    fn quantifier(&mut self) -> Result<u64, Refusal> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                self.out.push('*');
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                self.out.push('+');
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                self.out.push('?');
                (0, Some(1))
            }
            Some('{') => {
                let Some((min, max)) = self.braced_quantifier() else {
                    return refuse(
                        "'{' that is not a quantifier (Annex B literal or syntax error)",
                    );
                };
                if max.is_some_and(|m| m < min) {
                    return refuse("quantifier range out of order (syntax error)");
                }
                if min > MAX_COUNT || max.is_some_and(|m| m > MAX_COUNT) {
                    return refuse("quantifier count above 1000");
                }
                self.out.push('{');
                self.out.push_str(&min.to_string());
                match max {
                    Some(m) if m == min => {}
                    Some(m) => {
                        self.out.push(',');
                        self.out.push_str(&m.to_string());
                    }
                    None => self.out.push(','),
                }
                self.out.push('}');
                (min, max)
            }
            _ => return Ok(1),
        };
        if self.eat('?') {
            self.out.push('?');
        }
        Ok(u64::from(max.unwrap_or(min.saturating_add(1)).max(1)))
    }

    /// `{n}`, `{n,}`, `{n,m}`; consumes it only when well formed. Counts saturate.
    fn braced_quantifier(&mut self) -> Option<(u32, Option<u32>)> {
        let start = self.pos;
        let result = self.braced_quantifier_inner();
        if result.is_none() {
            self.pos = start;
        }
        result
    }

    fn braced_quantifier_inner(&mut self) -> Option<(u32, Option<u32>)> {
        if !self.eat('{') {
            return None;
        }
        let min = self.decimal()?;
        let max = if self.eat(',') {
            if self.peek() == Some('}') {
                None
            } else {
                Some(self.decimal()?)
            }
        } else {
            Some(min)
        };
        if !self.eat('}') {
            return None;
        }
        Some((min, max))
    }

    fn decimal(&mut self) -> Option<u32> {
        let mut value: Option<u32> = None;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            self.pos += 1;
            value = Some(value.unwrap_or(0).saturating_mul(10).saturating_add(d));
        }
        value
    }

    fn group(&mut self) -> Result<u64, Refusal> {
        self.pos += 1; // '('
        if self.eat('?') {
            match self.bump() {
                Some(':') => {}
                Some('=') | Some('!') => {
                    return refuse("lookahead is not supported by the regex crate")
                }
                Some('<') => match self.peek() {
                    Some('=') | Some('!') => {
                        return refuse("lookbehind is not supported by the regex crate")
                    }
                    _ => self.group_name()?,
                },
                _ => return refuse("unsupported group syntax"),
            }
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return refuse("groups nested deeper than 100");
        }
        self.out.push_str("(?:");
        let weight = self.disjunction()?;
        if !self.eat(')') {
            return refuse("unterminated group (syntax error)");
        }
        self.out.push(')');
        self.depth -= 1;
        Ok(weight)
    }

    /// `name>` of a named group; only plain ASCII identifiers are accepted.
    fn group_name(&mut self) -> Result<(), Refusal> {
        let mut first = true;
        loop {
            match self.bump() {
                Some('>') if !first => return Ok(()),
                Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$' => {}
                Some(c) if c.is_ascii_digit() && !first => {}
                _ => return refuse("group name that is not a plain ASCII identifier"),
            }
            first = false;
        }
    }

    /// `.`, a class, an escape or a literal: the Latin-1 inputs it matches.
    fn atom_set(&mut self) -> Result<ByteSet, Refusal> {
        let flags = self.flags;
        let Some(c) = self.bump() else {
            return refuse("unexpected end of pattern");
        };
        match c {
            '.' => {
                let mut set = ByteSet::ALL;
                if !flags.s {
                    set.remove(b'\n');
                    set.remove(b'\r');
                }
                Ok(set)
            }
            '[' => self.class(),
            '\\' => match self.atom_escape()? {
                ClassAtom::Char(ch) => Self::literal(ch, flags),
                ClassAtom::Set(set) => set.matcher(flags, false),
            },
            _ => {
                let ch = self.source_char(c)?;
                Self::literal(ch, flags)
            }
        }
    }

    /// A char written in the pattern (not an escape).
    fn source_char(&self, c: char) -> Result<u32, Refusal> {
        let ch = u32::from(c);
        if ch > 0xFFFF && !self.flags.u {
            return refuse("a character outside the BMP is two code units without the u flag");
        }
        Ok(ch)
    }

    fn literal(ch: u32, flags: Flags) -> Result<ByteSet, Refusal> {
        let mut set = CharSet::default();
        set.add_char(ch);
        set.matcher(flags, false)
    }

    /// After `\` outside a class (`\b`/`\B` were handled as assertions).
    fn atom_escape(&mut self) -> Result<ClassAtom, Refusal> {
        let Some(c) = self.bump() else {
            return refuse("'\\' at end of pattern (syntax error)");
        };
        self.escape_common(c, false)
    }

    /// Escapes valid both inside and outside a class.
    fn escape_common(&mut self, c: char, in_class: bool) -> Result<ClassAtom, Refusal> {
        let flags = self.flags;
        let ch: u32 = match c {
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => return Ok(ClassAtom::Set(class_escape(c, flags))),
            't' => 0x09,
            'n' => 0x0A,
            'v' => 0x0B,
            'f' => 0x0C,
            'r' => 0x0D,
            '0' => {
                if self.peek().is_some_and(|d| d.is_ascii_digit()) {
                    return refuse("octal escape (Annex B)");
                }
                0
            }
            '1'..='9' => return refuse("backreference or octal escape"),
            'k' => return refuse("named backreference"),
            'p' | 'P' => return refuse("\\p property escapes are not translated"),
            'c' => match self.peek() {
                Some(l) if l.is_ascii_alphabetic() => {
                    self.pos += 1;
                    u32::from(l) % 32
                }
                _ => return refuse("\\c without a letter (Annex B)"),
            },
            'x' => match self.hex_digits(2) {
                Some(v) => v,
                None => return refuse("\\x without two hex digits (Annex B)"),
            },
            'u' => self.unicode_escape()?,
            '-' if in_class => u32::from('-'),
            '^' | '$' | '\\' | '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|'
            | '/' => u32::from(c),
            _ if !flags.u && !c.is_ascii_alphanumeric() => self.source_char(c)?,
            _ => return refuse("unsupported escape"),
        };
        Ok(ClassAtom::Char(ch))
    }

    /// After `\u`.
    fn unicode_escape(&mut self) -> Result<u32, Refusal> {
        if self.flags.u && self.peek() == Some('{') {
            self.pos += 1;
            let mut value: u32 = 0;
            let mut any = false;
            while let Some(d) = self.peek().and_then(|c| c.to_digit(16)) {
                self.pos += 1;
                any = true;
                value = value.saturating_mul(16).saturating_add(d);
            }
            if !any || !self.eat('}') || value > 0x10FFFF {
                return refuse("malformed \\u{...} escape (syntax error)");
            }
            return Ok(value);
        }
        let Some(v) = self.hex_digits(4) else {
            return refuse("\\u without four hex digits (Annex B or syntax error)");
        };
        // With `u`, an escaped surrogate pair is one code point.
        if self.flags.u
            && (0xD800..=0xDBFF).contains(&v)
            && self.peek() == Some('\\')
            && self.peek_at(1) == Some('u')
        {
            let save = self.pos;
            self.pos += 2;
            match self.hex_digits(4) {
                Some(lo) if (0xDC00..=0xDFFF).contains(&lo) => {
                    return Ok(0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00));
                }
                _ => self.pos = save,
            }
        }
        Ok(v)
    }

    fn hex_digits(&mut self, n: usize) -> Option<u32> {
        let mut v = 0u32;
        for k in 0..n {
            let d = self.peek_at(k)?.to_digit(16)?;
            v = v * 16 + d;
        }
        self.pos += n;
        Some(v)
    }

    /// After `[`.
    fn class(&mut self) -> Result<ByteSet, Refusal> {
        let invert = self.eat('^');
        let mut members = CharSet::default();
        loop {
            match self.peek() {
                None => return refuse("unterminated character class (syntax error)"),
                Some(']') => {
                    self.pos += 1;
                    break;
                }
                Some(_) => {}
            }
            let a = self.class_atom()?;
            if self.peek() == Some('-') && !matches!(self.peek_at(1), None | Some(']')) {
                self.pos += 1;
                let b = self.class_atom()?;
                match (a, b) {
                    (ClassAtom::Char(lo), ClassAtom::Char(hi)) => {
                        if lo > hi {
                            return refuse("class range out of order (syntax error)");
                        }
                        members.add_range(lo, hi);
                    }
                    _ => return refuse("class escape as a range end (Annex B or syntax error)"),
                }
            } else {
                match a {
                    ClassAtom::Char(ch) => members.add_char(ch),
                    ClassAtom::Set(set) => members.add_set(&set),
                }
            }
        }
        members.matcher(self.flags, invert)
    }

    fn class_atom(&mut self) -> Result<ClassAtom, Refusal> {
        match self.bump() {
            None => refuse("unterminated character class (syntax error)"),
            Some('\\') => match self.bump() {
                None => refuse("'\\' at end of pattern (syntax error)"),
                Some('b') => Ok(ClassAtom::Char(0x08)),
                Some('B') => refuse("\\B in a class (Annex B or syntax error)"),
                Some(c) => self.escape_common(c, true),
            },
            Some(c) => Ok(ClassAtom::Char(self.source_char(c)?)),
        }
    }
}

/// The verdict of the translation on one input: 1 match, 0 no match, -1 not decided here
/// (not translatable, input not Latin-1, or `cr_sensitive` and the input has `'\r'`).
pub fn verdict(source: &str, flags: &str, input: &str) -> i32 {
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

#[cfg(test)]
mod tests {
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
}
