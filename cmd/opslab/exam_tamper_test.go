package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"

	"github.com/opslab/opslab/internal/exam"
)

// tamperSuite: every way of changing a real signed result (or what it is
// checked against) is refused with a clear message and the right exit code.
func tamperSuite(t *testing.T, p *person, root, result, pub, examFile, key, content string) {
	good := readFile(t, result)
	dir := filepath.Join(root, "tamper")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var env dsse.Envelope
	if err := json.Unmarshal([]byte(good), &env); err != nil {
		t.Fatal(err)
	}
	write := func(name string, e dsse.Envelope) string {
		b, _ := json.Marshal(e)
		f := filepath.Join(dir, name)
		writeFile(t, f, string(b))
		return f
	}
	verify := func(t *testing.T, want int, file string, msg ...string) {
		t.Helper()
		r := p.must(want, append([]string{"verify", file, "--pubkey", pub}, "--exam", examFile)...)
		wantIn(t, "verify", r.stderr, msg...)
		if strings.Contains(r.stderr, "internal error") {
			t.Fatalf("panic: %s", r.stderr)
		}
	}
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}

	t.Run("payload byte", func(t *testing.T) {
		for _, i := range []int{0, len(env.Payload) / 2, len(strings.TrimRight(env.Payload, "=")) - 1} {
			e := env
			e.Payload = flip(env.Payload, i)
			verify(t, 1, write("payload.json", e), "INVALID")
		}
	})
	t.Run("signature byte", func(t *testing.T) {
		for _, i := range []int{0, len(env.Signatures[0].Sig) / 2} {
			e := env
			e.Signatures = []dsse.Signature{{KeyID: env.Signatures[0].KeyID, Sig: flip(env.Signatures[0].Sig, i)}}
			verify(t, 1, write("sig.json", e), "INVALID", "signature")
		}
	})
	t.Run("another key", func(t *testing.T) {
		other := filepath.Join(root, "other-keys")
		p.must(0, "keys", "generate", "--out", other)
		r := p.must(1, "verify", result, "--pubkey", filepath.Join(other, "examiner.pub"))
		wantIn(t, "verify", r.stderr, "INVALID: signature")
	})
	t.Run("swapped subject digest", func(t *testing.T) {
		v, err := exam.VerifyResult([]byte(good), result, mustPub(t, pub), exam.VerifyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		payload, _ := base64.StdEncoding.DecodeString(env.Payload)
		wsDigest := ""
		for _, s := range v.Subjects {
			if s.Name == "workspace:exam-mini" {
				wsDigest = s.SHA256
			}
		}
		e := env
		e.Payload = base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(payload), wsDigest, strings.Repeat("0", 64), 1)))
		verify(t, 1, write("swap-unsigned.json", e), "INVALID: signature")

		// Signed with the examiner's key, the lab's digest swapped: caught by the results and by --content.
		priv, err := exam.LoadPrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		subjects := append([]exam.Subject(nil), v.Subjects...)
		for i := range subjects {
			if subjects[i].Name == "lab:exam-mini" {
				subjects[i].SHA256 = strings.Repeat("0", 64)
			}
		}
		signed, err := exam.SignResult(priv, subjects, v.Predicate)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, "swap-signed.json")
		writeFile(t, f, string(signed))
		verify(t, 1, f, `INVALID: subject "lab:exam-mini"`)
	})
	t.Run("lab edited", func(t *testing.T) {
		edited := filepath.Join(root, "edited-content")
		copyDir(t, content, edited)
		lab := filepath.Join(edited, "exam-mini", "lab.yaml")
		writeFile(t, lab, strings.Replace(readFile(t, lab), "points: 2", "points: 20", 1))
		r := p.must(1, "verify", result, "--pubkey", pub, "--content", edited)
		wantIn(t, "verify", r.stderr, "INVALID: subject lab:exam-mini", "differs from the lab in")
		q := &person{t: t, home: filepath.Join(root, "dave"), content: edited}
		wantIn(t, "exam start", q.must(2, "exam", "start", examFile, "--candidate", "dave").stderr, "differs from the exam's")
	})
	t.Run("exam edited after signing", func(t *testing.T) {
		var ee dsse.Envelope
		if err := json.Unmarshal([]byte(readFile(t, examFile)), &ee); err != nil {
			t.Fatal(err)
		}
		payload, _ := base64.StdEncoding.DecodeString(ee.Payload)
		ee.Payload = base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"minutes":30`, `"minutes":300`, 1)))
		b, _ := json.Marshal(ee)
		f := filepath.Join(dir, "edited.exam")
		writeFile(t, f, string(b))
		r := p.must(1, "verify", result, "--pubkey", pub, "--exam", f)
		wantIn(t, "verify", r.stderr, `INVALID: subject "exam:mini"`)
		q := &person{t: t, home: filepath.Join(root, "erin"), content: content}
		wantIn(t, "exam start", q.must(2, "exam", "start", f, "--candidate", "erin").stderr, "altered after it was signed")
	})
	t.Run("expired exam", func(t *testing.T) {
		past := func() time.Time { return time.Now().Add(-48 * time.Hour) }
		old := &person{t: t, home: filepath.Join(root, "examiner"), content: content, now: past}
		f := filepath.Join(dir, "old.exam")
		old.must(0, "exam", "create", "--labs", "exam-mini", "--minutes", "30", "--pass", "80", "--key", key, "--out", f, "--valid-for", "24h")
		q := &person{t: t, home: filepath.Join(root, "frank"), content: content}
		wantIn(t, "exam start", q.must(2, "exam", "start", f, "--candidate", "frank").stderr, "the exam expired at")
	})
	t.Run("odd candidate ids", func(t *testing.T) {
		q := &person{t: t, home: filepath.Join(root, "gina"), content: content}
		for _, id := range []string{"alice bob", "../../etc", "a\x1b[31mred", "a\nb", "", strings.Repeat("x", 200), "$(reboot)"} {
			r := q.must(2, "exam", "start", examFile, "--candidate", id)
			if strings.ContainsAny(r.stderr, "\x1b\x00") || strings.Count(r.stderr, "\n") != 1 {
				t.Fatalf("message for %q: %q", id, r.stderr)
			}
		}
		if _, err := os.Stat(filepath.Join(q.home, "state", "opslab", "exam")); !os.IsNotExist(err) {
			t.Fatal("an exam state was made for a refused candidate")
		}
	})
	t.Run("bad files", func(t *testing.T) {
		cases := map[string]string{"empty": "", "truncated": good[:len(good)/3], "not-json": "PK\x03\x04 zip?", "null": "null"}
		for name, data := range cases {
			f := filepath.Join(dir, name+".json")
			writeFile(t, f, data)
			verify(t, 2, f, f)
		}
		big := filepath.Join(dir, "big.json")
		fh, err := os.Create(big)
		if err != nil {
			t.Fatal(err)
		}
		if err := fh.Truncate(100 << 20); err != nil {
			t.Fatal(err)
		}
		fh.Close()
		verify(t, 2, big, "larger than")
		verify(t, 2, filepath.Join(dir, "missing.json"), "no such file")
		r := p.must(2, "verify", result, "--pubkey", result)
		wantIn(t, "verify", r.stderr, "no PEM block")
	})
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
