package normalize

import (
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/manifest"
)

// Objects runs the normalization filters over rendered objects, in place,
// and returns the objects that remain.
func Objects(objs []manifest.Object, opts Options, report Reporter) ([]manifest.Object, error) {
	nodes := make([]*yaml.RNode, len(objs))
	for i := range objs {
		nodes[i] = objs[i].Node
	}
	for _, f := range Filters(opts, report) {
		var err error
		if nodes, err = f.Filter(nodes); err != nil {
			return nil, err
		}
	}
	keep := map[*yaml.RNode]bool{}
	for _, n := range nodes {
		keep[n] = true
	}
	out := make([]manifest.Object, 0, len(nodes))
	for _, o := range objs {
		if keep[o.Node] {
			out = append(out, o)
		}
	}
	return out, nil
}
