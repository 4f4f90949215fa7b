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
export function run(name, n, inFlight) {
  return drive(name, contenders[name].request, n, inFlight)
}

/**
 * The engine's overhead, with stub.js' fetch in place of the browser's: n
 * calls of contender name's fetch (api.fetch; no body is read), inFlight at
 * a time, or, for 'direct', of the stub itself with the header set by hand
 * as plain fetch sets it. Returns the milliseconds until the last settled.
 */
export function calls(name, n, inFlight) {
  const f = name === 'direct' ? direct : contenders[name].fetch
  return drive(name, async (url) => (await f(url)).status, n, inFlight)
}

const direct = (url) => globalThis.fetch(url, {
  headers: { Authorization: `Bearer ${localStorage.getItem('accessToken')}` },
})

/** Runs request(API) n times, inFlight at a time; throws unless each gave 200. */
async function drive(name, request, n, inFlight) {
  let started = 0
  let failures = 0
  let first = null
  const worker = async () => {
    while (started < n) {
      started++
      try {
        const status = await request(API)
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

/** Where every contender refreshes. */
const REFRESH_PATH = '/auth/refresh-token'

/**
 * The refresh storm: the driver has revoked the stored access token; n
 * requests start at once, each with the contender's request, or its storm()
 * when it has one (plain fetch's: the storm handled by hand). With valid,
 * the token is good and the contender's plain request is used: the floor.
 * Returns the milliseconds until all settled, how they ended, and, where
 * the contender's requests go through globalThis.fetch, the milliseconds
 * from the first 401 to the refresh (watchFetch). A contender's final 401s
 * are its behaviour, not a bench failure.
 */
export async function storm(name, n, valid = false) {
  const c = contenders[name]
  const request = !valid && c.storm ? c.storm() : c.request
  const watch = watchFetch()
  const t0 = performance.now()
  let results
  try {
    results = await Promise.allSettled(Array.from({ length: n }, () => request(API)))
  } finally {
    watch.stop()
  }
  const ms = performance.now() - t0
  const out = { ms, ok: 0, unauthorized: 0, other: 0, rejected: 0, firstRejection: '', toRefresh: watch.toRefresh() }
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
 * Wraps globalThis.fetch for one storm, to time in the page how long a
 * contender takes from the first refresh status to its refresh: from the
 * moment the first 401 reaches the wrapper (its callback runs before the
 * caller's, which it was attached before) to the moment the refresh POST is
 * handed to fetch. Contenders that read globalThis.fetch at each call go
 * through it (authfetch, ky, the hand-written one, plain fetch); axios, which
 * sends with XMLHttpRequest, does not: toRefresh() is null then. The wrapper
 * looks at responses only until the first 401.
 */
function watchFetch() {
  const real = globalThis.fetch
  let first401 = 0
  let refreshSent = 0
  const seen = (res) => {
    if (res.status === 401 && first401 === 0) first401 = performance.now()
  }
  globalThis.fetch = (input, init) => {
    if (refreshSent === 0) {
      const url = typeof input === 'string' ? input : input instanceof Request ? input.url : String(input)
      if (url.includes(REFRESH_PATH)) refreshSent = performance.now()
    }
    const p = real(input, init)
    if (first401 === 0) p.then(seen, () => {})
    return p
  }
  return {
    stop() { globalThis.fetch = real },
    toRefresh: () => (first401 && refreshSent ? refreshSent - first401 : null),
  }
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
