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
