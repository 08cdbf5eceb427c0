package grader

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/opslab/opslab/internal/yamlspec"

	"gopkg.in/yaml.v3"
)

// GitCheck inspects a repository's history in a node with `git -C repo`.
type GitCheck struct {
	Node    string
	Repo    string
	Branch  string   // default HEAD
	Commits *Matcher // commit count on Branch
	Files   []string // paths that must exist in Branch's tree
	Message *Matcher // subject of Branch's last commit

	NodeLine int
}

func (c *GitCheck) Kind() string { return "git" }
func (c *GitCheck) Nodes() []NodeRef {
	return []NodeRef{{Name: c.Node, Field: "node", Line: c.NodeLine, Container: true}}
}

func parseGit(w *walker, n *yaml.Node, p string) CheckSpec {
	c := &GitCheck{Branch: "HEAD", NodeLine: n.Line}
	seen := w.Fields(n, p, map[string]yamlspec.FieldFunc{
		"node":    func(v *yaml.Node, p string) { w.Str(v, p, &c.Node); c.NodeLine = v.Line },
		"repo":    func(v *yaml.Node, p string) { w.Str(v, p, &c.Repo) },
		"branch":  func(v *yaml.Node, p string) { w.Str(v, p, &c.Branch) },
		"commits": func(v *yaml.Node, p string) { c.Commits = w.matcher(v, p) },
		"files":   func(v *yaml.Node, p string) { w.Strs(v, p, &c.Files) },
		"message": func(v *yaml.Node, p string) { c.Message = w.matcher(v, p) },
	})
	w.Required(n, p, seen, "node", "repo")
	if strings.HasPrefix(c.Branch, "-") {
		w.Errorf(seen["branch"], yamlspec.JoinPath(p, "branch"), "branch %q must not start with \"-\"", c.Branch)
	}
	return c
}

func (c *GitCheck) git(ctx context.Context, e *env, args ...string) (ExecResult, error) {
	return e.t.Exec(ctx, c.Node, append([]string{"git", "-C", c.Repo}, args...), DefaultAttemptTimeout)
}

func (c *GitCheck) probe(ctx context.Context, e *env) (verdict, error) {
	ref := c.Branch
	count, err := c.git(ctx, e, "rev-list", "--count", ref, "--")
	if err != nil {
		return verdict{}, err
	}
	if count.ExitCode != 0 {
		return failed(fmt.Sprintf("branch %s in %s", ref, c.Repo), "missing",
			fmt.Sprintf("no branch %s in %s on %s: %s", ref, c.Repo, c.Node, strings.TrimSpace(count.Stderr))), nil
	}
	var a assertions
	if c.Commits != nil {
		n, _ := strconv.Atoi(strings.TrimSpace(count.Stdout))
		a.check("commits on "+ref, c.Commits, n)
	}
	if c.Message != nil {
		msg, err := c.git(ctx, e, "log", "-1", "--format=%s", ref, "--")
		if err != nil {
			return verdict{}, err
		}
		a.check("last commit message", c.Message, strings.TrimSpace(msg.Stdout))
	}
	if len(c.Files) > 0 {
		tree, err := c.git(ctx, e, "ls-tree", "-r", "--name-only", ref)
		if err != nil {
			return verdict{}, err
		}
		have := map[string]bool{}
		for _, f := range strings.Split(tree.Stdout, "\n") {
			have[f] = true
		}
		for _, f := range c.Files {
			a.record("file "+f+" on "+ref, "to be committed", missing(presence(have[f])), have[f])
		}
	}
	return a.verdict(), nil
}
