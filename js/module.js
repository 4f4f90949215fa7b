// The page's one running module: authfetch.wasm and Go's glue, loaded and
// run once per page, whose exports make every client of the page.

import { AuthFetchError } from './errors.js'
import { typeOf } from './options.js'

/** The global the Go module calls with its exports once it runs. */
const READY = '__authfetchReady'

/** The page's one running module: a Promise of its exports, or null. */
let running = null

/**
 * Loads and runs the module once per page; later calls reuse it, whatever
 * their source. A failed load is forgotten, so the next call tries again.
 * source is moduleSource's. Rejects with an AuthFetchError of code 'load'.
 */
export function loadModule(source) {
  if (!running) {
    running = startModule(source).catch((err) => {
      running = null
      throw err
    })
  }
  return running
}

/** The running module's exports, or null when none runs (or it failed). */
export async function runningModule() {
  return running && running.catch(() => null)
}

/**
 * Why authfetch cannot run here, or '' where it can: the browser APIs it
 * needs. Node (and so server-side rendering) has fetch and WebAssembly but
 * no location, the page whose origins the tokens belong to.
 */
export function missingBrowserAPI() {
  for (const name of ['location', 'WebAssembly', 'fetch', 'Request', 'Headers', 'AbortController']) {
    if (globalThis[name] === undefined) return name
  }
  return ''
}

/**
 * Where the module comes from: the wasmModule option, or the URL of
 * wasmURL (resolved against the page) or, by default, of the authfetch.wasm
 * beside this file. Bundlers see new URL('./authfetch.wasm', import.meta.url)
 * and ship the file with the bundle. Throws a TypeError for an unparsable
 * wasmURL.
 */
export function moduleSource({ wasmURL, wasmModule }) {
  if (wasmModule !== undefined) return { module: wasmModule, where: 'the wasmModule option' }
  const base = globalThis.document?.baseURI ?? globalThis.location?.href
  const url = wasmURL === undefined
    ? new URL('./authfetch.wasm', import.meta.url).href
    : new URL(String(wasmURL), base).href
  return { url, where: url }
}

const loadError = (message, cause) => new AuthFetchError(`authfetch: ${message}`, { code: 'load', cause })

/**
 * Compiles the module while Go's glue loads (neither needs the other), then
 * instantiates and runs it, and resolves with its exports.
 */
async function startModule(source) {
  const [module, Go] = await Promise.all([compile(source), goClass()])
  const go = new Go()
  let instance
  try {
    instance = await WebAssembly.instantiate(module, go.importObject)
  } catch (err) {
    throw loadError(`${source.where} is not a module that this wasm_exec.js can run: ${err.message}`, err)
  }
  const exported = new Promise((resolve) => { globalThis[READY] = resolve })
  const exited = go.run(instance).then(() => {
    throw loadError(`the module from ${source.where} exited before it was ready`)
  })
  exited.catch(() => {}) // once ready, the race below no longer listens
  try {
    return await Promise.race([exported, exited])
  } finally {
    delete globalThis[READY]
  }
}

/**
 * The compiled module: the wasmModule option's, or fetched and compiled as
 * it downloads where the server sends application/wasm (compileStreaming
 * needs that type), else compiled once downloaded.
 */
async function compile({ module, url }) {
  if (module !== undefined) {
    let m
    try {
      m = await module
    } catch (err) {
      throw loadError(`the wasmModule option rejected: ${err?.message ?? err}`, err)
    }
    if (!(m instanceof WebAssembly.Module)) throw loadError(`the wasmModule option resolved ${typeOf(m)}, not a WebAssembly.Module`)
    return m
  }
  let res
  try {
    res = await fetch(url)
  } catch (err) {
    throw loadError(`could not fetch ${url}: ${err.message}`, err)
  }
  if (!res.ok) throw loadError(`could not load ${url}: ${res.status} ${res.statusText}`.trim())
  try {
    const streaming = (res.headers.get('Content-Type') || '').startsWith('application/wasm')
    return streaming ? await WebAssembly.compileStreaming(res) : await WebAssembly.compile(await res.arrayBuffer())
  } catch (err) {
    throw loadError(`could not compile ${url}: ${err.message}`, err)
  }
}

/** authfetch's own Go class (go.js), loaded on the first start. */
async function goClass() {
  try {
    return (await import('./go.js')).Go
  } catch (err) {
    throw loadError(`could not load Go's wasm_exec.js (beside authfetch.js): ${err.message}`, err)
  }
}
