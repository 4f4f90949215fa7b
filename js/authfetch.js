// authfetch: a fetch that attaches bearer tokens and refreshes them once for
// every request that needs it. This ES module is the public API that
// authfetch.d.ts documents: new AuthFetch(options) returns a client at once
// and starts the page's one module (module.js), which does the work; calls
// made before it runs wait for it.
//
// Importing it starts nothing and touches no global, in a browser or in
// Node: the module's download and compile start at the first new AuthFetch().

import { courier } from './courier.js'
import { debugSink } from './debug.js'
import { dpopProver } from './dpop.js'
import { AuthFetchError } from './errors.js'
import { emitter, listen, newListeners } from './events.js'
import { loadModule, missingBrowserAPI, moduleSource, runningModule } from './module.js'
import { checkOptions, checkTokens } from './options.js'
import { refreshPoster } from './refresh.js'
import { makeFetch } from './request.js'
import { storedAccessToken, validToken } from './stored-token.js'

export { AuthFetchError }

/**
 * A client. The constructor returns at once and never throws: a bad option,
 * a failed load or a missing browser (SSR, Node) rejects ready, and every
 * fetch, refresh and getValidAccessToken, with an AuthFetchError. Every
 * method is an own, bound function: `const { fetch } = api` works.
 */
export class AuthFetch {
  constructor(options = {}) {
    const listeners = newListeners()
    const early = [] // the tokens of setTokens (null: clearTokens) called before the module ran, in order
    let live = null // { handle, prover, fetch } once the module made the client
    let failure = null // the AuthFetchError ready rejected with
    let closed = false
    let open, fail
    const gate = new Promise((resolve, reject) => { open = resolve; fail = reject })
    gate.catch(() => {}) // a ready that the app never awaits is no unhandled rejection

    start(options, listeners).then(({ handle, prover }) => {
      if (closed) {
        handle.close()
        return
      }
      live = { handle, prover, fetch: makeFetch(handle, options.fetch, prover) }
      try {
        for (const tokens of early.splice(0)) applyTokens(live, tokens)
      } finally {
        open() // the calls that waited run after these tokens are stored
      }
    }, (err) => {
      failure = err
      fail(err)
    })

    const closedError = (method) => new AuthFetchError(`authfetch: ${method}() called after close()`, { code: 'closed' })
    /** Resolves once live; rejects with why it never will, or as fetch does when signal aborts first. */
    const whenLive = (method, signal) => abortable(gate, signal).then(() => {
      if (closed) throw closedError(method)
    })
    /** Calls method of the live client now, or once the module runs. */
    const later = (method, signal, call) => {
      if (closed) return Promise.reject(closedError(method))
      if (live) return call()
      return whenLive(method, signal).then(call)
    }

    /** Resolves once the module runs and the options are valid; rejects with an AuthFetchError. */
    this.ready = gate
    this.fetch = (input, init) => later('fetch', signalOf(input, init), () => live.fetch(input, init))
    this.refresh = () => later('refresh', null, () => live.handle.refresh())
    this.getValidAccessToken = () => later('getValidAccessToken', null, () => live.handle.getValidAccessToken())
    this.setTokens = (tokens) => {
      checkTokens(tokens)
      const { accessToken, refreshToken, expiresIn } = tokens
      now('setTokens', { accessToken, refreshToken, expiresIn })
    }
    this.clearTokens = () => { now('clearTokens', null) }
    /** The stored access token; before the module runs, read from the storage (or the last setTokens). */
    this.getAccessToken = () => {
      if (closed) throw closedError('getAccessToken')
      if (live) return call(live.handle, 'getAccessToken')
      if (early.length) return validToken(early.at(-1)?.accessToken)
      return storedAccessToken(options ?? {})
    }
    this.stats = () => {
      if (closed) throw closedError('stats')
      if (!live) return { requests: 0, retries: 0, refreshes: 0, adoptions: 0, refreshErrors: 0, authFailures: 0 }
      const [requests, retries, refreshes, adoptions, refreshErrors, authFailures] = call(live.handle, 'stats')
      return { requests, retries, refreshes, adoptions, refreshErrors, authFailures }
    }
    this.on = (event, fn) => listen(listeners, event, fn)
    this.close = () => {
      if (closed) return
      closed = true
      // The module's side outlives the requests under way: they still settle.
      if (live) live.fetch.settled().then(() => live.handle.close())
      else fail(new AuthFetchError('authfetch: close() was called before the module ran', { code: 'closed' }))
      early.length = 0
      for (const fns of listeners.values()) fns.clear()
    }

    /** setTokens and clearTokens: to the module when it runs, else kept for it in order. */
    function now(method, tokens) {
      if (closed) throw closedError(method)
      if (live) applyTokens(live, tokens)
      else if (failure) throw failure
      else early.push(tokens)
    }
    if (new.target === AuthFetch) Object.freeze(this)
  }
}

