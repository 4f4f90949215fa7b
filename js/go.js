// authfetch's own Go class, from the wasm_exec.js beside this file, with
// the page's globalThis.Go left as it was.
//
// wasm_exec.js is Go's file, unchanged: it assigns its class to
// globalThis.Go. ES modules run their imports in order, then their own body,
// in one go: page-go.js reads what the page had, wasm_exec.js replaces it,
// and this body takes the class and puts the page's value back before any
// other script runs. So authfetch never runs a Go class the page brought
// (which may come from another toolchain), and the page never sees ours.
// Importing this module is what loads the runtime's glue: the loader does it
// when a client starts, never at import time. A page that observes the
// module (the soak and the bench count its calls and read its memory)
// imports this module itself before its first client and wraps methods of
// Go.prototype: the loader's import gets the same class.

import { pageGo } from './page-go.js'
import './wasm_exec.js'

/** wasm_exec.js' Go class. */
export const Go = globalThis.Go

if (pageGo) Object.defineProperty(globalThis, 'Go', pageGo)
else delete globalThis.Go

if (typeof Go !== 'function') {
  throw new Error("the wasm_exec.js beside go.js did not define Go: it is not Go's wasm_exec.js")
}
