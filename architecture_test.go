package hookguard_test

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/hookguard/hookguard/"

// layers is ARCHITECTURE.md's layering, data flowing downwards: a package
// may import only packages of a lower layer. A new package must be placed here.
var layers = [][]string{
	{"internal/hooks", "rules", "internal/confine", "internal/redact", "internal/guard", "internal/buildinfo", "internal/suggest", "internal/pathglob", "internal/pool"},
	{"internal/manifest", "bench/synth", "internal/gitref"},
	{"internal/config", "internal/render", "internal/finding", "internal/fix/textpatch", "internal/appset"},
	{"internal/workspace", "internal/normalize", "internal/app"},
	{"internal/fix", "lint"},
	{"plan", "report"},
	{"plugin", "bench"},
	{"internal/argoapp"},
	{"cmd/hookguard"},
}

// TestNoImportRunsUpward reads every package's imports and checks them
// against the layers, so the package graph keeps following the data flow.
func TestNoImportRunsUpward(t *testing.T) {
	rank := map[string]int{}
	for i, layer := range layers {
		for _, p := range layer {
			rank[p] = i
		}
	}
	seen := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || path == "e2e") {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files here
		}
		if path == "." || (pkg.Name == "main" && path != "cmd/hookguard") {
			return nil
		}
		name := filepath.ToSlash(path)
		r, ok := rank[name]
		if !ok {
			if strings.HasSuffix(name, "test") { // test helpers (plan/plantest) sit beside their package
				return nil
			}
			t.Errorf("package %s is not placed in a layer (architecture_test.go, ARCHITECTURE.md)", name)
			return nil
		}
		seen++
		for _, imp := range pkg.Imports {
			dep, ok := strings.CutPrefix(imp, module)
			if !ok {
				continue
			}
			if dr, ok := rank[dep]; !ok || dr >= r {
				t.Errorf("%s (layer %d) imports %s (layer %d): imports must run downward", name, r, dep, dr)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < len(rank) {
		t.Errorf("found %d of the %d packages named in layers", seen, len(rank))
	}
}
