// Package execute runs a sample's tests: a fresh container per test, readiness, the test under its
// deadline, the crash check, and teardown. Every test ends in one of three outcomes with its reason.
package execute

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/evidence"
	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/verdict"
)

// Limits of an app container (upstream: 1 GiB memory; we add CPU and process limits). PidsLimit counts
// processes and threads together; the references of every environment peak far below it (at most 16 measured; DEV-H11), and
// a fork bomb stops there.
const (
	MemoryLimit = 1 << 30
	NanoCPUs    = 1_000_000_000
	PidsLimit   = 256
	// DiskLimit is each app container's disk budget: what it writes to its file system (by apparent
	// size). The engine's own quota (--storage-opt size) needs xfs with project quotas, so a watchdog
	// measures the writable layer every DiskPoll and kills an app over the budget (the test records the
	// crash and why; DEV-H12).
	DiskLimit = 1 << 30
	DiskPoll  = 2 * time.Second
)

// MaxProcesses is the most processes and threads the app containers of a run hold at once when at most
// slots of them run together: slots x PidsLimit. A test takes its slot (Runner.Slots, sized by
// --max-containers) before it creates its container and gives it back only after removing it, and
// every container is created with PidsLimit. With 4 containers that is 1,024; with the largest default
// --max-containers (16) it is 4,096.
func MaxProcesses(slots int) int64 { return int64(slots) * PidsLimit }

// Engine is what the test stage needs from a container engine: app containers. internal/sandbox is its
// implementation over the Docker Engine API (see Docker); tests use a fake (executetest).
type Engine interface {
	Create(ctx context.Context, spec sandbox.ContainerSpec) (Container, error)
	// Network creates a bridge network (internal: without a route out) and returns its id.
	Network(ctx context.Context, name string, labels map[string]string, internal bool) (string, error)
	RemoveNetwork(ctx context.Context, id string) error
}

// Container is one app container: start it, watch it, reach its files and process, remove it.
type Container interface {
	ID() string
	// Start starts the container and returns the host:port its port 5000 is reached at; "" when the
	// process exited at once.
	Start(ctx context.Context) (string, error)
	State(ctx context.Context) (sandbox.State, error)
	// Logs returns the app's output: all of it up to limit bytes, else its head and its tail.
	Logs(ctx context.Context, limit int) (string, error)
	Remove(ctx context.Context) error
	Put(ctx context.Context, path string, data []byte) error
	Read(ctx context.Context, path string) ([]byte, error)
	Stat(ctx context.Context, path string) (sandbox.PathStat, error)
	MemoryUsage(ctx context.Context) (int64, error)
	DiskUsage(ctx context.Context, path string) (int64, error)
	// WritableSize is what the app wrote to its file system, in bytes.
	WritableSize(ctx context.Context) (int64, error)
	// Kill ends the app's processes at once; the container stays.
	Kill(ctx context.Context) error
	Exec(ctx context.Context, cmd []string) (sandbox.ExecResult, error)
}

// Docker is the Engine of a connected sandbox.
func Docker(d *sandbox.Docker) Engine { return dockerEngine{d} }

type dockerEngine struct{ d *sandbox.Docker }

func (e dockerEngine) Network(ctx context.Context, name string, labels map[string]string, internal bool) (string, error) {
	return e.d.Network(ctx, name, labels, internal)
}

func (e dockerEngine) RemoveNetwork(ctx context.Context, id string) error {
	return e.d.RemoveNetwork(ctx, id)
}

func (e dockerEngine) Create(ctx context.Context, spec sandbox.ContainerSpec) (Container, error) {
	c, err := e.d.Create(ctx, spec)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Runner runs tests against sample images.
type Runner struct {
	Engine Engine
	// Each sample's app containers join a network of their own, created by RunSample and removed when
	// its tests end, so no app can reach another sample's app. Apps are reached on their address there,
	// or on a port published on 127.0.0.1 when Publish is set (the network then has egress).
	Publish bool
	RunID   string
	// Slots bounds the containers running at once across the whole run.
	Slots        chan struct{}
	StartTimeout time.Duration // upstream: 60 s
	TestTimeout  time.Duration // upstream: 300 s
	DiskLimit    int64         // bytes an app may write (0: DiskLimit)
	DiskPoll     time.Duration // disk watchdog period (0: DiskPoll)
	PollEvery    time.Duration // readiness poll period
	Log          *slog.Logger
}

// Sample is what RunSample needs to know about one sample.
type Sample struct {
	Scenario *scenario.Scenario
	Env      *env.Env
	Image    string
	Label    string // e.g. the sample's path in the store, for labels and logs
}

// Report is the outcome of all tests of a sample.
type Report struct {
	Results  []scenario.Result
	Evidence []scenario.TestEvidence
	Log      strings.Builder // human-readable account for test.log
	mu       sync.Mutex
}

func (r *Report) logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(&r.Log, time.Now().UTC().Format("2006-01-02 15:04:05.000")+" "+format+"\n", args...)
}

