//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The README's "Use with …" recipes: each constant is quoted there as it is,
// and run here as a module (with `export { api, http, items }` appended).
// The client is made without waiting: the library's first request waits
// for the module inside api.fetch.
// In the page, an import map resolves 'authfetch' to /js/authfetch.js and each
// library to its browser ES module build in node_modules.

// kyRecipe: ky takes a fetch as an option.
const kyRecipe = `import ky from 'ky'
import { AuthFetch } from 'authfetch'

const api = new AuthFetch({ refreshURL: '/auth/refresh-token' })
const http = ky.create({ fetch: api.fetch })

const items = await http.get('/api/items').json()
`

// ofetchRecipe: ofetch.create(defaults, globalOptions) takes the fetch in its
// second argument; ofetch.create({ fetch }) would make fetch a request option
// that ofetch ignores, and send with the global fetch.
const ofetchRecipe = `import { ofetch } from 'ofetch'
import { AuthFetch } from 'authfetch'

const api = new AuthFetch({ refreshURL: '/auth/refresh-token' })
const http = ofetch.create({}, { fetch: api.fetch })

const items = await http('/api/items')
`

// axiosRecipe: the one-line migration from the axios interceptor (axios ≥ 1.12
// lets its fetch adapter take a fetch).
const axiosRecipe = `import axios from 'axios'
import { AuthFetch } from 'authfetch'

const api = new AuthFetch({ refreshURL: '/auth/refresh-token' })
const http = axios.create({ adapter: 'fetch', env: { fetch: api.fetch } })

const { data: items } = await http.get('/api/items')
`

// openapiFetchRecipe: in TypeScript, createClient<paths>(…) with the paths
// that openapi-typescript generated.
const openapiFetchRecipe = `import createClient from 'openapi-fetch'
import { AuthFetch } from 'authfetch'

const api = new AuthFetch({ refreshURL: '/auth/refresh-token' })
const http = createClient({ baseUrl: '/api', fetch: api.fetch })

const { data: items } = await http.GET('/items')
`

// clientModules are the browser ES module builds the page imports, by import
// name, relative to node_modules: ky's only export; ofetch's "browser" export
// and its two dependencies; axios' self-contained ESM bundle (its "browser"
// export is the unbundled source, which expects a bundler); openapi-fetch's
// "import" export.
var clientModules = map[string]string{
	"ky":            "ky/distribution/index.js",
	"ofetch":        "ofetch/dist/index.mjs",
	"destr":         "destr/dist/index.mjs",
	"ufo":           "ufo/dist/index.mjs",
	"axios":         "axios/dist/esm/axios.js",
	"openapi-fetch": "openapi-fetch/dist/index.mjs",
}

