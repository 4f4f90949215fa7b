//go:build js && wasm

package bridge

import (
	"context"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
)

// prover is core.Prover over the loader's prove(htm, htu, iat, nonce,
// accessToken), which signs with WebCrypto (js/dpop.js).
type prover struct {
	prove js.Value
}

func (p prover) Prove(_ context.Context, r core.ProofRequest) (string, error) {
	var promise js.Value
	err := jsutil.Catch(func() error {
		promise = p.prove.Invoke(r.Method, r.URL, r.IssuedAt, r.Nonce, r.AccessToken)
		return nil
	})
	if err != nil {
		return "", err
	}
	v, err := jsutil.Await(promise)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

// claims is what the DPoP proof of an attempt says, as [htm, htu, iat,
// nonce] for the loader's prove, or null when no proof is due.
func (c *client) claims(url, method js.Value, flags int) any {
	p, ok := c.core.Claims(request(url, method, flags))
	if !ok {
		return nil
	}
	return []any{p.Method, p.URL, p.IssuedAt, p.Nonce}
}

// nonceAnswer keeps an answer's DPoP-Nonce and reports whether the answer
// is a nonce challenge.
func (c *client) nonceAnswer(a []js.Value) any {
	return c.core.NonceAnswer(jsutil.Arg(a, 0).String(), jsutil.Arg(a, 1).Int(), jsutil.Arg(a, 2).String(),
		jsutil.Arg(a, 3).String(), jsutil.Arg(a, 4).String())
}
