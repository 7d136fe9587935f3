package hooks

import "strings"

// WithAppSyncOptions adds an Application's spec.syncPolicy.syncOptions to
// the sync options one of its objects sets. gitops-engine applies app-level
// options to every resource and hook alongside the resource's own
// annotation (pkg/sync/sync_context.go: "sc.replace ||
// HasAnnotationOption(obj, Replace=true)", likewise PruneLast and
// ServerSideApply), and a resource's own item for the same option wins (its
// ServerSideApply=false turns the app's off), so an app option is added
// only when the object names no item with the same key.
func WithAppSyncOptions(object, app []string) []string {
	if len(app) == 0 {
		return object
	}
	keys := map[string]bool{}
	for _, o := range object {
		k, _, _ := strings.Cut(o, "=")
		keys[k] = true
	}
	out := append([]string{}, object...)
	for _, o := range app {
		o = strings.TrimSpace(o)
		k, _, _ := strings.Cut(o, "=")
		if o == "" || keys[k] {
			continue
		}
		keys[k] = true
		out = append(out, o)
	}
	return out
}
