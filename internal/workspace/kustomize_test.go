package workspace

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Overlays sharing a base: the overlays are the apps, the base is a part.
func TestTopKustomizations(t *testing.T) {
	shop := filepath.Join("..", "..", "testdata", "monorepo", "apps", "shop")
	base := filepath.Join(shop, "base")
	prod := filepath.Join(shop, "overlays", "prod")
	staging := filepath.Join(shop, "overlays", "staging")
	assert.Equal(t, []string{prod, staging}, TopKustomizations([]string{base, prod, staging}))
	assert.Equal(t, []string{base}, TopKustomizations([]string{base}), "a base met alone is an app")
}
