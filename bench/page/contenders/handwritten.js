// authfetch's contract as an app would write it by hand in plain JS, small
// and honest: the token read from localStorage for each request, attached on
// the Request only for the page's own origin (never to the refresh URL, never
// over an Authorization of the caller's); on a 401, one refresh shared by
// every request that gets one, while requests that start meanwhile queue
// behind it; one retry with the new token, the body replayed from a clone. A
// 401 to a token that is no longer the stored one is retried without a
// refresh. A rejected refresh (400, 401, 403) removes the tokens; any other
// failure keeps them and returns the 401. It reads globalThis.fetch at each
// call, as authfetch does, so the bench's stub and its fetch wrapper see
// every request it sends.

const REFRESH_PATH = '/auth/refresh-token'

export async function setup() {
  const fetch = makeFetch()
  return {
    fetch,
    async request(url) {
      const res = await fetch(url)
      await res.json()
      return res.status
    },
  }
}

function makeFetch() {
  const allowed = new Set([location.origin])
  let refreshing = null // the refresh in flight: a Promise of the new access token, or of null

  const refresh = () => {
    refreshing ??= postRefresh().finally(() => { refreshing = null })
    return refreshing
  }

  const send = (req, token) => {
    req.headers.set('Authorization', `Bearer ${token}`)
    return globalThis.fetch(req)
  }

  return async function authFetch(input, init) {
    const req = new Request(input, init)
    const url = new URL(req.url)
    if (!allowed.has(url.origin) || url.pathname === REFRESH_PATH || req.headers.has('Authorization')) {
      return globalThis.fetch(req)
    }
    if (refreshing) await refreshing
    const token = localStorage.getItem('accessToken')
    if (!token) return globalThis.fetch(req)
    const again = req.body === null ? req : req.clone()
    const res = await send(req, token)
    if (res.status !== 401) return res
    const stored = localStorage.getItem('accessToken')
    const next = stored && stored !== token ? stored : await refresh()
    if (!next) return res
    res.body?.cancel().catch(() => {})
    return send(again, next)
  }
}

/** Posts the stored refresh token; resolves to the new access token, or null. */
async function postRefresh() {
  try {
    const res = await globalThis.fetch(REFRESH_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: localStorage.getItem('refreshToken') }),
    })
    if ([400, 401, 403].includes(res.status)) {
      localStorage.removeItem('accessToken')
      localStorage.removeItem('refreshToken')
      return null
    }
    if (!res.ok) return null
    const t = await res.json()
    if (typeof t.accessToken !== 'string') return null
    localStorage.setItem('accessToken', t.accessToken)
    if (typeof t.refreshToken === 'string') localStorage.setItem('refreshToken', t.refreshToken)
    return t.accessToken
  } catch {
    return null
  }
}
