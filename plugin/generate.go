package plugin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/internal/normalize"
	"github.com/hookguard/hookguard/internal/render"
	"github.com/hookguard/hookguard/internal/workspace"
	"github.com/hookguard/hookguard/lint"
	"github.com/hookguard/hookguard/report"
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

// Generate renders, normalizes and lints the app. A render or configuration
// error is returned as an error; findings at or above the gate block.
func Generate(ctx context.Context, req Request) (*Outcome, error) {
	start := time.Now()
	out := &Outcome{}
	logf := func(format string, args ...any) { out.Log = append(out.Log, fmt.Sprintf(format, args...)) }

	values, err := ReadValues(req.Env)
	if err != nil {
		return out, err
	}
	s, err := readSettings(values, req.Env)
	if err != nil {
		return out, err
	}
	dir, err := filepath.Abs(req.Dir)
	if err != nil {
		return out, err
	}
	root := workspace.CMPRoot(dir, req.Env["ARGOCD_APP_SOURCE_PATH"])

	cfg, err := workspace.Config("", dir, root)
	if err != nil {
		return out, err
	}
	settings, err := lint.FromConfig(cfg)
	if err != nil {
		return out, err
	}
	settings.App.Version, settings.App.Complete = s.version, true
	for _, id := range values.Array("disable-rules") {
		settings.Rules.Disabled[id] = true
	}
	for _, p := range cfg.Policies {
		if !strings.HasPrefix(p, root+string(filepath.Separator)) && p != root {
			return out, fmt.Errorf("%s: policy directory %s is outside the repository", cfg.Path, p)
		}
	}

	ws := workspace.Workspace{Root: root, Render: render.Options{
		AllowRemote: s.allowRemote, KustomizeHelm: s.kustomizeHelm,
		ReleaseName: s.releaseName, Namespace: req.Env["ARGOCD_APP_NAMESPACE"],
		ValuesFiles: values.Array("values-files"), Set: setValues(values.Map("helm-set")),
		KubeVersion: req.Env["KUBE_VERSION"], APIVersions: render.ParseAPIVersions(req.Env["KUBE_API_VERSIONS"]),
	}}
	rendered, err := ws.RenderApp(dir)
	if err != nil {
		return out, err
	}
	logf("rendered %s app: %d objects", rendered.Kind, len(rendered.Objects))

	objs, err := normalize.Objects(rendered.Objects, s.normalize, func(c normalize.Change) { logf("%s", c) })
	if err != nil {
		return out, err
	}
	if len(objs) == 0 && !s.allowEmpty {
		return out, ErrEmpty
	}

	engine, err := lint.NewEngine(ctx, cfg.Policies)
	if err != nil {
		return out, err
	}
	res, err := engine.Run(ctx, app.Build(objs, settings.App), settings.Rules)
	if err != nil {
		return out, err
	}
	for _, n := range res.Notes {
		logf("warning: %s", n)
	}
	rep := report.Report{Findings: res.Findings, Rules: engine.Rules(), Objects: res.Objects, FailOn: s.gate, Version: req.Version}
	if s.gate != "" && res.Failed(s.gate) {
		var b bytes.Buffer
		fmt.Fprintf(&b, "hookguard blocked this sync: findings at or above %q\n\n", s.gate)
		if err := report.Write(&b, report.Text, rep, report.Options{}); err != nil {
			return out, err
		}
		out.Blocked, out.Report = true, b.String()
		logf("done in %s", time.Since(start).Round(time.Millisecond))
		return out, nil
	}
	if len(res.Findings) > 0 {
		var b bytes.Buffer
		if err := report.Write(&b, report.Text, rep, report.Options{}); err != nil {
			return out, err
		}
		out.Warnings = b.String()
	}
	out.Output, err = manifest.Encode(objs)
	if err != nil {
		return out, err
	}
	logf("done in %s", time.Since(start).Round(time.Millisecond))
	return out, nil
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
func setValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, k+"="+m[k])
	}
	return out
}
