// Package argoapp reads a repository as Argo CD sees it: it finds the
// argoproj.io/v1alpha1 Applications (and, through an expander, the
// ApplicationSets) under a directory, keeps those whose sources are this
// checkout, and renders each source as Argo CD's repo-server would
// (directory, Kustomize, Helm, the hookguard plugin; several sources
// together), so each Application is linted as the whole app Argo CD syncs.
package argoapp

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/hookguard/hookguard/internal/manifest"
)

// Group and kinds Argo CD reads (pkg/apis/application/v1alpha1).
const (
	APIVersion         = "argoproj.io/v1alpha1"
	KindApplication    = "Application"
	KindApplicationSet = "ApplicationSet"
)

// application is the part of an Application hookguard reads, with Argo
// CD's JSON field names (pkg/apis/application/v1alpha1/types.go).
type application struct {
	Metadata struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	Spec struct {
		Project     string   `json:"project"`
		Source      *source  `json:"source"`
		Sources     []source `json:"sources"`
		Destination struct {
			Namespace string `json:"namespace"`
		} `json:"destination"`
		SyncPolicy *struct {
			SyncOptions []string `json:"syncOptions"`
		} `json:"syncPolicy"`
	} `json:"spec"`
}

// source is ApplicationSource.
type source struct {
	RepoURL        string           `json:"repoURL"`
	Path           string           `json:"path"`
	TargetRevision string           `json:"targetRevision"`
	Chart          string           `json:"chart"`
	Ref            string           `json:"ref"`
	Name           string           `json:"name"`
	Directory      *sourceDirectory `json:"directory"`
	Kustomize      *sourceKustomize `json:"kustomize"`
	Helm           *sourceHelm      `json:"helm"`
	Plugin         *sourcePlugin    `json:"plugin"`
}

type sourceDirectory struct {
	Recurse bool           `json:"recurse"`
	Include string         `json:"include"`
	Exclude string         `json:"exclude"`
	Jsonnet map[string]any `json:"jsonnet"`
}

type sourceKustomize struct {
	NamePrefix                string            `json:"namePrefix"`
	NameSuffix                string            `json:"nameSuffix"`
	Images                    []string          `json:"images"`
	Replicas                  []replica         `json:"replicas"`
	CommonLabels              map[string]string `json:"commonLabels"`
	CommonAnnotations         map[string]string `json:"commonAnnotations"`
	CommonAnnotationsEnvsubst bool              `json:"commonAnnotationsEnvsubst"`
	ForceCommonLabels         bool              `json:"forceCommonLabels"`
	ForceCommonAnnotations    bool              `json:"forceCommonAnnotations"`
	LabelWithoutSelector      bool              `json:"labelWithoutSelector"`
	LabelIncludeTemplates     bool              `json:"labelIncludeTemplates"`
	Namespace                 string            `json:"namespace"`
	Patches                   []any             `json:"patches"`
	Components                []string          `json:"components"`
	IgnoreMissingComponents   bool              `json:"ignoreMissingComponents"`
	Version                   string            `json:"version"`
}

type replica struct {
	Name  string          `json:"name"`
	Count json.RawMessage `json:"count"` // intstr: 3 or "3"
}

type sourceHelm struct {
	ReleaseName             string          `json:"releaseName"`
	ValueFiles              []string        `json:"valueFiles"`
	Values                  string          `json:"values"`
	ValuesObject            json.RawMessage `json:"valuesObject"`
	Parameters              []helmParameter `json:"parameters"`
	FileParameters          []helmFile      `json:"fileParameters"`
	SkipCrds                bool            `json:"skipCrds"`
	IgnoreMissingValueFiles bool            `json:"ignoreMissingValueFiles"`
	Namespace               string          `json:"namespace"`
	KubeVersion             string          `json:"kubeVersion"`
	APIVersions             []string        `json:"apiVersions"`
	Version                 string          `json:"version"`
}

type helmParameter struct {
	Name        string `json:"name"`
	Value       string `json:"value"`
	ForceString bool   `json:"forceString"`
}

type helmFile struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

type sourcePlugin struct {
	Name string `json:"name"`
	Env  []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"env"`
	Parameters []json.RawMessage `json:"parameters"`
}

// explicitType is ApplicationSource.ExplicitType: the one of directory,
// kustomize, helm and plugin that is set, "" for none, an error for several.
func (s source) explicitType() (string, error) {
	var set []string
	if s.Kustomize != nil {
		set = append(set, "Kustomize")
	}
	if s.Helm != nil {
		set = append(set, "Helm")
	}
	if s.Directory != nil {
		set = append(set, "Directory")
	}
	if s.Plugin != nil {
		set = append(set, "Plugin")
	}
	switch len(set) {
	case 0:
		return "", nil
	case 1:
		return set[0], nil
	}
	return "", fmt.Errorf("multiple application sources defined: %s", strings.Join(set, ","))
}

// sources are the Application's sources: spec.sources when set, else
// spec.source (Application.Spec.GetSources).
func (a application) sources() []source {
	if len(a.Spec.Sources) > 0 {
		return a.Spec.Sources
	}
	if a.Spec.Source != nil {
		return []source{*a.Spec.Source}
	}
	return nil
}

// parseApplication reads an Application from its decoded object.
func parseApplication(v map[string]any) (application, error) {
	var a application
	data, err := json.Marshal(v)
	if err != nil {
		return a, err
	}
	if err := json.Unmarshal(data, &a); err != nil {
		return a, fmt.Errorf("not an Argo CD Application: %w", err)
	}
	if a.Metadata.Name == "" {
		return a, fmt.Errorf("the Application has no metadata.name")
	}
	return a, nil
}

// isKind reports whether an object is an argoproj.io Application or
// ApplicationSet (any version of the group: Argo CD serves v1alpha1).
func isKind(o manifest.Object, kind string) bool {
	ref := o.Ref()
	return ref.Kind == kind && strings.HasPrefix(ref.APIVersion, "argoproj.io/")
}

// envsubst is Argo CD's Env.Envsubst (v1alpha1/types.go): $VAR and ${VAR}
// from the build environment, unknown ones empty, $$ a literal $.
func envsubst(env map[string]string, s string) string {
	return os.Expand(s, func(k string) string {
		if k == "$" {
			return "$"
		}
		return env[k]
	})
}
