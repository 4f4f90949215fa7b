// A TypeScript app's use of the installed package, type-checked by
// package.test.mjs under each module resolution: every import must find its
// types, which must be the package's own (an 'any' would accept the lines
// marked @ts-expect-error).
import { AuthFetch, AuthFetchError, createAuthFetch, moduleStats, type AuthFetchOptions } from 'authfetch'
import { authFetchPlugin, authFetchReady, useAuthFetch, type UseAuthFetch } from 'authfetch/vue'
import { createApp } from 'vue'

export async function app(): Promise<void> {
  const options: AuthFetchOptions = { refreshURL: '/auth/refresh-token', storage: 'session' }
  const api = new AuthFetch(options)
  const res: Response = await api.fetch('/api/me')
  await api.ready.catch((err: unknown) => err instanceof AuthFetchError && err.code === 'load')
  const other: AuthFetch = await createAuthFetch({ wasmURL: '/authfetch.wasm' })
  const held = await moduleStats()
  const vueApp = createApp({}).use(authFetchPlugin, options)
  vueApp.mount('#app')
  const fromVue: AuthFetch = await authFetchReady(vueApp)
  const auth: UseAuthFetch = useAuthFetch()
  const failed: AuthFetchError | null = auth.error.value
  console.log(res.status, other.stats().refreshes, held?.liveFuncs, fromVue.getAccessToken(), auth.ready.value, failed?.code)

  // @ts-expect-error options are checked by name: refreshUrl is a typo
  new AuthFetch({ refreshUrl: '/x' })
  // @ts-expect-error the error codes are a closed list
  new AuthFetchError('x', { code: 'network' })
  // @ts-expect-error isAuthenticated is read-only
  auth.isAuthenticated.value = true
}
