//go:build !js

package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// config sizes one run. fullConfig is what `make bench` runs; quickConfig is
// the smoke run of BENCH_QUICK=1.
type config struct {
	quick          bool
	rounds         int // rounds of the request workloads
	warmN          int // requests per contender in the warm-up round
	serialN        int // requests one at a time
	parallelN      int // requests with inFlight in flight
	inFlight       int
	stormN         int // requests of the refresh storm
	stormRounds    int
	coldRounds     int // cold starts per variant on loopback (and rounds of phases)
	pacedRounds    int // cold starts per variant on the paced link
	memFirst       int // requests before the first memory reading
	memTotal       int // requests before the last one
	crossingN      int // requests the crossings are counted over, per way of sending
	overheadN      int // calls per contender and round of the engine-overhead workload
	overheadRounds int // its rounds after the warm-up
}

var fullConfig = config{
	rounds: 5, warmN: 400, serialN: 1000, parallelN: 1000, inFlight: 100,
	stormN: 1000, stormRounds: 3, coldRounds: 5, pacedRounds: 3,
	memFirst: 2000, memTotal: 20000, crossingN: 1000,
	overheadN: 2000, overheadRounds: 5,
}

var quickConfig = config{
	quick:  true,
	rounds: 1, warmN: 100, serialN: 200, parallelN: 300, inFlight: 100,
	stormN: 200, stormRounds: 1, coldRounds: 1, pacedRounds: 0,
	memFirst: 200, memTotal: 500, crossingN: 200,
	overheadN: 300, overheadRounds: 2,
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	// Before the bench starts anything: later, its own browser is the load.
	loadBefore := loadAverage()
	quick := flag.Bool("quick", os.Getenv("BENCH_QUICK") != "" && os.Getenv("BENCH_QUICK") != "0",
		"a smoke run of a few hundred requests (also BENCH_QUICK=1)")
	out := flag.String("out", "", "write the table to this file (default bench/results.md; none for a quick run)")
	only := flag.String("only", "", "run only these parts, comma-separated: cold, requests, overhead, storm, memory, and profile, which is not in the default run (and write no file unless -out says where)")
	flag.Parse()

	cfg := fullConfig
	if *quick {
		cfg = quickConfig
	}
	parts, err := parseParts(*only)
	if err != nil {
		return err
	}
	start := time.Now()
	logf := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "bench %5.1fs: %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}

	// Foreground: the bench times the page, whose timers and priority a
	// background tab would lose.
	h, err := browsertest.Start(browsertest.Options{Foreground: true})
	if err != nil {
		return err
	}
	defer h.Close()
	measured := time.Now() // the report's run time leaves the build out
	outPath := *out
	if outPath == "" && !cfg.quick && *only == "" {
		outPath = filepath.Join(h.Root, "bench", "results.md")
	}
	wasmDir, err := h.TempDir("wasm")
	if err != nil {
		return err
	}
	afSize, emptySize, err := prepareModules(h.Module, wasmDir)
	if err != nil {
		return err
	}
	logf("modules ready: authfetch.wasm %s raw, %s brotli", kb(afSize.raw), kb(afSize.brotli))

	srv, err := startServer(h, filepath.Join(h.Root, "bench", "page"), wasmDir)
	if err != nil {
		return err
	}
	defer srv.close()

	b := h.Browser
	version, err := b.Version()
	if err != nil {
		return err
	}
	m := describeMachine(h.Root, version)
	logf("%s on %d × %s, server %s", version, m.cpus, m.cpuModel, srv.URL)

	m.loadStart = loadBefore
	load := sampleLoad(10 * time.Second)
	res := newResults()
	// A part that fails (a run that did not settle on a busy machine) is
	// reported, and the others still run: the report says what is missing.
	var failed []error
	part := func(name string, measure func() error) {
		if !parts[name] {
			return
		}
		if err := measure(); err != nil {
			logf("%s failed: %v", name, err)
			failed = append(failed, fmt.Errorf("bench: %s: %w", name, err))
			res.failed = append(res.failed, fmt.Sprintf("%s (%s)", name, firstLine(err)))
		}
	}
	part("cold", func() error { return measureColdStarts(b, srv, cfg, res, logf) })
	part("requests", func() error {
		return withBenchPage(b, srv, requestContenders, func(p *browsertest.Tab) error { return measureRequests(p, srv, cfg, res, logf) })
	})
	part("storm", func() error {
		return withBenchPage(b, srv, contenders, func(p *browsertest.Tab) error { return measureStorms(p, srv, cfg, res, logf) })
	})
	part("overhead", func() error { return measureOverhead(b, srv, cfg, res, logf) })
	part("memory", func() error { return measureMemory(b, srv, cfg, res, logf) })
	var profiles map[string]profileRun
	part("profile", func() error {
		if err := browsertest.BuildModule(h.Root, filepath.Join(wasmDir, "authfetch-names.wasm"), true); err != nil {
			return err
		}
		profiles, err = measureProfiles(b, srv, cfg, logf)
		return err
	})
	m.loadDuring = load.summary()

	table := report(m, cfg, afSize, emptySize, res, time.Since(measured))
	if profiles != nil {
		table += "\n" + profileReport(profiles, cfg.inFlight)
	}
	fmt.Print(table)
	if outPath != "" {
		if err := writeResults(outPath, table); err != nil {
			return err
		}
		logf("wrote %s", outPath)
	}
	return errors.Join(failed...)
}

// withBenchPage runs measure in a bench page with the named contenders loaded.
func withBenchPage(b *browsertest.Browser, srv *benchServer, names []string, measure func(*browsertest.Tab) error) error {
	p, err := openBenchPage(b, srv, false, false, names...)
	if err != nil {
		return err
	}
	defer p.Close()
	return measure(p)
}

// firstLine is the first line of err's message: browsertest's errors quote
// the whole script after it.
func firstLine(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}

// parseParts reads -only; empty means every part.
func parseParts(only string) (map[string]bool, error) {
	def := []string{"cold", "requests", "overhead", "storm", "memory"}
	all := append(def, "profile")
	parts := map[string]bool{}
	if only == "" {
		for _, p := range def {
			parts[p] = true
		}
		return parts, nil
	}
	for _, p := range strings.Split(only, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(all, p) {
			return nil, fmt.Errorf("bench: -only: unknown part %q; the parts are %s", p, strings.Join(all, ", "))
		}
		parts[p] = true
	}
	return parts, nil
}
