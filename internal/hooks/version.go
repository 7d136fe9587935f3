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

// ParseVersion reads "3.6", "v2.14.2" or "3". An empty string is Latest.
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
	return Version{n[0], n[1], n[2]}, nil
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

// SupportsPostDelete: PostDelete hooks, argo-cd PR #16595 (v2.10.0).
func (v Version) SupportsPostDelete() bool { return v.AtLeast(2, 10, 0) }

// SupportsPreDelete: PreDelete hooks, argo-cd PR #22288 (v3.3.0).
func (v Version) SupportsPreDelete() bool { return v.AtLeast(3, 3, 0) }

// SplitsDeleteHookValues: controller/hook.go isHookOfType splits on "," since
// v3.3; before, the whole annotation value was compared exactly.
func (v Version) SplitsDeleteHookValues() bool { return v.AtLeast(3, 3, 0) }

// KeepsMixedDeleteHooksInSync: an object with a delete-hook type and a sync
// type stays in the sync since v3.5.0 (PR #26996); v3.3–v3.4 dropped it.
func (v Version) KeepsMixedDeleteHooksInSync() bool { return v.AtLeast(3, 5, 0) }

// HasHookFinalizer: argocd.argoproj.io/hook-finalizer on every hook, v3.0+
// (gitops-engine PR #646, fixing #21055). It makes ttlSecondsAfterFinished safe.
func (v Version) HasHookFinalizer() bool { return v.AtLeast(3, 0, 0) }

// PassesEmptyEnv: empty ARGOCD_ENV_ values reach the plugin since v3.0 (PR #22096).
func (v Version) PassesEmptyEnv() bool { return v.AtLeast(3, 0, 0) }

// KubeVersionHasPatch: KUBE_VERSION is "X.Y.Z" from v3.3.3/v3.4, "X.Y" before.
func (v Version) KubeVersionHasPatch() bool { return v.AtLeast(3, 3, 3) }
