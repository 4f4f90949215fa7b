// Instrumentation for the memory page: it must be imported before the first
// client starts the module. It wraps methods of authfetch's own Go class, the
// one the loader imports from /js/go.js (wasm_exec.js' class, which go.js
// takes off globalThis), so the page can read the module's linear memory and
// the table of JS values that Go holds beside the Go heap and js.Funcs that
// authfetch's moduleStats() reports, and count, while counting is on, every
// crossing between Go and JS:
//
//   - each import the module calls (Go→JS: syscall/js.*, runtime.nanotime1,
//     runtime.scheduleTimeoutEvent…), by its name;
//   - each entry from JS into Go (Go._resume), and among them the calls of a
//     js.Func (the rest are the Go scheduler's timers firing);
//   - the calls into the client handle's methods (handle.begin, handle.end…),
//     by name: the probe catches the exports that the module hands to
//     js/authfetch.js through globalThis.__authfetchReady and wraps each
//     handle that newClient resolves with. A loader that no longer takes
//     that path leaves the handle's calls counted, unnamed, as js.Func calls.
//
// It only observes; nothing of authfetch changes.

const { Go } = await import('/js/go.js')

const probe = { go: null, instance: null, counting: false, counts: {} }
globalThis.__benchProbe = probe

const count = (name) => { if (probe.counting) probe.counts[name] = (probe.counts[name] || 0) + 1 }

// wasm_exec.js' constructor assigns this.importObject, and the module is
// instantiated with it before run is called: an accessor on the prototype
// takes that assignment, keeps the instance, and stores the imports wrapped
// as the instance's own property.
Object.defineProperty(Go.prototype, 'importObject', {
  configurable: true,
  set(imports) {
    probe.go = this
    for (const fns of Object.values(imports)) {
      for (const [name, fn] of Object.entries(fns)) {
        if (typeof fn === 'function') fns[name] = (...args) => { count('import ' + name); return fn(...args) }
      }
    }
    Object.defineProperty(this, 'importObject', { value: imports, writable: true, configurable: true, enumerable: true })
  },
})

const { run, _makeFuncWrapper, _resume } = Go.prototype
Go.prototype.run = function (instance) {
  probe.go = this
  probe.instance = instance
  return run.call(this, instance)
}
Go.prototype._makeFuncWrapper = function (id) {
  count('js.FuncOf')
  const wrapper = _makeFuncWrapper.call(this, id)
  return function (...args) {
    count('js.Func calls')
    return wrapper.apply(this, args)
  }
}
Go.prototype._resume = function () {
  count('JS→Go entries')
  return _resume.call(this)
}

// The module calls globalThis.__authfetchReady(exports) once it runs; the
// loader sets it just before. The setter keeps the loader's callback and
// hands the module one that wraps newClient first.
Object.defineProperty(globalThis, '__authfetchReady', {
  configurable: true,
  get() { return probe.ready },
  set(resolve) {
    probe.ready = typeof resolve !== 'function' ? resolve : (exports) => {
      const newClient = exports?.newClient
      if (typeof newClient === 'function') {
        exports.newClient = (...args) => Promise.resolve(newClient(...args)).then(wrapHandle)
      }
      return resolve(exports)
    }
  },
})

/** Replaces each method of a client handle by one that counts its calls. */
function wrapHandle(handle) {
  for (const [name, fn] of Object.entries(handle ?? {})) {
    if (typeof fn !== 'function') continue
    handle[name] = function (...args) {
      count('handle.' + name)
      return fn.apply(this, args)
    }
  }
  return handle
}

/**
 * What the module holds now: its Go heap and live js.Funcs (authfetch's own
 * moduleStats), linear memory and live JS values referenced from Go; -1 for
 * the last two where the hooks saw no run of Go's class, null where no
 * module runs.
 */
export async function snapshot() {
  const { moduleStats } = await import('/js/authfetch.js')
  const held = await moduleStats()
  if (!held) return null
  const { go, instance } = probe
  return {
    goHeap: held.heapBytes,
    liveFuncs: held.liveFuncs,
    wasmMemory: instance ? instance.exports.mem.buffer.byteLength : -1,
    goRefs: go?._values ? go._values.length - go._idPool.length : -1,
  }
}

/** Turns counting on or off; on resets the counts. */
export function counting(on) {
  if (on) probe.counts = {}
  probe.counting = on
  return probe.counts
}
