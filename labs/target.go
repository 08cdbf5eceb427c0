package labs

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/opslab/opslab/labs/spec"

	"github.com/moby/moby/client"

	"github.com/opslab/opslab/grader"
)

// labTarget gives the grader access to one running lab: exec in nodes, files in nodes
// and in the workspace, HTTP from inside the lab network.
type labTarget struct {
	r         *Runtime
	def       *spec.Lab // the definition the lab runs with: node actions recreate from it
	lab       string
	workspace string
	probe     string // the node HTTP requests are sent from when a check names none
}

// Target gives the grader access to inst, a running instance of lab (rendered
// with the params inst was started with).
func (r *Runtime) Target(lab *spec.Lab, inst *Instance) grader.Target {
	t := &labTarget{r: r, def: lab, lab: lab.ID, workspace: inst.Workspace}
	if len(lab.Nodes) > 0 {
		t.probe = lab.Nodes[0].Name // checks without from: go from the lab's first node, in lab.yaml order
	}
	return t
}

// NodeAction stops, starts, restarts or recreates a node for the grader.
func (t *labTarget) NodeAction(ctx context.Context, node, action string) error {
	return t.r.nodeAction(ctx, t.def, node, action)
}

func (t *labTarget) Exec(ctx context.Context, node string, cmd []string, timeout time.Duration) (grader.ExecResult, error) {
	return t.r.execCapture(ctx, t.lab, node, cmd, timeout)
}

func (t *labTarget) ReadFile(ctx context.Context, node, path string) (grader.File, error) {
	if node == grader.WorkspaceNode {
		return readWorkspaceFile(t.workspace, path)
	}
	const script = `f="$1"; [ -e "$f" ] || { echo missing; exit 0; }; stat -c '%a %U' "$f"; cat "$f"`
	res, err := t.r.execCapture(ctx, t.lab, node, []string{"sh", "-c", script, "sh", path}, 30*time.Second)
	if err != nil {
		return grader.File{}, err
	}
	head, body, _ := strings.Cut(res.Stdout, "\n")
	if head == "missing" {
		return grader.File{}, nil
	}
	modeStr, owner, _ := strings.Cut(head, " ")
	mode, _ := strconv.ParseUint(modeStr, 8, 32)
	return grader.File{Exists: true, Mode: fs.FileMode(mode), Owner: owner, Content: []byte(body)}, nil
}

func readWorkspaceFile(workspace, rel string) (grader.File, error) {
	p := filepath.Join(workspace, filepath.FromSlash(rel))
	if !strings.HasPrefix(p, filepath.Clean(workspace)+string(filepath.Separator)) && p != filepath.Clean(workspace) {
		return grader.File{}, fmt.Errorf("path %q leaves the workspace", rel)
	}
	info, err := os.Stat(p)
	if os.IsNotExist(err) {
		return grader.File{}, nil
	}
	if err != nil {
		return grader.File{}, err
	}
	f := grader.File{Exists: true, Mode: info.Mode().Perm(), Owner: fileOwner(info)}
	if !info.IsDir() {
		if f.Content, err = os.ReadFile(p); err != nil {
			return grader.File{}, err
		}
	}
	return f, nil
}

// HTTP sends the request with curl from a node inside the lab network, so the grader
// sees what the lab's own clients see, whatever the host's networking.
func (t *labTarget) HTTP(ctx context.Context, req grader.HTTPRequest) (grader.HTTPResponse, error) {
	from, timeout, method := t.requestDefaults(req)
	// Headers, then a marker line with status and time, then the body.
	args := []string{"curl", "-sS", "-D", "-", "-o", "/dev/stdout", "-X", method,
		"--max-time", strconv.FormatFloat(timeout.Seconds(), 'f', 3, 64),
		"-w", "\n" + curlMarker + "%{http_code} %{time_total}\n"}
	for k, v := range req.Headers {
		args = append(args, "-H", k+": "+v)
	}
	if req.Body != "" {
		args = append(args, "--data-raw", req.Body)
	}
	args = append(args, req.URL)
	res, err := t.r.execCapture(ctx, t.lab, from, args, timeout+5*time.Second)
	if err != nil {
		return grader.HTTPResponse{}, err
	}
	if res.ExitCode == 127 {
		return grader.HTTPResponse{}, fmt.Errorf("node %s has no curl: HTTP checks need curl in the node they are sent from", from)
	}
	return parseCurlOutput(res)
}

