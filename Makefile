# authfetch: `make demo` serves the demo on http://localhost:8080; `make test`
# installs what the tests need when it is missing, then runs every test.

GO       ?= go
CHROMIUM ?= /usr/bin/chromium
WASM     := js/authfetch.wasm
GOROOT   := $(shell $(GO) env GOROOT)
SOURCES  := go.mod go.sum $(shell find *.go wasm internal -name '*.go' ! -name '*_test.go')

.PHONY: build demo test test-native test-wasm test-types test-node test-package test-browser lint deps pack size wasm_exec.js

# js/ is the npm package: make build fills in what is not committed there,
# the module and the copies of files that live elsewhere (all in .gitignore).
PACKAGE_COPIES := js/wasm_exec.js js/LICENSE js/README.md

build: $(WASM) $(PACKAGE_COPIES)

# The module, and the gzip and brotli copies the demo server sends to browsers
# that accept them (brotli only where it is installed: make deps installs it).
$(WASM): $(SOURCES)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./wasm
	gzip -9 -k -f $@
	if command -v brotli >/dev/null; then brotli -q 11 -f -o $@.br $@; else rm -f $@.br; echo 'brotli is not installed: no $@.br'; fi

# wasm_exec.js is Go's own, copied from the toolchain that builds the module;
# wasm/module_test.go fails when the two differ.
wasm_exec.js:
	cp $(GOROOT)/lib/wasm/wasm_exec.js $@

# The package's copy comes from the toolchain that builds its module; the
# package test checks it against that toolchain's too.
js/wasm_exec.js: $(GOROOT)/lib/wasm/wasm_exec.js
	cp $< $@

js/LICENSE: LICENSE
	cp $< $@

js/README.md: README.md
	cp $< $@

demo: build
	$(GO) run ./web -addr localhost:8080

test: deps lint test-native test-wasm test-types test-node test-package test-browser size fuzz-short soak-short

lint:
	@test -z "$$(gofmt -l *.go wasm web e2e soak bench internal server)" || { gofmt -l *.go wasm web e2e soak bench internal server; echo 'gofmt: the files above need formatting'; exit 1; }
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...

# The Go API, the core, the server packages, the demo server and the test
# harness, natively, with the race detector.
test-native:
	$(GO) test -race -count=1 . ./internal/... ./server/... ./wasm/... ./web/...

# The syscall/js adapters' own tests, compiled to WebAssembly and run inside
# headless Chromium by wasmbrowsertest (pinned, installed into bin/), where
# only a real page shows the rule: option translation, JS errors, Web Storage.
WASMBROWSERTEST := bin/wasmbrowsertest
JS_TESTED := ./internal/jsutil ./internal/webstorage ./wasm/internal/bridge

test-wasm: $(WASMBROWSERTEST) $(CHROMIUM)
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec=$(CURDIR)/$(WASMBROWSERTEST) $(JS_TESTED)

$(WASMBROWSERTEST):
	GOBIN=$(CURDIR)/bin $(GO) install github.com/agnivade/wasmbrowsertest@v0.11.0

test-types: node_modules/.package-lock.json
	npx --no-install tsc -p tsconfig.json
	npx --no-install tsc -p js/vue.tsconfig.json

# The loader and the Vue glue under Node, as server-side rendering and
# DOM-less test runners import them (test/node/): they start nothing, throw
# nothing, leave no rejection unhandled, and the process exits on its own.
test-node: node_modules/.package-lock.json
	node --test test/node/

# The package as npm packs and publishes js/ (test/package/): its file list,
# npm publish --dry-run, its licences, and its types under TypeScript's
# bundler, node16 and node10 module resolution.
test-package: build node_modules/.package-lock.json
	GO=$(GO) node --test test/package/

# Real headless Chromium against real servers on 127.0.0.1: the harness
# (internal/browsertest, whose own tests test-native runs) builds the module
# itself and fails when Chromium is missing.
test-browser: build
	$(GO) test -count=1 -timeout 10m ./e2e/

deps: $(CHROMIUM) /usr/bin/brotli node_modules/.package-lock.json web/vue/node_modules/.package-lock.json web/nuxt/node_modules/.package-lock.json

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

