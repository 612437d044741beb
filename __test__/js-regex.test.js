'use strict'

// Differential test of src/js_regex/, through the middleware: an origin list holding the
// RegExp must reflect exactly the origins a fresh JS RegExp matches. The verdict Rust's matcher
// gave (the return value of the policy's matcher function, watched here) is 1 or 0 when Rust decided and -1
// when it handed the input back to the JS RegExp; a RegExp Rust refuses never reaches it (-1).
//
// RUST_CORS_FUZZ_RUNS=<pairs> raises the number of (RegExp, input) pairs (default 20000);
// RUST_CORS_FUZZ_SEED=<int> changes the seed.

const fc = require('fast-check')
const rustCors = require('..')
const native = require('../lib/native')

// Watch what Rust's matcher (a function of the compiled policy) answers,
// without changing it.
let lastVerdict = null
const compilePolicy = native.compilePolicy
native.compilePolicy = function (input) {
  const compiled = compilePolicy(input)
  const matcher = compiled.matcher
  if (matcher) compiled.matcher = (origin) => (lastVerdict = matcher(origin))
  return compiled
}
afterAll(() => { native.compilePolicy = compilePolicy })

let unique = 0

// Rust's verdict for `input` against /source/flags, after checking that the middleware reflects
// the input exactly when JS's RegExp matches it. A unique exact origin beside the RegExp gives
// every call a policy of its own, so no verdict cache answers instead of Rust.
function jsRegexVerdict (source, flags, input) {
  if (input === '') return -1 // cors never reflects an empty Origin
  const headers = {}
  const res = { getHeader: (n) => headers[n.toLowerCase()], setHeader: (n, v) => { headers[n.toLowerCase()] = v }, end () {} }
  const middleware = rustCors({ origin: [new RegExp(source, flags), 'unique:' + unique++] })
  lastVerdict = null
  middleware({ method: 'GET', headers: { origin: input } }, res, () => {})
  const reflected = headers['access-control-allow-origin'] === input
  const expected = new RegExp(source, flags).test(input)
  if (reflected !== expected) {
    throw new Error(`the middleware ${reflected ? 'reflects' : 'refuses'} ${JSON.stringify(input)} for /${source}/${flags}, JS says ${expected}`)
  }
  return lastVerdict === null ? -1 : lastVerdict
}

const PAIRS = Math.max(1, Number.parseInt(process.env.RUST_CORS_FUZZ_RUNS || '20000', 10) || 20000)
const SEED = Number.parseInt(process.env.RUST_CORS_FUZZ_SEED || '20251128', 10)
const INPUTS_PER_REGEX = 4

// ---------------------------------------------------------------- RegExp grammar

// Chars origins are made of, Latin-1 letters with case partners or special folding
// (µ ÿ ß have none within Latin-1), and a few chars above Latin-1 that fold onto Latin-1
// ones (Kelvin, long s, Angstrom, Greek mu, Y with diaeresis).
// Chars where JS and a naive translation would differ.
const trickyChar = fc.constantFrom(
  '\r', '\n', '\t', '\v', '\f', '\0', ' ', '\x85', '\xa0', '\xb5', '\xdf', '\xff', '\xd7',
  '\xf7', 'é', 'É', 'å', 'Å', 'k', 'K', 's', 'S', '_', '-', '.', '0', 'ſ', 'K', '\u2028'
)

const plainLiteral = fc.constantFrom(
  'a', 'b', 'e', 'k', 's', 'x', 'A', 'K', 'S', '0', '9', '-', '_', ':', ',', ' ', '@', '=',
  '\\.', '\\/', '\\-', '\\?', '\\*', '\\(', '\\[', '\\]', '\\{', '\\$', '\\^', '\\\\', '\\|',
  'é', 'É', 'ß', 'ÿ', 'µ', 'å', 'Å', '×', '÷',
  '\\t', '\\n', '\\r', '\\v', '\\f', '\\0', '\\cJ', '\\cm', '\\x41', '\\xe9', '\\xC9', '\\xff',
  '\\u0061', '\\u00e5', '\\u{e9}', '\\d', '\\D', '\\s', '\\S', '\\w', '\\W', '.'
)
// Chars above Latin-1, some of which fold onto Latin-1 ones under i.
const bigLiteral = fc.constantFrom(
  'ſ', 'K', 'Å', 'Μ', 'μ', 'Ÿ', 'ẞ', '😀', '\\u017f', '\\u212a', '\\u039c', '\\u0178', '\\u0100',
  '\\u{1F600}', '\\uD83D\\uDE00'
)
// Refused (or invalid) forms, so that the refusal paths run too.
const oddLiteral = fc.constantFrom(
  '\\1', '\\k<n0>', '\\p{L}', '\\a', '\\c', '\\x4', '{', '}', ']', '\\8', '\\01', '\\u{41}'
)
const literal = fc.oneof(
  { arbitrary: plainLiteral, weight: 20 },
  { arbitrary: bigLiteral, weight: 2 },
  { arbitrary: oddLiteral, weight: 1 }
)

