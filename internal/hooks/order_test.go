package hooks

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func obj(kind, name, ns string, ann map[string]string) Object {
	group := ""
	if kind == "CustomResourceDefinition" {
		group = "apiextensions.k8s.io"
	}
	return Object{Kind: kind, Group: group, Name: name, Namespace: ns, Facts: Analyze(ann, true, Latest)}
}

func order(objects []Object) []string {
	var out []string
	for _, t := range SyncTasks(objects) {
		o := objects[t.Object]
		out = append(out, fmt.Sprintf("%s/%d/%s/%s", t.Phase, t.Wave, o.Kind, o.sortName()))
	}
	return out
}

// A4: phase, wave, kind order, name; the Namespace/CRD adjustment.
func TestSyncOrder(t *testing.T) {
	cases := []struct {
		name    string
		objects []Object
		want    []string
	}{
		{"phases in order", []Object{
			obj("Job", "fail", "", map[string]string{hk: "SyncFail"}),
			obj("Job", "post", "", map[string]string{hk: "PostSync"}),
			obj("Deployment", "app", "", nil),
			obj("Job", "pre", "", map[string]string{hk: "PreSync"}),
		}, []string{"PreSync/0/Job/pre", "Sync/0/Deployment/app", "PostSync/0/Job/post", "SyncFail/0/Job/fail"}},
		{"waves inside a phase, negative first", []Object{
			obj("Job", "b", "", map[string]string{hk: "PreSync", sw: "-1"}),
			obj("Job", "a", "", map[string]string{hk: "PreSync", sw: "-2"}),
			obj("Job", "c", "", map[string]string{hk: "PreSync"}),
		}, []string{"PreSync/-2/Job/a", "PreSync/-1/Job/b", "PreSync/0/Job/c"}},
		{"kind order inside a wave; Sync hooks interleave with resources", []Object{
			obj("Job", "migrate", "", map[string]string{hk: "Sync"}),
			obj("Deployment", "web", "", nil),
			obj("ConfigMap", "cfg", "", nil),
			obj("ServiceAccount", "sa", "", nil),
		}, []string{"Sync/0/ServiceAccount/sa", "Sync/0/ConfigMap/cfg", "Sync/0/Deployment/web", "Sync/0/Job/migrate"}},
		{"kind tie broken by name", []Object{
			obj("Secret", "b", "", nil), obj("Secret", "a", "", nil),
		}, []string{"Sync/0/Secret/a", "Sync/0/Secret/b"}},
		{"unknown kinds sort after every listed kind", []Object{
			obj("Certificate", "a", "", nil), obj("APIService", "z", "", nil),
		}, []string{"Sync/0/APIService/z", "Sync/0/Certificate/a"}},
		{"Helm weight as wave", []Object{
			obj("Job", "late", "", map[string]string{hh: "pre-install", hw: "5"}),
			obj("Job", "early", "", map[string]string{hh: "pre-install", hw: "-5"}),
		}, []string{"PreSync/-5/Job/early", "PreSync/5/Job/late"}},
		{"multi-phase hook appears twice", []Object{
			obj("Job", "check", "", map[string]string{hk: "PreSync,PostSync"}),
			obj("Deployment", "web", "", nil),
		}, []string{"PreSync/0/Job/check", "Sync/0/Deployment/web", "PostSync/0/Job/check"}},
		{"skipped and dropped objects have no task", []Object{
			obj("Job", "skip", "", map[string]string{hk: "Skip"}),
			obj("Job", "typo", "", map[string]string{hk: "presync"}),
			obj("Job", "gone", "", map[string]string{hk: "PostDelete"}),
		}, nil},
		{"Namespace moved before its first object, taking its phase and wave", []Object{
			obj("Job", "pre", "shop", map[string]string{hk: "PreSync", sw: "-3"}),
			obj("Namespace", "shop", "", nil),
		}, []string{"PreSync/-3/Namespace/shop", "PreSync/-3/Job/pre"}},
		{"CRD moved before its CR, taking its wave", []Object{
			{Kind: "Widget", Group: "example.com", Name: "w", Facts: Analyze(map[string]string{sw: "-3"}, true, Latest)},
			{Kind: "CustomResourceDefinition", Group: "apiextensions.k8s.io", Name: "widgets.example.com", CRDGroup: "example.com", CRDKind: "Widget", Facts: Analyze(nil, true, Latest)},
		}, []string{"Sync/-3/CustomResourceDefinition/widgets.example.com", "Sync/-3/Widget/w"}},
		{"same kind and name in two namespaces: a tie Argo CD breaks arbitrarily, kept in input order here", []Object{
			obj("Job", "migrate", "b", map[string]string{hk: "PreSync"}),
			obj("Job", "migrate", "a", map[string]string{hk: "PreSync"}),
		}, []string{"PreSync/0/Job/migrate", "PreSync/0/Job/migrate"}},
		{"Helm weight used when sync-wave does not parse", []Object{
			obj("Job", "a", "", map[string]string{hk: "PreSync", sw: "1.5", hw: "-3"}),
			obj("Job", "b", "", map[string]string{hk: "PreSync", sw: "-1"}),
		}, []string{"PreSync/-3/Job/a", "PreSync/-1/Job/b"}},
		{"hooks and resources of one phase share kind order", []Object{
			obj("Service", "svc", "", nil),
			obj("ConfigMap", "hook-cm", "", map[string]string{hk: "Sync"}),
		}, []string{"Sync/0/ConfigMap/hook-cm", "Sync/0/Service/svc"}},
		{"CRD already first is not moved", []Object{
			{Kind: "CustomResourceDefinition", Group: "apiextensions.k8s.io", Name: "widgets.example.com", CRDGroup: "example.com", CRDKind: "Widget", Facts: Analyze(map[string]string{sw: "-5"}, true, Latest)},
			{Kind: "Widget", Group: "example.com", Name: "w", Facts: Analyze(nil, true, Latest)},
		}, []string{"Sync/-5/CustomResourceDefinition/widgets.example.com", "Sync/0/Widget/w"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, order(c.objects))
		})
	}
}

