package exam

import (
	"errors"
	"testing"
)

// FuzzVerifyResult feeds arbitrary bytes to the verifier, seeded with a valid
// result and an exam file: it must never panic, and every refusal must be a
// *BadInputError (exit 2) or an *InvalidError (exit 1).
func FuzzVerifyResult(f *testing.F) {
	fx := newFixture(f)
	f.Add(fx.result)
	f.Add(fx.examFile)
	f.Add([]byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[{"keyid":"","sig":"AAAA"}]}`))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := VerifyResult(data, "fuzz.json", fx.pub, VerifyOptions{Exam: fx.examFile, ExamName: "x.exam"})
		if err == nil {
			if v == nil || v.Predicate == nil {
				t.Fatal("no error and no result")
			}
			return
		}
		var bad *BadInputError
		var inv *InvalidError
		if !errors.As(err, &bad) && !errors.As(err, &inv) {
			t.Fatalf("unclassified error %T: %v", err, err)
		}
	})
}
