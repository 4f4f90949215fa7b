// authfetch: a fetch that attaches bearer tokens and refreshes them once for
// every request that needs it. This ES module loads authfetch.wasm (Go,
// compiled to WebAssembly) once per page and wraps each client in the public
// API that authfetch.d.ts documents.

import { makeFetch } from './request.js'
import { dpopProver } from './dpop.js'
import { refreshPoster } from './refresh.js'
import { courier } from './courier.js'

/** The events a client can listen to. */
const EVENTS = ['refresh', 'authfailure', 'refresherror', 'tokens']

/** The global the Go module calls with its exports once it runs. */
const READY = '__authfetchReady'

/** The page's one running module: a Promise of its exports, or null. */
let running = null

/**
 * Loads and runs the module once per page; later calls reuse it. A failed
 * load is forgotten, so the next call tries again.
 */
function loadModule(wasmURL) {
  if (!running) {
    running = startModule(wasmURL).catch((err) => {
      running = null
      throw err
    })
  }
  return running
}

async function startModule(wasmURL) {
  const execURL = new URL('../wasm_exec.js', import.meta.url).href
  if (typeof globalThis.Go !== 'function') {
    try {
      // A runtime URL: bundlers must leave it alone, not try to resolve it.
      await import(/* @vite-ignore */ /* webpackIgnore: true */ execURL)
    } catch (err) {
      throw new Error(`authfetch: could not load wasm_exec.js from ${execURL}: ${err.message}`)
    }
    if (typeof globalThis.Go !== 'function') {
      throw new Error(`authfetch: ${execURL} did not define Go: it is not Go's wasm_exec.js`)
    }
  }
  const go = new globalThis.Go()
  const instance = await instantiate(wasmURL, go.importObject)
  const exported = new Promise((resolve) => { globalThis[READY] = resolve })
  const exited = go.run(instance).then(() => {
    throw new Error(`authfetch: the module from ${wasmURL} exited before it was ready`)
  })
  try {
    return await Promise.race([exported, exited])
  } finally {
    delete globalThis[READY]
  }
}

/** Fetches and instantiates the module, compiling while it downloads when the server sends application/wasm. */
async function instantiate(wasmURL, imports) {
  let res
  try {
    res = await fetch(wasmURL)
  } catch (err) {
    throw new Error(`authfetch: could not fetch ${wasmURL}: ${err.message}`)
  }
  if (!res.ok) {
    throw new Error(`authfetch: could not load ${wasmURL}: ${res.status} ${res.statusText}`.trim())
  }
  try {
    const streaming = (res.headers.get('Content-Type') || '').startsWith('application/wasm')
    const { instance } = streaming
      ? await WebAssembly.instantiateStreaming(res, imports)
      : await WebAssembly.instantiate(await res.arrayBuffer(), imports)
    return instance
  } catch (err) {
    throw new Error(`authfetch: ${wasmURL} is not a WebAssembly module that this wasm_exec.js can run: ${err.message}`)
  }
}

/**
 * Creates a client. Resolves once the module runs and the options are valid;
 * rejects with an Error that names a bad option or says what failed to load.
 */
