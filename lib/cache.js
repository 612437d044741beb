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
//   request): the first and the last string of the reading (origins,
//   usually), two Map lookups on strings whose hashes V8 keeps, then a
//   comparison of every part. Bounded: a few entries per probe, most recent
//   first, the oldest probes forgotten.

class Entry {
  constructor (reading, policy) {
    this.reading = reading
    this.policy = policy
    // The options object last found by content: found again, it is
    // remembered by identity (it is being reused, not rebuilt).
    this.seen = null
  }
}

class ReadingCache {
  constructor (maxProbes, perProbe) {
    this.maxProbes = maxProbes
    this.perProbe = perProbe
    this.size = 0
    this.byFirst = new Map()
  }

  find (reading, perRequest) {
    const byLast = this.byFirst.get(reading.firstString())
    const bucket = byLast === undefined ? undefined : byLast.get(reading.lastString())
    if (bucket === undefined) return undefined
    for (let i = 0; i < bucket.length; i++) {
      const entry = bucket[i]
      if (entry.policy.perRequest === perRequest && entry.reading.equals(reading)) {
        if (i > 0) {
          bucket.splice(i, 1)
          bucket.unshift(entry)
        }
        return entry
      }
    }
    return undefined
  }

  add (entry) {
    const first = entry.reading.firstString()
    const last = entry.reading.lastString()
    let byLast = this.byFirst.get(first)
    let bucket = byLast === undefined ? undefined : byLast.get(last)
    if (bucket === undefined) {
      // Bounded: past the limit, the oldest first strings are forgotten.
      while (this.size >= this.maxProbes) {
        const [oldest, forgotten] = this.byFirst.entries().next().value
        this.byFirst.delete(oldest)
        this.size -= forgotten.size
        if (oldest === first) byLast = undefined
      }
      if (byLast === undefined) {
        byLast = new Map()
        this.byFirst.set(first, byLast)
      }
      bucket = []
      byLast.set(last, bucket)
      this.size++
    }
    if (bucket.length >= this.perProbe) bucket.pop()
    bucket.unshift(entry)
  }
}

// For the whole process: rustCors(options) and every delegate. Policies that
// hold a native matcher (RegExps, patterns) are kept fewer by content: they
// are larger, and V8 does not see their memory.
class PolicyCache {
  constructor () {
    this.plain = new ReadingCache(4096, 16)
    this.withMatcher = new ReadingCache(32, 4)
    // By options object, apart for delegates (per request) and static options.
    this.byObject = [new WeakMap(), new WeakMap()]
  }

  // The entry remembered for this options object, if any.
  forObject (options, perRequest) {
    return options !== null && typeof options === 'object' ? this.byObject[perRequest ? 1 : 0].get(options) : undefined
  }

  find (reading, perRequest) {
    const entry = this.plain.find(reading, perRequest)
    return entry !== undefined ? entry : this.withMatcher.find(reading, perRequest)
  }

  // `options` reads as the reading of `entry`, found by content.
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
    if (entry.policy.hasMatcher) this.withMatcher.add(entry)
    else this.plain.add(entry)
    if (options !== null && typeof options === 'object') this.byObject[perRequest ? 1 : 0].set(options, entry)
  }
}

const policies = new PolicyCache()

module.exports = { Entry, policies }
