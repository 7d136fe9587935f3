// Package app is the analyzed app: the objects of one application with
// everything hookguard derives from them, computed once. Each object gets its
// identity, its source position, the facts Argo CD derives from its
// annotations (internal/hooks), its place in the sync order and its
// suppressions. Rules, the plan, generate and fix all read this, so none of
// them re-derives a fact.
package app

import (
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/internal/pool"
)

// IgnoreAnnotation suppresses rules on one object: "<rule>[,<rule>...][: reason]".
const IgnoreAnnotation = "hookguard.io/ignore"

// Settings say how the objects are analyzed.
type Settings struct {
	// Version is the Argo CD release whose behaviour is modelled.
	Version hooks.Version
	// Complete says the objects are a whole application (a rendered
	// Kustomize or Helm app, or the CMP), so app-wide rules apply.
	Complete bool
	// SyncOptions are the Application's spec.syncPolicy.syncOptions; they
	// apply to every object as Argo CD applies them (hooks.WithAppSyncOptions).
	SyncOptions []string
}

// App is one set of objects, analyzed.
type App struct {
	Settings
	Objects []Object
	// Tasks is the sync in Argo CD's order: one task per object and phase.
	Tasks []hooks.Task
}

// Object is one object of the app and what is known about it.
type Object struct {
	manifest.Object
	// Index is the object's position in App.Objects.
	Index int
	Ref   manifest.Ref
	// Group is the API group of apiVersion ("" for the core group).
	Group string
	// Annotations are metadata.annotations as strings; NotString lists the
	// values that are not YAML strings (Argo CD then reads none at all).
	Annotations map[string]string
	NotString   []manifest.NotString
	Facts       hooks.Facts
	// Tasks are the indexes in App.Tasks of the object's tasks, in order.
	Tasks []int
	// Ignore is the object's hookguard.io/ignore annotation.
	Ignore Ignore
}

// Ignore is a hookguard.io/ignore annotation, parsed.
type Ignore struct {
	Rules  []string
	Reason string
}

// Suppresses reports whether the annotation names rule.
func (ig Ignore) Suppresses(rule string) bool {
	for _, id := range ig.Rules {
		if id == rule {
			return true
		}
	}
	return false
}

// Build analyzes objs. It is the only place facts are computed for an app.
func Build(objs []manifest.Object, s Settings) *App {
	a := &App{Settings: s, Objects: make([]Object, len(objs))}
	order := make([]hooks.Object, len(objs))
	// Each object is analyzed alone (on every processor); the sync order
	// is the set's.
	analyze := func(i int) {
		o := objs[i]
		ann, notString := o.Annotations()
		ref := o.Ref()
		obj := Object{
			Object: o, Index: i, Ref: ref, Group: group(ref.APIVersion),
			Annotations: ann, NotString: notString,
			Facts:  hooks.Analyze(ann, manifest.Readable(notString), s.Version),
			Ignore: parseIgnore(ann),
		}
		obj.Facts.SyncOptions = hooks.WithAppSyncOptions(obj.Facts.SyncOptions, s.SyncOptions)
		a.Objects[i] = obj
		order[i] = hooks.Object{Kind: ref.Kind, Group: obj.Group, Name: ref.Name, GenerateName: ref.GenerateName,
			Namespace: ref.Namespace, Facts: obj.Facts}
		if ref.Kind == "CustomResourceDefinition" {
			order[i].CRDGroup, order[i].CRDKind = crdNames(o.Node)
		}
	}
	pool.Chunks(len(objs), minChunk, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			analyze(i)
		}
	})
	a.Tasks = hooks.SyncTasks(order)
	for pos, t := range a.Tasks {
		o := &a.Objects[t.Object]
		o.Tasks = append(o.Tasks, pos)
	}
	return a
}

// minChunk is the fewest objects worth a goroutine of their own.
const minChunk = 256

// group is the API group of an apiVersion: "batch" of "batch/v1", "" of "v1".
func group(apiVersion string) string {
	if g, _, ok := strings.Cut(apiVersion, "/"); ok {
		return g
	}
	return ""
}

func parseIgnore(ann map[string]string) Ignore {
	text, ok := ann[IgnoreAnnotation]
	if !ok {
		return Ignore{}
	}
	list, reason, _ := strings.Cut(text, ":")
	return Ignore{Rules: hooks.SplitCSV(list), Reason: strings.TrimSpace(reason)}
}

// crdNames reads spec.group and spec.names.kind of a CRD.
func crdNames(rn *yaml.RNode) (group, kind string) {
	if n, _ := rn.Pipe(yaml.Lookup("spec", "group")); n != nil {
		group = yaml.GetValue(n)
	}
	if n, _ := rn.Pipe(yaml.Lookup("spec", "names", "kind")); n != nil {
		kind = yaml.GetValue(n)
	}
	return group, kind
}
