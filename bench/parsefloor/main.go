// Command parsefloor is the floor of scripts/bench.sh: it reads and parses
// every YAML file under the given directories with kyaml, on one goroutine,
// and does nothing else. No linter can be faster than reading its input.
package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/kio"
)

func main() {
	objects := 0
	for _, root := range os.Args[1:] {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			objects += len(nodes)
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "parsefloor:", err)
			os.Exit(1)
		}
	}
	fmt.Println(objects, "objects")
}
