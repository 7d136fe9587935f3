package manifest

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/hookguard/hookguard/bench/synth"
)

// KeepPositions answers every path as the tree did: each field of the
// object, a missing field below each, duplicate-free mappings, sequences,
// aliases and merge keys, on the shared corpus and a synthetic app.
func TestKeepPositionsAnswersAsTheTree(t *testing.T) {
	var objs []Object
	anchors, _ := parse(t, `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  labels: &l
    app: x
    tier: web
data:
  <<: *l
  other: *l
  list: [a, {b: c}, [d]]
`)
	objs = append(objs, anchors...)
	synthetic, err := Loader{}.Parse("synth.yaml", synth.App(200))
	require.NoError(t, err)
	objs = append(objs, synthetic...)
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "plain")
	if _, err := os.Stat(corpus); err == nil {
		c, err := Loader{}.Load([]string{corpus})
		require.NoError(t, err)
		objs = append(objs, c...)
	} else {
		t.Logf("%s is not here (%v): the anchors and the synthetic app only", corpus, err)
	}
	checked := 0
	for _, o := range objs {
		var paths [][]string
		var walk func(n *yaml.Node, path []string)
		walk = func(n *yaml.Node, path []string) {
			n = resolve(n)
			paths = append(paths, path, append(append([]string{}, path...), "missing"))
			switch n.Kind {
			case yaml.MappingNode:
				for i := 0; i+1 < len(n.Content); i += 2 {
					walk(n.Content[i+1], append(append([]string{}, path...), n.Content[i].Value))
				}
			case yaml.SequenceNode:
				for i, item := range n.Content {
					walk(item, append(append([]string{}, path...), strconv.Itoa(i)))
				}
				paths = append(paths, append(append([]string{}, path...), strconv.Itoa(len(n.Content))))
			}
		}
		walk(o.Node.YNode(), nil)
		want := make([][2]int, len(paths))
		for i, p := range paths {
			want[i][0], want[i][1] = o.Position(p)
		}
		kept := o
		kept.KeepPositions()
		require.Nil(t, kept.Node)
		for i, p := range paths {
			line, col := kept.Position(p)
			require.Equal(t, want[i], [2]int{line, col}, "%s:%d %v", o.File, o.Line, p)
			checked++
		}
	}
	require.Greater(t, checked, 5000) // the synthetic app alone has about 9,000 paths
}
