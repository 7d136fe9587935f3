package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/manifest"
)

// Rendered Helm objects point into their templates: the document's first
// line, and the line of a key where it is written literally once.
func TestHelmPositions(t *testing.T) {
	res, err := Render("testdata/helm-positions", Options{})
	require.NoError(t, err)
	byName := map[string]manifest.Object{}
	for _, o := range res.Objects {
		byName[o.Node.GetName()] = o
	}
	jobs := filepath.Join("testdata", "helm-positions", "templates", "jobs.yaml")
	queues := filepath.Join("testdata", "helm-positions", "templates", "queues.yaml")
	pos := func(name string, path ...string) [3]any {
		o, ok := byName[name]
		require.True(t, ok, name)
		l, c := o.Position(path)
		return [3]any{o.File, l, c}
	}
	for _, tc := range []struct {
		what string
		got  [3]any
		want [3]any
	}{
		{"a hook's first line", pos("release-name-migrate"), [3]any{jobs, 2, 1}},
		{"the second Job of the file, rendered before the hook", pos("release-name-report"), [3]any{jobs, 30, 1}},
		{"a quoted annotation key", pos("release-name-migrate", "metadata", "annotations", "helm.sh/hook"), [3]any{jobs, 9, 5}},
		{"a plain annotation key", pos("release-name-migrate", "metadata", "annotations", "argocd.argoproj.io/hook-delete-policy"), [3]any{jobs, 10, 5}},
		{"a label from include: its parent", pos("release-name-migrate", "metadata", "labels", "app"), [3]any{jobs, 6, 3}},
		{"a key written in both branches of an if: its parent", pos("release-name-migrate", "spec", "backoffLimit"), [3]any{jobs, 11, 1}},
		{"an annotation from toYaml: its parent", pos("release-name-migrate", "spec", "template", "metadata", "annotations", "team"), [3]any{jobs, 19, 7}},
		{"a container's key", pos("release-name-migrate", "spec", "template", "spec", "containers", "0", "image"), [3]any{jobs, 25, 11}},
		{"the second container", pos("release-name-migrate", "spec", "template", "spec", "containers", "1"), [3]any{jobs, 27, 11}},
		{"a missing key: the deepest found", pos("release-name-migrate", "spec", "activeDeadlineSeconds"), [3]any{jobs, 11, 1}},
		{"a compact sequence", pos("release-name-report", "spec", "template", "spec", "containers", "0", "image"), [3]any{jobs, 40, 9}},
		{"each object of a range", pos("queue-orders", "data", "queue"), [3]any{queues, 8, 3}},
		{"each object of a range", pos("queue-mails", "data", "queue"), [3]any{queues, 8, 3}},
		{"a range's object", pos("queue-mails"), [3]any{queues, 3, 1}},
		{"after an action over several lines", pos("release-name-creds", "metadata", "annotations", "argocd.argoproj.io/hook"), [3]any{queues, 18, 5}},
		{"after an action over several lines", pos("release-name-creds", "type"), [3]any{queues, 19, 1}},
	} {
		assert.Equal(t, tc.want, tc.got, tc.what)
	}
}

// Every object of the corpus charts gets a line in its template, and every
// key placed on a line of its own is written there.
func TestHelmPositionsCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus", "helm")
	charts, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("%s is not here (it ships beside the repository in CI): %v", root, err)
	}
	objects, keys, located := 0, 0, 0
	for _, c := range charts {
		dir := filepath.Join(root, c.Name())
		res, err := Render(dir, Options{RepoRoot: root})
		if err != nil {
			t.Logf("%s: %v", c.Name(), err)
			continue
		}
		for _, o := range res.Objects {
			objects++
			data, err := os.ReadFile(o.File)
			if !assert.NoError(t, err, "an object's file is its template") {
				continue
			}
			lines := strings.Split(string(data), "\n")
			require.True(t, o.Mapped, "%s (%s) has no template position", o.File, o.Source)
			require.True(t, o.Line >= 1 && o.Line <= len(lines), "%s: line %d", o.File, o.Line)
			first := lines[o.Line-1]
			assert.Regexp(t, `^[A-Za-z"']`, first, "%s:%d: an object starts at a top-level key", o.File, o.Line)
			// a key not found takes its parent's position; any other
			// position must hold the key
			var walk func(n *yaml.Node)
			walk = func(n *yaml.Node) {
				if n.Kind == yaml.MappingNode {
					for i := 0; i+1 < len(n.Content); i += 2 {
						k := n.Content[i]
						keys++
						if k.Line != n.Line || k.Column != n.Column {
							located++
							line := lines[k.Line-1]
							require.Greater(t, len(line), k.Column-1)
							assert.True(t, strings.HasPrefix(strings.TrimLeft(line[k.Column-1:], `"'`), k.Value),
								"%s:%d:%d: key %q is not there: %q", o.File, k.Line, k.Column, k.Value, line)
							if v := n.Content[i+1]; n == o.Node.YNode() && k.Value == "kind" {
								assert.Contains(t, line, v.Value, "%s:%d: the document of another kind", o.File, k.Line)
							}
						}
					}
				}
				for _, c := range n.Content {
					walk(c)
				}
			}
			walk(o.Node.YNode())
		}
	}
	if objects == 0 {
		t.Skip("no corpus chart rendered")
	}
	t.Logf("%d objects, %d of %d keys on their own template line", objects, located, keys)
	assert.Greater(t, located, keys/4, "most literal keys are found")
}
