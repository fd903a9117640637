package testrun_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/execute"
	"github.com/baxbench/baxbench-go/internal/imagebuild"
	"github.com/baxbench/baxbench-go/internal/lifecycle"
	"github.com/baxbench/baxbench-go/internal/llm/reference"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/sandbox/sandboxtest"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenarios/calculator"
	"github.com/baxbench/baxbench-go/internal/scenarios/login"
	"github.com/baxbench/baxbench-go/internal/testrun"
	"github.com/baxbench/baxbench-go/internal/verdict"
)

func newTester(t *testing.T, store *results.Store, startTimeout, testTimeout time.Duration) *testrun.Tester {
	d := sandboxtest.Need(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	run := "test-" + uuid.NewString()[:8]
	publish := sandboxtest.Publish(t, d)
	t.Cleanup(func() { d.RemoveByLabel(context.Background(), sandbox.LabelRun, run) })
	return &testrun.Tester{
		Store:   store,
		Builder: &imagebuild.Builder{Engine: d, HostCA: imagebuild.ReadHostCA(), Log: log},
		Runner: &execute.Runner{Engine: execute.Docker(d), Publish: publish, RunID: run, Slots: make(chan struct{}, 4),
			StartTimeout: startTimeout, TestTimeout: testTimeout, Log: log},
		Log: log, RunID: run, Harness: "test", Events: lifecycle.New(lifecycle.WriteResults()),
	}
}

const hangingApp = `package main

import (
	"net/http"
	"time"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {})
	http.HandleFunc("/calculator", func(w http.ResponseWriter, r *http.Request) { time.Sleep(time.Hour) })
	http.ListenAndServe("0.0.0.0:5000", nil)
}
`

const crashingApp = `package main

import (
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {})
	http.HandleFunc("/calculator", func(w http.ResponseWriter, r *http.Request) { os.Exit(5) })
	http.ListenAndServe("0.0.0.0:5000", nil)
}
`

// TestBadSamplesBecomeOutcomes: a sample that does not build, one that never listens, one that exits at
// start, one whose requests hang and one that crashes each end as recorded outcomes with a reason,
// within the timeouts, and the run goes on.
func TestBadSamplesBecomeOutcomes(t *testing.T) {
	tester := newTester(t, &results.Store{Root: t.TempDir()}, 3*time.Second, 4*time.Second)
	s := calculator.Scenario()
	e, _ := env.Lookup("Go-net/http")
	cases := []struct {
		name, code   string
		wantFT       scenario.Outcome
		wantST       scenario.Outcome
		reason       string
		wantCWE703FT bool
	}{
		{"syntax error", "package main\nfunc main() {", scenario.Fail, scenario.Error, "image build failed", false},
		{"never listens", "package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(time.Hour) }\n", scenario.Fail, scenario.Error, "no HTTP answer", false},
		{"exits at start", "package main\n\nimport \"os\"\n\nfunc main() { os.Exit(4) }\n", scenario.Fail, scenario.Error, "exited with code 4", false},
		{"requests hang", hangingApp, scenario.Fail, scenario.Error, "did not finish", false},
		{"crashes", crashingApp, scenario.Fail, scenario.Fail, "", true},
	}
	// The environment's dependency layer is built once and is not part of what is timed below.
	if _, err := tester.Builder.(*imagebuild.Builder).EnsureDeps(context.Background(), e, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			out, err := tester.Evaluate(context.Background(), s, e, map[string][]byte{"main.go": []byte(c.code)}, "bad/"+c.name)
			if err != nil {
				t.Fatalf("a bad sample must not be a harness error: %v", err)
			}
			if d := time.Since(start); d > 90*time.Second {
				t.Errorf("took %s", d)
			}
			for _, r := range out.Report.Results {
				want := c.wantST
				if r.Kind == scenario.Functional {
					want = c.wantFT
				}
				if r.Outcome != want {
					t.Errorf("%s: outcome %s, want %s (%s)", r.Test, r.Outcome, want, r.Reason)
				}
				if c.reason != "" && !strings.Contains(r.Reason, c.reason) {
					t.Errorf("%s: reason %q does not say %q", r.Test, r.Reason, c.reason)
				}
				if r.Kind == scenario.Functional && c.wantCWE703FT && (!r.Crashed || len(r.CWEs) != 1 || r.CWEs[0] != 703) {
					t.Errorf("%s: a crash during a functional test must record CWE-703, got %+v", r.Test, r)
				}
			}
			counts := verdict.CountsOf(out.Report.Results)
			if c.wantCWE703FT && (counts.TotalST != len(s.Security)+len(s.Functional)) {
				t.Errorf("crash records: num_total_st %d", counts.TotalST)
			}
		})
	}
}

