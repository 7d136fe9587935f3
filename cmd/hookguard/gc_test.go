package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func gcPercentNow() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// The collector waits until the heap is no longer small, then runs at
// Go's default pace; GOGC or GOMEMLIMIT in the environment leave it alone.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))

	debug.SetGCPercent(77)
	tuneGC(func(k string) string { return map[string]string{"GOGC": "50"}[k] })
	assert.Equal(t, 77, gcPercentNow(), "GOGC set: left alone")
	tuneGC(func(k string) string { return map[string]string{"GOMEMLIMIT": "1GiB"}[k] })
	assert.Equal(t, 77, gcPercentNow(), "GOMEMLIMIT set: left alone")

	tuneGC(func(string) string { return "" })
	assert.Equal(t, -1, gcPercentNow(), "a small heap is not collected")
	var keep [][]byte
	for range gcStartHeap / (1 << 20) {
		keep = append(keep, make([]byte, 1<<20))
	}
	deadline := time.Now().Add(5 * time.Second)
	for gcPercentNow() != gcPercent && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	assert.Equal(t, gcPercent, gcPercentNow(), "a large heap is collected at the default pace")
	runtime.KeepAlive(keep)
}
