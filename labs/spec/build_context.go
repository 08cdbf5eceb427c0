package spec

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// SharedDir is the catalog folder of image folders any lab may build from:
// content/_shared/images/<name>/. A lab names one as ../_shared/images/<name>,
// the path from its own folder, so an editor follows it too.
const SharedDir = "_shared"

// sharedPrefix is how a build path from a lab's folder reaches SharedDir.
const sharedPrefix = "../" + SharedDir + "/"

// ImageDir is one folder of a node's build context: in the lab's folder, or
// in the catalog's shared folder.
type ImageDir struct {
	FS     fs.FS  // the lab's folder or the shared folder
	Dir    string // the folder inside FS
	Shared bool   // from SharedDir
	Path   string // for messages: "content/lb-basics/images/lb", "content/_shared/images/client"
}

// ContextFile is one file of a node's build context.
type ContextFile struct {
	Name string // path in the build context ("Dockerfile", "conf/nginx.conf")
	FS   fs.FS
	Path string // path inside FS
	From string // the ImageDir's Path, for messages
}

// BuildContext merges the node's image folders into one build context, in
// the order lab.yaml lists them: a later folder's file replaces an earlier
// one's with the same name (a lab's own app.py over a shared image's).
func (n Node) BuildContext() ([]ContextFile, error) {
	byName := map[string]ContextFile{}
	for _, d := range n.Context {
		err := fs.WalkDir(d.FS, d.Dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			name := strings.TrimPrefix(strings.TrimPrefix(p, d.Dir), "/")
			byName[name] = ContextFile{Name: name, FS: d.FS, Path: p, From: d.Path}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", d.Path, err)
		}
	}
	files := make([]ContextFile, 0, len(byName))
	for _, f := range byName {
		files = append(files, f)
	}
	slices.SortFunc(files, func(a, b ContextFile) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}

// ImageName is a short name for the node's image: its last folder's name.
func (n Node) ImageName() string {
	if len(n.Context) == 0 {
		return "image"
	}
	return path.Base(n.Context[len(n.Context)-1].Dir)
}

// resolveBuild finds a build path of lab.yaml: a folder inside the lab's
// folder, or ../_shared/<dir> in the catalog's shared folder.
func resolveBuild(lab, shared fs.FS, labSource, sharedSource, build string) (ImageDir, error) {
	clean := path.Clean(build)
	if rest, ok := strings.CutPrefix(clean, sharedPrefix); ok {
		if shared == nil {
			return ImageDir{}, fmt.Errorf("%q is in the shared image folders, but this catalog has no %s folder beside its labs", build, SharedDir)
		}
		if !fs.ValidPath(rest) || rest == "." {
			return ImageDir{}, fmt.Errorf("expected a folder like ../_shared/images/NAME, got %q", build)
		}
		return checkImageDir(ImageDir{FS: shared, Dir: rest, Shared: true, Path: sharedSource + "/" + rest}, sharedSource)
	}
	if build == "" || !fs.ValidPath(clean) || clean == "." {
		return ImageDir{}, fmt.Errorf("expected a folder inside the lab folder, like images/web, or a shared one, like ../_shared/images/NAME, got %q", build)
	}
	return checkImageDir(ImageDir{FS: lab, Dir: clean, Path: labSource + "/" + clean}, "the lab folder")
}

func checkImageDir(d ImageDir, in string) (ImageDir, error) {
	if st, err := fs.Stat(d.FS, d.Dir); err != nil || !st.IsDir() {
		return d, fmt.Errorf("folder %s does not exist in %s", d.Dir, in)
	}
	return d, nil
}

// hasDockerfile says whether the merged context of dirs has a Dockerfile.
func hasDockerfile(dirs []ImageDir) bool {
	for _, d := range dirs {
		if isFile(d.FS, path.Join(d.Dir, "Dockerfile")) {
			return true
		}
	}
	return false
}