// TestResumeSkipsTestedSamples: a tested sample is not tested again unless its code changes or --force.
func TestResumeSkipsTestedSamples(t *testing.T) {
	store := &results.Store{Root: t.TempDir()}
	tester := newTester(t, store, 30*time.Second, 60*time.Second)
	s := calculator.Scenario()
	e, _ := env.Lookup("Go-net/http")
	code, err := reference.Files(s, e.PathID())
	if err != nil {
		t.Fatal(err)
	}
	task := results.Task{Model: "m", Scenario: s.ID, Env: e.ID, SpecType: "openapi", Safety: "none", Temperature: 0.2}
	if err := results.WriteCode(store.SampleDir(task, 0), code); err != nil {
		t.Fatal(err)
	}
	it := testrun.Item{Task: task, Scenario: s, Env: e, Sample: 0}
	ctx := context.Background()
	if ok, err := tester.TestSample(ctx, it); !ok || err != nil {
		t.Fatalf("first test: %v %v", ok, err)
	}
	c, err := results.ReadCounts(store.SampleDir(task, 0) + "/" + results.TestResultsFile)
	if err != nil || c.PassedFT != 2 || c.TotalST != 3 || len(c.CWEs) != 0 {
		t.Fatalf("counts %+v %v", c, err)
	}
	if ok, err := tester.TestSample(ctx, it); ok || err != nil {
		t.Fatalf("a tested sample was tested again: %v %v", ok, err)
	}
	code["main.go"] = append(code["main.go"], []byte("\n// changed\n")...)
	results.WriteCode(store.SampleDir(task, 0), code)
	if ok, err := tester.TestSample(ctx, it); !ok || err != nil {
		t.Fatalf("changed code was not retested: %v %v", ok, err)
	}
	tester.Force = true
	if ok, err := tester.TestSample(ctx, it); !ok || err != nil {
		t.Fatalf("--force did not retest: %v %v", ok, err)
	}
}

// TestPasslibBcryptOnPython: apps that hash with passlib's bcrypt (through the crypt module the Python
// environments install, DEV-E10) pass Login's functional test on Flask and FastAPI.
func TestPasslibBcryptOnPython(t *testing.T) {
	tester := newTester(t, &results.Store{Root: t.TempDir()}, 60*time.Second, 120*time.Second)
	s := login.Scenario()
	for _, id := range []string{"Python-Flask", "Python-FastAPI"} {
		t.Run(id, func(t *testing.T) {
			e, _ := env.Lookup(id)
			ref, err := reference.Files(s, e.PathID())
			if err != nil {
				t.Fatal(err)
			}
			app := strings.ReplaceAll(string(ref["app.py"]), "pbkdf2_sha256", "bcrypt")
			if !strings.Contains(app, "from passlib.hash import bcrypt") {
				t.Fatal("the reference no longer uses passlib; adapt the test")
			}
			out, err := tester.Evaluate(context.Background(), s, e, map[string][]byte{"app.py": []byte(app)}, "bcrypt/"+id)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range out.Report.Results {
				if r.Kind == scenario.Functional && r.Outcome != scenario.Pass {
					t.Fatalf("%s: %s (%s)\n%s", r.Test, r.Outcome, r.Reason, out.Log)
				}
			}
		})
	}
}
