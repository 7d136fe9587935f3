package plugin

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/config"
	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/guard"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/internal/normalize"
	"github.com/hookguard/hookguard/internal/render"
	"github.com/hookguard/hookguard/internal/workspace"
	"github.com/hookguard/hookguard/lint"
)

// Request is one `generate` call: the app directory (the working directory
// argocd-cmp-server runs the command in) and the environment.
type Request struct {
	Dir string
	Env Env
	// Version is hookguard's version, for reports.
	Version string
}

// Outcome is what `generate` prints.
type Outcome struct {
	// Output is the YAML stream for stdout; empty unless the sync may go on.
	Output []byte
	// Log lines go to stderr (what was rendered, every change, timing).
	Log []string
	// Warnings is the report of findings below the gate, for stderr.
	Warnings string
	// Blocked is true when findings reached the gate; Report says why.
	Blocked bool
	Report  string
}

// ErrEmpty is returned when the app renders no object and allow-empty is off.
var ErrEmpty = errors.New("the app rendered no object; Argo CD would prune every resource of the app (set the allow-empty parameter to allow this)")

// Generate renders, normalizes and lints the app under the admin's policy
// (ReadAdmin): within its deadline, memory and input budget, with its
// minimum gate and locked rules. A render or configuration error is
// returned as an error; findings at or above the gate block.
//
// Every path it prints is relative to the repository root, never the
// temporary copy argocd-cmp-server made (see message.go).
func Generate(ctx context.Context, req Request) (*Outcome, error) {
	dir, err := filepath.Abs(req.Dir)
	if err != nil {
		return &Outcome{}, err
	}
	root := workspace.CMPRoot(dir, req.Env["ARGOCD_APP_SOURCE_PATH"])
	out, err := generate(ctx, req, root)
	for i, l := range out.Log {
		out.Log[i] = scrubPaths(root, l)
	}
	out.Report, out.Warnings = scrubPaths(root, out.Report), scrubPaths(root, out.Warnings)
	return out, scrubError(root, err)
}

// generate is Generate before its paths are made relative to root.
func generate(ctx context.Context, req Request, root string) (*Outcome, error) {
	start := time.Now()
	out := &Outcome{}
	logf := func(format string, args ...any) { out.Log = append(out.Log, fmt.Sprintf(format, args...)) }

	admin, err := ReadAdmin(req.Env)
	if err != nil {
		return out, err
	}
	ctx, cancel := guard.WithDeadline(ctx, admin.Deadline)
	defer cancel()
	ctx, stop := guard.WatchMemory(ctx, admin.MemoryBytes)
	defer stop()

	// The built-in catalog compiles while the app renders; a repository
	// with policies of its own, known once its config is read, compiles
	// its engine then.
	type built struct {
		engine *lint.Engine
		err    error
	}
	catalog := make(chan built, 1)
	go func() {
		e, err := lint.NewEngine(ctx, nil)
		catalog <- built{e, err}
	}()
	p, err := prepare(ctx, req, admin, logf)
	if err != nil {
		return out, err
	}
	objs, s, settings, cfg := p.objects, p.params, p.settings, p.cfg
	repoRelative(objs, root)

	var engine *lint.Engine
	if len(cfg.Policies) == 0 {
		b := <-catalog
		engine, err = b.engine, b.err
	} else {
		engine, err = lint.NewEngine(ctx, cfg.Policies)
	}
	if err != nil {
		return out, err
	}
	settings.Rules.Locked, settings.Rules.SuppressLocked = admin.Locked(engine.Rules()), admin.AllowSuppressions
	res, err := engine.Run(ctx, app.Build(objs, settings.App), settings.Rules)
	if err != nil {
		if cause := guard.Err(ctx); cause != nil {
			return out, fmt.Errorf("linting stopped: %w", cause)
		}
		return out, err
	}
	for _, n := range res.Notes {
		logf("warning: %s", n)
	}
	if err := guard.Err(ctx); err != nil {
		return out, err
	}
	if s.gate != "" && res.Failed(s.gate) {
		out.Blocked, out.Report = true, blockedReport(s.gate, res.Findings, req.Env["ARGOCD_APP_SOURCE_PATH"])
		logf("done in %s", time.Since(start).Round(time.Millisecond))
		return out, nil
	}
	out.Warnings = warningsReport(res.Findings)
	out.Output, err = manifest.Encode(objs)
	if err != nil {
		return out, err
	}
	logf("done in %s", time.Since(start).Round(time.Millisecond))
	return out, nil
}

