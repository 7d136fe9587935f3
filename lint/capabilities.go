package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// blockedBuiltins reach outside the process: the network (http.send, DNS),
// or the environment and configuration of the process (opa.runtime, which
// would put the sidecar's environment into a finding). Rules and custom
// policies run on untrusted repositories, so they compile without them.
var blockedBuiltins = []string{"http.send", "net.lookup_ip_addr", "opa.runtime"}

// capabilities are OPA's built-ins of this version without blockedBuiltins.
func capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0]
	for _, b := range caps.Builtins {
		if !slices.Contains(blockedBuiltins, b.Name) {
			kept = append(kept, b)
		}
	}
	caps.Builtins = kept
	caps.AllowNet = []string{} // no host, should a built-in try
	return caps
}

// explainBlocked rewrites OPA's "undefined function" for a blocked built-in
// into the reason it is missing.
func explainBlocked(errs ast.Errors) error {
	var lines []string
	for _, e := range errs {
		msg := e.Error()
		for _, b := range blockedBuiltins {
			if strings.Contains(e.Message, "undefined function "+b) {
				msg = fmt.Sprintf("%s: built-in %s is not allowed: hookguard evaluates rules without network or process access", e.Location, b)
			}
		}
		lines = append(lines, msg)
	}
	return fmt.Errorf("policy does not compile: %s", strings.Join(lines, "\n"))
}
