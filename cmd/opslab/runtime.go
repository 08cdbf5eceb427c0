package main

import (
	"context"
	"io"
	"os"

	"github.com/opslab/opslab/labs/spec"

	"github.com/opslab/opslab/grader"
	"github.com/opslab/opslab/labs"
)

// labRuntime is what commands need of *labs.Runtime; tests use a fake.
type labRuntime interface {
	Start(ctx context.Context, lab *spec.Lab, o labs.StartOptions) (*labs.Instance, bool, error)
	Reset(ctx context.Context, lab *spec.Lab, o labs.StartOptions) (backup string, inst *labs.Instance, err error)
	Status(ctx context.Context, labID string) ([]labs.Instance, error)
	Stop(ctx context.Context, labID string) (wasRunning bool, err error)
	StopAll(ctx context.Context) ([]string, error)
	Exec(ctx context.Context, labID, node string, cmd []string, stdin io.Reader, stdout, stderr io.Writer) (int, error)
	Shell(ctx context.Context, labID, node string, in, out *os.File) (int, error)
	Logs(ctx context.Context, labID, node string, follow bool, w io.Writer) error
	BuildImages(ctx context.Context, lab *spec.Lab, rebuild bool) error
	BootstrapBaseImage(ctx context.Context, o labs.BootstrapOptions) error
	SaveImages(ctx context.Context, all []*spec.Lab, file string) error
	LoadImages(ctx context.Context, file string) error
	Running(ctx context.Context, labID string) (*labs.Instance, error)
	Grade(ctx context.Context, lab *spec.Lab, inst *labs.Instance, opt grader.Options) (*labs.Graded, error)
	ApplySolution(ctx context.Context, lab *spec.Lab, dir string) (backup string, err error)
	SelfTestAll(ctx context.Context, cat *spec.Catalog, ids []string, opt labs.SelfTestOptions, parallel int, each func(labs.SelfTestCase)) []labs.SelfTestRun
	Endpoint() (host, source string)
	Session() string
	Close() error
}

var _ labRuntime = (*labs.Runtime)(nil)