// requestDefaults fills in what a request left out: the lab's probe node, 10 s, GET.
func (t *labTarget) requestDefaults(req grader.HTTPRequest) (from string, timeout time.Duration, method string) {
	from, timeout, method = req.From, req.Timeout, req.Method
	if from == "" {
		from = t.probe
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	if method == "" {
		method = http.MethodGet
	}
	return from, timeout, method
}

const curlMarker = "\x1eopslab-http "

// parseCurlOutput splits curl's -D - output into status, headers, body and latency.
// A connection failure (curl exit ≠ 0, status 000) wraps grader.ErrNoResponse: the
// learner's service is down, which is a fail, not an environment error.
func parseCurlOutput(res grader.ExecResult) (grader.HTTPResponse, error) {
	out := res.Stdout
	i := strings.LastIndex(out, "\n"+curlMarker)
	if i < 0 {
		return grader.HTTPResponse{}, fmt.Errorf("unexpected curl output (exit %d): %s", res.ExitCode, strings.TrimSpace(res.Stderr))
	}
	var status int
	var secs float64
	fmt.Sscanf(out[i+1+len(curlMarker):], "%d %f", &status, &secs)
	if status == 0 {
		why := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(res.Stderr), "curl: "))
		return grader.HTTPResponse{}, fmt.Errorf("%w: %s", grader.ErrNoResponse, why)
	}
	resp := grader.HTTPResponse{Status: status, Headers: http.Header{}, Latency: time.Duration(secs * float64(time.Second))}
	raw := out[:i]
	// With redirects or 100-continue there can be several header blocks; the last one counts.
	for {
		head, rest, ok := strings.Cut(raw, "\r\n\r\n")
		if !ok || !strings.HasPrefix(head, "HTTP/") {
			break
		}
		resp.Headers = http.Header{}
		for _, line := range strings.Split(head, "\r\n")[1:] {
			if k, v, ok := strings.Cut(line, ":"); ok {
				resp.Headers.Add(strings.TrimSpace(k), strings.TrimSpace(v))
			}
		}
		raw = rest
	}
	resp.Body = []byte(raw)
	return resp, nil
}

func (t *labTarget) Container(ctx context.Context, node string) (grader.ContainerState, error) {
	res, err := t.r.docker.ContainerInspect(ctx, t.r.containerName(t.lab, node), client.ContainerInspectOptions{})
	if isNotFound(err) {
		return grader.ContainerState{}, nil
	}
	if err != nil {
		return grader.ContainerState{}, t.r.envErr(ctx, "cannot inspect node "+node, err)
	}
	c := res.Container
	st := grader.ContainerState{Exists: true, RestartCount: c.RestartCount}
	if c.State != nil {
		st.Running = c.State.Running
		if c.State.Health != nil {
			st.Health = string(c.State.Health.Status)
		}
	}
	return st, nil
}

// NodeLog is what node wrote to stdout and stderr since the given time, as
// the engine kept it (its json-file log: the node cannot rewrite it).
func (t *labTarget) NodeLog(ctx context.Context, node string, since time.Time) (string, error) {
	var opts client.ContainerLogsOptions
	if !since.IsZero() {
		opts.Since = fmt.Sprintf("%d.%09d", since.Unix(), since.Nanosecond())
	}
	var buf strings.Builder
	if err := t.r.logsOf(ctx, t.r.containerName(t.lab, node), opts, &buf, &buf); err != nil {
		return "", t.r.envErr(ctx, "cannot read the output of node "+node, err)
	}
	return buf.String(), nil
}

var (
	_ grader.Target    = (*labTarget)(nil)
	_ grader.NodeActor = (*labTarget)(nil)
	_ grader.LogReader = (*labTarget)(nil)
)
