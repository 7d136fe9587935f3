package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/hooks"
)

// The lib role predicates admit exactly the roles guardRoles says.
func TestGuardRoles(t *testing.T) {
	e := engine(t)
	require.NoError(t, e.ready())
	roles := []hooks.Role{hooks.RoleResource, hooks.RoleHook, hooks.RoleSkipped, hooks.RoleDeleteHook, hooks.RoleDropped}
	for fn, admitted := range guardRoles {
		for _, role := range roles {
			q, err := rego.New(rego.Compiler(e.compilerOf["hook-deadline-missing"]), rego.Query(fn+`({"argocd": {"role": "`+string(role)+`"}})`)).PrepareForEval(context.Background())
			require.NoError(t, err)
			rs, err := q.Eval(context.Background())
			require.NoError(t, err)
			got := len(rs) > 0 && rs[0].Expressions[0].Value == true
			assert.Equal(t, contains(admitted, role), got, "%s on role %s", fn, role)
		}
	}
}

func contains(roles []hooks.Role, r hooks.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// ruleDomain reads the conditions a body places on its object alone, and
// nothing it cannot evaluate as Rego would.
func TestRuleDomain(t *testing.T) {
	job := `{"kind": "Job", "argocd": {"role": "hook", "skipCombined": false, "invalidWaves": [], "deleteTypes": ["PostDelete"]}}`
	pod := `{"kind": "Pod", "argocd": {"role": "resource", "skipCombined": true, "invalidWaves": [{"key": "k"}], "deleteTypes": []}}`
	cases := map[string]struct {
		body      string
		whole     bool // no domain: every object
		job, pod  bool
		extraLib  string
		extraFile string
	}{
		"role":            {body: "lib.is_hook(obj)", job: true},
		"kind equal":      {body: `obj.kind == "Pod"`, pod: true},
		"kind in":         {body: `obj.kind in {"Job", "CronJob"}`, job: true},
		"both":            {body: `lib.sync_hook(obj)` + "\n" + `obj.kind == "Pod"`},
		"truthy":          {body: "obj.argocd.skipCombined", pod: true},
		"iteration":       {body: "some item in obj.argocd.invalidWaves\nitem.key", pod: true},
		"holds":           {body: `"PostDelete" in obj.argocd.deleteTypes`, job: true},
		"negated":         {body: "not lib.is_hook(obj)", whole: true},
		"other variable":  {body: `x := "Job"` + "\n" + `x == "Job"`, whole: true},
		"count":           {body: "count(obj.argocd.deleteTypes) > 0", whole: true},
		"custom lib rule": {body: "lib.is_hook(obj)", whole: true, extraFile: "package hookguard.lib\n\nis_hook(obj) if obj.kind == \"Pod\"\n"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			src := "# METADATA\n# title: T\n# custom:\n#   id: t\n#   severity: error\n#   remediation: Fix.\npackage hookguard.rules.test[\"t\"]\n\nimport data.hookguard.lib\n\nreport contains {\"object\": obj.index, \"msg\": \"x\"} if {\n\tsome obj in input.objects\n\t" + c.body + "\n}\n"
			mods, err := builtinModules(false)
			require.NoError(t, err)
			m, err := ast.ParseModuleWithOpts("t.rego", src, parserOptions)
			require.NoError(t, err)
			parsed := map[string]*ast.Module{"t.rego": m}
			builtin := map[string]bool{}
			for _, b := range mods {
				parsed[b.file] = b.mod
				builtin[b.file] = b.builtin
			}
			if c.extraFile != "" {
				parsed["custom.rego"], err = ast.ParseModuleWithOpts("custom.rego", c.extraFile, parserOptions)
				require.NoError(t, err)
			}
			compiler := ast.NewCompiler().WithCapabilities(capabilities())
			compiler.Compile(parsed)
			require.False(t, compiler.Failed(), "%v", compiler.Errors)
			cat, err := catalog([]module{{file: "t.rego", mod: m}})
			require.NoError(t, err)
			d := ruleDomain(compiler, cat[0], builtin)
			if c.whole {
				assert.Nil(t, d)
				return
			}
			require.NotNil(t, d)
			assert.Equal(t, c.job, admits(d, ast.MustParseTerm(job)), "job")
			assert.Equal(t, c.pod, admits(d, ast.MustParseTerm(pod)), "pod")
		})
	}
}

// admits: the object passes the domain's filter.
func admits(d domain, obj *ast.Term) bool {
	return len(filterAll([]domain{d}, []*ast.Term{obj})[d.key()]) == 1
}

// Most of the catalog's local rules have a domain: the filter is in use.
func TestCatalogDomains(t *testing.T) {
	e := engine(t)
	require.NoError(t, e.ready())
	for _, id := range []string{"hook-deadline-missing", "hook-command-not-rerunnable", "delete-policy-without-hook", "sync-wave-invalid", "post-delete-hook-lingers"} {
		assert.NotNil(t, e.domains[id], id)
	}
}

// splitModules puts each rule package in exactly one group and the
// library in every group.
func TestSplitModules(t *testing.T) {
	mods, err := builtinModules(false)
	require.NoError(t, err)
	for _, n := range []int{1, 2, 3, 4} {
		groups := splitModules(mods, n)
		require.Len(t, groups, n)
		seen := map[string]int{}
		for _, g := range groups {
			for _, m := range g {
				seen[m.file]++
			}
		}
		for _, m := range mods {
			want := 1
			if !strings.HasPrefix(m.mod.Package.Path.String(), rulesPrefix) {
				want = n
			}
			assert.Equal(t, want, seen[m.file], "%s with %d groups", m.file, n)
		}
	}
	// Custom policies may read any package: one compiler.
	dir := t.TempDir()
	policy := "package team\n\ndeny contains \"x\" if input.kind == \"Pod\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "team.rego"), []byte(policy), 0o644))
	e, err := NewEngine(context.Background(), []string{dir})
	require.NoError(t, err)
	require.NoError(t, e.ready())
	assert.Len(t, e.compilers, 1)
}
