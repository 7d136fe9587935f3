# METADATA
# title: Hook generateName too long
# description: >-
#   Argo CD names a generateName hook <generateName><revision>-<phase>-<time>,
#   a suffix of up to 27 characters. A Job's name must fit in a 63-character
#   label, so a Job hook's generateName longer than 36 characters makes the Job
#   invalid and the sync fails.
# custom:
#   id: hook-generate-name-too-long
#   severity: error
#   remediation: Shorten the hook Job's generateName to 36 characters or fewer.
#   kinds: [Job]
package hookguard.rules.lifecycle["hook-generate-name-too-long"]

import data.hookguard.lib

report contains lib.violation_at(obj, ["metadata", "generateName"], msg) if {
	some obj in input.objects
	lib.sync_hook(obj)
	obj.kind == "Job"
	lib.generate_name_only(obj)
	n := count(obj.generateName)
	n > 36
	msg := sprintf("%s: generateName %q is %d characters; with Argo CD's suffix (up to 27) the Job name exceeds 63 characters and the sync fails", [obj.ref, obj.generateName, n])
}
