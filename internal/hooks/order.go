package hooks

import (
	"slices"
	"strings"
)

// DefaultWaveDelaySeconds is ARGOCD_SYNC_WAVE_DELAY's default: Argo CD
// sleeps this long after every (phase, wave) group but the last
// (controller/sync.go delayBetweenSyncWaves; #4669).
const DefaultWaveDelaySeconds = 2

// phaseOrder is syncPhaseOrder (GE sync/sync_tasks.go).
var phaseOrder = map[HookType]int{PreSync: -1, Sync: 0, PostSync: 1, SyncFail: 2}

// kinds is kindOrder (GE sync/sync_tasks.go), itself Helm's kind_sorter.
var kinds = []string{
	"Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
	"PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap",
	"StorageClass", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition",
	"ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList",
	"Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
	"ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
	"StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
}

var kindOrder = func() map[string]int {
	m := make(map[string]int, len(kinds))
	for i, k := range kinds {
		m[k] = i - len(kinds) // never zero: unknown kinds get 0 and sort last
	}
	return m
}()

// KindRank is Argo CD's rank of a kind: negative for listed kinds, 0 for any other.
func KindRank(kind string) int { return kindOrder[kind] }

// Task is one object in one sync phase: GE syncTask, reduced to what the order needs.
type Task struct {
	Object int // the caller's index of the object
	Phase  HookType
	Wave   int
	// Moved is true when adjustDeps pulled a Namespace or CRD ahead of a
	// dependent and gave it that dependent's phase and wave.
	Moved bool

	kind, group, name, namespace string
	crdKey                       string // "<spec.group>/<spec.names.kind>" for a CRD
}

// Object is what the sync order needs to know of one object.
type Object struct {
	Kind, Group, Name, GenerateName, Namespace string
	// CRDGroup and CRDKind are spec.group and spec.names.kind of a CRD.
	CRDGroup, CRDKind string
	Facts             Facts
}

// sortName is the name Argo CD sorts by. For a generateName hook the name is
// generateName + "<revision>-<phase>-<time>" (GE getSyncTasks); the suffix is
// unknown before the sync, so the prefix stands for it.
func (o Object) sortName() string {
	if o.Name != "" {
		return o.Name
	}
	return o.GenerateName
}

// SyncTasks returns the tasks of a sync in Argo CD's order: one per object and
// phase, sorted by phase, wave, kind and name (syncTasks.Less), then with
// Namespaces and CRDs moved ahead of their first dependent (syncTasks.Sort).
// Argo CD's sort is not stable; ties (same name in two namespaces) are broken
// here by input order so that the result is deterministic.
func SyncTasks(objects []Object) []Task {
	var tasks []Task
	for i, o := range objects {
		for _, p := range o.Facts.Phases {
			t := Task{Object: i, Phase: p, Wave: o.Facts.Wave, kind: o.Kind, group: o.Group, name: o.sortName(), namespace: o.Namespace}
			if o.Kind == "CustomResourceDefinition" && o.Group == "apiextensions.k8s.io" && o.CRDGroup != "" && o.CRDKind != "" {
				t.crdKey = o.CRDGroup + "/" + o.CRDKind
			}
			tasks = append(tasks, t)
		}
	}
	slices.SortStableFunc(tasks, func(a, b Task) int {
		if d := phaseOrder[a.Phase] - phaseOrder[b.Phase]; d != 0 {
			return d
		}
		if a.Wave != b.Wave {
			if a.Wave < b.Wave {
				return -1
			}
			return 1
		}
		if d := kindOrder[a.kind] - kindOrder[b.kind]; d != 0 {
			return d
		}
		return strings.Compare(a.name, b.name)
	})
	// Namespaces before the objects in them.
	adjustDeps(tasks,
		func(t Task) (string, bool) { return t.name, t.kind == "Namespace" && t.group == "" },
		func(t Task) (string, bool) { return t.namespace, t.namespace != "" })
	// CRDs before their custom resources.
	adjustDeps(tasks,
		func(t Task) (string, bool) { return t.crdKey, t.crdKey != "" },
		func(t Task) (string, bool) { return t.group + "/" + t.kind, true })
	return tasks
}

// adjustDeps mirrors syncTasks.adjustDeps: a dependency found after its first
// dependent moves in front of it and takes over its phase and wave.
func adjustDeps(tasks []Task, isDep, refersTo func(Task) (string, bool)) {
	first := map[string]int{}
	for i := range tasks {
		t := tasks[i]
		if key, ok := isDep(t); ok {
			index, seen := first[key]
			if !seen {
				continue
			}
			t.Wave, t.Phase, t.Moved = tasks[index].Wave, tasks[index].Phase, true
			copy(tasks[index+1:i+1], tasks[index:i])
			tasks[index] = t
			for k, f := range first {
				if f >= index {
					first[k] = f + 1
				}
			}
		} else if key, ok := refersTo(t); ok {
			if _, seen := first[key]; !seen {
				first[key] = i
			}
		}
	}
}
