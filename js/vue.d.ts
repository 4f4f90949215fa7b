// Types for authfetch/vue (vue.js): the Vue 3 plugin and composable.
//
//   createApp(App).use(authFetchPlugin, { refreshURL: '/auth/refresh-token' }).mount('#app')

import type { App, InjectionKey, Plugin, Ref } from 'vue'
import type { AuthFetch, AuthFetchError, AuthFetchOptions, Tokens } from './authfetch.js'

/**
 * `app.use(authFetchPlugin, options)` makes the app's client (`new AuthFetch(options)`) at once and
 * provides it to every component: mount without waiting, the module loads meanwhile. Installing it
 * twice on one app throws. The client is closed when the app unmounts. On the server (SSR) it makes
 * a client that fetches nothing and throws nothing.
 */
export declare const authFetchPlugin: Plugin<[options?: AuthFetchOptions]>

/**
 * Resolves with the app's client once its module runs; rejects with its `ready`'s
 * {@link AuthFetchError}, or when the plugin is not installed. No app needs to await it.
 */
export declare function authFetchReady(app: App): Promise<AuthFetch>

/** What {@link useAuthFetch} returns: the same object for every call in one app. */
export interface UseAuthFetch {
  /** The app's client. */
  readonly client: AuthFetch
  /** `client.fetch`, bound: hand it to ky, ofetch, axios or openapi-fetch. Calls made before the module runs wait for it. */
  readonly fetch: AuthFetch['fetch']
  /**
   * True while an access token is stored (read from the storage until the module runs). Follows
   * the client's `'tokens'` event: `login`, `logout`, a refresh, a rejected refresh (tokens removed)
   * and another tab's login or logout.
   */
  readonly isAuthenticated: Readonly<Ref<boolean>>
  /** True once the module runs (`client.ready` resolved). Stays false on the server. */
  readonly ready: Readonly<Ref<boolean>>
  /**
   * The {@link AuthFetchError} that `client.ready` rejected with: a bad option, a failed load. Stays
   * null on the server, so that the server renders what the browser renders first.
   */
  readonly error: Readonly<Ref<AuthFetchError | null>>
  /** Stores the tokens of a login (`client.setTokens`); other fields of the object are ignored. */
  login(tokens: Tokens): void
  /** Removes both tokens (`client.clearTokens`). */
  logout(): void
}

/**
 * The app's client, for a component's `setup()` (or inside `app.runWithContext`). Throws, saying
 * what to do, outside an app that installed {@link authFetchPlugin}.
 */
export declare function useAuthFetch(): UseAuthFetch

/** The key under which the plugin provides its state; use {@link useAuthFetch} instead. */
export declare const authFetchKey: InjectionKey<UseAuthFetch>
