//go:build !js

package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestThePackedPackageWorksWithVite packs the npm package as make pack does
// (js/package.json, its "files" in the repository's layout, this run's
// module), installs the tarball into a scratch Vite project
// (e2e/testdata/packapp) and type-checks a usage file against it (check.ts
// imports every export, so their "types" must resolve). Then, once
// built with vite build and once served by vite's dev server (which
// pre-bundles the package), it checks in Chromium that the .wasm and
// wasm_exec.js are found, a request goes out with the token, a revocation
// costs one refresh, and the Vue glue from 'authfetch/vue' works.
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

	t.Run("types", func(t *testing.T) {
		t.Parallel()
		requireInstalled(t, harness.Root) // for tsc
		runTool(t, 2*time.Minute, app, filepath.Join(harness.Root, "node_modules", ".bin", "tsc"), "-p", "tsconfig.json")
	})

	t.Run("vite build", func(t *testing.T) {
		t.Parallel()
		dist := filepath.Join(tmp, "dist")
		runTool(t, 2*time.Minute, app, vite, "build", "--outDir", dist, "--emptyOutDir", "--logLevel", "warn")
		site := newDemoSite(t, appFiles(dist))
		loaded := drivePackedApp(t, site, site.URL)
		wasm := globOne(t, filepath.Join(dist, "assets", "authfetch-*.wasm"))
		exec := globOne(t, filepath.Join(dist, "assets", "wasm_exec-*.js"))
		require.Equal(t, []string{"/assets/" + filepath.Base(exec), "/assets/" + filepath.Base(wasm)}, loaded,
			"wasm_exec.js and the module are loaded once each, from the bundle's assets")
	})

	t.Run("vite dev", func(t *testing.T) {
		t.Parallel()
		site := newDemoSite(t, http.NotFoundHandler()) // the demo API, behind the dev server's proxy
		loaded := drivePackedApp(t, site, startViteDev(t, app, vite, site.URL))
		require.Equal(t, []string{"/node_modules/authfetch/wasm_exec.js", "/node_modules/authfetch/js/authfetch.wasm"}, loaded,
			"wasm_exec.js and the module are loaded once each, from the installed package")
	})
}

// drivePackedApp opens the scratch app at pageURL (its API is site's) and
// checks it; it returns the paths from which wasm_exec.js and .wasm files
// were loaded, in order.
func drivePackedApp(t *testing.T, site *demoSite, pageURL string) []string {
	t.Helper()
	tb := openTab(t, pageURL+"/")
	waitInPage(t, tb, `window.app !== undefined`) // the app's script ran
	do(t, tb, `await window.app.ready`)
	require.Equal(t, "signed out", eval[string](t, tb, `return document.querySelector('#state').textContent`))

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
	// loads nothing more and sees the same session.
	require.Equal(t, renewed, eval[string](t, tb, `return (await window.app.createAuthFetch()).getAccessToken()`))
	return eval[[]string](t, tb, `return performance.getEntriesByType('resource')
		.map(e => new URL(e.name).pathname)
		.filter(p => /wasm_exec[^/]*\.js$|\.wasm$/.test(p))`)
}

// startViteDev starts vite's dev server for app on a free port of 127.0.0.1,
// passing /auth/, /api/ and /demo/ to api, and returns its URL once it
// listens (it says so: "Local: http://…") and answers. It is stopped when the
// test ends.
func startViteDev(t *testing.T, app, vite, api string) string {
	t.Helper()
	free, err := url.Parse(refusingURL(t))
	require.NoError(t, err)
	port := free.Port()

	out := &processOutput{marker: "Local:", seen: make(chan struct{})}
	cmd := exec.Command(vite, "--host", "127.0.0.1", "--port", port, "--strictPort", "--clearScreen", "false")
	cmd.Dir = app
	cmd.Env = append(os.Environ(), "AUTHFETCH_API="+api, "NO_COLOR=1")
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so that its children stop with it
	require.NoError(t, cmd.Start())
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		if t.Failed() {
			t.Logf("vite dev printed:\n%s", out.String())
		}
	})

	addr := "http://127.0.0.1:" + port
	clearOrigin(t, addr)
	select {
	case <-out.seen:
	case <-exited:
		require.FailNow(t, "vite dev exited", "%s", out.String())
	case <-time.After(time.Minute):
		require.FailNow(t, "vite dev did not listen within a minute", "on %s:\n%s", addr, out.String())
	}
	res, err := http.Get(addr + "/")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode, "vite dev on %s", addr)
	return addr
}

// processOutput is what a process printed, which a test reads while it
// runs; seen closes once the output holds marker.
type processOutput struct {
	marker string
	seen   chan struct{}

	mu   sync.Mutex
	buf  bytes.Buffer // guarded by mu
	told bool         // guarded by mu: seen is closed
}

func (o *processOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n, err := o.buf.Write(p)
	if !o.told && bytes.Contains(o.buf.Bytes(), []byte(o.marker)) {
		o.told = true
		close(o.seen)
	}
	return n, err
}

func (o *processOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// outcomeJSON is a status and a parsed JSON body.
type outcomeJSON struct {
	Status int            `json:"status"`
	Body   map[string]any `json:"body"`
}

// packPackage stages the npm package in stage as make pack does (the manifest
// js/package.json at the root, each entry of its "files" copied from the
// repository to the same place, with this run's module as js/authfetch.wasm),
// runs npm pack into dest, checks the tarball's contents and returns its path.
func packPackage(t *testing.T, stage, dest string) string {
	t.Helper()
	manifest := filepath.Join(harness.Root, "js", "package.json")
	var pkg struct {
		Name    string   `json:"name"`
		Version string   `json:"version"`
		Files   []string `json:"files"`
	}
	b, err := os.ReadFile(manifest)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &pkg))
	require.NoError(t, copyFileTo(manifest, filepath.Join(stage, "package.json")))
	require.NoError(t, copyFileTo(filepath.Join(harness.Root, "README.md"), filepath.Join(stage, "README.md")))
	for _, f := range pkg.Files {
		src := filepath.Join(harness.Root, f)
		if f == "js/authfetch.wasm" {
			src = harness.Module
		}
		require.NoError(t, copyFileTo(src, filepath.Join(stage, f)), "staging %s", f)
	}

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
	want := append([]string{"package.json", "README.md"}, pkg.Files...)
	require.ElementsMatch(t, want, got, "the files in the tarball")
	require.Equal(t, pkg.Name+"-"+pkg.Version+".tgz", packed[0].Filename)
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
