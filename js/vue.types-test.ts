// Compiled by `make test-types` (tsc --noEmit -p js/vue.tsconfig.json): it fails
// when vue.d.ts stops accepting what the README and web/vue show, or starts
// accepting what it should refuse.
import { createApp, defineComponent, h, type Ref } from 'vue'
import type { AuthFetch, AuthFetchError } from './authfetch.js'
import { authFetchPlugin, authFetchReady, useAuthFetch, type UseAuthFetch } from './vue.js'

export async function usage(): Promise<void> {
  const Items = defineComponent({
    setup() {
      const { client, fetch, isAuthenticated, ready, error, login, logout }: UseAuthFetch = useAuthFetch()
      const signedIn: boolean = isAuthenticated.value
      const running: boolean = ready.value
      const failed: AuthFetchError | null = error.value
      console.log(running, failed?.code === 'load')
      const ref: Readonly<Ref<boolean>> = isAuthenticated
      const load = async (): Promise<unknown> => (await fetch('/api/items', { skipAuthRefresh: false })).json()
      login({ accessToken: 'a', refreshToken: 'r' })
      login({ accessToken: 'a' })
      logout()
      const stop: () => void = client.on('authfailure', ({ reason }) => console.log(reason))
      stop()
      // @ts-expect-error isAuthenticated is read-only: login() and logout() change it
      isAuthenticated.value = true
      // @ts-expect-error ready is read-only: the module sets it
      ready.value = true
      // @ts-expect-error accessToken is required
      login({ refreshToken: 'r' })
      return () => h('p', [String(signedIn), String(ref.value), String(load)])
    },
  })

  createApp(Items).use(authFetchPlugin, { refreshURL: '/auth/refresh-token' }).mount('#app')
  const app = createApp(Items).use(authFetchPlugin, { refreshURL: '/auth/refresh-token', storage: 'session' })
  createApp(Items).use(authFetchPlugin)
  const api: AuthFetch = await authFetchReady(app)
  api.on('authfailure', () => { window.location.assign('/login') })
  app.mount('#app')

  // @ts-expect-error options are checked by name: refreshUrl is a typo
  createApp(Items).use(authFetchPlugin, { refreshUrl: '/x' })
  // @ts-expect-error storage is 'local', 'session' or 'memory'
  createApp(Items).use(authFetchPlugin, { storage: 'disk' })
  // @ts-expect-error authFetchReady takes the app
  await authFetchReady()
}
