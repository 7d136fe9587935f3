# METADATA
# title: Misspelled hook annotation key
# description: >-
#   An annotation key is a slip of one Argo CD or Helm key that Argo CD reads
#   (argocd.argoproj.io/hook, hook-delete-policy, sync-wave, sync-options,
#   compare-options; helm.sh/hook, hook-weight, hook-delete-policy,
#   resource-policy): a typo, a wrong case or separator, a known wrong name
#   (hook-deletion-policy, helm.sh/hook-delete) or a near-miss domain
#   (argoproj.io/hook), or one of these keys written as a label. Argo CD reads
#   annotation keys exactly and ignores every other key without a message, so
#   the hook type, delete policy, wave or option is silently lost: a
#   misspelled hook key makes the hook a plain resource applied in the Sync
#   phase.
# custom:
#   id: annotation-key-misspelled
#   severity: error
#   remediation: Write the key exactly as Argo CD reads it, under metadata.annotations (argocd.argoproj.io/hook, argocd.argoproj.io/hook-delete-policy, argocd.argoproj.io/sync-wave, argocd.argoproj.io/sync-options, helm.sh/hook, helm.sh/hook-weight, helm.sh/hook-delete-policy).
package hookguard.rules.annotations["annotation-key-misspelled"]

import data.hookguard.lib

# The keys Argo CD reads that a slip silently loses, per domain. Argo CD and
# Helm read them from metadata.annotations only, by exact key.
_families := {
	"argocd.argoproj.io": {"hook", "hook-delete-policy", "sync-wave", "sync-options", "compare-options"},
	"helm.sh": {"hook", "hook-weight", "hook-delete-policy", "resource-policy"},
}

_read_keys := {concat("/", [domain, name]) |
	some domain, names in _families
	some name in names
}

# Domains that are a known slip of a family's domain but more than an edit or
# two away from it.
_near_domains := {
	"argocd.argoproj.io": {"argoproj.io", "argocd.io", "argo-cd.io", "argo.io", "argocd.argoproj.org", "argocd.argo.io", "argocd.argoproj"},
	"helm.sh": {"helm.io", "helm.dev", "helm.com", "helm", "helm.k8s.io"},
}

# Wrong names for a key that are too far from it for the edit distance, by
# the family whose domain they were written under (folded, see _fold), and
# the key Argo CD reads for them.
_variants := {
	"argocd.argoproj.io": {
		"hook-type": "argocd.argoproj.io/hook",
		"hook-types": "argocd.argoproj.io/hook",
		"hook-deletion-policy": "argocd.argoproj.io/hook-delete-policy",
		"hook-deletion-policies": "argocd.argoproj.io/hook-delete-policy",
		"hook-delete-policies": "argocd.argoproj.io/hook-delete-policy",
		"hook-deletion": "argocd.argoproj.io/hook-delete-policy",
		"hook-delete": "argocd.argoproj.io/hook-delete-policy",
		"hook-policy": "argocd.argoproj.io/hook-delete-policy",
		"delete-policy": "argocd.argoproj.io/hook-delete-policy",
		"deletion-policy": "argocd.argoproj.io/hook-delete-policy",
		"wave": "argocd.argoproj.io/sync-wave",
		"hook-wave": "argocd.argoproj.io/sync-wave",
		"hook-weight": "argocd.argoproj.io/sync-wave",
		"sync-weight": "argocd.argoproj.io/sync-wave",
		"weight": "argocd.argoproj.io/sync-wave",
		"sync-opts": "argocd.argoproj.io/sync-options",
		"compare-opts": "argocd.argoproj.io/compare-options",
	},
	"helm.sh": {
		"hook-type": "helm.sh/hook",
		"hook-types": "helm.sh/hook",
		"hook-deletion-policy": "helm.sh/hook-delete-policy",
		"hook-deletion-policies": "helm.sh/hook-delete-policy",
		"hook-delete-policies": "helm.sh/hook-delete-policy",
		"hook-deletion": "helm.sh/hook-delete-policy",
		"hook-delete": "helm.sh/hook-delete-policy",
		"delete-policy": "helm.sh/hook-delete-policy",
		"deletion-policy": "helm.sh/hook-delete-policy",
		"weight": "helm.sh/hook-weight",
		"hook-wave": "helm.sh/hook-weight",
		"resource-policies": "helm.sh/resource-policy",
		"sync-wave": "argocd.argoproj.io/sync-wave",
		"sync-options": "argocd.argoproj.io/sync-options",
	},
}

