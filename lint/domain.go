package lint

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/pool"
)

// domain is the objects a local rule can report on, read from the
// conditions its report bodies place on the iterated object alone: a lib
// role predicate (lib.is_hook(obj)), obj.kind == "Job", obj.kind in {...},
// "PostDelete" in obj.argocd.deleteTypes, a truthy obj.argocd.skipCombined,
// an iteration over obj.argocd.invalidWaves. An object that no body's
// conditions admit is never handed to the rule. The conditions stay in the
// Rego, so leaving such objects out changes no result; it only spares OPA
// a body that fails. Most rules are about hooks; most objects are not.
type domain [][]check

// check is one condition on the object's input term at a path.
type check struct {
	path []*ast.Term // string terms
	op   checkOp
	// values: the value is one of them (checkIn) or the collection holds
	// this one (checkHolds).
	values []ast.Value
}

type checkOp int

const (
	checkIn       checkOp = iota // obj.path is one of values
	checkHolds                   // obj.path is a collection holding values[0]
	checkNonEmpty                // obj.path is a collection with an element
	checkTruthy                  // obj.path is defined and not false
)

// guardRoles are the lib predicates on an object's role, with the roles
// each admits (TestGuardRoles checks them against the Rego).
var guardRoles = map[string][]hooks.Role{
	"data.hookguard.lib.is_hook":   {hooks.RoleHook, hooks.RoleDeleteHook},
	"data.hookguard.lib.sync_hook": {hooks.RoleHook},
	"data.hookguard.lib.resource":  {hooks.RoleResource},
	"data.hookguard.lib.dropped":   {hooks.RoleDropped},
}

// ruleDomain reads the domain of a local rule; nil admits every object.
// A lib predicate counts only when every definition of it is the built-in
// one: a custom policy adding to package hookguard.lib could widen it.
func ruleDomain(c *ast.Compiler, r ruleEntry, builtinFiles map[string]bool) domain {
	pkg, err := ast.ParseRef(r.ref)
	if err != nil {
		return nil
	}
	var out domain
	for _, rule := range c.GetRulesExact(pkg.Append(ast.StringTerm("report"))) {
		for ; rule != nil; rule = rule.Else {
			checks := bodyChecks(c, rule.Body, builtinFiles)
			if len(checks) == 0 {
				return nil
			}
			out = append(out, checks)
		}
	}
	return out
}

// bodyChecks reads the conditions of one body on its iterated object.
func bodyChecks(c *ast.Compiler, body ast.Body, builtinFiles map[string]bool) []check {
	var obj ast.Var
	for _, e := range body {
		if iter, ok := objectVar(e); ok {
			obj = iter
			break
		}
	}
	if obj == "" {
		return nil
	}
	// aliases are the variables the compiler bound to a path of obj.
	aliases := map[ast.Var][]string{}
	for _, e := range body {
		if a, b, ok := equality(e); ok && !e.Negated && len(e.With) == 0 {
			for _, pair := range [][2]*ast.Term{{a, b}, {b, a}} {
				if v, ok := pair[0].Value.(ast.Var); ok {
					if p, ok := objectPath(pair[1], obj); ok {
						aliases[v] = p
					}
				}
			}
		}
	}
	path := func(t *ast.Term) ([]string, bool) {
		if v, ok := t.Value.(ast.Var); ok && aliases[v] != nil {
			return aliases[v], true
		}
		return objectPath(t, obj)
	}
	var out []check
	for _, e := range body {
		if e.Negated || len(e.With) > 0 {
			continue
		}
		if t, ok := e.Terms.(*ast.Term); ok { // a bare obj.x: truthy
			if p, ok := path(t); ok {
				out = append(out, check{path: terms(p), op: checkTruthy})
			}
			continue
		}
		if !e.IsCall() {
			continue
		}
		ops := e.Operands()
		op := e.Operator().String()
		switch {
		case guardRoles[op] != nil && len(ops) == 1 && ops[0].Value.Compare(obj) == 0 && builtinOnly(c, e.Operator(), builtinFiles):
			var roles []ast.Value
			for _, r := range guardRoles[op] {
				roles = append(roles, ast.String(r))
			}
			out = append(out, check{path: roleRef, op: checkIn, values: roles})
		case (op == "eq" || op == "equal") && len(ops) == 2:
			for _, pair := range [][2]*ast.Term{{ops[0], ops[1]}, {ops[1], ops[0]}} {
				if p, ok := path(pair[0]); ok && ast.IsScalar(pair[1].Value) {
					out = append(out, check{path: terms(p), op: checkIn, values: []ast.Value{pair[1].Value}})
				}
				// obj.p[k] with k a variable: an iteration over obj.p.
				if ref, ok := pair[0].Value.(ast.Ref); ok && len(ref) > 1 {
					if _, isVar := ref[len(ref)-1].Value.(ast.Var); isVar {
						if p, ok := objectPath(ast.NewTerm(ref[:len(ref)-1]), obj); ok {
							out = append(out, check{path: terms(p), op: checkNonEmpty})
						}
					}
				}
			}
		case op == "internal.member_2" && len(ops) == 2:
			if p, ok := path(ops[0]); ok {
				if values, ok := scalarSet(ops[1]); ok {
					out = append(out, check{path: terms(p), op: checkIn, values: values})
				}
			} else if p, ok := path(ops[1]); ok && ast.IsScalar(ops[0].Value) {
				out = append(out, check{path: terms(p), op: checkHolds, values: []ast.Value{ops[0].Value}})
			}
		}
	}
	return out
}

