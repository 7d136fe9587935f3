package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDetect(t *testing.T) {
	assert.Equal(t, Kustomize, Detect("testdata/outside/app"))
	assert.Equal(t, Helm, Detect("testdata/helm-missing-dep"))
	assert.Equal(t, Plain, Detect("testdata"))
	assert.Equal(t, Plain, Detect("testdata/outside/base/job.yaml"))
}

func TestKustomizeKeepsSourceFileAndLine(t *testing.T) {
	res, err := Render("testdata/outside/app", Options{RepoRoot: "testdata/outside"})
	require.NoError(t, err)
	require.Len(t, res.Objects, 1)
	o := res.Objects[0]
	assert.Equal(t, filepath.Join("testdata", "outside", "app", "..", "base", "job.yaml"), o.File)
	assert.Equal(t, 1, o.Line)
	assert.True(t, o.Rendered)
	ann := o.Node.GetAnnotations()
	assert.NotContains(t, ann, originAnnotation, "the origin annotation hookguard asked for is not in the output")
	assert.Equal(t, "PreSync", ann["argocd.argoproj.io/hook"])
}

func TestKustomizeStaysInsideTheRepository(t *testing.T) {
	_, err := Render("testdata/outside/app", Options{RepoRoot: "testdata/outside/app"})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrOutsideRepo)
	assert.Contains(t, err.Error(), "reads no file outside the repository")

	_, err = Render("testdata/outside", Options{RepoRoot: "testdata/outside/app"})
	assert.ErrorContains(t, err, "outside the repository root")
}

func TestKustomizeRemoteBasesOff(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte("resources:\n- https://github.com/example/app//base?ref=v1\n"), 0o644))
	_, err := Render(dir, Options{})
	assert.ErrorContains(t, err, `resources entry "https://github.com/example/app//base?ref=v1" is remote; remote bases are off by default`)
}

func TestHelmMissingDependencyIsNotFetched(t *testing.T) {
	_, err := Render("testdata/helm-missing-dep", Options{})
	assert.ErrorContains(t, err, "fetching dependencies over the network is off")
}

func TestHelmValuesOutsideRepository(t *testing.T) {
	_, err := Render("testdata/helm-ok", Options{ValuesFiles: []string{"../../../../../etc/passwd"}})
	assert.ErrorIs(t, err, ErrOutsideRepo)
}

// A chart renders as helm template does: manifests then hooks (tests kept:
// dropping them is normalization's job), release name, namespace, values
// and the Kubernetes version given.
func TestHelmRender(t *testing.T) {
	res, err := Render("testdata/helm-ok", Options{ReleaseName: "shop", Namespace: "prod", Set: []string{"image=app:2.0.0"}, KubeVersion: "1.29"})
	require.NoError(t, err)
	require.Len(t, res.Objects, 3)
	var names []string
	for _, o := range res.Objects {
		names = append(names, o.Node.GetName())
		assert.True(t, o.Rendered)
		assert.Equal(t, map[string]int{"shop-cfg": 1, "shop-migrate": 1, "shop-test": 13}[o.Node.GetName()], o.Line, "the document's line in its template")
	}
	assert.Equal(t, "shop-cfg", names[0], "manifests first, then hooks")
	assert.ElementsMatch(t, []string{"shop-cfg", "shop-migrate", "shop-test"}, names)
	cm := res.Objects[0]
	assert.Equal(t, filepath.Join("testdata", "helm-ok", "templates", "cm.yaml"), cm.File)
	assert.Equal(t, "helm template app/templates/cm.yaml", cm.Source)
	assert.Equal(t, "prod", cm.Node.GetNamespace())
	assert.Equal(t, "v1.29.0", cm.Node.GetDataMap()["kube"])
	for _, o := range res.Objects[1:] {
		text, err := o.Node.String()
		require.NoError(t, err)
		assert.Contains(t, text, "app:2.0.0", "--set values apply")
	}
}

func TestParseKubeVersion(t *testing.T) {
	for in, want := range map[string]string{
		"":               DefaultKubeVersion,
		"1.29":           "v1.29.0",
		"1.29+":          "v1.29.0",
		"1.29.3":         "v1.29.3",
		"v1.30.1":        "v1.30.1",
		"1.28.5-gke.100": "v1.28.5-gke.100",
	} {
		kv, err := ParseKubeVersion(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, kv.Version, in)
	}
	_, err := ParseKubeVersion("latest")
	assert.ErrorContains(t, err, "KUBE_VERSION")
}

func TestParseAPIVersions(t *testing.T) {
	assert.Equal(t, []string{"apps/v1", "apps/v1/Deployment", "v1"}, ParseAPIVersions("v1, apps/v1/Deployment,,apps/v1,v1"))
	assert.Empty(t, ParseAPIVersions(""))
}

// FuzzParseKubeVersion: any KUBE_VERSION is a version or an error, never a panic.
func FuzzParseKubeVersion(f *testing.F) {
	for _, s := range []string{"1.29", "1.29.3", "v1.30+", "", "x", "1", "1.2.3.4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if kv, err := ParseKubeVersion(s); err == nil && kv.Major == "" {
			t.Fatalf("%q parsed without a major version", s)
		}
	})
}

// A dependency vendored in charts/ renders without any network, and its
// objects name the subchart's template file.
func TestHelmVendoredDependency(t *testing.T) {
	res, err := Render("testdata/helm-vendored", Options{ReleaseName: "r"})
	require.NoError(t, err)
	files := map[string]string{}
	for _, o := range res.Objects {
		files[o.Node.GetName()] = o.File
	}
	assert.Equal(t, map[string]string{
		"r-shop":    filepath.Join("testdata", "helm-vendored", "templates", "cm.yaml"),
		"r-db-init": filepath.Join("testdata", "helm-vendored", "charts", "db", "templates", "init.yaml"),
	}, files)
}

// A dependency missing from charts/ that the values disable (condition or
// tags, as Helm evaluates them) is left out, with a note; enabling it makes
// the render fail naming it and `helm dependency build`.
func TestHelmMissingDisabledDependency(t *testing.T) {
	var notes []string
	res, err := Render("testdata/helm-optional-dep", Options{ReleaseName: "r", Notes: func(n string) { notes = append(notes, n) }})
	require.NoError(t, err)
	var names []string
	for _, o := range res.Objects {
		names = append(names, o.Node.GetName())
	}
	assert.ElementsMatch(t, []string{"r-shop", "r-db"}, names, "the vendored dependency still renders")
	assert.Len(t, notes, 3, "%q", notes)
	all := strings.Join(notes, "\n")
	for _, want := range []string{
		"dependency postgresql is not in charts/ and the values disable it (condition postgresql.enabled): rendered without it",
		"dependency cache is not in charts/ and the values disable it (tags cache)",
		"dependency db.exporter is not in charts/ and the values disable it (condition exporter.enabled)",
	} {
		assert.Contains(t, all, want)
	}

	for _, tc := range []struct {
		set  []string
		name string
	}{
		{[]string{"postgresql.enabled=true"}, "postgresql"},
		{[]string{"tags.cache=true"}, "cache"},
		{[]string{"db.exporter.enabled=true"}, "db.exporter"},
		{[]string{"postgresql.enabled=true", "tags.cache=true"}, "postgresql, cache"},
	} {
		_, err := Render("testdata/helm-optional-dep", Options{Set: tc.set})
		require.Error(t, err, tc.set)
		assert.Contains(t, err.Error(), "dependency "+tc.name+" is enabled but not in charts/", tc.set)
		assert.Contains(t, err.Error(), "helm dependency build testdata/helm-optional-dep", tc.set)
	}
}
