'use strict'

// Output for bench.js: system info, the markdown table, a hand-written SVG bar
// chart of the ratios (no dependency).

const os = require('node:os')

function systemInfo () {
  const cpus = os.cpus()
  return {
    cpu: cpus.length ? cpus[0].model.trim() : 'unknown CPU',
    cores: cpus.length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8
  }
}

function ns (x) {
  if (x === undefined || x === null || Number.isNaN(x)) return '—'
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} ms`
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)} µs`
  return String(Math.round(x))
}
const ratio = (x) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(x < 0.1 ? 3 : 2))

function targetCell (checks) {
  if (!checks || !checks.length) return ''
  return checks.map((c) => {
    if (c.value === undefined) return `**MISS** (${c.detail})`
    if (c.info) return `info (${c.what} target ${c.limit} ${c.info === true ? 'not applied' : c.info})`
    return c.ok ? `PASS (≤ ${c.limit})` : `**MISS** (> ${c.limit}, +${((c.value / c.limit - 1) * 100).toFixed(0)}%)`
  }).join('; ')
}

function markdown (result) {
  const { system: s, config: c, rows, backtrack: bt } = result
  const out = []
  out.push(`**rust-cors vs cors@2.8.6** — ${s.cpu} ×${s.cores}, ${s.memGiB} GiB, ${s.os}, Node ${s.node} (V8 ${s.v8}); ` +
    `${c.quick ? 'quick' : 'full'} run, median of ${c.rounds} interleaved rounds (tinybench, batched), ns/op.`)
  out.push('')
  out.push('| Row | req/res | cors | rust-cors | floor | rust/cors | rust/floor | target |')
  out.push('|---|---|---:|---:|---:|---:|---:|---|')
  let section = ''
  for (const r of rows) {
    if (r.section !== section) {
      section = r.section
      out.push(`| *${section}* | | | | | | | |`)
    }
    if (r.error) {
      out.push(`| ${r.label} | ${r.res} | | | | | | **ERROR** ${String(r.error).split('\n')[0].replace(/\|/g, '\\|')} |`)
      continue
    }
    let label = r.label.replace(/\|/g, '\\|')
    if (!r.parity) label += ' ⚠ headers ≠ cors'
    let extra = ''
    if (r.vsDefaultPreflight !== undefined) extra = ` (×${r.vsDefaultPreflight.toFixed(1)} default preflight)`
    out.push(`| ${label} | ${r.res} | ${ns(r.cors)} | ${ns(r.rust)} | ${ns(r.floor)} | ${ratio(r.ratioCors)} | ${ratio(r.ratioFloor)} | ${targetCell(r.checks)}${extra} |`)
  }
  if (bt) {
    if (bt.rust && bt.rust.error) {
      out.push(`| backtracking origin, \`${bt.pattern}\` | mock | | | | | | **ERROR** ${bt.rust.error} |`)
    } else if (bt.rust) {
      const corsMs = bt.corsAt28Ms
      const corsTxt = `${corsMs.toFixed(2)} ms${bt.corsAt28Extrapolated ? ' (extrap.)' : ''} once`
      out.push(`| backtracking origin 'https://'+28×'a'+'!' vs \`${bt.pattern}\` | mock | ${corsTxt} | ${ns(bt.rust.medianMs * 1e6)} | | ${ratio(bt.rust.medianMs / corsMs)} | | ${targetCell([{ ...bt.check, limit: `${bt.check.limit} ms` }])} |`)
    }
  }
  out.push('')
  out.push('floor = the same setHeader/statusCode/end calls with constant strings and no logic. Targets: rust/cors ≤ 0.33 static GET, ≤ 0.1 for 1,000-origin and 100-RegExp rows, ≤ 0.5 preflight (mock); ' +
    'rust/floor ≤ 1.3 on real ServerResponse (≤ 2.0 delegate/callback); ACRH of 10,000 names ≤ 20× the default preflight; backtracking origin < 0.1 ms. ' +
    'Issue 10 rows: ≤ 1.0× cors (shared-array delegate ≤ 0.5×, cold string-only build ≤ 2×: replaced by the issue 19 rows, only origin strings new ≤ 2× and every field new ≤ 10×; 10 KB Origin vs 1,000 exact ≤ 0.5×); patterns ≤ 300 ns (1,000) and ≤ 1 µs (100,000) per request, rust-cors only ' +
    '(cors has no patterns; its equivalent would be as many RegExps, tested one by one). Every header value is a fresh string per request on every side.')
  if (bt && bt.cors && bt.cors.length) {
    out.push(`cors on the backtracking origin (each run once): ${bt.cors.map((x) => `${x.n}×a ${x.ms.toFixed(2)} ms`).join(', ')}; ` +
      `×${bt.growthPerA.toFixed(2)} per extra 'a', ≈1 s at ${bt.aForOneSecond}×a.`)
  }
  return out.join('\n')
}

