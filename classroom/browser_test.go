package classroom

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser starts Debian's headless chromium. Without it the test skips,
// except in CI (CI set), where it fails: .ci/run installs chromium.
func browser(t *testing.T, width, height int) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is required when CI is set (apt-get install chromium; .ci/run does it)")
		}
		t.Skip("chromium is not installed (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(width, height))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelC := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })
	return ctx
}

// login signs in through the login page, as an instructor would.
func login(ctx context.Context, ts *testServer, next string) error {
	return chromedp.Do(ctx,
		chromedp.Navigate(ts.web.URL+"/login?next="+next),
		chromedp.WaitVisible(`input[name=token]`),
		chromedp.SendKeys(`input[name=token]`, testToken),
		chromedp.Submit(`input[name=token]`),
		chromedp.WaitVisible(`#grid`),
		chromedp.WaitVisible(`#live.on`), // the live stream is connected
	)
}

func text(ctx context.Context, sel string) string {
	s, _ := chromedp.Run(ctx, chromedp.Text(sel))
	return strings.TrimSpace(s)
}

func TestDashboardUpdatesLiveInBrowser(t *testing.T) {
	ts := newTestServer(t, "")
	code := ts.createClass("live")
	ada, bob := ts.join(code, "Ada"), ts.join(code, "Bob")
	ts.do("POST", "/api/events", ada.Token, batch(Event{ID: "s", Kind: KindLabStarted, Lab: "alpha", At: time.Now()},
		gradeEvent("g1", "alpha", 2, false, "expected level info, got debug")))

	ctx := browser(t, 1280, 800)
	cell := fmt.Sprintf(`#row-%d td.cell[data-lab="alpha"] .score .n`, ada.LearnerID)
	if err := login(ctx, ts, "/c/live"); err != nil {
		t.Fatal(err)
	}
	if before := text(ctx, cell); before != "2" {
		t.Fatalf("Ada's alpha score before = %q, want 2", before)
	}
	// A reload would lose this: the cell must change in the same document.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__sameDocument = "yes"`)); err != nil {
		t.Fatal(err)
	}
	if st, body := ts.do("POST", "/api/events", ada.Token, batch(gradeEvent("g2", "alpha", 4, true, ""))); st != 200 {
		t.Fatalf("posting the grade: %d %s", st, body)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('`+cell+`').textContent === "4"`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("the grid cell did not change without a reload: %v (it shows %q)", err, text(ctx, cell))
	}
	if marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__sameDocument`)); err != nil || marker != "yes" {
		t.Errorf("the page was reloaded (marker %q, %v)", marker, err)
	}
	// A new lab is a new column: the whole grid is redrawn live.
	ts.do("POST", "/api/events", bob.Token, batch(Event{ID: "b1", Kind: KindLabStarted, Lab: "beta", At: time.Now()}))
	if err := chromedp.Do(ctx, chromedp.WaitVisible(fmt.Sprintf(`#row-%d td.cell[data-lab="beta"] .score`, bob.LearnerID))); err != nil {
		t.Fatalf("the new column did not appear: %v", err)
	}
	if marker, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__sameDocument`)); marker != "yes" {
		t.Errorf("the page was reloaded for the new column")
	}
	if live := text(ctx, "#live"); !strings.Contains(live, "live") {
		t.Errorf("live badge says %q", live)
	}
}

// TestDashboardScreenshot fills a class of 20 learners and photographs the
// dashboard: OPSLAB_SCREENSHOT=path.png keeps the picture.
func TestDashboardScreenshot(t *testing.T) {
	ts := newTestServer(t, "")
	code := ts.createClass("k8s-monday")
	names := []string{"Ada Lovelace", "Alan Turing", "Barbara Liskov", "Bjarne S.", "Claude Shannon", "Dennis Ritchie",
		"Donald Knuth", "Edsger Dijkstra", "Frances Allen", "Grace Hopper", "Hedy Lamarr", "John Backus", "Ken Thompson",
		"Leslie Lamport", "Linus T.", "Margaret Hamilton", "Radia Perlman", "Rob Pike", "Tim Berners-Lee", "Vint Cerf"}
	now := time.Now().UTC()
	for i, n := range names {
		l := ts.join(code, n)
		var evs []Event
		for j, lab := range []string{"lb-basics", "inc-502", "mon-alerting"} {
			if j > i%4 { // later labs: fewer learners got there yet
				continue
			}
			at := now.Add(-time.Duration(30-j*9) * time.Minute)
			evs = append(evs, Event{ID: fmt.Sprintf("s%d", j), Kind: KindLabStarted, Lab: lab, At: at})
			target := min(5, 2+(i*7+j*3)%5) // tasks passed by the last grade
			if j < i%4 {
				target = 5 // moved on: this one is done
			}
			stuck := i%6 == 4 && j == i%4
			for k := 1; k <= target; k++ {
				passing := k
				if stuck {
					passing = 1 // the same check fails every time
				}
				g := screenshotGrade(passing)
				evs = append(evs, Event{ID: fmt.Sprintf("g%d-%d", j, k), Kind: KindGraded, Lab: lab, At: at.Add(time.Duration(k*2) * time.Minute), Grade: g})
			}
			if i%3 == 1 {
				evs = append(evs, Event{ID: fmt.Sprintf("h%d", j), Kind: KindHint, Lab: lab, At: at, Hint: &Hint{Task: "t2", Tier: 1 + i%3}})
			}
		}
		if st, body := ts.do("POST", "/api/events", l.Token, batch(evs...)); st != 200 {
			t.Fatalf("%s: %d %s", n, st, body)
		}
	}
	ctx := browser(t, 1600, 1000)
	if err := login(ctx, ts, "/c/k8s-monday"); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	out := os.Getenv("OPSLAB_SCREENSHOT")
	if out == "" {
		out = filepath.Join(t.TempDir(), "dashboard.png")
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("dashboard with %d learners: %s (%d bytes)", len(names), out, len(png))
	// A laptop's screen, as it shows without scrolling.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 720)); err != nil {
		t.Fatal(err)
	}
	if png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(strings.TrimSuffix(out, ".png")+"-laptop.png", png, 0o644); err != nil {
		t.Fatal(err)
	}
	// The learner's and the lab's pages, beside it.
	for suffix, path := range map[string]string{"-learner.png": "/c/k8s-monday/learners/5", "-lab.png": "/c/k8s-monday/labs/lb-basics"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.web.URL+path), chromedp.WaitVisible(`h1`)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		p := strings.TrimSuffix(out, ".png") + suffix
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s", path, p)
	}
}

// screenshotGrade passes the first `passing` of 5 tasks.
func screenshotGrade(passing int) *Grade {
	g := &Grade{MaxScore: 10}
	for k := range 5 {
		st, msg := "fail", "expected HTTP 200 from http://lb/, got 502 Bad Gateway"
		if k < passing {
			st, msg = "pass", ""
			g.Score += 2
		}
		if k > passing {
			st = "blocked"
		}
		g.Tasks = append(g.Tasks, Task{ID: fmt.Sprintf("t%d", k+1), Title: fmt.Sprintf("Task %d", k+1), Status: st, Points: 2,
			Checks: []Check{{ID: "c1", Status: st, Message: msg}}})
	}
	g.Passed = g.Score == g.MaxScore
	return g
}
