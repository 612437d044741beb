//! Byte and char sets, and how they are written as `regex::bytes` atoms and
//! classes (the emitter's side of the translation).

use super::*;

/// A set of bytes (= Latin-1 chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct ByteSet([u64; 4]);

impl ByteSet {
    pub(super) const ALL: ByteSet = ByteSet([u64::MAX; 4]);

    pub(super) fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1u64 << (b & 63)) != 0
    }

    pub(super) fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1u64 << (b & 63);
    }

    pub(super) fn remove(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] &= !(1u64 << (b & 63));
    }

    pub(super) fn insert_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.insert(b);
        }
    }

    pub(super) fn union(&mut self, other: &ByteSet) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a |= *b;
        }
    }

    pub(super) fn complement(&self) -> ByteSet {
        ByteSet(self.0.map(|w| !w))
    }

    /// Emits the set as one `regex` atom (Unicode mode off).
    pub(super) fn emit(&self, out: &mut String) {
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

pub(super) fn push_hex(b: u8, out: &mut String) {
    pub(super) const HEX: &[u8; 16] = b"0123456789ABCDEF";
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
pub(super) const SP_Y_DIAERESIS_CAPITAL: u8 = 1 << 0; // U+0178 ~ ÿ (FF)
pub(super) const SP_GREEK_CAPITAL_MU: u8 = 1 << 1; // U+039C ~ µ (B5)
pub(super) const SP_GREEK_SMALL_MU: u8 = 1 << 2; // U+03BC ~ µ (B5)
pub(super) const SP_LONG_S: u8 = 1 << 3; // U+017F ~ s S (u only)
pub(super) const SP_CAPITAL_SHARP_S: u8 = 1 << 4; // U+1E9E ~ ß (DF) (u only)
pub(super) const SP_KELVIN: u8 = 1 << 5; // U+212A ~ k K (u only)
pub(super) const SP_ANGSTROM: u8 = 1 << 6; // U+212B ~ å Å (u only)
pub(super) const SP_ALL: u8 = 0x7F;

/// The Latin-1 chars equal (under `i`) to the special chars in `specials`.
pub(super) fn special_equivalents(specials: u8, unicode: bool) -> ByteSet {
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
pub(super) fn case_partner(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' | b'a'..=b'z' => Some(b ^ 0x20),
        0xC0..=0xDE | 0xE0..=0xFE if b != 0xD7 && b != 0xF7 => Some(b ^ 0x20),
        _ => None,
    }
}

/// Members of a JS char set seen through the Latin-1 window.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct CharSet {
    /// Members `<= 0xFF`.
    latin1: ByteSet,
    /// Which of the special chars above 0xFF are members.
    specials: u8,
    /// Some member above 0xFF was written explicitly (literal, escape or range end).
    explicit_big: bool,
}

impl CharSet {
    pub(super) fn add_char(&mut self, c: u32) {
        self.add_range(c, c);
    }

    pub(super) fn add_range(&mut self, lo: u32, hi: u32) {
        if let Ok(lo8) = u8::try_from(lo) {
            self.latin1
                .insert_range(lo8, u8::try_from(hi).unwrap_or(0xFF));
        }
        if hi > 0xFF {
            self.explicit_big = true;
        }
    }

    pub(super) fn add_set(&mut self, other: &CharSet) {
        self.latin1.union(&other.latin1);
        self.specials |= other.specials;
        self.explicit_big |= other.explicit_big;
    }

    /// The Latin-1 inputs matched, given JS's matching rule: with `i` an input char matches
    /// when some member has the same canonical form; `invert` applies after that.
    pub(super) fn matcher(&self, flags: Flags, invert: bool) -> Result<ByteSet, Refusal> {
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
pub(super) fn class_escape(kind: char, flags: Flags) -> CharSet {
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
