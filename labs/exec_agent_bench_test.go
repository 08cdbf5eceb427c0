package labs

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/opslab/opslab/internal/localstate"
	"github.com/opslab/opslab/labs/spec"
)

// BenchmarkNodeExec compares a short command (a check's typical one) run
// through the node's exec agent with the same command as an engine exec, in
// one run on one node. cpu-ms/op is the whole machine's CPU (the engine's
// daemons and the node included), which is what a proof on 2 cores runs out of:
//
//	go test -run '^$' -bench NodeExec -benchtime 50x ./labs
func BenchmarkNodeExec(b *testing.B) {
	for _, mode := range []struct {
		name       string
		engineOnly bool
	}{{"agent", false}, {"engine", true}} {
		b.Run(mode.name, func(b *testing.B) {
			r, lab := benchLab(b)
			r.opts.EngineExecOnly = mode.engineOnly
			ctx := context.Background()
			cmd := []string{"sh", "-c", "cat /tmp/setup-done"}
			if _, err := r.execCapture(ctx, lab, "worker", cmd, 0); err != nil { // the agent starts here
				b.Fatal(err)
			}
			before := machineCPUms(b)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if res, err := r.execCapture(ctx, lab, "worker", cmd, 0); err != nil || res.ExitCode != 0 {
					b.Fatalf("%+v %v", res, err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(machineCPUms(b)-before)/float64(b.N), "cpu-ms/op")
		})
	}
}

// benchLab starts rt-basic for a benchmark, stopped when it ends.
func benchLab(b *testing.B) (*Runtime, string) {
	b.Helper()
	dirs := localstate.Resolve(os.Getenv, os.Getenv("HOME"), os.TempDir())
	dirs.State = b.TempDir()
	r, err := NewRuntime(context.Background(), RuntimeOptions{Session: "bench-exec", Dirs: dirs, BaseImage: os.Getenv("OPSLAB_BASE_IMAGE"), Getenv: os.Getenv})
	if err != nil {
		b.Fatalf("a benchmark of execs needs a Docker engine: %v", err)
	}
	b.Cleanup(func() { r.Close() })
	dir := filepath.Join("testdata", "rt", "rt-basic")
	lab, err := spec.ParseLab(os.DirFS(dir), dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _, _ = r.Stop(context.Background(), lab.ID) })
	if _, _, err := r.Start(context.Background(), lab, StartOptions{Workspace: b.TempDir()}); err != nil {
		b.Fatal(err)
	}
	return r, lab.ID
}

// machineCPUms is the CPU time all cores have spent busy, from /proc/stat.
func machineCPUms(b *testing.B) int64 {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		b.Skip("no /proc/stat: cpu-ms/op needs Linux")
	}
	fields := strings.Fields(strings.SplitN(string(data), "\n", 2)[0])[1:] // user nice system idle iowait irq softirq steal
	var busy int64
	for i, f := range fields[:8] { // guest time is counted in user already
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, _ := strconv.ParseInt(f, 10, 64)
		busy += n
	}
	return busy * 10 // USER_HZ is 100 on Linux
}
