// Package bench measures each stage of `hookguard lint` on synthetic apps
// (bench/synth) with `go test -bench . -benchmem ./bench/`; scripts/bench.sh
// compares the whole binary with other tools. With -short only the 1k size
// runs: CI runs that once as a smoke test, never as a timed assertion.
package bench

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/hookguard/hookguard/bench/synth"
	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/lint"
	"github.com/hookguard/hookguard/report"
)

func sizes() []int {
	if testing.Short() {
		return []int{1000}
	}
	return []int{1000, 10000}
}

func parse(b *testing.B, n int) []manifest.Object {
	objs, err := manifest.Loader{}.Parse("synth.yaml", synth.App(n))
	if err != nil {
		b.Fatal(err)
	}
	if len(objs) != n {
		b.Fatalf("parsed %d objects, want %d", len(objs), n)
	}
	return objs
}

func engine(b *testing.B) *lint.Engine {
	e, err := lint.NewEngine(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkStart is the start-up cost of every run: the rule catalog compiled.
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		engine(b)
	}
}

func BenchmarkParse(b *testing.B) {
	for _, n := range sizes() {
		data := synth.App(n)
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				parse(b, n)
			}
		})
	}
}

func BenchmarkAnalyze(b *testing.B) {
	for _, n := range sizes() {
		objs := parse(b, n)
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			for b.Loop() {
				app.Build(objs, lint.DefaultSettings().App)
			}
		})
	}
}

func BenchmarkEvaluate(b *testing.B) {
	e := engine(b)
	for _, n := range sizes() {
		a := app.Build(parse(b, n), lint.DefaultSettings().App)
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			for b.Loop() {
				res, err := e.Run(context.Background(), a, lint.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Findings) == 0 {
					b.Fatal("no findings on a synthetic app built to have them")
				}
			}
		})
	}
}

func BenchmarkReport(b *testing.B) {
	e := engine(b)
	for _, n := range sizes() {
		a := app.Build(parse(b, n), lint.DefaultSettings().App)
		res, err := e.Run(context.Background(), a, lint.Options{})
		if err != nil {
			b.Fatal(err)
		}
		r := report.Report{Findings: res.Findings, Rules: e.Rules(), Objects: res.Objects}
		for _, f := range []report.Format{"json", "sarif", "text"} {
			b.Run(fmt.Sprintf("format=%s/objects=%d", f, n), func(b *testing.B) {
				for b.Loop() {
					if err := report.Write(io.Discard, f, r, report.Options{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
