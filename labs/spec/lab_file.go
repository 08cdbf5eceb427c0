package spec

import (
	"fmt"
	"io"
	"io/fs"
)

// maxLabFileSize bounds lab.yaml: the largest shipped one is under 20 KB. A
// bigger file is a mistake (a log pasted in, a generated file) and reading it
// would only make every `list` slow.
const maxLabFileSize = 1 << 20

// readLabFile reads fsys/lab.yaml, refusing one over maxLabFileSize before
// reading it whole.
func readLabFile(fsys fs.FS) ([]byte, error) {
	f, err := fsys.Open(LabFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxLabFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxLabFileSize {
		return nil, fmt.Errorf("the file is over %d KB; a lab definition is a few KB (is it the right file?)", maxLabFileSize>>10)
	}
	return raw, nil
}
