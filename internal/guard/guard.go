// Package guard bounds a run in time and memory. The repository hookguard
// renders is untrusted: a Helm template can loop or double a string until
// the shared sidecar runs out of memory. Work runs under a context that a
// deadline or a heap watchdog ends; the caller gets the reason at once and
// exits, abandoning the runaway goroutine with the process.
package guard

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// ErrDeadline and ErrMemory are the causes of an ended run.
var (
	ErrDeadline = errors.New("deadline exceeded")
	ErrMemory   = errors.New("memory limit exceeded")
)

// WithDeadline ends ctx after d, with ErrDeadline naming d as its cause.
func WithDeadline(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, d, fmt.Errorf("%w: the run took longer than %s (an admin can raise the deadline)", ErrDeadline, d))
}

// heapMetric is the heap in use: live and not yet swept objects.
const heapMetric = "/memory/classes/heap/objects:bytes"

// WatchMemory ends the returned context, with ErrMemory as its cause, as
// soon as the heap passes limit bytes; it checks every few milliseconds and
// asks the garbage collector to keep below the limit meanwhile. stop ends
// the watch.
func WatchMemory(ctx context.Context, limit int64) (_ context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	if limit <= 0 {
		return ctx, func() { cancel(nil) }
	}
	previous := debug.SetMemoryLimit(limit)
	done := make(chan struct{})
	go func() {
		sample := []metrics.Sample{{Name: heapMetric}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
				metrics.Read(sample)
				if used := int64(sample[0].Value.Uint64()); used > limit {
					cancel(fmt.Errorf("%w: the heap reached %d MiB, over the limit of %d MiB (an admin can raise it)", ErrMemory, used>>20, limit>>20))
					return
				}
			}
		}
	}()
	return ctx, func() {
		close(done)
		debug.SetMemoryLimit(previous)
		cancel(nil)
	}
}

// Run calls f in its own goroutine and returns its result, or the cause as
// soon as ctx ends. what names the work in the error ("rendering").
func Run[T any](ctx context.Context, what string, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("%s stopped: %w", what, context.Cause(ctx))
	}
}

// Err is ctx's cause once it has ended, else nil.
func Err(ctx context.Context) error {
	if ctx.Err() == nil {
		return nil
	}
	return context.Cause(ctx)
}
