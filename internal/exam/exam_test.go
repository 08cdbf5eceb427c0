package exam

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opslab/opslab/labs/spec"
)

func TestDeriveParams(t *testing.T) {
	seed := strings.Repeat("ab", 32)
	decls := []spec.Param{{Name: "port", Choices: []string{"8081", "8082", "8083", "8084", "8085", "8086", "8087", "8088"}},
		{Name: "fault", Choices: []string{"a", "b", "c", "d", "e", "f", "g", "h"}}, {Name: "fixed", Default: "x"}}
	a1, err := DeriveParams(seed, "alice@example.org", "web", decls)
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := DeriveParams(seed, "alice@example.org", "web", decls)
	if a1["port"] != a2["port"] || a1["fault"] != a2["fault"] || a1["fixed"] != "x" {
		t.Fatalf("not deterministic: %v %v", a1, a2)
	}
	// Over many candidates every choice comes up, and candidates differ.
	seen := map[string]bool{}
	for i := range 200 {
		p, _ := DeriveParams(seed, "c"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+strings.Repeat("y", i/26), "web", decls)
		seen[p["port"]] = true
	}
	if len(seen) != 8 {
		t.Fatalf("choices picked: %v", seen)
	}
	other, _ := DeriveParams(strings.Repeat("cd", 32), "alice@example.org", "web", decls)
	otherLab, _ := DeriveParams(seed, "alice@example.org", "db", decls)
	if other["port"]+other["fault"] == a1["port"]+a1["fault"] && otherLab["port"]+otherLab["fault"] == a1["port"]+a1["fault"] {
		t.Fatalf("seed and lab do not change the picks")
	}
	if _, err := DeriveParams("zz", "a", "web", decls); err == nil {
		t.Fatal("a bad seed was accepted")
	}
}

func TestCandidateIDs(t *testing.T) {
	good := []string{"alice@example.org", "s1234567", "jean.dupont+exam@x.fr", "A_b-c"}
	for _, id := range good {
		if err := ValidateCandidate(id); err != nil {
			t.Errorf("%q refused: %v", id, err)
		}
	}
	bad := []string{"", " alice", "alice bob", "a/b", "../etc", "a\nb", "a\x1b[31mred", "-rf", "é", "a'b", `a"b`, "a;b", "$(x)", strings.Repeat("a", 129), "a\x00b"}
	for _, id := range bad {
		err := ValidateCandidate(id)
		var bi *BadInputError
		if !errors.As(err, &bi) {
			t.Errorf("%q accepted", id)
			continue
		}
		if strings.ContainsAny(err.Error(), "\n\x1b\x00") {
			t.Errorf("the message carries the raw id: %q", err.Error())
		}
	}
	if Session("a.b") == Session("a-b") || !strings.HasPrefix(Session("Alice@Example.org"), "exam-alice-example-") {
		t.Errorf("sessions: %s %s %s", Session("a.b"), Session("a-b"), Session("Alice@Example.org"))
	}
}

func TestExpiredExam(t *testing.T) {
	f := newFixture(t)
	e, err := OpenExam(f.examFile, "x.exam", f.pub)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.CheckStartable(t0.Add(time.Hour)); err != nil {
		t.Fatalf("fresh exam: %v", err)
	}
	err = e.CheckStartable(t0.Add(31 * 24 * time.Hour))
	var exp *ExpiredError
	if !errors.As(err, &exp) || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("expired exam: %v", err)
	}
	if err := e.CheckStartable(t0.Add(-time.Hour)); err == nil {
		t.Fatal("an exam from the future started")
	}
}

func TestExamValidate(t *testing.T) {
	pub, _ := newKey(t)
	for name, mk := range map[string]func() (*Exam, error){
		"no labs":  func() (*Exam, error) { return NewExam("x", nil, 10, 50, false, t0, time.Hour, pub) },
		"bad pass": func() (*Exam, error) { return NewExam("x", []Lab{{"a", digestA}}, 10, 150, false, t0, time.Hour, pub) },
		"bad mins": func() (*Exam, error) { return NewExam("x", []Lab{{"a", digestA}}, 0, 50, false, t0, time.Hour, pub) },
		"bad name": func() (*Exam, error) {
			return NewExam("../x", []Lab{{"a", digestA}}, 10, 50, false, t0, time.Hour, pub)
		},
		"dup lab": func() (*Exam, error) {
			return NewExam("x", []Lab{{"a", digestA}, {"a", digestA}}, 10, 50, false, t0, time.Hour, pub)
		},
		"expired": func() (*Exam, error) { return NewExam("x", []Lab{{"a", digestA}}, 10, 50, false, t0, -time.Hour, pub) },
	} {
		if _, err := mk(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestKeys(t *testing.T) {
	dir := t.TempDir()
	privPath, pubPath, err := GenerateKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(privPath)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("private key mode %o", st.Mode().Perm())
	}
	priv, err := LoadPrivateKey(privPath)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := LoadPublicKey(pubPath)
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Equal(priv.Public()) {
		t.Fatal("the pair does not match")
	}
	if _, _, err := GenerateKeys(dir); err == nil {
		t.Fatal("keys overwritten")
	}
	if _, err := LoadPublicKey(privPath); err == nil {
		t.Fatal("a private key read as public")
	}
	if _, err := LoadPrivateKey(filepath.Join(dir, "none")); err == nil {
		t.Fatal("a missing key read")
	}
}

// A workspace changed after the deadline: the snapshot keeps what was there at
// the deadline, and restoring it undoes the late work, files added included.
func TestWorkspaceChangedAfterDeadline(t *testing.T) {
	ws := t.TempDir()
	mustWrite(t, filepath.Join(ws, "app.conf"), "port 80\n")
	mustWrite(t, filepath.Join(ws, "sub", "x.sh"), "echo hi\n")
	if err := os.Symlink("app.conf", filepath.Join(ws, "link")); err != nil {
		t.Fatal(err)
	}
	before, err := DigestDir(ws)
	if err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(t.TempDir(), "snap")
	got, err := Snapshot(ws, snap)
	if err != nil {
		t.Fatal(err)
	}
	if got != before {
		t.Fatalf("the snapshot's digest %s differs from the workspace's %s", got, before)
	}
	// Late work.
	mustWrite(t, filepath.Join(ws, "app.conf"), "port 8080\n")
	mustWrite(t, filepath.Join(ws, "late.txt"), "after the deadline\n")
	if err := os.Chmod(filepath.Join(ws, "sub", "x.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if after, _ := DigestDir(ws); after == before {
		t.Fatal("the digest does not see the late work")
	}
	if again, _ := DigestDir(snap); again != before {
		t.Fatal("the late work reached the snapshot")
	}
	if err := Restore(snap, ws); err != nil {
		t.Fatal(err)
	}
	if restored, _ := DigestDir(ws); restored != before {
		t.Fatal("restoring the snapshot did not undo the late work")
	}
	if _, err := os.Stat(filepath.Join(ws, "late.txt")); !os.IsNotExist(err) {
		t.Fatal("a file added after the deadline survived")
	}
	if _, err := Snapshot(ws, snap); err == nil {
		t.Fatal("a snapshot was overwritten")
	}
}

func mustWrite(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
