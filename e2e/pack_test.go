//go:build !js

package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestThePackedPackageWorksWithVite packs the package folder as make build
// fills it in (js/ with this run's module), installs the tarball into a
// scratch Vite project (e2e/testdata/packapp) that has no configuration but
// its dev server's proxy, and checks in Chromium, once built with vite build
// and once served by vite's dev server (which pre-bundles the package), that
// the app mounts at once, the module is found and loaded once, a request
// goes out with the token, a revocation costs one refresh, and the .wasm
// that 'authfetch/authfetch.wasm?url' names is the module.
func TestThePackedPackageWorksWithVite(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	tarball := packPackage(t, filepath.Join(tmp, "package"), tmp)

	app := filepath.Join(tmp, "app")
	copyTreeTo(t, filepath.Join(harness.Root, "e2e", "testdata", "packapp"), app, "node_modules", "dist")
	// One install: vite and vue as the committed lock file pins them, and the
	// tarball. npm's cache makes it quick after the first run.
	runTool(t, 5*time.Minute, app, "npm", "install", "--no-save", "--prefer-offline", "--no-audit", "--no-fund", tarball)
	vite := filepath.Join(app, "node_modules", ".bin", "vite")

	t.Run("vite build", func(t *testing.T) {
		t.Parallel()
		dist := filepath.Join(tmp, "dist")
		runTool(t, 2*time.Minute, app, vite, "build", "--outDir", dist, "--emptyOutDir", "--logLevel", "warn")
		site := newDemoSite(t, appFiles(dist))
		wasm := globOne(t, filepath.Join(dist, "assets", "authfetch-*.wasm"))
		require.Equal(t, []string{"/assets/" + filepath.Base(wasm)}, drivePackedApp(t, site, site.URL),
			"the module is loaded once, from the bundle's assets")
	})

	t.Run("vite dev", func(t *testing.T) {
		t.Parallel()
		site := newDemoSite(t, http.NotFoundHandler()) // the demo API, behind the dev server's proxy
		require.Equal(t, []string{"/node_modules/authfetch/authfetch.wasm"}, drivePackedApp(t, site, startViteDev(t, app, vite, site.URL)),
			"the module is loaded once, from the installed package")
	})
}

// drivePackedApp opens the scratch app at pageURL (its API is site's) and
// checks it; it returns the paths from which .wasm files were fetched.
func drivePackedApp(t *testing.T, site *demoSite, pageURL string) []string {
	t.Helper()
	tb := openTab(t, pageURL+"/")
	waitInPage(t, tb, `window.app?.auth !== undefined`) // mounted
	require.Equal(t, "signed out", eval[string](t, tb, `return document.querySelector('#state').textContent`))
	do(t, tb, `await window.app.auth.client.ready`)
	require.True(t, eval[bool](t, tb, `return window.app.auth.ready.value`))

	// Sign in through the Vue glue; a request goes out with the token.
	access := eval[string](t, tb, `
		const res = await fetch('/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com', password: 'demo' }) });
		const tokens = await res.json();
		window.app.auth.login(tokens);
		return tokens.accessToken;`)
	waitInPage(t, tb, `document.querySelector('#state').textContent === 'signed in'`)
	me := eval[outcomeJSON](t, tb, `const res = await window.app.auth.fetch('/api/me'); return { status: res.status, body: await res.json() }`)
	require.Equal(t, 200, me.Status)
	require.Equal(t, "ada@example.com", me.Body["email"])
	require.Equal(t, []string{"Bearer " + access}, site.apiAuths())

	// After a revocation: a 401, one refresh, the retry with the new token.
	site.revoke(t)
	items := eval[outcomeJSON](t, tb, `const res = await window.app.auth.fetch('/api/items'); return { status: res.status, body: await res.json() }`)
	require.Equal(t, 200, items.Status)
	require.Equal(t, demoStats{Logins: 1, RefreshCalls: 1}, site.stats(t))
	renewed := eval[string](t, tb, `return window.app.auth.client.getAccessToken()`)
	require.NotEqual(t, access, renewed)
	require.Equal(t, []string{"Bearer " + access, "Bearer " + access, "Bearer " + renewed}, site.apiAuths())

	// 'authfetch' and 'authfetch/vue' share the one module: a second client
	// loads nothing more and sees the same session. Go's class stays authfetch's own.
	require.Equal(t, renewed, eval[string](t, tb, `return (await window.app.createAuthFetch()).getAccessToken()`))
	require.False(t, eval[bool](t, tb, `return 'Go' in globalThis`), "no globalThis.Go left behind")
	loaded := eval[[]string](t, tb, `return performance.getEntriesByType('resource')
		.filter(e => e.initiatorType === 'fetch')
		.map(e => new URL(e.name).pathname)
		.filter(p => p.endsWith('.wasm'))`)

	// The package's export of the .wasm, imported with ?url, is the module.
	require.True(t, eval[bool](t, tb, `return WebAssembly.validate(await (await fetch(window.app.wasmURL)).arrayBuffer())`),
		"'authfetch/authfetch.wasm?url' names the module")
	return loaded
}

// startViteDev starts vite's dev server for app on a free port of 127.0.0.1,
// passing /auth/, /api/ and /demo/ to api, and returns its URL once it
// listens (it says so: "Local: http://…") and answers. It is stopped when the
// test ends.
func startViteDev(t *testing.T, app, vite, api string) string {
	t.Helper()
	port := freePort(t)
	cmd := exec.Command(vite, "--host", "127.0.0.1", "--port", port, "--strictPort", "--clearScreen", "false")
	cmd.Dir = app
	cmd.Env = append(os.Environ(), "AUTHFETCH_API="+api, "NO_COLOR=1")
	return startServer(t, "vite dev", "Local:", cmd, port)
}

// outcomeJSON is a status and a parsed JSON body.
type outcomeJSON struct {
	Status int            `json:"status"`
	Body   map[string]any `json:"body"`
}

// packPackage lays out the package folder in stage as make build fills it
// in, runs npm pack there into dest as `cd js && npm pack` does, checks the
// tarball's file list and returns its path.
func packPackage(t *testing.T, stage, dest string) string {
	t.Helper()
	files := stagePackage(t, stage)
	out := runTool(t, 2*time.Minute, stage, "npm", "pack", "--json", "--pack-destination", dest)
	var packed []struct {
		Filename string `json:"filename"`
		Files    []struct {
			Path string `json:"path"`
		} `json:"files"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &packed), "npm pack --json printed:\n%s", out)
	require.Len(t, packed, 1)
	var got []string
	for _, f := range packed[0].Files {
		got = append(got, f.Path)
	}
	require.ElementsMatch(t, append([]string{"package.json", "README.md", "LICENSE"}, files...), got, "the files in the tarball")
	return filepath.Join(dest, packed[0].Filename)
}

// globOne returns the one file that pattern matches.
func globOne(t *testing.T, pattern string) string {
	t.Helper()
	found, err := filepath.Glob(pattern)
	require.NoError(t, err)
	require.Len(t, found, 1, "files matching %s", pattern)
	return found[0]
}