// TestClientsThatTakeAFetchRefreshOnceAndRetry runs each recipe: its first
// request after the server revoked the token gets a 401, which authfetch
// refreshes once and retries, so the library only ever sees the 200. Then
// three concurrent requests through the library after a second revocation
// share one refresh.
func TestClientsThatTakeAFetchRefreshOnceAndRetry(t *testing.T) {
	t.Parallel()
	requirePinned(t, "ky", "ofetch", "axios", "openapi-fetch")
	for _, c := range []struct {
		name, recipe string
		get          string // JS: async (http, n) => the parsed JSON of GET /api/items?n=<n>
	}{
		{"ky", kyRecipe, `(http, n) => http.get('/api/items?n=' + n).json()`},
		{"ofetch", ofetchRecipe, `(http, n) => http('/api/items?n=' + n)`},
		{"axios", axiosRecipe, `async (http, n) => (await http.get('/api/items?n=' + n)).data`},
		{"openapi-fetch", openapiFetchRecipe, `async (http, n) => {
			const { data, error, response } = await http.GET('/items', { params: { query: { n } } });
			if (error) throw new Error('openapi-fetch: ' + response.status);
			return data;
		}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newClientsSession(t, c.recipe)

			// The recipe's own request, after the server revoked a1.
			s.api.RevokeAccess()
			first := eval[apiAnswer](t, s.tab, `
				const m = await import('/recipe.js');
				window.recipe = m;
				return m.items;`)
			require.Equal(t, apiAnswer{URI: "/api/items", Auth: "Bearer a2"}, first, "what %s got back", c.name)
			require.Equal(t, []string{"Bearer a1", "Bearer a2"}, s.api.Auths("/api/items"), "sent, got 401, retried with the new token")
			require.Equal(t, 1, s.api.RefreshCalls(), "one refresh")

			// Three at once, after another revocation: one refresh for all.
			s.api.RevokeAccess()
			got := eval[[]apiAnswer](t, s.tab, `
				const get = `+c.get+`;
				return await Promise.all([1, 2, 3].map(n => get(recipe.http, n)));`)
			for i, a := range got {
				require.Equal(t, apiAnswer{URI: fmt.Sprintf("/api/items?n=%d", i+1), Auth: "Bearer a3"}, a, "answer %d", i+1)
			}
			require.Equal(t, 2, s.api.RefreshCalls(), "one refresh for the three")
			revoked := 0
			for _, r := range s.api.Requests("/api/items")[2:] {
				if r.Auth == "Bearer a2" {
					revoked++
				}
			}
			require.GreaterOrEqual(t, revoked, 1, "a request went out with the revoked token")
			st := eval[clientStats](t, s.tab, `return recipe.api.stats()`)
			require.Equal(t, 1+revoked, st.Retries, "each request that got a 401 was retried once")
			require.Equal(t, 4, st.Requests, "every request went through api.fetch")
		})
	}
}

// apiAnswer is the JSON that the fake API answers for /api/*.
type apiAnswer struct {
	URI  string `json:"uri"`
	Auth string `json:"auth"`
}

// newClientsSession starts the fake API with a page, /clients.html, that has
// an import map for authfetch and the client libraries, and /recipe.js, the
// recipe with its names exported. The page starts with the tokens a1 and r1
// stored.
func newClientsSession(t *testing.T, recipe string) *session {
	t.Helper()
	imports := map[string]string{"authfetch": "/js/authfetch.js"}
	for name, path := range clientModules {
		imports[name] = "/node_modules/" + path
	}
	importMap, err := json.Marshal(map[string]any{"imports": imports})
	require.NoError(t, err)

	files := http.NewServeMux()
	files.Handle("/", harness.Files())
	files.HandleFunc("GET /clients.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>authfetch clients</title>
<script type="importmap">%s</script></head><body></body></html>`, importMap)
	})
	files.HandleFunc("GET /recipe.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		io.WriteString(w, recipe+"\nexport { api, http, items }\n")
	})
	modules := http.StripPrefix("/node_modules/", http.FileServer(http.Dir(filepath.Join(harness.Root, "node_modules"))))
	files.HandleFunc("GET /node_modules/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".js") || strings.HasSuffix(r.URL.Path, ".mjs") {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		}
		modules.ServeHTTP(w, r)
	})

	s := &session{t: t}
	s.api, s.url = newFakeAPI(t, files)
	s.tab = openTab(t, s.url+"/clients.html")
	do(t, s.tab, `localStorage.clear(); localStorage.setItem('accessToken', 'a1'); localStorage.setItem('refreshToken', 'r1');`)
	return s
}

// requirePinned fails unless each package is installed in node_modules at the
// exact version that the root package.json pins.
func requirePinned(t *testing.T, packages ...string) {
	t.Helper()
	requireInstalled(t, harness.Root)
	var root struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	b, err := os.ReadFile(filepath.Join(harness.Root, "package.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &root))
	for _, p := range packages {
		var installed struct {
			Version string `json:"version"`
		}
		b, err := os.ReadFile(filepath.Join(harness.Root, "node_modules", p, "package.json"))
		require.NoError(t, err, "%s is not installed: run make deps", p)
		require.NoError(t, json.Unmarshal(b, &installed))
		require.Equal(t, root.DevDependencies[p], installed.Version, "node_modules/%s is not the version package.json pins: run make deps", p)
	}
}
