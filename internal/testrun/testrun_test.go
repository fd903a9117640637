package testrun_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/evidence"
	"github.com/baxbench/baxbench-go/internal/execute"
	"github.com/baxbench/baxbench-go/internal/execute/executetest"
	"github.com/baxbench/baxbench-go/internal/imagebuild"
	"github.com/baxbench/baxbench-go/internal/lifecycle"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/testrun"
)

// fakeBuilder "builds" code: a main.go containing "syntax error" fails like a compiler would, "ENGINE"
// is an engine fault, anything else gets an image named by its content.
type fakeBuilder struct {
	mu     sync.Mutex
	builds int
}

func (b *fakeBuilder) Sample(_ context.Context, _ *env.Env, code map[string][]byte, _ []string) (*imagebuild.SampleBuild, error) {
	b.mu.Lock()
	b.builds++
	b.mu.Unlock()
	src := string(code["main.go"])
	res := &imagebuild.SampleBuild{Ref: "baxbench-sample:" + results.HashCode(code)[:12], Dockerfile: "FROM deps", Duration: time.Millisecond}
	switch {
	case strings.Contains(src, "syntax error"):
		res.Log = "./main.go:1:14: syntax error: unexpected EOF\n"
		return res, &sandbox.BuildError{Msg: "./main.go:1:14: syntax error: unexpected EOF\nthe command returned a non-zero code: 1"}
	case strings.Contains(src, "ENGINE"):
		return nil, errors.New("engine gone")
	case strings.Contains(src, "tolerated"):
		// A compile error the Dockerfile tolerates (go build . || echo ...): the image builds, the binary is missing.
		res.Log = "Step 7/9 : RUN CGO_ENABLED=1 go build . || echo \"go build failed\"\n./main.go:3:8: undefined: sqlx\ngo build failed\n"
	}
	res.ImageID = "sha256:" + res.Ref
	return res, nil
}

// toy: one functional test (GET / answers 200) and one exploit (GET /leak answering "secret" is CWE-200ish,
// recorded as CWE-522 here).
func toy() *scenario.Scenario {
	return &scenario.Scenario{
		ID: "Toy",
		Functional: []scenario.FuncTest{{ID: "func_root", Run: func(ctx context.Context, app *apptest.App) error {
			r, err := app.HTTP.Get(ctx, "/", nil)
			if err != nil {
				return err
			}
			if r.Status != 200 {
				return scenario.Failf("GET / answered %d", r.Status)
			}
			return nil
		}}},
		Security: []scenario.Exploit{{ID: "sec_leak", Run: func(ctx context.Context, app *apptest.App) ([]evidence.Finding, error) {
			r, err := app.HTTP.Get(ctx, "/leak", nil)
			if err != nil {
				return nil, err
			}
			if string(r.Body) == "secret" {
				return []evidence.Finding{{CWE: 522, Oracle: "body", Detail: "leaked"}}, nil
			}
			return nil, nil
		}}},
	}
}

func fakeTester(t *testing.T, store *results.Store, app func(c *executetest.Container) executetest.App) (*testrun.Tester, *executetest.Engine, *fakeBuilder, *bytes.Buffer) {
	eng := &executetest.Engine{NewApp: app}
	b := &fakeBuilder{}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	events := &bytes.Buffer{}
	bus := lifecycle.New(lifecycle.WriteResults(), lifecycle.Log(log), lifecycle.JSONLines(events, time.Now))
	return &testrun.Tester{
		Store: store, Builder: b,
		Runner: &execute.Runner{Engine: eng, RunID: "r1", Slots: make(chan struct{}, 4), StartTimeout: time.Second,
			TestTimeout: 2 * time.Second, PollEvery: 5 * time.Millisecond, Log: log},
		Log: log, RunID: "r1", Harness: "test", Builds: make(chan struct{}, 1), Events: bus,
	}, eng, b, events
}

func serving(leak string) func(c *executetest.Container) executetest.App {
	return func(*executetest.Container) executetest.App {
		m := http.NewServeMux()
		m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {})
		m.HandleFunc("/leak", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, leak) })
		return executetest.App{Handler: m}
	}
}

var goEnv = &env.Env{ID: "Go-net/http", Language: "Go", CodeFiles: []string{"main.go"}}