func terms(path []string) []*ast.Term {
	out := make([]*ast.Term, len(path))
	for i, k := range path {
		out[i] = ast.StringTerm(k)
	}
	return out
}

// objectPath: the term is obj.a.b... with constant string keys.
func objectPath(t *ast.Term, obj ast.Var) ([]string, bool) {
	ref, ok := t.Value.(ast.Ref)
	if !ok || len(ref) < 2 || ref[0].Value.Compare(obj) != 0 {
		return nil, false
	}
	out := make([]string, 0, len(ref)-1)
	for _, k := range ref[1:] {
		s, ok := k.Value.(ast.String)
		if !ok {
			return nil, false
		}
		out = append(out, string(s))
	}
	return out, true
}

// objectVar: the expression is the compiled "some obj in input.objects".
func objectVar(e *ast.Expr) (ast.Var, bool) {
	a, b, ok := equality(e)
	if !ok || e.Negated || len(e.With) > 0 {
		return "", false
	}
	for _, pair := range [][2]*ast.Term{{a, b}, {b, a}} {
		v, isVar := pair[0].Value.(ast.Var)
		ref, isRef := pair[1].Value.(ast.Ref)
		if isVar && isRef && len(ref) == len(inputObjects)+1 && ref.HasPrefix(inputObjects) {
			return v, true
		}
	}
	return "", false
}

func equality(e *ast.Expr) (*ast.Term, *ast.Term, bool) {
	if !e.IsEquality() {
		return nil, nil, false
	}
	ops := e.Operands()
	return ops[0], ops[1], true
}

// scalarSet reads a literal set or array of scalars.
func scalarSet(t *ast.Term) ([]ast.Value, bool) {
	var items []*ast.Term
	switch v := t.Value.(type) {
	case ast.Set:
		items = v.Slice()
	case *ast.Array:
		v.Foreach(func(x *ast.Term) { items = append(items, x) })
	default:
		return nil, false
	}
	out := make([]ast.Value, 0, len(items))
	for _, x := range items {
		if !ast.IsScalar(x.Value) {
			return nil, false
		}
		out = append(out, x.Value)
	}
	return out, true
}

// builtinOnly: every definition of the function is in a built-in module.
func builtinOnly(c *ast.Compiler, ref ast.Ref, builtinFiles map[string]bool) bool {
	defs := c.GetRulesExact(ref)
	if len(defs) == 0 {
		return false
	}
	for _, d := range defs {
		if d.Location == nil || !builtinFiles[d.Location.File] {
			return false
		}
	}
	return true
}

