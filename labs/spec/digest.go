package spec

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"slices"
)

// digestRoots are what a lab's environment is made of: a change in any of
// them is a different lab for signed results and image caching. README.md,
// solution/ and wrong/ are left out on purpose: fixing a typo in the
// instructions does not change what was graded.
var digestRoots = []string{"images", "workspace"}

// ComputeDigest is the sha256 (hex) of lab.yaml as written (before params
// are applied) and of every file under images/ and workspace/, by sorted path.
func ComputeDigest(fsys fs.FS) (string, error) {
	h := sha256.New()
	if err := digestFile(h, fsys, LabFile); err != nil {
		return "", err
	}
	var files []string
	for _, root := range digestRoots {
		err := fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				if name == root && errors.Is(err, fs.ErrNotExist) {
					return fs.SkipDir // the folder is optional
				}
				return err
			}
			if !d.IsDir() {
				files = append(files, name)
			}
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("digest: %w", err)
		}
	}
	slices.Sort(files)
	for _, name := range files {
		if err := digestFile(h, fsys, name); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// digestFile writes length-prefixed path and content, so no two different
// trees can produce the same byte stream.
func digestFile(h hash.Hash, fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		// A symlink to a folder cannot be read as a file: its target is its content.
		if target, lerr := fs.ReadLink(fsys, name); lerr == nil {
			data, err = []byte("symlink:"+target), nil
		}
	}
	if err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	for _, part := range [][]byte{[]byte(name), data} {
		_ = binary.Write(h, binary.BigEndian, uint64(len(part)))
		h.Write(part)
	}
	return nil
}
