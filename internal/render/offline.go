package render

import (
	"errors"
	"net/http"
	"os"
	"os/exec"
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

// offlineMu serializes offline renders: both guards are process-wide.
var offlineMu sync.Mutex

// offline cuts kustomize off from the network for one render, behind the
// field checks of prepareKustomization: its HTTP loader uses a client on
// http.DefaultTransport, which now refuses every request whatever the case
// or field of the URL, and it clones git remotes with the git found on
// PATH, which is emptied. Programs hookguard itself runs (helm, for
// helmCharts) are resolved before. It returns the function that restores both.
func offline() (restore func()) {
	offlineMu.Lock()
	transport := http.DefaultTransport
	path, hadPath := os.LookupEnv("PATH")
	http.DefaultTransport = refuseNetwork{}
	os.Setenv("PATH", "")
	return func() {
		http.DefaultTransport = transport
		if hadPath {
			os.Setenv("PATH", path)
		} else {
			os.Unsetenv("PATH")
		}
		offlineMu.Unlock()
	}
}

// lookPath resolves a program before offline empties PATH.
func lookPath(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return name
}
