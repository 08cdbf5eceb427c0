package grader

import (
	"strings"
	"testing"
	"time"

	"github.com/opslab/opslab/internal/yamlspec"
)

const fullSpec = `
tasks:
  - id: apps-up
    title: Both app servers run
    points: 5
    checks:
      - id: c
        container: { node: app1, running: true, restarts: {lt: 3}, health: healthy }
  - id: lb-serves
    title: The load balancer answers on port 80
    points: 10
    required: true
    needs: [apps-up]
    hints:
      - "nudge"
      - "pointer"
      - "near-solution"
    checks:
      - id: lb-200
        http: { from: client, url: "http://lb/", status: 200, body: {contain: "hello"}, headers: {Content-Type: {match-regexp: "text/.*"}}, json: {path: ".status", equal: ok}, latency: {lt: 500ms} }
        eventually: { timeout: 20s, interval: 1s }
      - id: conf
        file: { node: workspace, path: nginx.conf, exists: true, mode: "0644", owner: root, contains: [upstream], matches: "server +app1", yaml: {path: ".a.b", equal: 3} }
      - id: cmd
        command: { node: lb, run: "nginx -t", exit: 0, stdout: {contain: ok}, stderr: {not: {contain: error}}, timeout: 10s }
        consistently: { for: 5s, interval: 1s }
      - id: p
        port: { node: lb, port: 80, listening: true }
      - id: pr
        process: { node: lb, name: nginx, running: true }
      - id: q
        promql: { url: "http://prometheus:9090", query: 'up{job="app"}', value: {ge: 1}, series: {ge: 2} }
      - id: a
        alert: { url: "http://prometheus:9090", name: InstanceDown, labels: {severity: page}, firing: true }
      - id: g
        git: { node: git, repo: /srv/git/app.git, branch: main, commits: {ge: 2}, files: [".github/workflows/ci.yml"], message: {match-regexp: "fix"} }
      - id: s
        sli: { url: "http://lb/", requests: 20, window: 5s, success_ratio: {ge: 0.99}, p95: {le: 300ms} }
      - http: { url: "http://lb/health" }
        skip: true
`

func TestParseFullSpec(t *testing.T) {
	tasks := mustTasks(t, fullSpec)
	if len(tasks) != 2 {
		t.Fatalf("got %d tasks, want 2", len(tasks))
	}
	lb := tasks[1]
	if lb.ID != "lb-serves" || !lb.Required || lb.Points != 10 || len(lb.Hints) != 3 || lb.Needs[0] != "apps-up" {
		t.Errorf("task fields wrong: %+v", lb)
	}
	kinds := []string{}
	for _, c := range lb.Checks {
		kinds = append(kinds, c.Kind())
	}
	if got, want := strings.Join(kinds, ","), "http,file,command,port,process,promql,alert,git,sli,http"; got != want {
		t.Errorf("kinds = %s, want %s", got, want)
	}
	if e := lb.Checks[0].Eventually; e == nil || e.Timeout != 20*time.Second || e.Interval != time.Second {
		t.Errorf("eventually = %+v", e)
	}
	if lb.Checks[9].ID != "http-10" || !lb.Checks[9].Skip {
		t.Errorf("default id/skip: %+v", lb.Checks[9])
	}
	cmd := lb.Checks[2].Spec.(*CommandCheck)
	if strings.Join(cmd.Run, " ") != "sh -c nginx -t" || cmd.Timeout != 10*time.Second {
		t.Errorf("command = %+v", cmd)
	}
	if errs := ValidateRefs("lab.yaml", tasks, []string{"app1", "lb", "client", "git"}); len(errs) != 0 {
		t.Errorf("ValidateRefs: %v", errs)
	}
}

