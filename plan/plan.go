// Package plan lays out what Argo CD will do with a set of objects in a sync:
// the phases, the waves inside them, the objects in Argo CD's order, what is
// dropped or skipped and why, what each delete policy removes and when, and
// the pause between waves. Every fact comes from internal/hooks.
package plan

import (
	"sort"
	"strings"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
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
	// GenerationFails lists the objects that make Argo CD fail the app's
	// manifest generation (hooks.GenerationFails): until they are fixed
	// nothing is synced. Present only when there are any.
	GenerationFails []Step `json:"generationFails,omitempty"`
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
	// Reason says why a dropped or skipped object is never applied, or why
	// the object stops the app's manifest generation.
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
	WaveDelaySeconds int
	// Findings from linting the same app; placed beside their objects'
	// steps by index, or on the plan when their rule speaks of the app.
	Findings []finding.Finding
}

// Build lays out the sync of an analyzed app.
func Build(a *app.App, opts Options) Plan {
	if opts.WaveDelaySeconds == 0 {
		opts.WaveDelaySeconds = DefaultWaveDelaySeconds
	}
	p := Plan{ArgoCDVersion: a.Version.String(), WaveDelaySeconds: opts.WaveDelaySeconds,
		Dropped: []Step{}, Skipped: []Step{}, Findings: []Finding{}}
	steps := make([]Step, len(a.Objects))
	for i, o := range a.Objects {
		steps[i] = newStep(o)
	}
	attachFindings(steps, opts.Findings, &p)

	phases := map[hooks.HookType]*Phase{}
	for _, name := range []hooks.HookType{hooks.PreSync, hooks.Sync, hooks.PostSync} {
		p.Phases = append(p.Phases, Phase{Name: string(name), Waves: []Wave{}})
	}
	for i := range p.Phases {
		phases[hooks.HookType(p.Phases[i].Name)] = &p.Phases[i]
	}
	p.SyncFail = Phase{Name: string(hooks.SyncFail), Waves: []Wave{}}
	phases[hooks.SyncFail] = &p.SyncFail
	for _, t := range a.Tasks {
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
	for i, o := range a.Objects {
		if hooks.GenerationFails(o.Group, o.Ref.Kind, len(o.NotString) > 0, a.Version) {
			s := steps[i]
			s.Reason = hooks.GenerationFailsReason
			p.GenerationFails = append(p.GenerationFails, s)
		}
		f := o.Facts
		switch f.Role {
		case hooks.RoleDropped:
			s := steps[i]
			s.Reason = hooks.DroppedReason(f, a.Version)
			p.Dropped = append(p.Dropped, s)
		case hooks.RoleSkipped:
			s := steps[i]
			s.Reason = hooks.SkippedReason
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

func newStep(o app.Object) Step {
	ref, f := o.Ref, o.Facts
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
		var deleteTypes []hooks.HookType
		if f.Role == hooks.RoleDeleteHook {
			deleteTypes = f.DeleteTypes
		}
		s.Deletion = append(s.Deletion, hooks.DeletionEffect(hooks.DeletePolicy(dp), ref.Name == "", deleteTypes))
	}
	return s
}

// attachFindings puts each finding beside the step of its object, or on the
// plan when its rule speaks of the whole app.
func attachFindings(steps []Step, fs []finding.Finding, p *Plan) {
	for _, f := range fs {
		if f.Suppression != nil {
			continue
		}
		pf := Finding{Rule: f.Rule, Severity: string(f.Severity), Message: f.Message}
		if f.Scope == finding.ScopeApp || f.Object < 0 || f.Object >= len(steps) {
			p.Findings = append(p.Findings, pf)
			continue
		}
		// Beside its step the message need not name the object again.
		s := &steps[f.Object]
		pf.Message = strings.TrimPrefix(pf.Message, s.Display+": ")
		s.Findings = append(s.Findings, pf)
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
