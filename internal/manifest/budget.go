package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Limits bound the input of one run; a zero field is unlimited. A hostile
// repository must not starve the shared sidecar: bytes bounds what is
// parsed, nodes what YAML aliases expand to, objects how many are analyzed.
type Limits struct {
	Bytes   int64 `yaml:"bytes"`
	Objects int64 `yaml:"objects"`
	Nodes   int64 `yaml:"nodes"`
}

// DefaultLimits are far above real apps (the largest chart in the corpus
// renders a few hundred objects) and far below what exhausts a sidecar.
func DefaultLimits() Limits {
	return Limits{Bytes: 128 << 20, Objects: 20_000, Nodes: 10_000_000}
}

// ErrLimit is wrapped by every budget breach.
var ErrLimit = errors.New("input limit exceeded")

// Budget is what is left of Limits in a run, shared by every loader and
// renderer of it. A nil Budget is unlimited.
type Budget struct {
	mu           sync.Mutex
	limits, used Limits
}

// NewBudget starts a run's budget.
func NewBudget(l Limits) *Budget { return &Budget{limits: l} }

// spend charges the budget; the error names the limit and where it broke.
func (b *Budget) spend(file string, line int, bytes, objects, nodes int64) error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used.Bytes += bytes
	b.used.Objects += objects
	b.used.Nodes += nodes
	breach := func(what string, limit int64) error {
		return &ParseError{File: file, Line: line, Msg: fmt.Sprintf("%v: the run reads more than %d %s (the limit; an admin can raise it)", ErrLimit, limit, what), err: ErrLimit}
	}
	switch {
	case b.limits.Bytes > 0 && b.used.Bytes > b.limits.Bytes:
		return breach("bytes of YAML", b.limits.Bytes)
	case b.limits.Objects > 0 && b.used.Objects > b.limits.Objects:
		return breach("objects", b.limits.Objects)
	case b.limits.Nodes > 0 && b.used.Nodes > b.limits.Nodes:
		return breach("YAML nodes once aliases are expanded", b.limits.Nodes)
	}
	return nil
}

// Scan checks YAML that another program will read (kustomize reads its
// inputs itself): every document must parse within the depth and alias
// limits, and its bytes and expanded nodes are charged to the budget. It
// builds no object.
func (l Loader) Scan(file string, data []byte) error {
	if err := l.Budget.spend(file, 0, int64(len(data)), 0, 0); err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for doc := 0; ; doc++ {
		var node yaml.Node
		if err := dec.Decode(&node); err != nil {
			return nil // not YAML, or the end: the reader reports its own syntax errors
		}
		deepest := 0
		size := expandedSize(&node, 0, maxNodes, &deepest)
		if size > maxNodes {
			return &ParseError{File: file, Line: node.Line, Msg: fmt.Sprintf("document %d: YAML aliases expand to more than %d nodes", doc+1, maxNodes)}
		}
		if deepest > maxDepth {
			return &ParseError{File: file, Line: node.Line, Msg: fmt.Sprintf("document %d: nested deeper than %d levels", doc+1, maxDepth)}
		}
		if err := l.Budget.spend(file, node.Line, 0, 0, int64(size)); err != nil {
			return err
		}
	}
}
