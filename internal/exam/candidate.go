package exam

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/opslab/opslab/labs/spec"
)

// candidateRE is what a candidate id may be: an e-mail address, a student
// number, a name with dots. Nothing a terminal or a shell would interpret.
var candidateRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$`)

// ValidateCandidate refuses ids that could confuse a reader of the result,
// a terminal or a shell: control characters, spaces, quotes, slashes, long ids.
func ValidateCandidate(id string) error {
	if !candidateRE.MatchString(id) {
		return &BadInputError{Msg: fmt.Sprintf("candidate id %s: use 1 to 128 letters, digits and . _ @ + - (starting with a letter or digit), e.g. alice@example.org",
			QuoteUntrusted(id))}
	}
	return nil
}

// Session is the candidate's own session: their labs never clash with another
// candidate's on one engine. The hash keeps "a.b" and "a-b" apart.
func Session(candidate string) string {
	sum := sha256.Sum256([]byte(candidate))
	s := strings.ToLower(candidate)
	s = strings.Map(func(r rune) rune {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			return r
		}
		return '-'
	}, s)
	if len(s) > 16 {
		s = s[:16]
	}
	return "exam-" + strings.Trim(s, "-") + "-" + hex.EncodeToString(sum[:3])
}

// DeriveParams gives each declared param of a lab its value for one
// candidate: a param with choices takes the choice picked by
// HMAC-SHA256(seed, candidate, lab, param); any other keeps its default.
// The same exam and candidate always give the same params, so the proctor
// can re-create a candidate's lab; another candidate gets other picks.
func DeriveParams(seedHex, candidate, labID string, decls []spec.Param) (map[string]string, error) {
	seed, err := hex.DecodeString(seedHex)
	if err != nil || len(seed) != 32 {
		return nil, &BadInputError{Msg: "exam: the seed must be 32 bytes in hex"}
	}
	out := make(map[string]string, len(decls))
	for _, d := range decls {
		if len(d.Choices) == 0 {
			out[d.Name] = d.Default
			continue
		}
		m := hmac.New(sha256.New, seed)
		for _, part := range []string{"opslab/params/v1", candidate, labID, d.Name} {
			var n [4]byte
			binary.BigEndian.PutUint32(n[:], uint32(len(part)))
			m.Write(n[:])
			m.Write([]byte(part))
		}
		sum := m.Sum(nil)
		out[d.Name] = d.Choices[binary.BigEndian.Uint64(sum[:8])%uint64(len(d.Choices))]
	}
	return out, nil
}

// QuoteUntrusted shows text from a file or the command line safely: quoted,
// control characters escaped, clipped. The CLI prints text from a signed
// file with it: no one checked that text for terminal escapes.
func QuoteUntrusted(s string) string {
	return fmt.Sprintf("%q", clip(s, 140))
}

func encodeB64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func decodeB64(s string) ([]byte, error) { return base64.StdEncoding.Strict().DecodeString(s) }
