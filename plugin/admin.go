package plugin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/manifest"
)

// Admin is what the Argo CD admin sets on the sidecar, and nothing the
// gated repository or the Application can change: it comes only from the
// sidecar container's own environment (HOOKGUARD_ADMIN_*) or from a file in
// the image or mounted from a ConfigMap (HOOKGUARD_ADMIN_POLICY). Argo CD
// passes an Application's plugin env only as ARGOCD_ENV_*, so an app cannot
// set these. The repository (.hookguard.yaml, hookguard.io/ignore) and the
// Application's parameters may only tighten within it.
type Admin struct {
	// MinGate is the loosest gate allowed: a gate parameter or plugin env
	// asking for less (a higher severity, or none) is raised to it. "none"
	// lets the Application switch the gate off.
	MinGate finding.Severity `yaml:"minGate"`
	// LockSeverity locks every rule whose default severity is at or above it
	// ("none": no rule locked by severity); LockedRules locks more by id. A
	// locked rule cannot be disabled, re-graded lower or suppressed.
	LockSeverity string   `yaml:"lockSeverity"`
	LockedRules  []string `yaml:"lockedRules"`
	// AllowSuppressions honours hookguard.io/ignore on locked rules too.
	AllowSuppressions bool `yaml:"allowSuppressions"`
	// AllowRepoConfig reads the repository's .hookguard.yaml (its custom
	// policies included); off, the repository configures nothing.
	AllowRepoConfig bool `yaml:"allowRepoConfig"`
	// AllowAppParameters honours the Application's parameters and plugin
	// env; off, only the admin's settings apply.
	AllowAppParameters bool `yaml:"allowAppParameters"`
	// AllowRemoteBases and AllowKustomizeHelm gate the parameters of the
	// same names: without the admin's permission they are refused.
	AllowRemoteBases   bool `yaml:"allowRemoteBases"`
	AllowKustomizeHelm bool `yaml:"allowKustomizeHelm"`
	// Deadline bounds the whole run; Argo CD's own timeout for a plugin is
	// 60 s (ARGOCD_EXEC_TIMEOUT) and the sidecar's 90 s, so the default
	// stays below them and the admin sees hookguard's reason, not a timeout.
	Deadline time.Duration `yaml:"deadline"`
	// MemoryBytes bounds the process's heap while rendering and linting.
	MemoryBytes int64 `yaml:"memoryBytes"`
	// Budget bounds the input of a run.
	Budget manifest.Limits `yaml:"budget"`
}

// DefaultAdmin is the shipped sidecar's policy.
func DefaultAdmin() Admin {
	return Admin{
		MinGate: finding.SeverityError, LockSeverity: string(finding.SeverityError),
		AllowRepoConfig: true, AllowAppParameters: true,
		Deadline: 45 * time.Second, MemoryBytes: 1 << 30, Budget: manifest.DefaultLimits(),
	}
}

// gateNone as the admin's minimum gate lets Applications switch the gate off.
const gateNone finding.Severity = "none"

// AdminPolicyEnv names the admin's policy file.
const AdminPolicyEnv = "HOOKGUARD_ADMIN_POLICY"

// adminEnvPrefix marks the sidecar's own admin variables.
const adminEnvPrefix = "HOOKGUARD_ADMIN_"

