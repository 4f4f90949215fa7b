//go:build js && wasm

package jsbridge

import "syscall/js"

// promise runs work in a goroutine and returns a Promise that settles with its
// result, exactly once. A panic in work rejects the Promise.
func promise(work func() (js.Value, error)) js.Value {
	r := jsPromise.Call("withResolvers")
	go func() {
		var v js.Value
		err := catch(func() (err error) {
			v, err = work()
			return err
		})
		if err != nil {
			r.Get("reject").Invoke(toJS(err))
			return
		}
		r.Get("resolve").Invoke(v)
	}()
	return r.Get("promise")
}

// rejected returns a Promise already rejected with err.
func rejected(err error) js.Value {
	return jsPromise.Call("reject", toJS(err))
}

// await blocks the calling goroutine until p settles. It must not run on a
// js.Func's own goroutine. Both callbacks are released whichever fires.
func await(p js.Value) (js.Value, error) {
	type settled struct {
		value js.Value
		err   error
	}
	ch := make(chan settled, 1)
	var onFulfilled, onRejected js.Func
	releaseBoth := func() {
		release(onFulfilled)
		release(onRejected)
	}
	onFulfilled = funcOf(func(_ js.Value, args []js.Value) any {
		releaseBoth()
		ch <- settled{value: arg(args, 0)}
		return nil
	})
	onRejected = funcOf(func(_ js.Value, args []js.Value) any {
		releaseBoth()
		ch <- settled{err: &JSError{Value: arg(args, 0)}}
		return nil
	})
	p.Call("then", onFulfilled, onRejected)
	s := <-ch
	return s.value, s.err
}

// arg returns args[i], or undefined when the caller passed fewer.
func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}
