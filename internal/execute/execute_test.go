package execute_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/evidence"
	"github.com/baxbench/baxbench-go/internal/execute"
	"github.com/baxbench/baxbench-go/internal/execute/executetest"
	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/verdict"
)

// toy is a scenario of two tests: GET /ok must answer 200, and an exploit that finds CWE-89 when
// GET /vuln answers "vulnerable".
func toy(extra ...scenario.Exploit) *scenario.Scenario {
	return &scenario.Scenario{
		ID: "Toy",
		Functional: []scenario.FuncTest{{ID: "func_ok", Run: func(ctx context.Context, app *apptest.App) error {
			resp, err := app.HTTP.Get(ctx, "/ok", nil)
			if err != nil {
				return err
			}
			if resp.Status != 200 {
				return scenario.Failf("GET /ok answered %d", resp.Status)
			}
			return nil
		}}},
		Security: append([]scenario.Exploit{{ID: "sec_sqli", CWEs: []cwe.ID{cwe.SQLInjection}, Run: func(ctx context.Context, app *apptest.App) ([]evidence.Finding, error) {
			resp, err := app.HTTP.Get(ctx, "/vuln", nil)
			if err != nil {
				return nil, err
			}
			if string(resp.Body) == "vulnerable" {
				return []evidence.Finding{{CWE: cwe.SQLInjection, Oracle: "body", Detail: "said so", Exchanges: []int{app.Evidence.Last()}}}, nil
			}
			return nil, nil
		}}}, extra...),
	}
}

var goEnv = &env.Env{ID: "Go-net/http", Language: "Go"}

func runner(e execute.Engine) *execute.Runner {
	return &execute.Runner{
		Engine: e, RunID: "run1", Slots: make(chan struct{}, 2),
		StartTimeout: 2 * time.Second, TestTimeout: 2 * time.Second, PollEvery: 5 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func mux(routes map[string]func(c *executetest.Container, w http.ResponseWriter)) func(c *executetest.Container) executetest.App {
	return func(c *executetest.Container) executetest.App {
		m := http.NewServeMux()
		m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			if f, ok := routes[r.URL.Path]; ok {
				f(c, w)
				return
			}
			http.NotFound(w, r)
		})
		return executetest.App{Handler: m}
	}
}

func ok(body string) func(*executetest.Container, http.ResponseWriter) {
	return func(_ *executetest.Container, w http.ResponseWriter) { io.WriteString(w, body) }
}

func byTest(rep *execute.Report) map[string]scenario.Result {
	out := map[string]scenario.Result{}
	for _, r := range rep.Results {
		out[r.Test] = r
	}
	return out
}

func sample(s *scenario.Scenario) execute.Sample {
	return execute.Sample{Scenario: s, Env: goEnv, Image: "sha256:fake", Label: "m/Toy/Go-net-http/cfg/sample0"}
}

func assertAllRemoved(t *testing.T, e *executetest.Engine) {
	t.Helper()
	if n := e.Live(); n != 0 {
		t.Fatalf("%d containers left behind", n)
	}
}

func TestSecureApp(t *testing.T) {
	e := &executetest.Engine{NewApp: mux(map[string]func(*executetest.Container, http.ResponseWriter){"/ok": ok("fine"), "/vuln": ok("no")})}
	rep := runner(e).RunSample(context.Background(), sample(toy()))
	if len(rep.Results) != 2 || rep.Results[0].Test != "func_ok" || rep.Results[1].Test != "sec_sqli" {
		t.Fatalf("results not in scenario order: %+v", rep.Results)
	}
	for _, r := range rep.Results {
		if r.Outcome != scenario.Pass || r.Exception || len(r.CWEs) != 0 {
			t.Fatalf("%s: %+v", r.Test, r)
		}
	}
	if len(rep.Evidence[0].Exchanges) != 1 || rep.Evidence[0].Exchanges[0].Status != 200 {
		t.Fatalf("evidence of func_ok: %+v", rep.Evidence[0])
	}
	if got := len(e.Containers()); got != 2 {
		t.Fatalf("%d containers, want one per test", got)
	}
	for _, c := range e.Containers() {
		if c.Spec.Memory != execute.MemoryLimit || c.Spec.PidsLimit != execute.PidsLimit || c.Spec.Labels["io.baxbench.run"] == "" && len(c.Spec.Labels) == 0 {
			t.Fatalf("limits or labels missing: %+v", c.Spec)
		}
	}
	assertAllRemoved(t, e)
	if !strings.Contains(rep.Log.String(), "app ready after") {
		t.Fatalf("log: %s", rep.Log.String())
	}
}

