package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

type hvFile struct {
	FilePath string `json:"filePath"`
	Messages []struct {
		RuleID   string `json:"ruleId"`
		Severity int    `json:"severity"`
		Message  string `json:"message"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Selector string `json:"selector"`
	} `json:"messages"`
	ErrorCount int `json:"errorCount"`
}

// TestValidHTML fetches every page type through the real router, checks the
// status, and runs html-validate (presets standard + document, from
// node/.htmlvalidate.json) on the bytes readers get. One node process checks
// all pages.
func TestValidHTML(t *testing.T) {
	hv, err := NodeTool(".bin/html-validate")
	need(t, err)
	nodeDir, err := NodeDir()
	if err != nil {
		t.Fatal(err)
	}
	s := site(t)
	dir := t.TempDir()
	var files []string
	byFile := map[string]Page{}
	for _, p := range s.Pages() {
		status, body, err := Fetch(context.Background(), s.URL, p)
		if err != nil {
			t.Fatal(err)
		}
		if status != p.Status {
			t.Errorf("%s %s: status %d, want %d", p.Name, p.Path, status, p.Status)
		}
		f := filepath.Join(dir, p.Name+".html")
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		byFile[f] = p
	}
	// JSON goes to a file: node may exit before a large stdout pipe drains.
	jsonOut := filepath.Join(dir, "report.json")
	args := append([]string{"-c", filepath.Join(nodeDir, ".htmlvalidate.json"), "-f", "text,json=" + jsonOut}, files...)
	cmd := exec.Command(hv, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// It exits 1 when it finds errors (the JSON says which), anything else
	// means it did not run. The JSON lists only files with messages.
	runErr := cmd.Run()
	var exit *exec.ExitError
	if runErr != nil && !(errors.As(runErr, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("html-validate: %v\nstderr: %s", runErr, stderr.Bytes())
	}
	raw, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatalf("html-validate wrote no report: %v\nstdout: %s\nstderr: %s", err, stdout.Bytes(), stderr.Bytes())
	}
	var report []hvFile
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatalf("html-validate report %s: %v", jsonOut, err)
	}
	if runErr != nil && len(report) == 0 {
		t.Fatalf("html-validate failed but reported nothing: %s", stderr.Bytes())
	}
	for _, f := range report {
		p := byFile[f.FilePath]
		for _, m := range f.Messages {
			if m.Severity < 2 {
				t.Logf("%s %s:%d:%d: warning %s: %s (%s)", p.Name, p.Path, m.Line, m.Column, m.RuleID, m.Message, m.Selector)
				continue
			}
			t.Errorf("%s %s:%d:%d: %s: %s (%s)", p.Name, p.Path, m.Line, m.Column, m.RuleID, m.Message, m.Selector)
		}
	}
}
