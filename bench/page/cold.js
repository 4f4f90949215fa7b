// Cold and repeat starts, each pair in a fresh browser context: the first
// visit finds nothing cached; the repeat visit, a new page in the same tab,
// finds what the first one left in the HTTP cache and the browser's cache of
// compiled WebAssembly. Everything is loaded from /cached/ (the repository's
// js/ and wasm_exec.js, sent cacheable) and /wasm/ (the modules, cacheable).
//
// The phases are marked around the WebAssembly calls that js/module.js makes
// (compileStreaming, or compile where the module is not sent as
// application/wasm, then instantiate), since the loader's Go class is its
// own (js/go.js) and the page never sees it; the loader calls run as soon as
// instantiate resolves, so Go's start is timed from there. The empty program
// loads the same way: the module compiled while wasm_exec.js loads.

/**
 * authfetch: import the loader, then createAuthFetch until it resolves with a
 * client (download, compile, instantiate, Go runtime start, client ready).
 */
export async function authfetch(wasmURL) {
  const t0 = performance.now()
  const marks = watch()
  const { createAuthFetch } = await import('/cached/js/authfetch.js')
  await createAuthFetch({ wasmURL })
  return visit(t0, wasmURL, marks)
}

/** The empty Go program, loaded as the loader loads authfetch's, run until it exits. */
export async function empty(wasmURL) {
  const t0 = performance.now()
  const marks = watch()
  const [module] = await Promise.all([
    fetch(wasmURL).then((res) => WebAssembly.compileStreaming(res)),
    import('/cached/wasm_exec.js'),
  ])
  const go = new globalThis.Go()
  const instance = await WebAssembly.instantiate(module, go.importObject)
  await go.run(instance)
  return visit(t0, wasmURL, marks)
}

/**
 * Wraps, for this page, WebAssembly.compileStreaming, compile and
 * instantiate to mark when each is called and when instantiation resolves.
 */
function watch() {
  const marks = {}
  const { compileStreaming, compile, instantiate } = WebAssembly
  WebAssembly.compileStreaming = (source) => {
    marks.compile = performance.now()
    return compileStreaming(source)
  }
  WebAssembly.compile = async (bytes) => {
    marks.compile = performance.now()
    const module = await compile(bytes)
    marks.compiled = performance.now()
    return module
  }
  WebAssembly.instantiate = async (module, imports) => {
    marks.instantiate = performance.now()
    const instance = await instantiate(module, imports)
    marks.instantiated = performance.now()
    return instance
  }
  return marks
}

/**
 * The milliseconds since t0, whether the module came from the HTTP cache (its
 * resource timing entry shows no bytes transferred), and the phases: the
 * scripts and the module's answer up to compileStreaming, the module
 * downloaded and compiled (or its compiled code read from the cache) until
 * instantiate is called (by then the glue is loaded too), instantiated, and
 * Go from run to ready (the empty program: to its exit). A phase it could
 * not see is null (a loader that no longer takes that path).
 */
function visit(t0, wasmURL, marks) {
  const end = performance.now()
  const [entry] = performance.getEntriesByName(new URL(wasmURL, location.href).href)
  const seen = marks.compile !== undefined && marks.instantiated !== undefined
  return {
    ms: end - t0,
    fromCache: !!entry && entry.transferSize === 0 && entry.decodedBodySize > 0,
    scripts: seen ? marks.compile - t0 : null,
    compile: seen ? marks.instantiate - marks.compile : null,
    instantiate: seen ? marks.instantiated - marks.instantiate : null,
    start: seen ? end - marks.instantiated : null,
  }
}

/**
 * The same two, split into phases. The module is served as
 * application/octet-stream, so the loader downloads it whole and calls
 * WebAssembly.compile(bytes), then instantiate: download, compile and
 * instantiate are timed apart. Returns null for phases it could not see.
 */
export async function phases(kind, wasmURL) {
  const marks = watch()
  const t0 = performance.now()
  if (kind === 'authfetch') {
    const { createAuthFetch } = await import('/cached/js/authfetch.js')
    await createAuthFetch({ wasmURL })
  } else {
    const [module] = await Promise.all([
      fetch(wasmURL).then((res) => res.arrayBuffer()).then((bytes) => WebAssembly.compile(bytes)),
      import('/cached/wasm_exec.js'),
    ])
    const go = new globalThis.Go()
    const instance = await WebAssembly.instantiate(module, go.importObject)
    await go.run(instance)
  }
  const end = performance.now()
  if (marks.compiled === undefined || marks.instantiated === undefined) return null
  return {
    download: marks.compile - t0,
    compile: marks.compiled - marks.compile,
    instantiate: marks.instantiated - marks.instantiate,
    start: end - marks.instantiated,
    total: end - t0,
  }
}