// prepared is an app rendered and normalized as the sidecar renders it,
// with the settings its lint runs under.
type prepared struct {
	objects  []manifest.Object
	params   settings
	settings lint.Settings
	cfg      *config.File
}

// prepare reads the request's parameters within the admin's policy, finds
// the repository's configuration, renders the app and normalizes it.
func prepare(ctx context.Context, req Request, admin Admin, logf func(string, ...any)) (*prepared, error) {
	env := req.Env
	if !admin.AllowAppParameters {
		env = withoutAppParameters(env, logf)
	}
	values, err := ReadValues(env)
	if err != nil {
		return nil, err
	}
	s, err := readSettings(values, env)
	if err != nil {
		return nil, err
	}
	if err := s.within(admin, logf); err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(req.Dir)
	if err != nil {
		return nil, err
	}
	root := workspace.CMPRoot(dir, req.Env["ARGOCD_APP_SOURCE_PATH"])

	cfg := &config.File{}
	if admin.AllowRepoConfig {
		if cfg, err = workspace.Config("", dir, root); err != nil {
			return nil, err
		}
	} else {
		logf("the repository's %s is not read: the admin does not allow repository configuration", config.FileName)
	}
	settings, err := lint.FromConfig(cfg)
	if err != nil {
		return nil, err
	}
	settings.App.Version, settings.App.Complete = s.version, true
	for _, id := range values.Array("disable-rules") {
		settings.Rules.Disabled[id] = true
	}
	confined, err := confine.New(root)
	if err != nil {
		return nil, err
	}
	for _, p := range cfg.Policies {
		if _, _, err := confined.Resolve(p); err != nil {
			return nil, fmt.Errorf("%s: policy directory: %w", cfg.Path, err)
		}
	}

	budget := manifest.NewBudget(admin.Budget)
	ws := workspace.Workspace{Root: root, Render: render.Options{
		AllowRemote: s.allowRemote, KustomizeHelm: s.kustomizeHelm,
		ReleaseName: s.releaseName, Namespace: req.Env["ARGOCD_APP_NAMESPACE"],
		ValuesFiles: values.Array("values-files"), Set: setValues(values.Map("helm-set")),
		KubeVersion: req.Env["KUBE_VERSION"], APIVersions: render.ParseAPIVersions(req.Env["KUBE_API_VERSIONS"]),
		Budget: budget,
	}}
	rendered, err := guard.Run(ctx, "rendering", func() (*render.Result, error) { return ws.RenderApp(dir) })
	if err != nil {
		return nil, err
	}
	logf("rendered %s app: %d objects", rendered.Kind, len(rendered.Objects))

	objs, err := normalize.Objects(rendered.Objects, s.normalize, func(c normalize.Change) { logf("%s", c) })
	if err != nil {
		return nil, err
	}
	if len(objs) == 0 && !s.allowEmpty {
		return nil, ErrEmpty
	}

	return &prepared{objects: objs, params: s, settings: settings, cfg: cfg}, nil
}

// Objects are the objects the sidecar would give Argo CD for the request
// (rendered and normalized, before the gate), and its log: how
// `hookguard lint --apps` reads an Application whose source is this plugin.
func Objects(ctx context.Context, req Request) ([]manifest.Object, []string, error) {
	var log []string
	logf := func(format string, args ...any) { log = append(log, fmt.Sprintf(format, args...)) }
	admin, err := ReadAdmin(req.Env)
	if err != nil {
		return nil, log, err
	}
	p, err := prepare(ctx, req, admin, logf)
	if err != nil {
		return nil, log, err
	}
	return p.objects, log, nil
}

