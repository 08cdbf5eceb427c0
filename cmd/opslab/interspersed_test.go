package main

import (
	"slices"
	"strings"
	"testing"
)

func TestInterspersed(t *testing.T) {
	deps, _, _ := testApp(t, nil)
	a := newCLI(deps)
	tests := []struct{ in, want string }{
		{"start lb --rebuild", "start --rebuild lb"},
		{"start lb --param a=1 --param b=2", "start --param a=1 --param b=2 lb"},
		{"--content dir start lb --workspace /w", "--content dir start --workspace /w lb"},
		{"logs lb app -f", "logs -f lb app"},
		{"exec lb app ls -la", "exec lb app ls -la"},
		{"exec lb app -- ls -la", "exec lb app -- ls -la"},
		{"images build lb --rebuild", "images build --rebuild lb"},
		{"status lb --json", "status --json lb"},
		{"stop lb -- --all", "stop lb -- --all"},
		{"frob --x", "frob --x"},
		{"list --content dir --json", "--content dir list --json"},
		{"--no-color start lb --session s --rebuild", "--no-color --session s start --rebuild lb"},
		{"images save f.tar lb --verbose", "--verbose images save f.tar lb"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			in := append([]string{"opslab"}, strings.Fields(tc.in)...)
			want := append([]string{"opslab"}, strings.Fields(tc.want)...)
			if got := interspersed(a, in); !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