/usr/bin/brotli:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

# The Vue example, which e2e/vue_test.go builds with Vite.
web/vue/node_modules/.package-lock.json: web/vue/package-lock.json
	npm ci --prefix web/vue --no-audit --no-fund

# The Nuxt example, which e2e/nuxt_test.go builds with nuxt build.
web/nuxt/node_modules/.package-lock.json: web/nuxt/package-lock.json
	npm ci --prefix web/nuxt --no-audit --no-fund

# The npm package: js/ packed as it is, once make build filled it in; the
# tarball lands in build/.
pack: build
	mkdir -p build
	npm pack ./js --pack-destination build

# The figures the README quotes: the module's size by Go package, then as
# make build writes it, raw and compressed, against the targets (bench/size,
# which fails only over its budget); and the package's, as npm pack counts them.
size: /usr/bin/brotli build
	GO=$(GO) $(GO) run ./bench/size -module $(WASM)
	@npm pack ./js --dry-run --json 2>/dev/null | node -e \
	  'const [p] = JSON.parse(require("fs").readFileSync(0)); console.log(`$${p.filename}: $${p.size} bytes packed, $${p.unpackedSize} unpacked, $${p.entryCount} files`)'

# The benchmark (bench/doc.go): headless Chromium against plain fetch, a
# hand-written implementation of the same contract, axios + axios-auth-refresh
# and ky; prints every target with met or missed and writes bench/results.md.
# `make bench BENCH_QUICK=1` is a smoke run of a few hundred requests.
.PHONY: bench
bench: build $(CHROMIUM) node_modules/.package-lock.json /usr/bin/brotli
	GO=$(GO) BENCH_QUICK=$(BENCH_QUICK) $(GO) run ./bench

# Fuzzing: every fuzz target of the module, one `go test -fuzz` run
# per target (it takes one at a time), FUZZTIME each. A target that fails does
# not stop the others; its input is kept in testdata/fuzz/<target>/ of its
# package, where plain `go test` replays it. fuzz-short is the short run that
# `make test` calls: a count of inputs per target, not a duration, because
# Go 1.26's fuzz coordinator can report a duration's end as a failure,
# "context deadline exceeded" with no input written, on a loaded machine
# (golang/go#75804, fixed in Go 1.27). A long run that ends so found nothing.
FUZZTIME ?= 30s
FUZZ_DIRS = $(sort $(dir $(shell grep -rl --include='*_test.go' --exclude-dir=node_modules '^func Fuzz' .)))

.PHONY: fuzz fuzz-short
fuzz:
	@failed=; for dir in $(FUZZ_DIRS); do \
	  for target in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir*_test.go | cut -c6- | sort); do \
	    echo "fuzz: $$target in $$dir for $(FUZZTIME)"; \
	    $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $$dir || failed="$$failed $$target"; \
	  done; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed (inputs under testdata/fuzz/)"; exit 1; fi

fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(or $(FUZZTIME_SHORT),3000x)

# The chaos soak in headless Chromium (soak/main.go), against a server that
# revokes, delays, fails and rejects at random, in two modes one after the
# other: one tab, SOAK_REQUESTS requests from four clients, up to
# SOAK_INFLIGHT in flight; then three tabs of one origin sharing storage, as
# many requests split among them, while tabs are reloaded, hidden, frozen,
# logged out and in. Each mode prints its table; the run fails on any lost,
# doubled, stale or leaked request, duplicated refresh, refresh token spent
# twice, 'authfailure' without a rejection, login or logout undone, or
# growing memory. SOAK_MODE=single or tabs runs one mode.
# soak-short is the run of 1,000 that `make test` can call.
SOAK_REQUESTS ?= 10000
SOAK_INFLIGHT ?= 200
SOAK_MODE     ?= both

.PHONY: soak soak-short
soak: $(CHROMIUM)
	SOAK_MODE=$(SOAK_MODE) SOAK_REQUESTS=$(SOAK_REQUESTS) SOAK_INFLIGHT=$(SOAK_INFLIGHT) CHROMIUM=$(CHROMIUM) $(GO) run ./soak

soak-short:
	@$(MAKE) --no-print-directory soak SOAK_REQUESTS=1000
