package custom

test_deny_job_without_deadline if {
	deny["Job m has no activeDeadlineSeconds"] with input as {"kind": "Job", "metadata": {"name": "m"}, "spec": {}}
}

test_warn_docker_hub if {
	some w in warn_image_registry with input as {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "docker.io/x"}]}}}}
	w.msg == "container c pulls from Docker Hub"
}
