package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/versus-dev/versus/internal/compare"
)

// The problems of testdata/mixed and testdata/warn, as each format prints
// them: a YAML error with a column and a hint, and a warning.
const (
	warnMsg  = `source "unread" is never cited`
	warnHint = `cite it where it backs a claim ([@unread], or in a cites list or the Sources column), or remove it`
	tabMsg   = `front matter is not valid YAML at column 1: a tab in the indentation`
	tabHint  = `indent YAML with spaces only`
)

// TestCheckFormats runs check through run on real folders in every format,
// with and without -strict, and expects the whole output and exit status.
func TestCheckFormats(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{name: "text, errors and a warning", args: []string{"check", "testdata/mixed"}, wantCode: 1,
			wantStderr: "testdata/mixed/alpha-vs-beta.md:18: warning: " + warnMsg + ": " + warnHint + "\n" +
				"testdata/mixed/gamma-vs-delta.md:12: " + tabMsg + ": " + tabHint + "\n" +
				"1 problem and 1 warning in 2 files\n"},
		{name: "text, a warning alone passes", args: []string{"check", "testdata/warn"},
			wantStdout: "ok: 1 comparison\n",
			wantStderr: "testdata/warn/alpha-vs-beta.md:18: warning: " + warnMsg + ": " + warnHint + "\n" +
				"1 warning in 1 file\n"},
		{name: "text, -strict fails on a warning", args: []string{"check", "-strict", "testdata/warn"}, wantCode: 1,
			wantStderr: "testdata/warn/alpha-vs-beta.md:18: " + warnMsg + ": " + warnHint + "\n" +
				"1 problem in 1 file\n"},
		{name: "text, flags after the folder", args: []string{"check", "testdata/warn", "-strict", "-format", "text"}, wantCode: 1,
			wantStderr: "testdata/warn/alpha-vs-beta.md:18: " + warnMsg + ": " + warnHint + "\n" +
				"1 problem in 1 file\n"},
		{name: "text, nothing to say", args: []string{"check", "-strict", "testdata/good"}, wantStdout: "ok: 1 comparison\n"},

		{name: "json", args: []string{"check", "-format", "json", "testdata/mixed"}, wantCode: 1,
			wantStdout: `[
  {
    "file": "testdata/mixed/alpha-vs-beta.md",
    "line": 18,
    "severity": "warning",
    "message": "source \"unread\" is never cited",
    "hint": "cite it where it backs a claim ([@unread], or in a cites list or the Sources column), or remove it"
  },
  {
    "file": "testdata/mixed/gamma-vs-delta.md",
    "line": 12,
    "column": 1,
    "severity": "error",
    "message": "front matter is not valid YAML at column 1: a tab in the indentation",
    "hint": "indent YAML with spaces only"
  }
]
`},
		{name: "json, a warning alone passes", args: []string{"check", "-format=json", "testdata/warn"},
			wantStdout: `[
  {
    "file": "testdata/warn/alpha-vs-beta.md",
    "line": 18,
    "severity": "warning",
    "message": "source \"unread\" is never cited",
    "hint": "cite it where it backs a claim ([@unread], or in a cites list or the Sources column), or remove it"
  }
]
`},
		{name: "json, -strict", args: []string{"check", "-format", "json", "-strict", "testdata/warn"}, wantCode: 1,
			wantStdout: `[
  {
    "file": "testdata/warn/alpha-vs-beta.md",
    "line": 18,
    "severity": "error",
    "message": "source \"unread\" is never cited",
    "hint": "cite it where it backs a claim ([@unread], or in a cites list or the Sources column), or remove it"
  }
]
`},
		{name: "json, no problems is an empty array", args: []string{"check", "-format", "json", "testdata/good"}, wantStdout: "[]\n"},
		{name: "json, a problem without a line", args: []string{"check", "-format", "json", "testdata/empty"}, wantCode: 1,
			wantStdout: `[
  {
    "file": "testdata/empty",
    "severity": "error",
    "message": "no articles: add a category folder or at least one SLUG.md (see content/README.md)"
  }
]
`},

		{name: "github", args: []string{"check", "-format", "github", "testdata/mixed"}, wantCode: 1,
			wantStdout: "::warning file=testdata/mixed/alpha-vs-beta.md,line=18::" + warnMsg + ": " + warnHint + "\n" +
				"::error file=testdata/mixed/gamma-vs-delta.md,line=12,col=1::" + tabMsg + ": " + tabHint + "\n",
			wantStderr: "1 problem and 1 warning in 2 files\n"},
		{name: "github, a warning alone passes", args: []string{"check", "-format", "github", "testdata/warn"},
			wantStdout: "::warning file=testdata/warn/alpha-vs-beta.md,line=18::" + warnMsg + ": " + warnHint + "\n" +
				"ok: 1 comparison\n",
			wantStderr: "1 warning in 1 file\n"},
		{name: "github, -strict", args: []string{"check", "-format", "github", "-strict", "testdata/warn"}, wantCode: 1,
			wantStdout: "::error file=testdata/warn/alpha-vs-beta.md,line=18::" + warnMsg + ": " + warnHint + "\n",
			wantStderr: "1 problem in 1 file\n"},
		{name: "github, no line", args: []string{"check", "-format", "github", "testdata/empty"}, wantCode: 1,
			wantStdout: "::error file=testdata/empty::no articles: add a category folder or at least one SLUG.md (see content/README.md)\n",
			wantStderr: "1 problem in 1 file\n"},

		{name: "unknown format", args: []string{"check", "-format", "xml", "testdata/good"}, wantCode: 2,
			wantStderr: "versus: check -format \"xml\": want text, json or github\n" + usage},
		{name: "unknown flag", args: []string{"check", "-quiet"}, wantCode: 2},
	}
	empty := t.TempDir() // git keeps no empty folder: "testdata/empty" stands for it
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, a := range tt.args {
				tt.args[i] = strings.ReplaceAll(a, "testdata/empty", empty)
			}
			tt.wantStdout = strings.ReplaceAll(tt.wantStdout, "testdata/empty", empty)
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr)
			if code := exitCode(err, &stderr); code != tt.wantCode {
				t.Errorf("exit code %d, want %d", code, tt.wantCode)
			}
			if stdout.String() != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), tt.wantStdout)
			}
			if tt.name == "unknown flag" {
				if !strings.HasPrefix(stderr.String(), "flag provided but not defined: -quiet\n") {
					t.Errorf("stderr = %q, want the flag package's message and the flags", stderr.String())
				}
				return
			}
			if stderr.String() != tt.wantStderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), tt.wantStderr)
			}
		})
	}
}

