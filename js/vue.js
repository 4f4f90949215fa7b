// authfetch/vue: the Vue 3 glue. A plugin that makes one authfetch client
// for the app, at once, and provides it, and a composable that hands it to
// components with reactive isAuthenticated, ready and error, and login and
// logout. vue is a peer dependency: imported here, never bundled with
// authfetch.
//
//   createApp(App).use(authFetchPlugin, { refreshURL: '/auth/refresh-token' }).mount('#app')
//
// The app mounts without waiting for the module: a component's first
// requests wait for it inside fetch. On the server (SSR) the client does
// nothing and throws nothing, so a component that calls useAuthFetch()
// renders there too.

import { inject, readonly, shallowReadonly, shallowRef } from 'vue'
import { AuthFetch } from './authfetch.js'

/** The injection key under which the plugin provides the app's authfetch state. */
export const authFetchKey = Symbol('authfetch')

/** What useAuthFetch returns for each app that installed the plugin, for authFetchReady(app). */
const states = new WeakMap()

/**
 * The plugin: `app.use(authFetchPlugin, options)` makes the app's client
 * (new AuthFetch(options)) and provides it to every component; the module
 * loads while the app mounts and renders. The client is closed when the app
 * unmounts.
 */
export const authFetchPlugin = {
  install(app, options = {}) {
    if (states.has(app)) {
      throw new Error('authfetch/vue: app.use(authFetchPlugin) was called twice on this app; one client serves the whole app')
    }
    const state = bind(new AuthFetch(options))
    app.onUnmount?.(() => state.client.close()) // Vue ≥ 3.5
    states.set(app, state)
    app.provide(authFetchKey, state)
  },
}

/**
 * Resolves with the app's client once its module runs, or rejects with
 * ready's AuthFetchError. The app need not wait for it: useAuthFetch()
 * works at once, and its ready and error refs tell the same.
 */
export function authFetchReady(app) {
  const state = states.get(app)
  if (!state) {
    return Promise.reject(new Error('authfetch/vue: authFetchReady(app) called before app.use(authFetchPlugin, options)'))
  }
  return state.client.ready.then(() => state.client)
}

/**
 * In a component's setup (or inside app.runWithContext): the app's client,
 * its fetch, read-only refs isAuthenticated (an access token is stored;
 * follows the client's 'tokens' event, so a refresh, a rejected refresh or
 * a logout in another tab updates it), ready (the module runs) and error
 * (the AuthFetchError it failed with), and login(tokens) / logout(). Every
 * call in one app returns the same object.
 */
export function useAuthFetch() {
  const state = inject(authFetchKey, null)
  if (!state) {
    throw new Error('authfetch/vue: useAuthFetch() found no client: call it in setup() of a component of an app that did app.use(authFetchPlugin, options)')
  }
  return state
}

/**
 * The composable's object for one client. Without a browser (SSR) ready
 * stays false and error null: the server renders what the browser renders
 * first, before its module runs, so hydration finds the same markup.
 */
function bind(client) {
  const signedIn = () => client.getAccessToken() !== null
  const isAuthenticated = shallowRef(signedIn())
  const ready = shallowRef(false)
  const error = shallowRef(null)
  client.on('tokens', ({ accessToken }) => { isAuthenticated.value = accessToken !== null })
  client.ready.then(() => {
    ready.value = true
    isAuthenticated.value = signedIn()
  }, (err) => {
    if (err.code !== 'unsupported') error.value = err
  })
  return Object.freeze({
    client,
    fetch: client.fetch,
    isAuthenticated: readonly(isAuthenticated),
    ready: readonly(ready),
    error: shallowReadonly(error),
    /** Stores the tokens of a login ({accessToken, refreshToken?, expiresIn?}; other fields are ignored). */
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