const classMember = fc.constantFrom(
  'a', 'z', 'k', 's', 'A', 'K', 'S', 'Z', '0', '9', '-', '_', '.', '/', ':', '[', '^',
  'é', 'É', 'ß', 'ÿ', 'µ', 'å', 'ſ', 'K', 'Μ',
  '\\d', '\\D', '\\s', '\\S', '\\w', '\\W', '\\b', '\\-', '\\]', '\\\\', '\\n', '\\r', '\\t',
  '\\x00', '\\x7f', '\\xa0', '\\xff', '\\u0100', '\\u212a', '\\cI',
  'a-z', 'A-Z', '0-9', 'a-f', 'à-þ', 'À-Þ', '\\x00-\\x1f', '\\x80-\\xff', 'a-\\u0100',
  '\\u0100-\\u0200'
)
const oddClassMember = fc.constantFrom('z-a', '\\d-z', '\\B', '\\1', '\\c1')

const charClass = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.oneof({ arbitrary: classMember, weight: 20 }, { arbitrary: oddClassMember, weight: 1 }),
      { maxLength: 4 }
    )
  )
  .map(([neg, members]) => `[${neg ? '^' : ''}${members.join('')}]`)

// Latin-1 chars a leaf atom matches without flags (memoised), to build a witness: a string
// the whole RegExp (nearly) matches, which is then mutated into near misses.
const LATIN1_CHARS = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b))
const leafExamples = new Map()
function examplesOf (src) {
  let ex = leafExamples.get(src)
  if (ex === undefined) {
    try {
      const re = new RegExp(`^(?:${src})$`)
      ex = LATIN1_CHARS.filter((c) => re.test(c))
    } catch {
      ex = []
    }
    leafExamples.set(src, ex)
  }
  return ex
}
const pick = (list, n, fallback) => (list.length === 0 ? fallback : list[n % list.length])

// How often a quantifier may repeat its atom (Infinity for unbounded ones).
const MAX_REPEAT = {
  '': 1,
  '?': 1,
  '??': 1,
  '*': Infinity,
  '+': Infinity,
  '{0,}': Infinity,
  '*?': Infinity,
  '+?': Infinity,
  '{2}': 2,
  '{1,3}': 3,
  '{0,2}': 2,
  '{1,2}?': 2,
  '{1001}': 1001,
}
// Quantifiers with a fixed count; the others let an atom match in several ways.
const FIXED = new Set(['', '{2}', '{1001}'])
// How many copies of the atom's witness a quantifier's witness holds: [min, max].
const WITNESS_REPEAT = {
  '?': [0, 1],
  '??': [0, 1],
  '*': [0, 2],
  '*?': [0, 2],
  '{0,}': [0, 2],
  '+': [1, 3],
  '+?': [1, 3],
  '{2}': [2, 2],
  '{1,3}': [1, 3],
  '{0,2}': [0, 2],
  '{1,2}?': [1, 2],
}
const quantifier = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      '', '', '', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '{0,2}', '*?', '+?', '??', '{1,2}?'
    ),
    weight: 20,
  },
  // Invalid in JS ('{3,1}'), Annex B literals ('{,2}', '{2'), or above Rust's count limit.
  { arbitrary: fc.constantFrom('{3,1}', '{1001}', '{,2}', '{2'), weight: 1 }
)

const anchor = fc.constantFrom('^', '$', '\\b', '\\B')

