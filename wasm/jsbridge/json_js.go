//go:build js && wasm

package jsbridge

import "syscall/js"

// parseJSON implements core.ParseJSON with the browser's JSON.parse, keeping
// the object's top-level strings, numbers and booleans.
func parseJSON(text string) (obj map[string]any, ok bool) {
	err := catch(func() error {
		v := jsJSON.Call("parse", text)
		if v.Type() != js.TypeObject || jsArray.Call("isArray", v).Bool() {
			return nil
		}
		keys := jsObject.Call("keys", v)
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
