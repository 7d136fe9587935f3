package appset

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/hookguard/hookguard/internal/manifest"
)

const repoURL = "https://github.com/example/gitops.git"

// set reads an ApplicationSet written in YAML.
func set(t *testing.T, text string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(text), &m))
	return m
}

// appSet wraps a spec (generators, template, options) into an ApplicationSet.
func appSet(t *testing.T, name, spec string) map[string]any {
	t.Helper()
	return set(t, "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: "+name+"\n  namespace: argocd\nspec:\n"+indent(spec))
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n") + "\n"
}

// writeTree writes files (path -> content) under a new directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(c), 0o644))
	}
	return dir
}

func expand(t *testing.T, dir string, s map[string]any) []map[string]any {
	t.Helper()
	apps, notExpanded, err := Expander{RepoURLs: []string{repoURL}}.Expand(dir, s)
	require.NoError(t, err)
	require.Empty(t, notExpanded)
	return apps
}

// get reads a dotted path (metadata.name) of an Application.
func get(app map[string]any, path string) any {
	var v any = app
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func names(apps []map[string]any) []string {
	var out []string
	for _, a := range apps {
		out = append(out, get(a, "metadata.name").(string))
	}
	sort.Strings(out)
	return out
}

const minimalSpec = `
  spec:
    project: default
    source: {repoURL: https://github.com/example/gitops.git, targetRevision: HEAD, path: apps}
    destination: {server: https://kubernetes.default.svc, namespace: x}
`

func TestListDefaultMode(t *testing.T) {
	s := appSet(t, "guestbooks", `
generators:
  - list:
      elements:
        - cluster: dev
          url: https://1.2.3.4
          values: {revision: main}
template:
  metadata:
    name: '{{cluster}}-{{ values.revision }}'
    annotations:
      kept: '{{missing}} {{ url }}'
      '{{cluster}}': key
  spec:
    project: default
    source: {repoURL: x, targetRevision: '{{values.revision}}', path: apps}
    destination: {server: '{{url}}', namespace: guestbook}
`)
	apps := expand(t, t.TempDir(), s)
	require.Len(t, apps, 1)
	a := apps[0]
	assert.Equal(t, "argoproj.io/v1alpha1", a["apiVersion"])
	assert.Equal(t, "Application", a["kind"])
	assert.Equal(t, "dev-main", get(a, "metadata.name"))
	assert.Equal(t, "argocd", get(a, "metadata.namespace"), "the ApplicationSet's namespace")
	assert.Equal(t, "{{missing}} https://1.2.3.4", get(a, "metadata.annotations.kept"), "an unknown tag stays as written")
	assert.Equal(t, "key", get(a, "metadata.annotations.dev"), "map keys are rendered")
	assert.Equal(t, "main", get(a, "spec.source.targetRevision"))
	assert.Equal(t, []any{resourcesFinalizer}, get(a, "metadata.finalizers"))
}

func TestListDefaultModeRefusesNonStrings(t *testing.T) {
	s := appSet(t, "numbers", `
generators:
  - list:
      elements:
        - cluster: dev
          replicas: 3
template:
  metadata: {name: '{{cluster}}'}
`+minimalSpec)
	_, _, err := Expand(t.TempDir(), s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ApplicationSet numbers")
	assert.Contains(t, err.Error(), "spec.generators[0].list")
	assert.Contains(t, err.Error(), "replicas")
}

func TestListGoTemplateAndElementsYaml(t *testing.T) {
	s := appSet(t, "go", `
goTemplate: true
generators:
  - list:
      elements:
        - cluster: {name: Dev_One}
          replicas: 3
      elementsYaml: |
        - cluster: {name: prod}
          replicas: 10
template:
  metadata:
    name: '{{ .cluster.name | normalize }}'
    annotations:
      replicas: '{{ .replicas }}'
      absent: '{{ .nothing }}'
`+minimalSpec)
	apps := expand(t, t.TempDir(), s)
	assert.Equal(t, []string{"dev-one", "prod"}, names(apps))
	byName := map[string]map[string]any{}
	for _, a := range apps {
		byName[get(a, "metadata.name").(string)] = a
	}
	assert.Equal(t, "3", get(byName["dev-one"], "metadata.annotations.replicas"))
	assert.Equal(t, "10", get(byName["prod"], "metadata.annotations.replicas"))
	assert.Equal(t, "<no value>", get(byName["prod"], "metadata.annotations.absent"), "text/template's default for a missing key")
}

func TestGoTemplateFunctionsAndOptions(t *testing.T) {
	tmpl := func(name, opts string) map[string]any {
		return appSet(t, "fn", `
goTemplate: true
goTemplateOptions: [`+opts+`]
generators:
  - list:
      elements: [{app: My_App}]
template:
  metadata:
    name: '`+name+`'
`+minimalSpec)
	}
	apps := expand(t, t.TempDir(), tmpl(`{{ slugify .app }}-{{ .app | lower | trunc 4 }}-{{ tpl "{{ .app | normalize }}" . }}`, ""))
	assert.Equal(t, "my-app-my_a-my-app", get(apps[0], "metadata.name"))

	for _, fn := range []string{"env", "expandenv", "getHostByName"} {
		_, _, err := Expand(t.TempDir(), tmpl(`{{ `+fn+` "HOME" }}`, ""))
		require.Error(t, err, fn)
		assert.Contains(t, err.Error(), `function "`+fn+`" not defined`)
	}

	_, _, err := Expand(t.TempDir(), tmpl(`{{ .app }}-{{ .cluster }}`, `"missingkey=error"`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `map has no entry for key "cluster"`)

	_, _, err = Expand(t.TempDir(), tmpl(`{{ .app }}`, `"missingkey=sometimes"`))
	require.Error(t, err, "an option text/template does not know")
	assert.Contains(t, err.Error(), "goTemplateOptions")
}

func TestFastTemplateNeedsBracesOnOneLine(t *testing.T) {
	out, err := renderer{}.replace("{{a\n}} {{ b }}", map[string]any{"a": "A", "b": "B"})
	require.NoError(t, err)
	assert.Equal(t, "A B", out, "one tag on one line: every tag is rendered")
	out, err = renderer{}.replace("{{a\n}}", map[string]any{"a": "A"})
	require.NoError(t, err)
	assert.Equal(t, "{{a\n}}", out, "no {{...}} on one line: not rendered at all")
	_, err = renderer{}.replace("{{a}} {{b", map[string]any{"a": "A"})
	assert.Error(t, err, "an unclosed tag")
}

var checkout = map[string]string{
	"apps/guestbook/k.yaml":           "x: 1",
	"apps/Helm_Guestbook/Chart.yaml":  "name: x",
	"apps/team/api/k.yaml":            "x: 1",
	".hidden/app/k.yaml":              "x: 1",
	"apps/.cache/k.yaml":              "x: 1",
	"clusters/dev/config.json":        `{"cluster": {"name": "dev", "url": "https://dev"}, "tags": ["a", "b"], "n": 2}`,
	"clusters/prod/config.json":       `{"cluster": {"name": "prod", "url": "https://prod"}}`,
	"clusters/eu/deep/config.json":    `{"cluster": {"name": "deep", "url": "https://deep"}}`,
	"clusters/staging/config.yaml":    "- cluster: {name: s1}\n- cluster: {name: s2}\n",
	"clusters/staging/notes.txt":      "not matched",
	"clusters/empty/config.json":      "",
	"clusters/broken/config.json.bak": "[",
}

func TestGitDirectoriesDefaultMode(t *testing.T) {
	dir := writeTree(t, checkout)
	s := appSet(t, "dirs", `
generators:
  - git:
      repoURL: https://github.com/example/gitops
      revision: HEAD
      directories:
        - path: apps/*
        - path: apps/guestbook
          exclude: true
      values:
        team: 'owner-{{path[1]}}'
template:
  metadata:
    name: '{{path.basenameNormalized}}'
    annotations:
      path: '{{path}}'
      base: '{{path.basename}}'
      first: '{{path[0]}}'
      team: '{{values.team}}'
`+minimalSpec)
	apps := expand(t, dir, s)
	assert.Equal(t, []string{"helm-guestbook", "team"}, names(apps), "apps/.cache is hidden; apps/guestbook excluded")
	for _, a := range apps {
		if get(a, "metadata.name") == "helm-guestbook" {
			assert.Equal(t, "apps/Helm_Guestbook", get(a, "metadata.annotations.path"))
			assert.Equal(t, "Helm_Guestbook", get(a, "metadata.annotations.base"))
			assert.Equal(t, "apps", get(a, "metadata.annotations.first"))
			assert.Equal(t, "owner-Helm_Guestbook", get(a, "metadata.annotations.team"))
		}
	}
}

func TestGitDirectoriesGoTemplateWithPrefix(t *testing.T) {
	dir := writeTree(t, checkout)
	s := appSet(t, "dirs", `
goTemplate: true
generators:
  - git:
      repoURL: `+repoURL+`
      pathParamPrefix: app
      directories:
        - path: '*/*/*'
template:
  metadata:
    name: '{{ index .app.path.segments 2 }}-{{ len .app.path.segments }}'
    annotations: {base: '{{ .app.path.basename }}', path: '{{ .app.path.path }}'}
`+minimalSpec)
	apps := expand(t, dir, s)
	assert.Equal(t, []string{"api-3", "deep-3"}, names(apps), ".hidden/app/... is never listed")
}

func TestGitFilesDefaultMode(t *testing.T) {
	dir := writeTree(t, checkout)
	s := appSet(t, "files", `
generators:
  - git:
      repoURL: `+repoURL+`
      files:
        - path: clusters/*/config.json
        - path: clusters/staging/config.yaml
        - path: clusters/empty/*
          exclude: true
template:
  metadata:
    name: '{{cluster.name}}'
    annotations: {tag: '{{tags.1}}', num: '{{n}}', dir: '{{path}}', file: '{{path.filename}}', seg: '{{path[2]}}'}
`+minimalSpec)
	apps := expand(t, dir, s)
	// "*" crosses "/" in a git pathspec: clusters/eu/deep/config.json too.
	assert.Equal(t, []string{"deep", "dev", "prod", "s1", "s2"}, names(apps))
	for _, a := range apps {
		switch get(a, "metadata.name") {
		case "dev":
			assert.Equal(t, "b", get(a, "metadata.annotations.tag"))
			assert.Equal(t, "2", get(a, "metadata.annotations.num"))
			assert.Equal(t, "clusters/dev", get(a, "metadata.annotations.dir"))
			assert.Equal(t, "config.json", get(a, "metadata.annotations.file"))
		case "deep":
			assert.Equal(t, "deep", get(a, "metadata.annotations.seg"))
		case "s1":
			assert.Equal(t, "{{tags.1}}", get(a, "metadata.annotations.tag"))
		}
	}
}

func TestGitFilesGoTemplateKeepsNesting(t *testing.T) {
	dir := writeTree(t, checkout)
	s := appSet(t, "files", `
goTemplate: true
generators:
  - git:
      repoURL: `+repoURL+`
      files:
        - path: clusters/dev/config.json
      values:
        url: '{{ .cluster.url }}'
template:
  metadata:
    name: '{{ .cluster.name }}-{{ index .tags 0 }}-{{ .path.basename }}'
    annotations: {url: '{{ .values.url }}', file: '{{ .path.filenameNormalized }}'}
`+minimalSpec)
	apps := expand(t, dir, s)
	require.Len(t, apps, 1)
	assert.Equal(t, "dev-a-dev", get(apps[0], "metadata.name"))
	assert.Equal(t, "https://dev", get(apps[0], "metadata.annotations.url"))
}

func TestGitFilesUnparsableNamesTheFile(t *testing.T) {
	dir := writeTree(t, checkout)
	s := appSet(t, "files", `
generators:
  - git:
      repoURL: `+repoURL+`
      files:
        - path: clusters/broken/*
template:
  metadata: {name: x}
`+minimalSpec)
	_, _, err := Expand(dir, s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "clusters/broken/config.json.bak")
	assert.Contains(t, err.Error(), "ApplicationSet files")
}

func TestGitStaysInsideTheCheckout(t *testing.T) {
	outside := writeTree(t, map[string]string{"secret.json": `{"cluster": {"name": "stolen"}}`, "d/x.json": "{}"})
	dir := writeTree(t, map[string]string{"clusters/a/config.json": `{"cluster": {"name": "a"}}`})
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret.json"), filepath.Join(dir, "clusters", "link.json")))
	require.NoError(t, os.Symlink(filepath.Join(outside, "d"), filepath.Join(dir, "linkdir")))
	files := appSet(t, "escape", `
generators:
  - git:
      repoURL: `+repoURL+`
      files:
        - path: clusters/*
template:
  metadata: {name: '{{cluster.name}}'}
`+minimalSpec)
	_, _, err := Expand(dir, files)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "outside the repository")

	dirs := appSet(t, "escape", `
generators:
  - git:
      repoURL: `+repoURL+`
      directories: [{path: '*'}]
template:
  metadata: {name: '{{path}}'}
`+minimalSpec)
	apps := expand(t, dir, dirs)
	assert.Equal(t, []string{"clusters"}, names(apps), "a linked directory is not listed (the walk does not follow links)")
}

func TestGitRepositoryIsTheCheckout(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"apps/a/k.yaml": "x: 1",
		".git/config":   "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:Example/GitOps.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
	})
	gen := func(url string) map[string]any {
		return appSet(t, "repo", `
generators:
  - git:
      repoURL: `+url+`
      revision: release-1
      directories: [{path: 'apps/*'}]
template:
  metadata: {name: '{{path.basename}}'}
`+minimalSpec)
	}
	var notes []string
	e := Expander{Notes: func(s string) { notes = append(notes, s) }}
	apps, notExpanded, err := e.Expand(dir, gen("https://github.com/example/gitops"))
	require.NoError(t, err)
	assert.Empty(t, notExpanded, "the https spelling of the ssh remote")
	assert.Equal(t, []string{"a"}, names(apps))
	require.Len(t, notes, 1)
	assert.Contains(t, notes[0], "revision release-1 ignored")

	apps, notExpanded, err = e.Expand(dir, gen("https://github.com/example/other.git"))
	require.NoError(t, err)
	assert.Empty(t, apps)
	assert.Equal(t, []string{"spec.generators[0].git (repoURL https://github.com/example/other.git is another repository)"}, notExpanded)

	// No remote known: the checkout is taken for the repository, with a note.
	bare := writeTree(t, map[string]string{"apps/b/k.yaml": "x: 1"})
	notes = nil
	apps, notExpanded, err = e.Expand(bare, gen("https://github.com/example/other.git"))
	require.NoError(t, err)
	assert.Empty(t, notExpanded)
	assert.Equal(t, []string{"b"}, names(apps))
	assert.Contains(t, strings.Join(notes, "\n"), "not known")
}