// ReadAdmin reads the admin policy: defaults, then the file named by
// HOOKGUARD_ADMIN_POLICY, then HOOKGUARD_ADMIN_<SETTING> variables. It
// never reads ARGOCD_ENV_* (the Application's).
func ReadAdmin(env Env) (Admin, error) {
	a := DefaultAdmin()
	if path := env[AdminPolicyEnv]; path != "" {
		data, err := readAdminFile(path)
		if err != nil {
			return a, fmt.Errorf("admin policy %s: %w", path, err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&a); err != nil && !errors.Is(err, io.EOF) {
			return a, fmt.Errorf("admin policy %s: %v", path, err)
		}
	}
	for key, value := range env {
		name, ok := strings.CutPrefix(key, adminEnvPrefix)
		if !ok || name == "POLICY" {
			continue
		}
		if err := a.set(name, value); err != nil {
			return a, fmt.Errorf("%s: %w", key, err)
		}
	}
	if _, err := finding.ParseSeverity(string(a.MinGate)); err != nil && a.MinGate != gateNone {
		return a, fmt.Errorf("admin policy minGate: %w (or none)", err)
	}
	if a.LockSeverity != "none" {
		if _, err := finding.ParseSeverity(a.LockSeverity); err != nil {
			return a, fmt.Errorf("admin policy lockSeverity: %w (or none)", err)
		}
	}
	if a.Deadline <= 0 {
		return a, errors.New("admin policy deadline must be positive")
	}
	return a, nil
}

// readAdminFile reads the admin's file, a regular file of bounded size.
func readAdminFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() || info.Size() > 1<<20 {
		return nil, errors.New("not a regular file of at most 1 MiB")
	}
	return os.ReadFile(path)
}

// set applies one HOOKGUARD_ADMIN_<NAME> variable.
func (a *Admin) set(name, value string) error {
	value = strings.TrimSpace(value)
	flags := map[string]*bool{
		"ALLOW_SUPPRESSIONS": &a.AllowSuppressions, "ALLOW_REPO_CONFIG": &a.AllowRepoConfig,
		"ALLOW_APP_PARAMETERS": &a.AllowAppParameters, "ALLOW_REMOTE_BASES": &a.AllowRemoteBases,
		"ALLOW_KUSTOMIZE_HELM": &a.AllowKustomizeHelm,
	}
	if dst, ok := flags[name]; ok {
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("%q is not true or false", value)
		}
		*dst = b
		return nil
	}
	ints := map[string]*int64{
		"MEMORY_BYTES": &a.MemoryBytes, "MAX_INPUT_BYTES": &a.Budget.Bytes,
		"MAX_OBJECTS": &a.Budget.Objects, "MAX_NODES": &a.Budget.Nodes,
	}
	if dst, ok := ints[name]; ok {
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("%q is not a positive integer", value)
		}
		*dst = n
		return nil
	}
	switch name {
	case "MIN_GATE":
		a.MinGate = finding.Severity(strings.ToLower(value))
	case "LOCK_SEVERITY":
		a.LockSeverity = strings.ToLower(value)
	case "LOCKED_RULES":
		a.LockedRules = nil
		for _, id := range strings.Split(value, ",") {
			if id = strings.TrimSpace(id); id != "" {
				a.LockedRules = append(a.LockedRules, id)
			}
		}
	case "DEADLINE":
		d, err := time.ParseDuration(value)
		if err != nil {
			return fmt.Errorf("%q is not a duration (45s, 2m)", value)
		}
		a.Deadline = d
	default:
		return fmt.Errorf("not a hookguard admin setting")
	}
	return nil
}

// Locked returns the rules the repository and the Application cannot
// switch off, re-grade lower or suppress.
func (a Admin) Locked(rules []finding.Rule) map[string]bool {
	locked := map[string]bool{}
	for _, id := range a.LockedRules {
		locked[id] = true
	}
	if a.LockSeverity == "none" {
		return locked
	}
	threshold, _ := finding.ParseSeverity(a.LockSeverity)
	for _, r := range rules {
		if r.Severity.Rank() >= threshold.Rank() {
			locked[r.ID] = true
		}
	}
	return locked
}

// Gate is the effective gate: the requested one, raised to the admin's
// minimum. gate "" is none (never block). The note says what was changed.
func (a Admin) Gate(requested finding.Severity) (gate finding.Severity, note string) {
	if a.MinGate == gateNone || (requested != "" && requested.Rank() <= a.MinGate.Rank()) {
		return requested, ""
	}
	asked := string(requested)
	if asked == "" {
		asked = "none"
	}
	return a.MinGate, fmt.Sprintf("gate %s is looser than the admin's minimum %s: gating at %s", asked, a.MinGate, a.MinGate)
}
