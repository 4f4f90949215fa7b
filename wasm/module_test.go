package main

import (
	"bytes"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// These tests guard how the module is put together; they run natively.

// TestFilesThatUseSyscallJSAreTaggedForJSWasm keeps syscall/js out of the
// native build: a file that imports it must say `//go:build js && wasm`, or
// the core's native -race tests stop compiling.
func TestFilesThatUseSyscallJSAreTaggedForJSWasm(t *testing.T) {
	checked := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if d != nil && d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git") {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly|parser.ParseComments)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p != "syscall/js" {
				continue
			}
			checked++
			require.Truef(t, hasJSWasmTag(f.Comments), "%s imports syscall/js without //go:build js && wasm", path)
		}
		return nil
	})
	require.NoError(t, err)
	require.NotZero(t, checked, "found no file that imports syscall/js: is the walk looking in the right place?")
}

func hasJSWasmTag(groups []*ast.CommentGroup) bool {
	for _, g := range groups {
		for _, c := range g.List {
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				continue
			}
			on := func(tags ...string) bool {
				return expr.Eval(func(tag string) bool { return slices.Contains(tags, tag) })
			}
			return on("js", "wasm") && !on("js") && !on("wasm") && !on("linux", "amd64")
		}
	}
	return false
}

// TestWasmExecJSMatchesTheToolchain fails when the committed wasm_exec.js is
// not the one of the Go that builds the module: the two must come from the
// same release, or the module fails to start.
func TestWasmExecJSMatchesTheToolchain(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	require.NoError(t, err)
	want, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	require.NoError(t, err)
	got, err := os.ReadFile("../wasm_exec.js")
	require.NoError(t, err)
	require.Truef(t, bytes.Equal(want, got), "wasm_exec.js differs from %s's: run make wasm_exec.js", runtime.Version())
}

// TestModuleLeavesHeavyPackagesToTheBrowser lists the packages linked into
// authfetch.wasm: the browser already does HTTP and JSON, and net/http or
// encoding/json would add megabytes to every page load.
func TestModuleLeavesHeavyPackagesToTheBrowser(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/authfetch/authfetch/internal/core", "the listing is not of the module")
	for _, banned := range []string{"net/http", "encoding/json", "regexp", "net", "net/url"} {
		require.NotContains(t, deps, banned)
	}
}
