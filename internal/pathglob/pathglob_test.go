package pathglob

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMatch(t *testing.T) {
	base := t.TempDir()
	s, err := New(base, []string{"vendor", "apps/*/generated/**", "**/*.secret.yaml", "./legacy/", "x[0-9].yaml"})
	require.NoError(t, err)
	for path, want := range map[string]bool{
		"vendor/a.yaml":                  true, // a name at any depth, and everything below it
		"apps/vendor/b/c.yaml":           true,
		"apps/shop/generated/d.yaml":     true,
		"apps/shop/generated/x/e.yaml":   true,
		"apps/shop/sub/generated/e.yaml": false, // * is one element
		"apps/shop/job.yaml":             false,
		"db.secret.yaml":                 true, // **/ matches zero directories
		"a/b/db.secret.yaml":             true,
		"legacy/old.yaml":                true,
		"x1.yaml":                        true,
		"xa.yaml":                        false,
		"../outside/vendor/a.yaml":       false, // never above the base
	} {
		assert.Equal(t, want, s.Match(filepath.Join(base, path)), path)
	}
	var none *Set
	assert.False(t, none.Match("a"))
	_, err = New(base, []string{"a[b"})
	assert.ErrorContains(t, err, `ignore glob "a[b": unclosed [`)
}
