// Types for authfetch.js. Every option is optional; the default is given with
// each. The behaviour behind them is in the README ("How it works").

/** Options of createAuthFetch. Unknown options are rejected, so a typo such as `refreshUrl` fails loudly. */
export interface AuthFetchOptions {
  /**
   * Where authfetch.wasm is fetched from.
   * @default the authfetch.wasm beside authfetch.js (`new URL('./authfetch.wasm', import.meta.url)`)
   */
  wasmURL?: string | URL
  /**
   * Resolves relative request URLs, as axios' `baseURL` does: `'https://api.example.com/v1'` and
   * `'/users'` give `'https://api.example.com/v1/users'`.
   * @default the page's base URL (relative URLs then resolve as `fetch` resolves them)
   */
  baseURL?: string
  /**
   * The refresh endpoint, resolved against `baseURL`.
   * @default '/auth/refresh-token'
   */
  refreshURL?: string
  /**
   * The storage key of the access token: the key your login page writes.
   * @default 'accessToken'
   */
  accessTokenKey?: string
  /**
   * The storage key of the refresh token.
   * @default 'refreshToken'
   */
  refreshTokenKey?: string
  /**
   * Where tokens live. `'memory'` neither reads nor writes any Web Storage. A Web Storage that
   * throws (private mode, quota) makes tokens live in memory for the page's life.
   * @default 'local'
   */
  storage?: 'local' | 'session' | 'memory'
  /**
   * `'json'`: POST `{"refreshToken": rt}`, answer `{accessToken, refreshToken?, expiresIn?}`.
   * `'oauth2'`: RFC 6749 §6 form `grant_type=refresh_token&refresh_token=rt[&client_id=..]`,
   * answer `{access_token, refresh_token?, expires_in?}`.
   * @default 'json'
   */
  refreshFormat?: 'json' | 'oauth2'
  /**
   * Sent as `client_id` with `refreshFormat: 'oauth2'`.
   * @default none
   */
  clientId?: string
  /**
   * Response statuses that trigger a refresh (to a request that carried the token).
   * @default [401]
   */
  refreshOn?: number[]
  /**
   * The only origins that ever receive the bearer token. A list given replaces the default.
   * @default the origins of the page and of `baseURL`
   */
  allowedOrigins?: string[]
  /**
   * Refresh before sending when the access token (JWT `exp`, or the refresh answer's `expiresIn`)
   * expires within this many seconds; `0` refreshes only on a `refreshOn` status.
   * @default 30
   */
  refreshLeewaySeconds?: number
  /**
   * A refresh that takes longer fails as a transient failure (tokens kept).
   * @default 10000
   */
  refreshTimeoutMs?: number
  /**
   * With `'local'` storage: one refresh at a time across all tabs of the origin (Web Locks; a tab
   * that waited adopts the tokens the other tab got), and token changes in another tab seen by
   * every tab (`'tokens'` fires). Where Web Locks are missing, each tab refreshes on its own.
   * @default true
   */
  crossTab?: boolean
}

/** authfetch's own members of `init`. */
export interface AuthFetchInit extends RequestInit {
  /** Send the request untouched: no token, never a refresh. */
  skipAuth?: boolean
  /** Attach the token, but return a `refreshOn` status as it is instead of refreshing. */
  skipAuthRefresh?: boolean
}

/** The token pair a login returns. */
export interface Tokens {
  accessToken: string
  /** Omitted: the stored refresh token is removed. */
  refreshToken?: string
}

/** The `detail` of each event. */
export interface AuthFetchEvents {
  /**
   * A refresh succeeded. `adopted: true` when this tab did not call the refresh endpoint but took
   * the tokens another tab's refresh got (with `crossTab`).
   */
  refresh: { accessToken: string, adopted?: true }
  /** A refresh was rejected and both tokens removed: redirect to the login page here. Once per rejected refresh. */
  authfailure: { status?: number, reason: string }
  /** A refresh failed transiently (network, timeout, 5xx, 429, not JSON); tokens kept. */
  refresherror: { status?: number, reason: string }
  /** The stored tokens changed: setTokens, clearTokens, a refresh, a rejection, or another tab. */
  tokens: { accessToken: string | null }
}

/** Counters of a client (`requests`, `retries`) and of its session (the rest). */
export interface AuthFetchStats {
  /** Calls of `api.fetch`. */
  requests: number
  /** Requests sent a second time: after a refresh status, or after being called off because another request with the same token got one. */
  retries: number
  /** Successful refreshes of the session (calls of the refresh endpoint). */
  refreshes: number
  /** Refreshes that took the tokens another tab's refresh got, instead of calling the endpoint. */
  adoptions: number
  /** Transient refresh failures of the session. */
  refreshErrors: number
  /** Rejected refreshes of the session. */
  authFailures: number
}

/** A client. Every method is bound: `const { fetch } = api` works. */
export interface AuthFetch {
  /** `fetch` with the token attached and refreshed; resolves with the browser's own Response, rejects exactly when `fetch` would. */
  fetch(input: RequestInfo | URL, init?: AuthFetchInit): Promise<Response>
  /** Stores the tokens of a login; an omitted refreshToken is removed. An empty string counts as no token. */
  setTokens(tokens: Tokens): void
  /** Removes both tokens (logout). */
  clearTokens(): void
  /** The stored access token, or null. */
  getAccessToken(): string | null
  /** Forces a refresh, sharing the one in flight: true on success; false when rejected, transient, or no refresh token is stored. */
  refresh(): Promise<boolean>
  /** Listens to an event of the session; returns the function that stops listening. */
  on<E extends keyof AuthFetchEvents>(event: E, fn: (detail: AuthFetchEvents[E]) => void): () => void
  stats(): AuthFetchStats
  /** Releases the client's listeners and JS callbacks; requests under way still settle. */
  close(): void
}

/**
 * Loads authfetch.wasm (once per page) and creates a client. Clients with the same storage, token
 * keys and refreshURL share tokens, one refresh and events. Rejects with an Error that names a
 * bad option or says what failed to load and where.
 */
export function createAuthFetch(options?: AuthFetchOptions): Promise<AuthFetch>

/** What the page's one module holds; flat over many requests unless something leaks. */
export interface ModuleStats {
  /** Bytes of live Go heap objects after a garbage collection (runtime.MemStats.HeapAlloc). */
  heapBytes: number
  /** Live Go heap objects. */
  heapObjects: number
  /** Go garbage collections so far. */
  gcCycles: number
  /** JS callbacks (js.Func) made by the module and not yet released: each client holds 7, each request in flight 2 or 3. */
  liveFuncs: number
}

/** Reports the module's Go heap and live callbacks, for finding leaks; it collects Go garbage first (a few ms). null when no module is running. */
export function moduleStats(): Promise<ModuleStats | null>
