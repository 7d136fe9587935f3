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
	"reflect"
	"regexp"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/suggest"
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
	// Ignore are path globs, relative to the file's directory, of files
	// that are not linted ("**" spans directories).
	Ignore []string `yaml:"ignore"`

	// Path is where the file was read from ("" when none was found).
	Path string `yaml:"-"`
}

// Rule configures one rule.
type Rule struct {
	Enabled  *bool  `yaml:"enabled"`
	Severity string `yaml:"severity"`
}

var (
	lineRe    = regexp.MustCompile(`line (\d+): (.*)`)
	unknownRe = regexp.MustCompile(`^field (\S+) not found in type config\.(\w+)$`)
)

// Keys are the keys of File (or of a rule's entry, Rule), as written in the file.
func Keys(v any) []string {
	t := reflect.TypeOf(v)
	var out []string
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

// keysOf names the keys valid where a decoding error of type name occurred.
var keysOf = map[string][]string{"File": Keys(File{}), "Rule": Keys(Rule{})}

// explain rewrites a decoder message for people: an unknown key names the
// valid keys there and the closest one, not Go's type name.
func explain(msg string) string {
	m := unknownRe.FindStringSubmatch(msg)
	if m == nil {
		return strings.ReplaceAll(msg, "config.", "")
	}
	keys := keysOf[m[2]]
	where := "at the top level"
	if m[2] == "Rule" {
		where = "in a rule's entry under rules:"
	}
	return fmt.Sprintf("unknown key %q %s (valid keys: %s)%s", m[1], where, strings.Join(keys, ", "), suggest.DidYouMean(m[1], keys))
}

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
				msgs = append(msgs, fmt.Sprintf("%s:%s: %s", path, m[1], explain(m[2])))
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
