package lint

import (
	"github.com/open-policy-agent/opa/v1/ast"
)

// objectLocal reports whether every result of a compiled rule comes from
// one object alone, so that evaluating it over shards of the objects gives
// the results of evaluating it over all of them: each definition of its
// report iterates input.objects once, at the top of its body ("some obj in
// input.objects"), and nothing else the rule evaluates (its other rules,
// the functions and rules it calls, transitively, in any package) reads
// input.objects or the whole input. Anything else (a join, a count, a
// grouping rule, an index into the list, a "with") reads the set: such a
// rule runs once over the whole set. The check is syntactic and errs
// towards the whole set.
func objectLocal(c *ast.Compiler, r ruleEntry) bool {
	pkg, err := ast.ParseRef(r.ref)
	if err != nil {
		return false
	}
	reports := c.GetRulesExact(pkg.Append(ast.StringTerm("report")))
	if len(reports) == 0 {
		return false
	}
	seen := map[*ast.Rule]bool{}
	var queue []*ast.Rule
	push := func(rule *ast.Rule) {
		for ; rule != nil; rule = rule.Else {
			if !seen[rule] {
				seen[rule] = true
				queue = append(queue, rule)
			}
		}
	}
	for _, rule := range reports {
		push(rule)
	}
	isReport := map[*ast.Rule]bool{}
	for _, rule := range reports {
		isReport[rule] = true
	}
	for len(queue) > 0 {
		rule := queue[0]
		queue = queue[1:]
		iterations := 0
		if isReport[rule] {
			for _, expr := range rule.Body {
				if iteratesObjects(rule, expr) {
					iterations++
				}
			}
			if iterations != 1 {
				return false
			}
		}
		if readsSet(rule) != iterations {
			return false
		}
		for dep := range c.Graph.Dependencies(rule) {
			if d, ok := dep.(*ast.Rule); ok {
				push(d)
			}
		}
	}
	return true
}

var inputObjects = ast.MustParseRef("input.objects")

// iteratesObjects: the expression is "some obj in input.objects", as the
// compiler writes it (obj = input.objects[k]), with no "with", and the key k
// used nowhere else in the rule (an index would be the shard's, not the
// set's).
func iteratesObjects(rule *ast.Rule, expr *ast.Expr) bool {
	if len(expr.With) > 0 || expr.Negated || !expr.IsEquality() {
		return false
	}
	for _, side := range expr.Operands() {
		ref, ok := side.Value.(ast.Ref)
		if !ok || len(ref) != len(inputObjects)+1 || !ref.HasPrefix(inputObjects) {
			continue
		}
		key, ok := ref[len(ref)-1].Value.(ast.Var)
		if !ok {
			return false
		}
		uses := 0
		ast.WalkVars(rule, func(v ast.Var) bool {
			if v.Equal(key) {
				uses++
			}
			return false
		})
		return uses == 1
	}
	return false
}

// readsSet counts the places a rule reads input.objects (or below it, or the
// whole input); a "with" anywhere counts as many as it takes to fail.
func readsSet(rule *ast.Rule) int {
	n := 0
	ast.WalkExprs(rule, func(e *ast.Expr) bool {
		if len(e.With) > 0 {
			n += 1000
		}
		return false
	})
	ast.WalkRefs(rule, func(ref ast.Ref) bool {
		if !ref.HasPrefix(ast.InputRootRef) {
			return false
		}
		if len(ref) == 1 || ref.HasPrefix(inputObjects) {
			n++
		}
		return false
	})
	return n
}