func TestParseErrors(t *testing.T) {
	head := "tasks:\n  - id: t\n    title: T\n    checks:\n"
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"unknown task field", "tasks:\n  - id: t\n    title: T\n    pointz: 3\n    checks:\n      - port: {node: lb, port: 80}\n",
			`lab.yaml:4: tasks[0].pointz: unknown field "pointz" (known: after, before, checks, grade, hints, id, needs, points, required, title)`},
		{"unknown kind field", head + "      - http: {url: \"http://lb/\", stauts: 200}\n",
			`lab.yaml:5: tasks[0].checks[0].http.stauts: unknown field "stauts" (known: body, from, headers, json, latency, method, request_body, request_headers, status, timeout, url)`},
		{"unknown matcher", head + "      - http: {url: \"http://lb/\", body: {contains: x}}\n",
			`lab.yaml:5: tasks[0].checks[0].http.body.contains: unknown matcher "contains" (known: all, and, any, contain, equal, ge, gt, have-len, le, lt, match-regexp, not, or)`},
		{"bad duration", head + "      - port: {node: lb, port: 80}\n        eventually: {timeout: soon}\n",
			`lab.yaml:6: tasks[0].checks[0].eventually.timeout: expected a positive duration like "500ms" or "20s", got "soon"`},
		{"status not int", head + "      - http:\n          url: http://lb/\n          status: ok\n",
			`lab.yaml:7: tasks[0].checks[0].http.status: expected an integer HTTP status, got "ok"`},
		{"no kind", head + "      - id: x\n",
			`lab.yaml:5: tasks[0].checks[0]: a check needs one kind: alert, command, compare, container, file, git, http, log, port, process, promql, sli`},
		{"two kinds", head + "      - port: {node: lb, port: 80}\n        process: {node: lb, name: x}\n",
			`lab.yaml:5: tasks[0].checks[0]: a check has exactly one kind, got port and process: split it into separate checks`},
		{"missing required", head + "      - command: {node: lb}\n",
			`lab.yaml:5: tasks[0].checks[0].command.run: required field is missing`},
		{"bad regexp", head + "      - command: {node: lb, run: x, stdout: {match-regexp: \"(\"}}\n",
			"lab.yaml:5: tasks[0].checks[0].command.stdout.match-regexp: invalid regular expression \"(\": error parsing regexp: missing closing ): `(`"},
		{"bad mode", head + "      - file: {path: a, mode: \"999\"}\n",
			`lab.yaml:5: tasks[0].checks[0].file.mode: expected an octal mode like "0644", got "999"`},
		{"bad port", head + "      - port: {node: lb, port: 70000}\n",
			`lab.yaml:5: tasks[0].checks[0].port.port: expected a TCP port (1-65535), got 70000`},
		{"bad url", head + "      - http: {url: \"lb/\"}\n",
			`lab.yaml:5: tasks[0].checks[0].http.url: expected an absolute http(s) URL like "http://lb/", got "lb/"`},
		{"bad json path", head + "      - file: {path: a.json, json: {path: \"a.b\", equal: 1}}\n",
			`lab.yaml:5: tasks[0].checks[0].file.json.path: path "a.b" must start with "." (like ".spec.replicas")`},
		{"request header given twice", head + "      - http:\n          url: http://lb/\n          request_headers: {X-Token: a, X-Token: b}\n",
			`lab.yaml:7: tasks[0].checks[0].http.request_headers.X-Token: key "X-Token" given twice`},
		{"not a list", "tasks: {id: t}\n", `lab.yaml:1: tasks: expected a list of tasks, got a mapping`},
		{"many problems at once", "tasks:\n  - title: T\n    required: yes\n    checks:\n      - port: {node: lb, port: x}\n",
			"lab.yaml:2: tasks[0].id: required field is missing\n" +
				"lab.yaml:3: tasks[0].required: expected true or false, got \"yes\"\n" +
				"lab.yaml:5: tasks[0].checks[0].port.port: expected a TCP port (1-65535), got \"x\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTasks("lab.yaml", tasksNode(t, tc.src))
			if err == nil {
				t.Fatal("ParseTasks succeeded, want an error")
			}
			if _, ok := err.(yamlspec.SpecErrors); !ok {
				t.Errorf("error type %T, want yamlspec.SpecErrors", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n got: %s\nwant: %s", err, tc.want)
			}
		})
	}
}

func TestValidateRefs(t *testing.T) {
	src := `
tasks:
  - id: a
    title: A
    needs: [ghost]
    checks:
      - id: x
        command: {node: lb, run: "true"}
      - id: x
        command: {node: web, run: "true"}
  - id: a
    title: A again
    checks:
      - port: {node: workspace, port: 80}
  - id: b
    title: B
    needs: [c]
    checks:
      - http: {from: nowhere, url: "http://lb/"}
  - id: c
    title: C
    needs: [b]
    checks:
      - file: {path: x}
`
	errs := ValidateRefs("lab.yaml", mustTasks(t, src), []string{"lb", "client"})
	want := `lab.yaml:5: tasks[0].needs[0]: needs unknown task "ghost"
lab.yaml:9: tasks[0].checks[1].id: duplicate check id "x" in task "a" (first defined on line 7)
lab.yaml:10: tasks[0].checks[1].command.node: unknown node "web" (nodes: client, lb)
lab.yaml:11: tasks[1].id: duplicate task id "a" (first defined on line 3)
lab.yaml:14: tasks[1].checks[0].port.node: port checks run in a lab node, not the workspace (nodes: client, lb)
lab.yaml:15: tasks[2].needs: task "b" is part of or waits on a needs cycle
lab.yaml:19: tasks[2].checks[0].http.from: unknown node "nowhere" (nodes: client, lb)
lab.yaml:20: tasks[3].needs: task "c" is part of or waits on a needs cycle`
	if errs.Error() != want {
		t.Errorf("ValidateRefs:\n got:\n%s\nwant:\n%s", errs, want)
	}
}