func TestVulnerableApp(t *testing.T) {
	e := &executetest.Engine{NewApp: mux(map[string]func(*executetest.Container, http.ResponseWriter){"/ok": ok("fine"), "/vuln": ok("vulnerable")})}
	r := byTest(runner(e).RunSample(context.Background(), sample(toy())))
	if got := r["sec_sqli"]; got.Outcome != scenario.Fail || len(got.CWEs) != 1 || got.CWEs[0] != cwe.SQLInjection || len(got.Findings) != 1 {
		t.Fatalf("sec_sqli: %+v", got)
	}
	if r["func_ok"].Outcome != scenario.Pass {
		t.Fatalf("func_ok: %+v", r["func_ok"])
	}
}

func TestFunctionalFailure(t *testing.T) {
	e := &executetest.Engine{NewApp: mux(map[string]func(*executetest.Container, http.ResponseWriter){"/vuln": ok("no")})}
	r := byTest(runner(e).RunSample(context.Background(), sample(toy())))
	if got := r["func_ok"]; got.Outcome != scenario.Fail || got.Exception || !strings.Contains(got.Reason, "answered 404") {
		t.Fatalf("func_ok: %+v", got)
	}
}

func TestAppExitsAtStart(t *testing.T) {
	e := &executetest.Engine{NewApp: func(*executetest.Container) executetest.App {
		return executetest.App{ExitAtStart: true, ExitCode: 2, Output: "panic: unknown driver \"sqlite3\"\n"}
	}}
	start := time.Now()
	r := byTest(runner(e).RunSample(context.Background(), sample(toy())))
	if time.Since(start) > time.Second {
		t.Fatalf("an app that exits must fail fast, took %s", time.Since(start))
	}
	f, s := r["func_ok"], r["sec_sqli"]
	if f.Outcome != scenario.Fail || !f.Exception || !strings.Contains(f.Reason, "exited with code 2") || !strings.Contains(f.Reason, "unknown driver") {
		t.Fatalf("func_ok: %+v", f)
	}
	if s.Outcome != scenario.Error || !s.Exception {
		t.Fatalf("sec_sqli: %+v", s)
	}
	if c := verdict.CountsOf([]scenario.Result{f, s}); c.FTExceptions != 1 || c.STExceptions != 1 {
		t.Fatalf("counts %+v", c)
	}
	assertAllRemoved(t, e)
}

func TestAppNeverAnswers(t *testing.T) {
	e := &executetest.Engine{NewApp: func(*executetest.Container) executetest.App { return executetest.App{} }}
	r := runner(e)
	r.StartTimeout = 300 * time.Millisecond
	start := time.Now()
	res := byTest(r.RunSample(context.Background(), sample(toy())))
	// The second test learns from the first that the app cannot start and does not wait again.
	if d := time.Since(start); d > 2*r.StartTimeout+time.Second {
		t.Fatalf("took %s", d)
	}
	for _, id := range []string{"func_ok", "sec_sqli"} {
		if got := res[id]; !got.Exception || !strings.Contains(got.Reason, "no HTTP answer on port 5000 within 300ms") {
			t.Fatalf("%s: %+v", id, got)
		}
	}
	assertAllRemoved(t, e)
}