# Real keys of Argo CD and Helm, in these domains or near them, that are no
# slip whatever their distance to a key above.
_real_keys := {
	"argocd.argoproj.io/application-set-refresh",
	"argocd.argoproj.io/auto-label-cluster-info",
	"argocd.argoproj.io/client-side-apply-migration-manager",
	"argocd.argoproj.io/deletion-approved",
	"argocd.argoproj.io/hook-finalizer",
	"argocd.argoproj.io/hydrate",
	"argocd.argoproj.io/ignore-default-links",
	"argocd.argoproj.io/ignore-healthcheck",
	"argocd.argoproj.io/ignore-resource-updates",
	"argocd.argoproj.io/ignore-restart-policy",
	"argocd.argoproj.io/installation-id",
	"argocd.argoproj.io/instance",
	"argocd.argoproj.io/kubernetes-version",
	"argocd.argoproj.io/managed-by",
	"argocd.argoproj.io/managed-by-url",
	"argocd.argoproj.io/manifest-generate-paths",
	"argocd.argoproj.io/refresh",
	"argocd.argoproj.io/secret-type",
	"argocd.argoproj.io/skip-reconcile",
	"argocd.argoproj.io/tracking-id",
	"argo-cd.argoproj.io/installation-id",
	"helm.sh/chart",
	"helm.sh/hook-delete-timeout",
	"helm.sh/hook-output-log-policy",
}

# A misspelled annotation key.
report contains lib.violation_at(obj, lib.annotation_path(key), msg) if {
	some obj in input.objects
	some key, value in obj.annotations
	canonical := _canonical(key)
	not _redundant(obj, canonical, value)
	msg := sprintf("%s: annotation %q is not a key Argo CD reads (did you mean %q?); %s", [obj.ref, key, canonical, _outcome(obj, canonical)])
}

# A hook key, exact or misspelled, written as a label.
report contains lib.violation_at(obj, ["metadata", "labels", key], msg) if {
	some obj in input.objects
	labels := object.get(obj.raw, ["metadata", "labels"], {})
	is_object(labels)
	some key, value in labels
	canonical := _label_canonical(key)
	not _redundant(obj, canonical, value)
	msg := sprintf("%s: label %q: Argo CD reads %q from annotations only; %s", [obj.ref, key, canonical, _outcome(obj, canonical)])
}

_label_canonical(key) := key if key in _read_keys

_label_canonical(key) := _canonical(key)

# The same value under the key Argo CD reads: the slip changes nothing.
_redundant(obj, canonical, value) if object.get(obj.annotations, canonical, null) == value

# _canonical: the key Argo CD reads that a key is a slip of; undefined for
# a key Argo CD reads and for any key that is no slip of one.
_canonical(key) := c if {
	not key in _real_keys
	not key in _read_keys
	parts := split(key, "/")
	count(parts) == 2
	candidates := {k |
		some domain in _domains_near(lower(parts[0]))
		some k in _slips(domain, _fold(parts[1]))
	}
	count(candidates) > 0
	c := min(candidates)
}

_domains_near(written) := {domain |
	some domain, _ in _families
	_domain_near(written, domain)
}

_domain_near(written, domain) if written == domain

_domain_near(written, domain) if written in _near_domains[domain]

# The long domain tolerates two edits (argocd.argproj.io), the short one one.
_domain_near(written, domain) if {
	count(domain) > 8
	_within2(written, domain)
}

_domain_near(written, domain) if {
	count(domain) <= 8
	_within1(written, domain)
}

