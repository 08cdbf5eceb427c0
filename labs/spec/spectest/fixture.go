// Package spectest holds a complete lab folder for tests of the lab definition
// and of the runtime: the lab.yaml format's example, whole.
package spectest

import "testing/fstest"

// GoodLab is the lab.yaml of the fixture lab: the format's example, whole.
const GoodLab = `id: lb-basics
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

const Dockerfile = "ARG BASE_IMAGE=debian:bookworm-slim\nFROM ${BASE_IMAGE}\n"

// LabFS is a complete lab folder around yaml.
func LabFS(yaml string) fstest.MapFS {
	return fstest.MapFS{
		"lab.yaml":                      {Data: []byte(yaml)},
		"README.md":                     {Data: []byte("# LB basics\n")},
		"images/lb/Dockerfile":          {Data: []byte(Dockerfile)},
		"images/app/Dockerfile":         {Data: []byte(Dockerfile)},
		"workspace/conf/default.conf":   {Data: []byte("upstream app {}\n"), Mode: 0o644},
		"workspace/.github/ci.yml":      {Data: []byte("on: push\n"), Mode: 0o644},
		"workspace/deploy.sh":           {Data: []byte("#!/bin/sh\necho deploy\n"), Mode: 0o444},
		"solution/conf/default.conf":    {Data: []byte("upstream app { server app1; }\n")},
		"wrong/one-backend/conf/a.conf": {Data: []byte("upstream app { server app1; }\n")},
		"wrong/typo/conf/default.conf":  {Data: []byte("upstream app { server ap1; }\n")},
	}
}