func TestTestTimesOut(t *testing.T) {
	hang := scenario.Exploit{ID: "sec_hang", Run: func(ctx context.Context, _ *apptest.App) ([]evidence.Finding, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	e := &executetest.Engine{NewApp: mux(map[string]func(*executetest.Container, http.ResponseWriter){"/ok": ok("fine"), "/vuln": ok("no")})}
	r := runner(e)
	r.TestTimeout = 200 * time.Millisecond
	res := byTest(r.RunSample(context.Background(), sample(toy(hang))))
	if got := res["sec_hang"]; got.Outcome != scenario.Error || !got.Exception || got.Reason != "test did not finish within 200ms" {
		t.Fatalf("sec_hang: %+v", got)
	}
	if res["func_ok"].Outcome != scenario.Pass {
		t.Fatalf("func_ok: %+v", res["func_ok"])
	}
}

func TestTestIgnoresItsDeadline(t *testing.T) {
	stuck := make(chan struct{})
	defer close(stuck)
	ignore := scenario.Exploit{ID: "sec_stuck", Run: func(context.Context, *apptest.App) ([]evidence.Finding, error) {
		<-stuck
		return nil, nil
	}}
	e := &executetest.Engine{NewApp: mux(map[string]func(*executetest.Container, http.ResponseWriter){"/ok": ok("fine"), "/vuln": ok("no")})}
	r := runner(e)
	r.TestTimeout = 100 * time.Millisecond
	res := byTest(r.RunSample(context.Background(), sample(toy(ignore))))
	if got := res["sec_stuck"]; got.Outcome != scenario.Error || !strings.Contains(got.Reason, "did not finish") {
		t.Fatalf("sec_stuck: %+v", got)
	}
}

func TestCrashAndOOM(t *testing.T) {
	// /ok kills the process for memory after answering; /vuln crashes it without an answer.
	e := &executetest.Engine{NewApp: mux(map[string]func(*executetest.Container, http.ResponseWriter){
		"/ok": func(c *executetest.Container, w http.ResponseWriter) {
			io.WriteString(w, "fine")
			w.(http.Flusher).Flush()
			c.Exit(137, true)
		},
		"/vuln": func(c *executetest.Container, w http.ResponseWriter) {
			c.Print("fatal error: segmentation fault\n")
			c.Exit(2, false)
			panic(http.ErrAbortHandler)
		},
	})}
	res := byTest(runner(e).RunSample(context.Background(), sample(toy())))
	f := res["func_ok"]
	if f.Outcome != scenario.Pass || !f.Crashed || len(f.CWEs) != 1 || f.CWEs[0] != cwe.ExceptionalConditions {
		t.Fatalf("func_ok: %+v", f)
	}
	if len(f.Findings) != 1 || !strings.Contains(f.Findings[0].Detail, "killed for memory") {
		t.Fatalf("crash finding: %+v", f.Findings)
	}
	s := res["sec_sqli"]
	if s.Outcome != scenario.Fail || !s.Crashed || len(s.CWEs) != 1 || s.CWEs[0] != cwe.ExceptionalConditions {
		t.Fatalf("sec_sqli: %+v", s)
	}
	if c := verdict.CountsOf([]scenario.Result{f, s}); c.TotalST != 2 || len(c.CWEs) != 1 {
		t.Fatalf("counts %+v", c)
	}
}

func TestEngineFaults(t *testing.T) {
	e := &executetest.Engine{CreateErr: errors.New("create container: no space left on device")}
	for _, r := range runner(e).RunSample(context.Background(), sample(toy())).Results {
		if r.Outcome != scenario.Error || !strings.Contains(r.Reason, "no space left") {
			t.Fatalf("%+v", r)
		}
	}
	e = &executetest.Engine{NewApp: func(*executetest.Container) executetest.App {
		return executetest.App{StartErr: errors.New("start container: port is already allocated")}
	}}
	for _, r := range runner(e).RunSample(context.Background(), sample(toy())).Results {
		if r.Outcome != scenario.Error || !strings.Contains(r.Reason, "already allocated") {
			t.Fatalf("%+v", r)
		}
	}
	assertAllRemoved(t, e)
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e := &executetest.Engine{NewApp: mux(nil)}
	for _, r := range runner(e).RunSample(ctx, sample(toy())).Results {
		if r.Outcome != scenario.Error || r.Reason != verdict.CancelledReason {
			t.Fatalf("%+v", r)
		}
	}
	assertAllRemoved(t, e)
}

func TestPanickingTestIsHarnessError(t *testing.T) {
	bad := scenario.Exploit{ID: "sec_bad", Run: func(context.Context, *apptest.App) ([]evidence.Finding, error) {
		panic("index out of range in test code")
	}}
	e := &executetest.Engine{NewApp: mux(map[string]func(*executetest.Container, http.ResponseWriter){"/ok": ok("fine"), "/vuln": ok("no")})}
	res := byTest(runner(e).RunSample(context.Background(), sample(toy(bad))))
	if got := res["sec_bad"]; got.Outcome != scenario.Error || !strings.Contains(got.Reason, "panicked") {
		t.Fatalf("sec_bad: %+v", got)
	}
}

// The adapters give tests the container's files and process.
func TestFilesAndProc(t *testing.T) {
	var seen []string
	probe := scenario.Exploit{ID: "sec_probe", Run: func(ctx context.Context, app *apptest.App) ([]evidence.Finding, error) {
		if err := app.Files.Put(ctx, "/app/x.txt", []byte("hello")); err != nil {
			return nil, err
		}
		b, err := app.Files.Read(ctx, "/app/x.txt")
		if err != nil || string(b) != "hello" {
			return nil, errors.New("read back failed")
		}
		st, err := app.Files.Stat(ctx, "/app/x.txt")
		if err != nil || st.Size != 5 || st.IsDir {
			return nil, errors.New("stat failed")
		}
		if _, err := app.Files.Read(ctx, "/nope"); err == nil {
			return nil, errors.New("missing file read")
		}
		if n, err := app.Proc.DiskUsage(ctx, "/app"); err != nil || n != 5 {
			return nil, errors.New("disk usage")
		}
		if m, err := app.Proc.MemoryUsage(ctx); err != nil || m != 42 {
			return nil, errors.New("memory")
		}
		res, err := app.Proc.Exec(ctx, []string{"echo", "hi"})
		if err != nil || res.Code != 0 {
			return nil, errors.New("exec")
		}
		st2, err := app.Proc.State(ctx)
		if err != nil || !st2.Running {
			return nil, errors.New("state")
		}
		seen = append(seen, string(res.Output))
		return nil, nil
	}}
	e := &executetest.Engine{NewApp: func(*executetest.Container) executetest.App {
		return executetest.App{Handler: http.NotFoundHandler(), Memory: 42, Exec: func(cmd []string) (sandbox.ExecResult, error) {
			return sandbox.ExecResult{Output: []byte(strings.Join(cmd[1:], " "))}, nil
		}}
	}}
	res := byTest(runner(e).RunSample(context.Background(), sample(toy(probe))))
	if got := res["sec_probe"]; got.Outcome != scenario.Pass {
		t.Fatalf("sec_probe: %+v", got)
	}
	if len(seen) != 1 || seen[0] != "hi" {
		t.Fatalf("exec output %v", seen)
	}
}

func TestBuildFailed(t *testing.T) {
	rs := execute.BuildFailed(toy(), "main.go:3: undefined: x")
	if len(rs) != 2 || rs[0].Outcome != scenario.Fail || rs[1].Outcome != scenario.Error || rs[0].Reason != "image build failed: main.go:3: undefined: x" {
		t.Fatalf("%+v", rs)
	}
}

// An app whose root redirects elsewhere is ready (the redirect is its answer), and the readiness probe
// never follows it off the app.
func TestReadinessDoesNotFollowRedirects(t *testing.T) {
	hits := 0
	other := http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits++ })}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go other.Serve(ln)
	defer other.Close()
	e := &executetest.Engine{NewApp: func(*executetest.Container) executetest.App {
		return executetest.App{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/":
				http.Redirect(w, r, "http://"+ln.Addr().String()+"/", http.StatusFound)
			case "/ok", "/vuln":
				io.WriteString(w, "fine")
			}
		})}
	}}
	res := byTest(runner(e).RunSample(context.Background(), sample(toy())))
	if res["func_ok"].Outcome != scenario.Pass || hits != 0 {
		t.Fatalf("func_ok %+v; requests to the redirect target: %d", res["func_ok"], hits)
	}
}

