package render

import (
	"fmt"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
)

// checkDependencies lets a chart render without the dependencies it does not
// vendor in charts/ as long as the effective values disable them, as Argo CD
// (which runs `helm dependency build` first) would render it without them
// too. Which are enabled is Helm's own answer: chartutil.ProcessDependencies
// evaluates condition and tags over the coalesced values, as install does.
// A missing dependency that is enabled is an error naming it.
func checkDependencies(dir, abs string, chrt *chart.Chart, vals map[string]any, notes func(string)) error {
	missing := missingDependencies(chrt, "")
	if len(missing) == 0 {
		return nil
	}
	// ProcessDependencies rewrites the chart it is given; the render needs
	// the chart as loaded (install processes it again), so ask a second copy.
	probe, err := loader.Load(abs)
	if err != nil {
		return fmt.Errorf("helm: loading chart %s: %w", dir, err)
	}
	if err := chartutil.ProcessDependenciesWithMerge(probe, vals); err != nil {
		return fmt.Errorf("helm: chart %s: dependencies: %w", dir, err)
	}
	enabled := map[string]bool{}
	for _, m := range missingDependencies(probe, "") {
		enabled[m.path] = true
	}
	var needed []string
	for _, m := range missing {
		if enabled[m.path] {
			needed = append(needed, m.path)
			continue
		}
		if notes != nil {
			notes(fmt.Sprintf("helm: chart %s: dependency %s is not in charts/ and the values disable it (%s): rendered without it", dir, m.path, m.switches()))
		}
	}
	if len(needed) > 0 {
		return fmt.Errorf("helm: chart %s: dependency %s is enabled but not in charts/ (Chart.yaml lists it, the values do not disable it); fetching dependencies over the network is off: run `helm dependency build %s` and commit charts/", dir, strings.Join(needed, ", "), dir)
	}
	return nil
}

// missingDep is a dependency Chart.yaml lists that no chart in charts/ provides.
type missingDep struct {
	path string // "postgresql", or "db.redis" for a subchart's
	dep  *chart.Dependency
}

// switches describes what turns the dependency on or off.
func (m missingDep) switches() string {
	var s []string
	if c := strings.TrimSpace(m.dep.Condition); c != "" {
		s = append(s, "condition "+c)
	}
	if len(m.dep.Tags) > 0 {
		s = append(s, "tags "+strings.Join(m.dep.Tags, ", "))
	}
	if len(s) == 0 {
		return "no condition or tag"
	}
	return strings.Join(s, "; ")
}

// missingDependencies walks the chart and its vendored subcharts. A
// dependency is provided by a chart of its name (Helm's CheckDependencies);
// once ProcessDependencies has run, the entry and the chart both carry the
// alias. Paths use the alias where there is one, before and after.
func missingDependencies(c *chart.Chart, prefix string) []missingDep {
	var out []missingDep
	listed := map[*chart.Chart]bool{}
	for _, d := range c.Metadata.Dependencies {
		if d == nil {
			continue
		}
		name := d.Name
		if d.Alias != "" {
			name = d.Alias
		}
		var sub *chart.Chart
		for _, s := range c.Dependencies() {
			if s.Name() == d.Name {
				sub = s
			}
		}
		if sub == nil {
			out = append(out, missingDep{path: prefix + name, dep: d})
			continue
		}
		listed[sub] = true
		out = append(out, missingDependencies(sub, prefix+name+".")...)
	}
	for _, sub := range c.Dependencies() {
		if !listed[sub] { // in charts/ but not in Chart.yaml: always rendered
			out = append(out, missingDependencies(sub, prefix+sub.Name()+".")...)
		}
	}
	return out
}
