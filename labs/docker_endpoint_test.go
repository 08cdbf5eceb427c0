package labs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opslab/opslab/grader"
)

func TestResolveEndpoint(t *testing.T) {
	writeContext := func(t *testing.T, dir, name, host string) {
		sum := sha256.Sum256([]byte(name))
		meta := filepath.Join(dir, "contexts", "meta", hex.EncodeToString(sum[:]))
		if err := os.MkdirAll(meta, 0o755); err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(meta, "meta.json"), []byte(`{"Name":"`+name+`","Endpoints":{"docker":{"Host":"`+host+`"}}}`), 0o644)
		_ = os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"currentContext":"`+name+`"}`), 0o644)
	}
	tests := []struct {
		name       string
		dockerHost string
		context    string // current context name, with host contextHost
		ctxHost    string
		wantHost   string
		wantSource string
		wantErr    string
	}{
		{name: "default socket", wantHost: defaultDockerHost, wantSource: "default socket"},
		{name: "DOCKER_HOST wins", dockerHost: "tcp://10.0.0.5:2375", context: "remote", ctxHost: "unix:///x.sock", wantHost: "tcp://10.0.0.5:2375", wantSource: "DOCKER_HOST"},
		{name: "current context", context: "colima", ctxHost: "unix:///home/me/.colima/docker.sock", wantHost: "unix:///home/me/.colima/docker.sock", wantSource: `docker context "colima"`},
		{name: "ssh is refused, not silently replaced", dockerHost: "ssh://me@box", wantErr: "uses ssh://"},
		{name: "ssh context is refused", context: "box", ctxHost: "ssh://me@box", wantErr: `from docker context "box"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{"DOCKER_CONFIG": dir, "DOCKER_HOST": tc.dockerHost}
			if tc.context != "" {
				writeContext(t, dir, tc.context, tc.ctxHost)
			}
			ep, err := resolveEndpoint(func(k string) string { return env[k] })
			if tc.wantErr != "" {
				var env *EnvError
				if !errors.As(err, &env) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want an EnvError containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || ep.Host != tc.wantHost || ep.Source != tc.wantSource {
				t.Fatalf("got %+v, %v; want %s from %s", ep, err, tc.wantHost, tc.wantSource)
			}
		})
	}
}

func TestParseCurlOutput(t *testing.T) {
	out := "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Type: text/html\r\n\r\n<h1>bad</h1>\n" + curlMarker + "502 0.012\n"
	res, err := parseCurlOutput(execResult(out))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 502 || res.Headers.Get("Server") != "nginx" || string(res.Body) != "<h1>bad</h1>" || res.Latency.Milliseconds() != 12 {
		t.Fatalf("got %+v body %q", res, res.Body)
	}
	// Connection refused: no headers, status 000.
	_, err = parseCurlOutput(grader.ExecResult{ExitCode: 7, Stdout: "\n" + curlMarker + "000 0.001\n", Stderr: "curl: (7) Failed to connect to lb port 80: Connection refused"})
	if !errors.Is(err, grader.ErrNoResponse) || !strings.Contains(err.Error(), "Connection refused") {
		t.Fatalf("refused: %v", err)
	}
}

func execResult(stdout string) grader.ExecResult { return grader.ExecResult{Stdout: stdout} }
