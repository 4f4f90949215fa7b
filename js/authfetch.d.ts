// Types for authfetch.js. Every option is optional; the default is given with
// each. The behaviour behind them is in the README ("How it works").

/** Options of `new AuthFetch()` and `createAuthFetch()`. Unknown options are refused, so a typo such as `refreshUrl` fails loudly. */
export interface AuthFetchOptions {
  /**
   * Where authfetch.wasm is fetched from, resolved against the page: your own copy, a CDN's. The
   * page's first client loads the module; later clients reuse it, whatever their `wasmURL`.
   * @default the authfetch.wasm beside authfetch.js (`new URL('./authfetch.wasm', import.meta.url)`,
   * which bundlers see and ship with the bundle)
   */
  wasmURL?: string | URL
  /**
   * The module itself, compiled (or a Promise of it), instead of fetching `wasmURL`: from your own
   * cache, or compiled ahead with `WebAssembly.compileStreaming`. Excludes `wasmURL`.
   * @default none: the module is fetched from `wasmURL`
   */
  wasmModule?: WebAssembly.Module | PromiseLike<WebAssembly.Module>
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
   * The storage key of the refresh token. `null`: the server keeps the refresh token (an HttpOnly
   * cookie, with `refreshInit: { credentials: 'include' }`), so none is stored or sent: the JSON
   * refresh body is `{}`, and an answer's refresh token is ignored. Without an access token such
   * a session counts as logged out: its requests cost no refresh until `refresh()` is called.
   * @default 'refreshToken'
   */
  refreshTokenKey?: string | null
  /**
   * Where tokens live. `'memory'` neither reads nor writes any Web Storage. A Web Storage that
   * throws (private mode, quota) makes tokens live in memory for the page's life.
   * @default 'local'
   */
  storage?: 'local' | 'session' | 'memory' | TokenStorage
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
  /**
   * Sends API requests and the refresh: a test double (MSW), a wrapped `fetch` (Sentry,
   * OpenTelemetry), a native HTTP plugin.
   * @default `globalThis.fetch`, read at each call, so a wrapper installed later is used
   */
  fetch?: (input: Request | string | URL, init?: RequestInit) => Promise<Response>
  /**
   * Your own refresh (a GraphQL mutation, a vendor SDK) instead of the POST to `refreshURL`.
   * Resolve the new tokens for a success, `null` for a rejection (tokens removed, `'authfailure'`);
   * throwing or resolving anything without an `accessToken` is a transient failure (tokens kept).
   * The one refresh, the queue, the timeout (`signal` aborts at `refreshTimeoutMs`), the tabs and
   * the events stay authfetch's.
   * @default none
   */
  refresh?: (context: RefreshContext) => Promise<RefreshResult | null> | RefreshResult | null
  /**
   * Added to the refresh request: `credentials: 'include'` for a refresh token in an HttpOnly
   * cookie of another origin, headers your refresh endpoint wants.
   * @default none
   */
  refreshInit?: { credentials?: RequestCredentials, headers?: HeadersInit }
  /**
   * `true` logs each decision with `console.debug`; a function receives each instead: why a token
   * was attached or not, a wait, a refresh and why, an adoption, a call-off, a retry, tokens
   * removed or kept and why. Entries never hold a token.
   * @default false
   */
  debug?: boolean | ((entry: DebugEntry) => void)
  /**
   * Sender-constrained tokens (RFC 9449): a non-extractable P-256 key pair (WebCrypto) is kept in
   * IndexedDB per session, shared by its tabs and reused after a reload; `clearTokens()` discards
   * it. Every request to an allowed origin carries a `DPoP` proof, also without a token (a login
   * through `fetch` is how the server binds the tokens), and the token goes as
   * `Authorization: DPoP <token>`. The refresh request carries a proof too. A nonce challenge is
   * answered by one resend with the nonce. A token copied out of storage is useless without the key.
   * @default false
   */
  dpop?: boolean
  /**
   * The URL of authfetch's refresh courier, `authfetch-sw.js` (shipped beside `authfetch.js`): a
   * small service worker that sends each refresh for the page, records an answer that carries
   * tokens in IndexedDB under the refresh token it spent, and hands it to the next refresh of that token, so that a
   * tab closed mid-refresh logs no one out on a server that rotates refresh tokens. It needs no
   * control of the page (it registers under a scope of its own). Where service workers are missing
   * or the worker does not take a refresh in time, refreshes go from the page. Not used with
   * `refresh`, `fetch`, or `refreshTokenKey: null`.
   * @default none
   */
  refreshWorker?: string | URL
}