// JS backtracks, so some generated patterns take exponential (or high polynomial) time in
// JS on long inputs. Each node tracks enough to spot them:
//   s          source text
//   w          a witness: a string the node (nearly) matches
//   group      the atom is a group
//   ambiguous  it can match one string in several ways (a variable count or a `|`)
//   stars      unbounded quantifiers in sequence, counting bounded repeats of groups
//   risky      a repeat of an ambiguous body, or many stars: inputs are then cut short.
const leafArb = (arb) =>
  fc.tuple(arb, fc.nat(), trickyChar).map(([s, n, t]) => ({
    s,
    w: pick(examplesOf(s), n, t),
    group: false,
    ambiguous: false,
    stars: 0,
    risky: false,
  }))
const regexArb = fc.letrec((tie) => ({
  disjunction: fc
    .tuple(fc.array(tie('alternative'), { minLength: 1, maxLength: 3 }), fc.nat())
    .map(([alts, n]) => ({
      s: alts.map((a) => a.s).join('|'),
      w: alts[n % alts.length].w,
      group: false,
      ambiguous: alts.length > 1 || alts.some((a) => a.ambiguous),
      stars: alts.reduce((k, a) => k + a.stars, 0),
      risky: alts.some((a) => a.risky),
    })),
  alternative: fc.array(tie('term'), { maxLength: 5 }).map((terms) => ({
    s: terms.map((t) => t.s).join(''),
    w: terms.map((t) => t.w).join(''),
    group: false,
    ambiguous: terms.some((t) => t.ambiguous),
    stars: terms.reduce((k, t) => k + t.stars, 0),
    risky: terms.some((t) => t.risky),
  })),
  term: fc.oneof(
    {
      arbitrary: anchor.map((s) => ({
        s,
        w: '',
        group: false,
        ambiguous: false,
        stars: 0,
        risky: false,
      })),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(tie('atom'), quantifier, fc.nat()).map(([a, q0, n]) => {
        // A huge count over a group would make JS backtrack for ages.
        const q = a.group && q0 === '{1001}' ? '{2}' : q0
        const repeat = MAX_REPEAT[q] ?? 1
        const unbounded = repeat === Infinity
        const stars = unbounded ? a.stars + 1 : a.stars * repeat
        const [lo, hi] = WITNESS_REPEAT[q] ?? [1, 1]
        return {
          s: a.s + q,
          w: a.w.repeat(lo + (n % (hi - lo + 1))),
          group: false,
          ambiguous: a.ambiguous || !FIXED.has(q),
          stars,
          risky: a.risky || (repeat > 1 && a.ambiguous) || stars > 3,
        }
      }),
      weight: 5,
    }
  ),
  atom: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'regex' },
    { arbitrary: leafArb(literal), weight: 6 },
    { arbitrary: leafArb(charClass), weight: 3 },
    { arbitrary: leafArb(fc.constantFrom('[]', '[^]')), weight: 1 },
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom('(', '(', '(?:', '(?:', '(?<n>', '(?<n>', '(?=', '(?<='),
          tie('disjunction')
        )
        .map(([open, body]) => ({
          ...body,
          s: `${open}${body.s})`,
          group: true,
          risky: body.risky || body.stars > 3,
        })),
      weight: 2,
    }
  ),
})).disjunction

// Flags from i m s u, plus now and then a refused one.
const flagsArb = fc.oneof(
  { arbitrary: fc.subarray(['i', 'm', 's', 'u']).map((f) => f.join('')), weight: 12 },
  { arbitrary: fc.constantFrom('g', 'y', 'd', 'dy', 'iv'), weight: 1 }
)

