package synth

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// The repository holds exactly the objects of App(n), split into files.
func TestRepoHoldsTheApp(t *testing.T) {
	for _, n := range []int{0, 7, 10, 25, 1000} {
		files := Repo(n)
		var all bytes.Buffer
		names := make([]string, 0, len(files))
		for name := range files {
			names = append(names, name)
		}
		// Names sort in app order (zero-padded), a before b.
		slices.Sort(names)
		for _, name := range names {
			all.Write(files[name])
		}
		if !bytes.Equal(all.Bytes(), App(n)) {
			t.Errorf("n=%d: files do not concatenate to App(n)", n)
		}
		if docs := strings.Count(all.String(), "---\n"); docs != n {
			t.Errorf("n=%d: %d documents", n, docs)
		}
	}
	if got := len(Repo(10000)); got != 2000 {
		t.Errorf("10k objects in %d files, want 2000", got)
	}
}