# _slips: the keys of a family a (folded) name is a slip of: a known wrong
# name, or one or two edits from a key's name (one for a name of up to five
# characters, so that "hook" does not take in every short word).
_slips(domain, name) := {k |
	some n in _families[domain]
	_close(name, n)
	k := concat("/", [domain, n])
} | {k | k := object.get(_variants[domain], name, null); k != null}

_close(name, n) if {
	count(n) > 5
	_within2(name, n)
}

_close(name, n) if {
	count(n) <= 5
	_within1(name, n)
}

# _fold: lower case, and "_", "." and " " as "-" (Sync_Wave -> sync-wave).
_fold(s) := regex.replace(lower(s), `[_. ]`, "-")

# Levenshtein distance up to 2, without recursion: after the common prefix
# the first edit must touch the first differing character, so the distance is
# at most one when one edit there (substitute, delete, insert) leaves equal
# rests, and at most two when it leaves rests at most one apart.
_prefix(a, b) := count([i |
	some i in numbers.range(1, count(a))
	i > 0
	i <= count(b)
	substring(a, 0, i) == substring(b, 0, i)
])

_within1(a, b) if a == b

_within1(a, b) if {
	a != b
	some rest in _rests(a, b)
	rest[0] == rest[1]
}

_within2(a, b) if _within1(a, b)

_within2(a, b) if {
	not _within1(a, b)
	some rest in _rests(a, b)
	_within1(rest[0], rest[1])
}

# _rests: what is left of a and b after one edit at their first difference.
_rests(a, b) := [
	[substring(a, p + 1, -1), substring(b, p + 1, -1)],
	[substring(a, p + 1, -1), substring(b, p, -1)],
	[substring(a, p, -1), substring(b, p + 1, -1)],
] if p := _prefix(a, b)

# What Argo CD does without the key it reads.
_outcome(obj, canonical) := "Argo CD ignores it: the object is applied as a plain resource in the Sync phase" if {
	_key_name(canonical) == "hook"
	lib.resource(obj)
}

_outcome(obj, canonical) := sprintf("Argo CD ignores it and takes the object's hook types from its other annotations only (%s)", [lib.join(_types(obj))]) if {
	_key_name(canonical) == "hook"
	not lib.resource(obj)
	count(_types(obj)) > 0
}

_outcome(obj, canonical) := "Argo CD ignores it" if {
	_key_name(canonical) == "hook"
	not lib.resource(obj)
	count(_types(obj)) == 0
}

_outcome(obj, canonical) := sprintf("Argo CD ignores it: the hook's delete policy stays %s", [lib.join(obj.argocd.deletePolicies)]) if {
	_key_name(canonical) == "hook-delete-policy"
	lib.is_hook(obj)
}

_outcome(obj, canonical) := "Argo CD ignores it" if {
	_key_name(canonical) == "hook-delete-policy"
	not lib.is_hook(obj)
}

_outcome(obj, canonical) := sprintf("Argo CD ignores it: the object runs in wave %d", [obj.argocd.wave]) if {
	_key_name(canonical) in {"sync-wave", "hook-weight"}
	_synced(obj)
}

_outcome(obj, canonical) := "Argo CD ignores it" if {
	_key_name(canonical) in {"sync-wave", "hook-weight"}
	not _synced(obj)
}

_synced(obj) if lib.resource(obj)

_synced(obj) if lib.sync_hook(obj)

_outcome(_, canonical) := "Argo CD ignores it: none of its sync options apply" if {
	_key_name(canonical) == "sync-options"
}

_outcome(_, canonical) := "Argo CD ignores it: none of its compare options apply" if {
	_key_name(canonical) == "compare-options"
}

_outcome(_, canonical) := "Argo CD ignores it: a keep policy does not stop Argo CD from deleting the object with the Application" if {
	_key_name(canonical) == "resource-policy"
}

_key_name(key) := split(key, "/")[1]

_types(obj) := array.concat(obj.argocd.types, obj.argocd.deleteTypes)
