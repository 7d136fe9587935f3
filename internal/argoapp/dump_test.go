package argoapp

import (
	"context"
	"fmt"
	"testing"
)

func TestDump(t *testing.T) {
	res, err := Load(context.Background(), "../../testdata/monorepo", Options{RepoRoot: "../../testdata/monorepo", Notes: func(s string) { fmt.Println("note:", s) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Apps {
		fmt.Println("APP", a.ID(), a.From, a.Err, a.Skipped)
		for _, o := range a.Objects {
			fmt.Println("   ", o.Ref().String(), o.File, o.Line)
		}
	}
	fmt.Println("ignored", res.Ignored)
	fmt.Println("notexpanded", res.NotExpanded)
}
