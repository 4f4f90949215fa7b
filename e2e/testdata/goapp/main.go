//go:build js && wasm

// Command goapp is a Go WebAssembly app that calls its API with authfetch's
// Go API: net/http's own browser transport underneath, and the page's
// localStorage for the tokens, shared with authfetch.js in the same page.
// It hands the page goBurst(n), a Promise of the statuses of n requests sent
// at once, and sets goReady when it runs.
package main

import (
	"fmt"
	"net/http"
	"sync"
	"syscall/js"

	"github.com/authfetch/authfetch"
)

func main() {
	origin := js.Global().Get("location").Get("origin").String()
	client, err := authfetch.New(authfetch.Options{RefreshURL: origin + "/auth/refresh-token", Storage: authfetch.LocalStorage()})
	if err != nil {
		panic(err)
	}
	burst := js.FuncOf(func(_ js.Value, args []js.Value) any {
		n := args[0].Int()
		return js.Global().Get("Promise").New(js.FuncOf(func(_ js.Value, settle []js.Value) any {
			go func() { settle[0].Invoke(statuses(client.HTTPClient(), origin, n)) }()
			return nil
		}))
	})
	js.Global().Set("goBurst", burst)
	js.Global().Set("goReady", true)
	select {}
}

// statuses sends n GET requests at once and returns their statuses (0 for
// an error).
func statuses(c *http.Client, origin string, n int) []any {
	out := make([]any, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.Get(fmt.Sprintf("%s/api/item/%d", origin, i))
			if err != nil {
				out[i] = 0
				return
			}
			res.Body.Close()
			out[i] = res.StatusCode
		}()
	}
	wg.Wait()
	return out
}