type test struct {
	id   string
	kind string
	fn   func(ctx context.Context, app *apptest.App) ([]evidence.Finding, error)
}

// testsOf pairs each test the verdict core lists (functional tests, then exploits) with its function.
func testsOf(s *scenario.Scenario) []test {
	var ts []test
	for _, t := range s.Functional {
		run := t.Run
		ts = append(ts, test{id: t.ID, kind: scenario.Functional, fn: func(ctx context.Context, app *apptest.App) ([]evidence.Finding, error) {
			return nil, run(ctx, app)
		}})
	}
	for _, t := range s.Security {
		ts = append(ts, test{id: t.ID, kind: scenario.Security, fn: t.Run})
	}
	return ts
}

func (t test) observe(stage verdict.Stage, reason string) verdict.Observation {
	return verdict.Observation{Test: t.id, Kind: t.kind, Stage: stage, Reason: reason}
}

// startGate remembers that the app of this sample cannot start, so tests still waiting give up at once
// instead of waiting out the readiness timeout again.
type startGate struct {
	mu     sync.Mutex
	reason string
	done   chan struct{}
}

func (g *startGate) fail(reason string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.reason == "" {
		g.reason = reason
		close(g.done)
	}
}

func (g *startGate) failed() (string, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.reason, g.reason != ""
}

// RunSample runs every test of the sample, concurrently within the container slots, and returns the
// results in scenario order.
func (r *Runner) RunSample(ctx context.Context, s Sample) *Report {
	tests := testsOf(s.Scenario)
	rep := &Report{Results: make([]scenario.Result, len(tests)), Evidence: make([]scenario.TestEvidence, len(tests))}
	gate := &startGate{done: make(chan struct{})}
	netName := "baxbench-" + r.RunID + "-" + uuid.NewString()[:8]
	_, err := r.Engine.Network(ctx, netName, map[string]string{sandbox.LabelRun: r.RunID, sandbox.LabelSample: s.Label}, !r.Publish)
	if err != nil {
		rep.Results = verdict.AllAt(verdict.TestsOf(s.Scenario), verdict.EngineFailed, "create the sample's network: "+err.Error())
		for i, t := range tests {
			rep.Evidence[i].Test = t.id
		}
		return rep
	}
	defer func() {
		if err := r.Engine.RemoveNetwork(context.WithoutCancel(ctx), netName); err != nil {
			r.Log.Warn("network not removed", "network", netName, "err", err)
		}
	}()
	var wg sync.WaitGroup
	for i, t := range tests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, ev := r.runTest(ctx, s, t, netName, gate, rep)
			rep.Results[i], rep.Evidence[i] = res, ev
			rep.logf("%s %s: %s %s %s", t.kind, t.id, res.Outcome, cwesText(res.CWEs), res.Reason)
		}()
	}
	wg.Wait()
	return rep
}

// BuildFailed records every test of a sample whose image did not build.
func BuildFailed(s *scenario.Scenario, reason string) []scenario.Result {
	return verdict.AllAt(verdict.TestsOf(s), verdict.BuildFailed, reason)
}

