'use strict'

// The cache in front of the compiler. It cannot answer for options it did
// not compile: a policy is compiled from a reading of the options (what cors
// reads, read once: lib/reading.js) and reused only for an equal reading.
// There is no key to collide.
//
// Two ways to find a remembered reading:
// - by the options object itself: a WeakMap from the user's options object
//   to its entry, so a policy lives as long as the app keeps its options
//   (memory follows the app's data; options built and dropped per request
//   take their entries with them). The object is read again against the
//   entry (lib/reading.js compares as it reads), so a mutated object compiles
//   anew.
// - by content, for options built afresh with the same values (a delegate's
//   `{ origin: [tenant.app, tenant.admin] }` per request, cors(options) per
//   request): the options' first origin string (reading.Probe), one Map
//   lookup on a string whose hash V8 keeps, then the options are read
//   against the entries found. Bounded: a few entries per probe, most recent
//   first, the oldest probes forgotten.

// An entry is a reading (lib/reading.js) with the policy compiled from it;
// the options object last found by content is kept on it (`seen`): found
// again, it is remembered by identity (it is being reused, not rebuilt).
class ReadingCache {
  constructor (maxProbes, perProbe) {
    this.maxProbes = maxProbes
    this.perProbe = perProbe
    this.byProbe = new Map()
  }

  // entry: a compiled reading (lib/reading.js: its policy set).
  add (entry) {
    const probe = entry.probe
    let bucket = this.byProbe.get(probe)
    if (bucket === undefined) {
      // Bounded: past the limit, the oldest probes are forgotten.
      if (this.byProbe.size >= this.maxProbes) this.byProbe.delete(this.byProbe.keys().next().value)
      bucket = []
      this.byProbe.set(probe, bucket)
    }
    if (bucket.length >= this.perProbe) bucket.pop()
    bucket.unshift(entry)
  }
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
    this.plain = [new ReadingCache(4096, 16), new ReadingCache(4096, 16)]
    this.withMatcher = [new ReadingCache(32, 4), new ReadingCache(32, 4)]
    this.byObject = [new WeakMap(), new WeakMap()]
  }

  // The entry remembered for this options object, if any.
  forObject (options, perRequest) {
    return options !== null && typeof options === 'object' ? this.byObject[perRequest ? 1 : 0].get(options) : undefined
  }

  // The remembered entries whose options have this probe text.
  bucket (text, perRequest, withMatcher) {
    const k = perRequest ? 1 : 0
    return (withMatcher ? this.withMatcher[k] : this.plain[k]).byProbe.get(text)
  }

  // `options` read as the reading of `entry`, found by content.
  foundFor (options, entry, perRequest) {
    if (options === null || typeof options !== 'object') return
    if (entry.seen === options) {
      this.byObject[perRequest ? 1 : 0].set(options, entry)
      entry.seen = null
    } else {
      entry.seen = options
    }
  }

  add (options, entry, perRequest) {
    const k = perRequest ? 1 : 0
    if (entry.policy.hasMatcher) this.withMatcher[k].add(entry)
    else this.plain[k].add(entry)
    if (options !== null && typeof options === 'object') this.byObject[k].set(options, entry)
  }
}

const policies = new PolicyCache()

module.exports = { policies, promote }
