package hookguard.rules.annotations["annotation-key-misspelled_test"]

import data.hookguard.rules.annotations["annotation-key-misspelled"] as rule

_resource := {"role": "resource", "types": [], "deleteTypes": [], "deletePolicies": [], "wave": 0}

_obj(annotations, labels, facts) := {
	"index": 0, "ref": "Job shop/migrate", "annotations": annotations,
	"raw": {"metadata": {"annotations": annotations, "labels": labels}}, "argocd": facts,
}

_report(annotations) := r if {
	r := rule.report with input as {"objects": [_obj(annotations, {}, _resource)]}
}

# Each slip of the brief and a few more, with the key Argo CD reads for it.
_slips := {
	"argocd.argoproj.io/hooks": "argocd.argoproj.io/hook",
	"argocd.argoproj.io/Hook": "argocd.argoproj.io/hook",
	"argocd.argoproj.io/HOOK": "argocd.argoproj.io/hook",
	"argocd.argoproj.io/hook-type": "argocd.argoproj.io/hook",
	"argocd.argoproj.io/hook-deletion-policy": "argocd.argoproj.io/hook-delete-policy",
	"argocd.argoproj.io/hook-delete-polcy": "argocd.argoproj.io/hook-delete-policy",
	"argocd.argoproj.io/hookDeletePolicy": "argocd.argoproj.io/hook-delete-policy",
	"argocd.argoproj.io/hook_delete_policy": "argocd.argoproj.io/hook-delete-policy",
	"argocd.argoproj.io/delete-policy": "argocd.argoproj.io/hook-delete-policy",
	"argocd.argoproj.io/syncwave": "argocd.argoproj.io/sync-wave",
	"argocd.argoproj.io/sync_wave": "argocd.argoproj.io/sync-wave",
	"argocd.argoproj.io/Sync-Wave": "argocd.argoproj.io/sync-wave",
	"argocd.argoproj.io/sync-waves": "argocd.argoproj.io/sync-wave",
	"argocd.argoproj.io/hook-weight": "argocd.argoproj.io/sync-wave",
	"argocd.argoproj.io/sync-option": "argocd.argoproj.io/sync-options",
	"argocd.argoproj.io/compare-option": "argocd.argoproj.io/compare-options",
	"helm.sh/hooks": "helm.sh/hook",
	"helm.sh/Hook": "helm.sh/hook",
	"helm.sh/hook-delete": "helm.sh/hook-delete-policy",
	"helm.sh/hook-deletion-policy": "helm.sh/hook-delete-policy",
	"helm.sh/hook-weigth": "helm.sh/hook-weight",
	"helm.sh/hook_weight": "helm.sh/hook-weight",
	"helm.sh/resource-polcy": "helm.sh/resource-policy",
	"helm.sh/sync-wave": "argocd.argoproj.io/sync-wave",
	"argoproj.io/hook": "argocd.argoproj.io/hook",
	"argoproj.io/sync-wave": "argocd.argoproj.io/sync-wave",
	"argocd.io/hook-delete-policy": "argocd.argoproj.io/hook-delete-policy",
	"argocd.argproj.io/hook": "argocd.argoproj.io/hook",
	"argo-cd.argoproj.io/hook": "argocd.argoproj.io/hook",
	"ArgoCD.argoproj.io/hook": "argocd.argoproj.io/hook",
	"helm.io/hook": "helm.sh/hook",
	"helm.s/hook-weight": "helm.sh/hook-weight",
}

test_fail_every_slip_names_the_key_argo_reads if {
	every key, canonical in _slips {
		r := _report({key: "PreSync"})
		count(r) == 1
		some v in r
		contains(v.msg, sprintf("annotation %q is not a key Argo CD reads (did you mean %q?)", [key, canonical]))
		v.path == ["metadata", "annotations", key]
	}
}

test_fail_misspelled_hook_makes_a_plain_resource if {
	r := _report({"argocd.argoproj.io/hooks": "PreSync"})
	some v in r
	v.msg == `Job shop/migrate: annotation "argocd.argoproj.io/hooks" is not a key Argo CD reads (did you mean "argocd.argoproj.io/hook"?); Argo CD ignores it: the object is applied as a plain resource in the Sync phase`
}

# The Helm hook still makes it a hook; the message says where its types come from.
test_fail_misspelled_argo_hook_with_helm_hook if {
	facts := {"role": "hook", "types": ["PreSync"], "deleteTypes": [], "deletePolicies": ["BeforeHookCreation"], "wave": 0}
	r := rule.report with input as {"objects": [_obj({"argocd.argoproj.io/hooks": "PostSync", "helm.sh/hook": "pre-install"}, {}, facts)]}
	count(r) == 1
	some v in r
	contains(v.msg, "takes the object's hook types from its other annotations only (PreSync)")
}

test_fail_misspelled_delete_policy_keeps_default if {
	facts := {"role": "hook", "types": ["PreSync"], "deleteTypes": [], "deletePolicies": ["BeforeHookCreation"], "wave": 0}
	r := rule.report with input as {"objects": [_obj({"argocd.argoproj.io/hook": "PreSync", "argocd.argoproj.io/hook-deletion-policy": "HookSucceeded"}, {}, facts)]}
	count(r) == 1
	some v in r
	contains(v.msg, "the hook's delete policy stays BeforeHookCreation")
}

test_fail_misspelled_wave if {
	facts := {"role": "hook", "types": ["PreSync"], "deleteTypes": [], "deletePolicies": ["BeforeHookCreation"], "wave": 0}
	r := rule.report with input as {"objects": [_obj({"argocd.argoproj.io/hook": "PreSync", "argocd.argoproj.io/syncwave": "-5"}, {}, facts)]}
	some v in r
	contains(v.msg, "the object runs in wave 0")
}

