'use strict'

// Issue 20 item 4: the policy cache must never hand out a policy it did not
// compile. A remembered policy is reused only when everything cors reads on a
// request reads the same (arrays element by element, objects through the
// conversion cors applies: join, toString), and rust-cors reads each value
// once per request. Every check runs cors@2.8.6 and rust-cors side by side,
// each on its own copy of the options (built by the same function), and
// compares what each did to the response: the setHeader calls in order
// (values as text: cors keeps some values as given, rust-cors writes their
// text), the status, end() and next().

const fc = require('fast-check')
const cors = require('cors')
const rustCors = require('..')
const { silenceWarnings, runTraced: run } = require('./helpers/mock')

silenceWarnings()

const A = 'https://a.example.com'
const B = 'https://b.example.com'

// A header list that is not an array: cors calls its join().
class HeaderList {
  constructor (names) { this.names = names }
  join (sep) { return this.names.join(sep) }
}

describe('equal reads mean an equal policy (issue 20, item 4)', () => {
  test('a delegate returning the same header-list object (a class with join) sees the list change', () => {
    const side = (factory) => {
      const list = new HeaderList(['X-One'])
      const opts = { origin: A, exposedHeaders: list, allowedHeaders: list }
      const mw = factory((req, cb) => cb(null, opts))
      const seen = [run(mw, 'GET', A), run(mw, 'OPTIONS', A)]
      list.names.push('X-Two')
      seen.push(run(mw, 'GET', A), run(mw, 'OPTIONS', A))
      list.names = []
      seen.push(run(mw, 'GET', A), run(mw, 'OPTIONS', A))
      return seen
    }
    const expected = side(cors)
    expect(expected[2].calls).toContainEqual(['Access-Control-Expose-Headers', 'X-One,X-Two'])
    expect(side(rustCors)).toEqual(expected)
  })

  test("maxAge ['600'] with its own toString compiled first does not make a plain ['600'] send its text", () => {
    const side = (factory) => {
      const odd = ['600']
      odd.toString = () => '60'
      const first = factory({ maxAge: odd })
      const plain = factory({ maxAge: ['600'] })
      const viaDelegate = factory((req, cb) => cb(null, { maxAge: req.headers.origin === A ? odd : ['600'] }))
      return [run(first, 'OPTIONS', A), run(plain, 'OPTIONS', A), run(viaDelegate, 'OPTIONS', A), run(viaDelegate, 'OPTIONS', B)]
    }
    const expected = side(cors)
    expect(expected[1].calls).toContainEqual(['Access-Control-Max-Age', '600'])
    expect(side(rustCors)).toEqual(expected)
  })

  test('an object maxAge whose toString changes is read on every request', () => {
    const side = (factory) => {
      const age = { text: '10', toString () { return this.text } }
      const mw = factory((req, cb) => cb(null, { maxAge: age }))
      const seen = [run(mw, 'OPTIONS', A)]
      age.text = '20'
      seen.push(run(mw, 'OPTIONS', A))
      return seen
    }
    expect(side(rustCors)).toEqual(side(cors))
  })

  test('array elements defined as getters are read at most once per request', () => {
    const side = (factory, reads) => {
      const origins = []
      let current = B
      Object.defineProperty(origins, 0, { enumerable: true, get () { reads.origin++; return current } })
      Object.defineProperty(origins, 1, { enumerable: true, get () { reads.origin++; return 'https://c.example.com' } })
      const methods = ['GET']
      Object.defineProperty(methods, 1, { enumerable: true, get () { reads.methods++; return 'PUT' } })
      const opts = { origin: origins, methods }
      const mw = factory((req, cb) => cb(null, opts))
      const seen = []
      for (let i = 0; i < 4; i++) {
        const before = { ...reads }
        seen.push(run(mw, i % 2 ? 'OPTIONS' : 'GET', A))
        if (i === 1) current = A
        // at most one read of each element per request
        expect(reads.origin - before.origin).toBeLessThanOrEqual(2)
        expect(reads.methods - before.methods).toBeLessThanOrEqual(1)
      }
      return seen
    }
    const rustReads = { origin: 0, methods: 0 }
    expect(side(rustCors, rustReads)).toEqual(side(cors, { origin: 0, methods: 0 }))
  })

  test('a stateful RegExp in a list runs on the elements read for this request, in order', () => {
    const side = (factory) => {
      const re = /a\.example\.com$/g
      const opts = { origin: ['https://x.example.com', re] }
      const mw = factory((req, cb) => cb(null, opts))
      return [A, A, A, B, A].map((o) => run(mw, 'GET', o))
    }
    expect(side(rustCors)).toEqual(side(cors))
  })
})

// -- property: every option form, mutated between requests ------------------

