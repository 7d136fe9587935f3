package hooks

import (
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

// Role is what Argo CD does with an object in a sync.
type Role string

const (
	RoleResource   Role = "resource"    // applied in the Sync phase and pruned when removed
	RoleHook       Role = "hook"        // run as a hook in one or more sync phases
	RoleSkipped    Role = "skipped"     // hook: Skip alone: never applied
	RoleDeleteHook Role = "delete-hook" // runs only when the Application is deleted
	RoleDropped    Role = "dropped"     // a hook with no usable type: silently never applied
)

// Invalid is an annotation item Argo CD ignores, with its canonical spelling
// when the item is a recognisable slip.
type Invalid struct {
	Key        string `json:"key"`
	Value      string `json:"value"`
	Suggestion string `json:"suggestion,omitempty"`
}

// Facts are the derived hook facts of one object, as Argo CD computes them.
// They are the "argocd" field of every object in the Rego input.
type Facts struct {
	// AnnotationsReadable is false when an annotation value is not a string:
	// Argo CD's unstructured GetAnnotations then returns nothing at all.
	AnnotationsReadable bool `json:"annotationsReadable"`
	Role                Role `json:"role"`
	// IsHook is GE sync/hook.IsHook: the Argo key present (any value) and not
	// Skip alone, or else a helm.sh/hook other than exactly "crd-install".
	IsHook bool `json:"isHook"`
	// Types is GE hook.Types: the valid Argo types, or the mapped Helm types
	// when there are none. May hold duplicates (pre-install,pre-upgrade).
	Types []HookType `json:"types"`
	// Skip is GE hook.Skip: Skip is the only valid type.
	Skip bool `json:"skip"`
	// Ignored is GE sync/ignore.Ignore: IsHook with no type. The sync skips it.
	Ignored bool `json:"ignored"`
	// Phases are the sync phases the object runs in (GE sync/sync_phase.go
	// syncPhases), deduplicated, in phase order. Empty when it is not synced.
	Phases []HookType `json:"phases"`
	// DeleteTypes are PreDelete/PostDelete, recognised by the controller.
	DeleteTypes []HookType `json:"deleteTypes"`
	// DeletePolicies is GE hook.DeletePolicies: valid Argo then Helm
	// policies, concatenated, or [BeforeHookCreation] when none is valid.
	DeletePolicies []DeletePolicy `json:"deletePolicies"`
	// ExplicitDeletePolicies are the valid policies written (no default).
	ExplicitDeletePolicies []DeletePolicy `json:"explicitDeletePolicies"`
	// Wave is GE syncwaves.Wave: sync-wave by strconv.Atoi, else the Helm
	// weight by strconv.Atoi, else 0. WaveSource says which.
	Wave       int    `json:"wave"`
	WaveSource string `json:"waveSource"`
	// TypesFrom says which key Types came from: "argocd", "helm" or "".
	TypesFrom string `json:"typesFrom"`
	// HelmTypesIgnored: valid Argo types override every Helm type.
	HelmTypesIgnored bool `json:"helmTypesIgnored"`
	// The annotation items Argo CD ignores.
	InvalidHookTypes      []Invalid `json:"invalidHookTypes"`
	InvalidHelmHooks      []Invalid `json:"invalidHelmHooks"`
	InvalidDeletePolicies []Invalid `json:"invalidDeletePolicies"`
	InvalidWaves          []Invalid `json:"invalidWaves"`
	// SyncOptions are the argocd.argoproj.io/sync-options items (A5): CSV,
	// trimmed, deduplicated, e.g. Replace=true, Force=true,
	// SkipDryRunOnMissingResource=true. They apply to hooks too.
	SyncOptions []string `json:"syncOptions"`
	// SkipCombined: Skip written together with other valid types (Skip ignored).
	SkipCombined bool `json:"skipCombined"`
}

// Analyze derives the facts of one object from its annotations, in the steps
// Argo CD takes. readable is false when an annotation value was not a YAML
// string: Argo CD then sees no annotations, and the facts are those of a
// plain resource.
func Analyze(annotations map[string]string, readable bool, v Version) Facts {
	analyzed.Add(1)
	if !readable {
		annotations = nil
	}
	f := Facts{AnnotationsReadable: readable}
	f.readTypes(annotations, v)
	f.classify(annotations)
	f.syncPhases()
	f.DeleteTypes = deleteTypes(annotations, v)
	f.SyncOptions = SplitCSV(annotations[AnnotationSyncOptions])
	f.partitionDeleteHooks(v)
	f.readDeletePolicies(annotations)
	f.readWave(annotations)
	f.Role = f.role()
	nilToEmpty(&f)
	return f
}

// analyzed counts Analyze calls, so tests can prove facts are computed once.
var analyzed atomic.Int64

// Analyzed is the number of objects analyzed since the process started.
func Analyzed() int64 { return analyzed.Load() }

// readTypes is hook.Types: the valid Argo types first; the Helm types only
// when there are none. Delete types valid for the controller are left to
// deleteTypes; every other item is recorded as invalid.
func (f *Facts) readTypes(annotations map[string]string, v Version) {
	var argoTypes []HookType
	for _, item := range SplitCSV(annotations[AnnotationHook]) {
		if t := HookType(item); slices.Contains(syncHookTypes, t) {
			argoTypes = append(argoTypes, t)
			continue
		}
		if (HookType(item) == PostDelete && v.SupportsPostDelete()) || (HookType(item) == PreDelete && v.SupportsPreDelete()) {
			continue // valid for the controller, not for gitops-engine: see DeleteTypes
		}
		inv := Invalid{Key: AnnotationHook, Value: item}
		if c, ok := CanonicalHookType(item); ok && string(c) != item {
			inv.Suggestion = string(c)
		}
		f.InvalidHookTypes = append(f.InvalidHookTypes, inv)
	}
	var helmTypes []HookType
	for _, item := range SplitCSV(annotations[AnnotationHelmHook]) {
		if t, ok := helmSyncHooks[item]; ok {
			helmTypes = append(helmTypes, t)
			continue
		}
		if item == helmCRDInstall {
			continue
		}
		if (item == "post-delete" && v.SupportsPostDelete()) || (item == "pre-delete" && v.SupportsPreDelete()) {
			continue
		}
		inv := Invalid{Key: AnnotationHelmHook, Value: item}
		if c, ok := CanonicalHelmHook(item); ok && c != item {
			inv.Suggestion = c
		}
		f.InvalidHelmHooks = append(f.InvalidHelmHooks, inv)
	}
	f.Types = argoTypes
	switch {
	case len(argoTypes) > 0:
		f.TypesFrom = "argocd"
		f.HelmTypesIgnored = len(helmTypes) > 0
	case len(helmTypes) > 0:
		f.Types, f.TypesFrom = helmTypes, "helm"
	}
	if f.Types == nil {
		f.Types = []HookType{}
	}
}

// classify is hook.Skip, hook.IsHook and ignore.Ignore.
func (f *Facts) classify(annotations map[string]string) {
	_, hasArgo := annotations[AnnotationHook]
	helmValue, hasHelm := annotations[AnnotationHelmHook]
	f.Skip = slices.Contains(f.Types, Skip) && len(f.Types) == 1
	f.SkipCombined = slices.Contains(f.Types, Skip) && len(f.Types) > 1
	if hasArgo {
		f.IsHook = !f.Skip
	} else {
		f.IsHook = hasHelm && helmValue != helmCRDInstall
	}
	f.Ignored = f.IsHook && len(f.Types) == 0
}

// syncPhases is GE sync/sync_phase.go syncPhases: a hook runs in the phases
// of its types, a plain resource in Sync, a skipped object in none.
func (f *Facts) syncPhases() {
	f.Phases = []HookType{}
	switch {
	case f.Skip:
	case f.IsHook:
		for _, p := range []HookType{PreSync, Sync, PostSync, SyncFail} {
			if slices.Contains(f.Types, p) {
				f.Phases = append(f.Phases, p)
			}
		}
	default:
		f.Phases = append(f.Phases, Sync)
	}
}

// partitionDeleteHooks is controller/state.go partitionTargetObjsForSync: it
// takes delete hooks out of the sync; from 3.3.5 and 3.4.0 only when they
// have no sync type (hasGitOpsEngineSyncPhaseHook).
func (f *Facts) partitionDeleteHooks(v Version) {
	if len(f.DeleteTypes) > 0 && (!v.KeepsMixedDeleteHooksInSync() || !f.IsHook || len(f.Phases) == 0) {
		f.Phases = []HookType{}
	}
}

// readDeletePolicies is hook.DeletePolicies: the valid Argo policies, then
// the valid Helm ones, or BeforeHookCreation when there are none.
func (f *Facts) readDeletePolicies(annotations map[string]string) {
	f.ExplicitDeletePolicies = []DeletePolicy{}
	for _, item := range SplitCSV(annotations[AnnotationHookDeletePolicy]) {
		if p := DeletePolicy(item); slices.Contains(deletePolicies, p) {
			f.ExplicitDeletePolicies = append(f.ExplicitDeletePolicies, p)
			continue
		}
		inv := Invalid{Key: AnnotationHookDeletePolicy, Value: item}
		if c, ok := CanonicalDeletePolicy(item); ok {
			inv.Suggestion = string(c)
		}
		f.InvalidDeletePolicies = append(f.InvalidDeletePolicies, inv)
	}
	for _, item := range SplitCSV(annotations[AnnotationHelmDeletePolicy]) {
		if p, ok := helmDeletePolicies[item]; ok {
			f.ExplicitDeletePolicies = append(f.ExplicitDeletePolicies, p)
			continue
		}
		inv := Invalid{Key: AnnotationHelmDeletePolicy, Value: item}
		if c, ok := CanonicalHelmDeletePolicy(item); ok {
			inv.Suggestion = c
		}
		f.InvalidDeletePolicies = append(f.InvalidDeletePolicies, inv)
	}
	f.DeletePolicies = f.ExplicitDeletePolicies
	if len(f.DeletePolicies) == 0 {
		f.DeletePolicies = []DeletePolicy{BeforeHookCreation}
	}
}

// readWave is syncwaves.Wave: the sync-wave by strconv.Atoi, else the Helm
// hook weight, else 0. Values Atoi refuses are recorded as invalid.
func (f *Facts) readWave(annotations map[string]string) {
	f.Wave, f.WaveSource = 0, "default"
	f.InvalidWaves = []Invalid{}
	if text, ok := annotations[AnnotationSyncWave]; ok {
		if n, err := strconv.Atoi(text); err == nil {
			f.Wave, f.WaveSource = n, AnnotationSyncWave
		} else {
			f.InvalidWaves = append(f.InvalidWaves, Invalid{Key: AnnotationSyncWave, Value: text, Suggestion: waveSuggestion(text)})
		}
	}
	if f.WaveSource == "default" {
		if text, ok := annotations[AnnotationHelmWeight]; ok {
			if n, err := strconv.Atoi(text); err == nil {
				f.Wave, f.WaveSource = n, AnnotationHelmWeight
			}
		}
	}
	if text, ok := annotations[AnnotationHelmWeight]; ok {
		if _, err := strconv.Atoi(text); err != nil {
			f.InvalidWaves = append(f.InvalidWaves, Invalid{Key: AnnotationHelmWeight, Value: text, Suggestion: waveSuggestion(text)})
		}
	}
}

// role sums up what the sync does with the object.
func (f *Facts) role() Role {
	switch {
	case f.Skip && len(f.DeleteTypes) > 0:
		// Skip keeps it out of the sync; the controller still runs it on
		// deletion (argo-cd v3.3.3 controller/hook.go:48, state.go:777-781).
		return RoleDeleteHook
	case f.Skip:
		return RoleSkipped
	case len(f.Phases) > 0 && f.IsHook:
		return RoleHook
	case len(f.Phases) > 0:
		return RoleResource
	case len(f.DeleteTypes) > 0:
		return RoleDeleteHook
	default:
		return RoleDropped
	}
}

// deleteTypes is controller/hook.go isHookOfType for PostDelete and PreDelete.
func deleteTypes(annotations map[string]string, v Version) []HookType {
	var out []HookType
	has := func(key, want string) bool {
		value, ok := annotations[key]
		if !ok {
			return false
		}
		if !v.SplitsDeleteHookValues() {
			return value == want
		}
		return slices.Contains(SplitCSV(value), want)
	}
	if v.SupportsPreDelete() && (has(AnnotationHook, string(PreDelete)) || has(AnnotationHelmHook, "pre-delete")) {
		out = append(out, PreDelete)
	}
	if v.SupportsPostDelete() && (has(AnnotationHook, string(PostDelete)) || has(AnnotationHelmHook, "post-delete")) {
		out = append(out, PostDelete)
	}
	return out
}

// waveSuggestion proposes the integer Argo CD would have read, if any.
func waveSuggestion(text string) string {
	if n, err := strconv.Atoi(strings.TrimSpace(text)); err == nil {
		return strconv.Itoa(n)
	}
	if f, err := strconv.ParseFloat(strings.TrimSpace(text), 64); err == nil && f == float64(int(f)) {
		return strconv.Itoa(int(f))
	}
	return ""
}

func nilToEmpty(f *Facts) {
	for _, p := range []*[]Invalid{&f.InvalidHookTypes, &f.InvalidHelmHooks, &f.InvalidDeletePolicies, &f.InvalidWaves} {
		if *p == nil {
			*p = []Invalid{}
		}
	}
	if f.DeleteTypes == nil {
		f.DeleteTypes = []HookType{}
	}
	if f.SyncOptions == nil {
		f.SyncOptions = []string{}
	}
}

// HasSyncOption is HasAnnotationOption for sync-options: an exact item match.
func (f Facts) HasSyncOption(option string) bool { return slices.Contains(f.SyncOptions, option) }
