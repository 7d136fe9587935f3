package render

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"sync"
)

// ErrNetwork is returned by every network request made while rendering
// offline.
var ErrNetwork = errors.New("hookguard renders without network (remote references are off)")

// refuseNetwork is an http.RoundTripper that never connects.
type refuseNetwork struct{}

func (refuseNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, &networkError{url: r.URL.Redacted()}
}

type networkError struct{ url string }

func (e *networkError) Error() string { return "refused to fetch " + e.url + ": " + ErrNetwork.Error() }
func (e *networkError) Unwrap() error { return ErrNetwork }

// Both guards are process-wide, so renders share them: offline renders run
// side by side under one installation of the guards (the first installs,
// the last restores), and a render that may use the network runs alone.
var (
	renderMu   sync.RWMutex // offline renders hold it shared, online ones alone
	guardMu    sync.Mutex   // guards guardUsers and saved
	guardUsers int
	saved      struct {
		transport http.RoundTripper
		path      string
		hadPath   bool
	}
)

// offline cuts kustomize off from the network for one render, behind the
// field checks of prepareKustomization: its HTTP loader uses a client on
// http.DefaultTransport, which now refuses every request whatever the case
// or field of the URL, and it clones git remotes with the git found on
// PATH, which is emptied. Programs hookguard itself runs (helm, for
// helmCharts) are resolved from the real PATH (lookPath). It returns the
// function that restores both once no offline render is left.
func offline() (restore func()) {
	renderMu.RLock()
	guardMu.Lock()
	if guardUsers == 0 {
		saved.transport = http.DefaultTransport
		saved.path, saved.hadPath = os.LookupEnv("PATH")
		http.DefaultTransport = refuseNetwork{}
		os.Setenv("PATH", "")
	}
	guardUsers++
	guardMu.Unlock()
	return func() {
		guardMu.Lock()
		guardUsers--
		if guardUsers == 0 {
			http.DefaultTransport = saved.transport
			if saved.hadPath {
				os.Setenv("PATH", saved.path)
			} else {
				os.Unsetenv("PATH")
			}
		}
		guardMu.Unlock()
		renderMu.RUnlock()
	}
}

// online is held by a render that may use the network (remote bases
// allowed): no offline guard is up while it runs.
func online() (done func()) {
	renderMu.Lock()
	return renderMu.Unlock
}

// lookPath resolves a program on the real PATH, even while an offline
// render has emptied it.
func lookPath(name string) string {
	guardMu.Lock()
	path := os.Getenv("PATH")
	if guardUsers > 0 {
		path = saved.path
	}
	guardMu.Unlock()
	for _, dir := range filepath.SplitList(path) {
		if !filepath.IsAbs(dir) {
			continue // "" or "." would run a program out of the repository being rendered
		}
		p := filepath.Join(dir, name)
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() && info.Mode()&0o111 != 0 {
			return p
		}
	}
	return name
}
