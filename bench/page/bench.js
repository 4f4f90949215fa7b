// The in-page half of the bench: the Go driver (bench/*.go) calls these
// functions through CDP and reads what they return. Every time is taken here
// with performance.now(), never over CDP.

/** The protected endpoint every contender calls. */
const API = '/api/item'

/** The contenders loaded in this page, by name. */
const contenders = {}

/** Imports ./contenders/NAME.js for each name and sets it up, with options[NAME] if given. */
export async function load(names, options = {}) {
  for (const name of names) {
    const mod = await import(`./contenders/${name}.js`)
    contenders[name] = await mod.setup(options[name])
  }
}

/** Stores a fresh token pair where every contender reads it. */
export async function login() {
  const res = await fetch('/login', { method: 'POST' })
  const t = await res.json()
  localStorage.setItem('accessToken', t.accessToken)
  localStorage.setItem('refreshToken', t.refreshToken)
}

/**
 * Sends n requests with contender name, inFlight at a time, and returns the
 * milliseconds until the last one settled. Anything but a 200 throws: in these
 * workloads the token is valid, so a failure means the contender is broken.
 */
export async function run(name, n, inFlight) {
  const c = contenders[name]
  let started = 0
  let failures = 0
  let first = null
  const worker = async () => {
    while (started < n) {
      started++
      try {
        const status = await c.request(API)
        if (status !== 200) {
          failures++
          first ??= `HTTP ${status}`
        }
      } catch (err) {
        failures++
        first ??= `${err?.name}: ${err?.message}`
      }
    }
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, worker))
  const ms = performance.now() - t0
  if (failures > 0) throw new Error(`${name}: ${failures} of ${n} requests failed; the first: ${first}`)
  return ms
}

/**
 * The refresh storm: the driver has revoked the stored access token; n
 * requests start at once. Returns the milliseconds until all settled and how
 * they ended. A contender's final 401s are its behaviour, not a bench failure.
 */
export async function storm(name, n) {
  const c = contenders[name]
  const t0 = performance.now()
  const results = await Promise.allSettled(Array.from({ length: n }, () => c.request(API)))
  const ms = performance.now() - t0
  const out = { ms, ok: 0, unauthorized: 0, other: 0, rejected: 0, firstRejection: '' }
  for (const r of results) {
    if (r.status === 'rejected') {
      out.rejected++
      out.firstRejection ||= `${r.reason?.name}: ${r.reason?.message}`
    } else if (r.value === 200) out.ok++
    else if (r.value === 401) out.unauthorized++
    else out.other++
  }
  return out
}

/**
 * Times a refresh round trip with the browser's fetch (and stores the new
 * pair): the median of five in a row, so that one slow moment of the page
 * does not stand for the round trip the storm target adds.
 */
export async function refreshRoundTrip() {
  const times = []
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    const res = await fetch('/auth/refresh-token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: localStorage.getItem('refreshToken') }),
    })
    const t = await res.json()
    times.push(performance.now() - t0)
    if (!res.ok) throw new Error(`refresh: HTTP ${res.status}`)
    localStorage.setItem('accessToken', t.accessToken)
    localStorage.setItem('refreshToken', t.refreshToken)
  }
  return times.sort((a, b) => a - b)[2]
}