// Anchors that pin a pattern to the whole origin, as origin patterns usually are.
// Group names are numbered so that they are unique.
const sourceArb = fc
  .oneof(
    { arbitrary: regexArb, weight: 3 },
    { arbitrary: regexArb.map((r) => ({ ...r, s: `^${r.s}$` })), weight: 1 },
    {
      arbitrary: regexArb.map((r) => ({
        ...r,
        s: `^https?:\\/\\/(${r.s})\\.example\\.com$`,
        w: `https://${r.w}.example.com`,
      })),
      weight: 1,
    }
  )
  .map((r) => {
    let k = 0
    return { ...r, s: r.s.replace(/\(\?<n>/g, () => `(?<n${k++}>`) }
  })

// { source, flags, witness, risky } that JS itself accepts.
const regexpArb = fc
  .tuple(sourceArb, flagsArb)
  .map(([r, flags]) => ({
    source: r.s,
    flags,
    witness: r.w,
    risky: r.risky || r.stars > 3,
  }))
  .filter(({ source, flags }) => compilesInJs(source, flags))

// Inputs for a risky pattern are cut to this many chars, which keeps JS's exponential
// backtracking small; other inputs (at most 3 stars in sequence: cubic) to MAX_INPUT_CHARS.
const RISKY_INPUT_CHARS = 5
const MAX_INPUT_CHARS = 64

// ---------------------------------------------------------------- inputs

const hostChar = fc.constantFrom(
  ...'abcdeksxyz0123456789-'.split(''), 'A', 'K', 'S', 'é', 'É', 'ß', 'ÿ', 'µ', 'å'
)
const label = fc.array(hostChar, { minLength: 1, maxLength: 8 }).map((c) => c.join(''))
const originArb = fc
  .tuple(
    fc.constantFrom('https://', 'http://', '', 'HTTPS://'),
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('.example.com', '.com', '.org', '', '.EXAMPLE.COM'),
    fc.constantFrom('', '', ':8080', ':443', ':')
  )
  .map(([scheme, labels, tld, port]) => scheme + labels.join('.') + tld + port)

// Short strings over the chars the grammar uses, so that matches are common, with control
// chars (\r \n \t \v \f \0 \b), Latin-1 specials and some chars above Latin-1 (including a
// lone surrogate).
const poolChar = fc.constantFrom(
  'a', 'b', 'e', 'k', 's', 'x', 'z', 'A', 'K', 'S', 'Z', '0', '9', '-', '_', ':', '.', '/', ' ',
  '\r', '\n', '\t', '\v', '\f', '\0', '\b', '\x1f', '\x7f', '\x85', '\xa0',
  'é', 'É', 'ß', 'ÿ', 'µ', 'å', 'Å', '×', '÷', '[', ']', '{', '}', '\\', '^', '$', '|', '@',
  'ſ', 'K', 'Μ', 'μ', 'Ÿ', '\u0100', '\u2028', '\uD800', '😀'
)
const poolString = fc.array(poolChar, { maxLength: 10 }).map((c) => c.join(''))

const inputArb = fc.oneof(
  { arbitrary: originArb, weight: 3 },
  { arbitrary: poolString, weight: 3 },
  { arbitrary: fc.constantFrom('null', 'undefined', '', 'https://a-b.example.com:8080'), weight: 1 },
  {
    arbitrary: fc.tuple(originArb, poolChar, originArb).map(([a, c, b]) => a + c + b),
    weight: 1,
  }
)

// Near misses: the RegExp's witness, maybe framed, then maybe one char replaced, inserted,
// deleted or case-flipped.
const mutation = fc.tuple(
  fc.constantFrom('none', 'none', 'replace', 'insert', 'delete', 'case'),
  fc.nat(),
  trickyChar
)
function mutate (str, [kind, at, ch]) {
  const i = str.length === 0 ? 0 : at % str.length
  const flip = (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())
  switch (kind) {
    case 'replace':
      return str.slice(0, i) + ch + str.slice(i + 1)
    case 'insert':
      return str.slice(0, i) + ch + str.slice(i)
    case 'delete':
      return str.slice(0, i) + str.slice(i + 1)
    case 'case':
      return str.slice(0, i) + flip(str.charAt(i)) + str.slice(i + 1)
    default:
      return str
  }
}
const nearMissArb = (witness) =>
  fc
    .tuple(
      fc.constantFrom('', '', 'x', '\n', 'https://'),
      fc.constantFrom('', '', 'y', '\r'),
      mutation
    )
    .map(([pre, post, m]) => mutate(pre + witness + post, m))

// A RegExp and INPUTS_PER_REGEX inputs for it.
const caseArb = regexpArb.chain((re) =>
  fc.tuple(
    fc.constant(re),
    fc.array(
      fc.oneof(
        { arbitrary: inputArb, weight: 1 },
        { arbitrary: nearMissArb(re.witness), weight: 2 }
      ),
      { minLength: INPUTS_PER_REGEX, maxLength: INPUTS_PER_REGEX }
    )
  )
)

// ---------------------------------------------------------------- helpers

/**
 * Compares Rust and JS on one pair and returns the Rust verdict. `re` may be passed in to
 * save constructing it; it must be a fresh RegExp without g/y (test() is then stateless).
 */
function compare (source, flags, input, re) {
  const v = jsRegexVerdict(source, flags, input)
  if (v !== -1) {
    const expected = (re || new RegExp(source, flags)).test(input) ? 1 : 0
    if (v !== expected) {
      throw new Error(
        `Rust says ${v}, JS says ${expected} for /${source}/${flags} on ${JSON.stringify(input)}`
      )
    }
  }
  return v
}

/** Compares over many inputs; returns how many Rust did not decide. */
function compareAll (source, flags, inputs) {
  const re = new RegExp(source, flags)
  let undecided = 0
  for (const input of inputs) {
    if (compare(source, flags, input, re) === -1) undecided += 1
  }
  return undecided
}

function compilesInJs (source, flags) {
  try {
    new RegExp(source, flags) // eslint-disable-line no-new -- compiling is the test
    return true
  } catch {
    return false
  }
}

const hex2 = (b) => b.toString(16).padStart(2, '0')
const LATIN1 = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b))