/** A storage object of your own (an encrypted store, a per-user namespace): the Web Storage methods, synchronous. */
export interface TokenStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** What the `refresh` option receives. */
export interface RefreshContext {
  /** The stored refresh token; null with `refreshTokenKey: null`. */
  refreshToken: string | null
  /** Aborts at `refreshTimeoutMs`. */
  signal: AbortSignal
  /** With `dpop`: a DPoP proof for your own refresh request, of `method` and `url`. */
  proof?: (method: string, url: string) => Promise<string>
}

/** What the `refresh` option resolves for a success. */
export interface RefreshResult {
  accessToken: string
  /** Omitted: the stored refresh token is kept. */
  refreshToken?: string
  /** The access token's life in seconds, where the token does not tell it. */
  expiresIn?: number
}

/** One decision, for the `debug` option. */
export interface DebugEntry {
  type: 'attach' | 'skip' | 'wait' | 'refresh' | 'adopt' | 'calloff' | 'retry' | 'remove' | 'keep'
  /** The request concerned. */
  url?: string
  /** Why. */
  reason?: string
  /** How many attempts were called off. */
  count?: number
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
  /** The access token's life in seconds, where the token does not tell it (an opaque token, a JWT without `exp`). */
  expiresIn?: number
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

/** Why a client cannot work: what `ready` (and `fetch`, `refresh`, `getValidAccessToken`) reject with. */
export type AuthFetchErrorCode =
  /** A bad option; the message names it. */
  | 'option'
  /** The module or Go's `wasm_exec.js` failed to load; the message says what and where. */
  | 'load'
  /** A call after `close()`. */
  | 'closed'
  /** No browser to run in: server-side rendering, Node. */
  | 'unsupported'

/**
 * An error of authfetch's own. What `fetch` rejects with for a request (`TypeError`, `AbortError`,
 * the signal's reason) is never one: it is what the browser's `fetch` rejects with.
 */
export declare class AuthFetchError extends Error {
  constructor(message: string, options: { code: AuthFetchErrorCode, cause?: unknown })
  readonly name: 'AuthFetchError'
  readonly code: AuthFetchErrorCode
}

/**
 * A client. `new AuthFetch(options)` returns at once and starts loading the page's module (the first
 * client of the page downloads and compiles it; later ones reuse it). Calls made before the module
 * runs wait for it; `getAccessToken()` reads the storage meanwhile. Clients with the same storage,
 * token keys and `refreshURL` share tokens, one refresh and events. Every method is bound:
 * `const { fetch } = api` works.
 */
export declare class AuthFetch {
  constructor(options?: AuthFetchOptions)
  /**
   * Resolves once the module runs and the options are valid. Rejects with an {@link AuthFetchError}:
   * `'option'`, `'load'`, `'closed'` (closed before), `'unsupported'` (SSR, Node). A rejection that
   * nothing awaits is not reported as unhandled.
   */
  readonly ready: Promise<void>
  /** `fetch` with the token attached and refreshed; resolves with the browser's own Response, rejects exactly when `fetch` would. */
  fetch(input: RequestInfo | URL, init?: AuthFetchInit): Promise<Response>
  /**
   * Stores the tokens of a login; an omitted refreshToken is removed. An empty string counts as no
   * token. Before the module runs the tokens are kept, and stored before any waiting call goes on;
   * after a failed start it throws ready's error.
   */
  setTokens(tokens: Tokens): void
  /** Removes both tokens (logout). */
  clearTokens(): void
  /** The stored access token, or null. Before the module runs: read from the storage (or the last `setTokens`). */
  getAccessToken(): string | null
  /** Forces a refresh, sharing the one in flight: true on success; false when rejected, transient, or no refresh token is stored. */
  refresh(): Promise<boolean>
  /**
   * An access token that does not expire within `refreshLeewaySeconds` as far as authfetch can
   * tell, refreshed first (the session's one refresh) when needed: for a WebSocket, an
   * EventSource, anything that does not go through `fetch`. null when there is none to be had.
   */
  getValidAccessToken(): Promise<string | null>
  /** Listens to an event of the session; returns the function that stops listening. */
  on<E extends keyof AuthFetchEvents>(event: E, fn: (detail: AuthFetchEvents[E]) => void): () => void
  /** The counters; all 0 until the module runs. */
  stats(): AuthFetchStats
  /** Releases the client's listeners and JS callbacks; requests under way still settle. Later calls fail with `'closed'`. */
  close(): void
}

/**
 * `new AuthFetch(options)`, resolved once its `ready` resolves; rejects with `ready`'s
 * {@link AuthFetchError}.
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