func TestNormalizeURL(t *testing.T) {
	same := []string{
		"https://github.com/example/gitops.git",
		"https://github.com/Example/GitOps",
		"git@github.com:example/gitops.git",
		"ssh://git@github.com/example/gitops.git",
		"ssh://git@github.com:22/example/gitops",
		"https://user:token@github.com/example/gitops/",
	}
	for _, u := range same {
		assert.Equal(t, "github.com/example/gitops", normalizeURL(u), u)
	}
	assert.NotEqual(t, normalizeURL("https://github.com/example/gitops"), normalizeURL("https://gitlab.com/example/gitops"))
	assert.NotEqual(t, normalizeURL("https://github.com/example/gitops"), normalizeURL("https://github.com/example/gitops-2"))
}

func TestLsFilesIsGitPathspec(t *testing.T) {
	files := []string{"a/config.json", "a/b/config.json", "a/b/c.yaml", "ab/x", "README", "dir/sub/f"}
	cases := map[string][]string{
		"a/*/config.json": {"a/b/config.json"},
		"a/*":             {"a/config.json", "a/b/config.json", "a/b/c.yaml"},
		"*.json":          {"a/config.json", "a/b/config.json"},
		"a/**":            {"a/config.json", "a/b/config.json", "a/b/c.yaml"},
		"a":               {"a/config.json", "a/b/config.json", "a/b/c.yaml"},
		"dir/":            {"dir/sub/f"},
		"README":          {"README"},
		"a?/x":            {"ab/x"},
		"[ab]b/*":         {"ab/x"},
		"[!a]*":           {"README", "dir/sub/f"},
		"":                files,
		".":               files,
		"nothing":         nil,
	}
	for pat, want := range cases {
		assert.Equal(t, want, lsFiles(files, pat), pat)
	}
}

