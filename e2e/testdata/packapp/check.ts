// Type-checked by e2e/pack_test.go with tsc --noEmit against the installed
// package: the "types" of each export must be found.
import { createAuthFetch, type AuthFetch } from 'authfetch'
import { authFetchPlugin, authFetchReady, useAuthFetch, type UseAuthFetch } from 'authfetch/vue'
import { createApp } from 'vue'

export async function check(): Promise<void> {
  const app = createApp({}).use(authFetchPlugin, { refreshURL: '/auth/refresh-token' })
  const api: AuthFetch = await authFetchReady(app)
  const other: AuthFetch = await createAuthFetch({ storage: 'memory' })
  const auth: UseAuthFetch = useAuthFetch()
  auth.login({ accessToken: 'a', refreshToken: 'r' })
  const ok: boolean = auth.isAuthenticated.value
  console.log(api.stats().refreshes, other.getAccessToken(), ok)
  // @ts-expect-error options are checked by name: refreshUrl is a typo
  await createAuthFetch({ refreshUrl: '/x' })
}
