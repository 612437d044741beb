'use strict'

// Why rust-cors refused an origin, for the diagnoses (explain(), NODE_DEBUG).
// A leaf: the request path records here, the diagnoses read here, and
// neither imports the other for it.

// A request explain() (or NODE_DEBUG's dry run) runs carries a slot under
// this key; the middleware records there why it refused the origin: 'list'
// (not in the origin list) or 'callback' (the origin callback refused it).
// Real requests have no slot.
const REFUSAL = Symbol('rust-cors refusal')

function refusalSlot () {
  return { by: null }
}

// The near-miss entries among a policy's findings ({ entry, serialized }:
// an origin-list entry no browser's Origin can equal, and how a browser
// writes it).
const NONE = Object.freeze([])

function nearMissesOf (findings) {
  if (findings.length === 0) return NONE
  const out = []
  for (const f of findings) {
    if (f.nearMiss !== undefined) out.push(f.nearMiss)
  }
  return out
}

module.exports = { REFUSAL, refusalSlot, nearMissesOf }