func TestMatrixDefaultMode(t *testing.T) {
	dir := writeTree(t, checkout)
	s := appSet(t, "matrix", `
generators:
  - matrix:
      generators:
        - git:
            repoURL: `+repoURL+`
            directories: [{path: apps/guestbook}, {path: apps/team}]
        - list:
            elements: [{env: dev}, {env: prod}]
template:
  metadata: {name: '{{path.basename}}-{{env}}'}
`+minimalSpec)
	assert.Equal(t, []string{"guestbook-dev", "guestbook-prod", "team-dev", "team-prod"}, names(expand(t, dir, s)))

	conflict := appSet(t, "conflict", `
generators:
  - matrix:
      generators:
        - list: {elements: [{env: dev}]}
        - list: {elements: [{env: prod}]}
template:
  metadata: {name: '{{env}}'}
`+minimalSpec)
	_, _, err := Expand(dir, conflict)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "found duplicate key env with different value")
	assert.Contains(t, err.Error(), "spec.generators[0].matrix")

	three := appSet(t, "three", `
generators:
  - matrix:
      generators: [{list: {elements: []}}, {list: {elements: []}}, {list: {elements: []}}]
template:
  metadata: {name: x}
`+minimalSpec)
	_, _, err = Expand(dir, three)
	assert.ErrorContains(t, err, "Matrix support only two")
}

