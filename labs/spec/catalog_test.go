package spec

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opslab/opslab/labs/spec/spectest"
)

// catalogFS holds three labs on two tracks, one of them broken, and a folder
// that is not a lab.
func catalogFS() fstest.MapFS {
	fsys := fstest.MapFS{
		"README.md":        {Data: []byte("labs\n")},
		"shared/notes.txt": {Data: []byte("not a lab\n")},
	}
	add := func(folder, yaml string) {
		for name, f := range spectest.LabFS(yaml) {
			fsys[folder+"/"+name] = f
		}
	}
	add("lb-basics", spectest.GoodLab)
	add("alerts", strings.NewReplacer("id: lb-basics", "id: alerts", "track: incident", "track: monitoring", "title: Put", "title: Alert on").Replace(spectest.GoodLab))
	add("broken", strings.NewReplacer("id: lb-basics", "id: broken", "track: incident", "track: cicd", "minutes: 30", "minutes: soon").Replace(spectest.GoodLab))
	return fsys
}

func TestCatalog(t *testing.T) {
	c, err := LoadCatalog(catalogFS(), "content")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.IDs(), []string{"alerts", "broken", "lb-basics"}; !slices.Equal(got, want) {
		t.Errorf("IDs = %v, want %v", got, want)
	}

	t.Run("summaries by track then id, broken labs listed", func(t *testing.T) {
		var got []string
		for _, s := range c.Summaries() {
			got = append(got, s.Track+"/"+s.ID+"/"+strings.Fields(s.Title)[0]+"/"+strconvBool(s.Err != nil))
		}
		want := []string{"cicd/broken/Put/err", "monitoring/alerts/Alert/ok", "incident/lb-basics/Put/ok"}
		if !slices.Equal(got, want) {
			t.Errorf("summaries = %v, want %v", got, want)
		}
	})
	t.Run("load", func(t *testing.T) {
		lab, err := c.Load("alerts", map[string]string{"backend_port": "9000"})
		if err != nil {
			t.Fatal(err)
		}
		if lab.Source != "content/alerts" || lab.Nodes[1].Env["PORT"] != "9000" || lab.Digest == "" {
			t.Errorf("lab %s %v %q", lab.Source, lab.Nodes[1].Env, lab.Digest)
		}
	})
	t.Run("not found", func(t *testing.T) {
		_, err := c.Load("shared", nil)
		var nf *NotFoundError
		if !errors.As(err, &nf) || nf.ID != "shared" {
			t.Errorf("err = %v, want NotFoundError", err)
		}
	})
	t.Run("strict load of a broken lab", func(t *testing.T) {
		_, err := c.Load("broken", nil)
		if err == nil || !strings.Contains(err.Error(), `content/broken/lab.yaml:5: minutes: expected a number of minutes, got "soon"`) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestCatalogIDMustMatchFolder(t *testing.T) {
	fsys := fstest.MapFS{}
	for name, f := range spectest.LabFS(spectest.GoodLab) {
		fsys["lb/"+name] = f
	}
	c, err := LoadCatalog(fsys, "content")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Load("lb", nil)
	if want := `content/lb/lab.yaml:1: id: id "lb-basics" must be the lab folder's name "lb"`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

func TestCatalogOfOneLab(t *testing.T) {
	c, err := LoadCatalog(spectest.LabFS(spectest.GoodLab), "/home/me/labs/lb-basics")
	if err != nil {
		t.Fatal(err)
	}
	lab, err := c.Load("lb-basics", map[string]string{"broken": "app1"})
	if err != nil || lab.Source != "/home/me/labs/lb-basics" {
		t.Fatalf("lab %v, err %v", lab, err)
	}
}

func strconvBool(b bool) string {
	if b {
		return "err"
	}
	return "ok"
}
