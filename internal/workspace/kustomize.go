package workspace

import (
	"os"
	"path/filepath"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TopKustomizations returns the Kustomize roots of dirs that no other root
// of dirs includes as a resource, base or component: the apps a walk meets
// (overlays), not their parts. Order is kept.
func TopKustomizations(dirs []string) []string {
	abs := make([]string, len(dirs))
	for i, d := range dirs {
		abs[i], _ = filepath.Abs(d)
	}
	included := map[string]bool{}
	for _, d := range abs {
		for _, inc := range kustomizeIncludes(d) {
			if inc != d {
				included[inc] = true
			}
		}
	}
	var out []string
	for i, d := range dirs {
		if !included[abs[i]] {
			out = append(out, d)
		}
	}
	return out
}

// kustomizeIncludes are the local directories a kustomization in dir names
// under resources, bases or components, as absolute paths.
func kustomizeIncludes(dir string) []string {
	var k struct {
		Resources  []string `yaml:"resources"`
		Bases      []string `yaml:"bases"`
		Components []string `yaml:"components"`
	}
	for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if yaml.Unmarshal(data, &k) != nil {
			return nil
		}
		break
	}
	var out []string
	for _, list := range [][]string{k.Resources, k.Bases, k.Components} {
		for _, r := range list {
			p := filepath.Clean(filepath.Join(dir, r))
			if info, err := os.Stat(p); err == nil && info.IsDir() {
				out = append(out, p)
			}
		}
	}
	return out
}
