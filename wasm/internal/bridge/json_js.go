//go:build js && wasm

package bridge

import (
	"syscall/js"

	"github.com/authfetch/authfetch/internal/jsutil"
)

// parseJSON implements core.ParseJSON with the browser's JSON.parse, keeping
// the object's top-level strings, numbers and booleans.
func parseJSON(text string) (obj map[string]any, ok bool) {
	err := jsutil.Catch(func() error {
		v := jsutil.JSON.Call("parse", text)
		if v.Type() != js.TypeObject || jsutil.Array.Call("isArray", v).Bool() {
			return nil
		}
		keys := jsutil.Object.Call("keys", v)
		obj = make(map[string]any, keys.Length())
		for i, n := 0, keys.Length(); i < n; i++ {
			k := keys.Index(i).String()
			switch f := v.Get(k); f.Type() {
			case js.TypeString:
				obj[k] = f.String()
			case js.TypeNumber:
				obj[k] = f.Float()
			case js.TypeBoolean:
				obj[k] = f.Bool()
			default:
				obj[k] = nil
			}
		}
		ok = true
		return nil
	})
	return obj, ok && err == nil
}