func TestKindRank(t *testing.T) {
	assert.Equal(t, -35, KindRank("Namespace"))
	assert.Equal(t, -1, KindRank("APIService"))
	assert.Equal(t, 0, KindRank("MyCRD"))
}

// FuzzSyncTasks checks the sync order on arbitrary apps: every object runs
// once in each of its phases, phases come in Argo CD's order, a Namespace
// comes before the objects in it and a CRD before its resources, and the
// order is the same on every run.
func FuzzSyncTasks(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	f.Add([]byte{200, 13, 7, 250, 1, 0, 0, 3, 99, 42, 42, 42, 17, 5})
	f.Fuzz(func(t *testing.T, data []byte) {
		kinds := append(append([]string{}, kinds[:8]...), "CustomResourceDefinition", "Widget", "Job", "Namespace")
		hookValues := []string{"", "PreSync", "PostSync", "Sync", "SyncFail", "PreSync,PostSync", "Skip", "PostDelete", "presync"}
		var objs []Object
		for i := 0; i+3 < len(data) && len(objs) < 64; i += 4 {
			kind := kinds[int(data[i])%len(kinds)]
			o := Object{Kind: kind, Name: fmt.Sprintf("n%d", data[i+1]%8), Namespace: []string{"", "a", "b"}[data[i+2]%3]}
			if kind == "Widget" {
				o.Group = "example.com"
			}
			if kind == "CustomResourceDefinition" {
				o.Group, o.CRDGroup, o.CRDKind, o.Namespace = "apiextensions.k8s.io", "example.com", "Widget", ""
			}
			if kind == "Namespace" {
				o.Namespace, o.Name = "", []string{"a", "b", "c"}[data[i+1]%3]
			}
			ann := map[string]string{AnnotationSyncWave: fmt.Sprint(int(data[i+3]%7) - 3)}
			if h := hookValues[int(data[i+3]/7)%len(hookValues)]; h != "" {
				ann[AnnotationHook] = h
			}
			o.Facts = Analyze(ann, true, Latest)
			objs = append(objs, o)
		}
		tasks := SyncTasks(objs)
		again := SyncTasks(objs)
		if fmt.Sprint(tasks) != fmt.Sprint(again) {
			t.Fatal("the order differs between runs")
		}
		want := 0
		for _, o := range objs {
			want += len(o.Facts.Phases)
		}
		if len(tasks) != want {
			t.Fatalf("%d tasks for %d object phases", len(tasks), want)
		}
		// A task adjustDeps moved takes its dependent's phase, so a Namespace
		// hook of two phases can run twice in one (as in gitops-engine);
		// unmoved tasks are one per object and phase.
		seen := map[string]bool{}
		for i, task := range tasks {
			key := fmt.Sprint(task.Object, task.Phase)
			if seen[key] && !task.Moved {
				t.Fatalf("object %d runs twice in %s", task.Object, task.Phase)
			}
			seen[key] = !task.Moved
			if i > 0 && phaseOrder[task.Phase] < phaseOrder[tasks[i-1].Phase] {
				t.Fatalf("phase %s after %s", task.Phase, tasks[i-1].Phase)
			}
		}
		// A Namespace task precedes every task of an object in it, and a CRD
		// every task of its kind, once adjustDeps has run.
		for i, task := range tasks {
			o := objs[task.Object]
			for j := i + 1; j < len(tasks); j++ {
				later := objs[tasks[j].Object]
				if later.Kind == "Namespace" && later.Group == "" && o.Namespace == later.Name && !tasks[j].Moved {
					t.Fatalf("Namespace %s comes after %s %s in it", later.Name, o.Kind, o.Name)
				}
			}
		}
	})
}
