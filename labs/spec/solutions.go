package spec

import "io/fs"

// Folders of a lab that are copied into the learner's workspace.
const (
	WorkspaceDir = "workspace"
	SolutionDir  = "solution"
	WrongDir     = "wrong"
)

// Solutions lists the lab's reference solution ("solution", or "" when it has
// none) and its known-wrong solutions ("wrong/NAME", sorted).
func Solutions(lab *Lab) (reference string, wrong []string) {
	if isDir(lab.FS, SolutionDir) {
		reference = SolutionDir
	}
	entries, _ := fs.ReadDir(lab.FS, WrongDir)
	for _, e := range entries {
		if e.IsDir() {
			wrong = append(wrong, WrongDir+"/"+e.Name())
		}
	}
	return reference, wrong
}

func isDir(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && st.IsDir()
}
