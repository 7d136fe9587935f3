package argocd

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/hookguard/hookguard/internal/argoapp"
)

// sourceVariants are Application sources over testdata/monorepo that
// exercise the Kustomize and Helm settings one by one. Each is rendered by
// hookguard and by Argo CD's repo-server; both must give the same objects,
// or both must fail.
var sourceVariants = map[string]string{
	"kustomize-image-forms": `
path: apps/shop/overlays/prod
kustomize:
  images:
    - example/shop:2.0
    - other=registry.example.com/other@sha256:0000000000000000000000000000000000000000000000000000000000000000
    - example/shop=mirror.example.com/shop
`,
	"kustomize-image-digest-then-tag": `
path: apps/shop/overlays/staging
kustomize:
  images:
    - example/shop@sha256:1111111111111111111111111111111111111111111111111111111111111111
    - example/shop-tests:v3
`,
	"kustomize-labels-without-selector": `
path: apps/shop/overlays/prod
kustomize:
  commonLabels: {tier: backend, env: prod}
  labelWithoutSelector: true
  labelIncludeTemplates: true
`,
	"kustomize-labels-with-selector": `
path: apps/shop/overlays/staging
kustomize:
  commonLabels: {tier: backend}
  commonAnnotations: {rev: "${ARGOCD_APP_REVISION}"}
  commonAnnotationsEnvsubst: true
`,
	"kustomize-annotations-no-envsubst": `
path: apps/shop/overlays/staging
kustomize:
  commonAnnotations: {rev: "${ARGOCD_APP_REVISION}"}
`,
	"kustomize-replicas-namespace-suffix": `
path: apps/shop/overlays/staging
kustomize:
  nameSuffix: -x
  namespace: other
  replicas:
    - name: shop
      count: 7
    - name: staging-shop
      count: "3"
`,
	"kustomize-patches-components": `
path: apps/shop/overlays/staging
kustomize:
  components: [../../components/debug]
  patches:
    - target: {kind: Job, name: staging-shop-migrate}
      patch: |-
        - op: add
          path: /spec/ttlSecondsAfterFinished
          value: 60
`,
	"kustomize-missing-component": `
path: apps/shop/overlays/staging
kustomize:
  components: [../../components/missing]
`,
	"helm-defaults": `
path: apps/web
`,
	"helm-globs-and-missing": `
path: apps/web
helm:
  valueFiles: ["values-*.yaml", "/envs/prod/values.yaml", "nothere.yaml"]
  ignoreMissingValueFiles: true
`,
	"helm-missing-values-file": `
path: apps/web
helm:
  valueFiles: ["nothere.yaml"]
`,
	"helm-values-and-object": `
path: apps/web
helm:
  namespace: elsewhere
  releaseName: rel
  values: "greeting: from-string\nreplicas: 9\n"
  valuesObject: {greeting: from-object}
  skipCrds: false
`,
	"helm-parameters": `
path: apps/web
helm:
  parameters:
    - {name: greeting, value: "a,b"}
    - {name: image.tag, value: "${ARGOCD_APP_NAME}-${ARGOCD_APP_REVISION_SHORT}"}
    - {name: port, value: "0443", forceString: true}
    - {name: replicas, value: "{1,2}"}
`,
	"directory-default": `
path: apps/plain
`,
	"directory-recurse-exclude": `
path: apps/plain
directory:
  recurse: true
  exclude: '{*/deeper/*,configmap.yaml}'
`,
	"explicit-directory-over-chart": `
path: apps/web
directory: {}
`,
}

func TestSourceVariantsRenderLikeRepoServer(t *testing.T) {
	needBinaries(t)
	fixture, err := filepath.Abs(filepath.Join(repoRoot, "testdata", "monorepo"))
	require.NoError(t, err)
	names := make([]string, 0, len(sourceVariants))
	for n := range sourceVariants {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			var src v1alpha1.ApplicationSource
			require.NoError(t, yaml.Unmarshal([]byte(sourceVariants[name]), &src))
			src.RepoURL, src.TargetRevision = "https://github.com/example/platform.git", "0123456789abcdef"
			app := v1alpha1.Application{Spec: v1alpha1.ApplicationSpec{Source: &src, Project: "default",
				Destination: v1alpha1.ApplicationDestination{Namespace: "dest"}}}
			app.APIVersion, app.Kind, app.Name, app.Namespace = "argoproj.io/v1alpha1", "Application", "variant", "argocd"

			// hookguard: the Application file in a copy of the checkout.
			root := t.TempDir()
			require.NoError(t, os.CopyFS(root, os.DirFS(fixture)))
			require.NoError(t, os.RemoveAll(filepath.Join(root, "argocd")))
			data, err := yaml.Marshal(app)
			require.NoError(t, err)
			require.NoError(t, os.MkdirAll(filepath.Join(root, "argocd"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(root, "argocd", "app.yaml"), data, 0o644))
			res, err := argoapp.Load(context.Background(), filepath.Join(root, "argocd"), argoapp.Options{RepoRoot: root})
			require.NoError(t, err)
			require.Len(t, res.Apps, 1)
			ours := res.Apps[0]

			want, argoErr := repoServerErr(t, fixture, app)
			if argoErr != nil {
				assert.Error(t, ours.Err, "Argo CD fails: %v", argoErr)
				t.Logf("both fail; Argo CD: %v; hookguard: %v", firstLine(argoErr.Error()), ours.Err)
				return
			}
			require.NoError(t, ours.Err)
			var got []string
			for _, o := range ours.Objects {
				got = append(got, canonical(t, o.Value()))
			}
			sort.Strings(got)
			assert.Equal(t, want, got)
			t.Logf("%d objects agree", len(got))
		})
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
