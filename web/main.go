// Command web serves the authfetch demo: the demo page, the built authfetch module, and
// the demo API whose short-lived tokens make refreshes happen while you watch.
//
// Run it from the repository root after make build:
//
//	go run ./web [-addr localhost:8080] [-access-ttl 60s] [-grace-window 30s] [-root .]
//
// Routes (files are read from -root, the repository root, on every request):
//
//	GET  /                     web/static/index.html
//	GET  /static/...           web/static/
//	GET  /js/...               js/ (authfetch.js, authfetch.wasm)
//	GET  /wasm_exec.js         wasm_exec.js
//	POST /auth/login           demo API, see package demoapi
//	POST /auth/refresh-token
//	POST /auth/logout
//	POST /oauth/token          the same refresh, as RFC 6749 §6
//	GET  /api/me, /api/items, /api/slow?ms=N
//	POST /demo/revoke, /demo/fail-refresh, /demo/grace, /demo/refresh-delay,
//	     /demo/refresh-cookie, /demo/dpop, /demo/replay
//	GET  /demo/stats
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/authfetch/authfetch/web/demoapi"
)

var (
	addr      = flag.String("addr", "localhost:8080", "address to listen on; keep it on localhost, the demo API logs in anyone")
	accessTTL = flag.Duration("access-ttl", demoapi.DefaultAccessTTL, "lifetime of the demo API's access tokens (at least 1s)")
	grace     = flag.Duration("grace-window", demoapi.DefaultGraceWindow, "the refresh tokens' grace window while the demo page has it on")
	root      = flag.String("root", ".", "the repository root, holding web/static, js and wasm_exec.js")
)

func main() {
	if err := run(); err != nil {
		log.Fatalf("web: %v", err)
	}
}

// run serves the demo until SIGINT or SIGTERM, then lets requests in flight finish.
func run() error {
	flag.Parse()
	if *accessTTL < time.Second {
		return fmt.Errorf("-access-ttl %v: JWT expiry has whole-second precision, want at least 1s", *accessTTL)
	}
	if *grace <= 0 {
		return fmt.Errorf("-grace-window %v: want a positive duration; the demo page switches the window off", *grace)
	}
	if err := checkRoot(*root); err != nil {
		return err
	}
	if err := ensureWASMType(); err != nil {
		return err
	}

	api := demoapi.New(demoapi.Config{AccessTTL: *accessTTL, GraceWindow: *grace, Now: time.Now})
	srv := &http.Server{Handler: newServer(*root, api), ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on -addr %s: %w", *addr, err)
	}
	log.Printf("authfetch demo on http://%s/ (access tokens live %v)", ln.Addr(), *accessTTL)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	return nil
}

// checkRoot fails when root does not hold the demo page, and warns when the module has
// not been built yet: the page then shows the load error that authfetch reports.
func checkRoot(root string) error {
	page := filepath.Join(root, "web", "static", "index.html")
	if _, err := os.Stat(page); err != nil {
		return fmt.Errorf("-root %q is not the repository root: %w", root, err)
	}
	for _, built := range []string{"js/authfetch.js", "js/authfetch.wasm", "wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(root, built)); err != nil {
			log.Printf("warning: %s is missing (run make build); the page will say what failed to load", built)
		}
	}
	return nil
}
