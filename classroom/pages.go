package classroom

import (
	"bytes"
	"embed"
	"html/template"
	"io"
	"net/http"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the dashboard's templates: every page is layout.html around its
// own file; grid.html holds the fragments the live stream sends.
type pages struct {
	byName map[string]*template.Template
	frags  *template.Template
}

var funcs = template.FuncMap{
	"tick": func(status string) string {
		switch status {
		case "pass":
			return "✓"
		case "fail":
			return "✗"
		case "error":
			return "!"
		case "blocked":
			return "⋯"
		}
		return "·"
	},
}

func mustParsePages() *pages {
	p := &pages{byName: map[string]*template.Template{}}
	p.frags = template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/grid.html"))
	for _, name := range []string{"login", "index", "class", "learner", "lab", "notfound"} {
		t := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/grid.html", "templates/"+name+".html"))
		p.byName[name] = t
	}
	return p
}

// render writes a whole page; a template error is a bug, said as a 500
// before anything is written.
func (s *Server) render(w http.ResponseWriter, code int, name string, data any) {
	var b bytes.Buffer
	if err := s.pages.byName[name].ExecuteTemplate(&b, "layout", data); err != nil {
		http.Error(w, "rendering "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(b.Bytes())
}

func (p *pages) fragment(w io.Writer, name string, data any) error {
	return p.frags.ExecuteTemplate(w, name, data)
}
