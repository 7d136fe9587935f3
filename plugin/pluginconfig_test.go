package plugin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"sigs.k8s.io/yaml"
)

// PluginConfig mirrors argo-cd's plugin.yaml schema (cmpserver/plugin/config.go,
// v3.6): PluginConfig{TypeMeta, Metadata, Spec}. Argo CD parses it as YAML
// converted to JSON (util/config/reader.go), so field names match
// case-insensitively and unknown fields are ignored silently; ReadPluginConfig
// here rejects unknown fields instead, to catch "discovery:" for "discover:".
type PluginConfig struct {
	APIVersion string           `json:"apiVersion"`
	Kind       string           `json:"kind"`
	Metadata   PluginMetadata   `json:"metadata"`
	Spec       PluginConfigSpec `json:"spec"`
}

// PluginMetadata is the part of metav1.ObjectMeta plugin.yaml uses.
type PluginMetadata struct {
	Name string `json:"name"`
}

// PluginConfigSpec mirrors PluginConfigSpec.
type PluginConfigSpec struct {
	Version          string           `json:"version"`
	Init             Command          `json:"init,omitempty"`
	Generate         Command          `json:"generate"`
	Discover         Discover         `json:"discover"`
	Parameters       PluginParameters `json:"parameters"`
	PreserveFileMode bool             `json:"preserveFileMode,omitempty"`
	ProvideGitCreds  bool             `json:"provideGitCreds,omitempty"`
}

// Command mirrors Command.
type Command struct {
	Command []string `json:"command,omitempty"`
	Args    []string `json:"args,omitempty"`
}

// Discover mirrors Discover.
type Discover struct {
	Find     Find   `json:"find"`
	FileName string `json:"fileName"`
}

// Find mirrors Find.
type Find struct {
	Command
	Glob string `json:"glob"`
}

// PluginParameters mirrors Parameters.
type PluginParameters struct {
	Static  []Parameter `json:"static"`
	Dynamic Command     `json:"dynamic"`
}

// ReadPluginConfig parses plugin.yaml strictly.
func ReadPluginConfig(data []byte) (*PluginConfig, error) {
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	var c PluginConfig
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("plugin.yaml: %w", err)
	}
	return &c, nil
}

// Validate is ValidatePluginConfig: a name, kind ConfigManagementPlugin, and
// a generate command. apiVersion is not checked by Argo CD either.
func (c *PluginConfig) Validate() error {
	var errs []error
	if c.Metadata.Name == "" {
		errs = append(errs, errors.New("metadata.name is empty"))
	}
	if c.Kind != "ConfigManagementPlugin" {
		errs = append(errs, fmt.Errorf("kind is %q, want ConfigManagementPlugin", c.Kind))
	}
	if len(c.Spec.Generate.Command) == 0 {
		errs = append(errs, errors.New("spec.generate.command is empty"))
	}
	return errors.Join(errs...)
}

// Name is what an Application's plugin.name must be (PluginConfig.Address,
// common/common.go): "<name>-<version>", or "<name>" without a version.
func (c *PluginConfig) Name() string {
	if c.Spec.Version == "" {
		return c.Metadata.Name
	}
	return c.Metadata.Name + "-" + c.Spec.Version
}
