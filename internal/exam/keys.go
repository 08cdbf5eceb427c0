package exam

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
)

// Key file names written by GenerateKeys.
const (
	PrivateKeyFile = "examiner.key"
	PublicKeyFile  = "examiner.pub"
)

// maxKeyFile bounds what is read as a key: a PEM Ed25519 key is ~120 bytes.
const maxKeyFile = 64 << 10

// GenerateKeys writes a new Ed25519 pair into dir: examiner.key (PKCS#8 PEM,
// mode 0600) and examiner.pub (PKIX PEM). It never overwrites a key.
func GenerateKeys(dir string) (privPath, pubPath string, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", fmt.Errorf("generating a key: %w", err)
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return "", "", err
	}
	pubDER, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("creating %s: %w", dir, err)
	}
	privPath, pubPath = filepath.Join(dir, PrivateKeyFile), filepath.Join(dir, PublicKeyFile)
	for _, p := range []string{privPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			return "", "", &BadInputError{Msg: fmt.Sprintf("%s already exists: keys are never overwritten (move it away or use another --out)", p)}
		}
	}
	if err := WriteNew(privPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER}), 0o600); err != nil {
		return "", "", err
	}
	if err := WriteNew(pubPath, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}), 0o644); err != nil {
		return "", "", err
	}
	return privPath, pubPath, nil
}

// WriteNew writes a file that must not exist yet: keys and exam files are
// never overwritten (an exam's seed may be in use). An existing file is a
// *BadInputError.
func WriteNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if errors.Is(err, os.ErrExist) {
		return &BadInputError{Msg: fmt.Sprintf("%s already exists: opslab never overwrites it (move it away or choose another --out)", path)}
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

// LoadPrivateKey reads an Ed25519 private key written by GenerateKeys.
func LoadPrivateKey(path string) (ed25519.PrivateKey, error) {
	der, err := readPEM(path, "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, &BadInputError{Msg: fmt.Sprintf("%s: not a private key: %v", path, err)}
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, &BadInputError{Msg: fmt.Sprintf("%s: not an Ed25519 key (make one with `opslab keys generate`)", path)}
	}
	return priv, nil
}

// LoadPublicKey reads an Ed25519 public key written by GenerateKeys.
func LoadPublicKey(path string) (ed25519.PublicKey, error) {
	der, err := readPEM(path, "PUBLIC KEY")
	if err != nil {
		return nil, err
	}
	return ParsePublicKeyDER(der, path)
}

// ParsePublicKeyDER parses a PKIX Ed25519 public key; name is for messages.
func ParsePublicKeyDER(der []byte, name string) (ed25519.PublicKey, error) {
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, &BadInputError{Msg: fmt.Sprintf("%s: not a public key: %v", name, err)}
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, &BadInputError{Msg: fmt.Sprintf("%s: not an Ed25519 public key", name)}
	}
	return pub, nil
}

func readPEM(path, typ string) ([]byte, error) {
	data, err := ReadLimited(path, maxKeyFile)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, &BadInputError{Msg: fmt.Sprintf("%s: no PEM block (expected a %q block as `opslab keys generate` writes)", path, typ)}
	}
	if block.Type != typ {
		return nil, &BadInputError{Msg: fmt.Sprintf("%s: a %q block, expected %q", path, block.Type, typ)}
	}
	return block.Bytes, nil
}

// KeyID names a public key: sha256 of its PKIX DER, hex.
func KeyID(pub ed25519.PublicKey) string {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// ed25519Key is a dsse.SignerVerifier over an Ed25519 key (priv may be nil to verify only).
type ed25519Key struct {
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
}

var _ dsse.SignerVerifier = ed25519Key{}

func (k ed25519Key) Sign(_ context.Context, data []byte) ([]byte, error) {
	if k.priv == nil {
		return nil, errors.New("no private key")
	}
	return ed25519.Sign(k.priv, data), nil
}

func (k ed25519Key) Verify(_ context.Context, data, sig []byte) error {
	if !ed25519.Verify(k.pub, data, sig) {
		return errors.New("ed25519: invalid signature")
	}
	return nil
}

func (k ed25519Key) KeyID() (string, error)   { return KeyID(k.pub), nil }
func (k ed25519Key) Public() crypto.PublicKey { return k.pub }
