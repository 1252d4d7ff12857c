package e2e

import (
	"bufio"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// dockerBuildLine returns the Dockerfile's `RUN ... go build ...` command.
func dockerBuildLine(t *testing.T, root string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatalf("open Dockerfile: %v", err)
	}
	defer f.Close()
	var found []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "RUN ") && strings.Contains(line, "go build") {
			if strings.HasSuffix(line, `\`) {
				t.Fatalf("Dockerfile:%d: keep the go build command on one line so this test can run it", n)
			}
			found = append(found, strings.TrimPrefix(line, "RUN "))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read Dockerfile: %v", err)
	}
	if len(found) != 1 {
		t.Fatalf("Dockerfile: want exactly one RUN ... go build line, found %d: %q", len(found), found)
	}
	return found[0]
}

// TestDockerfileBuild runs the Dockerfile's own build line (there is no
// Docker engine in CI) and checks that what it produces would run on
// distroless/static: a static ELF with no interpreter, that reports the
// version stamped in with -X.
func TestDockerfileBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary: skipped with -short")
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	line := dockerBuildLine(t, root)
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-s -w`, "-X main.version=${VERSION}", "-X main.commit=${COMMIT}", "-o /out/versus", "./cmd/versus"} {
		if !strings.Contains(line, want) {
			t.Errorf("Dockerfile build line %q lacks %q", line, want)
		}
	}
	if t.Failed() {
		return
	}
	out := filepath.Join(t.TempDir(), "versus")
	const version, commit = "e2e-dockerfile-check", "e2e0commit"
	cmd := exec.Command("sh", "-c", strings.Replace(line, "/out/versus", out, 1))
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "VERSION="+version, "COMMIT="+commit)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, b)
	}

	f, err := elf.Open(out)
	if err != nil {
		t.Fatalf("read built binary: %v", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("binary has an ELF interpreter (PT_INTERP): it is dynamically linked and would not start on distroless/static")
		}
		if p.Type == elf.PT_DYNAMIC {
			t.Errorf("binary has a PT_DYNAMIC segment: it needs shared libraries")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("binary imports shared libraries %v", libs)
	}

	got, err := exec.Command(out, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s version: %v\n%s", out, err, got)
	}
	for _, want := range []string{version, commit} {
		if !strings.Contains(string(got), want) {
			t.Errorf("%s version printed %q, want it to contain %q (stamped with -X)", out, got, want)
		}
	}
}
