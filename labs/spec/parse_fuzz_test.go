package spec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/opslab/opslab/internal/yamlspec"
	"github.com/opslab/opslab/labs/spec/spectest"
)

// FuzzParseLab feeds arbitrary lab.yaml files to the parser: it must never
// panic or hang, and every refusal must be a SpecErrors (file:line: what) or a
// UsageError (bad params), the two kinds the CLI prints as clear errors.
// The seeds are every shipped lab. `go test` runs the seeds (and what fuzzing
// found, in testdata/fuzz); scripts/fuzz.sh fuzzes for minutes.
func FuzzParseLab(f *testing.F) {
	seeds, _ := filepath.Glob("../../content/*/lab.yaml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(string(b))
		}
	}
	f.Add(spectest.GoodLab)
	f.Add("id: {{ .x")
	f.Add("a: &a [*a]\nnodes: *a\n")
	f.Add("nodes:\n  - ports: [{container: x}]\n")
	f.Fuzz(func(t *testing.T, data string) {
		if len(data) > maxLabFileSize+1 {
			return
		}
		fsys := fstest.MapFS{LabFile: {Data: []byte(data)}}
		var lab *Lab
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			lab, err = ParseLab(fsys, "fuzz", nil)
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second): // a hang is a finding too: fuzzing alone would only stall
			t.Fatalf("ParseLab took over 2 s on %q", data)
		}
		if err == nil {
			if lab == nil || lab.ID == "" {
				t.Fatalf("accepted a lab without an id: %+v", lab)
			}
			return
		}
		var specErrs yamlspec.SpecErrors
		var usage *UsageError
		if !errors.As(err, &specErrs) && !errors.As(err, &usage) {
			t.Fatalf("error of type %T, want SpecErrors or *UsageError: %v", err, err)
		}
		for _, e := range specErrs {
			if e.File == "" || e.Msg == "" {
				t.Fatalf("an error without file or message: %+v", e)
			}
		}
	})
}
