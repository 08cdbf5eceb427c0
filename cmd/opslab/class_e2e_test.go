package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestClassEndToEnd runs the real binary: a class server, two learners who
// join, start the small test lab and grade it on real Docker; the dashboard
// and the export show both with their scores. The server is then killed
// with SIGKILL and restarted: nothing reported is lost.
func TestClassEndToEnd(t *testing.T) {
	if !dockerUp() {
		if os.Getenv("CI") != "" {
			t.Fatalf("Docker is required when CI is set, and it is unreachable: %v", dockerErr)
		}
		t.Skip("Docker is not reachable")
	}
	tmp := t.TempDir()
	bin := buildOpslab(t)
	content, _ := filepath.Abs("testdata/content")
	addr := freeAddr(t)
	server := "http://" + addr
	instEnv := []string{"HOME=" + filepath.Join(tmp, "inst"), "XDG_STATE_HOME=" + filepath.Join(tmp, "inst", "state")}
	db := filepath.Join(tmp, "class.db")

	srv := startServer(t, bin, instEnv, addr, db)
	token := strings.TrimSpace(readFile(t, filepath.Join(tmp, "instructor.token")))
	code := strings.TrimSpace(runOK(t, bin, instEnv, "class", "create", "e2e", "--server", server, "--token", token))
	if len(code) != 9 {
		t.Fatalf("class create printed %q, want the join code alone", code)
	}

	suffix := randHex()
	learners := []struct{ name, session string }{{"Ada", "class-e2e-a-" + suffix}, {"Bob", "class-e2e-b-" + suffix}}
	envs := map[string][]string{}
	for _, l := range learners {
		home := filepath.Join(tmp, l.name)
		env := []string{"HOME=" + home, "XDG_STATE_HOME=" + filepath.Join(home, "state"), "XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
			"OPSLAB_WORKSPACES=" + filepath.Join(home, "ws"), "OPSLAB_SESSION=" + l.session, "OPSLAB_CONTENT=" + content, "NO_COLOR=1"}
		envs[l.name] = env
		t.Cleanup(func() { stopSession(l.session) })
		watch := "--watch=false"
		if l.name == "Bob" {
			watch = "--watch" // auto-progress, stopped by leave below
		}
		out := runOK(t, bin, env, "class", "join", server, strings.ToLower(code), "--name", l.name, watch, "--interval", "10s")
		if !strings.Contains(out, "joined class e2e") {
			t.Fatalf("join: %s", out)
		}
		t.Cleanup(func() { _, _ = runBin(bin, env, "class", "leave") })
		runOK(t, bin, env, "start", "alpha")
		if out := runOK(t, bin, env, "grade", "alpha"); !strings.Contains(out, "4.5/4.5") {
			t.Fatalf("%s's grade: %s", l.name, out)
		}
	}
	status := runOK(t, bin, envs["Bob"], "status")
	if !strings.Contains(status, "reporting to class e2e on "+server+" as Bob") || !strings.Contains(status, "auto-progress on") {
		t.Errorf("status does not say Bob reports, and to whom:\n%s", status)
	}

	want := func() bool {
		var rows []struct {
			Learner   string  `json:"learner"`
			BestScore float64 `json:"best_score"`
			Passed    bool    `json:"passed"`
		}
		out, err := runBin(bin, instEnv, "class", "export", "e2e", "--server", server, "--token", token, "--format", "json")
		if err != nil || json.Unmarshal([]byte(out), &rows) != nil {
			return false
		}
		got := map[string]bool{}
		for _, r := range rows {
			got[r.Learner] = r.BestScore == 4.5 && r.Passed
		}
		return got["Ada"] && got["Bob"]
	}
	if !eventually(20*time.Second, want) {
		out, _ := runBin(bin, instEnv, "class", "export", "e2e", "--server", server, "--token", token, "--format", "csv")
		t.Fatalf("the export does not show both learners at 4.5/4.5 and passed:\n%s\nAda's sender: %s\nBob's sender: %s", out,
			readLog(filepath.Join(tmp, "Ada", "state", "opslab", "class", "background.log")),
			readLog(filepath.Join(tmp, "Bob", "state", "opslab", "class", "background.log")))
	}
	page := get(t, server+"/c/e2e", token)
	for _, s := range []string{">Ada<", ">Bob<", `<span class="n">4.5</span>`, `data-lab="alpha"`} {
		if !strings.Contains(page, s) {
			t.Errorf("the dashboard lacks %q", s)
		}
	}

	// kill -9, restart on the same database: everything is still there.
	_ = srv.Process.Kill()
	_ = srv.Wait()
	srv = startServer(t, bin, instEnv, addr, db)
	if !want() {
		t.Fatal("after kill -9 and a restart the export lost learners or scores")
	}

	for _, l := range learners {
		runOK(t, bin, envs[l.name], "stop", "alpha")
		if out := runOK(t, bin, envs[l.name], "class", "leave"); !strings.Contains(out, "left class e2e") {
			t.Errorf("leave: %s", out)
		}
	}
	if s := runOK(t, bin, envs["Bob"], "status"); strings.Contains(s, "reporting to") {
		t.Errorf("status after leave still says reporting:\n%s", s)
	}
	_ = srv.Process.Signal(os.Interrupt)
	if err := srv.Wait(); err != nil {
		t.Errorf("the server did not stop cleanly on Ctrl-C: %v", err)
	}
}

// buildOpslab builds the real binary for one test (the build cache makes
// the second build of a run a link).
func buildOpslab(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "opslab")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startServer starts `class serve` and waits until it answers.
func startServer(t *testing.T, bin string, env []string, addr, db string, extra ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"class", "serve", "--addr", addr, "--db", db, "--token-file", filepath.Join(filepath.Dir(db), "instructor.token")}, extra...)...)
	cmd.Env = append(os.Environ(), env...)
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	if !eventually(10*time.Second, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	}) {
		t.Fatalf("class serve did not start: %s", errb.String())
	}
	return cmd
}

func runBin(bin string, env []string, args ...string) (string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func runOK(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	out, err := runBin(bin, env, args...)
	if err != nil {
		t.Fatalf("opslab %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func get(t *testing.T, url, token string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}

func eventually(d time.Duration, f func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if f() {
			return true
		}
	}
	return f()
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func randHex() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func readLog(p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