func cwesText(ids []cwe.ID) string {
	if len(ids) == 0 {
		return ""
	}
	var parts []string
	for _, id := range ids {
		parts = append(parts, id.String())
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func (r *Runner) runTest(ctx context.Context, s Sample, t test, network string, gate *startGate, rep *Report) (res scenario.Result, ev scenario.TestEvidence) {
	ev.Test = t.id
	start := time.Now()
	defer func() { res.DurationMS = time.Since(start).Milliseconds() }()
	if reason, failed := gate.failed(); failed {
		return verdict.Decide(t.observe(verdict.StartFailed, reason)), ev
	}
	// The slot is released once the app's processes are gone, before the container is removed:
	// removal holds no app resources, and the next test need not wait for it.
	var release func()
	select {
	case r.Slots <- struct{}{}:
		release = sync.OnceFunc(func() { <-r.Slots })
		defer release()
	case <-ctx.Done():
		return verdict.Decide(t.observe(verdict.Cancelled, "")), ev
	case <-gate.done:
		reason, _ := gate.failed()
		return verdict.Decide(t.observe(verdict.StartFailed, reason)), ev
	}
	c, err := r.Engine.Create(ctx, sandbox.ContainerSpec{
		Image:   s.Image,
		Name:    "baxbench-" + uuid.NewString(),
		Network: network,
		Publish: r.Publish,
		Env:     []string{"APP_SECRET=" + env.AppSecret},
		Labels: map[string]string{
			sandbox.LabelRun: r.RunID, sandbox.LabelRole: "app",
			sandbox.LabelTest: t.id, sandbox.LabelSample: s.Label,
		},
		Memory: MemoryLimit, NanoCPUs: NanoCPUs, PidsLimit: PidsLimit,
	})
	if err != nil {
		return verdict.Decide(t.observe(verdict.EngineFailed, err.Error())), ev
	}
	defer func() {
		c.Kill(ctx)
		logs, _ := c.Logs(ctx, 64<<10)
		ev.AppLog = logs
		if logs != "" {
			rep.logf("app output during %s:\n%s", t.id, logs)
		}
		release()
		if err := c.Remove(ctx); err != nil {
			r.Log.Warn("container not removed", "container", c.ID(), "err", err)
		}
	}()
	addr, err := c.Start(ctx)
	if err != nil {
		return verdict.Decide(t.observe(verdict.EngineFailed, err.Error())), ev
	}
	elog := &evidence.Log{}
	// The disk watchdog runs from the start: an app may fill the disk before it ever answers.
	stopWatch, overDisk := r.watchDisk(ctx, c, elog)
	defer stopWatch()
	readyAt, err := r.waitReady(ctx, c, addr, gate)
	if err != nil {
		if ctx.Err() != nil {
			return verdict.Decide(t.observe(verdict.Cancelled, "")), ev
		}
		reason := err.Error()
		stopWatch()
		if why := overDisk(); why != "" {
			reason = why
		}
		gate.fail(reason)
		return verdict.Decide(t.observe(verdict.StartFailed, reason)), ev
	}
	rep.logf("%s: app ready after %d ms", t.id, readyAt.Milliseconds())

	app := &apptest.App{
		HTTP:     apptest.NewClient("http://"+addr, elog, nil).AppHost("localhost:5000"),
		Files:    files{c},
		Proc:     proc{c},
		Env:      apptest.EnvInfo{ID: s.Env.ID, Language: s.Env.Language, Workdir: env.Workdir, DBFile: env.DBFile},
		Log:      r.Log.With("test", t.id, "container", shortID(c.ID())),
		Evidence: elog,
		Fixtures: s.Scenario.Fixtures,
	}
	findings, terr, timedOut := r.call(ctx, t, app)
	stopWatch()
	ev.Exchanges, ev.Notes = elog.Exchanges(), elog.Notes()
	obs := verdict.Observation{Test: t.id, Kind: t.kind, TimedOut: timedOut, Timeout: r.TestTimeout, Err: terr, Findings: findings}
	if ctx.Err() != nil && !timedOut {
		obs.Stage = verdict.Cancelled
	} else if !timedOut {
		obs.Crash = r.crashCheck(ctx, c, elog)
		if obs.Crash != nil {
			obs.Crash.Why = overDisk()
		}
		ev.Notes = elog.Notes()
	}
	res = verdict.Decide(obs)
	res.StartupMS = readyAt.Milliseconds()
	return res, ev
}

// crashCheck observes whether the app, which was serving before the test, is dead after it.
func (r *Runner) crashCheck(ctx context.Context, c Container, elog *evidence.Log) *verdict.Crash {
	// A dropped connection comes a moment before the engine sees the process exit: after one, give the
	// state a second to settle before judging.
	grace := time.Duration(0)
	if ex := elog.Exchanges(); len(ex) > 0 && ex[len(ex)-1].Error != "" {
		grace = time.Second
	}
	running, serr := apptest.StillRunning(ctx, proc{c}, grace)
	if serr != nil || running {
		return nil
	}
	st, _ := c.State(ctx)
	oom := st.OOMKilled || st.ExitCode == 137
	elog.Notef("process", "the app died during the test: exit code %d, OOM killed %v", st.ExitCode, oom)
	return &verdict.Crash{ExitCode: st.ExitCode, OOMKilled: st.OOMKilled, LastExchange: elog.Last()}
}

// watchDisk measures what the app writes, every DiskPoll (Runner.DiskPoll when set), and kills the app
// when it is over its budget (Runner.DiskLimit when set, else DiskLimit). stop ends the watch; why says
// why the app was killed ("" when it was not).
func (r *Runner) watchDisk(ctx context.Context, c Container, elog *evidence.Log) (stop func(), why func() string) {
	limit, every := int64(DiskLimit), DiskPoll
	if r.DiskLimit > 0 {
		limit = r.DiskLimit
	}
	if r.DiskPoll > 0 {
		every = r.DiskPoll
	}
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	var reason string
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-wctx.Done():
				return
			case <-t.C:
			}
			n, err := c.WritableSize(wctx)
			if err != nil || n <= limit {
				continue
			}
			reason = fmt.Sprintf("the app exceeded its disk budget: it wrote %d bytes (limit %d) and was stopped", n, limit)
			elog.Notef("disk", "%s", reason)
			if err := c.Kill(ctx); err != nil {
				r.Log.Warn("app over its disk budget not killed", "container", c.ID(), "err", err)
			}
			return
		}
	}()
	stop = func() { cancel(); <-done } // idempotent
	return stop, func() string { <-done; return reason }
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// call runs the test under the test timeout. A panic in test code is a harness error, not a crash.
func (r *Runner) call(ctx context.Context, t test, app *apptest.App) (findings []evidence.Finding, err error, timedOut bool) {
	tctx, cancel := context.WithTimeout(ctx, r.TestTimeout)
	defer cancel()
	type out struct {
		f   []evidence.Finding
		err error
	}
	ch := make(chan out, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- out{err: fmt.Errorf("test %s panicked: %v\n%s", t.id, p, debug.Stack())}
			}
		}()
		f, err := t.fn(tctx, app)
		ch <- out{f, err}
	}()
	select {
	case o := <-ch:
		if o.err != nil && errors.Is(o.err, context.DeadlineExceeded) && tctx.Err() != nil && ctx.Err() == nil {
			return o.f, o.err, true
		}
		return o.f, o.err, false
	case <-tctx.Done():
		// The test ignores its context; give it a moment, then abandon it.
		select {
		case o := <-ch:
			return o.f, o.err, ctx.Err() == nil
		case <-time.After(2 * time.Second):
			return nil, tctx.Err(), ctx.Err() == nil
		}
	}
}