export async function createAuthFetch(options = {}) {
  if (options === null || typeof options !== 'object') {
    throw new Error(`authfetch: options must be an object, got ${options === null ? 'null' : typeof options}`)
  }
  const { wasmURL, ...rest } = options
  if (wasmURL !== undefined && typeof wasmURL !== 'string' && !(wasmURL instanceof URL)) {
    throw new Error(`authfetch: option wasmURL must be a string or URL, got ${typeof wasmURL}`)
  }
  checkOptions(rest)
  const base = globalThis.document?.baseURI ?? globalThis.location?.href
  const url = wasmURL === undefined
    ? new URL('./authfetch.wasm', import.meta.url).href
    : new URL(String(wasmURL), base).href
  const module = await loadModule(url)
  const listeners = new Map(EVENTS.map((name) => [name, new Set()]))
  let prover = null // made once the module named the session
  // The refresh courier carries only authfetch's own POST with a refresh
  // token of its own: not a refresh function's, a fetch option's, or one
  // that a cookie holds.
  const useCourier = rest.refreshWorker !== undefined && !rest.refresh && !rest.fetch && rest.refreshTokenKey !== null
  const post = refreshPoster(rest, useCourier ? courier(rest.refreshWorker) : undefined)
  const handle = await module.newClient({ ...rest, debug: debugSink(rest.debug), post }, (name, accessToken, adopted, status, reason) => {
    if (name === 'tokens' && accessToken === null) prover?.drop()
    emit(listeners.get(name), eventDetail(name, accessToken, adopted, status, reason))
  }, (...claims) => prover.prove(...claims))
  if (rest.dpop) prover = dpopProver(handle.sessionKey)
  return wrap(handle, listeners, makeFetch(handle, rest.fetch, prover), prover)
}

/**
 * The JS type each option may have. The module checks what the values mean
 * (a URL that parses, a status in range) and fills in the defaults.
 */
const OPTION_TYPES = {
  baseURL: 'string',
  refreshURL: 'string',
  accessTokenKey: 'string',
  refreshTokenKey: 'string or null',
  storage: 'string or object',
  refreshFormat: 'string',
  clientId: 'string',
  refreshOn: 'number[]',
  allowedOrigins: 'string[]',
  refreshLeewaySeconds: 'number',
  refreshTimeoutMs: 'number',
  crossTab: 'boolean',
  fetch: 'function',
  refresh: 'function',
  refreshInit: 'object',
  debug: 'boolean or function',
  dpop: 'boolean',
  refreshWorker: 'string or object',
}

/** Names a value's type in the words of OPTION_TYPES. */
function typeOf(v) {
  if (v === null) return 'null'
  if (!Array.isArray(v)) return typeof v
  const types = new Set(v.map(typeOf))
  if (types.size === 0) return 'empty array'
  return types.size === 1 ? `${[...types][0]}[]` : 'array of mixed types'
}

/**
 * Refuses what only JS can get wrong: an unknown option (a typo such as
 * refreshUrl), a value of the wrong type, a storage object without the
 * methods of Web Storage, a refreshInit that fetch would refuse.
 */
function checkOptions(options) {
  for (const [name, value] of Object.entries(options)) {
    const want = OPTION_TYPES[name]
    if (!want) throw new Error(`authfetch: unknown option ${JSON.stringify(name)}`)
    const got = typeOf(value)
    if (got === 'undefined' || (got === 'empty array' && want.endsWith('[]'))) continue
    if (!want.split(' or ').includes(got)) throw new Error(`authfetch: option ${name} must be a ${want}, got ${got}`)
  }
  for (const method of ['getItem', 'setItem', 'removeItem']) {
    if (typeof options.storage === 'object' && typeof options.storage[method] !== 'function') {
      throw new Error(`authfetch: option storage must have a ${method} method, as Web Storage has`)
    }
  }
  const { credentials, headers } = options.refreshInit ?? {}
  if (credentials !== undefined && !['omit', 'same-origin', 'include'].includes(credentials)) {
    throw new Error(`authfetch: option refreshInit.credentials must be 'omit', 'same-origin' or 'include', got ${JSON.stringify(credentials)}`)
  }
  try {
    if (headers !== undefined) new Headers(headers)
  } catch (err) {
    throw new Error(`authfetch: option refreshInit.headers: ${err.message}`)
  }
}

