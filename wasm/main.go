//go:build js && wasm

// Command authfetch is the WebAssembly module that js/authfetch.js loads. It
// hands its exports to the loader and then lives as long as the page.
package main

import "github.com/authfetch/authfetch/wasm/internal/bridge"

func main() {
	bridge.Start()
	select {}
}
