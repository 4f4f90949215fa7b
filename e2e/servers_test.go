//go:build !js

package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// serve serves h on 127.0.0.1 for the life of the test and returns its URL,
// an origin with nothing stored in the browser yet.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv, err := browsertest.Serve(h)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	clearOrigin(t, srv.URL)
	return srv.URL
}

// clearOrigin drops what the browser stored for origin, a server the test
// has just started: its port may be one an earlier test's server had, whose
// page stored tokens there. All tabs share one profile, and so one renderer
// and its compiled module.
func clearOrigin(t *testing.T, origin string) {
	t.Helper()
	require.NoError(t, harness.Browser.ClearOrigin(origin))
}

// newFakeAPI starts the application's origin for the life of the test: the
// fake token API, recording every request, and files for the rest (the page
// and the module: harness.Files()). Its default session is logged in with
// the tokens a1 and r1.
func newFakeAPI(t *testing.T, files http.Handler) (api *browsertest.FakeAPI, url string) {
	t.Helper()
	api = browsertest.NewFakeAPI(browsertest.Config{Record: true, Files: files})
	api.Login()
	url = serve(t, api)
	t.Cleanup(api.Close) // first: the requests it holds give up before the server closes
	return api, url
}

// newOtherOrigin starts a second origin for the life of the test.
func newOtherOrigin(t *testing.T) *browsertest.OtherOrigin {
	t.Helper()
	o, err := browsertest.StartOtherOrigin()
	require.NoError(t, err)
	t.Cleanup(o.Close)
	return o
}

// refusingURL is a URL of 127.0.0.1 where connections are refused.
func refusingURL(t *testing.T) string {
	t.Helper()
	u, err := browsertest.RefusingURL()
	require.NoError(t, err)
	return u
}

// requestTo returns the record of the only request to uri (path and query),
// failing the test unless there is exactly one.
func requestTo(t *testing.T, api *browsertest.FakeAPI, uri string) browsertest.Record {
	t.Helper()
	got := api.RequestsTo(uri)
	require.Len(t, got, 1, "requests to %s", uri)
	return got[0]
}

// waitFor waits until ch yields or closes; what says what the test waited for.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(evalTimeout):
		require.FailNow(t, "timed out waiting: "+what)
	}
}
