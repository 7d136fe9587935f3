package appset

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/jeremywohl/flatten"
	"sigs.k8s.io/yaml"

	"github.com/hookguard/hookguard/internal/manifest"
)

// git is the git generator (git.go and repo_path_utils.go), reading the
// checkout for the repository server: directories as GetGitDirectories
// lists them, files as GetGitFiles does with `git ls-files` pathspecs.
func (r *run) git(spec map[string]any, where string) ([]map[string]any, error) {
	repoURL, err := stringAt(spec, "repoURL")
	if err != nil {
		return nil, err
	}
	revision, err := stringAt(spec, "revision")
	if err != nil {
		return nil, err
	}
	prefix, err := stringAt(spec, "pathParamPrefix")
	if err != nil {
		return nil, err
	}
	values, err := stringValues(spec["values"])
	if err != nil {
		return nil, err
	}
	dirs, err := patterns(spec, "directories")
	if err != nil {
		return nil, err
	}
	files, err := patterns(spec, "files")
	if err != nil {
		return nil, err
	}
	known, err := r.thisRepository(repoURL)
	if err != nil {
		return nil, err
	}
	if !known {
		return nil, &notExpandedError{what: fmt.Sprintf("%s (repoURL %s is another repository)", where, repoURL)}
	}
	if revision != "" {
		r.note(fmt.Sprintf("%s: revision %s ignored: the checkout in %s is read as it is", where, revision, r.root.Dir()))
	}
	t, err := r.listing()
	if err != nil {
		return nil, fmt.Errorf("reading the checkout: %w", err)
	}
	switch {
	case len(dirs) != 0:
		var res []map[string]any
		for _, p := range filterPaths(dirs, t.dirs) {
			params := pathParams(p, prefix, r.render.goTemplate)
			if err := r.addValues(values, params); err != nil {
				return nil, err
			}
			res = append(res, params)
		}
		return res, nil
	case len(files) != 0:
		return r.fileParams(t, files, prefix, values, repoURL)
	default:
		return nil, errors.New("ApplicationSet is empty: the git generator has neither directories nor files")
	}
}

type pattern struct {
	path    string
	exclude bool
}

func patterns(spec map[string]any, key string) ([]pattern, error) {
	list, ok := spec[key].([]any)
	if !ok && spec[key] != nil {
		return nil, fmt.Errorf("%s is not a list", key)
	}
	out := make([]pattern, len(list))
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s[%d] is not a mapping", key, i)
		}
		p, err := stringAt(m, "path")
		if err != nil {
			return nil, fmt.Errorf("%s[%d].%w", key, i, err)
		}
		ex, err := boolAt(m, "exclude")
		if err != nil {
			return nil, fmt.Errorf("%s[%d].%w", key, i, err)
		}
		out[i] = pattern{path: p, exclude: ex}
	}
	return out, nil
}

func stringValues(v any) (map[string]string, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("values is not a mapping")
	}
	out := make(map[string]string, len(m))
	for k, val := range m {
		s, ok := val.(string)
		if !ok {
			return nil, fmt.Errorf("values.%s is %s, not a string", k, describe(val))
		}
		out[k] = s
	}
	return out, nil
}

// filterPaths keeps the paths some include pattern matches and no exclude
// pattern does, with path.Match; a malformed pattern matches nothing
// (repo_path_utils.go, filterPaths).
func filterPaths(pats []pattern, all []string) []string {
	var res []string
	for _, p := range all {
		in, out := false, false
		for _, pat := range pats {
			ok, err := path.Match(pat.path, p)
			if err != nil || !ok {
				continue
			}
			if pat.exclude {
				out = true
			} else {
				in = true
			}
		}
		if in && !out {
			res = append(res, p)
		}
	}
	return res
}

