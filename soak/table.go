//go:build !js

package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// check is one row of a table.
type check struct {
	name, value string
	ok          bool
	info        bool // a figure, not a pass/fail check
}

// table is the rows of a mode's report, in order.
type table struct{ rows []check }

// add is a check: ok or FAIL.
func (t *table) add(name string, ok bool, format string, args ...any) {
	t.rows = append(t.rows, check{name: name, value: fmt.Sprintf(format, args...), ok: ok})
}

// info is a figure that passes or fails nothing.
func (t *table) info(name, format string, args ...any) {
	t.rows = append(t.rows, check{name: name, value: fmt.Sprintf(format, args...), ok: true, info: true})
}

// print writes the rows and reports whether every check passed.
func (t *table) print(w io.Writer) bool {
	width := 0
	for _, r := range t.rows {
		width = max(width, len([]rune(r.name)))
	}
	pass := true
	for _, r := range t.rows {
		verdict := "ok"
		switch {
		case r.info:
			verdict = ""
		case !r.ok:
			verdict, pass = "FAIL", false
		}
		fmt.Fprintf(w, "%-*s  %-4s  %s\n", width, r.name, verdict, r.value)
	}
	return pass
}

func mb(b float64) string { return fmt.Sprintf("%.2f MB", b/(1<<20)) }

// joinCounts writes counts as "key n, key n" in key order.
func joinCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