// waitReady polls GET / until any HTTP answer, the container exits, the deadline passes, or another
// test of the sample has shown the app cannot start.
func (r *Runner) waitReady(ctx context.Context, c Container, addr string, gate *startGate) (time.Duration, error) {
	start := time.Now()
	deadline := time.NewTimer(r.StartTimeout)
	defer deadline.Stop()
	every := r.PollEvery
	if every <= 0 {
		every = 25 * time.Millisecond
	}
	// Any answer means ready; a redirect is an answer and is never followed (it could point anywhere).
	hc := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	url := "http://" + addr + "/"
	lastState := time.Time{}
	for {
		if addr != "" {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if resp, err := hc.Do(req); err == nil {
				resp.Body.Close()
				return time.Since(start), nil
			}
		}
		if time.Since(lastState) >= 100*time.Millisecond || addr == "" {
			lastState = time.Now()
			st, err := c.State(ctx)
			if err != nil {
				return 0, fmt.Errorf(verdict.StartFailedPrefix+": %w", err)
			}
			if !st.Running {
				logs, _ := c.Logs(ctx, startLogLimit)
				return 0, fmt.Errorf(verdict.StartFailedPrefix+": its process exited with code %d before answering%s", st.ExitCode, outputOf(logs))
			}
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-gate.done:
			reason, _ := gate.failed()
			return 0, errors.New(reason)
		case <-deadline.C:
			return 0, fmt.Errorf(verdict.StartFailedPrefix+": no HTTP answer on port 5000 within %s", r.StartTimeout)
		case <-time.After(every):
		}
	}
}

// startLogLimit bounds the output quoted in a start failure's reason: its beginning (where a compiler
// or import error is) and its end (the final exception) are both kept.
const startLogLimit = 3000

func outputOf(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	return "; its output: " + s
}

// files adapts a container to apptest.Files.
type files struct{ c Container }

func (f files) Put(ctx context.Context, path string, data []byte) error {
	return f.c.Put(ctx, path, data)
}
func (f files) Read(ctx context.Context, path string) ([]byte, error) { return f.c.Read(ctx, path) }
func (f files) Stat(ctx context.Context, path string) (apptest.FileInfo, error) {
	st, err := f.c.Stat(ctx, path)
	if err != nil {
		return apptest.FileInfo{}, err
	}
	return apptest.FileInfo{Name: st.Name, Size: st.Size, Mode: st.Mode, IsDir: st.Mode&fs.ModeDir != 0}, nil
}

// proc adapts a container to apptest.Proc.
type proc struct{ c Container }

func (p proc) State(ctx context.Context) (apptest.State, error) {
	st, err := p.c.State(ctx)
	return apptest.State{Running: st.Running, ExitCode: st.ExitCode, OOMKilled: st.OOMKilled || st.ExitCode == 137}, err
}
func (p proc) MemoryUsage(ctx context.Context) (int64, error) { return p.c.MemoryUsage(ctx) }
func (p proc) DiskUsage(ctx context.Context, path string) (int64, error) {
	return p.c.DiskUsage(ctx, path)
}
func (p proc) Exec(ctx context.Context, cmd []string) (apptest.ExecResult, error) {
	r, err := p.c.Exec(ctx, cmd)
	return apptest.ExecResult{Code: r.Code, Output: r.Output}, err
}
