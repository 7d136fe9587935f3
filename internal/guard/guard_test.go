package guard

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDeadlineEndsARunawayCall(t *testing.T) {
	ctx, cancel := WithDeadline(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Run(ctx, "rendering", func() (int, error) {
		select {} // a template that never ends
	})
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrDeadline), "%v", err)
	assert.Contains(t, err.Error(), "rendering stopped")
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestMemoryWatchdogEndsARunawayCall(t *testing.T) {
	ctx, stop := WatchMemory(context.Background(), 64<<20)
	defer stop()
	start := time.Now()
	_, err := Run(ctx, "rendering", func() (int, error) {
		var keep []string // held by the runaway alone
		s := "x"
		for ctx.Err() == nil { // a template doubling a string (stops only so the test process does not keep growing)
			s = s + s
			if len(s) > 1<<20 {
				keep = append(keep, s)
				s = "x"
			}
			time.Sleep(time.Microsecond)
		}
		return len(keep), nil
	})
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrMemory), "%v", err)
	assert.Less(t, time.Since(start), 20*time.Second)
}

func TestRunReturnsResult(t *testing.T) {
	v, err := Run(context.Background(), "x", func() (string, error) { return strings.ToUpper("ok"), nil })
	require.NoError(t, err)
	assert.Equal(t, "OK", v)
	assert.NoError(t, Err(context.Background()))
}
