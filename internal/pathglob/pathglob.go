// Package pathglob matches file paths against ignore globs, as written in
// .hookguard.yaml's ignore: and on the command line (--ignore).
//
// A glob is relative to a base directory: "*" and "?" stay within one path
// element, "**" spans any number of them, and [...] is a character class.
// A glob without a slash matches a file or directory name at any depth
// ("*.generated.yaml", "vendor"), as in .gitignore; a glob that matches a
// directory ignores everything below it.
package pathglob

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// Set is globs relative to one base directory.
type Set struct {
	base     string
	patterns []*regexp.Regexp
	anyDepth []bool
}

// New compiles globs relative to base (made absolute). A malformed glob is
// an error naming it.
func New(base string, globs []string) (*Set, error) {
	abs, err := filepath.Abs(base)
	if err != nil {
		return nil, err
	}
	s := &Set{base: abs}
	for _, g := range globs {
		g = strings.TrimPrefix(filepath.ToSlash(strings.TrimSpace(g)), "./")
		g = strings.TrimSuffix(g, "/")
		if g == "" {
			return nil, fmt.Errorf("ignore glob %q is empty", g)
		}
		re, err := compile(g)
		if err != nil {
			return nil, fmt.Errorf("ignore glob %q: %w", g, err)
		}
		s.patterns = append(s.patterns, re)
		s.anyDepth = append(s.anyDepth, !strings.Contains(g, "/"))
	}
	return s, nil
}

// Match reports whether path (absolute, or relative to the working
// directory) or a directory above it, up to the base, matches a glob.
func (s *Set) Match(path string) bool {
	if s == nil || len(s.patterns) == 0 {
		return false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(s.base, abs)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for i := range parts {
		prefix := strings.Join(parts[:i+1], "/")
		for j, re := range s.patterns {
			if re.MatchString(prefix) || (s.anyDepth[j] && re.MatchString(parts[i])) {
				return true
			}
		}
	}
	return false
}

// compile turns a glob into an anchored regular expression.
func compile(g string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(g); i++ {
		switch c := g[i]; c {
		case '*':
			if i+1 < len(g) && g[i+1] == '*' {
				i++
				if i+1 < len(g) && g[i+1] == '/' {
					i++
					b.WriteString("(?:.*/)?") // "**/": zero or more directories
				} else {
					b.WriteString(".*")
				}
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		case '[':
			end := strings.IndexByte(g[i+1:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed [")
			}
			class := g[i+1 : i+1+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}
