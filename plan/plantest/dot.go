package plantest

import (
	"bufio"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// CheckDotOrder lays out a plan's DOT source with the real dot and asserts
// that the nodes of each wave (ids in Argo CD's order) read in that order,
// left to right and row after row, and that each wave lies below the one
// before it. It skips when graphviz is not installed.
func CheckDotOrder(t testing.TB, src string, waves [][]string) {
	t.Helper()
	dotBin, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("graphviz (dot) is not installed; .ci/run installs it")
	}
	cmd := exec.Command(dotBin, "-Tplain")
	cmd.Stdin = strings.NewReader(src)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dot: %v\n%s", err, src)
	}
	pos := map[string][2]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 4 && f[0] == "node" {
			x, _ := strconv.ParseFloat(f[2], 64)
			y, _ := strconv.ParseFloat(f[3], 64)
			pos[f[1]] = [2]float64{x, y}
		}
	}
	for i, ids := range waves {
		for _, id := range ids {
			if _, ok := pos[id]; !ok {
				t.Fatalf("node %s is not in the layout", id)
			}
		}
		read := append([]string{}, ids...)
		sort.SliceStable(read, func(a, b int) bool {
			pa, pb := pos[read[a]], pos[read[b]]
			if d := pa[1] - pb[1]; d > 0.01 || d < -0.01 {
				return pa[1] > pb[1] // graphviz's y grows upward
			}
			return pa[0] < pb[0]
		})
		if strings.Join(read, ",") != strings.Join(ids, ",") {
			t.Errorf("wave %d reads %v, want Argo CD's order %v", i, read, ids)
		}
		if i > 0 && maxY(pos, ids) >= minY(pos, waves[i-1]) {
			t.Errorf("wave %d is not below wave %d", i, i-1)
		}
	}
}

func maxY(pos map[string][2]float64, ids []string) float64 {
	m := -1e18
	for _, id := range ids {
		m = max(m, pos[id][1])
	}
	return m
}

func minY(pos map[string][2]float64, ids []string) float64 {
	m := 1e18
	for _, id := range ids {
		m = min(m, pos[id][1])
	}
	return m
}