test_fail_hook_written_as_label if {
	r := rule.report with input as {"objects": [_obj({}, {"argocd.argoproj.io/hook": "PreSync", "app.kubernetes.io/name": "shop"}, _resource)]}
	count(r) == 1
	some v in r
	v.msg == `Job shop/migrate: label "argocd.argoproj.io/hook": Argo CD reads "argocd.argoproj.io/hook" from annotations only; Argo CD ignores it: the object is applied as a plain resource in the Sync phase`
	v.path == ["metadata", "labels", "argocd.argoproj.io/hook"]
}

test_fail_misspelled_label if {
	r := rule.report with input as {"objects": [_obj({}, {"helm.sh/hook-weigth": "5"}, _resource)]}
	some v in r
	contains(v.msg, `label "helm.sh/hook-weigth": Argo CD reads "helm.sh/hook-weight" from annotations only`)
}

# The label disagrees with the annotation: the label's intent is lost.
test_fail_label_with_another_value if {
	facts := {"role": "hook", "types": ["PreSync"], "deleteTypes": [], "deletePolicies": ["BeforeHookCreation"], "wave": 0}
	r := rule.report with input as {"objects": [_obj({"argocd.argoproj.io/hook": "PreSync"}, {"argocd.argoproj.io/hook": "PostSync"}, facts)]}
	count(r) == 1
}

# Exact boundaries: two edits for a long name, one for a name of up to five
# characters, two for the long domain, one for helm.sh.
test_fail_at_the_distance_bound if {
	count(_report({"argocd.argoproj.io/sync-wavxy": "1"})) == 1
	count(_report({"argocd.argoproj.io/hooky": "Sync"})) == 1
	count(_report({"argocd.argoprxj.ixo/hook": "Sync"})) == 1
	count(_report({"helmm.sh/hook": "pre-install"})) == 1
}

test_success_beyond_the_distance_bound if {
	_report({"argocd.argoproj.io/sync-waxyz": "1"}) == set()
	_report({"argocd.argoproj.io/host": "Sync"}) == set()
	_report({"argocd.argoproj.xyz/hook": "Sync"}) == set()
	_report({"hem.s/hook": "pre-install"}) == set()
}

test_success_levenshtein if {
	rule._within2("kitten", "kitten")
	rule._within1("hook", "hooks")
	rule._within1("hooks", "hook")
	rule._within1("", "a")
	rule._within2("weight", "weigth")
	rule._within2("ab", "ba")
	not rule._within1("ab", "ba")
	not rule._within2("kitten", "sitting")
	not rule._within2("", "abc")
	not rule._within2("abc", "")
	rule._within2("abc", "a")
}

test_success_keys_argo_reads if {
	keys := {
		"argocd.argoproj.io/hook": "PreSync",
		"argocd.argoproj.io/hook-delete-policy": "HookSucceeded",
		"argocd.argoproj.io/sync-wave": "-1",
		"argocd.argoproj.io/sync-options": "Replace=true",
		"argocd.argoproj.io/compare-options": "IgnoreExtraneous",
		"helm.sh/hook": "pre-install",
		"helm.sh/hook-weight": "1",
		"helm.sh/hook-delete-policy": "hook-succeeded",
		"helm.sh/resource-policy": "keep",
	}
	_report(keys) == set()
}

# Real keys of Argo CD, its sister projects and Helm, several near a domain above.
test_success_other_real_keys if {
	keys := {
		"argocd.argoproj.io/hook-finalizer": "x",
		"argocd.argoproj.io/ignore-restart-policy": "true",
		"argocd.argoproj.io/tracking-id": "x",
		"argocd.argoproj.io/managed-by": "x",
		"argocd.argoproj.io/instance": "x",
		"argocd.argoproj.io/secret-type": "x",
		"argocd.argoproj.io/refresh": "x",
		"argocd.argoproj.io/skip-reconcile": "x",
		"argocd.argoproj.io/manifest-generate-paths": "x",
		"argocd.argoproj.io/deletion-approved": "x",
		"argo-cd.argoproj.io/installation-id": "x",
		"argoproj.io/cluster": "x",
		"link.argocd.argoproj.io/external-link": "x",
		"notifications.argoproj.io/subscribe.on-sync-succeeded.slack": "x",
		"argocd-image-updater.argoproj.io/image-list": "x",
		"workflows.argoproj.io/scheduled-time": "x",
		"rollout.argoproj.io/revision": "x",
		"meta.helm.sh/release-name": "x",
		"helm.sh/chart": "x",
		"helm.sh/hook-delete-timeout": "x",
		"hookguard.io/ignore": "x",
		"hook": "PreSync",
		"sync-wave": "1",
	}
	_report(keys) == set()
}

test_success_common_labels if {
	labels := {"app.kubernetes.io/instance": "shop", "argocd.argoproj.io/instance": "shop", "argocd.argoproj.io/managed-by": "argocd", "argocd.argoproj.io/secret-type": "repository", "helm.sh/chart": "shop-1.0.0"}
	rule.report == set() with input as {"objects": [_obj({}, labels, _resource)]}
}

# Argo CD's own e2e (pre-delete-hook) labels a hook with the value it already
# has as an annotation: the label is redundant, not lost.
test_success_redundant_with_the_annotation if {
	facts := {"role": "delete-hook", "types": [], "deleteTypes": ["PreDelete"], "deletePolicies": ["BeforeHookCreation"], "wave": 0}
	obj := _obj({"argocd.argoproj.io/hook": "PreDelete", "argocd.argoproj.io/Hook": "PreDelete"}, {"argocd.argoproj.io/hook-type": "PreDelete", "argocd.argoproj.io/hook": "PreDelete"}, facts)
	rule.report == set() with input as {"objects": [obj]}
}