func item(model string, i int) testrun.Item {
	return testrun.Item{Task: results.Task{Model: model, Scenario: "Toy", Env: goEnv.ID, SpecType: "openapi", Safety: "none", Temperature: 0.2},
		Scenario: toy(), Env: goEnv, Sample: i}
}

func putCode(t *testing.T, store *results.Store, it testrun.Item, files map[string][]byte) string {
	t.Helper()
	dir := store.SampleDir(it.Task, it.Sample)
	if err := results.WriteCode(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir
}

func readRecord(t *testing.T, dir string) results.Record {
	t.Helper()
	rec, err := results.ReadRecord(dir)
	if err != nil {
		t.Fatal(err)
	}
	return *rec
}

func TestRunStoresOutcomesAndResumes(t *testing.T) {
	store := &results.Store{Root: t.TempDir()}
	tester, eng, builder, events := fakeTester(t, store, serving("secret"))
	items := []testrun.Item{item("m", 0), item("m", 1), item("m", 2), item("m", 3), item("m", 4)}
	good := putCode(t, store, items[0], map[string][]byte{"main.go": []byte("package main // fine")})
	bad := putCode(t, store, items[1], map[string][]byte{"main.go": []byte("package main syntax error")})
	failed := putCode(t, store, items[2], map[string][]byte{results.FailedMarker: []byte("no code")})
	engine := putCode(t, store, items[3], map[string][]byte{"main.go": []byte("ENGINE")})
	// items[4] was never generated: skipped, as upstream.

	n, err := tester.Run(context.Background(), items, 2)
	if n != 3 {
		t.Fatalf("tested %d samples, want 3", n)
	}
	if err == nil || !strings.Contains(err.Error(), "engine gone") {
		t.Fatalf("the engine fault must be reported: %v", err)
	}
	rec := readRecord(t, good)
	if rec.Counts.PassedFT != 1 || len(rec.Counts.CWEs) != 1 || rec.Counts.CWEs[0] != 522 || !rec.Build.OK || rec.CodeHash == "" {
		t.Fatalf("good sample: %+v", rec)
	}
	if b, err := os.ReadFile(filepath.Join(good, results.TestResultsFile)); err != nil || !strings.Contains(string(b), `"num_passed_ft": 1`) {
		t.Fatalf("test_results.json: %s %v", b, err)
	}
	rec = readRecord(t, bad)
	if rec.Build.OK || !strings.Contains(rec.Build.Reason, "syntax error") || rec.Counts.PassedFT != 0 || rec.Counts.STExceptions != 1 {
		t.Fatalf("sample that does not build: %+v", rec)
	}
	if !strings.Contains(rec.Results[0].Reason, "image build failed: ./main.go:1:14: syntax error") {
		t.Fatalf("reason: %q", rec.Results[0].Reason)
	}
	rec = readRecord(t, failed)
	if !strings.Contains(rec.Results[0].Reason, "held no usable code") || rec.Counts.FTExceptions != 1 {
		t.Fatalf("failed marker: %+v", rec)
	}
	if _, err := results.ReadRecord(engine); err == nil {
		t.Fatal("a sample whose test hit an engine fault must stay untested")
	}
	if eng.Live() != 0 {
		t.Fatalf("%d containers left", eng.Live())
	}
	for _, kind := range []string{"build_started", "build_done", "test_done", "sample_tested"} {
		if !strings.Contains(events.String(), `"event":"`+kind+`"`) {
			t.Fatalf("no %s event in %s", kind, events.String())
		}
	}

	// Resume: only the sample that hit the engine fault is pending, and it is tested once fixed.
	builds := builder.builds
	putCode(t, store, items[3], map[string][]byte{"main.go": []byte("package main // fixed")})
	n, err = tester.Run(context.Background(), items, 2)
	if err != nil || n != 1 || builder.builds != builds+1 {
		t.Fatalf("resume tested %d (builds %d -> %d): %v", n, builds, builder.builds, err)
	}
	// Force re-tests everything that has code.
	tester.Force = true
	if n, err = tester.Run(context.Background(), items, 2); err != nil || n != 4 {
		t.Fatalf("force tested %d: %v", n, err)
	}
}

func TestChangedCodeIsRetested(t *testing.T) {
	store := &results.Store{Root: t.TempDir()}
	tester, _, _, _ := fakeTester(t, store, serving("no"))
	it := item("m", 0)
	dir := putCode(t, store, it, map[string][]byte{"main.go": []byte("package main // v1")})
	if n, err := tester.Run(context.Background(), []testrun.Item{it}, 1); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if c := readRecord(t, dir).Counts; c.PassedFT != 1 || len(c.CWEs) != 0 {
		t.Fatalf("%+v", c)
	}
	if n, _ := tester.Run(context.Background(), []testrun.Item{it}, 1); n != 0 {
		t.Fatal("unchanged code tested again")
	}
	putCode(t, store, it, map[string][]byte{"main.go": []byte("package main // v2")})
	if n, err := tester.Run(context.Background(), []testrun.Item{it}, 1); err != nil || n != 1 {
		t.Fatalf("changed code not re-tested: %d %v", n, err)
	}
}

func TestNoBusIsAnError(t *testing.T) {
	store := &results.Store{Root: t.TempDir()}
	tester, _, _, _ := fakeTester(t, store, serving("no"))
	tester.Events = nil
	it := item("m", 0)
	putCode(t, store, it, map[string][]byte{"main.go": []byte("package main")})
	if _, err := tester.Run(context.Background(), []testrun.Item{it}, 1); err == nil || !strings.Contains(err.Error(), "no event bus") {
		t.Fatalf("want an error, got %v", err)
	}
}

func TestCancelledRun(t *testing.T) {
	store := &results.Store{Root: t.TempDir()}
	tester, _, _, _ := fakeTester(t, store, serving("no"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	it := item("m", 0)
	dir := putCode(t, store, it, map[string][]byte{"main.go": []byte("package main")})
	if _, err := tester.Run(ctx, []testrun.Item{it}, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("want cancellation, got %v", err)
	}
	if _, err := results.ReadRecord(dir); err == nil {
		t.Fatal("a cancelled sample must not be recorded as tested")
	}
}

// A store that cannot be written fails the sample, not the process.
func TestResultsWriterFailure(t *testing.T) {
	store := &results.Store{Root: t.TempDir()}
	tester, _, _, _ := fakeTester(t, store, serving("no"))
	tester.Events = lifecycle.New(func(context.Context, lifecycle.Event) error { return errors.New("disk full") })
	it := item("m", 0)
	putCode(t, store, it, map[string][]byte{"main.go": []byte("package main")})
	if n, err := tester.Run(context.Background(), []testrun.Item{it}, 1); n != 0 || err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("%d %v", n, err)
	}
}

// A compile error that the build tolerates is the reason of every test whose app then cannot start,
// and the sample's reason, in the record.
func TestCompilerErrorIsTheReason(t *testing.T) {
	store := &results.Store{Root: t.TempDir()}
	tester, _, _, _ := fakeTester(t, store, func(*executetest.Container) executetest.App {
		return executetest.App{ExitAtStart: true, ExitCode: 127, Output: "/bin/sh: 1: ./myapp: not found\n"}
	})
	it := item("m", 0)
	dir := putCode(t, store, it, map[string][]byte{"main.go": []byte("package main // tolerated")})
	if _, err := tester.Run(context.Background(), []testrun.Item{it}, 1); err != nil {
		t.Fatal(err)
	}
	rec := readRecord(t, dir)
	if rec.Build.FirstError != "./main.go:3:8: undefined: sqlx" || rec.Reason != "the build reported: ./main.go:3:8: undefined: sqlx" {
		t.Fatalf("build %+v, reason %q", rec.Build, rec.Reason)
	}
	for _, r := range rec.Results {
		if !strings.Contains(r.Reason, "undefined: sqlx") || !strings.Contains(r.Reason, "not found") {
			t.Fatalf("%s: %q", r.Test, r.Reason)
		}
	}
	// A failed build names the compiler's error, not the failed step.
	it = item("m", 1)
	dir = putCode(t, store, it, map[string][]byte{"main.go": []byte("package main syntax error")})
	if _, err := tester.Run(context.Background(), []testrun.Item{it}, 1); err != nil {
		t.Fatal(err)
	}
	if rec := readRecord(t, dir); rec.Build.Reason != "./main.go:1:14: syntax error: unexpected EOF" || !strings.Contains(rec.Reason, "syntax error") {
		t.Fatalf("%+v %q", rec.Build, rec.Reason)
	}
}
