// Package synth generates synthetic Argo CD apps for benchmarks and for the
// complexity guard of the rule catalog (lint/complexity_test.go).
//
// App(n) is a YAML stream of n objects made of small apps of ten objects
// each: a Deployment, a Service, a ServiceAccount, a Secret, a ConfigMap and
// five hook Jobs. The apps vary by their number, so the stream holds hooks
// with good and bad annotations (unknown types, misspelled keys, invalid
// waves, Helm hooks, Skip combined, PostDelete), images that drift from the
// Deployment's or are unpinned, serviceAccountName, Secret and ConfigMap
// references to objects created earlier or later, and generateName hooks
// that collide. Every name is the app's own, so findings grow with n, not
// with n²: a rule whose work grows faster is slow, not busy.
//
// The output is deterministic: the same n gives the same bytes.
package synth

import (
	"bytes"
	"fmt"
	"strings"
)

// PerApp is the number of objects of one synthetic app.
const PerApp = 10

// App returns a YAML stream of n objects (n <= 0 gives an empty stream).
func App(n int) []byte {
	var b bytes.Buffer
	for i := 0; i*PerApp < n; i++ {
		for j, obj := range app(i) {
			if i*PerApp+j >= n {
				break
			}
			b.WriteString("---\n")
			b.WriteString(obj)
		}
	}
	return b.Bytes()
}

// app returns the ten objects of app i.
func app(i int) []string {
	ns := fmt.Sprintf("team-%d", i%7)
	if i%5 == 0 {
		ns = "" // namespace left to the Application
	}
	repo := fmt.Sprintf("registry.example.com/app-%d/api", i)
	tag := fmt.Sprintf("1.%d.0", i%4)
	return []string{
		deployment(i, ns, repo, tag),
		service(i, ns),
		serviceAccount(i, ns),
		secret(i, ns),
		configMap(i, ns),
		migrateJob(i, ns, repo, tag),
		smokeJob(i, ns),
		checkJob(i, ns),
		seedJob(i, ns),
		cleanupJob(i, ns),
	}
}

func meta(name, ns string, annotations ...string) string {
	var b strings.Builder
	b.WriteString("metadata:\n")
	if strings.HasSuffix(name, "-") {
		fmt.Fprintf(&b, "  generateName: %s\n", name)
	} else {
		fmt.Fprintf(&b, "  name: %s\n", name)
	}
	if ns != "" {
		fmt.Fprintf(&b, "  namespace: %s\n", ns)
	}
	if len(annotations) > 0 {
		b.WriteString("  annotations:\n")
		for k := 0; k+1 < len(annotations); k += 2 {
			fmt.Fprintf(&b, "    %s: %s\n", annotations[k], annotations[k+1])
		}
	}
	return b.String()
}

func deployment(i int, ns, repo, tag string) string {
	return "apiVersion: apps/v1\nkind: Deployment\n" + meta(fmt.Sprintf("api-%d", i), ns) + fmt.Sprintf(`spec:
  replicas: 2
  selector:
    matchLabels:
      app: api-%[1]d
  template:
    metadata:
      labels:
        app: api-%[1]d
    spec:
      serviceAccountName: api-%[1]d
      containers:
        - name: api
          image: %[2]s:%[3]s
          ports:
            - containerPort: 8080
          envFrom:
            - configMapRef:
                name: config-%[1]d
          env:
            - name: DB_URL
              valueFrom:
                secretKeyRef:
                  name: db-%[1]d
                  key: url
      volumes:
        - name: tls
          secret:
            secretName: db-%[1]d
`, i, repo, tag)
}

func service(i int, ns string) string {
	return "apiVersion: v1\nkind: Service\n" + meta(fmt.Sprintf("api-%d", i), ns) + fmt.Sprintf(`spec:
  selector:
    app: api-%d
  ports:
    - port: 80
      targetPort: 8080
`, i)
}

func serviceAccount(i int, ns string) string {
	name := fmt.Sprintf("api-%d", i)
	if i%2 == 0 { // created first, for the hooks: good
		return "apiVersion: v1\nkind: ServiceAccount\n" + meta(name, ns,
			"argocd.argoproj.io/hook", "PreSync",
			"argocd.argoproj.io/sync-wave", `"-5"`,
			"argocd.argoproj.io/hook-delete-policy", "BeforeHookCreation")
	}
	return "apiVersion: v1\nkind: ServiceAccount\n" + meta(name, ns) // created in Sync, after PreSync hooks use it
}

