package pool

import (
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 4} {
		prev := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 3, 100} {
			calls := make([]atomic.Int32, n)
			Each(n, func(i int) { calls[i].Add(1) })
			for i := range calls {
				assert.Equal(t, int32(1), calls[i].Load(), "n=%d i=%d procs=%d", n, i, procs)
			}
		}
		runtime.GOMAXPROCS(prev)
	}
}

func TestChunksCoverEveryIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 4} {
		prev := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 63, 64, 1000} {
			calls := make([]atomic.Int32, n)
			Chunks(n, 64, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					calls[i].Add(1)
				}
			})
			for i := range calls {
				assert.Equal(t, int32(1), calls[i].Load(), "n=%d i=%d procs=%d", n, i, procs)
			}
		}
		runtime.GOMAXPROCS(prev)
	}
}
