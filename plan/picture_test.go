package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/plan/plantest"
)

// wide has one wave of nine resources (more than a DOT row) in an order
// Argo CD changes (kind order), a hook wave, and a dropped hook.
func wide() string {
	var b strings.Builder
	kinds := []struct{ apiVersion, kind string }{
		{"apps/v1", "Deployment"}, {"v1", "Service"}, {"v1", "ConfigMap"}, {"v1", "Secret"}, {"v1", "ServiceAccount"},
		{"rbac.authorization.k8s.io/v1", "Role"}, {"rbac.authorization.k8s.io/v1", "RoleBinding"}, {"batch/v1", "CronJob"}, {"v1", "PersistentVolumeClaim"},
	}
	for i, k := range kinds {
		fmt.Fprintf(&b, "apiVersion: %s\nkind: %s\nmetadata:\n  name: r%d\n  namespace: ns\n---\n", k.apiVersion, k.kind, i)
	}
	b.WriteString("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pre\n  namespace: ns\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n---\n")
	b.WriteString("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: post\n  namespace: ns\n  annotations:\n    argocd.argoproj.io/hook: PostSync\n    argocd.argoproj.io/sync-wave: \"2\"\n---\n")
	b.WriteString("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: typo\n  namespace: ns\n  annotations:\n    argocd.argoproj.io/hook: Postsync\n")
	return b.String()
}

// withFindings builds src with findings on objects by index.
func withFindings(t *testing.T, src string, fs ...finding.Finding) Plan {
	t.Helper()
	return Build(analyze(t, src, hooks.Latest), Options{Findings: fs})
}

func fnd(obj int, sev finding.Severity, rule string) finding.Finding {
	return finding.Finding{Rule: rule, Severity: sev, Message: rule + " says so", Object: obj, Scope: finding.ScopeObject}
}

// syncWaves are the node ids of each wave of the sync path, in the order
// Dot and Mermaid number them (n0, n1, ... along the path).
func syncWaves(p Plan) [][]string {
	var out [][]string
	n := 0
	for _, ph := range p.Phases {
		for _, w := range ph.Waves {
			var ids []string
			for range w.Steps {
				ids = append(ids, fmt.Sprintf("n%d", n))
				n++
			}
			out = append(out, ids)
		}
	}
	return out
}

// The real dot lays the sync out in Argo CD's order: inside a wave the
// steps read left to right, row after row; each wave lies below the one
// before it; the dropped object is drawn.
func TestDotLayoutOrder(t *testing.T) {
	for name, src := range map[string]string{"shop": shop, "wide": wide()} {
		t.Run(name, func(t *testing.T) {
			p := build(t, src, hooks.Latest)
			text := Dot(p)
			plantest.CheckDotOrder(t, text, syncWaves(p))
			for _, s := range p.Dropped {
				assert.Contains(t, text, dotText(s.Display)+`\ndropped`)
			}
		})
	}
}

// Without graphviz: each wave's row is one rank chained in order, and a
// wide wave wraps into rows of dotRow.
func TestDotStructure(t *testing.T) {
	p := build(t, wide(), hooks.Latest)
	text := Dot(p)
	sync := p.Phases[1].Waves[0]
	require.Len(t, sync.Steps, 9)
	first := len(syncWaves(p)[0]) // the PreSync wave comes first
	var row []string
	for i := range 4 {
		row = append(row, fmt.Sprintf("n%d", first+i))
	}
	assert.Contains(t, text, "{ rank=same; "+strings.Join(row, "; ")+"; }")
	assert.Contains(t, text, strings.Join(row, " -> ")+" [style=invis];")
	assert.Contains(t, text, fmt.Sprintf("n%d -> n%d [style=invis];", first, first+4), "the second row below the first")
	assert.Contains(t, text, "subgraph cluster_never")
	assert.Regexp(t, `\[label="Job ns/typo\\ndropped\\napp.yaml:\d+", style="dashed,filled", fillcolor="#f6f8fa", color="#8c959f", tooltip="(?:[^"\\]|\\.)*Postsync(?:[^"\\]|\\.)*"\]`, text)
}

// Steps are coloured by their worst finding, in both pictures, and the
// label names it; numbers follow Argo CD's order.
func TestPicturesMarkFindings(t *testing.T) {
	// Objects of wide(): 0 Deployment r0, 3 Secret r3, 9 Job pre, 11 Job typo.
	p := withFindings(t, wide(),
		fnd(0, finding.SeverityWarning, "rule-w"), fnd(0, finding.SeverityError, "rule-e"),
		fnd(3, finding.SeverityInfo, "rule-i"), fnd(11, finding.SeverityError, "rule-typo"))
	mm := Mermaid(p)
	plantest.CheckMermaid(t, mm)
	classes := map[string]map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  class (\S+) (\w+)$`).FindAllStringSubmatch(mm, -1) {
		classes[m[2]] = map[string]bool{}
		for _, id := range strings.Split(m[1], ",") {
			classes[m[2]][id] = true
		}
	}
	nodeOf := func(display string) string {
		m := regexp.MustCompile(`(?m)^\s*(n\d+)\[\[?"(?:\d+\. )?` + regexp.QuoteMeta(mermaidText(display)) + `<br/>`).FindStringSubmatch(mm)
		require.NotNil(t, m, "no node for %s", display)
		return m[1]
	}
	dep, secret, typo, role := nodeOf("Deployment ns/r0"), nodeOf("Secret ns/r3"), nodeOf("Job ns/typo"), nodeOf("Role ns/r5")
	assert.True(t, classes["error"][dep], "worst of warning and error is error")
	assert.False(t, classes["warning"][dep])
	assert.True(t, classes["info"][secret])
	assert.True(t, classes["error"][typo] && classes["never"][typo], "a dropped object with a finding is both")
	for _, c := range classes {
		assert.False(t, c[role], "an object with no finding has no colour")
	}
	assert.Contains(t, mm, "Deployment ns/r0<br/>app.yaml:1<br/>! error rule-e (+1)")

	// Numbers run 1..n along the sync path in declaration order.
	nums := regexp.MustCompile(`\["?\[?"(\d+)\. `).FindAllStringSubmatch(mm, -1)
	require.Len(t, nums, 11)
	for i, m := range nums {
		assert.Equal(t, strconv.Itoa(i+1), m[1])
	}

	dot := Dot(p)
	assert.Regexp(t, `\[label="\d+\. Deployment ns/r0\\napp.yaml:1\\n! error rule-e \(\+1\)", style="filled", fillcolor="#ffebe9", color="#cf222e", penwidth=2\]`, dot)
	assert.Regexp(t, `\[label="\d+\. Secret ns/r3\\napp.yaml:\d+\\n! info rule-i", style="filled", fillcolor="#ddf4ff"`, dot)
	assert.Regexp(t, `\[label="\d+\. Role ns/r5\\napp.yaml:\d+"\];`, dot)
}
