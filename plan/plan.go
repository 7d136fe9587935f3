// Package plan lays out what Argo CD will do with a set of objects in a sync:
// the phases, the waves inside them, the objects in Argo CD's order, what is
// dropped or skipped and why, what each delete policy removes and when, and
// the pause between waves. Every fact comes from internal/hooks.
package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/lint"
)

// DefaultWaveDelaySeconds is Argo CD's pause after a wave (internal/hooks).
const DefaultWaveDelaySeconds = hooks.DefaultWaveDelaySeconds

// Plan is the sync of one app. Its JSON form is a documented, stable schema.
type Plan struct {
	ArgoCDVersion string `json:"argocdVersion"`
	// Phases is the sync path: PreSync, Sync, PostSync, in order, each
	// present even when empty.
	Phases []Phase `json:"phases"`
	// SyncFail runs when a task of the sync path fails.
	SyncFail Phase `json:"syncFail"`
	// Deletion runs when the Application is deleted: PreDelete, then the
	// app's resources are deleted, then PostDelete.
	Deletion []Phase `json:"deletion"`
	// Dropped objects are never applied; Skipped ones are left alone (Skip).
	Dropped []Step `json:"dropped"`
	Skipped []Step `json:"skipped"`
	// Waves is the number of (phase, wave) groups on the sync path, and
	// MinimumAddedSeconds the pauses between them: (Waves-1) x WaveDelaySeconds.
	Waves               int `json:"waves"`
	WaveDelaySeconds    int `json:"waveDelaySeconds"`
	MinimumAddedSeconds int `json:"minimumAddedSeconds"`
	// Findings are lint findings about no single step (e.g. hooks-only-app).
	Findings []Finding `json:"findings"`
}

// Phase is one phase and its waves in order.
type Phase struct {
	Name  string `json:"name"`
	Waves []Wave `json:"waves"`
}

// Wave is the steps Argo CD applies together, in its order.
type Wave struct {
	Wave  int    `json:"wave"`
	Steps []Step `json:"steps"`
}

// Step is one object in one phase.
type Step struct {
	APIVersion   string `json:"apiVersion"`
	Kind         string `json:"kind"`
	Namespace    string `json:"namespace,omitempty"`
	Name         string `json:"name,omitempty"`
	GenerateName string `json:"generateName,omitempty"`
	// Display is "Kind namespace/name", with "generateName…" for generated names.
	Display string `json:"display"`
	// Role is "hook" or "resource" (or dropped, skipped, delete-hook).
	Role string `json:"role"`
	// DeletePolicies are the effective policies of a hook, and Deletion says
	// what they remove and when.
	DeletePolicies []string `json:"deletePolicies,omitempty"`
	DefaultPolicy  bool     `json:"defaultPolicy,omitempty"`
	Deletion       []string `json:"deletion,omitempty"`
	// Moved is set when Argo CD pulled a Namespace or CRD ahead of its first
	// dependent, giving it that dependent's phase and wave.
	Moved bool `json:"moved,omitempty"`
	// Reason says why a dropped or skipped object is never applied.
	Reason   string    `json:"reason,omitempty"`
	File     string    `json:"file"`
	Line     int       `json:"line,omitempty"`
	Findings []Finding `json:"findings,omitempty"`
}

// Finding is a lint finding shown beside a step.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// Options configure a plan.
type Options struct {
	Version          hooks.Version
	WaveDelaySeconds int
	// Findings from linting the same objects; matched to steps by file,
	// resource and position.
	Findings []lint.Finding
}

