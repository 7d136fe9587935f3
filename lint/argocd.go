package lint

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/hookguard/hookguard/internal/hooks"
)

// argocdFile is the module that carries Argo CD's words into Rego.
const argocdFile = "hookguard/argocd.rego"

// argocdModule writes package hookguard.argocd from internal/hooks: the role
// names, the phase each Helm sync hook value maps to, and, per version
// switch, the first release with the behaviour and the last without it. Rules use these instead of literals, so no rule names
// a role string or an Argo CD version.
func argocdModule() string {
	roles := map[string]hooks.Role{
		"resource": hooks.RoleResource, "hook": hooks.RoleHook, "skipped": hooks.RoleSkipped,
		"deleteHook": hooks.RoleDeleteHook, "dropped": hooks.RoleDropped,
	}
	since, lastWithout := map[string]string{}, map[string]string{}
	for _, s := range hooks.Switches {
		since[s.Name], lastWithout[s.Name] = s.Since.Short(), s.LastWithout
	}
	var b strings.Builder
	b.WriteString("# Generated from internal/hooks (lint/argocd.go).\npackage hookguard.argocd\n\n")
	for _, def := range []struct {
		name  string
		value any
	}{{"roles", roles}, {"since", since}, {"last_without", lastWithout}, {"helm_phases", hooks.HelmSyncHooks()}} {
		data, err := json.Marshal(def.value)
		if err != nil {
			panic(fmt.Sprintf("internal: %v", err))
		}
		fmt.Fprintf(&b, "%s := %s\n\n", def.name, data)
	}
	return b.String()
}

var versionPlaceholder = regexp.MustCompile(`\{(since|lastWithout)\.([A-Za-z]+)\}`)

// expandVersions fills {since.<switch>} and {lastWithout.<switch>} in a
// rule's METADATA text from internal/hooks.
func expandVersions(text string) string {
	return versionPlaceholder.ReplaceAllStringFunc(text, func(m string) string {
		parts := versionPlaceholder.FindStringSubmatch(m)
		for _, s := range hooks.Switches {
			if s.Name != parts[2] {
				continue
			}
			if parts[1] == "since" {
				return s.Since.Short()
			}
			return s.LastWithout
		}
		return m
	})
}
