'use strict'

// The cache in front of the compiler. It cannot answer for options it did
// not compile: a policy is compiled from a reading of the options (what cors
// reads, read once: lib/reading.js) and reused only for an equal reading.
// There is no key to collide (two probes hashed alike share a bucket).
//
// Two ways to find a remembered reading, and one to start from:
// - by the options object itself: a WeakMap from the user's options object
//   to its entry, so a policy lives as long as the app keeps its options
//   (memory follows the app's data; options built and dropped per request
//   take their entries with them). The object is read again against the
//   entry (lib/reading.js compares as it reads), so a mutated object compiles
//   anew.
// - by content, for options built afresh with the same values (a delegate's
//   `{ origin: [tenant.app, tenant.admin] }` per request, cors(options) per
//   request): the options' first origin string (reading.Probe), hashed to a
//   number (keyOf), one Map lookup, then the options are read against the
//   entries found. Bounded: a few entries per probe, most recent first, the
//   probes not found for longest forgotten; kept from a probe's second
//   compile (options never seen again keep nothing alive).
// - for options that differ only in origin strings, a recent entry to
//   compile them from (templates; lib/policy.js).

const { sameKeys, hasOriginStrings } = require('./reading')

// The content cache's key for a probe text: a number, so that a lookup
// never reads the strings already stored (each would be a cache miss; a
// Map keyed by strings compares them). Probes with the same key share a
// bucket, whose entries are compared with the options anyway. Hashed from
// the length, up to 32 code units after the first 8 (where origins start
// `https://`) and the last 8: a long origin string costs no more per
// request than a short one.
let lastText = null
let lastKey = 0
function keyOf (text) {
  if (text === lastText) return lastKey
  const n = text.length
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193)
  const end = n < 40 ? n : 40
  for (let i = n < 8 ? 0 : 8; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  for (let i = n - 8 > end ? n - 8 : end; i < n; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  lastText = text
  lastKey = h >>> 2 // a small integer: no heap number
  return lastKey
}

// How many probes compiled once are remembered: a table of their keys, two
// possible slots each (a probe whose slots others took is simply compiled
// once more).
const ONCE_SLOTS = 16384

// An entry is a reading (lib/reading.js) with the policy compiled from it;
// the options object last found by content is kept on it now and then
// (`seen`): found again, it is remembered by identity (it is being reused,
// not rebuilt).
class ReadingCache {
  constructor (maxProbes, perProbe) {
    this.maxProbes = maxProbes
    this.perProbe = perProbe
    // Two generations: probes are added to `young`; when it holds half the
    // bound, it becomes `old` and the previous old ones are forgotten. A
    // probe found in `old` moves back to `young`. (Deleting the oldest key
    // of one Map one at a time leaves V8's table full of holes that every
    // `keys().next()` walks again.)
    this.young = new Map()
    this.old = new Map()
    // The keys of probes compiled once, plus one (0: empty). Not a Map:
    // options with new origin strings on every request would add an entry
    // per request, and the growing tables cost the collector more than the
    // compile they prevent (about 400 ns per request, measured).
    this.once = new Int32Array(ONCE_SLOTS)
    // The key of the last lookup that found nothing: adding under it right
    // after (a compile that follows a miss) needs no second lookup.
    this.missed = null
  }

  get (text) {
    const probe = keyOf(text)
    const bucket = this.young.size === 0 ? undefined : this.young.get(probe)
    if (bucket !== undefined || this.old.size === 0) {
      this.missed = bucket === undefined ? probe : null
      return bucket
    }
    const aged = this.old.get(probe)
    if (aged !== undefined) {
      this.old.delete(probe)
      this.insert(probe, aged)
    }
    this.missed = aged === undefined ? probe : null
    return aged
  }

  insert (probe, bucket) {
    this.missed = null
    if (this.young.size >= this.maxProbes / 2) {
      this.old = this.young
      this.young = new Map()
    }
    this.young.set(probe, bucket)
  }

  // entry: a compiled reading (lib/reading.js: its policy set). Kept from
  // the second time its probe is compiled: the first time, only the probe's
  // key is remembered (`once`). Options built per request with values
  // never seen again (new origin strings every time) then leave nothing to
  // keep alive, and so nothing for the collector to copy and mark.
  add (entry) {
    const key = keyOf(entry.probe)
    const bucket = key === this.missed ? undefined : this.get(entry.probe)
    this.missed = null
    if (bucket === undefined) {
      const once = this.once
      const a = key & (ONCE_SLOTS - 1)
      const b = (key >>> 14) & (ONCE_SLOTS - 1)
      if (once[a] === key + 1 || once[b] === key + 1) {
        once[once[a] === key + 1 ? a : b] = 0
        this.insert(key, [entry]) // compiled twice: kept
      } else {
        once[once[a] === 0 || once[b] !== 0 ? a : b] = key + 1
      }
      return
    }
    if (bucket.length >= this.perProbe) bucket.pop()
    bucket.unshift(entry)
  }
}

// What the WeakMap keeps for an options object: the entry's flat form, made
// now, next to the entry in memory (a request that finds it touches nothing
// else), or the entry when it has none.
function byObject (entry) {
  const flat = entry.flatForm()
  return flat !== null ? flat : entry
}

// Moves a bucket's entry i to the front (most recent first).
function promote (bucket, i) {
  if (i > 0) {
    const entry = bucket[i]
    bucket.splice(i, 1)
    bucket.unshift(entry)
  }
}

// For the whole process: rustCors(options) (static) and every delegate (per
// request), apart. Policies that hold a native matcher (RegExps, patterns)
// are kept fewer by content: they are larger, and V8 does not see their
// memory.
class PolicyCache {
  constructor () {
    // Recent entries whose origin is origin strings, with distinct key
    // lists: what new options are read against (lib/policy.js,
    // readAgainstTemplate).
    this.templates = [[], []]
    this.plain = [new ReadingCache(4096, 16), new ReadingCache(4096, 16)]
    this.withMatcher = [new ReadingCache(32, 4), new ReadingCache(32, 4)]
    this.byObject = [new WeakMap(), new WeakMap()]
  }

  // What is remembered for this options object, if any: its entry's flat
  // form (lib/reading.js: the policy, the entry, what was read), else the
  // entry.
  forObject (options, perRequest) {
    return options !== null && typeof options === 'object' ? this.byObject[perRequest ? 1 : 0].get(options) : undefined
  }

  // The remembered entries whose options have this probe text.
  bucket (text, perRequest, withMatcher) {
    const k = perRequest ? 1 : 0
    return (withMatcher ? this.withMatcher[k] : this.plain[k]).get(text)
  }

  // `options` read as the reading of `entry`, found by content.
  // The object is kept on the entry one time in eight: an object an app
  // reuses is soon found as itself, while options built per request (a
  // new object every time) are not written into a long-lived entry on
  // every request (each such write is remembered by the collector, and
  // keeps the object alive until the next one).
  foundFor (options, entry, perRequest) {
    if (options === null || typeof options !== 'object') return
    if (entry.seen === options) {
      this.byObject[perRequest ? 1 : 0].set(options, byObject(entry))
      entry.seen = null
    } else if ((++entry.found & 7) === 0) {
      entry.seen = options
    }
  }

  // A recent entry with origin strings and these keys, or null.
  templateFor (keys, perRequest) {
    const list = this.templates[perRequest ? 1 : 0]
    for (let i = 0; i < list.length; i++) {
      if (sameKeys(keys, list[i].keys)) return list[i]
    }
    return null
  }

  add (options, entry, perRequest) {
    const k = perRequest ? 1 : 0
    if (hasOriginStrings(entry)) {
      const list = this.templates[k]
      let i = 0
      while (i < list.length && !sameKeys(list[i].keys, entry.keys)) i++
      if (i === 0 && list.length > 0) {
        list[0] = entry // the usual case: the same keys as the last one
      } else {
        if (i < list.length) list.splice(i, 1)
        else if (list.length >= 4) list.pop()
        list.unshift(entry)
      }
    }
    if (entry.policy.hasMatcher) this.withMatcher[k].add(entry)
    else this.plain[k].add(entry)
    // A delegate's options object is remembered at once: an app that keeps
    // one per tenant (any number of them) finds its policy by identity from
    // the second request on, as long as it keeps the object. Other options
    // objects are remembered when found again by content (foundFor).
    if (perRequest && options !== null && typeof options === 'object') this.byObject[k].set(options, byObject(entry))
  }
}

const policies = new PolicyCache()

module.exports = { policies, promote }
