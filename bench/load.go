//go:build !js

package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// loadAverage is the 1-minute load average, or "?".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

// loadSampler reads the 1-minute load average at a steady pace while the
// bench runs: the figure at the end alone says little about a run of
// minutes on a machine that others share.
type loadSampler struct {
	every   time.Duration
	stop    chan struct{}
	done    chan struct{}
	samples []float64 // written by the sampling goroutine until done closes
}

// sampleLoad starts reading the load average every d.
func sampleLoad(d time.Duration) *loadSampler {
	s := &loadSampler{every: d, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				if x, err := strconv.ParseFloat(loadAverage(), 64); err == nil {
					s.samples = append(s.samples, x)
				}
			}
		}
	}()
	return s
}

// summary stops the sampling and describes what it read.
func (s *loadSampler) summary() string {
	close(s.stop)
	<-s.done
	if len(s.samples) == 0 {
		return "not sampled"
	}
	return fmt.Sprintf("median %.2f, max %.2f (%d readings, one every %.0f s)",
		median(s.samples), slices.Max(s.samples), len(s.samples), s.every.Seconds())
}