func secret(i int, ns string) string {
	name := fmt.Sprintf("db-%d", i)
	var m string
	switch i % 3 {
	case 0: // a stateful hook the Deployment reads: recreated every sync
		m = meta(name, ns, "argocd.argoproj.io/hook", "PreSync", "argocd.argoproj.io/sync-wave", `"-3"`)
	case 1:
		m = meta(name, ns, "argocd.argoproj.io/sync-wave", `"-1"`)
	default:
		m = meta(name, ns)
	}
	return "apiVersion: v1\nkind: Secret\n" + m + fmt.Sprintf(`type: Opaque
stringData:
  url: postgres://app-%d@db:5432/app
`, i)
}

func configMap(i int, ns string) string {
	name := fmt.Sprintf("config-%d", i)
	var m string
	switch i % 4 {
	case 1: // a kept hook
		m = meta(name, ns, "argocd.argoproj.io/hook", "PreSync", "helm.sh/resource-policy", "keep")
	case 3: // not a string: Argo CD reads no annotation of it
		m = meta(name, ns, "argocd.argoproj.io/sync-wave", "5")
	default:
		m = meta(name, ns)
	}
	return "apiVersion: v1\nkind: ConfigMap\n" + m + fmt.Sprintf(`data:
  LOG_LEVEL: info
  APP: app-%d
`, i)
}

// job writes a hook Job; extraSpec goes under spec, podSpec under the pod spec.
func job(m, extraSpec, podSpec, container string) string {
	return "apiVersion: batch/v1\nkind: Job\n" + m + "spec:\n" + extraSpec + "  template:\n    spec:\n" + podSpec +
		"      containers:\n" + container
}

func migrateJob(i int, ns, repo, tag string) string {
	var policy []string
	switch i % 3 {
	case 0:
		policy = []string{"argocd.argoproj.io/hook-delete-policy", "BeforeHookCreation"}
	case 2:
		policy = []string{"argocd.argoproj.io/hook-delete-policy", "HookSucceeded"}
	}
	m := meta(fmt.Sprintf("migrate-%d", i), ns, append([]string{"argocd.argoproj.io/hook", "PreSync"}, policy...)...)
	extra := "  backoffLimit: 1\n"
	if i%2 == 0 {
		extra += "  activeDeadlineSeconds: 600\n"
	} else {
		extra = "  backoffLimit: 10\n"
	}
	if i%6 == 4 {
		extra += "  ttlSecondsAfterFinished: 60\n"
	}
	restart := "Never"
	if i%6 == 5 {
		restart = "Always"
	}
	if i%2 == 1 { // drifts from the Deployment
		tag = fmt.Sprintf("1.%d.0", (i+1)%4)
	}
	sql := "CREATE TABLE IF NOT EXISTS orders (id int)"
	switch i % 5 {
	case 2:
		sql = "CREATE TABLE orders (id int)"
	case 4:
		sql = "DROP TABLE legacy_orders"
	}
	pod := fmt.Sprintf("      restartPolicy: %s\n      serviceAccountName: api-%d\n", restart, i)
	c := fmt.Sprintf(`        - name: migrate
          image: %s:%s
          command: ["sh", "-c", "psql \"$DB_URL\" -c '%s'"]
          env:
            - name: DB_URL
              valueFrom:
                secretKeyRef:
                  name: db-%d
                  key: url
          envFrom:
            - configMapRef:
                name: config-%d
`, repo, tag, sql, i, i)
	return job(m, extra, pod, c)
}

func smokeJob(i int, ns string) string {
	ann := []string{"argocd.argoproj.io/hook", "PostSync"}
	image := "curlimages/curl:8.5.0"
	if i%2 == 0 {
		ann = append(ann, "argocd.argoproj.io/hook-delete-policy", "HookSucceeded")
	} else {
		image = "curlimages/curl" // unpinned; generateName without a delete policy piles up
	}
	m := meta(fmt.Sprintf("smoke-%d-", i), ns, ann...)
	c := fmt.Sprintf(`        - name: smoke
          image: %s
          args: ["-fsS", "http://api-%d/healthz"]
`, image, i)
	return job(m, "  backoffLimit: 0\n  activeDeadlineSeconds: 120\n", "      restartPolicy: Never\n", c)
}

