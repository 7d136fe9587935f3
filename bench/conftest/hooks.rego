# An 8-rule conftest policy for the hook checks a team would write by hand,
# the baseline scripts/bench.sh measures hookguard against (issue 10). Each
# rule looks at one object, as conftest evaluates one document at a time.
package main

import rego.v1

ann := object.get(input, ["metadata", "annotations"], {})

hook_types := {t | some t in split(ann["argocd.argoproj.io/hook"], ",")}

known_types := {"PreSync", "Sync", "PostSync", "SyncFail", "PreDelete", "PostDelete", "Skip"}

is_hook if ann["argocd.argoproj.io/hook"]

is_hook if ann["helm.sh/hook"]

# 1. A hook type Argo CD does not know drops the object.
deny contains msg if {
	some t in hook_types
	not known_types[trim_space(t)]
	msg := sprintf("%s/%s: unknown hook type %q", [input.kind, input.metadata.name, t])
}

# 2. A hook Job without a deadline can hang the sync.
deny contains msg if {
	input.kind == "Job"
	is_hook
	not input.spec.activeDeadlineSeconds
	msg := sprintf("Job %s: hook without activeDeadlineSeconds", [input.metadata.name])
}

# 3. A hook Job without backoffLimit retries six times.
deny contains msg if {
	input.kind == "Job"
	is_hook
	not is_number(input.spec.backoffLimit)
	msg := sprintf("Job %s: hook without backoffLimit", [input.metadata.name])
}

# 4. A named hook without BeforeHookCreation blocks the next sync.
deny contains msg if {
	is_hook
	input.metadata.name
	not contains(object.get(ann, "argocd.argoproj.io/hook-delete-policy", "BeforeHookCreation"), "BeforeHookCreation")
	msg := sprintf("%s/%s: named hook without BeforeHookCreation", [input.kind, input.metadata.name])
}

# 5. A sync wave that is not an integer fails the sync.
deny contains msg if {
	w := ann["argocd.argoproj.io/sync-wave"]
	not regex.match(`^[+-]?[0-9]+$`, trim_space(w))
	msg := sprintf("%s/%s: sync-wave %q is not an integer", [input.kind, input.metadata.name, w])
}

misspelled := {
	"argocd.argoproj.io/hooks", "argocd.argoproj.io/Hook", "argocd.argoproj.io/hook-deletion-policy",
	"argocd.argoproj.io/syncwave", "argocd.argoproj.io/sync_wave", "helm.sh/hooks", "helm.sh/hook-delete",
}

# 6. A misspelled annotation key is ignored silently.
deny contains msg if {
	some k, _ in ann
	misspelled[k]
	msg := sprintf("%s/%s: misspelled annotation %s", [input.kind, input.metadata.name, k])
}

# 7. A Helm hook Argo CD maps on its own: say which.
warn contains msg if {
	ann["helm.sh/hook"]
	not ann["argocd.argoproj.io/hook"]
	msg := sprintf("%s/%s: Helm hook without an Argo CD hook annotation", [input.kind, input.metadata.name])
}

# 8. A hook image without a pinned tag runs whatever was pushed last.
warn contains msg if {
	is_hook
	some c in input.spec.template.spec.containers
	not pinned(c.image)
	msg := sprintf("%s/%s: container %s image is not pinned", [input.kind, input.metadata.name, c.name])
}

pinned(image) if contains(image, "@sha256:")

pinned(image) if {
	regex.match(`:[^/:]+$`, image)
	not endswith(image, ":latest")
}
