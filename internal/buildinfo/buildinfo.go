// Package buildinfo says which hookguard this is: the version set at build
// time (-ldflags "-X github.com/hookguard/hookguard/internal/buildinfo.version=v1.2.3"),
// else the module version Go recorded (a tagged `go install ...@v1.2.3`),
// else the VCS revision and time of a build from a checkout.
package buildinfo

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// version is set by the release build's ldflags.
var version = ""

// Info is what is known of this build.
type Info struct {
	Version  string `json:"version"`
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
}

// Read collects the build's identity.
func Read() Info {
	info := Info{Version: version}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		if info.Version == "" {
			info.Version = "dev"
		}
		return info
	}
	info.Go = bi.GoVersion
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Revision = s.Value
		case "vcs.time":
			info.Time = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		info.Version = bi.Main.Version
	}
	if info.Version == "" {
		info.Version = "dev"
		if info.Revision != "" {
			short := info.Revision
			if len(short) > 12 {
				short = short[:12]
			}
			info.Version = "dev-" + short
			if info.Modified {
				info.Version += "-dirty"
			}
		}
	}
	return info
}

// String is one line: "v1.2.3 (abc123def456, 2026-11-27T01:52:10Z, go1.26.8)".
func (i Info) String() string {
	var parts []string
	if i.Revision != "" {
		short := i.Revision
		if len(short) > 12 {
			short = short[:12]
		}
		parts = append(parts, short)
	}
	if i.Time != "" {
		parts = append(parts, i.Time)
	}
	if i.Go != "" {
		parts = append(parts, i.Go)
	}
	if len(parts) == 0 {
		return i.Version
	}
	return fmt.Sprintf("%s (%s)", i.Version, strings.Join(parts, ", "))
}
