// The demo page's server switches: each posts to a /demo/ route of the demo
// API, and the buttons show what GET /demo/stats says is in force.
import { kindOf, log } from '/static/log.js'

/** Posts a demo switch with plain fetch (the switches are not authfetch's business) and logs the answer. */
export async function post (path, body) {
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body)
    })
    log(kindOf(res.status), `POST ${path} ${body ? JSON.stringify(body) : ''} → ${res.status}`)
    return res.ok
  } catch (err) {
    log('bad', `POST ${path} failed: ${err.message}`)
    return false
  }
}

/**
 * The segmented switches: the data attribute that marks a button, the route
 * it posts to, the body of a button's value, and the value stats says is in force.
 */
const SWITCHES = [
  { attr: 'mode', path: '/demo/fail-refresh', body: (v) => ({ mode: v }), current: (s) => s.refreshMode },
  { attr: 'grace', path: '/demo/grace', body: (v) => ({ on: v === 'on' }), current: (s) => (s.graceWindowMs > 0 ? 'on' : 'off') },
  { attr: 'delay', path: '/demo/refresh-delay', body: (v) => ({ ms: Number(v) }), current: (s) => String(s.refreshDelayMs) }
]

/** Wires the switch buttons; after each, changed() runs (a stats poll). */
export function wireSwitches (changed) {
  document.getElementById('revoke').addEventListener('click', async () => { await post('/demo/revoke'); changed() })
  for (const sw of SWITCHES) {
    for (const b of document.querySelectorAll(`[data-${sw.attr}]`)) {
      b.addEventListener('click', async () => { await post(sw.path, sw.body(b.dataset[sw.attr])); changed() })
    }
  }
}

/** Shows which button of each switch is in force, and the grace window's length. */
export function renderSwitches (stats) {
  for (const sw of SWITCHES) {
    for (const b of document.querySelectorAll(`[data-${sw.attr}]`)) {
      b.setAttribute('aria-pressed', String(b.dataset[sw.attr] === sw.current(stats)))
    }
  }
  for (const b of document.querySelectorAll('[data-cookie]')) {
    b.setAttribute('aria-pressed', String((b.dataset.cookie === 'on') === stats.refreshCookie))
  }
  for (const b of document.querySelectorAll('[data-dpop]')) {
    b.setAttribute('aria-pressed', String((b.dataset.dpop === 'on') === stats.dpop))
  }
}