/**
 * Creates a client and resolves with it once the module runs:
 * `new AuthFetch(options)`, then `await ready`. Rejects with ready's
 * AuthFetchError.
 */
export async function createAuthFetch(options = {}) {
  const api = new AuthFetch(options)
  await api.ready
  return api
}

/**
 * Reports what the page's one module holds: its Go heap and the callbacks
 * (js.Func) it has made and not released. Both stay flat while requests come
 * and go unless something leaks. Resolves to null when no module is running.
 */
export async function moduleStats() {
  const module = await runningModule()
  return module ? module.moduleStats() : null
}

/**
 * Checks the options, loads the page's module and makes the module's client:
 * resolves with its handle, and the DPoP prover with the dpop option (else
 * null). Rejects with an AuthFetchError:
 * 'unsupported' without a browser, whatever the options (so that a server
 * render and the browser's first render agree), 'option' for what the
 * options or the module refused, 'load' for what failed to load.
 */
async function start(options, listeners) {
  const missing = missingBrowserAPI()
  if (missing) {
    throw new AuthFetchError(`authfetch: globalThis.${missing} is missing: authfetch runs in a browser; under server-side rendering or in Node a client does nothing and rejects`, { code: 'unsupported' })
  }
  const { wasmURL, wasmModule, moduleOptions } = checkOptions(options)
  let source
  try {
    source = moduleSource({ wasmURL, wasmModule })
  } catch (err) {
    throw new AuthFetchError(`authfetch: option wasmURL: ${err.message}`, { code: 'option', cause: err })
  }
  const module = await loadModule(source)
  let prover = null // made once the module named the session
  // The refresh courier carries only authfetch's own POST with a refresh
  // token of its own: not a refresh function's, a fetch option's, or one
  // that a cookie holds.
  const o = moduleOptions
  const useCourier = o.refreshWorker !== undefined && !o.refresh && !o.fetch && o.refreshTokenKey !== null
  const post = refreshPoster(o, useCourier ? courier(o.refreshWorker) : undefined)
  const emit = emitter(listeners)
  let handle
  try {
    handle = await module.newClient({ ...o, debug: debugSink(o.debug), post }, (name, accessToken, ...rest) => {
      if (name === 'tokens' && accessToken === null) prover?.drop()
      emit(name, accessToken, ...rest)
    }, (...claims) => prover.prove(...claims))
  } catch (err) {
    throw new AuthFetchError(err.message, { code: 'option', cause: err })
  }
  if (o.dpop) prover = dpopProver(handle.sessionKey)
  return { handle, prover }
}

/** Calls the module client's method, throwing the Error it returns. */
function call(handle, method, ...args) {
  const result = handle[method](...args)
  if (result instanceof Error) throw result
  return result
}

/**
 * Stores tokens through the live client's module handle; null clears them,
 * and discards the session's DPoP key with them.
 */
function applyTokens({ handle, prover }, tokens) {
  if (tokens !== null) {
    call(handle, 'setTokens', tokens.accessToken, tokens.refreshToken ?? '', tokens.expiresIn ?? 0)
    return
  }
  call(handle, 'clearTokens')
  prover?.discard().catch((err) => console.warn('authfetch: could not discard the DPoP key:', err))
}

/** The caller's AbortSignal of a fetch call, if any. */
function signalOf(input, init) {
  return init?.signal ?? (typeof Request === 'function' && input instanceof Request ? input.signal : null)
}

/** Waits for p, or rejects as fetch would when signal aborts first. */
function abortable(p, signal) {
  if (!signal) return p
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