func TestMatrixSecondChildReadsTheFirst(t *testing.T) {
	dir := writeTree(t, checkout)
	s := appSet(t, "matrix", `
goTemplate: true
generators:
  - matrix:
      generators:
        - list:
            elements:
              - {dir: apps, owner: {name: alpha}}
              - {dir: clusters, owner: {name: beta}}
        - git:
            repoURL: `+repoURL+`
            directories: [{path: '{{ .dir }}/*'}]
            values: {owner: '{{ .owner.name }}', late: '{{ .path.basename }}'}
template:
  metadata:
    name: '{{ .path.basenameNormalized }}'
    annotations: {owner: '{{ .values.owner }}', late: '{{ .values.late }}', dir: '{{ .dir }}'}
`+minimalSpec)
	apps := expand(t, dir, s)
	assert.Equal(t, []string{"broken", "dev", "empty", "eu", "guestbook", "helm-guestbook", "prod", "staging", "team"}, names(apps))
	for _, a := range apps {
		if get(a, "metadata.name") == "team" {
			assert.Equal(t, "alpha", get(a, "metadata.annotations.owner"))
			// A value naming what only the git generator sets is left for it.
			assert.Equal(t, "team", get(a, "metadata.annotations.late"))
			assert.Equal(t, "apps", get(a, "metadata.annotations.dir"))
		}
	}
}

