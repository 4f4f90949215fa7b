//go:build !js

package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The main thread's time, as the kernel counts it. On a machine that others
// share, a page's wall-clock time is mostly time spent waiting for a CPU
// (the renderers of a loaded run here waited 8 s on the run queue for each
// second they ran), which no interleaving removes. The CPU time of the
// renderers' main threads is the page's own work: JS, the module, Blink,
// the garbage collector, and nothing of the network service or of V8's
// background compiler. Linux's schedstat counts it in nanoseconds.

// mainThreadCPU is the CPU time used so far by the main threads of every
// renderer of the browsers this process started (chromedp starts Chromium
// as a child; renderers are its descendants). The bench reads it before and
// after a run in which only one page works; the idle pages add next to
// nothing. ok is false where /proc has no schedstat (not Linux, or a kernel
// without it).
func mainThreadCPU() (cpu time.Duration, ok bool) {
	for _, pid := range descendants(os.Getpid()) {
		cmdline, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte("--type=renderer")) {
			continue
		}
		ns, err := threadCPU(pid)
		if err != nil {
			continue
		}
		cpu += ns
		ok = true
	}
	return cpu, ok
}

// threadCPU reads the CPU time of the main thread of process pid (the
// thread whose id is pid) from its schedstat: time on CPU in ns, time
// waiting, timeslices.
func threadCPU(pid int) (time.Duration, error) {
	p := strconv.Itoa(pid)
	b, err := os.ReadFile(filepath.Join("/proc", p, "task", p, "schedstat"))
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0, errors.New("bench: empty schedstat")
	}
	ns, err := strconv.ParseInt(f[0], 10, 64)
	return time.Duration(ns), err
}

// descendants lists the processes below root, from /proc/*/stat's parents.
func descendants(root int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, ok := parentOf(pid); ok {
			children[ppid] = append(children[ppid], pid)
		}
	}
	var out []int
	for queue := children[root]; len(queue) > 0; queue = queue[1:] {
		out = append(out, queue[0])
		queue = append(queue, children[queue[0]]...)
	}
	return out
}

// parentOf reads a process's parent from /proc/PID/stat, whose second field,
// the command name in parentheses, may itself hold spaces and parentheses.
func parentOf(pid int) (int, bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:])) // state, ppid, …
	if len(f) < 2 {
		return 0, false
	}
	ppid, err := strconv.Atoi(f[1])
	return ppid, err == nil
}
