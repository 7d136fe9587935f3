package hooks

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A version hookguard does not model is refused with the range it does.
func TestParseVersionRange(t *testing.T) {
	for _, s := range []string{"9.9", "1.8", "3.7", "4"} {
		_, err := ParseVersion(s)
		assert.EqualError(t, err, fmt.Sprintf("unsupported Argo CD version %s: hookguard checks Argo CD 2.0 to %d.%d.x", s, Latest.Major, Latest.Minor), s)
	}
	for _, s := range []string{"2.0", "2.14.3", Latest.String(), fmt.Sprintf("%d.%d.99", Latest.Major, Latest.Minor)} {
		_, err := ParseVersion(s)
		require.NoError(t, err, s)
	}
}