// pathParams are a directory's parameters (repo_path_utils.go,
// buildPathParameters): path, basename, basenameNormalized and the path's
// segments, nested under "path" in Go template mode and as path.basename,
// path[N] otherwise, below pathParamPrefix when set.
func pathParams(p, prefix string, goTemplate bool) map[string]any {
	params := map[string]any{}
	if goTemplate {
		pp := map[string]any{
			"path":               p,
			"basename":           path.Base(p),
			"basenameNormalized": sanitizeName(path.Base(p)),
			"segments":           strings.Split(p, "/"),
		}
		if prefix != "" {
			params[prefix] = map[string]any{"path": pp}
		} else {
			params["path"] = pp
		}
		return params
	}
	name := "path"
	if prefix != "" {
		name = prefix + "." + name
	}
	params[name] = p
	params[name+".basename"] = path.Base(p)
	params[name+".basenameNormalized"] = sanitizeName(path.Base(p))
	segments(params, name, p)
	return params
}

func segments(params map[string]any, name, p string) {
	for i, s := range strings.Split(p, "/") {
		if s != "" {
			params[name+"["+strconv.Itoa(i)+"]"] = s
		}
	}
}

// fileParams reads the files the include patterns list and the exclude
// patterns do not, in path order, each a YAML or JSON object or a list of
// them (repo_path_utils.go, generateRepoSourceFileParams, parseFileParams).
func (r *run) fileParams(t *tree, pats []pattern, prefix string, values map[string]string, repoURL string) ([]map[string]any, error) {
	chosen := map[string]bool{}
	for _, p := range pats {
		if !p.exclude {
			for _, f := range lsFiles(t.files, p.path) {
				chosen[f] = true
			}
		}
	}
	for _, p := range pats {
		if p.exclude {
			for _, f := range lsFiles(t.files, p.path) {
				delete(chosen, f)
			}
		}
	}
	var all []map[string]any
	for _, f := range slices.Sorted(maps.Keys(chosen)) {
		data, err := r.root.ReadFile(filepath.Join(r.root.Dir(), filepath.FromSlash(f)))
		if err != nil {
			return nil, err
		}
		if err := (manifest.Loader{Budget: r.budget}).Scan(f, data); err != nil {
			return nil, err
		}
		params, err := r.parseFile(f, data, prefix, values)
		if err != nil {
			return nil, fmt.Errorf("unable to process file '%s' from repository '%s': %w", f, repoURL, err)
		}
		all = append(all, params...)
	}
	return all, nil
}

func (r *run) parseFile(file string, data []byte, prefix string, values map[string]string) ([]map[string]any, error) {
	// One object first (an empty file is one, empty), then a list.
	var found []map[string]any
	single := map[string]any{}
	if err := yaml.Unmarshal(data, &single); err == nil {
		found = append(found, single)
	} else if err := yaml.Unmarshal(data, &found); err != nil {
		return nil, fmt.Errorf("unable to parse file: %w", err)
	}
	dir := path.Dir(file)
	var res []map[string]any
	for _, obj := range found {
		params := map[string]any{}
		if r.render.goTemplate {
			maps.Copy(params, obj)
			pp := map[string]any{
				"path":               dir,
				"basename":           path.Base(dir),
				"filename":           path.Base(file),
				"basenameNormalized": sanitizeName(path.Base(dir)),
				"filenameNormalized": sanitizeName(path.Base(file)),
				"segments":           strings.Split(dir, "/"),
			}
			if prefix != "" {
				params[prefix] = map[string]any{"path": pp}
			} else {
				params["path"] = pp
			}
		} else {
			flat, err := flatten.Flatten(obj, "", flatten.DotStyle)
			if err != nil {
				return nil, fmt.Errorf("error flattening object: %w", err)
			}
			for k, v := range flat {
				params[k] = fmt.Sprintf("%v", v)
			}
			name := "path"
			if prefix != "" {
				name = prefix + "." + name
			}
			params[name] = dir
			params[name+".basename"] = path.Base(dir)
			params[name+".filename"] = path.Base(file)
			params[name+".basenameNormalized"] = sanitizeName(path.Base(dir))
			params[name+".filenameNormalized"] = sanitizeName(path.Base(file))
			segments(params, name, dir)
		}
		if err := r.addValues(values, params); err != nil {
			return nil, err
		}
		res = append(res, params)
	}
	return res, nil
}

