// Types for authfetch/vue (vue.js): the Vue 3 plugin and composable.
//
//   const app = createApp(App).use(authFetchPlugin, { refreshURL: '/auth/refresh-token' })
//   await authFetchReady(app)
//   app.mount('#app')

import type { App, InjectionKey, Plugin, Ref } from 'vue'
import type { AuthFetch, AuthFetchOptions, Tokens } from './authfetch.js'

/**
 * `app.use(authFetchPlugin, options)` starts `createAuthFetch(options)` and provides the client to
 * every component of the app. `app.use` cannot wait: await {@link authFetchReady} before
 * `app.mount()`. Installing it twice on one app throws. The client is closed when the app unmounts.
 */
export declare const authFetchPlugin: Plugin<[options?: AuthFetchOptions]>

/**
 * Resolves with the app's client once the module has loaded; rejects with `createAuthFetch`'s
 * Error (what failed to load and where, or the bad option), or when the plugin is not installed.
 */
export declare function authFetchReady(app: App): Promise<AuthFetch>

/** What {@link useAuthFetch} returns: the same object for every call in one app. */
export interface UseAuthFetch {
  /** The app's client. */
  readonly client: AuthFetch
  /** `client.fetch`, bound: hand it to ky, ofetch, axios or openapi-fetch. */
  readonly fetch: AuthFetch['fetch']
  /**
   * True while an access token is stored. Follows the client's `'tokens'` event: `login`,
   * `logout`, a refresh, a rejected refresh (tokens removed) and another tab's login or logout.
   */
  readonly isAuthenticated: Readonly<Ref<boolean>>
  /** Stores the tokens of a login (`client.setTokens`); other fields of the object are ignored. */
  login(tokens: Tokens): void
  /** Removes both tokens (`client.clearTokens`). */
  logout(): void
}

/**
 * The app's client, for a component's `setup()` (or inside `app.runWithContext`). Throws, saying
 * what to do, outside an app that installed {@link authFetchPlugin}, or before {@link authFetchReady}
 * resolved.
 */
export declare function useAuthFetch(): UseAuthFetch

/** The key under which the plugin provides its state; use {@link useAuthFetch} instead. */
export declare const authFetchKey: InjectionKey<unknown>
