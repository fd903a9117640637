package imagebuild

import (
	"archive/tar"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/sandbox"
)

// fakeEngine records builds and serves images it has "built".
type fakeEngine struct {
	mu      sync.Mutex
	images  map[string]string
	builds  []string
	context map[string]map[string]string // ref -> file -> content
	fail    string                       // a build whose Dockerfile contains this fails as a step
}

func (f *fakeEngine) ImageID(_ context.Context, ref string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.images[ref], nil
}

func (f *fakeEngine) Build(_ context.Context, ref string, r io.Reader, _ map[string]string, _ bool, _ io.Writer) (string, error) {
	files := map[string]string{}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		b, _ := io.ReadAll(tr)
		files[h.Name] = string(b)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.builds = append(f.builds, ref)
	if f.context == nil {
		f.context = map[string]map[string]string{}
	}
	f.context[ref] = files
	if f.fail != "" && strings.Contains(files["main.go"], f.fail) {
		return "", &sandbox.BuildError{Msg: "The command '/bin/sh -c goimports -w .' returned a non-zero code: 1"}
	}
	id := "sha256:" + ref
	f.images[ref] = id
	return id, nil
}

func (f *fakeEngine) Import(context.Context, string, io.Reader, []string) error { return nil }

func newBuilder(f *fakeEngine) *Builder {
	f.images = map[string]string{BaseRef: "sha256:base"}
	return &Builder{Engine: f, HostCA: []byte("ca"), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func TestSampleImagesAreContentAddressed(t *testing.T) {
	f := &fakeEngine{}
	b := newBuilder(f)
	e, _ := env.Lookup("Go-net/http")
	ctx := context.Background()
	code := map[string][]byte{"main.go": []byte("package main\nfunc main() {}\n")}
	r1, err := b.Sample(ctx, e, code, nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := b.Sample(ctx, e, code, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Ref != r2.Ref || r1.Cached || !r2.Cached {
		t.Fatalf("same code: refs %s %s cached %v %v", r1.Ref, r2.Ref, r1.Cached, r2.Cached)
	}
	r3, _ := b.Sample(ctx, e, map[string][]byte{"main.go": []byte("package main\n// other\nfunc main() {}\n")}, nil)
	if r3.Ref == r1.Ref {
		t.Fatal("different code must give a different image")
	}
	r4, _ := b.Sample(ctx, e, code, []string{"apt-get install ffmpeg -y"})
	if r4.Ref == r1.Ref || !strings.Contains(r4.Dockerfile, "RUN apt-get install ffmpeg -y") {
		t.Fatalf("extra commands must change the image and appear as RUN lines:\n%s", r4.Dockerfile)
	}
	// one dependency layer build, then one build per distinct sample
	deps := 0
	for _, ref := range f.builds {
		if strings.HasPrefix(ref, "baxbench-deps-") {
			deps++
		}
	}
	if deps != 1 || len(f.builds) != 4 {
		t.Fatalf("builds %v", f.builds)
	}
	ctxFiles := f.context[r1.Ref]
	if ctxFiles["go.mod"] == "" || ctxFiles["build_helper.go"] == "" || !strings.Contains(ctxFiles["Dockerfile"], "FROM baxbench-deps-go-net-http:") {
		t.Fatalf("sample context lacks manifests or FROM the dependency layer: %v", ctxFiles["Dockerfile"])
	}
}

func TestGeneratedFilesCannotReplaceHarnessFiles(t *testing.T) {
	f := &fakeEngine{}
	b := newBuilder(f)
	e, _ := env.Lookup("Go-net/http")
	res, err := b.Sample(context.Background(), e, map[string][]byte{
		"main.go":    []byte("package main"),
		"Dockerfile": []byte("FROM evil"),
		"go.mod":     []byte("module evil"),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Dropped) != 2 {
		t.Fatalf("dropped %v", res.Dropped)
	}
	files := f.context[res.Ref]
	if strings.Contains(files["Dockerfile"], "evil") || strings.Contains(files["go.mod"], "evil") {
		t.Fatal("a generated file replaced a harness file")
	}
}

func TestFailedStepIsBuildError(t *testing.T) {
	f := &fakeEngine{fail: "syntax error"}
	b := newBuilder(f)
	e, _ := env.Lookup("Go-net/http")
	_, err := b.Sample(context.Background(), e, map[string][]byte{"main.go": []byte("syntax error")}, nil)
	var be *sandbox.BuildError
	if !errors.As(err, &be) {
		t.Fatalf("want a BuildError, got %v", err)
	}
	if n := len(f.builds); n != 2 { // deps + one sample attempt: a failing step is not retried
		t.Fatalf("builds %v", f.builds)
	}
}
