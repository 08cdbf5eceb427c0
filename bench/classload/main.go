// Command classload is the class server's load benchmark (bench/class_load.sh
// runs it): N simulated learners each report a grade every interval while D
// dashboards hold their Server-Sent Events streams open. It prints the
// latency of a report (p50/p99/max), how many events the server stored
// against how many were accepted (lost must be 0), and what the dashboards
// received.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type learner struct {
	ID    int64  `json:"learner_id"`
	Token string `json:"token"`
}

func main() {
	server := flag.String("server", "http://127.0.0.1:8088", "class server URL")
	token := flag.String("token", "", "instructor token")
	n := flag.Int("learners", 300, "simulated learners")
	every := flag.Duration("every", 2*time.Second, "each learner reports this often")
	dur := flag.Duration("for", 60*time.Second, "how long")
	dashboards := flag.Int("dashboards", 5, "SSE dashboards")
	flag.Parse()
	if err := run(*server, *token, *n, *every, *dur, *dashboards); err != nil {
		fmt.Fprintln(os.Stderr, "classload:", err)
		os.Exit(1)
	}
}

var client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConns: 1000, MaxIdleConnsPerHost: 1000}}

func call(method, url, token string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s %s: %d %s", method, url, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

func run(server, token string, n int, every, dur time.Duration, dashboards int) error {
	class := fmt.Sprintf("load-%d", time.Now().Unix())
	var cr struct{ Code string }
	if err := call("POST", server+"/api/classes", token, map[string]string{"name": class}, &cr); err != nil {
		return err
	}
	ls := make([]learner, n)
	for i := range ls {
		if err := call("POST", server+"/api/join", "", map[string]string{"code": cr.Code, "name": fmt.Sprintf("learner-%03d", i)}, &ls[i]); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var sseMsgs, sseBytes, sseReconnects atomic.Int64
	var wg sync.WaitGroup
	for range dashboards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dashboard(ctx, server+"/c/"+class+"/stream", token, &sseMsgs, &sseBytes, &sseReconnects)
		}()
	}
	time.Sleep(300 * time.Millisecond)

	var mu sync.Mutex
	var lat []time.Duration
	var sent, failed atomic.Int64
	end := time.Now().Add(dur)
	var lwg sync.WaitGroup
	for i, l := range ls {
		lwg.Add(1)
		go func() {
			defer lwg.Done()
			time.Sleep(time.Duration(rand.Int64N(int64(every)))) // spread the learners over the interval
			tick := time.NewTicker(every)
			defer tick.Stop()
			for seq := 0; time.Now().Before(end); seq++ {
				ev := gradeEvent(fmt.Sprintf("%d-%d", i, seq), seq)
				start := time.Now()
				err := call("POST", server+"/api/events", l.Token, map[string]any{"schema": "opslab/class-event/v1", "events": []any{ev}}, nil)
				d := time.Since(start)
				if err != nil {
					failed.Add(1)
					fmt.Fprintln(os.Stderr, err)
				} else {
					sent.Add(1)
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
				<-tick.C
			}
		}()
	}
	lwg.Wait()
	time.Sleep(500 * time.Millisecond)
	cancel()
	wg.Wait()

	stored := 0
	for _, l := range ls {
		var rec struct{ Events []json.RawMessage }
		if err := call("GET", fmt.Sprintf("%s/api/learners/%d", server, l.ID), token, nil, &rec); err != nil {
			return err
		}
		stored += len(rec.Events)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	fmt.Printf("learners %d, one report each every %s for %s, %d SSE dashboards\n", n, every, dur, dashboards)
	fmt.Printf("reports accepted %d, failed %d, stored by the server %d, lost %d\n", sent.Load(), failed.Load(), stored, sent.Load()-int64(stored))
	fmt.Printf("report latency p50 %s, p90 %s, p99 %s, max %s\n", pct(.50).Round(10*time.Microsecond), pct(.90).Round(10*time.Microsecond),
		pct(.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond))
	fmt.Printf("dashboards received %d SSE messages (%d KiB), reconnects %d\n", sseMsgs.Load(), sseBytes.Load()/1024, sseReconnects.Load())
	if failed.Load() > 0 || sent.Load() != int64(stored) {
		return fmt.Errorf("events were lost or refused")
	}
	return nil
}

// dashboard reads a class's SSE stream until ctx ends, reconnecting like a browser.
func dashboard(ctx context.Context, url, token string, msgs, bytes, reconnects *atomic.Int64) {
	for first := true; ctx.Err() == nil; first = false {
		if !first {
			reconnects.Add(1)
		}
		req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			line := sc.Text()
			bytes.Add(int64(len(line) + 1))
			if strings.HasPrefix(line, "event: ") {
				msgs.Add(1)
			}
		}
		resp.Body.Close()
	}
}

// gradeEvent is a plausible grade: a lab of 5 tasks the learner progresses on.
func gradeEvent(id string, seq int) map[string]any {
	passing := min(5, seq/6)
	var tasks []map[string]any
	score := 0
	for k := range 5 {
		st, msg := "fail", "expected HTTP 200 from http://lb/, got 502 Bad Gateway"
		if k < passing {
			st, msg = "pass", ""
			score += 2
		}
		tasks = append(tasks, map[string]any{"id": fmt.Sprintf("t%d", k+1), "title": "Task", "status": st, "points": 2,
			"checks": []map[string]any{{"id": "c1", "status": st, "message": msg}}})
	}
	return map[string]any{"id": id, "kind": "graded", "lab": "lb-basics", "at": time.Now().UTC().Format(time.RFC3339Nano),
		"grade": map[string]any{"score": score, "max_score": 10, "passed": score == 10, "tasks": tasks}}
}
