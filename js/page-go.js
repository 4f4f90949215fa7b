// The page's own globalThis.Go, if it has one (another Go WebAssembly
// program, another toolchain's wasm_exec.js), as a property descriptor, or
// undefined. go.js imports this module before wasm_exec.js, so it is read
// before wasm_exec.js replaces it.

export const pageGo = Object.getOwnPropertyDescriptor(globalThis, 'Go')
