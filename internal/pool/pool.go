// Package pool runs independent jobs on every processor.
package pool

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls f(i) for every i in [0, n), on one goroutine per processor,
// taking the next index as each finishes (jobs of uneven cost keep every
// processor busy), and waits. f writes its own index of any result slice,
// so the outcome does not depend on the scheduling.
func Each(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		})
	}
	wg.Wait()
}

// Chunks calls f on contiguous ranges [lo, hi) that cover [0, n), one
// goroutine per processor, each range at least minChunk long (a smaller n
// runs on the calling goroutine alone), and waits. For cheap, even work
// where handing out single indexes would cost more than the work.
func Chunks(n, minChunk int, f func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), max(n/max(minChunk, 1), 1))
	if workers <= 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}
