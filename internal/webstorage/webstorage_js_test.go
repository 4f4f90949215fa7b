//go:build js && wasm

package webstorage

import (
	"testing"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Open gives the page's own Web Storage for 'local' and 'session', so what it
// writes is what the page sees, and memory for anything else.
func TestOpenIsThePagesOwnStorage(t *testing.T) {
	for _, tt := range []struct{ kind, area string }{{"local", "localStorage"}, {"session", "sessionStorage"}} {
		t.Run(tt.kind, func(t *testing.T) {
			area := jsutil.Global.Get(tt.area)
			s := Open(tt.kind)
			require.NoError(t, s.Set("k", "v1"))
			assert.Equal(t, "v1", area.Call("getItem", "k").String())
			area.Call("setItem", "k", "v2")
			got, err := s.Get("k")
			require.NoError(t, err)
			assert.Equal(t, "v2", got)
			require.NoError(t, s.Remove("k"))
			assert.True(t, area.Call("getItem", "k").IsNull())
			got, err = s.Get("k")
			require.NoError(t, err)
			assert.Empty(t, got)
		})
	}
	assert.IsType(t, &core.MemoryStorage{}, Open("memory"))
}

// What the browser throws becomes an error, on which core.TokenStore falls
// back to memory; a value that is not a string is an error too.
func TestStorageTroubleIsAnError(t *testing.T) {
	area := jsutil.Global.Get("localStorage")
	s := Open("local")
	orig := area.Get("setItem")
	jsutil.Global.Call("eval", `localStorage.setItem = () => { throw new DOMException('full', 'QuotaExceededError') }`)
	err := s.Set("k", "v")
	area.Set("setItem", orig)
	jsutil.Global.Call("eval", `delete localStorage.setItem`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "QuotaExceededError")

	jsutil.Global.Call("eval", `localStorage.getItem = () => 42`)
	_, err = s.Get("k")
	jsutil.Global.Call("eval", `delete localStorage.getItem`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "returned a number, not a string")
}