/** Checks setTokens' argument, which the module takes as it is. */
function checkTokens(t) {
  if (t === null || typeof t !== 'object') throw new Error(`authfetch: setTokens takes {accessToken, refreshToken?, expiresIn?}, got ${typeOf(t)}`)
  const { accessToken, refreshToken, expiresIn } = t
  if (typeof accessToken !== 'string') throw new Error(`authfetch: setTokens: accessToken must be a string, got ${typeOf(accessToken)}`)
  if (refreshToken != null && typeof refreshToken !== 'string') throw new Error(`authfetch: setTokens: refreshToken must be a string, got ${typeOf(refreshToken)}`)
  if (expiresIn != null && !(typeof expiresIn === 'number' && expiresIn >= 0 && expiresIn < 2 ** 31)) {
    throw new Error(`authfetch: setTokens: expiresIn must be a number of seconds >= 0, got ${JSON.stringify(expiresIn) ?? typeOf(expiresIn)}`)
  }
}

/**
 * Reports what the page's one module holds: its Go heap and the callbacks
 * (js.Func) it has made and not released. Both stay flat while requests come
 * and go unless something leaks. Resolves to null when no module is running.
 */
export async function moduleStats() {
  const module = running && await running.catch(() => null)
  return module ? module.moduleStats() : null
}

/**
 * The debug option as the module calls it, with each decision's type, url,
 * reason and count: true logs the entry with console.debug, a function gets
 * it. undefined without the option.
 */
function debugSink(debug) {
  if (!debug) return undefined
  const sink = debug === true ? (entry) => console.debug('authfetch:', entry) : debug
  return (type, url, reason, count) => {
    const entry = { type }
    if (url) entry.url = url
    if (reason) entry.reason = reason
    if (count) entry.count = count
    sink(entry)
  }
}

/** The detail of an event of each kind, from what the module reports. */
function eventDetail(name, accessToken, adopted, status, reason) {
  switch (name) {
    case 'refresh': return adopted ? { accessToken, adopted } : { accessToken }
    case 'tokens': return { accessToken }
    default: return status ? { status, reason } : { reason }
  }
}

/** Calls each listener; one that throws is reported and does not stop the others. */
function emit(fns, detail) {
  Object.freeze(detail)
  for (const fn of [...fns]) {
    try {
      fn(detail)
    } catch (err) {
      if (typeof globalThis.reportError === 'function') globalThis.reportError(err)
      else console.error(err)
    }
  }
}

/** Wraps a Go client handle in the public API; every method is bound. */
function wrap(handle, listeners, apiFetch, prover) {
  let closed = false
  const closedError = (method) => new Error(`authfetch: ${method}() called after close()`)
  const call = (method, ...args) => {
    if (closed) throw closedError(method)
    const result = handle[method](...args)
    if (result instanceof Error) throw result
    return result
  }
  return Object.freeze({
    fetch: (input, init) => closed ? Promise.reject(closedError('fetch')) : apiFetch(input, init),
    setTokens: (tokens) => {
      checkTokens(tokens)
      call('setTokens', tokens.accessToken, tokens.refreshToken ?? '', tokens.expiresIn ?? 0)
    },
    clearTokens: () => {
      call('clearTokens')
      prover?.discard().catch((err) => console.warn('authfetch: could not discard the DPoP key:', err))
    },
    getAccessToken: () => call('getAccessToken'),
    refresh: () => closed ? Promise.reject(closedError('refresh')) : handle.refresh(),
    getValidAccessToken: () => closed ? Promise.reject(closedError('getValidAccessToken')) : handle.getValidAccessToken(),
    stats: () => {
      const [requests, retries, refreshes, adoptions, refreshErrors, authFailures] = call('stats')
      return { requests, retries, refreshes, adoptions, refreshErrors, authFailures }
    },
    on(event, fn) {
      const fns = listeners.get(event)
      if (!fns) throw new Error(`authfetch: unknown event ${JSON.stringify(event)}; the events are ${EVENTS.join(', ')}`)
      if (typeof fn !== 'function') throw new Error(`authfetch: on(${JSON.stringify(event)}) needs a function, got ${typeof fn}`)
      fns.add(fn)
      return () => { fns.delete(fn) }
    },
    close() {
      if (closed) return
      closed = true
      for (const fns of listeners.values()) fns.clear()
      apiFetch.settled().then(() => handle.close()) // requests under way still settle

    },
  })
}