// TestCheckGitHubEscaping checks workflow-command escaping on a real file
// whose name holds every character GitHub's runner treats specially in a
// property (%, CR, LF, ':' and ','): the name reaches both file= and the
// message.
func TestCheckGitHubEscaping(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("testdata/good/alpha-vs-beta.md")
	if err != nil {
		t.Fatal(err)
	}
	name := "a,b:c%d\r\ne.md"
	if err := os.WriteFile(filepath.Join(dir, name), good, 0o644); err != nil {
		t.Skipf("this file system refuses the name %q: %v", name, err)
	}
	var stdout, stderr bytes.Buffer
	err = run(context.Background(), []string{"check", "-format", "github", dir}, &stdout, &stderr)
	if code := exitCode(err, &stderr); code != 1 {
		t.Fatalf("exit code %d, want 1; stderr:\n%s", code, stderr.String())
	}
	file := strings.NewReplacer("%", "%25", ":", "%3A", ",", "%2C").Replace(dir) + "/a%2Cb%3Ac%25d%0D%0Ae.md"
	want := "::error file=" + file + ",line=1::slug \"a,b:c%25d\\r\\ne\" taken from the file name is not valid: " +
		"rename the file to lower-case letters, digits and '-', or set slug in the front matter\n"
	if stdout.String() != want {
		t.Errorf("stdout:\n%q\nwant:\n%q", stdout.String(), want)
	}
	if strings.Count(stdout.String(), "\n") != 1 {
		t.Errorf("a command must stay on one line: %q", stdout.String())
	}
}

// TestGitHubCommandEscaping covers what no real message holds today: a raw
// newline or carriage return in the message itself.
func TestGitHubCommandEscaping(t *testing.T) {
	p := compare.Problem{File: "x.md", Line: 3, Column: 7, Msg: "first line\nsecond: 100%, done\r", Severity: compare.SeverityWarning, Hint: "a, b: c"}
	want := "::warning file=x.md,line=3,col=7::first line%0Asecond: 100%25, done%0D: a, b: c"
	if got := githubCommand(p); got != want {
		t.Errorf("githubCommand:\n got %q\nwant %q", got, want)
	}
}
