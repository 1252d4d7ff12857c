package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/versus-dev/versus/internal/catalog"
)

// TestWriteCategories runs the -write command lines: with -categories the
// folder holds a catalog the real loader accepts, with -n articles beside
// it or none; without, -write writes articles only, as before.
func TestWriteCategories(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-write", dir, "-n", "0", "-categories", "2", "-subjects", "5"}, &out, &out); err != nil {
		t.Fatalf("-write -categories: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "20 pairs, 20 three-way and 10 four-way") {
		t.Errorf("output %q does not count the sets", out.String())
	}
	cat, err := catalog.Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("catalog.Load(%s): %v", dir, err)
	}
	if n := len(cat.Categories()); n != 2 || cat.Len() != 2*3 {
		t.Errorf("%d categories and %d listed articles, want 2 and 6", n, cat.Len())
	}

	plain := t.TempDir()
	if err := run(context.Background(), []string{"-write", plain, "-n", "2"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(plain); len(entries) != 2 {
		t.Errorf("-write without -categories wrote %d entries, want the 2 articles", len(entries))
	}

	err = run(context.Background(), []string{"-write", t.TempDir(), "-categories", "1", "-subjects", "1"}, &out, &out)
	var ce *exitCodeError
	if !errors.As(err, &ce) || ce.code != 2 || !strings.Contains(err.Error(), "-subjects 1") {
		t.Errorf("-subjects 1: err %v, want a usage error (status 2) naming it", err)
	}
}

// TestCatalogScaleChild runs the child on a small catalog in this process:
// the site comes up on it and every page it asks for answers 200 (get200
// fails otherwise), composed sets included.
func TestCatalogScaleChild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "catalog")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-write", dir, "-n", "0", "-categories", "3", "-subjects", "6"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := catalogScaleOne(dir, &out); err != nil {
		t.Fatalf("catalogScaleOne: %v", err)
	}
	var s catalogSample
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatalf("child output %q: %v", out.String(), err)
	}
	if s.Categories != 3 || s.Subjects != 6 || s.Files != 3*(1+6+3) || s.Ready <= 0 || s.ReadyHeap == 0 {
		t.Errorf("sample %+v: want 3 categories of 6 subjects, 30 files, a time to ready and a heap", s)
	}
	composed := 0
	for _, h := range s.Requests {
		if h.Bytes == 0 || h.First <= 0 || h.Second <= 0 {
			t.Errorf("request %+v: want a body and two timings", h)
		}
		if strings.HasPrefix(h.What, "composed") {
			composed++
		}
	}
	if composed != 3*3 {
		t.Errorf("%d composed sets requested, want a pair, a three-way and a four-way in each of 3 categories", composed)
	}
}
