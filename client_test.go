package authfetch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testAPI accepts "a2" only; its refresh endpoint gives a2/r2 and records
// each body; every request's Authorization header and body are recorded.
type testAPI struct {
	*httptest.Server
	mu       sync.Mutex
	auths    []string // guarded by mu
	bodies   []string // guarded by mu
	refreshs []string // guarded by mu: refresh request bodies
}

func newTestAPI(t *testing.T) *testAPI {
	a := &testAPI{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		a.mu.Lock()
		defer a.mu.Unlock()
		if r.URL.Path == "/refresh" {
			if auth := r.Header.Get("Authorization"); auth != "" {
				a.refreshs = append(a.refreshs, "Authorization: "+auth)
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			a.refreshs = append(a.refreshs, r.Header.Get("Content-Type")+" "+string(body))
			io.WriteString(w, `{"accessToken":"a2","refreshToken":"r2","access_token":"a2"}`)
			return
		}
		a.auths = append(a.auths, r.Header.Get("Authorization"))
		a.bodies = append(a.bodies, string(body))
		if r.Header.Get("Authorization") != "Bearer a2" {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *testAPI) seen() (auths, bodies, refreshes []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.auths, a.bodies, a.refreshs
}

// closeCounter counts the response bodies closed.
type closeCounter struct {
	mu     sync.Mutex
	closed int
}

func (c *closeCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		res.Body = closeHook{res.Body, c}
	}
	return res, err
}

type closeHook struct {
	io.ReadCloser
	c *closeCounter
}

func (h closeHook) Close() error {
	h.c.mu.Lock()
	h.c.closed++
	h.c.mu.Unlock()
	return h.ReadCloser.Close()
}

func TestFetch(t *testing.T) {
	other := newTestAPI(t)
	tests := []struct {
		name          string
		opts          func(*Options)
		req           func(api *testAPI) *http.Request
		wantStatus    int
		wantAuths     []string
		wantBodies    []string
		wantRefreshes []string
	}{
		{
			name:          "a revoked token is refreshed and the request sent again",
			req:           func(api *testAPI) *http.Request { return get(t, api.URL+"/me") },
			wantStatus:    200,
			wantAuths:     []string{"Bearer a1", "Bearer a2"},
			wantBodies:    []string{"", ""},
			wantRefreshes: []string{`application/json {"refreshToken":"r1"}`},
		},
		{
			name: "a body is sent again, identical",
			req: func(api *testAPI) *http.Request {
				req, err := http.NewRequest(http.MethodPost, api.URL+"/items", strings.NewReader(`{"n":1}`))
				require.NoError(t, err)
				return req
			},
			wantStatus:    200,
			wantAuths:     []string{"Bearer a1", "Bearer a2"},
			wantBodies:    []string{`{"n":1}`, `{"n":1}`},
			wantRefreshes: []string{`application/json {"refreshToken":"r1"}`},
		},
		{
			name: "a body that cannot be sent again is sent once and its 401 returned",
			req: func(api *testAPI) *http.Request {
				req, err := http.NewRequest(http.MethodPost, api.URL+"/items", io.NopCloser(strings.NewReader("once")))
				require.NoError(t, err)
				return req
			},
			wantStatus: 401,
			wantAuths:  []string{"Bearer a1"},
			wantBodies: []string{"once"},
		},
		{
			name: "an Authorization header of the caller's own is left alone",
			req: func(api *testAPI) *http.Request {
				req := get(t, api.URL+"/me")
				req.Header.Set("Authorization", "Basic x")
				return req
			},
			wantStatus: 401,
			wantAuths:  []string{"Basic x"},
			wantBodies: []string{""},
		},
		{
			name:       "another origin never sees the token",
			req:        func(*testAPI) *http.Request { return get(t, other.URL+"/me") },
			wantStatus: 401,
		},
		{
			name:          "a call of the caller's own to the refresh endpoint is sent untouched",
			req:           func(api *testAPI) *http.Request { return get(t, api.URL+"/refresh?from=app") },
			wantStatus:    200,
			wantRefreshes: []string{" "},
		},
		{
			name:          "the oauth2 format",
			opts:          func(o *Options) { o.RefreshFormat, o.ClientID = "oauth2", "cli" },
			req:           func(api *testAPI) *http.Request { return get(t, api.URL+"/me") },
			wantStatus:    200,
			wantAuths:     []string{"Bearer a1", "Bearer a2"},
			wantBodies:    []string{"", ""},
			wantRefreshes: []string{"application/x-www-form-urlencoded grant_type=refresh_token&refresh_token=r1&client_id=cli"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newTestAPI(t)
			closes := &closeCounter{}
			o := Options{RefreshURL: api.URL + "/refresh", Base: closes}
			if tt.opts != nil {
				tt.opts(&o)
			}
			c, err := New(o)
			require.NoError(t, err)
			c.SetTokens(Tokens{Access: "a1", Refresh: "r1"})

			req := tt.req(api)
			header := req.Header.Clone()
			res, err := c.Fetch(context.Background(), req)
			require.NoError(t, err)
			require.NoError(t, res.Body.Close())
			assert.Equal(t, tt.wantStatus, res.StatusCode)
			auths, bodies, refreshes := api.seen()
			assert.Equal(t, tt.wantAuths, auths)
			assert.Equal(t, tt.wantBodies, bodies)
			assert.Equal(t, tt.wantRefreshes, refreshes)
			otherAuths, _, _ := other.seen()
			for _, a := range otherAuths {
				assert.Empty(t, a, "the other origin saw a token")
			}
			// Every body is closed: the response's, the refresh answer's, and
			// the one a retry replaced.
			assert.Equal(t, max(len(auths)+len(refreshes), 1), closes.closed, "response bodies closed")
			assert.Equal(t, header, req.Header, "the caller's request is not modified")
		})
	}
}

func TestNewNamesTheBadOption(t *testing.T) {
	tests := []struct {
		opts Options
		want string
	}{
		{Options{}, "Options.RefreshURL must be an absolute URL"},
		{Options{RefreshURL: "/auth/refresh-token"}, "Options.RefreshURL must be an absolute URL"},
		{Options{RefreshURL: "https://x/r", RefreshFormat: "xml"}, "Options.RefreshFormat must be 'json' or 'oauth2'"},
		{Options{RefreshURL: "https://x/r", AllowedOrigins: []string{"x"}}, `Options.AllowedOrigins has "x"`},
		{Options{RefreshURL: "https://x/r", RefreshTimeout: -1}, "Options.RefreshTimeout must be positive"},
		{Options{RefreshURL: "https://x/r", RefreshOn: []int{42}}, "Options.RefreshOn must list HTTP statuses (100-599), got 42"},
		{Options{RefreshURL: "https://x/r", AccessTokenKey: "t", RefreshTokenKey: "t"}, `Options.AccessTokenKey must differ from refreshTokenKey, both are "t"`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := New(tt.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func get(t *testing.T, url string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	return req
}

// The body of the response is read after Fetch returns, when the core is done
// with the attempt: it must still be readable to its end.
func TestTheBodyIsReadableAfterFetchReturns(t *testing.T) {
	second := make(chan struct{})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first half, ")
		w.(http.Flusher).Flush()
		<-second
		io.WriteString(w, "second half")
	}))
	defer api.Close()
	c, err := New(Options{RefreshURL: api.URL + "/refresh"})
	require.NoError(t, err)
	c.SetTokens(Tokens{Access: "a1", Refresh: "r1"})

	res, err := c.Fetch(context.Background(), get(t, api.URL+"/me"))
	require.NoError(t, err)
	defer res.Body.Close()
	close(second)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Equal(t, "first half, second half", string(body))
}