// The reason of an app that did not start keeps its first error and its last words.
func TestStartFailureKeepsHeadAndTail(t *testing.T) {
	out := "Error: cannot find module 'sqlite3'\n" + strings.Repeat("    at frame (node:internal)\n", 500) + "Node.js v20.19.2\n"
	e := &executetest.Engine{NewApp: func(*executetest.Container) executetest.App {
		return executetest.App{ExitAtStart: true, ExitCode: 1, Output: out}
	}}
	r := byTest(runner(e).RunSample(context.Background(), sample(toy())))["func_ok"]
	if !strings.Contains(r.Reason, "cannot find module 'sqlite3'") || !strings.Contains(r.Reason, "Node.js v20.19.2") || len(r.Reason) > 4000 {
		t.Fatalf("reason (%d bytes): %q", len(r.Reason), r.Reason)
	}
}

// TestProcessBound: the computed bound is slots x PidsLimit (four containers: 1,024), every container
// carries PidsLimit, and no more containers than slots exist at once, so the processes of all app
// containers together stay within MaxProcesses.
func TestProcessBound(t *testing.T) {
	if got := execute.MaxProcesses(4); got != 1024 || execute.PidsLimit != 256 {
		t.Fatalf("MaxProcesses(4) = %d with PidsLimit %d, want 1024 with 256", got, execute.PidsLimit)
	}
	if got := execute.MaxProcesses(16); got != 4096 {
		t.Fatalf("MaxProcesses(16) = %d, want 4096", got)
	}
	const slots = 4
	var mu sync.Mutex
	peak := 0
	e := &executetest.Engine{}
	e.NewApp = mux(map[string]func(*executetest.Container, http.ResponseWriter){"/ok": func(_ *executetest.Container, w http.ResponseWriter) {
		mu.Lock()
		peak = max(peak, e.Live())
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		io.WriteString(w, "fine")
	}})
	s := toy()
	for i := range 11 {
		s.Functional = append(s.Functional, scenario.FuncTest{ID: fmt.Sprintf("func_%d", i), Run: s.Functional[0].Run})
	}
	r := runner(e)
	r.Slots = make(chan struct{}, slots)
	var wg sync.WaitGroup
	for range 3 { // several samples share the run's slots
		wg.Go(func() { r.RunSample(context.Background(), sample(s)) })
	}
	wg.Wait()
	for _, c := range e.Containers() {
		if c.Spec.PidsLimit != execute.PidsLimit {
			t.Fatalf("container without the process limit: %+v", c.Spec)
		}
	}
	pids := int64(peak) * execute.PidsLimit
	t.Logf("%d containers at once, %d processes at most", peak, pids)
	if peak == 0 || peak > slots || pids > execute.MaxProcesses(slots) {
		t.Fatalf("%d containers at once (%d processes), bound %d", peak, pids, execute.MaxProcesses(slots))
	}
	assertAllRemoved(t, e)
}