// addValues renders the generator's values with the parameters made so far
// and adds them as values.KEY, or under "values" in Go template mode
// (value_interpolation.go, appendTemplatedValues).
func (r *run) addValues(values map[string]string, params map[string]any) error {
	tmp := map[string]any{}
	for k, v := range values {
		res, err := r.render.replace(v, params)
		if err != nil {
			return fmt.Errorf("failed to append templated values: values.%s: %w", k, err)
		}
		if r.render.goTemplate {
			if tmp["values"] == nil {
				tmp["values"] = map[string]string{}
			}
			tmp["values"].(map[string]string)[k] = res
		} else {
			tmp["values."+k] = res
		}
	}
	maps.Copy(params, tmp)
	return nil
}

// tree is the checkout as the repository server sees it, listed once.
type tree struct {
	dirs  []string // every directory below the root, hidden ones and their contents left out
	files []string // every file and symbolic link, .git left out
}

// listing walks the checkout without following symbolic links, as
// walkDirectoryTree (reposerver/repository/utils.go) does for directories;
// files stand for what `git ls-files` lists, so untracked files count here.
func (r *run) listing() (*tree, error) {
	if r.tree != nil {
		return r.tree, nil
	}
	real, err := filepath.EvalSymlinks(r.root.Dir())
	if err != nil {
		return nil, err
	}
	t := &tree{}
	hidden := func(rel string) bool {
		for _, s := range strings.Split(rel, "/") {
			if strings.HasPrefix(s, ".") {
				return true
			}
		}
		return false
	}
	err = filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(real, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			if !hidden(rel) {
				t.dirs = append(t.dirs, rel)
			}
			return nil
		}
		if d.Name() == ".git" {
			return nil
		}
		t.files = append(t.files, rel)
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.tree = t
	return t, nil
}

// lsFiles is `git ls-files -- pattern` over the listed files: the pattern
// names a file, a directory (every file below it) or, with wildcards, is
// matched as git matches pathspecs, where * and ? match "/" too
// (gitglossary, pathspec; dir.c, match_pathspec_item).
func lsFiles(files []string, pattern string) []string {
	pattern = strings.TrimPrefix(pattern, "./")
	if pattern == "" || pattern == "." {
		return files
	}
	wild := strings.ContainsAny(pattern, "*?[\\")
	var out []string
	for _, f := range files {
		switch {
		case f == pattern,
			strings.HasSuffix(pattern, "/") && strings.HasPrefix(f, pattern),
			strings.HasPrefix(f, pattern+"/"),
			wild && wildmatch(pattern, f):
			out = append(out, f)
		}
	}
	return out
}

// wildmatch is git's wildmatch without WM_PATHNAME: * and ? match any
// character, "/" included; [...] with ranges, ! or ^ negation and
// [:class:]; a backslash quotes the next character.
func wildmatch(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if wildmatch(p, s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			p, s = p[1:], s[1:]
		case '[':
			if s == "" {
				return false
			}
			ok, rest, valid := matchClass(p, s[0])
			if !valid || !ok {
				return false
			}
			p, s = rest, s[1:]
		case '\\':
			if len(p) > 1 {
				p = p[1:]
			}
			fallthrough
		default:
			if s == "" || p[0] != s[0] {
				return false
			}
			p, s = p[1:], s[1:]
		}
	}
	return s == ""
}

// matchClass matches c against the bracket expression at the start of p,
// returning what follows it; valid is false when the bracket never closes.
func matchClass(p string, c byte) (matched bool, rest string, valid bool) {
	i := 1
	negate := false
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		negate = true
		i++
	}
	first := true
	for i < len(p) {
		if p[i] == ']' && !first {
			return matched != negate, p[i+1:], true
		}
		first = false
		if p[i] == '[' && i+1 < len(p) && p[i+1] == ':' {
			if end := strings.Index(p[i+2:], ":]"); end >= 0 {
				if classMatches(p[i+2:i+2+end], c) {
					matched = true
				}
				i += end + 4
				continue
			}
		}
		lo := p[i]
		if lo == '\\' && i+1 < len(p) {
			i++
			lo = p[i]
		}
		i++
		hi := lo
		if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
			hi = p[i+1]
			if hi == '\\' && i+2 < len(p) {
				hi = p[i+2]
				i++
			}
			i += 2
		}
		if lo <= c && c <= hi {
			matched = true
		}
	}
	return false, "", false
}

