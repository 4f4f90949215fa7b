// Instrumentation for the memory page: it must be imported before authfetch
// loads. It subclasses wasm_exec.js' Go, so the page can read the module's
// linear memory and the table of JS values that Go holds beside the Go heap
// and js.Funcs that authfetch's moduleStats() reports, and count, while
// counting is on, every js.FuncOf (Go calls _makeFuncWrapper), every entry
// from JS into Go (_resume) and every import the module calls (syscall/js.*
// is one Go→JS crossing each). It only observes; nothing of authfetch changes.

await import('/wasm_exec.js')

const probe = { go: null, instance: null, counting: false, counts: {} }
globalThis.__benchProbe = probe

const count = (name) => { if (probe.counting) probe.counts[name] = (probe.counts[name] || 0) + 1 }

const Base = globalThis.Go
globalThis.Go = class extends Base {
  constructor() {
    super()
    probe.go = this
    for (const [mod, fns] of Object.entries(this.importObject)) {
      for (const [name, fn] of Object.entries(fns)) {
        if (typeof fn === 'function') fns[name] = (...args) => { count(name); return fn(...args) }
      }
    }
  }
  run(instance) {
    probe.instance = instance
    return super.run(instance)
  }
  _makeFuncWrapper(id) {
    count('js.FuncOf')
    return super._makeFuncWrapper(id)
  }
  _resume() {
    count('JS→Go entries')
    return super._resume()
  }
}

/**
 * What the module holds now: its Go heap and live js.Funcs (authfetch's own
 * moduleStats), linear memory and live JS values referenced from Go.
 */
export async function snapshot() {
  const { go, instance } = probe
  if (!go || !instance) return null
  const { moduleStats } = await import('/js/authfetch.js')
  const held = await moduleStats()
  return {
    goHeap: held.heapBytes,
    liveFuncs: held.liveFuncs,
    wasmMemory: instance.exports.mem.buffer.byteLength,
    goRefs: go._values.length - go._idPool.length,
  }
}

/** Turns counting on or off; on resets the counts. */
export function counting(on) {
  if (on) probe.counts = {}
  probe.counting = on
  return probe.counts
}
