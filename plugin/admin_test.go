package plugin

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/finding"
)

func TestReadAdminDefaultsFileAndEnv(t *testing.T) {
	a, err := ReadAdmin(Env{})
	require.NoError(t, err)
	assert.Equal(t, DefaultAdmin(), a)

	file := filepath.Join(t.TempDir(), "policy.yaml")
	require.NoError(t, os.WriteFile(file, []byte("minGate: warning\nlockedRules: [hook-backoff-limit]\ndeadline: 20s\nbudget: {objects: 100}\n"), 0o644))
	a, err = ReadAdmin(Env{AdminPolicyEnv: file, "HOOKGUARD_ADMIN_ALLOW_SUPPRESSIONS": "true", "HOOKGUARD_ADMIN_DEADLINE": "30s"})
	require.NoError(t, err)
	assert.Equal(t, finding.SeverityWarning, a.MinGate)
	assert.Equal(t, []string{"hook-backoff-limit"}, a.LockedRules)
	assert.Equal(t, int64(100), a.Budget.Objects)
	assert.True(t, a.AllowSuppressions)
	assert.Equal(t, 30*time.Second, a.Deadline, "the sidecar's variable wins over the file")

	for env, want := range map[string]string{
		"HOOKGUARD_ADMIN_MIN_GATE":   "admin policy minGate",
		"HOOKGUARD_ADMIN_DEADLINE":   "not a duration",
		"HOOKGUARD_ADMIN_ALLOW_WHAT": "not a hookguard admin setting",
		"HOOKGUARD_ADMIN_MAX_NODES":  "not a positive integer",
	} {
		_, err := ReadAdmin(Env{env: "loud"})
		assert.ErrorContains(t, err, want, env)
	}
	_, err = ReadAdmin(Env{AdminPolicyEnv: file + ".missing"})
	assert.Error(t, err)
}

// The Application's plugin env arrives as ARGOCD_ENV_*: it can never set
// the admin's policy, and it is an unknown plugin env, not a silent no-op.
func TestApplicationCannotSetAdminPolicy(t *testing.T) {
	env := Env{"ARGOCD_ENV_HOOKGUARD_ADMIN_MIN_GATE": "none"}
	a, err := ReadAdmin(env)
	require.NoError(t, err)
	assert.Equal(t, finding.SeverityError, a.MinGate)
	_, err = ReadValues(env)
	assert.ErrorContains(t, err, "unknown plugin env HOOKGUARD_ADMIN_MIN_GATE")
}

func TestGateIsRaisedToTheAdminsMinimum(t *testing.T) {
	a := DefaultAdmin()
	for requested, want := range map[finding.Severity]finding.Severity{
		"": finding.SeverityError, finding.SeverityInfo: finding.SeverityInfo,
		finding.SeverityWarning: finding.SeverityWarning, finding.SeverityError: finding.SeverityError,
	} {
		got, _ := a.Gate(requested)
		assert.Equal(t, want, got, "requested %q", requested)
	}
	a.MinGate = finding.SeverityInfo
	got, note := a.Gate(finding.SeverityError)
	assert.Equal(t, finding.SeverityInfo, got)
	assert.Contains(t, note, "gate error is looser than the admin's minimum info")
	a.MinGate = "none"
	got, _ = a.Gate("")
	assert.Equal(t, finding.Severity(""), got, "the admin may let apps switch the gate off")
}

func TestLockedRules(t *testing.T) {
	rules := []finding.Rule{{ID: "e", Severity: finding.SeverityError}, {ID: "w", Severity: finding.SeverityWarning}}
	a := DefaultAdmin()
	assert.Equal(t, map[string]bool{"e": true}, a.Locked(rules))
	a.LockedRules = []string{"w"}
	assert.Equal(t, map[string]bool{"e": true, "w": true}, a.Locked(rules))
	a.LockSeverity, a.LockedRules = "none", nil
	assert.Empty(t, a.Locked(rules))
}

// What the admin has not allowed, the Application cannot turn on.
func TestSettingsWithinAdmin(t *testing.T) {
	var logs []string
	logf := func(f string, args ...any) { logs = append(logs, f) }
	s := settings{gate: "", allowRemote: true}
	assert.ErrorContains(t, s.within(DefaultAdmin(), logf), "the admin does not allow remote bases")
	s = settings{gate: finding.SeverityError, kustomizeHelm: true}
	assert.ErrorContains(t, s.within(DefaultAdmin(), logf), "the admin does not allow Kustomize Helm inflation")
	a := DefaultAdmin()
	a.AllowRemoteBases, a.AllowKustomizeHelm = true, true
	s = settings{gate: "", allowRemote: true, kustomizeHelm: true}
	require.NoError(t, s.within(a, logf))
	assert.Equal(t, finding.SeverityError, s.gate)
}
