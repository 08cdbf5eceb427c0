package labs

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goodLab is the lab.yaml of the fixture lab: the format's example, whole.
const goodLab = `id: lb-basics
title: Put a load balancer in front of two app instances
track: incident
level: beginner
minutes: 30
params:
  - name: backend_port
    default: "8000"
    description: port the apps listen on
  - name: broken
    choices: [app1, app2]
nodes:
  - name: lb
    build: images/lb
    command: ["nginx", "-g", "daemon off;"]
    ports:
      - "8080:80"
      - {container: 9090, host: 0, name: web, protocol: tcp}
      - 53/udp
    workspace: /workspace
    mounts:
      - {workspace: conf, target: /etc/nginx/conf.d, readonly: true}
    wait: {port: 80, http: /healthz, timeout: 30s}
  - name: app1
    build: images/app
    command: gunicorn --bind 0.0.0.0:{{ .backend_port }} app:app
    env: {PORT: {{ .backend_port }}, BROKEN: "{{ .broken }}"}
    wait: {log: ready}
  - name: app2
    build: images/app
setup:
  - {node: app1, run: "echo app1 > /srv/www/id"}
tasks:
  - id: lb-up
    title: the load balancer answers
    points: 2
    checks:
      - command: {node: lb, run: "docker inspect -f '{{ "{{.State.Status}}" }}' x"}
pass: {threshold: 0.8}
solve:
  - {node: lb, run: "nginx -s reload"}
`

const dockerfile = "ARG BASE_IMAGE=debian:bookworm-slim\nFROM ${BASE_IMAGE}\n"

// labFS is a complete lab folder around yaml.
func labFS(yaml string) fstest.MapFS {
	return fstest.MapFS{
		"lab.yaml":                      {Data: []byte(yaml)},
		"README.md":                     {Data: []byte("# LB basics\n")},
		"images/lb/Dockerfile":          {Data: []byte(dockerfile)},
		"images/app/Dockerfile":         {Data: []byte(dockerfile)},
		"workspace/conf/default.conf":   {Data: []byte("upstream app {}\n"), Mode: 0o644},
		"workspace/.github/ci.yml":      {Data: []byte("on: push\n"), Mode: 0o644},
		"workspace/deploy.sh":           {Data: []byte("#!/bin/sh\necho deploy\n"), Mode: 0o444},
		"solution/conf/default.conf":    {Data: []byte("upstream app { server app1; }\n")},
		"wrong/one-backend/conf/a.conf": {Data: []byte("upstream app { server app1; }\n")},
		"wrong/typo/conf/default.conf":  {Data: []byte("upstream app { server ap1; }\n")},
	}
}

// edit replaces old with new in the good lab; the test fails if old is not there.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(goodLab, old) {
		t.Fatalf("fixture has no %q", old)
	}
	return strings.Replace(goodLab, old, new, 1)
}

// golden compares got with testdata/<name>.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./labs -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test ./labs -update after checking):\n--- got\n%s\n--- want\n%s", file, got, want)
	}
}