func TestMerge(t *testing.T) {
	dir := writeTree(t, checkout)
	flat := appSet(t, "merge", `
generators:
  - merge:
      mergeKeys: [cluster.name]
      generators:
        - git:
            repoURL: `+repoURL+`
            files: [{path: clusters/dev/config.json}, {path: clusters/prod/config.json}]
        - list:
            elements:
              - {cluster.name: prod, size: large}
              - {cluster.name: none, size: small}
template:
  metadata: {name: '{{cluster.name}}', annotations: {size: '{{size}}'}}
`+minimalSpec)
	apps := expand(t, dir, flat)
	assert.Equal(t, []string{"dev", "prod"}, names(apps))
	assert.Equal(t, "{{size}}", get(apps[0], "metadata.annotations.size"))
	assert.Equal(t, "large", get(apps[1], "metadata.annotations.size"))

	deep := appSet(t, "merge", `
goTemplate: true
generators:
  - merge:
      mergeKeys: [env]
      generators:
        - list: {elements: [{env: dev, cluster: {name: a, tier: low}}, {env: prod, cluster: {name: b, tier: low}}]}
        - list: {elements: [{env: prod, cluster: {tier: high}}]}
template:
  metadata: {name: '{{ .env }}-{{ .cluster.name }}-{{ .cluster.tier }}'}
`+minimalSpec)
	assert.Equal(t, []string{"dev-a-low", "prod-b-high"}, names(expand(t, dir, deep)), "Go template mode merges deeply")

	dup := appSet(t, "dup", `
generators:
  - merge:
      mergeKeys: [env]
      generators:
        - list: {elements: [{env: dev}, {env: dev}]}
        - list: {elements: [{env: dev}]}
template:
  metadata: {name: x}
`+minimalSpec)
	_, _, err := Expand(dir, dup)
	assert.ErrorContains(t, err, "not unique by the given mergeKeys")
}