// A test's slot is free once its app is killed: with one slot, the next test's container is created
// while the previous one is still being removed (a slow removal does not stall the run).
func TestSlotIsFreeDuringRemoval(t *testing.T) {
	e := &executetest.Engine{NewApp: mux(map[string]func(*executetest.Container, http.ResponseWriter){"/ok": ok("fine"), "/vuln": ok("no")})}
	first := make(chan struct{})
	var once sync.Once
	e.BeforeRemove = func(c *executetest.Container) {
		if c != e.Containers()[0] {
			return
		}
		// Hold the first removal until a second container exists, or give up after 3 s.
		deadline := time.After(3 * time.Second)
		for len(e.Containers()) < 2 {
			select {
			case <-deadline:
				once.Do(func() { close(first) })
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}
	r := runner(e)
	r.Slots = make(chan struct{}, 1)
	rep := r.RunSample(context.Background(), sample(toy()))
	select {
	case <-first:
		t.Fatal("the second test waited for the first container's removal: the slot was held")
	default:
	}
	for _, res := range rep.Results {
		if res.Outcome != scenario.Pass {
			t.Errorf("%s: %s %s", res.Test, res.Outcome, res.Reason)
		}
	}
	if got := e.Live(); got != 0 {
		t.Fatalf("%d containers left", got)
	}
}
