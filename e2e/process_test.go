//go:build !js

package e2e

import (
	"bytes"
	"net/http"
	"net/url"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Servers that the tests of the front-ends run as programs: vite's dev
// server, a Nuxt build's Node server.

// freePort is a port of 127.0.0.1 where nothing listens.
func freePort(t *testing.T) string {
	t.Helper()
	free, err := url.Parse(refusingURL(t))
	require.NoError(t, err)
	return free.Port()
}

// startServer starts cmd, a server that listens on port of 127.0.0.1, for
// the life of the test, and returns its URL once it printed marker and
// answers / with 200. It and its children are stopped when the test ends;
// what it printed is logged when the test failed. name says which server.
func startServer(t *testing.T, name, marker string, cmd *exec.Cmd, port string) string {
	t.Helper()
	out := &processOutput{marker: marker, seen: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so that its children stop with it
	require.NoError(t, cmd.Start(), "starting %s", name)
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
			t.Logf("%s printed:\n%s", name, out.String())
		}
	})

	addr := "http://127.0.0.1:" + port
	clearOrigin(t, addr)
	select {
	case <-out.seen:
	case <-exited:
		require.FailNow(t, name+" exited", "%s", out.String())
	case <-time.After(time.Minute):
		require.FailNow(t, name+" did not listen within a minute", "on %s:\n%s", addr, out.String())
	}
	res, err := http.Get(addr + "/")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode, "%s on %s", name, addr)
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
