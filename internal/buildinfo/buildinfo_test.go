package buildinfo

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRead(t *testing.T) {
	i := Read()
	assert.NotEmpty(t, i.Version)
	assert.NotEmpty(t, i.Go, "the Go version is always recorded")
	assert.Contains(t, i.String(), i.Version)

	version = "v9.8.7"
	defer func() { version = "" }()
	assert.Equal(t, "v9.8.7", Read().Version, "ldflags win")
}

func TestString(t *testing.T) {
	assert.Equal(t, "v1.0.0 (0123456789ab, 2026-11-27T00:00:00Z, go1.26.8)",
		Info{Version: "v1.0.0", Revision: "0123456789abcdef", Time: "2026-11-27T00:00:00Z", Go: "go1.26.8"}.String())
	assert.Equal(t, "dev", Info{Version: "dev"}.String())
}
