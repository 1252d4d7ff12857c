package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Set at build time, e.g.
// go build -ldflags "-X main.version=v1.2.0 -X main.commit=$(git rev-parse HEAD)".
var (
	version string
	commit  string
)

// buildVersion is the stamped version, else the module version go install
// records, else "dev".
func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// buildCommit is the stamped commit, else the VCS revision the go command
// records (absent with -buildvcs=false), else "unknown".
func buildCommit() string {
	if commit != "" {
		return commit
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev, dirty string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "-dirty"
				}
			}
		}
		if rev != "" {
			return rev + dirty
		}
	}
	return "unknown"
}

func versionLine() string {
	return fmt.Sprintf("versus %s (commit %s, %s %s/%s)", buildVersion(), buildCommit(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
