# conftest-style rules: input is one object, results are strings or {msg}.
package custom

deny contains msg if {
	input.kind == "Job"
	not input.spec.activeDeadlineSeconds
	msg := sprintf("Job %s has no activeDeadlineSeconds", [input.metadata.name])
}

warn_image_registry contains {"msg": msg} if {
	some c in input.spec.template.spec.containers
	startswith(c.image, "docker.io/")
	msg := sprintf("container %s pulls from Docker Hub", [c.name])
}
