# authfetch: `make demo` serves the demo on http://localhost:8080; `make test`
# installs what the tests need when it is missing, then runs every test.

GO       ?= go
CHROMIUM ?= /usr/bin/chromium
WASM     := js/authfetch.wasm
GOROOT   := $(shell $(GO) env GOROOT)
SOURCES  := go.mod go.sum $(shell find wasm -name '*.go' ! -name '*_test.go')

.PHONY: build demo test test-native test-types test-browser lint deps wasm_exec.js

build: $(WASM)

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

demo: build
	$(GO) run ./web -addr localhost:8080

test: deps lint test-native test-types test-browser

lint:
	@test -z "$$(gofmt -l *.go wasm web e2e)" || { gofmt -l *.go wasm web e2e; echo 'gofmt: the files above need formatting'; exit 1; }
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet . ./wasm/...

# The Go API, the core and the demo server, natively, with the race detector.
test-native:
	$(GO) test -race -count=1 . ./wasm/... ./web/...

test-types: node_modules/.package-lock.json
	npx --no-install tsc -p tsconfig.json

# Real headless Chromium against real servers on 127.0.0.1; the test package
# builds the module itself and fails when Chromium is missing.
test-browser: build
	$(GO) test -count=1 -timeout 10m ./e2e/

deps: $(CHROMIUM) /usr/bin/brotli node_modules/.package-lock.json

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

/usr/bin/brotli:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

# The benchmark of issue 5 (bench/doc.go): headless Chromium against plain fetch,
# axios + axios-auth-refresh and ky; prints the table and writes bench/results.md.
# `make bench BENCH_QUICK=1` is a smoke run of a few hundred requests.
.PHONY: bench
bench: build $(CHROMIUM) node_modules/.package-lock.json /usr/bin/brotli
	GO=$(GO) BENCH_QUICK=$(BENCH_QUICK) $(GO) run ./bench