// ---------------------------------------------------------------- property

describe('js_regex translation agrees with JS RegExp.test', () => {
  test(
    `generated RegExps and origins (${PAIRS} pairs, seed ${SEED})`,
    () => {
      const stats = { pairs: 0, decided: 0, matched: 0 }
      fc.assert(
        fc.property(caseArb, ([{ source, flags, risky }, inputs]) => {
          for (const full of inputs) {
            const input = full.slice(0, risky ? RISKY_INPUT_CHARS : MAX_INPUT_CHARS)
            const v = compare(source, flags, input)
            stats.pairs += 1
            if (v !== -1) stats.decided += 1
            if (v === 1) stats.matched += 1
          }
        }),
        { seed: SEED, numRuns: Math.ceil(PAIRS / INPUTS_PER_REGEX) }
      )
      // The test must not be passable by refusing everything or never matching.
      expect(stats.pairs).toBeGreaterThanOrEqual(PAIRS)
      expect(stats.decided).toBeGreaterThan(stats.pairs * 0.3)
      expect(stats.matched).toBeGreaterThan(stats.decided * 0.05)
      if (process.env.RUST_CORS_FUZZ_RUNS) console.log('js_regex fuzz stats', stats)
    },
    Math.max(120_000, PAIRS * 10)
  )
})

// ---------------------------------------------------------------- examples

