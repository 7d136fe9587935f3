// Package redact removes credentials from text that hookguard shows: finding
// messages quote parts of commands, and a command line can carry a password
// in a database URL, a flag, an environment assignment or an HTTP header.
// Every output (lint reports, the plan, the CMP's report in Argo CD's UI)
// reads findings, so the text is redacted once, where findings are made.
package redact

import (
	"regexp"
	"strings"
)

// Mask replaces every secret.
const Mask = "REDACTED"

// String returns s with every secret it recognizes replaced by Mask: the
// password of a URL's userinfo (the user is kept), the credentials of an
// Authorization header, the value of a long flag whose name says it holds a
// secret (--password, --db-token, -api-key ...), and the value of an
// assignment whose name does (PGPASSWORD=x, password=x in a DSN). Ordinary
// text comes back unchanged, and String(String(s)) == String(s). No part of
// s is read again for every candidate in it, so hostile input stays cheap
// (TestStringLinear).
func String(s string) string {
	// Each kind of secret is looked for only when s holds the word it
	// needs: most messages hold none, and the scans are what cost.
	if strings.Contains(s, "://") {
		s = mask(s, urlHead, userinfo())
	}
	if strings.Contains(strings.ToLower(s), "authorization") {
		s = mask(s, authHead, func(s string, head []int) int {
			return len(headerValue.FindString(s[head[1]:]))
		})
	}
	if containsAny(strings.ReplaceAll(strings.ToLower(s), "_", "-"), flagWords) {
		s = mask(s, flagHead, func(s string, head []int) int {
			if !startsToken(s, head[0], "-") || !containsAny(strings.ReplaceAll(strings.ToLower(s[head[2]:head[3]]), "_", "-"), flagWords) {
				return 0
			}
			re := word // a value after a space cannot start with a dash: --no-password -c
			if s[head[4]:head[5]] == "=" {
				re = value
			}
			return len(re.FindString(s[head[1]:]))
		})
	}
	if containsAny(strings.ToUpper(s), nameWords) {
		s = mask(s, assignmentHead, func(s string, head []int) int {
			if !startsToken(s, head[0], "") || !containsAny(strings.ToUpper(s[head[2]:head[3]]), nameWords) {
				return 0
			}
			return len(value.FindString(s[head[1]:]))
		})
	}
	return s
}

const quotes = `"'` + "`"

var (
	// scheme://user: — a URL's userinfo up to its password. The user may be
	// empty (redis://:password@host).
	urlHead = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@:` + quotes + `]*:`)
	// A host:port/path?x=a@b reads as user:password; it is a port.
	portPath = regexp.MustCompile(`^[0-9]+[/?#]`)

	// Authorization: Bearer x, Basic x, or x alone. The credentials are the
	// rest of the header, up to a quote (also an escaped one, \") or a line's
	// end.
	authHead    = regexp.MustCompile(`(?i)authorization[ \t]*:[ \t]*(?:(?:bearer|basic|token|digest|negotiate)[ \t]+)?`)
	headerValue = regexp.MustCompile(`^(?:[^\r\n\\` + quotes + `]|\\[^\r\n` + quotes + `])+`)

	// --name=value, --name value, -name=value, -name value (Go and Java tools
	// take long flags with one dash). Only names that say they hold a secret
	// count (flagWords); a short flag such as -p does not.
	flagHead = regexp.MustCompile(`--?([A-Za-z][\w.-]*)(=|\s+)`)
	// NAME=value: the shell's environment assignment, and key=value in DSNs
	// and query strings, when the name says it holds a secret (nameWords).
	assignmentHead = regexp.MustCompile(`([A-Za-z_]\w*)=`)

	// value is a secret's value after "=": a quoted string (kept quoted), a
	// quoted string in Go's escaped form (as %q writes a command), or a bare
	// word up to whitespace or a quote. An opening quote that never closes
	// still hides the word after it.
	value = regexp.MustCompile(`^(?:\\"[^"]*\\"|"[^"]*"|'[^']*'|[` + quotes + `]?[^\s` + quotes + `]+)`)
	// word is a value after a space: as value, but not starting with a dash.
	word = regexp.MustCompile(`^(?:\\"[^"]*\\"|"[^"]*"|'[^']*'|[` + quotes + `]?[^\s` + quotes + `-][^\s` + quotes + `]*)`)
)

// flagWords mark a flag name (lower case, - for _) as holding a secret.
var flagWords = []string{"password", "passwd", "pwd", "secret", "token", "api-key", "apikey", "access-key", "private-key", "credential"}

// nameWords mark a variable or key name (upper case) as holding a secret.
// PWD is not one: it is the shell's working directory.
var nameWords = []string{"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL"}

// userinfo finds the password after a URL head: it runs to the last @ of
// the word, as URL parsers read userinfo, so an unescaped @ or / in it is
// hidden too. Heads in the same word share that @, remembered so a word
// full of heads is read once.
func userinfo() func(s string, head []int) int {
	wordEnd, lastAt := -1, -1
	return func(s string, head []int) int {
		at := head[1]
		if at >= wordEnd {
			wordEnd, lastAt = at, -1
			for wordEnd < len(s) && !strings.ContainsRune(" \t\n\v\f\r"+quotes, rune(s[wordEnd])) {
				if s[wordEnd] == '@' {
					lastAt = wordEnd
				}
				wordEnd++
			}
		}
		if lastAt <= at || portPath.MatchString(s[at:lastAt]) {
			return 0
		}
		return lastAt - at
	}
}

// mask replaces secrets in s. For each match of head, secret returns the
// length of the secret right after it (0: none); it is given all of s and
// the match's submatch indexes in s. A match followed by no secret consumes
// only itself, so what follows is searched again: --args "--password x" and
// CMD="PGPASSWORD=x psql" still hide x.
func mask(s string, head *regexp.Regexp, secret func(s string, head []int) int) string {
	var b strings.Builder
	last, pos := 0, 0
	for pos < len(s) {
		m := head.FindStringSubmatchIndex(s[pos:])
		if m == nil {
			break
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += pos
			}
		}
		pos = m[1]
		n := secret(s, m)
		if n == 0 {
			continue
		}
		b.WriteString(s[last:pos])
		b.WriteString(masked(s[pos : pos+n]))
		last = pos + n
		pos = last
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// startsToken reports whether s[start:] begins a token: at the start, or
// after a character that is neither a letter, digit or _ nor one of also.
func startsToken(s string, start int, also string) bool {
	if start == 0 {
		return true
	}
	c := s[start-1]
	isWord := c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	return !isWord && !strings.ContainsRune(also, rune(c))
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// masked is Mask in the quotes v was written in.
func masked(v string) string {
	for _, q := range []string{`\"`, `"`, `'`, "`"} {
		if strings.HasPrefix(v, q) {
			if len(v) >= 2*len(q) && strings.HasSuffix(v, q) {
				return q + Mask + q
			}
			return q + Mask
		}
	}
	return Mask
}
