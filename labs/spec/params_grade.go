package spec

import (
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"strings"
)

// Grade values are built-in params drawn anew every time a lab file is read —
// so every grading sees values no one could know when the learner's files or
// a fake answer were written. A check sends {{ .grade_nonce }} through the
// service and then looks for it in the backend's own log; a reconfigure check
// asks for {{ .grade_port }}, which no hard-coded config can have guessed.
// Start, solve and each grading read the lab separately, so the values differ
// between them: use them in checks and grader actions only.
const gradePrefix = "grade_"

// GradeValueNames lists the built-ins, for messages and docs.
var GradeValueNames = []string{"grade_nonce", "grade_port", "grade_name"}

// lookupParam finds a reference's value: a param's, else a grade value's.
func lookupParam(values, grade map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		if v, ok := values[name]; ok {
			return v, true
		}
		v, ok := grade[name]
		return v, ok
	}
}

// drawGradeValues draws one set of grade values.
func drawGradeValues() map[string]string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return map[string]string{
		// 16 hex digits: never in a config by chance.
		"grade_nonce": fmt.Sprintf("%x", b),
		// A port from a wide range that no lab's defaults or choices use.
		"grade_port": fmt.Sprint(20000 + mrand.IntN(30000)),
		// A name that is a valid hostname, file name and identifier.
		"grade_name": "g" + strings.ToLower(fmt.Sprintf("%x", b[:4])),
	}
}
