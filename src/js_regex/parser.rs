//! The parser of a JS `RegExp` source: it reads the pattern as JS does and
//! emits the `regex::bytes` pattern as it goes, or refuses.

use super::charset::*;
use super::*;

/// A class member before ranges are formed.
pub(super) enum ClassAtom {
    Char(u32),
    Set(CharSet),
}

pub(super) struct Parser {
    pub(super) chars: Vec<char>,
    pub(super) pos: usize,
    pub(super) flags: Flags,
    pub(super) out: String,
    pub(super) cr_sensitive: bool,
    pub(super) depth: usize,
}

impl Parser {
    pub(super) fn peek(&self) -> Option<char> {
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
    pub(super) fn disjunction(&mut self) -> Result<u64, Refusal> {
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
