package exam

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
)

// Payload types of the envelopes opslab writes.
const (
	PayloadTypeInToto = "application/vnd.in-toto+json" // a signed result
	PayloadTypeExam   = "application/vnd.opslab.exam+json"
)

// signEnvelope wraps payload in a DSSE envelope signed with priv, as indented JSON.
func signEnvelope(priv ed25519.PrivateKey, payloadType string, payload []byte) ([]byte, error) {
	pub, _ := priv.Public().(ed25519.PublicKey)
	s, err := dsse.NewEnvelopeSigner(ed25519Key{priv: priv, pub: pub})
	if err != nil {
		return nil, err
	}
	env, err := s.SignPayload(context.Background(), payloadType, payload)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	out, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// parseEnvelope decodes a DSSE envelope strictly: unknown fields, trailing
// data and non-canonical base64 (which would let two texts carry one
// payload) are refused. name is the file, for messages.
func parseEnvelope(data []byte, name string) (*dsse.Envelope, []byte, error) {
	var env dsse.Envelope
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		return nil, nil, &BadInputError{Msg: fmt.Sprintf("%s is not a signed opslab file (a DSSE envelope in JSON): %v", name, err)}
	}
	if dec.More() {
		return nil, nil, &BadInputError{Msg: fmt.Sprintf("%s: data after the envelope", name)}
	}
	if env.PayloadType == "" || env.Payload == "" {
		return nil, nil, &BadInputError{Msg: fmt.Sprintf("%s is not a signed opslab file: payloadType or payload is missing", name)}
	}
	payload, err := base64.StdEncoding.Strict().DecodeString(env.Payload)
	if err != nil || base64.StdEncoding.EncodeToString(payload) != env.Payload {
		return nil, nil, invalidf("payload", "not canonical base64: the envelope was altered")
	}
	if len(env.Signatures) == 0 {
		return nil, nil, invalidf("signature", "the envelope carries no signature")
	}
	for i, s := range env.Signatures {
		sig, err := base64.StdEncoding.Strict().DecodeString(s.Sig)
		if err != nil || base64.StdEncoding.EncodeToString(sig) != s.Sig {
			return nil, nil, invalidf("signature", "signature %d is not canonical base64: the envelope was altered", i+1)
		}
	}
	return &env, payload, nil
}

// openEnvelope parses data, checks its payload type and that pub signed it,
// and returns the payload.
func openEnvelope(data []byte, name string, pub ed25519.PublicKey, payloadType string) ([]byte, error) {
	env, payload, err := parseEnvelope(data, name)
	if err != nil {
		return nil, err
	}
	if env.PayloadType != payloadType {
		return nil, invalidf("payload type", "%q, expected %q", clip(env.PayloadType, 80), payloadType)
	}
	if err := verifySignature(env, pub); err != nil {
		return nil, err
	}
	return payload, nil
}

func verifySignature(env *dsse.Envelope, pub ed25519.PublicKey) error {
	v, err := dsse.NewEnvelopeVerifier(ed25519Key{pub: pub})
	if err != nil {
		return err
	}
	if _, err := v.Verify(context.Background(), env); err != nil {
		return invalidf("signature", "not a valid signature of the key %s… over this content (signed with another key, or altered after signing)", KeyID(pub)[:16])
	}
	return nil
}

// clip shortens untrusted text for a message.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