func checkJob(i int, ns string) string {
	name := fmt.Sprintf("check-%d-", i)
	switch {
	case i%2 == 0:
		name = fmt.Sprintf("smoke-%d-", i) // collides with the smoke Job
	case i%11 == 3:
		name = fmt.Sprintf("check-the-public-endpoints-of-the-application-after-the-sync-%d-", i) // too long
	}
	m := meta(name, ns, "argocd.argoproj.io/hook", "PostSync", "argocd.argoproj.io/hook-delete-policy", "HookSucceeded")
	c := `        - name: check
          image: curlimages/curl:8.5.0@sha256:4bfa3e2c0164fb103fb9bfd4dc956facce32b6c5d47cc09fcec883ce9535d5ac
          args: ["-fsS", "http://example.com/"]
`
	extra := "  backoffLimit: 0\n  activeDeadlineSeconds: 120\n"
	if i%9 == 8 {
		extra += "  suspend: true\n"
	}
	return job(m, extra, "      restartPolicy: Never\n", c)
}

func seedJob(i int, ns string) string {
	ann := []string{"helm.sh/hook-weight", fmt.Sprintf(`"%d"`, i%3), "helm.sh/hook-delete-policy", "before-hook-creation"}
	switch {
	case i%7 == 6:
		ann = append(ann, "helm.sh/hook", "test")
	case i%2 == 0:
		ann = append(ann, "helm.sh/hook", "pre-install") // install-only: runs on every sync
	default:
		ann = append(ann, "helm.sh/hook", "pre-install,pre-upgrade")
	}
	if i%5 == 4 {
		ann = append(ann, "argocd.argoproj.io/hook", "Sync") // mixed vocabularies
	}
	m := meta(fmt.Sprintf("seed-%d", i), ns, ann...)
	c := fmt.Sprintf(`        - name: seed
          image: registry.example.com/app-%d/seed@sha256:0d3ac2bc1a7b6f5e02f0a3c3b43a0c9e7a83a6f3b3f1a9c46e2f1c2b7d0a9e11
          args: ["seed", "--if-empty"]
`, i)
	return job(m, "  backoffLimit: 2\n  activeDeadlineSeconds: 300\n", "      restartPolicy: OnFailure\n", c)
}

func cleanupJob(i int, ns string) string {
	var ann []string
	switch i % 4 {
	case 0: // PostDelete with the app's own ServiceAccount: deletion hangs
		ann = []string{"argocd.argoproj.io/hook", "PostDelete"}
	case 1:
		ann = []string{"argocd.argoproj.io/hook", "PreSynk", "argocd.argoproj.io/hook-delete-polcy", "HookSucceeded"}
	case 2: // a wave on a delete hook is ignored
		ann = []string{"argocd.argoproj.io/hook", "PostDelete", "argocd.argoproj.io/sync-wave", `"3"`}
	case 3:
		ann = []string{"argocd.argoproj.io/hook", "Skip,PreSync", "argocd.argoproj.io/hook-delete-policy", "HookSucceded"}
	}
	if i%8 == 3 {
		ann = append(ann, "argocd.argoproj.io/sync-wave", `"two"`)
	}
	m := meta(fmt.Sprintf("cleanup-%d", i), ns, ann...)
	pod := fmt.Sprintf("      restartPolicy: Never\n      serviceAccountName: api-%d\n      imagePullSecrets:\n        - name: db-%d\n", i, i)
	c := fmt.Sprintf(`        - name: cleanup
          image: bitnami/kubectl:1.30
          command: ["sh", "-c", "kubectl delete configmap config-%d --ignore-not-found"]
          volumeMounts:
            - name: config
              mountPath: /config
`, i)
	c += fmt.Sprintf("      volumes:\n        - name: config\n          configMap:\n            name: config-%d\n", i)
	return job(m, "  backoffLimit: 1\n", pod, c)
}

// FilesPerApp is how many files Repo splits one app into: 10k objects make
// 2,000 files, the shape of the GitOps repository issue 10 measured.
const FilesPerApp = 2

// Repo returns a synthetic GitOps repository of n objects as file paths
// (slash-separated, relative) and their contents: app-NNNNN/a.yaml and
// app-NNNNN/b.yaml, five objects each. Deterministic, like App.
func Repo(n int) map[string][]byte {
	files := map[string][]byte{}
	per := PerApp / FilesPerApp
	for i := 0; i*PerApp < n; i++ {
		objs := app(i)
		for f := 0; f < FilesPerApp; f++ {
			var b bytes.Buffer
			for j := f * per; j < (f+1)*per && i*PerApp+j < n; j++ {
				b.WriteString("---\n")
				b.WriteString(objs[j])
			}
			if b.Len() > 0 {
				files[fmt.Sprintf("app-%05d/%c.yaml", i, 'a'+f)] = b.Bytes()
			}
		}
	}
	return files
}
