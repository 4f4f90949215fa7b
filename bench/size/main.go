// Command size prints authfetch.wasm's size by Go package, raw and as each
// package's share once compressed with brotli; then the module as shipped,
// raw and the gzip -9 and brotli -q 11 copies that make build writes beside
// it, against the project's targets, met or missed,
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
	gz, err := shippedSize(shipped + ".gz")
	if err != nil {
		return err
	}
	br, err := shippedSize(shipped + ".br")
	if err != nil {
		return err
	}
	if err := printByPackage(m, len(raw)); err != nil {
		return err
	}
	fmt.Printf("\n%s: %s bytes raw, %.0f KB (KB = 1,000 bytes)\n", shipped, thousands(len(raw)), kb(len(raw)))
	fmt.Printf("  gzip -9       %9s bytes, %4.0f KB: target %.0f KB %s; budget %.0f KB\n", thousands(gz), kb(gz), kb(targetGzip), verdict(gz <= targetGzip), kb(budgetGzip))
	fmt.Printf("  brotli -q 11  %9s bytes, %4.0f KB: target %.0f KB %s; budget %.0f KB\n", thousands(br), kb(br), kb(targetBrotli), verdict(br <= targetBrotli), kb(budgetBrotli))
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
	cmd := exec.Command(goCommand(), "build", "-trimpath", "-o", out, "./wasm")
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
	paths, err := packagePaths()
	if err != nil {
		return err
	}
	code := map[string][]byte{}
	for _, f := range m.funcs {
		pkg := packageOf(f.name, paths)
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
// where every character that is not a letter, digit, dot or underscore is an
// underscore: github.com_x_y.__T_.M is github.com/x/y, internal_strconv.readFloat
// is internal/strconv, runtime.mapassign_fast32 is runtime. paths are the
// import paths the module links (packagePaths); a name that starts with none
// of them is the compiler's (type_.eq.…, counted together) or the linker's
// (wasm_export_run, _rt0_wasm_js), counted under what comes before its first dot.
func packageOf(name string, paths []string) string {
	best := ""
	for _, p := range paths {
		if len(p) > len(best) && strings.HasPrefix(name, strings.ReplaceAll(p, "/", "_")+".") {
			best = p
		}
	}
	if best != "" {
		return best
	}
	if strings.HasPrefix(name, "type_.") {
		return "the compiler's equality and hash functions of types"
	}
	if dot := strings.IndexByte(name, '.'); dot >= 0 {
		name = name[:dot]
	}
	return name
}

// packagePaths lists the import paths of ./wasm and everything it imports,
// for js/wasm, as go list sees them.
func packagePaths() ([]string, error) {
	cmd := exec.Command(goCommand(), "list", "-deps", "-f", "{{.ImportPath}}", "./wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps ./wasm: %w", err)
	}
	return strings.Fields(string(out)), nil
}

// goCommand is the Makefile's own go, as for make build.
func goCommand() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

func kb(n int) float64 { return float64(n) / 1000 }

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// shippedSize is the size of a compressed copy that make build wrote beside
// the module: the figure is the file browsers are sent, not a second
// compression of it.
func shippedSize(path string) (int, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("%w (make build writes it; brotli's copy only where brotli is installed, which make deps does)", err)
	}
	return int(fi.Size()), nil
}

// thousands spells n with commas, as the README quotes byte counts.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// brotliSize compresses b with the brotli command, at make build's level:
// each package's share of the module.
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
