package labs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opslab/opslab/labs/spec"
	"github.com/opslab/opslab/labs/spec/spectest"
)

func testLab(t *testing.T) *spec.Lab {
	t.Helper()
	lab, err := spec.ParseLab(spectest.LabFS(spectest.GoodLab), "content/lb-basics", nil)
	if err != nil {
		t.Fatal(err)
	}
	return lab
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCopyWorkspace(t *testing.T) {
	lab := testLab(t)
	tests := []struct {
		name       string
		before     map[string]string // the learner's files
		wantCopied []string
		want       map[string]string
	}{
		{
			name:       "empty workspace",
			wantCopied: []string{".github/ci.yml", "conf/default.conf", "deploy.sh"},
			want:       map[string]string{"conf/default.conf": "upstream app {}\n", ".github/ci.yml": "on: push\n"},
		},
		{
			name:       "learner's work is never overwritten",
			before:     map[string]string{"conf/default.conf": "my fix\n", "notes.txt": "mine\n"},
			wantCopied: []string{".github/ci.yml", "deploy.sh"},
			want:       map[string]string{"conf/default.conf": "my fix\n", "notes.txt": "mine\n"},
		},
		{
			name:       "a learner's file where the lab has a folder",
			before:     map[string]string{"conf": "a file\n"},
			wantCopied: []string{".github/ci.yml", "deploy.sh"},
			want:       map[string]string{"conf": "a file\n"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := t.TempDir()
			for name, data := range tc.before {
				writeTestFile(t, filepath.Join(dst, name), data)
			}
			copied, err := CopyWorkspace(lab, dst)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(copied)
			if !slices.Equal(copied, tc.wantCopied) {
				t.Errorf("copied = %v, want %v", copied, tc.wantCopied)
			}
			for name, data := range tc.want {
				if got := readFile(t, filepath.Join(dst, name)); got != data {
					t.Errorf("%s = %q, want %q", name, got, data)
				}
			}
		})
	}
}

func TestCopyWorkspaceModes(t *testing.T) {
	dst := t.TempDir()
	if _, err := CopyWorkspace(testLab(t), dst); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]fs.FileMode{"deploy.sh": 0o755, "conf/default.conf": 0o644} {
		st, err := os.Stat(filepath.Join(dst, name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s mode = %v, want %v", name, st.Mode().Perm(), want)
		}
	}
}

func TestOverlaySolution(t *testing.T) {
	lab := testLab(t)
	ref, wrong := spec.Solutions(lab)
	if ref != "solution" || !slices.Equal(wrong, []string{"wrong/one-backend", "wrong/typo"}) {
		t.Fatalf("Solutions = %q, %v", ref, wrong)
	}
	dst := t.TempDir()
	writeTestFile(t, filepath.Join(dst, "conf/default.conf"), "learner\n")
	if err := OverlaySolution(lab, "wrong/typo", dst); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dst, "conf/default.conf")); got != "upstream app { server ap1; }\n" {
		t.Errorf("overlay did not overwrite: %q", got)
	}
	err := OverlaySolution(lab, "../../etc", dst)
	var ue *spec.UsageError
	if !errors.As(err, &ue) || ue.Msg != `lab lb-basics has no solution "../../etc" (it has: solution, wrong/one-backend, wrong/typo)` {
		t.Errorf("err = %v", err)
	}
}

func TestBackupWorkspace(t *testing.T) {
	src := filepath.Join(t.TempDir(), "lb-basics")
	writeTestFile(t, filepath.Join(src, "conf/default.conf"), "work\n")
	writeTestFile(t, filepath.Join(src, ".git/HEAD"), "ref: refs/heads/main\n")
	if err := os.Chmod(filepath.Join(src, "conf/default.conf"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("conf/default.conf", filepath.Join(src, "link")); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "backups")
	now := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

	got, err := BackupWorkspace(src, root, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "lb-basics-20250304-050607"); got != want {
		t.Errorf("backup = %s, want %s", got, want)
	}
	if readFile(t, filepath.Join(got, "conf/default.conf")) != "work\n" || readFile(t, filepath.Join(got, ".git/HEAD")) == "" {
		t.Error("backup lacks files")
	}
	if st, _ := os.Stat(filepath.Join(got, "conf/default.conf")); st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", st.Mode().Perm())
	}
	if l, err := os.Readlink(filepath.Join(got, "link")); err != nil || l != "conf/default.conf" {
		t.Errorf("symlink = %q, %v", l, err)
	}

	second, err := BackupWorkspace(src, root, now)
	if err != nil || second != got+"-2" {
		t.Errorf("second backup in the same second = %q, %v", second, err)
	}
	if none, err := BackupWorkspace(filepath.Join(src, "missing"), root, now); none != "" || err != nil {
		t.Errorf("missing workspace: %q, %v", none, err)
	}
}

func writeTestFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Backups are bounded: the newest BackupsKept of a workspace stay, the oldest
// go, and another workspace's backups (a name that starts the same) are kept.
func TestBackupsAreBounded(t *testing.T) {
	src := filepath.Join(t.TempDir(), "lb")
	writeTestFile(t, filepath.Join(src, "f"), "x\n")
	other := filepath.Join(t.TempDir(), "lb-2")
	writeTestFile(t, filepath.Join(other, "f"), "y\n")
	root := filepath.Join(t.TempDir(), "backups")
	base := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	if _, err := BackupWorkspace(other, root, base); err != nil {
		t.Fatal(err)
	}
	var made []string
	for i := range BackupsKept + 5 {
		now := base.Add(time.Duration(i/12) * time.Second) // 12 in one second: suffixes -2 … -12
		b, err := BackupWorkspace(src, root, now)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, filepath.Base(b))
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := append([]string{"lb-2-20250304-050607"}, made[5:]...)
	slices.Sort(want)
	if !slices.Equal(left, want) {
		t.Fatalf("backups left = %v\nwant %v", left, want)
	}
}

// A workspace path with spaces and letters beyond ASCII is an ordinary path;
// a workspace path that is a file is a clear error naming it.
func TestPrepareWorkspaceOddPaths(t *testing.T) {
	lab := testLab(t)
	dir := filepath.Join(t.TempDir(), "my wörk späce", "lab ü")
	got, err := prepareWorkspace(lab, dir)
	if err != nil || got != dir {
		t.Fatalf("prepareWorkspace(%q) = %q, %v", dir, got, err)
	}
	if readFile(t, filepath.Join(dir, "conf/default.conf")) != "upstream app {}\n" {
		t.Fatal("the lab's files were not copied")
	}
	file := filepath.Join(t.TempDir(), "a file")
	writeTestFile(t, file, "x")
	_, err = prepareWorkspace(lab, file)
	var envErr *EnvError
	if !errors.As(err, &envErr) || !strings.Contains(err.Error(), file) {
		t.Fatalf("a workspace that is a file: %v (%T), want an EnvError naming it", err, err)
	}
}

// failingFS fails to open one file, as a full disk or a read error would
// part-way through a copy.
type failingFS struct {
	fs.FS
	bad string
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name == f.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("no space left on device")}
	}
	return f.FS.Open(name)
}

func TestCopyWorkspaceFailingPartWayLeavesNothingOfIts(t *testing.T) {
	lab := testLab(t)
	lab.FS = failingFS{FS: lab.FS, bad: spec.WorkspaceDir + "/deploy.sh"} // walked last
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CopyWorkspace(lab, dir); err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("CopyWorkspace: err = %v, want the copy's error", err)
	}
	var left []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			left = append(left, rel)
		}
		return err
	})
	if !slices.Equal(left, []string{"notes.txt"}) || readFile(t, filepath.Join(dir, "notes.txt")) != "mine\n" {
		t.Errorf("after a failed copy the workspace holds %v, want only the learner's notes.txt, unchanged", left)
	}
}

func TestPrepareWorkspaceFailingRemovesTheFolderItMade(t *testing.T) {
	lab := testLab(t)
	lab.FS = failingFS{FS: lab.FS, bad: spec.WorkspaceDir + "/deploy.sh"}
	dir := filepath.Join(t.TempDir(), "new workspace")
	_, err := prepareWorkspace(lab, dir)
	var env *EnvError
	if !errors.As(err, &env) || !strings.Contains(err.Error(), "nothing was left half-copied") {
		t.Fatalf("prepareWorkspace: err = %v, want an EnvError that says nothing was left", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the workspace folder the failed start made is still there (stat: %v)", err)
	}
}
