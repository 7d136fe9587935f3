package manifest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Files are parsed in parallel; the objects, the notes and the error must
// be those of reading them one by one, in order.
func TestParallelLoadIsSequentialLoad(t *testing.T) {
	dir := t.TempDir()
	for i := range 40 {
		text := fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c%d\n---\nnot: an object\n---\n", i)
		if i%7 == 3 {
			text += "kind: List\nitems: null\n"
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%02d.yaml", i)), []byte(text), 0o644))
	}
	load := func(procs int, paths ...string) ([]Object, []string, error) {
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		var notes []string
		objs, err := Loader{Notes: func(n string) { notes = append(notes, n) }}.Load(paths)
		return objs, notes, err
	}
	wantObjs, wantNotes, err := load(1, dir)
	require.NoError(t, err)
	require.Len(t, wantObjs, 40)
	require.Len(t, wantNotes, 46)
	gotObjs, gotNotes, err := load(4, dir)
	require.NoError(t, err)
	assert.Equal(t, wantNotes, gotNotes)
	require.Len(t, gotObjs, len(wantObjs))
	for i := range wantObjs {
		assert.Equal(t, wantObjs[i].File, gotObjs[i].File)
		assert.Equal(t, wantObjs[i].Ref(), gotObjs[i].Ref())
	}

	// Two bad files: the first one's error, whatever finished first.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "f05b.yaml"), []byte("kind: Job\nkind: Pod\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "f30b.yaml"), []byte("a: [\n"), 0o644))
	_, wantNotes, wantErr := load(1, dir)
	require.Error(t, wantErr)
	for range 5 {
		_, gotNotes, gotErr := load(4, dir)
		assert.Equal(t, wantErr.Error(), gotErr.Error())
		assert.Equal(t, wantNotes, gotNotes)
	}
}

// A long stream's documents are decoded in parallel; objects, notes and the
// first error are those of reading them in order.
func TestParallelDecodeIsSequential(t *testing.T) {
	var b strings.Builder
	for i := range 300 {
		switch i {
		case 150:
			b.WriteString("---\nkind: Job\nmetadata:\n  name: a\n  name: b\n")
		case 170:
			b.WriteString("---\nkind: [\n")
		case 200:
			b.WriteString("---\njust: data\n")
		default:
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c%d\n", i)
		}
	}
	parse := func(procs int, text string) ([]Object, []string, error) {
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		var notes []string
		objs, err := Loader{Notes: func(n string) { notes = append(notes, n) }}.Parse("s.yaml", []byte(text))
		return objs, notes, err
	}
	_, _, wantErr := parse(1, b.String())
	require.ErrorContains(t, wantErr, "s.yaml:")
	require.ErrorContains(t, wantErr, "duplicate key")
	_, _, gotErr := parse(4, b.String())
	assert.Equal(t, wantErr.Error(), gotErr.Error())

	// Without the bad documents: the same objects and notes.
	text := strings.Replace(strings.Replace(b.String(), "  name: b\n", "", 1), "---\nkind: [\n", "", 1)
	wantObjs, wantNotes, err := parse(1, text)
	require.NoError(t, err)
	gotObjs, gotNotes, err := parse(4, text)
	require.NoError(t, err)
	require.Equal(t, 298, len(wantObjs))
	require.NotEmpty(t, wantNotes)
	assert.Equal(t, wantNotes, gotNotes)
	require.Len(t, gotObjs, len(wantObjs))
	for i := range wantObjs {
		assert.Equal(t, wantObjs[i].Line, gotObjs[i].Line)
		assert.Equal(t, wantObjs[i].Ref(), gotObjs[i].Ref())
	}
}
