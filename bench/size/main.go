// Command size prints authfetch.wasm's size by Go package, raw and as each
// package's share once compressed with brotli, and fails when the module
// as shipped (brotli and gzip) is over its budget. make size runs it, and
// make test runs make size.
//
//	go run ./bench/size [-module js/authfetch.wasm]
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// The budget of the module as browsers download it: a guard against growth,
// a little above the latest build. The README says how far it is from the
// 650 KB brotli and 850 KB gzip the project aims at, and why.
const (
	budgetBrotli = 760 << 10
	budgetGzip   = 1020 << 10
)

func main() {
	shipped := flag.String("module", "js/authfetch.wasm", "the module as built by make build")
	flag.Parse()
	if err := run(*shipped); err != nil {
		fmt.Fprintln(os.Stderr, "size:", err)
		os.Exit(1)
	}
}

func run(shipped string) error {
	raw, err := os.ReadFile(shipped)
	if err != nil {
		return err
	}
	named, err := buildNamed()
	if err != nil {
		return err
	}
	m, err := parseModule(named)
	if err != nil {
		return err
	}
	br, err := brotliSize(raw)
	if err != nil {
		return err
	}
	gz := gzipSize(raw)
	if err := printByPackage(m, len(raw)); err != nil {
		return err
	}
	fmt.Printf("\n%s: %d KB raw, %d KB gzip -9 (budget %d KB), %d KB brotli -q 11 (budget %d KB)\n",
		shipped, len(raw)>>10, gz>>10, budgetGzip>>10, br>>10, budgetBrotli>>10)
	if br > budgetBrotli || gz > budgetGzip {
		return fmt.Errorf("%s is over its budget", shipped)
	}
	return nil
}

// buildNamed builds the module as make build does, but keeping the name
// section that says which function is whose.
func buildNamed() ([]byte, error) {
	dir, err := os.MkdirTemp("", "authfetch-size-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "named.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "./wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building ./wasm with names: %v\n%s", err, b)
	}
	return os.ReadFile(out)
}

// printByPackage prints each package's code, raw and brotli, the largest
// first, and the data segments (type information, the function table,
// strings), which belong to no one package.
func printByPackage(m module, total int) error {
	code := map[string][]byte{}
	for _, f := range m.funcs {
		pkg := packageOf(f.name)
		code[pkg] = append(code[pkg], f.body...)
	}
	pkgs := make([]string, 0, len(code))
	for p := range code {
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return len(code[pkgs[i]]) > len(code[pkgs[j]]) })
	fmt.Printf("%-55s %10s %14s\n", "package (code)", "raw KB", "brotli KB")
	for _, p := range pkgs {
		br, err := brotliSize(code[p])
		if err != nil {
			return err
		}
		if len(code[p]) < 4<<10 {
			continue
		}
		fmt.Printf("%-55s %10.1f %14.1f\n", p, kb(len(code[p])), kb(br))
	}
	fmt.Printf("%-55s %10.1f\n", "data segments (types, pclntab, strings)", kb(m.dataSize))
	return nil
}

// packageOf is the package of a function as the name section spells it,
// where a path's slashes are underscores: github.com_x_y.__T_.M is
// github.com/x/y, internal_strconv.readFloat is internal/strconv.
func packageOf(name string) string {
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i] // a generic function's instance: slices.Sort[go.shape.int]
	}
	domain := ""
	if i := strings.IndexByte(name, '_'); i > 0 && strings.Contains(name[:i], ".") && !strings.HasSuffix(name[:i], ".") {
		domain, name = name[:i+1], name[i+1:]
	}
	if dot := strings.IndexByte(name, '.'); dot >= 0 {
		name = name[:dot]
	}
	return strings.ReplaceAll(domain+name, "_", "/")
}

func kb(n int) float64 { return float64(n) / 1024 }

func gzipSize(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// brotliSize compresses b with the brotli command, as make build does.
func brotliSize(b []byte) (int, error) {
	cmd := exec.Command("brotli", "-q", "11", "-c")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("brotli: %w (make deps installs it)", err)
	}
	return len(out), nil
}
