package plugin

import (
	"context"
	"os"
	"testing"
)

// BenchmarkGenerate renders, normalizes and lints the largest corpus chart
// (longhorn, 53 objects), as one `generate` call does.
func BenchmarkGenerate(b *testing.B) {
	dir := "../../shared/corpus/helm/longhorn__longhorn__chart"
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("%s is not here: %v", dir, err)
	}
	env := Env{"ARGOCD_APP_NAME": "lh", "ARGOCD_APP_PARAMETERS": `[{"name":"gate","string":"none"}]`}
	for b.Loop() {
		if _, err := Generate(context.Background(), Request{Dir: dir, Env: env}); err != nil {
			b.Fatal(err)
		}
	}
}