// ------------------------------------------------------------------ SVG

const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

function panel (title, items, axisMax, y0, width) {
  // items: { label, value, limit, ok }
  const labelW = 360
  const barW = width - labelW - 90
  const rowH = 18
  const parts = []
  parts.push(`<text x="10" y="${y0 + 16}" font-size="14" font-weight="bold">${esc(title)}</text>`)
  const top = y0 + 28
  const x = (v) => labelW + (Math.min(v, axisMax) / axisMax) * barW
  // grid
  const step = axisMax <= 1.5 ? 0.25 : axisMax <= 4 ? 0.5 : 1
  for (let g = 0; g <= axisMax + 1e-9; g += step) {
    const gx = x(g).toFixed(1)
    parts.push(`<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${top + items.length * rowH}" stroke="#ddd"/>`)
    parts.push(`<text x="${gx}" y="${top + items.length * rowH + 12}" font-size="10" text-anchor="middle" fill="#666">${g.toFixed(2).replace(/0$/, '')}</text>`)
  }
  const one = x(1).toFixed(1)
  parts.push(`<line x1="${one}" y1="${top - 4}" x2="${one}" y2="${top + items.length * rowH}" stroke="#999" stroke-dasharray="3,2"/>`)
  items.forEach((it, i) => {
    const y = top + i * rowH
    const color = it.limit === undefined || it.info ? '#78909c' : it.ok ? '#2e7d32' : '#c62828'
    parts.push(`<text x="${labelW - 6}" y="${y + 12}" font-size="11" text-anchor="end">${esc(it.label)}</text>`)
    if (Number.isFinite(it.value)) {
      const w = Math.max(1, x(it.value) - labelW)
      parts.push(`<rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${color}"/>`)
      const over = it.value > axisMax ? ' ▶' : ''
      parts.push(`<text x="${(labelW + w + 4).toFixed(1)}" y="${y + 12}" font-size="10">${it.value.toFixed(it.value < 0.1 ? 3 : 2)}${over}</text>`)
    } else {
      parts.push(`<text x="${labelW + 4}" y="${y + 12}" font-size="10" fill="#c62828">error</text>`)
    }
    if (it.limit !== undefined) {
      const tx = x(it.limit).toFixed(1)
      parts.push(`<line x1="${tx}" y1="${y}" x2="${tx}" y2="${y + rowH - 1}" stroke="#000" stroke-width="2"/>`)
    }
  })
  return { svg: parts.join('\n'), height: 28 + items.length * rowH + 24 }
}

function svg (result) {
  const width = 980
  const { rows, system: s } = result
  const item = (r, field, which) => {
    const c = (r.checks || []).find((k) => k.what === which)
    return { label: `${r.label}${r.parity === false ? ' (≠ cors)' : ''}`, value: r.error ? NaN : r[field], limit: c ? c.limit : undefined, ok: c ? c.ok : true, info: c ? !!c.info : false }
  }
  const mock = rows.filter((r) => r.res === 'mock' && r.kind !== 'worst' && r.kind !== 'acrh' && r.kind !== 'patterns').map((r) => item(r, 'ratioCors', 'rust/cors'))
  const real = rows.filter((r) => r.res === 'real' && r.kind !== 'worst' && r.kind !== 'acrh').map((r) => item(r, 'ratioFloor', 'rust/floor'))
  const worst = rows.filter((r) => r.kind === 'worst' || r.kind === 'acrh').map((r) => ({ label: `${r.label} [${r.res}]`, value: r.error ? NaN : r.ratioCors }))
  let y = 40
  const parts = []
  for (const [title, items, max] of [
    ['rust-cors / cors@2.8.6, mock req/res (lower is better; black tick = target)', mock, 1.2],
    ['rust-cors / floor, real http.ServerResponse (floor = same setHeader/end calls, no logic)', real, 3],
    ['worst cases: rust-cors / cors', worst, 1.2]
  ]) {
    if (!items.length) continue
    const p = panel(title, items, max, y, width)
    parts.push(p.svg)
    y += p.height + 10
  }
  const head = `<text x="10" y="22" font-size="15" font-weight="bold">${esc(`rust-cors benchmark — ${s.cpu} ×${s.cores}, Node ${s.node}, ${result.generated.slice(0, 10)}`)}</text>`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="Helvetica, Arial, sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
${head}
${parts.join('\n')}
</svg>
`
}

module.exports = { systemInfo, markdown, svg }
