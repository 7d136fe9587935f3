// Package config reads .hookguard.yaml into plain data. Finding the file
// is internal/workspace's job, and turning it into run settings lint's
// (lint.FromConfig); this package knows neither.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// FileName is the configuration file, looked for upward from the linted path.
const FileName = ".hookguard.yaml"

// File is the content of .hookguard.yaml. Unknown keys are errors.
type File struct {
	// ArgoCDVersion is the Argo CD version whose behaviour is checked (default: newest).
	ArgoCDVersion string `yaml:"argocdVersion"`
	// FailOn is the lowest severity that fails the run: info, warning (default) or error.
	FailOn string `yaml:"failOn"`
	// WholeApp says the linted files are a whole application.
	WholeApp *bool `yaml:"wholeApp"`
	// Settings are rule parameters by name (rules declare them in their
	// METADATA; lint checks names and types). Nodes keep their lines.
	Settings map[string]yaml.Node `yaml:"settings"`
	// Rules enables, disables and re-grades rules by id.
	Rules map[string]Rule `yaml:"rules"`
	// Policies are directories of custom Rego rules, relative to the file.
	Policies []string `yaml:"policies"`

	// Path is where the file was read from ("" when none was found).
	Path string `yaml:"-"`
}

// Rule configures one rule.
type Rule struct {
	Enabled  *bool  `yaml:"enabled"`
	Severity string `yaml:"severity"`
}

var lineRe = regexp.MustCompile(`line (\d+): (.*)`)

// Load reads and checks a configuration file. Errors name the file and line.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes configuration; path is used in errors and to resolve policies.
func Parse(path string, data []byte) (*File, error) {
	f := &File{Path: path}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(f); err != nil && !errors.Is(err, io.EOF) {
		var msgs []string
		for _, line := range strings.Split(strings.TrimPrefix(err.Error(), "yaml: "), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line == "unmarshal errors:" {
				continue
			}
			if m := lineRe.FindStringSubmatch(line); m != nil {
				msgs = append(msgs, fmt.Sprintf("%s:%s: %s", path, m[1], strings.ReplaceAll(m[2], "config.", "")))
			} else {
				msgs = append(msgs, fmt.Sprintf("%s: %s", path, line))
			}
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	for i, p := range f.Policies {
		if !filepath.IsAbs(p) {
			f.Policies[i] = filepath.Join(filepath.Dir(path), p)
		}
	}
	return f, nil
}
