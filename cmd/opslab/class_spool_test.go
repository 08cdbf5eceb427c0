package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestClassReportsSurviveAServerOutage: with the server down, a learner's
// reports wait in the spool; the next opslab command after the server is
// back delivers them, in order, each once. No Docker needed: hints report.
func TestClassReportsSurviveAServerOutage(t *testing.T) {
	tmp := t.TempDir()
	bin := buildOpslab(t)
	content, _ := filepath.Abs("testdata/content")
	addr, db := freeAddr(t), filepath.Join(tmp, "class.db")
	server := "http://" + addr
	instEnv := []string{"HOME=" + filepath.Join(tmp, "inst"), "XDG_STATE_HOME=" + filepath.Join(tmp, "inst", "state")}
	srv := startServer(t, bin, instEnv, addr, db)
	token := strings.TrimSpace(readFile(t, filepath.Join(tmp, "instructor.token")))
	code := strings.TrimSpace(runOK(t, bin, instEnv, "class", "create", "outage", "--server", server, "--token", token))
	env := []string{"HOME=" + filepath.Join(tmp, "ada"), "XDG_STATE_HOME=" + filepath.Join(tmp, "ada", "state"),
		"OPSLAB_CONTENT=" + content, "OPSLAB_SESSION=class-spool", "NO_COLOR=1"}
	runOK(t, bin, env, "class", "join", server, code, "--name", "Ada", "--watch=false")
	t.Cleanup(func() { _, _ = runBin(bin, env, "class", "leave") })

	_ = srv.Process.Kill() // the server is gone
	_ = srv.Wait()
	for _, task := range []string{"up", "up", "up"} {
		start := time.Now()
		runOK(t, bin, env, "hint", "alpha", task)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("hint took %s with the server down: reporting must not wait for it", d)
		}
	}
	time.Sleep(500 * time.Millisecond) // let the failed senders finish
	if out := runOK(t, bin, env, "--no-color", "list"); out == "" {
		t.Fatal("list printed nothing")
	}
	spool := filepath.Join(tmp, "ada", "state", "opslab", "class", "spool")
	if n := countJSON(spool); n != 3 {
		t.Fatalf("%d reports in the spool with the server down, want 3", n)
	}

	startServer(t, bin, instEnv, addr, db)
	runOK(t, bin, env, "list") // the next command sends what waits
	if !eventually(15*time.Second, func() bool { return countJSON(spool) == 0 }) {
		t.Fatalf("the spool still holds %d reports after the server came back", countJSON(spool))
	}
	runOK(t, bin, env, "class", "send") // a second send finds nothing to repeat
	var rec struct {
		Events []struct {
			ID   string
			Kind string
			Hint struct {
				Task string
				Tier int
			}
		}
	}
	if err := json.Unmarshal([]byte(get(t, server+"/api/learners/1", token)), &rec); err != nil {
		t.Fatal(err)
	}
	var got []string
	ids := map[string]bool{}
	for _, e := range rec.Events {
		got = append(got, e.Hint.Task+"/"+string(rune('0'+e.Hint.Tier)))
		if ids[e.ID] {
			t.Errorf("event %s stored twice", e.ID)
		}
		ids[e.ID] = true
	}
	if strings.Join(got, " ") != "up/1 up/2 up/2" {
		t.Errorf("the server has %v, want the three hint reports in order, once each", got)
	}
}

func countJSON(dir string) int {
	m, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	return len(m)
}