func TestTemplatePatch(t *testing.T) {
	s := appSet(t, "patch", `
goTemplate: true
generators:
  - list:
      elements: [{name: a, auto: true}, {name: b, auto: false}]
template:
  metadata:
    name: '{{ .name }}'
    finalizers: [example.com/one]
  spec:
    project: default
    source: {repoURL: x, targetRevision: HEAD, path: apps}
    destination: {server: https://kubernetes.default.svc, namespace: x}
    syncPolicy: {syncOptions: [A=true]}
templatePatch: |
  metadata:
    finalizers: [example.com/two, example.com/one]
  spec:
    project: changed
  {{- if .auto }}
    syncPolicy:
      automated: {prune: true}
      syncOptions: [B=true]
  {{- end }}
`)
	apps := expand(t, t.TempDir(), s)
	require.Len(t, apps, 2)
	a, b := apps[0], apps[1]
	assert.Equal(t, []any{"example.com/two", "example.com/one"}, get(a, "metadata.finalizers"), "finalizers merge, in the patch's order")
	assert.Equal(t, "default", get(a, "spec.project"), "a patch cannot change the project")
	assert.Equal(t, true, get(a, "spec.syncPolicy.automated.prune"))
	assert.Equal(t, []any{"B=true"}, get(a, "spec.syncPolicy.syncOptions"), "lists are replaced")
	assert.Equal(t, []any{"A=true"}, get(b, "spec.syncPolicy.syncOptions"))
	assert.Nil(t, get(b, "spec.syncPolicy.automated"))
}

func TestGeneratorTemplateOverridesTheSets(t *testing.T) {
	s := appSet(t, "override", `
generators:
  - list:
      elements: [{app: a}]
      template:
        metadata: {labels: {from: generator}}
        spec:
          source: {path: 'own/{{app}}', targetRevision: ''}
template:
  metadata:
    name: '{{app}}'
    labels: {from: set, base: 'yes'}
  spec:
    project: default
    source: {repoURL: x, targetRevision: HEAD, path: base}
    destination: {server: https://kubernetes.default.svc, namespace: x}
`)
	apps := expand(t, t.TempDir(), s)
	require.Len(t, apps, 1)
	assert.Equal(t, map[string]any{"from": "generator", "base": "yes"}, get(apps[0], "metadata.labels"))
	assert.Equal(t, "own/a", get(apps[0], "spec.source.path"))
	assert.Equal(t, "HEAD", get(apps[0], "spec.source.targetRevision"), "an empty field comes from the set's template")
	assert.Equal(t, "x", get(apps[0], "spec.source.repoURL"))
}

func TestSelectorAndPreserve(t *testing.T) {
	s := appSet(t, "sel", `
syncPolicy: {preserveResourcesOnDeletion: true}
generators:
  - list:
      elements: [{name: a, tier: high}, {name: b, tier: low}, {name: c}]
    selector:
      matchExpressions:
        - {key: tier, operator: NotIn, values: [low]}
template:
  metadata: {name: '{{name}}'}
`+minimalSpec)
	apps := expand(t, t.TempDir(), s)
	assert.Equal(t, []string{"a", "c"}, names(apps))
	assert.Nil(t, get(apps[0], "metadata.finalizers"), "preserveResourcesOnDeletion: no finalizer")

	bad := appSet(t, "sel", `
generators:
  - list: {elements: [{name: a}]}
    selector:
      matchExpressions: [{key: tier, operator: Like, values: [x]}]
template:
  metadata: {name: '{{name}}'}
`+minimalSpec)
	_, _, err := Expand(t.TempDir(), bad)
	assert.ErrorContains(t, err, `"Like" is not a valid pod selector operator`)
}

