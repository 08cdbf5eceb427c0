package localstate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WorkspaceParams returns the folder that remembers, per workspace, the params
// a lab was last started with there.
func (d Dirs) WorkspaceParams() string { return filepath.Join(d.State, "workspace-params") }

// A workspace holds the learner's work on one scenario of a lab (one draw of
// its randomized fault): setup changed its files for that draw. Starting the
// lab again on the same workspace must run the same scenario, or setup breaks
// a second thing on top of the first and the learner's fixes no longer fit.
// So every start records its params here, keyed by the workspace's path.
type workspaceParams struct {
	Schema    string            `json:"schema"`
	Lab       string            `json:"lab"`
	Workspace string            `json:"workspace"`
	Params    map[string]string `json:"params"`
}

const workspaceParamsSchema = "opslab.workspace-params/v1"

func workspaceParamsPath(dir, workspace string) string {
	sum := sha256.Sum256([]byte(workspace))
	return filepath.Join(dir, hex.EncodeToString(sum[:8])+".json")
}

// LoadWorkspaceParams returns the params lab was last started with in
// workspace (an absolute path); nil when it never was, or when the record is
// unreadable (it is only a convenience: a new draw is the worst case).
func LoadWorkspaceParams(dir, lab, workspace string) map[string]string {
	b, err := os.ReadFile(workspaceParamsPath(dir, workspace))
	if err != nil {
		return nil
	}
	var w workspaceParams
	if json.Unmarshal(b, &w) != nil || w.Schema != workspaceParamsSchema || w.Lab != lab || w.Workspace != workspace {
		return nil
	}
	return w.Params
}

// SaveWorkspaceParams records the params lab runs with in workspace,
// atomically.
func SaveWorkspaceParams(dir, lab, workspace string, params map[string]string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving the workspace's params: %w", err)
	}
	b, err := json.MarshalIndent(workspaceParams{Schema: workspaceParamsSchema, Lab: lab, Workspace: workspace, Params: params}, "", "  ")
	if err != nil {
		return err
	}
	path := workspaceParamsPath(dir, workspace)
	if err := os.WriteFile(path+".tmp", b, 0o600); err != nil {
		return fmt.Errorf("saving the workspace's params: %w", err)
	}
	return os.Rename(path+".tmp", path)
}

// ForgetWorkspaceParams removes the record of workspace (none is fine).
func ForgetWorkspaceParams(dir, workspace string) error {
	err := os.Remove(workspaceParamsPath(dir, workspace))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