// Build lays out the sync of objs.
func Build(objs []manifest.Object, opts Options) Plan {
	if opts.WaveDelaySeconds == 0 {
		opts.WaveDelaySeconds = DefaultWaveDelaySeconds
	}
	p := Plan{ArgoCDVersion: opts.Version.String(), WaveDelaySeconds: opts.WaveDelaySeconds,
		Dropped: []Step{}, Skipped: []Step{}, Findings: []Finding{}}
	order := lint.HookObjects(objs, opts.Version)
	steps := make([]Step, len(objs))
	facts := make([]hooks.Facts, len(objs))
	for i, o := range objs {
		facts[i] = order[i].Facts
		steps[i] = newStep(o, o.Ref(), facts[i])
	}
	attachFindings(steps, objs, opts.Findings, &p)

	phases := map[hooks.HookType]*Phase{}
	for _, name := range []hooks.HookType{hooks.PreSync, hooks.Sync, hooks.PostSync} {
		p.Phases = append(p.Phases, Phase{Name: string(name), Waves: []Wave{}})
	}
	for i := range p.Phases {
		phases[hooks.HookType(p.Phases[i].Name)] = &p.Phases[i]
	}
	p.SyncFail = Phase{Name: string(hooks.SyncFail), Waves: []Wave{}}
	phases[hooks.SyncFail] = &p.SyncFail
	for _, t := range hooks.SyncTasks(order) {
		ph := phases[t.Phase]
		s := steps[t.Object]
		s.Moved = t.Moved
		if n := len(ph.Waves); n == 0 || ph.Waves[n-1].Wave != t.Wave {
			ph.Waves = append(ph.Waves, Wave{Wave: t.Wave})
		}
		w := &ph.Waves[len(ph.Waves)-1]
		w.Steps = append(w.Steps, s)
	}
	for _, ph := range p.Phases {
		p.Waves += len(ph.Waves)
	}
	if p.Waves > 1 {
		p.MinimumAddedSeconds = (p.Waves - 1) * opts.WaveDelaySeconds
	}

	// The deletion branch, and what never runs.
	deletion := map[hooks.HookType][]Step{}
	for i, f := range facts {
		switch f.Role {
		case hooks.RoleDropped:
			s := steps[i]
			s.Reason = droppedReason(f, opts.Version)
			p.Dropped = append(p.Dropped, s)
		case hooks.RoleSkipped:
			s := steps[i]
			s.Reason = "argocd.argoproj.io/hook: Skip: Argo CD never applies it and never reports it OutOfSync"
			p.Skipped = append(p.Skipped, s)
		}
		for _, t := range f.DeleteTypes {
			s := steps[i]
			s.Role = string(hooks.RoleDeleteHook)
			deletion[t] = append(deletion[t], s)
		}
	}
	for _, t := range []hooks.HookType{hooks.PreDelete, hooks.PostDelete} {
		ss := deletion[t]
		if len(ss) == 0 {
			continue
		}
		sort.SliceStable(ss, func(i, j int) bool { return ss[i].Display < ss[j].Display })
		p.Deletion = append(p.Deletion, Phase{Name: string(t), Waves: []Wave{{Wave: 0, Steps: ss}}})
	}
	if p.Deletion == nil {
		p.Deletion = []Phase{}
	}
	return p
}

func newStep(o manifest.Object, ref manifest.Ref, f hooks.Facts) Step {
	s := Step{APIVersion: ref.APIVersion, Kind: ref.Kind, Namespace: ref.Namespace, Name: ref.Name, GenerateName: ref.GenerateName,
		Display: ref.String(), Role: string(f.Role), File: o.File, Line: o.Line}
	if f.Role != hooks.RoleHook && f.Role != hooks.RoleDeleteHook {
		return s
	}
	for _, dp := range f.DeletePolicies {
		if !contains(s.DeletePolicies, string(dp)) {
			s.DeletePolicies = append(s.DeletePolicies, string(dp))
		}
	}
	s.DefaultPolicy = len(f.ExplicitDeletePolicies) == 0
	for _, dp := range s.DeletePolicies {
		s.Deletion = append(s.Deletion, hooks.DeletionEffect(hooks.DeletePolicy(dp), ref.Name == "", f.Role == hooks.RoleDeleteHook))
	}
	return s
}

func droppedReason(f hooks.Facts, v hooks.Version) string {
	var items []string
	for _, inv := range append(append([]hooks.Invalid{}, f.InvalidHookTypes...), f.InvalidHelmHooks...) {
		s := fmt.Sprintf("%s %q", inv.Key, inv.Value)
		if inv.Suggestion != "" {
			s += fmt.Sprintf(" (did you mean %q?)", inv.Suggestion)
		}
		items = append(items, s)
	}
	if len(items) == 0 {
		return "a hook annotation with no hook type Argo CD " + v.String() + " runs"
	}
	return "no hook type Argo CD " + v.String() + " runs: " + strings.Join(items, ", ")
}

// attachFindings puts each finding beside the step of its object.
func attachFindings(steps []Step, objs []manifest.Object, fs []lint.Finding, p *Plan) {
	for _, f := range fs {
		if f.Suppression != nil {
			continue
		}
		pf := Finding{Rule: f.Rule, Severity: string(f.Severity), Message: f.Message}
		placed := false
		for i, o := range objs {
			if f.Rule != "hooks-only-app" && o.File == f.File && o.Ref() == f.Resource {
				// Beside its step the message need not name the object again.
				pf.Message = strings.TrimPrefix(pf.Message, steps[i].Display+": ")
				steps[i].Findings = append(steps[i].Findings, pf)
				placed = true
				break
			}
		}
		if !placed {
			p.Findings = append(p.Findings, pf) // about the app, not one object
		}
	}
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