func TestNotExpandedByName(t *testing.T) {
	s := appSet(t, "mixed", `
generators:
  - clusters: {}
  - list: {elements: [{app: a}]}
  - matrix:
      generators:
        - pullRequest: {github: {owner: x, repo: y}}
        - list: {elements: [{app: b}]}
  - merge:
      mergeKeys: [app]
      generators:
        - list: {elements: [{app: c}]}
        - plugin: {configMapRef: {name: p}}
  - scmProvider: {github: {organization: x}}
    list: {elements: [{app: d}]}
  - oci: {repoURL: oci://example}
template:
  metadata: {name: '{{app}}'}
`+minimalSpec)
	apps, notExpanded, err := Expander{RepoURLs: []string{repoURL}}.Expand(t.TempDir(), s)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "d"}, names(apps))
	assert.Equal(t, []string{
		"spec.generators[0].clusters",
		"spec.generators[2].matrix.generators[0].pullRequest",
		"spec.generators[3].merge.generators[1].plugin",
		"spec.generators[4].scmProvider",
		"spec.generators[5].oci",
	}, notExpanded)
}

func TestApplicationNamesAreChecked(t *testing.T) {
	dup := appSet(t, "dup", `
generators:
  - list: {elements: [{env: a}, {env: b}]}
template:
  metadata: {name: same}
`+minimalSpec)
	_, _, err := Expand(t.TempDir(), dup)
	assert.ErrorContains(t, err, "a second Application named same")

	none := appSet(t, "none", `
generators:
  - list: {elements: [{env: a}]}
template:
  metadata: {}
`+minimalSpec)
	_, _, err = Expand(t.TempDir(), none)
	assert.ErrorContains(t, err, "no name")
}

func TestExpandLeavesItsInputAlone(t *testing.T) {
	s := appSet(t, "pure", `
goTemplate: true
generators:
  - list: {elements: [{app: a}]}
template:
  metadata: {name: '{{ .app }}'}
`+minimalSpec)
	before, err := yaml.Marshal(s)
	require.NoError(t, err)
	expand(t, t.TempDir(), s)
	after, err := yaml.Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
}

func TestNotAnApplicationSet(t *testing.T) {
	_, _, err := Expand(t.TempDir(), map[string]any{"apiVersion": "v1", "kind": "ConfigMap"})
	assert.ErrorContains(t, err, "not an argoproj.io/v1alpha1 ApplicationSet")
	_, _, err = Expand(t.TempDir(), set(t, "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: x}\nspec: {goTemplate: 'yes'}\n"))
	assert.ErrorContains(t, err, "spec.goTemplate is yes, not a boolean")
}

func TestFinalizersMergeInStrategicOrder(t *testing.T) {
	cases := []struct{ orig, patch, want []any }{
		{[]any{"a"}, []any{"b", "a"}, []any{"b", "a"}},
		{[]any{"a", "b"}, []any{"c"}, []any{"c", "a", "b"}},
		{[]any{"a", "b", "c"}, []any{"c", "b"}, []any{"a", "c", "b"}},
		{[]any{"x", "a", "y"}, []any{"a", "z"}, []any{"x", "a", "z", "y"}},
		{nil, []any{"a", "a"}, []any{"a"}},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, unionList(c.orig, c.patch), "%v + %v", c.orig, c.patch)
	}
}

// FuzzExpand feeds ApplicationSets of any shape: Expand returns Applications
// or an error, and never panics.
func FuzzExpand(f *testing.F) {
	files, err := filepath.Glob("../../testdata/appset/*.yaml")
	require.NoError(f, err)
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte("apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nspec: {generators: [{list: 3}], template: []}"))
	f.Add([]byte("apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nspec: {generators: [{matrix: {generators: [{matrix: {}}, {merge: {}}]}}]}"))
	root := "../../testdata/appset/repo"
	f.Fuzz(func(t *testing.T, data []byte) {
		var m map[string]any
		if yaml.Unmarshal(data, &m) != nil {
			return
		}
		apps, _, err := Expander{RepoURLs: []string{repoURL}}.Expand(root, m)
		if err == nil {
			for _, a := range apps {
				require.Equal(t, "Application", a["kind"])
			}
		}
	})
}

