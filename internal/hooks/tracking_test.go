package hooks

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Whether an annotation value that is not a string stops the app's manifest
// generation (argo-cd v3.6.1 reposerver/repository/repository.go:1843-1846,
// util/kube/kube.go:189-199) or only hides the annotations.
func TestGenerationFails(t *testing.T) {
	v := func(s string) Version { x, err := ParseVersion(s); require.NoError(t, err); return x }
	cases := []struct {
		name, group, kind string
		notString         bool
		version           string
		fails             bool
	}{
		{"tracked Job, annotation tracking", "batch", "Job", true, "3.6.1", true},
		{"core Secret, annotation tracking", "", "Secret", true, "3.0.0", true},
		// kube.IsCRD matches kind and group (gitops-engine kube.go:180-186).
		{"CRD is not tracked", "apiextensions.k8s.io", "CustomResourceDefinition", true, "3.6.1", false},
		{"a CustomResourceDefinition kind of another group is tracked", "example.com", "CustomResourceDefinition", true, "3.6.1", true},
		// Before 3.0 the default was label tracking, which reads labels only
		// (2.14-3.0 upgrade notes): GetAnnotations then returns nothing.
		{"label tracking by default before 3.0", "batch", "Job", true, "2.14.9", false},
		{"every value a string", "batch", "Job", false, "3.6.1", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.fails, GenerationFails(c.group, c.kind, c.notString, v(c.version)))
		})
	}
	assert.True(t, v("3.0.0").TracksByAnnotation())
	assert.False(t, v("2.14.9").TracksByAnnotation())
}
