package spec

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"

	"github.com/opslab/opslab/internal/yamlspec"
)

// Catalog is a folder of labs: the embedded content/ or --content DIR.
type Catalog struct {
	fsys         fs.FS
	source       string
	ids          []string // folder names, sorted
	single       bool     // source is one lab's own folder
	shared       fs.FS    // SharedDir of the catalog, or given with UseShared
	sharedSource string
}

// Summary is what `opslab list` shows of a lab.
type Summary struct {
	ID, Title, Track, Level string
	Minutes                 int
	// Err is set when the lab does not parse: list still shows it (read
	// leniently), Load and `opslab lint` give the details.
	Err error
}

// LoadCatalog finds the labs in fsys: every top-level folder with a
// lab.yaml. When fsys is itself a lab's folder, the catalog holds that lab.
func LoadCatalog(fsys fs.FS, source string) (*Catalog, error) {
	c := &Catalog{fsys: fsys, source: source}
	if isDir(fsys, SharedDir) {
		c.shared, _ = fs.Sub(fsys, SharedDir)
		c.sharedSource = source + "/" + SharedDir
	}
	if isFile(fsys, LabFile) {
		c.single = true
		c.ids = []string{singleLabID(fsys, source)}
		return c, nil
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, &UsageError{Msg: fmt.Sprintf("cannot read the labs folder %s: %s", source, errMsg(err))}
	}
	for _, e := range entries {
		if e.IsDir() && isFile(fsys, path.Join(e.Name(), LabFile)) {
			c.ids = append(c.ids, e.Name())
		}
	}
	return c, nil
}

// singleLabID names a lab given as its own folder: by the folder's name,
// or by its id when the folder has no useful name (".").
func singleLabID(fsys fs.FS, source string) string {
	if name := filepath.Base(source); nameRE.MatchString(name) {
		return name
	}
	s, _ := readSummary(fsys)
	return s.ID
}

func isFile(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && st.Mode().IsRegular()
}

// UseShared gives labs the shared image folders of another catalog (the one
// built in, or the folder beside a single lab) when this one has none.
func (c *Catalog) UseShared(fsys fs.FS, source string) {
	if c.shared == nil {
		c.shared, c.sharedSource = fsys, source
	}
}

// IDs lists the labs' ids, sorted.
func (c *Catalog) IDs() []string { return slices.Clone(c.ids) }

// Source is the catalog's folder, for messages.
func (c *Catalog) Source() string { return c.source }

// Dir returns a lab's folder and its display path; ok is false for an unknown id.
func (c *Catalog) Dir(id string) (fsys fs.FS, source string, ok bool) {
	if !slices.Contains(c.ids, id) {
		return nil, "", false
	}
	if c.single {
		return c.fsys, c.source, true
	}
	sub, err := fs.Sub(c.fsys, id)
	if err != nil {
		return nil, "", false
	}
	return sub, c.source + "/" + id, true
}

// labDir is a lab's folder with the catalog's shared image folders.
func (c *Catalog) labDir(id string) (Dir, bool) {
	fsys, source, ok := c.Dir(id)
	return Dir{FS: fsys, Source: source, Shared: c.shared, SharedSource: c.sharedSource}, ok
}

// Load parses one lab strictly, with params overriding its defaults. An
// unknown id is a *NotFoundError.
func (c *Catalog) Load(id string, params map[string]string) (*Lab, error) {
	dir, ok := c.labDir(id)
	if !ok {
		return nil, &NotFoundError{ID: id}
	}
	return loadLab(dir, id, params, true)
}

// loadLab is ParseLab plus the check that the lab's id is its folder's name.
func loadLab(dir Dir, folder string, params map[string]string, digest bool) (*Lab, error) {
	fsys, source := dir.FS, dir.Source
	lab, err := parseLab(dir, params, digest)
	if err != nil {
		return nil, err
	}
	if lab.ID != folder {
		_, line := readSummary(fsys)
		return nil, yamlspec.SpecErrors{{File: source + "/" + LabFile, Line: line, Field: "id",
			Msg: fmt.Sprintf("id %q must be the lab folder's name %q", lab.ID, folder)}}
	}
	return lab, nil
}

// Summaries lists every lab, by track (in Tracks order) then id. A lab that
// does not parse is still listed, with Err set.
func (c *Catalog) Summaries() []Summary {
	out := make([]Summary, 0, len(c.ids))
	for _, id := range c.ids {
		dir, _ := c.labDir(id)
		s, _ := readSummary(dir.FS)
		s.ID = id
		if _, err := loadLab(dir, id, nil, false); err != nil {
			s.Err = err
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Summary) int {
		return cmp.Or(cmp.Compare(trackRank(a.Track), trackRank(b.Track)), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func trackRank(track string) int {
	if i := slices.Index(Tracks, track); i >= 0 {
		return i
	}
	return len(Tracks)
}
