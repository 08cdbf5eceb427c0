package spec

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"
)

// instruction is one Dockerfile instruction with its continuation lines joined.
type instruction struct {
	Line int    // first line
	Cmd  string // upper-cased: FROM, RUN, ...
	Args string
}

func dockerInstructions(text string) []instruction {
	var out []instruction
	var cur *instruction
	for i, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "#") || (t == "" && cur == nil) {
			continue // comments may sit between continuation lines too
		}
		cont := strings.HasSuffix(t, "\\")
		t = strings.TrimSuffix(t, "\\")
		if cur == nil {
			cmd, args, _ := strings.Cut(t, " ")
			out = append(out, instruction{Line: i + 1, Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args)})
			cur = &out[len(out)-1]
		} else {
			cur.Args += " " + t
		}
		if !cont {
			cur = nil
		}
	}
	return out
}

// dockerfiles checks every node's Dockerfile: built FROM ${BASE_IMAGE} (the
// base that `opslab images bootstrap` can make offline), declared by an ARG
// before the first FROM, apt lists removed in the RUN that installs, no EXPOSE.
func (l *linter) dockerfiles(lab *Lab) {
	done := map[string]bool{}
	for _, n := range lab.Nodes {
		// The Dockerfile that builds: the last of the node's folders that has one.
		var df *ImageDir
		for i := range n.Context {
			if isFile(n.Context[i].FS, path.Join(n.Context[i].Dir, "Dockerfile")) {
				df = &n.Context[i]
			}
		}
		if df == nil {
			continue // ParseLab reported it
		}
		file := df.Path + "/Dockerfile"
		if done[file] {
			continue
		}
		done[file] = true
		data, err := fs.ReadFile(df.FS, path.Join(df.Dir, "Dockerfile"))
		if err != nil {
			continue
		}
		for _, p := range lintDockerfile(string(data)) {
			p.File = file
			l.report(p)
		}
	}
}

func lintDockerfile(text string) []*yamlspec.SpecError {
	var errs []*yamlspec.SpecError
	bad := func(line int, format string, a ...any) {
		errs = append(errs, &yamlspec.SpecError{Line: line, Msg: fmt.Sprintf(format, a...)})
	}
	var stages []string
	argDeclared, froms := false, 0
	for _, in := range dockerInstructions(text) {
		switch in.Cmd {
		case "ARG":
			if froms == 0 && strings.HasPrefix(in.Args, "BASE_IMAGE") {
				argDeclared = true
			}
		case "FROM":
			froms++
			f := strings.Fields(in.Args)
			f = slices.DeleteFunc(f, func(s string) bool { return strings.HasPrefix(s, "--platform") })
			if len(f) == 0 {
				bad(in.Line, "FROM names no image")
				continue
			}
			image := f[0]
			switch {
			case image == "${BASE_IMAGE}" || image == "$BASE_IMAGE":
				if !argDeclared {
					bad(in.Line, "declare ARG BASE_IMAGE=debian:bookworm-slim before the first FROM")
				}
			case slices.Contains(stages, image):
			default:
				bad(in.Line, "build FROM ${BASE_IMAGE}, not %s: classrooms without a registry build it offline", image)
			}
			if len(f) >= 3 && strings.EqualFold(f[1], "as") {
				stages = append(stages, f[2])
			}
		case "EXPOSE":
			// testcontainers publishes every EXPOSEd port of a node that has no
			// ports: in lab.yaml, on a random host port.
			bad(in.Line, "remove EXPOSE %s: a node without `ports:` would publish it on the learner's machine; inside the lab network every port is reachable, and lab.yaml `ports:` says what to publish", in.Args)
		case "RUN":
			if strings.Contains(in.Args, "apt-get install") && !strings.Contains(in.Args, "/var/lib/apt/lists") {
				bad(in.Line, "add `&& rm -rf /var/lib/apt/lists/*` to the RUN that installs packages: images stay small")
			}
		}
	}
	if froms == 0 {
		bad(0, "no FROM instruction")
	}
	return errs
}
