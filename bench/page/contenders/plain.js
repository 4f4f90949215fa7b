// The floor: the browser's fetch with the Authorization header set by hand,
// the token read from localStorage like every other contender. Its requests
// never refresh; storm() is the refresh storm handled by hand instead.

export async function setup() {
  return {
    async request(url) {
      const res = await fetch(url, {
        headers: { Authorization: `Bearer ${localStorage.getItem('accessToken')}` },
      })
      await res.json()
      return res.status
    },
    storm: stormByHand,
  }
}

/**
 * The baseline of the refresh storm: plain fetch with the storm handled by
 * hand, the least code that gets every request its 200. Each request goes
 * out with the stored token; the first 401 starts the one refresh that this
 * storm needs, and each request that got a 401 waits for it and is sent once
 * more with the new token. Returns the request function of one storm.
 */
function stormByHand() {
  let refreshed = null
  const refresh = async () => {
    const res = await fetch('/auth/refresh-token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: localStorage.getItem('refreshToken') }),
    })
    const t = await res.json()
    localStorage.setItem('accessToken', t.accessToken)
    localStorage.setItem('refreshToken', t.refreshToken)
    return t.accessToken
  }
  const get = (url, token) => fetch(url, { headers: { Authorization: `Bearer ${token}` } })
  return async (url) => {
    let res = await get(url, localStorage.getItem('accessToken'))
    if (res.status === 401) {
      refreshed ??= refresh()
      res.body?.cancel().catch(() => {})
      res = await get(url, await refreshed)
    }
    await res.json()
    return res.status
  }
}
