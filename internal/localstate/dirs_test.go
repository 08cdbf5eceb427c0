package localstate

import "testing"

func TestResolve(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name string
		env  map[string]string
		home string
		want Dirs
	}{
		{"home", nil, "/home/a", Dirs{State: "/home/a/.local/state/opslab", Workspaces: "/home/a/opslab", Tools: "/home/a/.cache/opslab/tools"}},
		{"xdg", map[string]string{"XDG_STATE_HOME": "/s", "XDG_CACHE_HOME": "/c", "OPSLAB_WORKSPACES": "/w"}, "/home/a",
			Dirs{State: "/s/opslab", Workspaces: "/w", Tools: "/c/opslab/tools"}},
		{"no home", nil, "", Dirs{State: "/tmp/opslab-state", Workspaces: "opslab", Tools: "/tmp/opslab-tools"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Resolve(env(tc.env), tc.home, "/tmp"); got != tc.want {
				t.Errorf("Resolve = %+v, want %+v", got, tc.want)
			}
		})
	}
}
