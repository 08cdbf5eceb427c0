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
	"strings"
)

// digestRoots are what a lab's environment is made of: a change in any of
// them is a different lab for signed results and image caching. README.md,
// solution/ and wrong/ are left out on purpose: fixing a typo in the
// instructions does not change what was graded.
var digestRoots = []string{"images", "workspace"}

// ComputeDigest is the sha256 (hex) of lab.yaml as written (before params
// are applied), of every file under images/ and workspace/, by sorted path,
// and of every file of the shared image folders the lab builds from (named
// _shared/<dir>/...): a change to a shared file is a change to every lab using it.
func ComputeDigest(fsys fs.FS, shared ...ImageDir) (string, error) {
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
	for _, d := range shared {
		var names []string
		err := fs.WalkDir(d.FS, d.Dir, func(name string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				names = append(names, name)
			}
			return err
		})
		if err != nil {
			return "", fmt.Errorf("digest: %w", err)
		}
		slices.Sort(names)
		for _, name := range names {
			if err := digestFileAs(h, d.FS, name, SharedDir+"/"+name); err != nil {
				return "", err
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// sharedDirs are the shared image folders the lab's nodes build from, each once, sorted.
func sharedDirs(lab *Lab) []ImageDir {
	seen := map[string]bool{}
	var out []ImageDir
	for _, n := range lab.Nodes {
		for _, d := range n.Context {
			if d.Shared && !seen[d.Dir] {
				seen[d.Dir] = true
				out = append(out, d)
			}
		}
	}
	slices.SortFunc(out, func(a, b ImageDir) int { return strings.Compare(a.Dir, b.Dir) })
	return out
}

// digestFile writes length-prefixed path and content, so no two different
// trees can produce the same byte stream.
func digestFile(h hash.Hash, fsys fs.FS, name string) error {
	return digestFileAs(h, fsys, name, name)
}

// digestFileAs is digestFile under another name: shared files are named by
// their place in the catalog, not in the shared folder.
func digestFileAs(h hash.Hash, fsys fs.FS, name, as string) error {
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
	for _, part := range [][]byte{[]byte(as), data} {
		_ = binary.Write(h, binary.BigEndian, uint64(len(part)))
		h.Write(part)
	}
	return nil
}
