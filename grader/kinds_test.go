package grader

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"
)

const procTCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 100 0 0 10 0
`

func okHTTP(status int, body string, hdr http.Header, lat time.Duration) []httpAnswer {
	return []httpAnswer{{res: HTTPResponse{Status: status, Body: []byte(body), Headers: hdr, Latency: lat}}}
}

func TestCheckKinds(t *testing.T) {
	gitCount := []string{"git", "-C", "/srv/app.git", "rev-list", "--count", "main", "--"}
	gitLog := []string{"git", "-C", "/srv/app.git", "log", "-1", "--format=%s", "main", "--"}
	gitTree := []string{"git", "-C", "/srv/app.git", "ls-tree", "-r", "--name-only", "main"}
	promURL := "http://prom:9090/api/v1/query?query=up%7Bjob%3D%22app%22%7D"
	promBody := `{"status":"success","data":{"resultType":"vector","result":[` +
		`{"metric":{"instance":"app1"},"value":[1,"1"]},{"metric":{"instance":"app2"},"value":[1,"0"]}]}}`

	tests := []struct {
		name     string
		check    string
		setup    func(f *fakeTarget)
		status   Status
		message  string
		expected string
		actual   string
	}{
		{
			name:  "http passes every matcher",
			check: `http: {url: "http://lb/", body: {contain: hello}, headers: {Content-Type: {match-regexp: "text/.*"}}, json: {path: .status, equal: ok}, latency: {lt: 500ms}}`,
			setup: func(f *fakeTarget) {
				f.http["http://lb/"] = okHTTP(200, `{"status":"ok","msg":"hello"}`, http.Header{"Content-Type": {"text/plain"}}, 20*time.Millisecond)
			},
			status:   StatusPass,
			expected: `status 200; body to contain "hello"; header Content-Type to match /text/.*/; json .status "ok"; latency < 500ms`,
			actual:   `status 200; body "{\"status\":\"ok\",\"msg\":\"hello\"}"; header Content-Type "text/plain"; json .status "ok"; latency 20ms`,
		},
		{
			name:  "http wrong status",
			check: `http: {url: "http://lb/"}`,
			setup: func(f *fakeTarget) {
				f.http["http://lb/"] = okHTTP(502, "Bad Gateway", nil, 0)
			},
			status: StatusFail, message: "expected status 200, got 502", expected: "status 200", actual: "status 502",
		},
		{
			name:  "http missing header and slow",
			check: `http: {url: "http://lb/", headers: {X-Id: {match-regexp: ".+"}}, latency: {lt: 500ms}}`,
			setup: func(f *fakeTarget) {
				f.http["http://lb/"] = okHTTP(200, "", http.Header{}, 812*time.Millisecond)
			},
			status:  StatusFail,
			message: "expected header X-Id to match /.+/, got <missing>; expected latency < 500ms, got 812ms",
		},
		{
			name:  "http no response is the learner's fail",
			check: `http: {url: "http://lb/"}`,
			setup: func(f *fakeTarget) {
				f.http["http://lb/"] = []httpAnswer{{err: fmt.Errorf("dial lb:80: connection refused: %w", ErrNoResponse)}}
			},
			status: StatusFail, message: "no response from http://lb/: dial lb:80: connection refused: no response",
		},
		{
			name:  "http hanging service is a fail",
			check: `http: {url: "http://lb/", timeout: 3s}`,
			setup: func(f *fakeTarget) {
				f.http["http://lb/"] = []httpAnswer{{err: fmt.Errorf("curl: %w", ErrTimeout)}}
			},
			status: StatusFail, message: "no response from http://lb/ within 3s",
		},
		{
			name:  "command passes",
			check: `command: {node: lb, run: "nginx -t", stdout: {contain: ok}, stderr: {not: {contain: error}}}`,
			setup: func(f *fakeTarget) {
				f.exec[execKey("lb", []string{"sh", "-c", "nginx -t"})] = []execAnswer{{res: ExecResult{Stdout: "syntax is ok"}}}
			},
			status: StatusPass,
		},
		{
			name:  "command exit code",
			check: `command: {node: lb, run: [nginx, -t]}`,
			setup: func(f *fakeTarget) {
				f.exec[execKey("lb", []string{"nginx", "-t"})] = []execAnswer{{res: ExecResult{ExitCode: 1, Stderr: "emerg"}}}
			},
			status: StatusFail, message: "expected exit code 0, got 1; output ended with: emerg",
		},
		{
			name:  "command timeout is an error",
			check: `command: {node: lb, run: "sleep 60", timeout: 2s}`,
			setup: func(f *fakeTarget) {
				f.exec[execKey("lb", []string{"sh", "-c", "sleep 60"})] = []execAnswer{{err: fmt.Errorf("exec: %w", ErrTimeout)}}
			},
			status: StatusError, message: "timed out after 2s",
		},
		{
			name:  "file with yaml path",
			check: `file: {path: app.yaml, mode: "0644", owner: root, contains: [replicas], matches: "image: +nginx", yaml: {path: .spec.replicas, ge: 2}}`,
			setup: func(f *fakeTarget) {
				f.files["workspace:app.yaml"] = File{Exists: true, Mode: 0o644, Owner: "root", Content: []byte("spec:\n  replicas: 3\n  image:  nginx\n")}
			},
			status: StatusPass,
		},
		{
			name:  "file wrong mode and yaml value",
			check: `file: {path: app.yaml, mode: "0644", yaml: {path: .spec.replicas, ge: 2}}`,
			setup: func(f *fakeTarget) {
				f.files["workspace:app.yaml"] = File{Exists: true, Mode: 0o600, Content: []byte("spec:\n  replicas: 1\n")}
			},
			status: StatusFail, message: "expected mode 0644, got 0600; expected app.yaml .spec.replicas >= 2, got 1",
		},
		{
			name:   "file missing",
			check:  `file: {node: lb, path: /etc/nginx/nginx.conf}`,
			setup:  func(f *fakeTarget) {},
			status: StatusFail, message: "expected file lb:/etc/nginx/nginx.conf to exist, got missing",
		},
		{
			name:  "file json invalid",
			check: `file: {path: a.json, json: {path: .a, equal: 1}}`,
			setup: func(f *fakeTarget) {
				f.files["workspace:a.json"] = File{Exists: true, Content: []byte("{")}
			},
			status: StatusFail, message: "a.json is not valid JSON: unexpected end of JSON input",
		},
		{
			name:  "port listening",
			check: `port: {node: lb, port: 80}`,
			setup: func(f *fakeTarget) {
				f.exec[execKey("lb", procNetTCP)] = []execAnswer{{res: ExecResult{Stdout: procTCP}}}
			},
			status: StatusPass,
		},
		{
			name:  "port not listening (8080 is only connected)",
			check: `port: {node: lb, port: 8080}`,
			setup: func(f *fakeTarget) {
				f.exec[execKey("lb", procNetTCP)] = []execAnswer{{res: ExecResult{Stdout: procTCP}}}
			},
			status: StatusFail, message: "expected port 8080 on lb to be listening, got listening: 80",
		},
		{
			name:  "process running by argv0",
			check: `process: {node: lb, name: nginx-long-binary-name}`,
			setup: func(f *fakeTarget) {
				f.exec[execKey("lb", procList)] = []execAnswer{{res: ExecResult{Stdout: "1\tnginx-long-bina\t/usr/sbin/nginx-long-binary-name\n7\tsh\tsh\n"}}}
			},
			status: StatusPass,
		},
		{
			name:  "process not running",
			check: `process: {node: lb, name: nginx}`,
			setup: func(f *fakeTarget) {
				f.exec[execKey("lb", procList)] = []execAnswer{{res: ExecResult{Stdout: "1\tsleep\tsleep\n9\tcat\tcat\n"}}}
			},
			status: StatusFail, message: "expected process nginx on lb to be running, got running: sleep",
		},
		{
			name:  "container healthy",
			check: `container: {node: app1, running: true, restarts: {lt: 3}, health: healthy}`,
			setup: func(f *fakeTarget) {
				f.containers["app1"] = ContainerState{Exists: true, Running: true, RestartCount: 1, Health: "healthy"}
			},
			status: StatusPass,
		},
		{
			name:  "container restarting",
			check: `container: {node: app1, restarts: {lt: 3}, health: healthy}`,
			setup: func(f *fakeTarget) {
				f.containers["app1"] = ContainerState{Exists: true, Running: true, RestartCount: 7, Health: "unhealthy"}
			},
			status: StatusFail, message: `expected restarts < 3, got 7; expected health "healthy", got "unhealthy"`,
		},
		{
			name:  "promql value must hold for every series",
			check: `promql: {url: "http://prom:9090", query: 'up{job="app"}', value: {ge: 1}, series: {ge: 2}}`,
			setup: func(f *fakeTarget) {
				f.http[promURL] = okHTTP(200, promBody, nil, 0)
			},
			status: StatusFail, message: `expected value{instance="app2"} >= 1, got 0`,
		},
		{
			name:  "promql bad query",
			check: `promql: {url: "http://prom:9090", query: 'up{job="app"}'}`,
			setup: func(f *fakeTarget) {
				f.http[promURL] = okHTTP(400, `{"status":"error","error":"parse error"}`, nil, 0)
			},
			status: StatusFail, message: `Prometheus rejected up{job="app"}: parse error`,
		},
		{
			name:  "alert firing in Prometheus",
			check: `alert: {url: "http://prom:9090", name: InstanceDown, labels: {severity: page}}`,
			setup: func(f *fakeTarget) {
				f.http["http://prom:9090/api/v1/alerts"] = okHTTP(200, `{"data":{"alerts":[{"labels":{"alertname":"InstanceDown","severity":"page"},"state":"firing"}]}}`, nil, 0)
			},
			status: StatusPass,
		},
		{
			name:  "alert only pending",
			check: `alert: {url: "http://prom:9090", name: InstanceDown}`,
			setup: func(f *fakeTarget) {
				f.http["http://prom:9090/api/v1/alerts"] = okHTTP(200, `{"data":{"alerts":[{"labels":{"alertname":"InstanceDown"},"state":"pending"}]}}`, nil, 0)
			},
			status: StatusFail, message: "expected alert InstanceDown to be firing, got pending",
		},
		{
			name:  "alert in Alertmanager",
			check: `alert: {url: "http://am:9093", name: InstanceDown, alertmanager: true}`,
			setup: func(f *fakeTarget) {
				f.http["http://am:9093/api/v2/alerts?filter=alertname%3DInstanceDown"] = okHTTP(200, `[{"labels":{"alertname":"InstanceDown"},"status":{"state":"active"}}]`, nil, 0)
			},
			status: StatusPass,
		},
		{
			name:  "git history",
			check: `git: {node: git, repo: /srv/app.git, branch: main, commits: {ge: 2}, files: [ci.yml, Makefile], message: {match-regexp: fix}}`,
			setup: func(f *fakeTarget) {
				f.exec[execKey("git", gitCount)] = []execAnswer{{res: ExecResult{Stdout: "3\n"}}}
				f.exec[execKey("git", gitLog)] = []execAnswer{{res: ExecResult{Stdout: "feat: add ci\n"}}}
				f.exec[execKey("git", gitTree)] = []execAnswer{{res: ExecResult{Stdout: "ci.yml\nREADME.md\n"}}}
			},
			status:  StatusFail,
			message: `expected last commit message to match /fix/, got "feat: add ci"; expected file Makefile on main to be committed, got missing`,
		},
		{
			name:  "git missing branch",
			check: `git: {node: git, repo: /srv/app.git, branch: main}`,
			setup: func(f *fakeTarget) {
				f.exec[execKey("git", gitCount)] = []execAnswer{{res: ExecResult{ExitCode: 128, Stderr: "fatal: bad revision 'main'\n"}}}
			},
			status: StatusFail, message: "no branch main in /srv/app.git on git: fatal: bad revision 'main'",
		},
		{
			name:  "sli success ratio and p95",
			check: `sli: {url: "http://lb/", requests: 10, window: 1s, p95: {le: 300ms}}`,
			setup: func(f *fakeTarget) {
				var as []httpAnswer
				for i := 0; i < 9; i++ {
					as = append(as, okHTTP(200, "", nil, 100*time.Millisecond)...)
				}
				as = append(as, httpAnswer{err: ErrNoResponse})
				f.http["http://lb/"] = as
			},
			status:  StatusFail,
			message: "expected success ratio >= 0.99, got 0.9; expected p95 latency <= 300ms, got 2s",
		},
		{
			name:   "environment broken is an error, not a fail",
			check:  `command: {node: lb, run: "true"}`,
			setup:  func(f *fakeTarget) { f.fail = errors.New("docker: connection refused") },
			status: StatusError, message: "environment error: docker: connection refused",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			tc.setup(f)
			got := oneCheck(t, f, tc.check)
			if got.Status != tc.status {
				t.Errorf("status = %s, want %s (message %q)", got.Status, tc.status, got.Message)
			}
			if got.Message != tc.message && (tc.message != "" || got.Status != StatusPass) {
				t.Errorf("message:\n got: %s\nwant: %s", got.Message, tc.message)
			}
			if tc.expected != "" && got.Expected != tc.expected {
				t.Errorf("expected:\n got: %s\nwant: %s", got.Expected, tc.expected)
			}
			if tc.actual != "" && got.Actual != tc.actual {
				t.Errorf("actual:\n got: %s\nwant: %s", got.Actual, tc.actual)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, v := range n {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		name string
		in   []time.Duration
		want time.Duration
	}{
		{"empty", nil, 0},
		{"one", ms(5), 5 * time.Millisecond},
		{"twenty", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100), 19 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.in, 0.95); got != tc.want {
				t.Errorf("p95 = %s, want %s", got, tc.want)
			}
		})
	}
}

// unsupportedSeries is a Target whose HTTPSeries cannot send a series.
type unsupportedSeries struct{ *fakeTarget }

func (unsupportedSeries) HTTPSeries(context.Context, HTTPRequest, int, time.Duration) ([]HTTPOutcome, error) {
	return nil, ErrSeriesUnsupported
}

// A Target that cannot send a series gets the requests one by one.
func TestSLIFallsBackToOneByOne(t *testing.T) {
	f := newFake()
	var as []httpAnswer
	for i := 0; i < 9; i++ {
		as = append(as, okHTTP(200, "", nil, 100*time.Millisecond)...)
	}
	f.http["http://lb/"] = append(as, httpAnswer{err: ErrNoResponse})
	src := "tasks:\n  - id: t\n    title: T\n    points: 1\n    checks:\n" +
		"      - sli: {url: \"http://lb/\", requests: 10, window: 1s, p95: {le: 300ms}}\n"
	r := Grade(context.Background(), unsupportedSeries{f}, LabInfo{ID: "lab"}, mustTasks(t, src), newClock().opts())
	got := r.Tasks[0].Checks[0]
	if want := "expected success ratio >= 0.99, got 0.9; expected p95 latency <= 300ms, got 2s"; got.Status != StatusFail || got.Message != want {
		t.Errorf("got %s %q, want fail %q", got.Status, got.Message, want)
	}
}