// Forms of values, built afresh for each side (its own RegExps and objects).
// `mutate` changes a value in place the way an app might.
const FORMS = {
  origin: [
    () => A,
    () => new String(A), // eslint-disable-line no-new-wrappers
    () => [A, B],
    () => [[A], ['https://c.example.com']],
    () => /a\.example\.com$/,
    () => /example\.com$/g,
    () => [B, /^https:\/\/a\./],
    () => true,
    () => '*',
    () => false,
    () => { const list = [B]; Object.defineProperty(list, 1, { enumerable: true, configurable: true, get () { return A } }); return list }
  ],
  methods: [
    () => 'GET,PUT',
    () => ['GET', 'PUT'],
    () => new HeaderList(['GET', 'PATCH']),
    () => { const list = ['GET']; list.join = function () { return 'DELETE' }; return list },
    () => new String('POST'), // eslint-disable-line no-new-wrappers
    () => [1, 2]
  ],
  allowedHeaders: [
    () => 'X-A',
    () => ['X-A', 'X-B'],
    () => new HeaderList(['X-C']),
    () => '',
    () => []
  ],
  exposedHeaders: [
    () => 'X-E',
    () => ['X-E', 'X-F'],
    () => new HeaderList(['X-G']),
    () => ({ toString () { return 'X-H' } })
  ],
  maxAge: [
    () => 600,
    () => '600',
    () => ['600'],
    () => { const v = ['600']; v.toString = () => '60'; return v },
    () => ({ n: 5, toString () { return String(this.n) } }),
    () => NaN
  ],
  credentials: [() => true, () => false, () => 'true'],
  preflightContinue: [() => false, () => true],
  optionsSuccessStatus: [() => 200, () => 204]
}
const NAMES = Object.keys(FORMS)

// In-place changes of whatever value an option holds now.
function mutateInPlace (value, op) {
  if (Array.isArray(value)) {
    if (op === 0) value.push(op % 2 ? A : 'X-Pushed')
    else if (op === 1 && value.length > 0) value.pop()
    else if (value.length > 0) value[0] = op === 2 ? B : A
  } else if (value instanceof HeaderList) {
    if (op === 0) value.names.push('X-Pushed')
    else value.names = op === 1 ? [] : ['X-Replaced']
  } else if (value instanceof RegExp) {
    if (op === 0) value.lastIndex = 0
    else if (op === 1) value.test = () => true
  } else if (value !== null && typeof value === 'object' && 'n' in value) {
    value.n = op + 1
  }
}

const step = fc.record({
  change: fc.oneof(
    fc.record({ kind: fc.constant('set'), name: fc.constantFrom(...NAMES), form: fc.nat(20) }),
    fc.record({ kind: fc.constant('delete'), name: fc.constantFrom(...NAMES) }),
    fc.record({ kind: fc.constant('mutate'), name: fc.constantFrom(...NAMES), op: fc.nat(3) }),
    fc.record({ kind: fc.constant('none') })
  ),
  method: fc.constantFrom('GET', 'OPTIONS'),
  origin: fc.constantFrom(A, B, 'https://c.example.com', undefined),
  acrh: fc.constantFrom(undefined, 'x-a')
})

// mode: how the options reach the middleware. 'same': a delegate returns
// the one mutable object; 'copy': a delegate returns a new object with the
// same values each time; 'factory': cors(options) built per request.
function replay (factory, mode, steps) {
  const opts = {}
  const mw = mode === 'factory' ? null : factory((req, cb) => cb(null, mode === 'same' ? opts : { ...opts }))
  const seen = []
  for (const s of steps) {
    const c = s.change
    if (c.kind === 'set') opts[c.name] = FORMS[c.name][c.form % FORMS[c.name].length]()
    else if (c.kind === 'delete') delete opts[c.name]
    else if (c.kind === 'mutate') mutateInPlace(opts[c.name], c.op)
    const target = mw === null ? factoryOnce(factory, opts) : mw
    seen.push(target === null ? 'construction threw' : run(target, s.method, s.origin, s.acrh))
  }
  return seen
}

function factoryOnce (factory, opts) {
  try {
    return factory(opts)
  } catch {
    return null
  }
}

describe('property: options mutated between requests answer like cors', () => {
  test.each(['same', 'copy', 'factory'])('options reach the middleware as %s', (mode) => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
      expect(replay(rustCors, mode, steps)).toEqual(replay(cors, mode, steps))
    }), { numRuns: 300 })
  })
})

describe('options with an own __proto__ key (JSON.parse makes them)', () => {
  test('are merged as cors merges them on every request, next to the same options without it', () => {
    const side = (factory) => {
      const plain = () => ({ origin: A })
      const withProto = () => JSON.parse(`{"__proto__": {"credentials": true, "exposedHeaders": "X-P"}, "origin": "${A}"}`)
      let turn = 0
      const mw = factory((req, cb) => cb(null, turn++ % 2 ? withProto() : plain()))
      return [0, 1, 2, 3].map(() => run(mw, 'GET', A)).concat([run(factory(withProto()), 'GET', A), run(factory(plain()), 'GET', A)])
    }
    const expected = side(cors)
    expect(expected[1].calls).toContainEqual(['Access-Control-Allow-Credentials', 'true'])
    expect(side(rustCors)).toEqual(expected)
  })
})
