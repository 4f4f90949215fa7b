//go:build !js

package main

import (
	"fmt"
	"strings"
)

// table is a Markdown table under construction.
type table struct {
	rows [][]string
}

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) String() string {
	var b strings.Builder
	for i, r := range t.rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat("---|", len(r)) + "\n")
		}
	}
	return b.String()
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func ms(x float64) string { return fmt.Sprintf("%.0f ms", x) }

func ratio(x float64) string { return fmt.Sprintf("%.2f×", x) }

// The figures of the report, formatted.
