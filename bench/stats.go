//go:build !js

package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
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

func stormTimes(runs []stormRun) []float64 {
	xs := make([]float64, len(runs))
	for i, r := range runs {
		xs[i] = r.MS
	}
	return xs
}

func stormCalls(runs []stormRun) []int64 {
	xs := make([]int64, len(runs))
	for i, r := range runs {
		xs[i] = r.RefreshCalls
	}
	return xs
}

// medianIndex is the index of the median element (the lower one for an even count).
func medianIndex(xs []float64) int {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(xs[a], xs[b]) })
	return idx[(len(idx)-1)/2]
}

func joinInts(xs []int64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

// joinMS writes times in ms, rounded, in round order.
func joinMS(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(s, ", ")
}

func mapTitles(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = titles[n]
	}
	return out
}

func encName(enc string) string {
	return map[string]string{"identity": "uncompressed", "gzip": "gzip -9", "br": "brotli -q 11"}[enc]
}

// busy reports whether a load average exceeds the number of CPUs.
func busy(load string, cpus int) bool {
	var x float64
	if _, err := fmt.Sscan(load, &x); err != nil {
		return false
	}
	return x > float64(cpus)
}

// pairedRatio is the median over rounds of a[i]/b[i]: within a round the two
// ran back to back, so a slow moment of a busy machine weighs on both sides.
func pairedRatio(a, b []float64) float64 {
	n := min(len(a), len(b))
	xs := make([]float64, 0, n)
	for i := range n {
		if b[i] > 0 {
			xs = append(xs, a[i]/b[i])
		}
	}
	return median(xs)
}

// stormRatio is the paired ratio of contender c's storm to that round's
// plain-fetch burst plus that round's refresh round trip.
func stormRatio(res *results, c string) float64 {
	runs, plain := res.storm[c], res.storm["plain"]
	var a, b []float64
	for i := range min(len(runs), len(plain), len(res.refreshRTT)) {
		a = append(a, runs[i].MS)
		b = append(b, plain[i].MS+res.refreshRTT[i])
	}
	return pairedRatio(a, b)
}
