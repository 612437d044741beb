'use strict'

// RustCorsWarning: each distinct (code, message) is emitted once per process,
// as Node does for deprecations, however many middleware instances report it
// (apps that build cors(options) per request would otherwise print one per
// request).

const emitted = new Set()

function warnOnce (code, message) {
  const key = code.length + ':' + code + message
  if (emitted.has(key)) return
  emitted.add(key)
  process.emitWarning(message, { type: 'RustCorsWarning', code })
}

// Where a policy's findings go: a sink array (explain collects them) or the
// process's warnings.
function report (findings, sink) {
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]
    if (sink) sink.push(finding)
    else warnOnce(finding.code, finding.fix ? finding.message + ' ' + finding.fix : finding.message)
  }
}

module.exports = { warnOnce, report }
