// Command hookguard lints Argo CD sync hooks and, as a Config Management
// Plugin, renders and gates an app's manifests.
package main

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

func main() {
	tuneGC(os.Getenv)
	os.Exit(run(context.Background(), os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr))
}

// A run is short, and most runs are small (one file from pre-commit, one
// app in the CMP): collecting while the heap is small only costs time
// (compiling the rules alone takes several collections), so the collector
// starts once the heap reaches gcStartHeap, and then runs at Go's default
// pace, which keeps large runs' memory where it was. A fixed memory limit
// would not do: a large run whose live heap passed it would collect without
// end. The CMP's watchdog sets its own limit, which still applies. GOGC and
// GOMEMLIMIT, when set, decide instead.
const (
	gcStartHeap = 64 << 20
	gcPercent   = 100
	gcPoll      = 2 * time.Millisecond
)

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	go func() {
		heap := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(heap)
			if heap[0].Value.Uint64() >= gcStartHeap/2 {
				debug.SetGCPercent(gcPercent)
				return
			}
			time.Sleep(gcPoll)
		}
	}()
}
