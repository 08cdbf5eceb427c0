package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/opslab/opslab/labs"
)

// classHTTP is the learner's and the instructor's client of a class server.
var classHTTP = &http.Client{Timeout: 10 * time.Second}

// serverError is an answer of the class server other than 2xx.
type serverError struct {
	Status int
	Msg    string
}

func (e *serverError) Error() string {
	return fmt.Sprintf("the class server answered %d: %s", e.Status, e.Msg)
}

// normalizeServer accepts "host:port" as well as a URL.
func normalizeServer(s string) (string, error) {
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", usagef("%q is not a class server URL (like http://10.0.0.5:8088)", s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// classCall sends one request to the class server; body is JSON (nil: none)
// and a JSON answer is decoded into out (nil: returned raw).
func classCall(ctx context.Context, method, server, path, token string, body, out any) ([]byte, error) {
	var rd io.Reader
	if raw, ok := body.([]byte); ok {
		rd = bytes.NewReader(raw)
	} else if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, server+path, rd)
	if err != nil {
		return nil, usagef("class server %s: %v", server, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := classHTTP.Do(req)
	if err != nil {
		return nil, &labs.EnvError{Msg: "cannot reach the class server " + server, Fix: "check the URL and that `opslab class serve` runs there", Err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, &labs.EnvError{Msg: "reading the class server's answer", Err: err}
	}
	if resp.StatusCode/100 != 2 {
		var e struct{ Error string }
		if json.Unmarshal(b, &e) != nil || e.Error == "" {
			e.Error = strings.TrimSpace(string(b))
		}
		return nil, &serverError{Status: resp.StatusCode, Msg: e.Error}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return nil, fmt.Errorf("the class server's answer is not what this opslab expects (%v): is %s an opslab class server?", err, server)
		}
	}
	return b, nil
}
