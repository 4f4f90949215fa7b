// The demo's tracing of the page's fetch, for the timeline: it wraps the
// page's fetch before authfetch loads (authfetch sends through the page's
// fetch). The demo's api.fetch calls carry a TRACE header naming their row;
// authfetch sends the retry identical but for the token, so the header names
// the row again.

/** The header that names a request's row. */
export const TRACE = 'X-Demo-Trace'

/**
 * Wraps globalThis.fetch so that attempts carrying TRACE, and calls of the
 * refresh endpoint, are drawn on timeline. Call it before createAuthFetch.
 */
export function traceFetch (timeline, refreshPath) {
  const pageFetch = globalThis.fetch
  globalThis.fetch = function fetch (input, init) {
    const trace = headerOf(input, init, TRACE)
    const path = new URL(input instanceof Request ? input.url : String(input), document.baseURI).pathname
    const res = pageFetch(input, init)
    if (trace) {
      const attempt = timeline.sent(trace, bearerOf(input, init))
      // An AbortError the demo did not ask for is authfetch calling the attempt
      // off: another request with the same token got its 401 first.
      res.then((r) => timeline.answered(trace, attempt, r.status),
        (e) => timeline.answered(trace, attempt, 0, e?.name === 'AbortError'))
    } else if (path === refreshPath) {
      const band = timeline.refreshStarted()
      res.then((r) => timeline.refreshEnded(band, r.status), () => timeline.refreshEnded(band, 0))
    }
    return res
  }
}

function headerOf (input, init, name) {
  if (init?.headers) {
    const v = new Headers(init.headers).get(name)
    if (v !== null) return v
  }
  return input instanceof Request ? input.headers.get(name) : null
}

function bearerOf (input, init) {
  const auth = headerOf(input, init, 'Authorization') ?? ''
  return auth.startsWith('Bearer ') ? auth.slice(7) : null
}

