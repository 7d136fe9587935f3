package plan

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/hooks"
)

// An unquoted sync-wave on a tracked object stops Argo CD's manifest
// generation (hooks.GenerationFails); on a CRD, and under label tracking
// before 3.0, Argo CD only reads none of the object's annotations.
const unquoted = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/sync-wave: 1
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
  annotations:
    argocd.argoproj.io/sync-wave: 1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: blank
  annotations:
    note:
`

func TestGenerationFails(t *testing.T) {
	p := build(t, unquoted, hooks.Latest)
	var failing []string
	for _, s := range p.GenerationFails {
		failing = append(failing, s.Display)
		assert.Equal(t, hooks.GenerationFailsReason, s.Reason)
	}
	// A null value is not a string either for the tracking's NestedStringMap.
	assert.Equal(t, []string{"Job migrate", "ConfigMap blank"}, failing)
	// The CRD keeps "annotations ignored": a plain resource at wave 0.
	assert.Contains(t, steps(p.Phases[1]), "0 CustomResourceDefinition widgets.example.com")

	var text bytes.Buffer
	require.NoError(t, Write(&text, "text", p))
	assert.Contains(t, text.String(), "! Argo CD cannot generate this app, nothing below is synced: Job migrate app.yaml:1")

	old := build(t, unquoted, hooks.Version{Major: 2, Minor: 14, Patch: 9})
	assert.Empty(t, old.GenerationFails, "label tracking, the default before 3.0, reads no annotations")
	assert.Contains(t, steps(old.Phases[1]), "0 Job migrate", "its annotations are ignored: a plain resource")

	fine := build(t, shop, hooks.Latest)
	assert.Empty(t, fine.GenerationFails)
}
