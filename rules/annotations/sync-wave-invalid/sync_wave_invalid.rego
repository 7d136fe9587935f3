# METADATA
# title: Sync wave is not an integer
# description: >-
#   argocd.argoproj.io/sync-wave (or helm.sh/hook-weight) is present but is
#   not an integer by Go's strconv.Atoi rules (" 5", "1.5" and "five" are not).
#   Argo CD silently falls back to the Helm weight, then to wave 0, so the
#   object runs in a different order than written.
# custom:
#   id: sync-wave-invalid
#   severity: error
#   remediation: Write the wave as a quoted integer with no spaces, such as "-1" or "5".
package hookguard.rules.annotations["sync-wave-invalid"]

import data.hookguard.lib

report contains lib.violation_at(obj, lib.annotation_path(item.key), msg) if {
	some obj in input.objects
	some item in obj.argocd.invalidWaves
	msg := sprintf("%s: %s %q is not an integer for Argo CD (strconv.Atoi)%s; it runs in wave %d%s", [obj.ref, item.key, item.value, _hint(item), obj.argocd.wave, _source(obj)])
}

_hint(item) := sprintf(" (did you mean %q?)", [_suggestion(item)]) if _suggestion(item) != ""

_hint(item) := "" if _suggestion(item) == ""

_source(obj) := " (the default)" if obj.argocd.waveSource == "default"

_source(obj) := sprintf(" (from %s)", [obj.argocd.waveSource]) if obj.argocd.waveSource != "default"

_suggestion(item) := object.get(item, "suggestion", "")
