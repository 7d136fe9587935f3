# METADATA
# title: Hook image not pinned
# description: >-
#   A hook container image has the tag latest, or no tag and no digest. Hooks
#   run on every sync; a moving tag runs different code each time, and a
#   re-run after a failure may not run what failed.
# custom:
#   id: hook-image-unpinned
#   severity: warning
#   remediation: Pin the hook image to a version tag or a digest (image@sha256:...).
#   kinds: [Pod, Job, CronJob, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController]
package hookguard.rules.images["hook-image-unpinned"]

import data.hookguard.lib

report contains lib.violation_at(obj, array.concat(c.path, ["image"]), msg) if {
	some obj in input.objects
	lib.is_hook(obj)
	some c in lib.containers(obj)
	image := c.container.image
	is_string(image)
	ref := lib.parse_image(image)
	ref.digest == ""
	ref.tag in {"", "latest"}
	msg := sprintf("%s: container %q uses image %q, %s, so each sync may run different code", [obj.ref, object.get(c.container, "name", "?"), image, _why(ref.tag)])
}

_why("") := "with no tag or digest (latest)"

_why("latest") := "tagged latest"