// holds evaluates the check as Rego would.
func (c check) holds(obj *ast.Term) bool {
	v := obj.Value
	for _, k := range c.path {
		o, ok := v.(ast.Object)
		if !ok {
			return false
		}
		t := o.Get(k)
		if t == nil {
			return false
		}
		v = t.Value
	}
	switch c.op {
	case checkIn:
		return slices.ContainsFunc(c.values, func(x ast.Value) bool { return x.Compare(v) == 0 })
	case checkHolds:
		found := false
		each(v, func(x *ast.Term) { found = found || x.Value.Compare(c.values[0]) == 0 })
		return found
	case checkNonEmpty:
		n := 0
		each(v, func(*ast.Term) { n++ })
		return n > 0
	case checkTruthy:
		return v.Compare(ast.Boolean(false)) != 0
	}
	return false
}

// key names the check canonically.
func (c check) key() string {
	values := make([]string, len(c.values))
	for k, v := range c.values {
		values[k] = v.String()
	}
	sort.Strings(values)
	return fmt.Sprintf("%s %d %s", ast.Ref(c.path).String(), c.op, strings.Join(values, ","))
}

// each visits the elements of a collection (an object's values).
func each(v ast.Value, f func(*ast.Term)) {
	switch x := v.(type) {
	case *ast.Array:
		x.Foreach(f)
	case ast.Set:
		x.Foreach(f)
	case ast.Object:
		x.Foreach(func(_, v *ast.Term) { f(v) })
	}
}

// key names the domain canonically, so rules of one domain share a query.
func (d domain) key() string {
	if d == nil {
		return ""
	}
	bodies := make([]string, len(d))
	for i, checks := range d {
		parts := make([]string, len(checks))
		for j, c := range checks {
			parts[j] = c.key()
		}
		sort.Strings(parts)
		bodies[i] = strings.Join(slices.Compact(parts), " & ")
	}
	sort.Strings(bodies)
	return strings.Join(slices.Compact(bodies), " | ")
}

// filterAll returns, by key, the objects each domain admits. Each distinct
// check is evaluated once per object, whatever the domains sharing it.
func filterAll(domains []domain, objects []*ast.Term) map[string][]*ast.Term {
	var checks []check
	index := map[string]int{}
	bodies := make([][][]int, len(domains)) // per domain, per body, its checks
	for i, d := range domains {
		for _, body := range d {
			var ids []int
			for _, c := range body {
				k := c.key()
				id, ok := index[k]
				if !ok {
					id = len(checks)
					index[k] = id
					checks = append(checks, c)
				}
				ids = append(ids, id)
			}
			bodies[i] = append(bodies[i], ids)
		}
	}
	admitted := make([][]bool, len(domains))
	for i := range admitted {
		admitted[i] = make([]bool, len(objects))
	}
	pool.Chunks(len(objects), minChunk, func(lo, hi int) {
		holds := make([]int8, len(checks)) // 0 unknown, 1 holds, -1 fails
		for o := lo; o < hi; o++ {
			clear(holds)
			for i := range domains {
				admitted[i][o] = slices.ContainsFunc(bodies[i], func(ids []int) bool {
					for _, id := range ids {
						if holds[id] == 0 {
							holds[id] = -1
							if checks[id].holds(objects[o]) {
								holds[id] = 1
							}
						}
						if holds[id] < 0 {
							return false
						}
					}
					return true
				})
			}
		}
	})
	out := map[string][]*ast.Term{}
	for i, d := range domains {
		var keep []*ast.Term
		for o, obj := range objects {
			if admitted[i][o] {
				keep = append(keep, obj)
			}
		}
		out[d.key()] = keep
	}
	return out
}

// union admits what any of the domains admits (nil: everything).
func union(ds []domain) domain {
	var out domain
	for _, d := range ds {
		if d == nil {
			return nil
		}
		out = append(out, d...)
	}
	return out
}

// roleKey names the roles the domain admits ("*" for any role).
func (d domain) roleKey() string {
	if d == nil {
		return "*"
	}
	roles := map[string]bool{}
	for _, checks := range d {
		i := slices.IndexFunc(checks, func(c check) bool { return c.op == checkIn && ast.Ref(c.path).Equal(ast.Ref(roleRef)) })
		if i < 0 {
			return "*"
		}
		for _, v := range checks[i].values {
			roles[v.String()] = true
		}
	}
	return strings.Join(slices.Sorted(maps.Keys(roles)), ",")
}

// roleRef is the path of an object's role, the path the lib predicates read.
var roleRef = terms([]string{"argocd", "role"})
