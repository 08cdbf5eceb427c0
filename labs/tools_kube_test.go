package labs

import (
	"strings"
	"testing"
)

// The scratch module pins every staging module k8s.io/kubernetes points at
// ./staging to the matching v0.x release, and nothing else.
func TestKubeGoMod(t *testing.T) {
	upstream := `module k8s.io/kubernetes

require (
	k8s.io/api v0.0.0
	github.com/spf13/cobra v1.8.1
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/kubectl => ./staging/src/k8s.io/kubectl
	github.com/example/x => github.com/example/x v1.0.0
)
`
	got, err := kubeGoMod("k8s.io/kubernetes", "v1.33.13", []byte(upstream))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"require k8s.io/kubernetes v1.33.13\n",
		"\tk8s.io/api => k8s.io/api v0.33.13\n",
		"\tk8s.io/kubectl => k8s.io/kubectl v0.33.13\n",
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("go.mod lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(string(got), "example") {
		t.Errorf("go.mod copies a replace that is not a staging module:\n%s", got)
	}
	if _, err := kubeGoMod("k8s.io/kubernetes", "v2.0.0", []byte(upstream)); err == nil {
		t.Error("a version that is not v1.x was accepted")
	}
	if _, err := kubeGoMod("k8s.io/kubernetes", "v1.33.13", []byte("module k8s.io/kubernetes\n")); err == nil {
		t.Error("a go.mod without staging replaces was accepted")
	}
	if !strings.Contains(string(kubeMain), "package main") {
		t.Error("the embedded multi-call main is missing")
	}
}

func TestKubeVersionFlags(t *testing.T) {
	got := kubeVersionFlags("v1.33.13")
	for _, want := range []string{"-X k8s.io/component-base/version.gitVersion=v1.33.13", "-X k8s.io/component-base/version.gitMajor=1", "-X k8s.io/component-base/version.gitMinor=33", "-X k8s.io/client-go/pkg/version.gitVersion=v1.33.13"} {
		if !strings.Contains(got, want) {
			t.Errorf("flags %q lack %q", got, want)
		}
	}
}
