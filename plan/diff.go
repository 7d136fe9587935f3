package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hookguard/hookguard/internal/finding"
)

// Diff is how a change alters the sync: the plan before (at Base) and
// after, and what changed between them. Its JSON form is a documented,
// stable schema.
type Diff struct {
	// Base names what the plan is compared with (a git ref).
	Base    string   `json:"base"`
	Before  Plan     `json:"before"`
	After   Plan     `json:"after"`
	Changes []Change `json:"changes"`
}

// Change kinds.
const (
	HookAdded       = "hook-added"
	HookRemoved     = "hook-removed"
	ResourceAdded   = "resource-added"
	ResourceRemoved = "resource-removed"
	Moved           = "moved"
	DropAdded       = "drop-added"
	DropRemoved     = "drop-removed"
	FindingAdded    = "finding-added"
	FindingFixed    = "finding-fixed"
)

// Change is one difference between two plans.
type Change struct {
	Kind string `json:"kind"`
	// Object is the step's Display ("" for a finding about the whole app).
	Object string `json:"object,omitempty"`
	// From and To are where the object runs ("PreSync wave -1"), before
	// and after.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Reason says why a newly dropped object is never applied.
	Reason   string `json:"reason,omitempty"`
	Severity string `json:"severity,omitempty"`
	Rule     string `json:"rule,omitempty"`
	Message  string `json:"message,omitempty"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
}

// objectKey is an object's identity across two versions of an app: its API
// group (not version: moving to v1 is no new object), kind, namespace and
// name or generateName.
func objectKey(s Step) string {
	group, _, ok := strings.Cut(s.APIVersion, "/")
	if !ok {
		group = ""
	}
	name := s.Name
	if name == "" {
		name = s.GenerateName + "*"
	}
	return strings.Join([]string{group, s.Kind, s.Namespace, name}, "/")
}

// view is one plan seen object by object.
type view struct {
	order    []string        // keys in first-seen order
	step     map[string]Step // a representative step
	hook     map[string]bool // a hook (or delete hook) on some phase
	places   map[string][]string
	dropped  map[string]bool
	findings map[string][]Finding // by key, "" for the app
}

func viewOf(p Plan) view {
	v := view{step: map[string]Step{}, hook: map[string]bool{}, places: map[string][]string{}, dropped: map[string]bool{}, findings: map[string][]Finding{}}
	seen := map[string]bool{}
	add := func(s Step) string {
		k := objectKey(s)
		if _, ok := v.step[k]; !ok {
			v.order = append(v.order, k)
			v.step[k] = s
		}
		// A multi-phase hook repeats its findings in each phase.
		if id := k + "|" + location(s); !seen[id] {
			seen[id] = true
			v.findings[k] = append(v.findings[k], s.Findings...)
		}
		return k
	}
	phases := append(append(append([]Phase{}, p.Phases...), p.SyncFail), p.Deletion...)
	for _, ph := range phases {
		for _, w := range ph.Waves {
			for _, s := range w.Steps {
				k := add(s)
				v.hook[k] = v.hook[k] || s.Role == "hook" || s.Role == "delete-hook"
				v.places[k] = append(v.places[k], fmt.Sprintf("%s wave %d", ph.Name, w.Wave))
			}
		}
	}
	for _, s := range p.Dropped {
		v.dropped[add(s)] = true
	}
	for _, s := range p.Skipped {
		add(s)
	}
	v.findings[""] = p.Findings
	return v
}

func (v view) place(k string) string { return strings.Join(v.places[k], ", ") }

// Compare lists what changes from before to after: hooks and resources
// added or removed, objects that move phase or wave, new and resolved drops,
// and new and fixed findings.
func Compare(base string, before, after Plan) Diff {
	d := Diff{Base: base, Before: before, After: after, Changes: []Change{}}
	b, a := viewOf(before), viewOf(after)
	change := func(kind, k string, s Step) Change {
		return Change{Kind: kind, Object: s.Display, File: s.File, Line: s.Line, From: b.place(k), To: a.place(k)}
	}
	for _, k := range a.order {
		s := a.step[k]
		switch {
		case a.hook[k] && !b.hook[k]:
			d.Changes = append(d.Changes, change(HookAdded, k, s))
		case len(a.places[k]) > 0 && !a.hook[k] && (len(b.places[k]) == 0 || b.hook[k]):
			d.Changes = append(d.Changes, change(ResourceAdded, k, s))
		case len(a.places[k]) > 0 && len(b.places[k]) > 0 && !slices.Equal(a.places[k], b.places[k]):
			d.Changes = append(d.Changes, change(Moved, k, s))
		}
		if a.dropped[k] && !b.dropped[k] {
			c := change(DropAdded, k, s)
			c.Reason = s.Reason
			d.Changes = append(d.Changes, c)
		}
	}
	for _, k := range b.order {
		s := b.step[k]
		switch {
		case b.hook[k] && !a.hook[k]:
			d.Changes = append(d.Changes, change(HookRemoved, k, s))
		case len(b.places[k]) > 0 && !b.hook[k] && (len(a.places[k]) == 0 || a.hook[k]):
			d.Changes = append(d.Changes, change(ResourceRemoved, k, s))
		}
		if b.dropped[k] && !a.dropped[k] {
			d.Changes = append(d.Changes, change(DropRemoved, k, s))
		}
	}
	// Findings match by object and rule: messages name lines, which move
	// with any edit above them.
	d.Changes = append(d.Changes, findingChanges(FindingAdded, a, b)...)
	d.Changes = append(d.Changes, findingChanges(FindingFixed, b, a)...)
	return d
}

// findingChanges are the findings of in beyond those of the same object and
// rule in other.
func findingChanges(kind string, in, other view) []Change {
	var out []Change
	for _, k := range append([]string{""}, in.order...) {
		left := map[string]int{}
		for _, f := range other.findings[k] {
			left[f.Rule]++
		}
		for _, f := range in.findings[k] {
			if left[f.Rule] > 0 {
				left[f.Rule]--
				continue
			}
			c := Change{Kind: kind, Severity: f.Severity, Rule: f.Rule, Message: f.Message}
			if k != "" {
				s := in.step[k]
				c.Object, c.File, c.Line = s.Display, s.File, s.Line
			}
			out = append(out, c)
		}
	}
	return out
}

// Count is the number of changes of kind.
func (d Diff) Count(kind string) int {
	n := 0
	for _, c := range d.Changes {
		if c.Kind == kind {
			n++
		}
	}
	return n
}

// DiffFormats are the output formats of a diff.
var DiffFormats = []string{"text", "json", "markdown"}

// WriteDiff renders d in format.
func WriteDiff(w io.Writer, format string, d Diff, opts MarkdownOptions) error {
	switch format {
	case "text":
		if _, err := io.WriteString(w, diffText(d)+"\n"); err != nil {
			return err
		}
		return writeText(w, d.After)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	case "markdown":
		opts.Diff = &d
		_, err := io.WriteString(w, Markdown(d.After, opts))
		return err
	}
	return fmt.Errorf("invalid output format %q with a base: want one of %s", format, strings.Join(DiffFormats, ", "))
}

// diffSummary is the one line that says how the sync changes.
func diffSummary(d Diff) string {
	parts := []string{}
	if bw, aw := d.Before.Waves, d.After.Waves; bw != aw {
		parts = append(parts, fmt.Sprintf("waves %d -> %d", bw, aw))
	}
	if bs, as := d.Before.MinimumAddedSeconds, d.After.MinimumAddedSeconds; bs != as {
		parts = append(parts, fmt.Sprintf("pauses %d s -> %d s", bs, as))
	}
	for _, k := range []struct{ kind, noun, what string }{
		{HookAdded, "hook", " added"}, {HookRemoved, "hook", " removed"}, {ResourceAdded, "resource", " added"}, {ResourceRemoved, "resource", " removed"},
		{Moved, "object", " moved"}, {DropAdded, "object", " newly dropped"}, {DropRemoved, "object", " no longer dropped"},
		{FindingAdded, "new finding", ""}, {FindingFixed, "fixed finding", ""},
	} {
		if n := d.Count(k.kind); n > 0 {
			parts = append(parts, finding.Count(n, k.noun)+k.what)
		}
	}
	if len(parts) == 0 {
		return "no change to the sync"
	}
	return strings.Join(parts, ", ")
}

// changeLine is one change in plain text (markdown adds its own markup).
func changeLine(c Change, where func(Change) string) string {
	switch c.Kind {
	case HookAdded, ResourceAdded:
		return fmt.Sprintf("+ %s %s in %s%s", strings.TrimSuffix(c.Kind, "-added"), c.Object, c.To, where(c))
	case HookRemoved, ResourceRemoved:
		return fmt.Sprintf("- %s %s (was in %s)", strings.TrimSuffix(c.Kind, "-removed"), c.Object, c.From)
	case Moved:
		return fmt.Sprintf("~ moved %s: %s -> %s%s", c.Object, c.From, c.To, where(c))
	case DropAdded:
		return fmt.Sprintf("+ dropped %s%s: %s", c.Object, where(c), c.Reason)
	case DropRemoved:
		return fmt.Sprintf("- no longer dropped %s", c.Object)
	case FindingAdded, FindingFixed:
		sign, obj := "+", ""
		if c.Kind == FindingFixed {
			sign = "- fixed"
		}
		if c.Object != "" {
			obj = " " + c.Object + where(c) + ":"
		}
		return fmt.Sprintf("%s %s %s%s %s", sign, c.Severity, c.Rule, obj, c.Message)
	}
	return c.Kind + " " + c.Object
}

func diffText(d Diff) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Sync changes against %s: %s\n", d.Base, diffSummary(d))
	at := func(c Change) string {
		if c.File == "" {
			return ""
		}
		return " (" + location(Step{File: c.File, Line: c.Line}) + ")"
	}
	for _, c := range d.Changes {
		b.WriteString("  " + changeLine(c, at) + "\n")
	}
	return b.String()
}

// Relocate rewrites the file of every step by file, and every message by
// text: a plan of a temporary copy (a base ref) then names the paths the
// user knows.
func (p *Plan) Relocate(file, text func(string) string) {
	fix := func(ss []Step) {
		for i := range ss {
			ss[i].File = file(ss[i].File)
			for j := range ss[i].Findings {
				ss[i].Findings[j].Message = text(ss[i].Findings[j].Message)
			}
			ss[i].Reason = text(ss[i].Reason)
		}
	}
	for _, ph := range append(append(append([]Phase{}, p.Phases...), p.SyncFail), p.Deletion...) {
		for _, w := range ph.Waves {
			fix(w.Steps)
		}
	}
	fix(p.Dropped)
	fix(p.Skipped)
	for i := range p.Findings {
		p.Findings[i].Message = text(p.Findings[i].Message)
	}
}