// BenchmarkExpandGoTemplate expands 1,000 Applications from one list in Go
// template mode (each template string parsed once per expansion).
func BenchmarkExpandGoTemplate(b *testing.B) {
	var elems strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&elems, "      - {app: app%d, cluster: {name: c%d, url: https://x}}\n", i, i)
	}
	var s map[string]any
	text := "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: big}\nspec:\n  goTemplate: true\n  generators:\n  - list:\n     elements:\n" + elems.String() + `  template:
    metadata: {name: '{{ .app }}', labels: {a: '{{ .cluster.name }}'}}
    spec:
      project: default
      source: {repoURL: x, targetRevision: HEAD, path: 'apps/{{ .app }}', helm: {parameters: [{name: x, value: '{{ .cluster.url }}'}]}}
      destination: {server: https://kubernetes.default.svc, namespace: x}
`
	require.NoError(b, yaml.Unmarshal([]byte(text), &s))
	dir := b.TempDir()
	for b.Loop() {
		apps, _, err := Expand(dir, s)
		if err != nil || len(apps) != 1000 {
			b.Fatal(err, len(apps))
		}
	}
}

func TestGitFilesAreChargedToTheBudget(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"c/a.json": `{"name": "a", "pad": "` + strings.Repeat("x", 600) + `"}`,
		"c/b.json": `{"name": "b", "pad": "` + strings.Repeat("x", 600) + `"}`,
		"bomb/x.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
			"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
			"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n" +
			"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n",
	})
	gen := func(path string) map[string]any {
		return appSet(t, "budget", `
generators:
  - git:
      repoURL: `+repoURL+`
      files: [{path: '`+path+`'}]
template:
  metadata: {name: '{{name}}'}
`+minimalSpec)
	}
	e := Expander{RepoURLs: []string{repoURL}, Budget: manifest.NewBudget(manifest.Limits{Bytes: 1000})}
	_, _, err := e.Expand(dir, gen("c/*"))
	require.Error(t, err)
	assert.ErrorIs(t, err, manifest.ErrLimit)
	assert.Contains(t, err.Error(), "c/b.json")

	_, _, err = Expand(dir, gen("bomb/*"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "aliases expand")
}

func TestMatrixProductIsBounded(t *testing.T) {
	var a, b strings.Builder
	for i := range 400 {
		fmt.Fprintf(&a, "- {x: '%d'}\n", i)
		fmt.Fprintf(&b, "- {y: '%d'}\n", i)
	}
	s := appSet(t, "huge", `
generators:
  - matrix:
      generators:
        - list: {elementsYaml: "`+strings.ReplaceAll(a.String(), "\n", `\n`)+`"}
        - list: {elementsYaml: "`+strings.ReplaceAll(b.String(), "\n", `\n`)+`"}
template:
  metadata: {name: '{{x}}-{{y}}'}
`+minimalSpec)
	_, _, err := Expand(t.TempDir(), s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than 100000 parameter sets")
}

// TestNotExpandedFixture reads testdata/appset/not-expanded.yaml, the one
// fixture the differential test cannot feed to Argo CD (its generators
// need a cluster, APIs, or another repository).
func TestNotExpandedFixture(t *testing.T) {
	data, err := os.ReadFile("../../testdata/appset/not-expanded.yaml")
	require.NoError(t, err)
	apps, notExpanded, err := Expander{RepoURLs: []string{repoURL}}.Expand("../../testdata/appset/repo", set(t, string(data)))
	require.NoError(t, err)
	assert.Equal(t, []string{"guestbook"}, names(apps))
	assert.Equal(t, []string{
		"spec.generators[0].clusters",
		"spec.generators[2].git (repoURL https://github.com/example/another-repo.git is another repository)",
		"spec.generators[3].matrix.generators[0].scmProvider",
		"spec.generators[4].pullRequest",
		"spec.generators[5].plugin",
		"spec.generators[6].clusterDecisionResource",
	}, notExpanded)
}
