//go:build js && wasm

package bridge

import (
	"syscall/js"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
)

// readyCallback is the global that js/authfetch.js sets before it runs the
// module; Start calls it with the module's exports.
const readyCallback = "__authfetchReady"

// Start hands the module's exports to js/authfetch.js: newClient(options,
// emit), which returns a Promise of a client handle, and moduleStats(). Their
// js.Funcs live as long as the module.
func Start() {
	newClient := jsutil.FuncOf(func(_ js.Value, args []js.Value) any {
		return createClient(jsutil.Arg(args, 0), jsutil.Arg(args, 1), jsutil.Arg(args, 2))
	})
	stats := jsutil.FuncOf(func(js.Value, []js.Value) any { return moduleStats() })
	exports := js.ValueOf(map[string]any{"newClient": newClient, "moduleStats": stats})
	ready := jsutil.Global.Get(readyCallback)
	if ready.Type() != js.TypeFunction {
		jsutil.Global.Get("console").Call("error", "authfetch: load the module with js/authfetch.js (no "+readyCallback+" callback found)")
		return
	}
	ready.Invoke(exports)
}

// createClient validates the options and returns a Promise of a client
// handle, rejected with an Error that names a bad option.
func createClient(opts, emit, prove js.Value) js.Value {
	var handle js.Value
	err := jsutil.Catch(func() error {
		cfg, h, err := decodeOptions(opts)
		if err != nil {
			return err
		}
		cc := cfg.Client
		cc.Refresh.Transport = refreshTransport{url: cfg.RefreshURL, post: h.post, ackMs: int(cc.Refresh.Timeout.Milliseconds() / 4)}
		var coreClient *core.Client // set below, before any refresh can run
		var proof func(method, url string) js.Value
		if cc.DPoP {
			cc.Refresh.Prover = prover{prove: prove}
			proof = func(method, url string) js.Value {
				p := coreClient.ClaimsFor(method, url)
				return prove.Invoke(p.Method, p.URL, p.IssuedAt, p.Nonce, "")
			}
		}
		if h.refresh.Type() == js.TypeFunction {
			cc.Refresh.Func = refreshFunc(h.refresh, proof)
		}
		cc.QueuesBeyond = core.BrowserConnectionsPerOrigin
		cc.Trace = h.tracer()
		session, release := sessions.Join(cfg.SessionKey(), func() (*core.Session, func()) { return openSession(cfg, h.storage) })
		coreClient = core.NewClient(session, cc)
		c := &client{cfg: cfg, core: coreClient, emit: emit, release: release}
		c.unsubscribe = session.Subscribe(c.onEvent)
		if cc.Trace != nil {
			stopEvents, stopTrace := c.unsubscribe, session.Trace(cc.Trace)
			c.unsubscribe = func() { stopEvents(); stopTrace() }
		}
		handle = c.handle()
		return nil
	})
	if err != nil {
		return jsutil.Rejected(err)
	}
	return jsutil.Promise.Call("resolve", handle)
}
