// The refresh request, sent for the module: authfetch's own POST to the
// refresh URL, never through api.fetch, so it is never intercepted and never
// carries the access token. The module decides when to refresh and what the
// body is; this helper adds the app's refreshInit, the DPoP proof, and hands
// the request to the refresh courier when there is one.

/**
 * Returns post(url, contentType, body, dpop, refreshToken, ackMs, signal):
 * a Promise of the answer { status, body, date, dpopNonce, wwwAuthenticate }.
 * options are the client's; courier is the refresh courier's send
 * (courier.js), or undefined.
 */
export function refreshPoster({ fetch: fetchOption, refreshInit }, courier) {
  return async (url, contentType, body, dpop, refreshToken, ackMs, signal) => {
    const headers = new Headers(refreshInit?.headers)
    headers.set('Content-Type', contentType)
    if (!headers.has('Accept')) headers.set('Accept', 'application/json')
    if (dpop) headers.set('DPoP', dpop)
    const credentials = refreshInit?.credentials
    if (courier && refreshToken) {
      const answer = await courier(url, { headers: [...headers], body, credentials }, refreshToken, ackMs)
      if (answer) return answer
    }
    const init = { method: 'POST', headers, body, cache: 'no-store', signal }
    if (credentials) init.credentials = credentials
    const res = await (fetchOption ?? globalThis.fetch)(url, init)
    const header = (name) => res.headers.get(name) ?? '' // Date is unreadable cross-origin unless exposed
    return { status: res.status, date: header('Date'), dpopNonce: header('DPoP-Nonce'), wwwAuthenticate: header('WWW-Authenticate'), body: await res.text() }
  }
}
