// Command synthrepo writes a synthetic GitOps repository of N objects
// (bench/synth.Repo) into a directory, for scripts/bench.sh.
//
//	go run ./bench/synthrepo -n 10000 DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hookguard/hookguard/bench/synth"
)

func main() {
	n := flag.Int("n", 10000, "number of objects")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: synthrepo [-n N] DIR")
		os.Exit(2)
	}
	if err := write(flag.Arg(0), synth.Repo(*n)); err != nil {
		fmt.Fprintln(os.Stderr, "synthrepo:", err)
		os.Exit(1)
	}
}

func write(dir string, files map[string][]byte) error {
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
