//go:build !js

package main

import (
	"fmt"
	"slices"
)

// median of xs; NaN-free callers only. 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// spread is "min–max" of xs, to show how much the rounds varied.
func spread(xs []float64, format string) string {
	if len(xs) == 0 {
		return ""
	}
	return fmt.Sprintf(format+"–"+format, slices.Min(xs), slices.Max(xs))
}

// kb formats bytes in kilobytes of 1,000 bytes.
func kb(n int64) string { return fmt.Sprintf("%.0f KB", float64(n)/1000) }

// mb formats bytes in megabytes of 1,000,000 bytes.
func mb(n float64) string { return fmt.Sprintf("%.2f MB", n/1e6) }
