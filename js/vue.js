// authfetch/vue: the Vue 3 glue. A plugin that creates one authfetch client
// for the app and provides it, and a composable that hands it to components
// with a reactive isAuthenticated and login/logout helpers. vue is a peer
// dependency: imported here, never bundled with authfetch.
//
//   const app = createApp(App).use(authFetchPlugin, { refreshURL: '/auth/refresh-token' })
//   await authFetchReady(app)   // the module loaded and the client exists (or the load error)
//   app.mount('#app')

import { inject, readonly, shallowRef } from 'vue'
import { createAuthFetch } from './authfetch.js'

/** The injection key under which the plugin provides the app's authfetch state. */
export const authFetchKey = Symbol('authfetch')

/** The state of each app that installed the plugin, for authFetchReady(app). */
const states = new WeakMap()

/**
 * The plugin: `app.use(authFetchPlugin, options)` starts createAuthFetch(options)
 * and provides the client to every component. app.use cannot wait, so the app
 * awaits authFetchReady(app) before app.mount(); components then get the client
 * from useAuthFetch() without ever seeing it missing. The client is closed when
 * the app unmounts.
 */
export const authFetchPlugin = {
  install(app, options = {}) {
    if (states.has(app)) {
      throw new Error('authfetch/vue: app.use(authFetchPlugin) was called twice on this app; one client serves the whole app')
    }
    const state = { api: null, error: null, ready: null }
    state.ready = createAuthFetch(options).then(
      (client) => {
        state.api = bind(client)
        app.onUnmount?.(() => client.close()) // Vue ≥ 3.5
        return client
      },
      (err) => {
        state.error = err
        throw err
      },
    )
    states.set(app, state)
    app.provide(authFetchKey, state)
  },
}

/**
 * Resolves with the app's client once the module has loaded, or rejects with
 * createAuthFetch's Error (which says what failed to load, or names a bad
 * option). Await it before app.mount().
 */
export function authFetchReady(app) {
  const state = states.get(app)
  if (!state) {
    return Promise.reject(new Error('authfetch/vue: authFetchReady(app) called before app.use(authFetchPlugin, options)'))
  }
  return state.ready
}

/**
 * In a component's setup (or inside app.runWithContext): the app's client,
 * its fetch, a read-only ref isAuthenticated (true while an access token is
 * stored; follows the client's 'tokens' event, so a refresh, a rejected refresh
 * or a logout in another tab updates it), and login(tokens) / logout().
 * Every call in one app returns the same object.
 */
export function useAuthFetch() {
  const state = inject(authFetchKey, null)
  if (!state) {
    throw new Error('authfetch/vue: useAuthFetch() found no client: call it in setup() of a component of an app that did app.use(authFetchPlugin, options)')
  }
  if (state.api) return state.api
  if (state.error) throw new Error(`authfetch/vue: the client did not load: ${state.error.message}`)
  throw new Error('authfetch/vue: useAuthFetch() ran before the client was ready: await authFetchReady(app) before app.mount()')
}

/** The composable's object for one client. */
function bind(client) {
  const signedIn = () => client.getAccessToken() !== null
  const isAuthenticated = shallowRef(signedIn())
  client.on('tokens', ({ accessToken }) => { isAuthenticated.value = accessToken !== null })
  return Object.freeze({
    client,
    fetch: client.fetch,
    isAuthenticated: readonly(isAuthenticated),
    /** Stores the tokens of a login ({accessToken, refreshToken?}; other fields are ignored). */
    login(tokens) {
      client.setTokens(tokens)
      isAuthenticated.value = signedIn()
    },
    /** Removes both tokens. */
    logout() {
      client.clearTokens()
      isAuthenticated.value = false
    },
  })
}
