// Command size prints authfetch.wasm's size by Go package, raw and as each
// package's share once compressed with brotli; then the module as shipped
// (gzip -9 and brotli -q 11) against the project's targets, met or missed,
// and fails only when it is over its budget, a guard against growth set a
// little above the latest build. make size runs it after make build, and
// make test runs make size.
//
//	go run ./bench/size [-module js/authfetch.wasm]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// The module as browsers download it, in bytes (KB = 1,000 bytes, as the
// bench counts): the targets the project aims at, and the budget that fails
// the command, a guard against growth a little above the latest build.
const (
	targetBrotli = 650_000
	targetGzip   = 850_000
	budgetBrotli = 780_000
	budgetGzip   = 1_045_000
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
	gz, err := gzipSize(raw)
	if err != nil {
		return err
	}
	if err := printByPackage(m, len(raw)); err != nil {
		return err
	}
	fmt.Printf("\n%s: %.0f KB raw (KB = 1,000 bytes)\n", shipped, kb(len(raw)))
	fmt.Printf("  gzip -9       %4.0f KB: target %.0f KB %s; budget %.0f KB\n", kb(gz), kb(targetGzip), verdict(gz <= targetGzip), kb(budgetGzip))
	fmt.Printf("  brotli -q 11  %4.0f KB: target %.0f KB %s; budget %.0f KB\n", kb(br), kb(targetBrotli), verdict(br <= targetBrotli), kb(budgetBrotli))
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
	goCmd := os.Getenv("GO") // the Makefile's own go, as for make build
	if goCmd == "" {
		goCmd = "go"
	}
	cmd := exec.Command(goCmd, "build", "-trimpath", "-o", out, "./wasm")
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
	var small []byte // the packages under 4 KB, together
	for _, p := range pkgs {
		if len(code[p]) < 4000 {
			small = append(small, code[p]...)
			continue
		}
		br, err := brotliSize(code[p])
		if err != nil {
			return err
		}
		fmt.Printf("%-55s %10.1f %14.1f\n", p, kb(len(code[p])), kb(br))
	}
	br, err := brotliSize(small)
	if err != nil {
		return err
	}
	fmt.Printf("%-55s %10.1f %14.1f\n", "the packages under 4 KB each", kb(len(small)), kb(br))
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

func kb(n int) float64 { return float64(n) / 1000 }

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// gzipSize compresses b with the gzip command, as make build does:
// compress/gzip at its best level comes out about 1% larger.
func gzipSize(b []byte) (int, error) {
	return commandSize(b, "gzip", "-9", "-n", "-c")
}

// brotliSize compresses b with the brotli command, as make build does.
func brotliSize(b []byte) (int, error) {
	return commandSize(b, "brotli", "-q", "11", "-c")
}

// commandSize is the size of what the command makes of b on its stdin.
func commandSize(b []byte, name string, args ...string) (int, error) {
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("%s: %w (make deps installs it)", name, err)
	}
	return len(out), nil
}
