package hooks

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is an Argo CD release. Behaviour that changed between releases is
// switched by its methods, each citing the change (argocd-semantics.md).
type Version struct {
	Major, Minor, Patch int
}

// Latest is the newest Argo CD behaviour hookguard models (v3.6.1).
var Latest = Version{3, 6, 1}

// Oldest is the oldest Argo CD release hookguard checks: every switch below
// is modelled from 2.0 on (1.x, out of support since 2021, is not).
var Oldest = Version{2, 0, 0}

// SupportedRange names the releases ParseVersion accepts, for messages.
func SupportedRange() string {
	return fmt.Sprintf("%d.%d to %d.%d.x", Oldest.Major, Oldest.Minor, Latest.Major, Latest.Minor)
}

// ParseVersion reads "3.6", "v2.14.2" or "3". An empty string is Latest.
// A release older than Oldest or newer than Latest's minor line is refused:
// hookguard cannot know what an unreleased or unmodelled version does.
func ParseVersion(s string) (Version, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if s == "" || s == "latest" {
		return Latest, nil
	}
	if i := strings.IndexAny(s, "-+"); i >= 0 { // pre-release or build suffix
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return Version{}, fmt.Errorf("invalid Argo CD version %q: want MAJOR.MINOR[.PATCH]", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("invalid Argo CD version %q: want MAJOR.MINOR[.PATCH]", s)
		}
		n[i] = v
	}
	if n[0] < 1 || n[0] > 9 {
		return Version{}, fmt.Errorf("invalid Argo CD version %q: major version %d is not an Argo CD release", s, n[0])
	}
	v := Version{n[0], n[1], n[2]}
	if !v.AtLeast(Oldest.Major, Oldest.Minor, Oldest.Patch) || v.AtLeast(Latest.Major, Latest.Minor+1, 0) {
		return Version{}, fmt.Errorf("unsupported Argo CD version %s: hookguard checks Argo CD %s", s, SupportedRange())
	}
	return v, nil
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// AtLeast reports whether v is major.minor.patch or newer.
func (v Version) AtLeast(major, minor, patch int) bool {
	if v.Major != major {
		return v.Major > major
	}
	if v.Minor != minor {
		return v.Minor > minor
	}
	return v.Patch >= patch
}

// Switch is one behaviour that changed between Argo CD releases. Rules
// reach these through their input, so no rule names a version.
type Switch struct {
	// Name is the key rules use ("postDelete").
	Name string
	// Since is the first release with the behaviour on its newest line;
	// Backports are earlier release lines that got it in a patch release
	// (3.3.3 on the 3.3 line), each the first patch with it. LastWithout is
	// the last minor release without it, for messages ("2.14 and older").
	Since       Version
	Backports   []Version
	LastWithout string
	// Only lists single releases that had it by accident (reverted after).
	Only []Version
	// What says what changed and Source where (argo-cd tags, file:line, PR;
	// docs/research/argocd-version-boundaries.md).
	What, Source string
}

// Switches lists every version-dependent behaviour hookguard models, each
// checked against the release tags' source.
var Switches = []Switch{
	{Name: "postDelete", Since: Version{2, 10, 0}, LastWithout: "2.9", What: "PostDelete hooks",
		Source: "argo-cd v2.10.0 controller/hook.go:20-42, PR #16595"},
	{Name: "preDelete", Since: Version{3, 3, 0}, LastWithout: "3.2", What: "PreDelete hooks",
		Source: "argo-cd v3.3.0 controller/hook.go:23-38, PR #22288"},
	{Name: "splitDeleteHookValues", Since: Version{3, 4, 0}, Backports: []Version{{3, 3, 3}}, LastWithout: "3.3.2",
		What:   "controller/hook.go isHookOfType splits PreDelete/PostDelete values on \",\" (3.3.0-3.3.2 compare the whole value)",
		Source: "argo-cd v3.3.3 controller/hook.go:48, v3.4.0 controller/hook.go:49; PR #26420, cherry-pick #26586"},
	{Name: "mixedDeleteHooksInSync", Since: Version{3, 4, 0}, Backports: []Version{{3, 3, 5}}, LastWithout: "3.3.4",
		What:   "an object with a delete-hook type and a sync type stays in the sync (3.3.0-3.3.4 take it out)",
		Source: "argo-cd v3.3.5 controller/state.go:542, v3.4.0 controller/state.go:549; PR #26996, cherry-picks #26999, #26998"},
	{Name: "hookFinalizer", Since: Version{3, 0, 0}, Only: []Version{{2, 14, 3}}, LastWithout: "2.14",
		What:   "argocd.argoproj.io/hook-finalizer on every sync hook (also in 2.14.3 alone, reverted in 2.14.4)",
		Source: "gitops-engine 7258614 pkg/sync/sync_context.go:751, PR #646; argo-cd #21901 reverted by #22162"},
	{Name: "annotationTracking", Since: Version{3, 0, 0}, LastWithout: "2.14",
		What:   "annotation-based resource tracking is the default (label-based before): the repo-server reads the annotations of every object but CRDs as strings while it writes its tracking annotation",
		Source: "argo-cd v3.0.0 docs/operator-manual/upgrading/2.14-3.0.md \"Use Annotation-Based Tracking by Default\"; v3.6.1 util/settings/settings.go:944-952, util/argo/resource_tracking.go:146-186"},
	{Name: "emptyEnv", Since: Version{3, 0, 0}, LastWithout: "2.14", What: "empty ARGOCD_ENV_ values reach the plugin",
		Source: "argo-cd PR #22096"},
	{Name: "kubeVersionPatch", Since: Version{3, 4, 0}, Backports: []Version{{3, 3, 3}}, LastWithout: "3.3.2",
		What:   "KUBE_VERSION is X.Y.Z, not X.Y",
		Source: "gitops-engine (argo-cd v3.3.3) pkg/utils/kube/ctl.go:342-361; PR #26744, #26469"},
}

// Has reports whether v has the behaviour named by a Switch.
func (v Version) Has(name string) bool {
	for _, s := range Switches {
		if s.Name == name {
			return s.In(v)
		}
	}
	panic("internal: unknown Argo CD version switch " + name)
}

// In reports whether release v has the switch's behaviour.
func (s Switch) In(v Version) bool {
	for _, only := range s.Only {
		if v == only {
			return true
		}
	}
	for _, b := range s.Backports {
		if v.Major == b.Major && v.Minor == b.Minor {
			return v.Patch >= b.Patch
		}
	}
	return v.AtLeast(s.Since.Major, s.Since.Minor, s.Since.Patch)
}

// Short is the version without a zero patch: "3.3", "3.3.3".
func (v Version) Short() string {
	if v.Patch == 0 {
		return fmt.Sprintf("%d.%d", v.Major, v.Minor)
	}
	return v.String()
}

// SupportsPostDelete: PostDelete hooks.
func (v Version) SupportsPostDelete() bool { return v.Has("postDelete") }

// SupportsPreDelete: PreDelete hooks.
func (v Version) SupportsPreDelete() bool { return v.Has("preDelete") }

// SplitsDeleteHookValues: controller/hook.go isHookOfType splits on ","
// since v3.3; before, the whole annotation value was compared exactly.
func (v Version) SplitsDeleteHookValues() bool { return v.Has("splitDeleteHookValues") }

// KeepsMixedDeleteHooksInSync: an object with a delete-hook type and a sync
// type stays in the sync; earlier releases dropped it.
func (v Version) KeepsMixedDeleteHooksInSync() bool { return v.Has("mixedDeleteHooksInSync") }

// HasHookFinalizer: the hook finalizer makes ttlSecondsAfterFinished safe.
func (v Version) HasHookFinalizer() bool { return v.Has("hookFinalizer") }

// TracksByAnnotation: annotation-based resource tracking is the default.
func (v Version) TracksByAnnotation() bool { return v.Has("annotationTracking") }

// PassesEmptyEnv: empty ARGOCD_ENV_ values reach the plugin.
func (v Version) PassesEmptyEnv() bool { return v.Has("emptyEnv") }

// KubeVersionHasPatch: KUBE_VERSION is "X.Y.Z", "X.Y" before.
func (v Version) KubeVersionHasPatch() bool { return v.Has("kubeVersionPatch") }