// withoutAppParameters drops what the Application sets (its parameters and
// plugin env) when the admin does not allow them.
func withoutAppParameters(env Env, logf func(string, ...any)) Env {
	out := Env{}
	dropped := false
	for k, v := range env {
		if k == "ARGOCD_APP_PARAMETERS" || strings.HasPrefix(k, envPrefix) || strings.HasPrefix(k, "PARAM_") {
			dropped = dropped || strings.TrimSpace(v) != "" && v != "[]"
			continue
		}
		out[k] = v
	}
	if dropped {
		logf("the Application's parameters are not read: the admin does not allow them")
	}
	return out
}

// within holds the Application's settings to the admin's policy: the gate
// is raised to the admin's minimum, and what the admin has not allowed is
// refused.
func (s *settings) within(a Admin, logf func(string, ...any)) error {
	gate, note := a.Gate(s.gate)
	if note != "" {
		logf("%s", note)
	}
	s.gate = gate
	if s.allowRemote && !a.AllowRemoteBases {
		return errors.New("parameter allow-remote-bases: the admin does not allow remote bases on this Argo CD (HOOKGUARD_ADMIN_ALLOW_REMOTE_BASES)")
	}
	if s.kustomizeHelm && !a.AllowKustomizeHelm {
		return errors.New("parameter kustomize-enable-helm: the admin does not allow Kustomize Helm inflation on this Argo CD (HOOKGUARD_ADMIN_ALLOW_KUSTOMIZE_HELM)")
	}
	return nil
}

// settings are the parameters after parsing.
type settings struct {
	gate          finding.Severity
	version       hooks.Version
	releaseName   string
	allowEmpty    bool
	allowRemote   bool
	kustomizeHelm bool
	normalize     normalize.Options
}

func readSettings(v Values, env Env) (settings, error) {
	var s settings
	var err error
	switch g := strings.TrimSpace(v.String("gate")); g {
	case "none", "off":
		s.gate = ""
	default:
		if s.gate, err = finding.ParseSeverity(g); err != nil {
			return s, fmt.Errorf("parameter gate: %w (or none)", err)
		}
	}
	if s.version, err = hooks.ParseVersion(v.String("argocd-version")); err != nil {
		return s, fmt.Errorf("parameter argocd-version: %w", err)
	}
	s.releaseName = v.String("release-name")
	if s.releaseName == "" {
		s.releaseName = env["ARGOCD_APP_NAME"]
	}
	bools := map[string]*bool{"allow-empty": &s.allowEmpty, "allow-remote-bases": &s.allowRemote, "kustomize-enable-helm": &s.kustomizeHelm}
	for name, dst := range bools {
		if *dst, err = v.Bool(name); err != nil {
			return s, err
		}
	}
	on, err := v.Bool("normalize")
	if err != nil {
		return s, err
	}
	n := normalize.Options{Version: s.version}
	if on {
		for name, dst := range map[string]*bool{"fix-spelling": &n.Spelling, "translate-helm-hooks": &n.TranslateHelm, "keep-helm-dropped-hooks": &n.KeepHelmDropped, "explicit-before-hook-creation": &n.BeforeHookCreation} {
			if *dst, err = v.Bool(name); err != nil {
				return s, err
			}
		}
		if n.BackoffLimit, err = v.Int("default-backoff-limit"); err != nil {
			return s, err
		}
		if n.ActiveDeadlineSeconds, err = v.Int("default-active-deadline-seconds"); err != nil {
			return s, err
		}
		selectors := v.Map("hook-selectors")
		for _, k := range slices.Sorted(maps.Keys(selectors)) {
			h, err := normalize.ParseSelectorHook(k, selectors[k])
			if err != nil {
				return s, fmt.Errorf("parameter hook-selectors: %w", err)
			}
			n.Selectors = append(n.Selectors, h)
		}
	}
	s.normalize = n
	return s, nil
}

// setValues turns the helm-set map into --set expressions, in key order.
// Values are escaped as Argo CD escapes its own Helm parameters
// (util/helm/cmd.go cleanSetParameters): a comma is part of the value, not a
// second assignment, unless the value is a {list}.
func setValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, k+"="+render.EscapeSetValue(m[k]))
	}
	return out
}
