# METADATA
# title: Hook runs another release than the app
# description: >-
#   A hook uses the same image repository as a long-running workload
#   (Deployment, StatefulSet, DaemonSet, ReplicaSet) of the same app, with
#   a different tag or digest. The migration or check then runs another
#   release than the one being deployed, usually because one of the two was
#   not bumped.
# custom:
#   id: hook-image-drift
#   severity: error
#   remediation: Use the same image tag (or digest) in the hook as in the workload it prepares, from one value.
#   kinds: [Pod, Job, CronJob, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController]
package hookguard.rules.images["hook-image-drift"]

import data.hookguard.lib

# The images the app deploys, one per workload container, computed once.
_images := {{"repo": ref.repo, "image": c.container.image, "version": _version(ref), "obj": w.index} |
	some w in input.objects
	lib.workload(w)
	some c in lib.containers(w)
	is_string(c.container.image)
	ref := lib.parse_image(c.container.image)
}

# ... by repository: a complete rule over the distinct repositories, so a
# hook's image is looked up, never searched for (rules/README.md). OPA
# indexes the inner comprehension on repo.
_deployed := {repo: images |
	some repo in {d.repo | some d in _images}
	images := {d | some d in _images; d.repo == repo}
}

report contains lib.violation_at(hook, array.concat(hc.path, ["image"]), msg) if {
	some hook in input.objects
	lib.is_hook(hook)
	some hc in lib.containers(hook)
	is_string(hc.container.image)
	h := lib.parse_image(hc.container.image)
	some d in _deployed[h.repo]
	_version(h) != d.version
	w := input.objects[d.obj]
	msg := sprintf("%s: container %q runs %q but %s (%s) deploys %q: the hook runs another release than the app", [hook.ref, object.get(hc.container, "name", "?"), hc.container.image, w.ref, lib.where(w), d.image])
}

_version(ref) := ref.digest if ref.digest != ""

_version(ref) := ref.tag if {
	ref.digest == ""
	ref.tag != ""
}

_version(ref) := "latest" if {
	ref.digest == ""
	ref.tag == ""
}
