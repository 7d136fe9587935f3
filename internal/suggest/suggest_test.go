package suggest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClosest(t *testing.T) {
	ids := []string{"hook-backoff-limit", "hook-deadline-missing", "hook-image-unpinned", "migration-not-idempotent"}
	assert.Equal(t, []string{"hook-backoff-limit"}, Closest("hook-backof-limit", ids))
	assert.Equal(t, []string{"hook-image-unpinned"}, Closest("HOOK-IMAGE-UNPINED", ids))
	assert.Equal(t, []string{"hook-deadline-missing"}, Closest("deadline", ids), "a part of an id")
	assert.Empty(t, Closest("zzz", ids))
	assert.Equal(t, []string{"failOn"}, Closest("failon", []string{"argocdVersion", "failOn", "wholeApp"}))
	assert.Equal(t, "; did you mean failOn?", DidYouMean("fail-on", []string{"failOn", "rules"}))
	assert.Equal(t, "", DidYouMean("xyzzy", []string{"failOn", "rules"}))
}

func TestDistance(t *testing.T) {
	assert.Equal(t, 0, distance("abc", "abc"))
	assert.Equal(t, 3, distance("", "abc"))
	assert.Equal(t, 1, distance("kitten", "sitten"))
	assert.Equal(t, 3, distance("kitten", "sitting"))
}
