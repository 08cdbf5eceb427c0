package labs

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/opslab/opslab/labs/spec"

	"github.com/testcontainers/testcontainers-go/wait"
)

const defaultWaitTimeout = 60 * time.Second

// waitStrategy turns a node's `wait:` into testcontainers strategies that run
// inside the container, so they work whatever the Docker host's address is.
func waitStrategy(n spec.Node) wait.Strategy {
	if n.Wait == nil {
		return nil
	}
	timeout := waitTimeout(n.Wait)
	var all []wait.Strategy
	if n.Wait.Log != "" {
		all = append(all, wait.ForLog(n.Wait.Log).WithPollInterval(100*time.Millisecond))
	}
	if loop := readinessLoop(n.Wait); loop != "" {
		// ForExec sleeps its poll interval before the first exec: a second
		// of every start went there. The loop polls inside the node and exits
		// only when ready or out of time, so one exec is all it takes.
		all = append(all, wait.ForExec([]string{"sh", "-c", loop}).
			WithPollInterval(20*time.Millisecond).WithStartupTimeout(timeout+execGrace))
	}
	if len(all) == 0 {
		return nil
	}
	return wait.ForAll(all...).WithDeadline(timeout + execGrace)
}

// execGrace is how long past a readiness loop's own timeout its exec may take.
const execGrace = 5 * time.Second

// readinessLoop is one shell script that polls every probe of a node's `wait:`
// inside the container until all succeed (exit 0) or its timeout passes (exit 1).
// One exec per wait, not one per poll: on a small machine a docker exec costs a
// quarter of a CPU-second. Polls back off from 0.1 s to 0.5 s, because even a
// fork costs milliseconds there and a dozen nodes may be waiting at once.
func readinessLoop(w *spec.Wait) string {
	probe := ReadinessProbe(w)
	if probe == "" {
		return ""
	}
	return fmt.Sprintf("n=0\nuntil %s; do\n%s\ndone\n", probe, backoffStep(waitTimeout(w)))
}

// backoffStep is the body of a shell polling loop: it sleeps 0.1 s three times,
// 0.25 s three times, then 0.5 s, and exits 1 once about timeout has passed.
func backoffStep(timeout time.Duration) string {
	const early = 1050 * time.Millisecond // the first six sleeps
	polls := 6 + int(math.Ceil(float64(timeout-early)/float64(500*time.Millisecond)))
	return fmt.Sprintf(`  n=$((n + 1)); [ "$n" -le %d ] || exit 1
  case $n in 1|2|3) sleep 0.1 ;; 4|5|6) sleep 0.25 ;; *) sleep 0.5 ;; esac`, polls)
}

// readinessScripts are the shell probes of a node's `wait:` (port, HTTP, command),
// each succeeding when that part is ready. readinessLoop polls them all at once.
func readinessScripts(w *spec.Wait) []string {
	var scripts []string
	if w.Port != 0 {
		scripts = append(scripts, listeningScript(w.Port))
	}
	if w.HTTP != "" {
		port := w.Port
		if port == 0 {
			port = 80
		}
		scripts = append(scripts, httpOKScript(port, w.HTTP))
	}
	if w.Command != "" {
		scripts = append(scripts, w.Command)
	}
	return scripts
}

func waitTimeout(w *spec.Wait) time.Duration {
	if d, err := time.ParseDuration(w.Timeout); err == nil && d > 0 {
		return d
	}
	return defaultWaitTimeout
}

// listeningScript succeeds when a TCP socket listens on port, reading /proc
// because slim images have neither ss nor netstat.
func listeningScript(port int) string {
	return fmt.Sprintf(`grep -qiE '^ *[0-9]+: [0-9A-F]+:%04X [0-9A-F]+:0000 0A' /proc/net/tcp /proc/net/tcp6 2>/dev/null`, port)
}

// httpOKScript succeeds when GET path on the port answers 2xx/3xx, with whatever
// client the image has; perl-base is in every Debian image, even python3-minimal ones.
func httpOKScript(port int, path string) string {
	url := fmt.Sprintf("http://127.0.0.1:%d%s", port, path)
	perl := fmt.Sprintf(`perl -MIO::Socket::INET -e '$s=IO::Socket::INET->new(PeerAddr=>"127.0.0.1:%d",Timeout=>2) or exit 1; print $s "GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n"; $l=<$s>; exit($l=~m{^HTTP/\S+ [23]} ? 0 : 1)'`, port, path)
	return fmt.Sprintf(`if command -v curl >/dev/null; then curl -fsS -o /dev/null --max-time 2 %[1]q;
elif command -v wget >/dev/null; then wget -q -O /dev/null -T 2 %[1]q;
else %[2]s; fi`, url, perl)
}

// ReadinessProbe is a node's `wait:` as one shell command that succeeds once
// the node is ready (no polling: the caller repeats it), or "" when the node
// has no probe. bench/ uses it as the Compose healthcheck of the same node, so
// both sides wait for exactly the same thing.
func ReadinessProbe(w *spec.Wait) string {
	if w == nil {
		return ""
	}
	probes := readinessScripts(w)
	for i, p := range probes {
		probes[i] = "( " + p + "\n)"
	}
	return strings.Join(probes, " && ")
}