describe('js_regex known tricky cases', () => {
  test('Latin-1 case folding: every Latin-1 literal against every Latin-1 input', () => {
    for (const flags of ['', 'i', 'iu', 'u']) {
      for (let a = 0; a < 256; a++) {
        expect(compareAll(`^\\x${hex2(a)}$`, flags, LATIN1)).toBe(0)
      }
    }
  })

  test('class escapes, dot and negated classes over all Latin-1 inputs', () => {
    const sources = [
      '\\w', '\\W', '\\s', '\\S', '\\d', '\\D', '.', '[^]', '[]', '[^\\W]', '[^\\S]', '[^\\D]',
      '[\\W\\d]', '[^a-z]', '[à-þ]', '[^À-Þ]', '[\\x80-\\xff]', '\\bé', 'a\\B', '[^\\w\\s]',
    ]
    for (const flags of ['', 'i', 'iu', 's', 'isu']) {
      for (const s of sources) {
        expect(compareAll(s, flags, LATIN1)).toBe(0)
        expect(compareAll(s, flags, LATIN1.map((c) => `x${c}y`))).toBe(0)
      }
    }
  })

  test('chars above Latin-1 that fold onto Latin-1 are left to JS under i', () => {
    const cases = [
      ['\\u039c', 'µ'], ['\\u03bc', 'µ'], ['\\u0178', 'ÿ'], ['\\u212a', 'k'], ['\\u017f', 's'],
      ['\\u212b', 'å'], ['\\u1e9e', 'ß'], ['[\\u0100-\\u2200]', 'µ'],
    ]
    for (const [source, input] of cases) {
      expect(jsRegexVerdict(source, 'i', input)).toBe(-1)
      expect(jsRegexVerdict(source, 'iu', input)).toBe(-1)
      // Without i they never match Latin-1 input, and Rust says so.
      expect(compare(source, '', input)).toBe(0)
    }
    // JS really does match some of them, which is why they are refused.
    expect(/\u039c/i.test('µ')).toBe(true)
    expect(/\u212a/iu.test('k')).toBe(true)
    expect(/\u212a/i.test('k')).toBe(false)
  })

  test('\\W with u and i excludes s and k (they fold from U+017F / U+212A)', () => {
    for (const input of ['s', 'S', 'k', 'K', '-', 'é']) {
      expect(compare('\\W', 'iu', input)).not.toBe(-1)
      expect(compare('[^\\w]', 'iu', input)).not.toBe(-1)
      expect(compare('[^\\W]', 'iu', input)).not.toBe(-1)
    }
  })

  test('m flag anchors fall back to JS on \\r, decide everything else', () => {
    expect(jsRegexVerdict('^b$', 'm', 'a\rb')).toBe(-1)
    expect(compare('^b$', 'm', 'a\nb')).toBe(1)
    expect(compare('^b$', 'm', 'ab')).toBe(0)
    expect(compare('^b$', '', 'a\rb')).toBe(0)
    // Without m, $ is the end of input only (no final-newline rule).
    expect(compare('a$', '', 'a\n')).toBe(0)
    expect(compare('a.b', '', 'a\rb')).toBe(0)
    expect(compare('a.b', 's', 'a\rb')).toBe(1)
  })

  test('stateful and unsupported flags and features are refused', () => {
    for (const [source, flags] of [
      ['example\\.com$', 'g'], ['example\\.com$', 'y'], ['a', 'v'], ['(?=a)', ''], ['(?<=a)b', ''],
      ['(a)\\1', ''], ['(?<n>a)\\k<n>', ''], ['\\p{L}', 'u'], ['\\8', ''], ['a{', ''], ['a}', ''],
      [']', ''], ['\\c', ''], ['[\\d-z]', ''], ['a{1001}', ''], ['a'.repeat(10_001), ''],
    ]) {
      expect(jsRegexVerdict(source, flags, 'https://example.com')).toBe(-1)
    }
  })

  test('inputs that are not Latin-1 are left to JS', () => {
    expect(jsRegexVerdict('a', '', 'a\u0100')).toBe(-1)
    expect(jsRegexVerdict('a', '', 'a\uD800')).toBe(-1) // lone surrogate
    expect(jsRegexVerdict('a', '', 'a😀')).toBe(-1)
    expect(compare('a', '', 'a\xff')).toBe(1)
  })

  test('empty class, [^], Annex-B-free escapes', () => {
    expect(compare('a[]', '', 'a')).toBe(0)
    expect(compare('a[]*b', '', 'ab')).toBe(1)
    expect(compare('^[^]$', '', '\n')).toBe(1)
    expect(compare('^\\x41\\u0042\\cJ\\0$', '', 'AB\n\0')).toBe(1)
    expect(compare('^\\u{1F600}?a$', 'u', 'a')).toBe(1)
    expect(compare('^\\uD83D\\uDE00?a$', '', 'a')).toBe(0)
    expect(compare('^\\uD83D\\uDE00?a$', 'u', 'a')).toBe(1)
  })

  test('a catastrophic backtracking pattern is decided in Rust (linear time), not by backtracking', () => {
    const source = '^https:\\/\\/(a+)+\\.example\\.com$'
    const input = `https://${'a'.repeat(28)}!`
    expect(jsRegexVerdict(source, '', input)).toBe(0)
    expect(compare(source, '', 'https://aaa.example.com')).toBe(1)
  })

  test('typical origin patterns', () => {
    const cases = [
      ['^https:\\/\\/([a-z0-9-]+\\.)*example\\.com(:\\d{1,5})?$', ''],
      ['^https?:\\/\\/localhost(:\\d+)?$', ''],
      ['\\.example\\.com$', 'i'],
      ['^https:\\/\\/(?<sub>[\\w-]+)\\.example\\.(com|org)$', 'iu'],
    ]
    const inputs = [
      'https://example.com', 'https://a-b.example.com:8080', 'https://EXAMPLE.com',
      'http://localhost:3000', 'https://evil.com', 'https://example.com.evil.com',
      'https://x.example.org', 'null', 'undefined',
    ]
    for (const [source, flags] of cases) {
      for (const input of inputs) expect(compare(source, flags, input)).not.toBe(-1)
    }
  })
})
