// Cold and repeat starts, each pair in a fresh browser context: the first
// visit finds nothing cached; the repeat visit, a new page in the same tab,
// finds what the first one left in the HTTP cache and the browser's cache of
// compiled WebAssembly. Everything is loaded from /cached/ (the repository's
// js/ and wasm_exec.js, sent cacheable) and /wasm/ (the modules, cacheable).

/**
 * authfetch: import the loader, then createAuthFetch until it resolves with a
 * client (download, compile, instantiate, Go runtime start, client ready).
 */
export async function authfetch(wasmURL) {
  const t0 = performance.now()
  const marks = await watch()
  const { createAuthFetch } = await import('/cached/js/authfetch.js')
  await createAuthFetch({ wasmURL })
  return visit(t0, wasmURL, marks)
}

/** The empty Go program: load wasm_exec.js, instantiate, run main until it exits. */
export async function empty(wasmURL) {
  const t0 = performance.now()
  const marks = await watch()
  const go = new globalThis.Go()
  const { instance } = await WebAssembly.instantiateStreaming(fetch(wasmURL), go.importObject)
  await go.run(instance)
  return visit(t0, wasmURL, marks)
}

/**
 * Loads wasm_exec.js and wraps, for this page, WebAssembly.instantiateStreaming
 * and Go.run to mark when each is called and when instantiation resolves: the
 * phases of a start that streams its module, which a repeat visit must (V8
 * caches compiled code only for streamed modules).
 */
async function watch() {
  await import('/cached/wasm_exec.js')
  const marks = {}
  const instantiate = WebAssembly.instantiateStreaming
  WebAssembly.instantiateStreaming = async (source, imports) => {
    marks.instantiate = performance.now()
    const result = await instantiate(source, imports)
    marks.instantiated = performance.now()
    return result
  }
  const Base = globalThis.Go
  globalThis.Go = class extends Base {
    run(instance) {
      marks.run = performance.now()
      return super.run(instance)
    }
  }
  return marks
}

/**
 * The milliseconds since t0, whether the module came from the HTTP cache (its
 * resource timing entry shows no bytes transferred), and the phases: the
 * scripts up to instantiateStreaming, the module fetched, compiled (or its
 * compiled code read from the cache) and instantiated, and Go from run to
 * ready (the empty program: to its exit).
 */
function visit(t0, wasmURL, marks) {
  const end = performance.now()
  const [entry] = performance.getEntriesByName(new URL(wasmURL, location.href).href)
  return {
    ms: end - t0,
    fromCache: !!entry && entry.transferSize === 0 && entry.decodedBodySize > 0,
    scripts: marks.instantiate - t0,
    instantiate: marks.instantiated - marks.instantiate,
    start: end - marks.run,
  }
}

/**
 * The same two, split into phases. The module is served as
 * application/octet-stream, so the loader downloads it whole and calls
 * WebAssembly.instantiate(bytes), which this wraps to time compile and
 * instantiate apart; Go.run is wrapped to time the start. Returns null for
 * phases it could not see (a loader that no longer takes that path).
 */
export async function phases(kind, wasmURL) {
  await import('/cached/wasm_exec.js')
  const marks = {}
  const compile = WebAssembly.compile
  const instantiate = WebAssembly.instantiate
  WebAssembly.instantiate = async (bytes, imports) => {
    marks.downloaded = performance.now()
    const module = bytes instanceof WebAssembly.Module ? bytes : await compile(bytes)
    marks.compiled = performance.now()
    const instance = await instantiate(module, imports)
    marks.instantiated = performance.now()
    return { module, instance }
  }
  const Base = globalThis.Go
  globalThis.Go = class extends Base {
    run(instance) {
      marks.run = performance.now()
      return super.run(instance)
    }
  }
  const t0 = performance.now()
  if (kind === 'authfetch') {
    const { createAuthFetch } = await import('/cached/js/authfetch.js')
    await createAuthFetch({ wasmURL })
  } else {
    const go = new globalThis.Go()
    const res = await fetch(wasmURL)
    const { instance } = await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject)
    await go.run(instance)
  }
  const end = performance.now()
  if (!marks.downloaded || !marks.run) return null
  return {
    download: marks.downloaded - t0,
    compile: marks.compiled - marks.downloaded,
    instantiate: marks.instantiated - marks.compiled,
    start: end - marks.run,
    total: end - t0,
  }
}
