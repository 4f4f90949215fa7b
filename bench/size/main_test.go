package main

import "testing"

func TestPackageOfReadsTheNameSectionsSpelling(t *testing.T) {
	paths := []string{"runtime", "internal/runtime/atomic", "slices", "reflect", "sync", "github.com/authfetch/authfetch/internal/core", "github.com/authfetch/authfetch/internal/corex"}
	for name, want := range map[string]string{
		"runtime.mapassign_fast32":                                  "runtime",
		"runtime.readmemstats_m":                                    "runtime",
		"runtime.dopanic_m.func1":                                   "runtime",
		"internal_runtime_atomic.LoadAcq":                           "internal/runtime/atomic",
		"slices.pdqsortOrdered_go.shape.int_":                       "slices",
		"reflect.unsafe_New":                                        "reflect",
		"sync.runtime_procPin":                                      "sync",
		"github.com_authfetch_authfetch_internal_core.init":         "github.com/authfetch/authfetch/internal/core",
		"github.com_authfetch_authfetch_internal_core.__Session_.X": "github.com/authfetch/authfetch/internal/core",
		"type_.eq.internal_abi.UncommonType":                        "the compiler's equality and hash functions of types",
		"wasm_export_run":                                           "wasm_export_run",
	} {
		if got := packageOf(name, paths); got != want {
			t.Errorf("packageOf(%q) = %q, want %q", name, got, want)
		}
	}
}
