package lint

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hookguard/hookguard/bench/synth"
	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/manifest"
)

// BenchmarkEngineBuild is the start-up cost: parse and compile the catalog
// (the compile runs in the background; this waits for it).
func BenchmarkEngineBuild(b *testing.B) {
	for b.Loop() {
		e, err := NewEngine(context.Background(), nil)
		if err == nil {
			err = e.ready()
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLintCorpus lints the 62 real files of ../shared/corpus/plain as one set.
func BenchmarkLintCorpus(b *testing.B) {
	dir := filepath.Join("..", "..", "shared", "corpus", "plain")
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("%s is not here: %v", dir, err)
	}
	objs, err := manifest.Loader{}.Load([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	e, err := NewEngine(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(objs)), "objects")
	for b.Loop() {
		a := app.Build(objs, DefaultSettings().App)
		if _, err := e.Run(context.Background(), a, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLintSynth is the whole lint of a synthetic app (bench/synth) of
// 10,000 objects: parse, analyze, build the input, evaluate, as the CLI does.
func BenchmarkLintSynth(b *testing.B) {
	data := synth.App(10_000)
	e, err := NewEngine(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		objs, err := manifest.Loader{}.Parse("synth.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.Run(context.Background(), app.Build(objs, DefaultSettings().App), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
