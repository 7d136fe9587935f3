// Package suggest finds the names closest to a misspelt one, so an error
// about an unknown rule id or configuration key can say what was meant.
package suggest

import (
	"slices"
	"strings"
)

// Closest returns the candidates within a small edit distance of word
// (case-insensitive; a quarter of its length, at least 2), nearest first,
// and candidates that contain word or that word contains.
func Closest(word string, candidates []string) []string {
	w := strings.ToLower(word)
	limit := max(2, len(w)/4)
	type scored struct {
		name string
		d    int
	}
	var hits []scored
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := distance(w, lc)
		if d > limit && (len(w) < 4 || !strings.Contains(lc, w)) && (len(lc) < 4 || !strings.Contains(w, lc)) {
			continue
		}
		hits = append(hits, scored{c, d})
	}
	slices.SortStableFunc(hits, func(a, b scored) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.name, b.name)
	})
	out := make([]string, 0, len(hits))
	for _, h := range hits {
		out = append(out, h.name)
	}
	return out
}

// DidYouMean is "; did you mean a or b?" for the closest candidates, or "".
func DidYouMean(word string, candidates []string) string {
	c := Closest(word, candidates)
	if len(c) == 0 {
		return ""
	}
	if len(c) > 3 {
		c = c[:3]
	}
	return "; did you mean " + strings.Join(c, " or ") + "?"
}

// distance is the Levenshtein distance between a and b (bytes).
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