func classMatches(class string, c byte) bool {
	switch class {
	case "alnum":
		return isAlpha(c) || isDigit(c)
	case "alpha":
		return isAlpha(c)
	case "blank":
		return c == ' ' || c == '\t'
	case "digit":
		return isDigit(c)
	case "lower":
		return 'a' <= c && c <= 'z'
	case "upper":
		return 'A' <= c && c <= 'Z'
	case "space":
		return strings.IndexByte(" \t\n\r\v\f", c) >= 0
	case "xdigit":
		return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
	case "punct":
		return c > ' ' && c < 0x7f && !isAlpha(c) && !isDigit(c)
	case "print":
		return c >= ' ' && c < 0x7f
	case "graph":
		return c > ' ' && c < 0x7f
	case "cntrl":
		return c < ' ' || c == 0x7f
	}
	return false
}

func isAlpha(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// thisRepository tells whether a git generator's repoURL is the checkout:
// one of the Expander's RepoURLs or a remote in .git/config. When no URL
// is known at all, the checkout is taken for it, with a note.
func (r *run) thisRepository(repoURL string) (bool, error) {
	if !r.remotesOK {
		remotes, err := r.readRemotes()
		if err != nil {
			return false, err
		}
		r.remotes, r.remotesOK = remotes, true
	}
	known := append(slices.Clone(r.repoURLs), r.remotes...)
	if len(known) == 0 {
		r.note(fmt.Sprintf("the repository URL of %s is not known (no remote in .git/config); git generators for %s read it", r.root.Dir(), repoURL))
		return true, nil
	}
	want := normalizeURL(repoURL)
	for _, k := range known {
		if normalizeURL(k) == want {
			return true, nil
		}
	}
	return false, nil
}

// readRemotes reads the remote URLs of .git/config when .git is a
// directory of the checkout (a worktree's .git file points outside it).
func (r *run) readRemotes() ([]string, error) {
	cfg := filepath.Join(r.root.Dir(), ".git", "config")
	if _, _, err := r.root.Resolve(filepath.Join(r.root.Dir(), ".git")); err != nil {
		return nil, nil
	}
	data, err := r.root.ReadFile(cfg)
	if err != nil {
		return nil, nil //nolint:nilerr // no readable config: no remote known
	}
	var urls []string
	inRemote := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			inRemote = strings.HasPrefix(line, "[remote ")
			continue
		}
		if !inRemote {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "url") {
			urls = append(urls, strings.Trim(strings.TrimSpace(v), `"`))
		}
	}
	return urls, nil
}

// normalizeURL reduces a git URL to host and path, so that the https and
// ssh spellings of one repository compare equal: no scheme, user or port,
// lower case, no trailing ".git" or "/".
func normalizeURL(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	scheme := false
	if i := strings.Index(u, "://"); i >= 0 {
		u, scheme = u[i+3:], true
	}
	if at := strings.Index(u, "@"); at >= 0 && (!strings.Contains(u, "/") || at < strings.Index(u, "/")) {
		u = u[at+1:]
	}
	host, rest, _ := strings.Cut(u, "/")
	if h, port, ok := strings.Cut(host, ":"); ok {
		if _, err := strconv.Atoi(port); (err == nil || port == "") && scheme {
			host = h
		} else if !scheme {
			// scp-like host:path
			host, rest = h, strings.TrimPrefix(port+"/"+rest, "/")
			rest = strings.TrimSuffix(rest, "/")
		}
	}
	rest = strings.TrimSuffix(strings.TrimSuffix(rest, "/"), ".git")
	return host + "/" + strings.TrimSuffix(rest, "/")
}
