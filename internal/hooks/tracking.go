package hooks

// Where Argo CD reads annotations before any hook logic: the repo-server
// writes its tracking into every generated object but CRDs (argo-cd v3.6.1
// reposerver/repository/repository.go:1842-1848).

// Tracked reports whether the repo-server writes Argo CD's tracking into an
// object of this API group and kind: every object but a
// CustomResourceDefinition (repository.go:1843 "!kube.IsCRD(target)";
// gitops-engine v3.6.1 pkg/utils/kube/kube.go:180-186 matches the kind and
// the group apiextensions.k8s.io).
func Tracked(group, kind string) bool {
	return kind != "CustomResourceDefinition" || group != "apiextensions.k8s.io"
}

// GenerationFails reports whether an object makes Argo CD fail the whole
// app's manifest generation. notString says an annotation value is not a
// YAML string, null included. Under annotation tracking (the default from
// 3.0) the repo-server reads a tracked object's annotations as a map of
// strings before it writes its own (util/argo/resource_tracking.go:146-158,
// 180-181 -> util/kube/kube.go:189-199 nestedNullableStringMap, which uses
// apimachinery's NestedStringMap and refuses nulls too), and the error
// stops the generation (repository.go:1845-1846). Otherwise, on a CRD or
// under label tracking, GetAnnotations reads null as "" and any other value
// makes it return nothing: Analyze's readable.
func GenerationFails(group, kind string, notString bool, v Version) bool {
	return notString && Tracked(group, kind) && v.TracksByAnnotation()
}
