package labs

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// endpoint is the Docker engine the user asked for, and why.
type endpoint struct {
	Host   string // unix:///var/run/docker.sock, tcp://host:2376, …
	Source string // "DOCKER_HOST", `docker context "x"`, "default socket"
}

const defaultDockerHost = "unix:///var/run/docker.sock"

// resolveEndpoint honours DOCKER_HOST, then the current Docker context (which
// testcontainers ignores), then the default socket. Schemes testcontainers cannot
// use (ssh://) are an error, never a silent fallback to the local socket.
// getenv is the environment the user's docker CLI would see.
func resolveEndpoint(getenv func(string) string) (endpoint, error) {
	ep := endpoint{Host: defaultDockerHost, Source: "default socket"}
	if h := getenv("DOCKER_HOST"); h != "" {
		ep = endpoint{Host: h, Source: "DOCKER_HOST"}
	} else if name, host, err := currentDockerContext(getenv); err != nil {
		return ep, err
	} else if host != "" {
		ep = endpoint{Host: host, Source: fmt.Sprintf("docker context %q", name)}
	}
	u, err := url.Parse(ep.Host)
	if err != nil {
		return ep, &EnvError{Msg: fmt.Sprintf("the Docker endpoint %q (from %s) is not a valid URL", ep.Host, ep.Source), Err: err}
	}
	switch u.Scheme {
	case "unix", "tcp", "npipe", "http", "https":
		return ep, nil
	default:
		return ep, &EnvError{
			Msg: fmt.Sprintf("the Docker endpoint %s (from %s) uses %s://, which opslab cannot use", ep.Host, ep.Source, u.Scheme),
			Fix: "forward the remote socket and point DOCKER_HOST at it, e.g. `ssh -NL /tmp/docker.sock:/var/run/docker.sock HOST` then `export DOCKER_HOST=unix:///tmp/docker.sock`",
		}
	}
}

// currentDockerContext reads the Docker CLI's current context the way the docker CLI does:
// $DOCKER_CONTEXT, else currentContext in config.json; its endpoint lives in
// contexts/meta/<sha256(name)>/meta.json.
func currentDockerContext(getenv func(string) string) (name, host string, err error) {
	cfgDir := getenv("DOCKER_CONFIG")
	if cfgDir == "" {
		home := getenv("HOME")
		if home == "" {
			return "", "", nil
		}
		cfgDir = filepath.Join(home, ".docker")
	}
	name = getenv("DOCKER_CONTEXT")
	if name == "" {
		raw, rerr := os.ReadFile(filepath.Join(cfgDir, "config.json"))
		if rerr != nil {
			return "", "", nil // no config: the default context
		}
		var cfg struct {
			CurrentContext string `json:"currentContext"`
		}
		if jerr := json.Unmarshal(raw, &cfg); jerr != nil {
			return "", "", &EnvError{Msg: "cannot read the Docker CLI config " + filepath.Join(cfgDir, "config.json"), Err: jerr}
		}
		name = cfg.CurrentContext
	}
	if name == "" || name == "default" {
		return name, "", nil
	}
	sum := sha256.Sum256([]byte(name))
	metaFile := filepath.Join(cfgDir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json")
	raw, err := os.ReadFile(metaFile)
	if err != nil {
		return name, "", &EnvError{
			Msg: fmt.Sprintf("the current Docker context %q has no metadata at %s", name, metaFile),
			Fix: "run `docker context use default` or `docker context ls` to repair it",
		}
	}
	var meta struct {
		Endpoints map[string]struct {
			Host string `json:"Host"`
		} `json:"Endpoints"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		return name, "", &EnvError{Msg: "cannot read Docker context metadata " + metaFile, Err: err}
	}
	return name, strings.TrimSpace(meta.Endpoints["docker"].Host), nil
}
