// Compiled by `make test` with tsc --noEmit: it fails when authfetch.d.ts stops
// accepting what the README shows, or starts accepting what it should refuse.
import { AuthFetch, AuthFetchError, createAuthFetch, moduleStats, type AuthFetchErrorCode, type AuthFetchStats } from './authfetch.js'

export async function usage(): Promise<void> {
  const api: AuthFetch = await createAuthFetch({
    baseURL: 'https://api.example.com/v1',
    refreshURL: '/auth/refresh-token',
    storage: 'session',
    refreshFormat: 'oauth2',
    clientId: 'spa',
    refreshOn: [401, 419],
    allowedOrigins: ['https://api.example.com'],
    refreshLeewaySeconds: 0,
    refreshTimeoutMs: 5000,
    crossTab: false,
    wasmURL: new URL('./authfetch.wasm', import.meta.url),
  })
  const res: Response = await api.fetch('/me', { skipAuthRefresh: true, method: 'POST', body: '{}' })
  const { fetch } = api
  await fetch(new Request('/items'), { skipAuth: true })
  api.setTokens({ accessToken: 'a' })
  api.setTokens({ accessToken: 'a', refreshToken: 'r' })
  const token: string | null = api.getAccessToken()
  const ok: boolean = await api.refresh()
  const stop: () => void = api.on('authfailure', ({ status, reason }) => console.log(status, reason.length))
  api.on('tokens', ({ accessToken }) => accessToken?.length)
  api.on('refresh', ({ accessToken, adopted }) => adopted === true && accessToken.length)
  const stats: AuthFetchStats = api.stats()
  console.log(res.status, token, ok, stats.refreshes + stats.adoptions)
  stop()
  api.close()
  const own = await createAuthFetch({
    refreshTokenKey: null,
    refreshInit: { credentials: 'include', headers: { 'X-CSRF': '1' } },
    fetch: (input, init) => globalThis.fetch(input, init),
    refresh: async ({ refreshToken, signal }) => {
      const res = await fetch('/graphql', { method: 'POST', body: JSON.stringify({ refreshToken }), signal })
      return res.ok ? { accessToken: 'a', expiresIn: 60 } : null
    },
    storage: { getItem: (k) => sessionStorage.getItem(k), setItem: (k, v) => sessionStorage.setItem(k, v), removeItem: (k) => sessionStorage.removeItem(k) },
    debug: (entry) => console.log(entry.type, entry.reason ?? entry.url),
    dpop: true,
  })
  const fresh: string | null = await own.getValidAccessToken()
  own.setTokens({ accessToken: 'a', expiresIn: 3600 })
  await createAuthFetch({ debug: true, refreshWorker: new URL('./authfetch-sw.js', import.meta.url) })
  console.log(fresh)
  const held = await moduleStats()
  console.log(held === null ? 0 : held.heapBytes + held.liveFuncs)

  const now = new AuthFetch({ refreshURL: '/auth/refresh-token' })
  const early: Promise<Response> = now.fetch('/api/me')
  const ready: Promise<void> = now.ready
  await ready.catch((err: unknown) => {
    if (err instanceof AuthFetchError) {
      const code: AuthFetchErrorCode = err.code
      console.log(code === 'unsupported', err.message)
    }
  })
  const compiled = new AuthFetch({ wasmModule: WebAssembly.compileStreaming(fetch('/authfetch.wasm')) })
  const fromModule: AuthFetch = await createAuthFetch({ wasmModule: await WebAssembly.compile(new Uint8Array()) })
  console.log((await early).status, compiled.getAccessToken(), fromModule.stats().requests)
  const made = new AuthFetchError('authfetch: x', { code: 'load', cause: new Error('y') })
  console.log(made.code)

  // @ts-expect-error there is no such code
  new AuthFetchError('x', { code: 'network' })
  // @ts-expect-error ready is read-only
  now.ready = Promise.resolve()
  // @ts-expect-error storage is 'local', 'session' or 'memory'
  await createAuthFetch({ storage: 'disk' })
  // @ts-expect-error refreshURL is a string
  await createAuthFetch({ refreshURL: 42 })
  // @ts-expect-error options are checked by name: refreshUrl is a typo
  await createAuthFetch({ refreshUrl: '/x' })
  // @ts-expect-error accessToken is required
  api.setTokens({ refreshToken: 'r' })
  // @ts-expect-error a storage object needs removeItem
  await createAuthFetch({ storage: { getItem: () => null, setItem: () => {} } })
  // @ts-expect-error a refresh resolves tokens or null
  await createAuthFetch({ refresh: async () => 'a' })
  // @ts-expect-error there is no such event
  api.on('login', () => {})
  // @ts-expect-error a refresh detail has no status
  api.on('refresh', ({ status }) => status)
}
