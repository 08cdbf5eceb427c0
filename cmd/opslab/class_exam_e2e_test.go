package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestClassExamEndToEnd: a candidate in a class sits the small test exam on
// real Docker; when the proctor's `exam grade` signs the result, it reaches
// the class server, which verifies it with the examiner's public key and
// shows the signed verdict as verified.
func TestClassExamEndToEnd(t *testing.T) {
	requireDocker(t)
	tmp := t.TempDir()
	bin := buildOpslab(t)
	content, _ := filepath.Abs("testdata/exam-content")
	keys, examFile := filepath.Join(tmp, "keys"), filepath.Join(tmp, "mini.exam")
	key, pub := filepath.Join(keys, "examiner.key"), filepath.Join(keys, "examiner.pub")
	examiner := []string{"HOME=" + filepath.Join(tmp, "examiner"), "XDG_STATE_HOME=" + filepath.Join(tmp, "examiner", "state"), "OPSLAB_CONTENT=" + content}
	runOK(t, bin, examiner, "keys", "generate", "--out", keys)
	runOK(t, bin, examiner, "exam", "create", "--labs", "exam-mini", "--minutes", "30", "--pass", "80", "--key", key, "--out", examFile)

	addr, db := freeAddr(t), filepath.Join(tmp, "class.db")
	server := "http://" + addr
	startServer(t, bin, examiner, addr, db, "--exam-pubkey", pub)
	token := strings.TrimSpace(readFile(t, filepath.Join(tmp, "instructor.token")))
	code := strings.TrimSpace(runOK(t, bin, examiner, "class", "create", "certs", "--server", server, "--token", token))

	candidate := "class-" + randHex() + "@example.org"
	t.Cleanup(func() { stopExamSession(t, candidate) })
	home := filepath.Join(tmp, "cand")
	env := []string{"HOME=" + home, "XDG_STATE_HOME=" + filepath.Join(home, "state"), "XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
		"OPSLAB_WORKSPACES=" + filepath.Join(home, "ws"), "OPSLAB_CONTENT=" + content, "OPSLAB_SESSION=", "NO_COLOR=1"}
	runOK(t, bin, env, "class", "join", server, code, "--name", "Cand", "--watch=false")
	t.Cleanup(func() { _, _ = runBin(bin, env, "class", "leave") })
	runOK(t, bin, env, "exam", "start", examFile, "--candidate", candidate)
	var st examStatusJSON
	if err := json.Unmarshal([]byte(runOK(t, bin, env, "exam", "status", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	word := st.Labs[0].Params["word"]
	if err := os.WriteFile(filepath.Join(st.Labs[0].Workspace, "answer.txt"), []byte(word+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runOK(t, bin, env, "exec", "exam-mini", "app", "--", "sh", "-c", "cp /workspace/WORD /srv/word")
	runOK(t, bin, env, "exam", "submit")
	runOK(t, bin, env, "exam", "grade", "--key", key, "--out", filepath.Join(tmp, "result.json"))

	var page string
	if !eventually(20*time.Second, func() bool {
		page = get(t, server+"/c/certs", token)
		return strings.Contains(page, "✓ exam verified")
	}) {
		t.Fatalf("the dashboard does not show the verified exam result:\n%s", page)
	}
	for _, s := range []string{`data-lab="exam:mini"`, `<span class="n">4</span><span class="muted">/4</span>`} {
		if !strings.Contains(page, s) {
			t.Errorf("the dashboard lacks %q", s)
		}
	}
}
