//go:build js && wasm

package authfetch

import "github.com/authfetch/authfetch/internal/webstorage"

// LocalStorage returns the page's localStorage as a Storage, so that a Go
// WebAssembly app reads the tokens its login page wrote and shares them with
// authfetch.js clients of the same keys. Where the page may not use
// localStorage it returns memory.
func LocalStorage() Storage { return webstorage.Open("local") }
