//go:build !js

package main

import (
	"errors"
	"io/fs"
	"os"
	"strings"
)

// analysisMarker opens the part of bench/results.md written by hand: why a
// target is missed, by how much, and what was tried. make bench rewrites the
// file above the marker with the new run and keeps what follows it, which
// says which run it was written against.
const analysisMarker = "<!-- Written by hand from here on: make bench keeps it. -->"

// writeResults writes the report to path, keeping the hand-written part of
// the file that is there.
func writeResults(path, report string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.WriteFile(path, []byte(withAnalysis(report, string(old))), 0o644)
}

// withAnalysis is report followed by the hand-written part of old, if any.
func withAnalysis(report, old string) string {
	i := strings.Index(old, analysisMarker)
	if i < 0 {
		return report
	}
	return report + "\n" + old[i:]
}
