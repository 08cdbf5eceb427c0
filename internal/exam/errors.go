package exam

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// BadInputError is input that cannot be used at all: a missing, empty,
// truncated or oversized file, not JSON, not a key. The CLI exits 2.
type BadInputError struct{ Msg string }

func (e *BadInputError) Error() string { return e.Msg }

// InvalidError is well-formed input that fails verification: a bad signature,
// a wrong payload type, a subject whose digest differs. The CLI exits 1.
// What names what failed, e.g. "signature" or "subject lab:web".
type InvalidError struct {
	What   string
	Detail string
}

func (e *InvalidError) Error() string { return e.What + ": " + e.Detail }

func invalidf(what, format string, a ...any) error {
	return &InvalidError{What: what, Detail: fmt.Sprintf(format, a...)}
}

// ReadLimited reads a whole file of at most max bytes; an empty or larger
// file is a *BadInputError, so a 100 MB file is refused without reading it all.
func ReadLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &BadInputError{Msg: fmt.Sprintf("%s: no such file", path)}
		}
		return nil, &BadInputError{Msg: fmt.Sprintf("%s: %v", path, err)}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, &BadInputError{Msg: fmt.Sprintf("%s is a folder, not a file", path)}
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, &BadInputError{Msg: fmt.Sprintf("%s: %v", path, err)}
	}
	if int64(len(data)) > max {
		return nil, &BadInputError{Msg: fmt.Sprintf("%s is larger than %d bytes: not a file opslab wrote", path, max)}
	}
	if len(data) == 0 {
		return nil, &BadInputError{Msg: fmt.Sprintf("%s is empty", path)}
	}
	return data, nil
}
