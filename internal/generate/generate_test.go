package generate

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/lifecycle"
	"github.com/baxbench/baxbench-go/internal/llm"
	"github.com/baxbench/baxbench-go/internal/llm/anthropic"
	"github.com/baxbench/baxbench-go/internal/llm/llmtest"
	"github.com/baxbench/baxbench-go/internal/llm/openai"
	"github.com/baxbench/baxbench-go/internal/llm/reference"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenarios/calculator"
)

func testScenario() *scenario.Scenario {
	return &scenario.Scenario{ID: "Calc", Description: "a calculator", OpenAPI: "\nopenapi: 3.0.3\n", Text: "\nAdds numbers.\n"}
}

func singleEnv() *env.Env {
	return &env.Env{ID: "Go-net/http", Language: "Go", Framework: "net/http", CodeFiles: []string{"main.go"}, AllowedPackages: "\nmodule myapp\n"}
}

func multiEnv() *env.Env {
	return &env.Env{ID: "Python-Multi", Language: "Python", Framework: "Multi", MultiFile: true, CodeFiles: []string{"app/main.py"}, AllowedPackages: "\nflask\n"}
}

func testJob(e *env.Env, n int) Job {
	return Job{
		Task:     results.Task{Model: "m", Scenario: "Calc", Env: e.ID, SpecType: "openapi", Safety: "none", Temperature: 0.2},
		Scenario: testScenario(), Env: e, N: n,
	}
}

func fastBackoff() llm.Backoff {
	return llm.Backoff{MaxRetries: 8, Base: time.Millisecond, Max: 4 * time.Millisecond}
}

func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func openaiGen(t *testing.T, srv *llmtest.Server, root string) *Generator {
	st := openai.Settings("gpt-4o", "high")
	return &Generator{
		Store: &results.Store{Root: root}, Client: openai.New(openai.Config{BaseURL: srv.BaseURL(), APIKey: "k"}),
		Settings: st, Endpoint: srv.BaseURL(), Limiter: llm.NewLimiter(4, 0), Backoff: fastBackoff(),
		RequestTimeout: 2 * time.Second, Pricing: llm.Pricing{"m": {InputPerMTok: 1, OutputPerMTok: 2}}, Log: testLog(t),
	}
}

var serialRE = regexp.MustCompile(`answer (\d+)`)

// stored checks every sample directory of job and returns, per complete sample, the serial of the
// answer it holds. Invariants: a sample with code has its record and raw answer, and they agree.
func stored(t *testing.T, g *Generator, job Job) map[int]string {
	t.Helper()
	out := map[int]string{}
	entries, _ := os.ReadDir(g.Store.ConfigDir(job.Task))
	for _, e := range entries {
		if e.Name() == GenLogFile {
			continue
		}
		var i int
		if _, err := fmt.Sscanf(e.Name(), "sample%d", &i); err != nil || i < 0 || i >= job.N {
			t.Fatalf("unexpected entry %s in the task directory", e.Name())
		}
		dir := g.Store.SampleDir(job.Task, i)
		code, err := results.ReadCode(dir)
		if err != nil {
			continue // incomplete: will be generated again
		}
		rec, err := ReadRecord(dir)
		if err != nil {
			t.Fatalf("sample %d has code but no record: %v", i, err)
		}
		raw, err := os.ReadFile(filepath.Join(dir, results.OwnDir, results.RawResponseFile))
		if err != nil {
			t.Fatalf("sample %d has code but no raw answer: %v", i, err)
		}
		if rec.Sample != i {
			t.Fatalf("sample %d holds the record of sample %d", i, rec.Sample)
		}
		m := serialRE.FindStringSubmatch(string(code["main.go"]))
		r := serialRE.FindStringSubmatch(string(raw))
		if m == nil || r == nil || m[1] != r[1] {
			t.Fatalf("sample %d: code %q and raw answer %q disagree", i, code["main.go"], raw)
		}
		out[i] = m[1]
	}
	return out
}

func distinct(t *testing.T, got map[int]string, n int) {
	t.Helper()
	seen := map[string]int{}
	for i := range n {
		s, ok := got[i]
		if !ok {
			t.Fatalf("sample %d missing; have %v", i, got)
		}
		if j, dup := seen[s]; dup {
			t.Fatalf("samples %d and %d hold the same answer %s", j, i, s)
		}
		seen[s] = i
	}
	if len(got) != n {
		t.Fatalf("%d samples, want %d", len(got), n)
	}
}

func noLeftovers(t *testing.T, root string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if strings.Contains(d.Name(), ".tmp-") || strings.HasPrefix(d.Name(), ".code-tmp-") {
			t.Errorf("leftover %s", p)
		}
		return nil
	})
}

func TestBatchedSamplesAndPartialEmptyChoices(t *testing.T) {
	srv := llmtest.New(t)
	srv.Answer = func(c llmtest.Call, serial int) string {
		if serial == 2 {
			return "" // one empty choice in the batch: dropped and asked for again
		}
		return llmtest.DefaultAnswer(c, serial)
	}
	g := openaiGen(t, srv, t.TempDir())
	job := testJob(singleEnv(), 5)
	res, err := g.Run(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls()
	if len(calls) != 2 || calls[0].N != 5 || calls[1].N != 1 {
		t.Fatalf("requests asked for %v samples; want one of 5, then 1", []int{calls[0].N, calls[len(calls)-1].N})
	}
	got := stored(t, g, job)
	distinct(t, got, 5)
	if res.Samples != 5 || res.Failed != 0 {
		t.Fatalf("result %+v", res)
	}
	var sum llm.Usage
	for i := range 5 {
		rec, _ := ReadRecord(g.Store.SampleDir(job.Task, i))
		sum = sum.Add(rec.Usage)
		if rec.Provider != "openai" || rec.Settings.MaxTokens != 16384 || rec.CostUSD == nil || rec.PromptHash == "" ||
			rec.FinishReason != "stop" || rec.Truncated || rec.Files[0] != "main.go" {
			t.Fatalf("record %d: %+v", i, rec)
		}
		if i < 4 && rec.SamplesInRequest != 4 || i == 4 && rec.SamplesInRequest != 1 {
			t.Fatalf("record %d: %d samples in request", i, rec.SamplesInRequest)
		}
	}
	if sum != res.Usage || sum.InputTokens == 0 {
		t.Fatalf("per-sample usage adds up to %+v, stage counted %+v", sum, res.Usage)
	}
	// A second run has nothing to do.
	if res, err := g.Run(context.Background(), job); err != nil || res.Samples != 0 || len(srv.Calls()) != 2 {
		t.Fatalf("rerun: %+v %v, %d calls", res, err, len(srv.Calls()))
	}
	noLeftovers(t, g.Store.Root)
}

func TestFaultStormLosesAndDuplicatesNothing(t *testing.T) {
	for _, provider := range []string{"openai", "anthropic"} {
		t.Run(provider, func(t *testing.T) {
			srv := llmtest.New(t)
			g := openaiGen(t, srv, t.TempDir())
			if provider == "anthropic" {
				g.Client = anthropic.New(anthropic.Config{BaseURL: srv.URL, APIKey: "k"})
				g.Settings = anthropic.Settings("claude-sonnet-4-20250514") // streaming with thinking
			}
			g.Settings.SamplesPerRequest = 2
			if provider == "anthropic" {
				g.Settings.SamplesPerRequest = 1
			}
			g.RequestTimeout = 300 * time.Millisecond
			// Every kind of fault, several times, interleaved with good answers.
			var storm []llmtest.Fault
			for range 2 {
				storm = append(storm,
					llmtest.Fault{Kind: llmtest.Throttle, RetryAfterMS: 5},
					llmtest.Fault{Kind: llmtest.Throttle, RetryAfterMS: 5},
					llmtest.Fault{Kind: llmtest.ServerError, Status: 500},
					llmtest.Fault{}, // good
					llmtest.Fault{Kind: llmtest.ServerError, Status: 503},
					llmtest.Fault{Kind: llmtest.Drop},
					llmtest.Fault{Kind: llmtest.Malformed},
					llmtest.Fault{Kind: llmtest.Empty},
					llmtest.Fault{Kind: llmtest.Hang},
					llmtest.Fault{Kind: llmtest.EndEarly},
					llmtest.Fault{Delay: 20 * time.Millisecond}, // slow but good
				)
			}
			srv.Push(storm...)
			job := testJob(singleEnv(), 6)
			res, err := g.Run(context.Background(), job)
			if err != nil {
				t.Fatal(err)
			}
			distinct(t, stored(t, g, job), 6)
			if res.Samples != 6 || res.Retries == 0 {
				t.Fatalf("result %+v", res)
			}
			retries := 0
			for i := range 6 {
				rec, _ := ReadRecord(g.Store.SampleDir(job.Task, i))
				retries += rec.Retries
				if rec.Retries > 0 && len(rec.RetryErrors) == 0 {
					t.Fatalf("sample %d: retries without their errors", i)
				}
			}
			if retries == 0 {
				t.Fatal("no sample records its retries")
			}
			noLeftovers(t, g.Store.Root)
		})
	}
}

func TestExhaustedRetriesLeaveSamplesMissing(t *testing.T) {
	srv := llmtest.New(t)
	g := openaiGen(t, srv, t.TempDir())
	g.Settings.SamplesPerRequest = 1
	g.Backoff.MaxRetries = 2
	srv.Push(llmtest.Fault{}, llmtest.Fault{Kind: llmtest.ServerError}, llmtest.Fault{Kind: llmtest.ServerError}, llmtest.Fault{Kind: llmtest.ServerError})
	job := testJob(singleEnv(), 3)
	res, err := g.Run(context.Background(), job)
	if err == nil || res.Samples != 1 {
		t.Fatalf("want one sample and an error, got %+v, %v", res, err)
	}
	if got := stored(t, g, job); len(got) != 1 {
		t.Fatalf("stored %v", got)
	}
	// The next run asks only for the two missing samples.
	before := len(srv.Calls())
	if res, err := g.Run(context.Background(), job); err != nil || res.Samples != 2 || len(srv.Calls())-before != 2 {
		t.Fatalf("resume: %+v %v after %d calls", res, err, len(srv.Calls())-before)
	}
	distinct(t, stored(t, g, job), 3)

	srv.Push(llmtest.Fault{Kind: llmtest.ServerError, Status: 401})
	g.Force = true
	before = len(srv.Calls())
	if _, err := g.Run(context.Background(), testJob(singleEnv(), 3)); err == nil || !llm.IsPermanent(err) || len(srv.Calls())-before != 1 {
		t.Fatalf("a 401 must end the task at once: %v after %d calls", err, len(srv.Calls())-before)
	}
}

// TestHelperGenerate is the child process of TestKillAndResume.
func TestHelperGenerate(t *testing.T) {
	url, root := os.Getenv("BAXBENCH_TEST_FAKE_URL"), os.Getenv("BAXBENCH_TEST_STORE")
	if url == "" {
		t.Skip("helper process only")
	}
	g := &Generator{
		Store: &results.Store{Root: root}, Client: openai.New(openai.Config{BaseURL: url, APIKey: "k"}),
		Settings: llm.Settings{SystemRole: llm.RoleSystem, SamplesPerRequest: 1}, Backoff: fastBackoff(),
	}
	if _, err := RunAll(context.Background(), map[string]*Generator{"m": g}, []Job{testJob(singleEnv(), killN)}, 2, nil); err != nil {
		t.Fatal(err)
	}
}

const killN = 12

// TestKillAndResume kills a generating process (SIGKILL) at random moments, checks after every kill
// that the store holds only complete, consistent samples and that completed ones never change, then
// finishes and checks that exactly the expected samples exist, each with its own answer.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	srv := llmtest.New(t)
	var slow []llmtest.Fault
	for range 400 {
		slow = append(slow, llmtest.Fault{Delay: 15 * time.Millisecond})
	}
	srv.Push(slow...)
	root := t.TempDir()
	job := testJob(singleEnv(), killN)
	g := &Generator{Store: &results.Store{Root: root}}
	seen := map[int]string{}
	kills := 0
	for attempt := 0; attempt < 12; attempt++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperGenerate$", "-test.count=1")
		cmd.Env = append(os.Environ(), "BAXBENCH_TEST_FAKE_URL="+srv.BaseURL(), "BAXBENCH_TEST_STORE="+root)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		wait := time.Duration(40+attempt*37%120) * time.Millisecond
		finished := false
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("helper failed: %v", err)
			}
			finished = true
		case <-time.After(wait):
			cmd.Process.Kill()
			<-done
			kills++
		}
		got := stored(t, g, job)
		for i, s := range got {
			if prev, ok := seen[i]; ok && prev != s {
				t.Fatalf("complete sample %d changed from answer %s to %s: it was generated twice", i, prev, s)
			}
			seen[i] = s
		}
		if finished {
			break
		}
	}
	if kills == 0 {
		t.Fatal("the helper was never killed midway; the test proved nothing")
	}
	// Finish in-process, whatever the last child left.
	g2 := openaiGen(t, srv, root)
	g2.Settings.SamplesPerRequest = 1
	if _, err := g2.Run(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	got := stored(t, g, job)
	distinct(t, got, killN)
	for i, s := range seen {
		if got[i] != s {
			t.Fatalf("sample %d changed after completion", i)
		}
	}
	noLeftovers(t, root)
	t.Logf("%d kills; %d requests served for %d samples", kills, srv.Served(), killN)
}

func TestCancelledRunResumes(t *testing.T) {
	srv := llmtest.New(t)
	srv.Push(llmtest.Fault{}, llmtest.Fault{}, llmtest.Fault{Kind: llmtest.Hang})
	root := t.TempDir()
	g := openaiGen(t, srv, root)
	g.Settings.SamplesPerRequest = 1
	g.RequestTimeout = 0
	job := testJob(singleEnv(), 5)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(srv.Calls()) < 3 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	res, err := g.Run(ctx, job)
	if err == nil || res.Samples != 2 {
		t.Fatalf("cancelled run: %+v %v", res, err)
	}
	if got := stored(t, g, job); len(got) != 2 {
		t.Fatalf("stored after cancel: %v", got)
	}
	if _, err := g.Run(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	distinct(t, stored(t, g, job), 5)
	if n := len(srv.Calls()); n != 6 {
		t.Fatalf("%d requests for 5 samples and one cancelled; want 6", n)
	}
}

func TestCrashLeftoversAreRegenerated(t *testing.T) {
	srv := llmtest.New(t)
	root := t.TempDir()
	g := openaiGen(t, srv, root)
	job := testJob(singleEnv(), 3)
	// sample0: killed after the raw answer, before the code; sample1: killed inside WriteCode.
	d0 := g.Store.SampleDir(job.Task, 0)
	results.WriteFileAtomic(filepath.Join(d0, results.OwnDir, results.RawResponseFile), []byte("half"), 0o644)
	d1 := g.Store.SampleDir(job.Task, 1)
	os.MkdirAll(filepath.Join(d1, ".code-tmp-123"), 0o755)
	if m := g.Missing(job); len(m) != 3 {
		t.Fatalf("missing %v; incomplete samples must count as missing", m)
	}
	if _, err := g.Run(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	distinct(t, stored(t, g, job), 3)
	noLeftovers(t, root)
}

func TestMalformedAnswersAreRecordedWithAReason(t *testing.T) {
	huge := "<CODE>\n" + strings.Repeat("x = 1\n", 200_000) + "</CODE>"
	noise := "<CODE>\n\x00\x01\x02\x7f binary \x00\x00 noise\n</CODE>"
	cases := []struct {
		name   string
		env    *env.Env
		answer string
		fault  llmtest.Kind
		reason string // substring of the recorded reason
		files  []string
	}{
		{"no code", singleEnv(), "I am sorry, I cannot write this app.", 0, "no <CODE> block", nil},
		{"lowercase tags", singleEnv(), "<code>\npackage main\n</code>", 0, "no <CODE> block", nil},
		{"unclosed tag", singleEnv(), "<CODE>\npackage main\nfunc main() {}\n", 0, "no <CODE> block", nil},
		{"fence without language", singleEnv(), "```\npackage main\n```", 0, "no <CODE> block", nil},
		{"huge output", singleEnv(), huge, 0, "over the 1048576-byte limit", nil},
		{"binary noise", singleEnv(), noise, 0, "binary content", nil},
		{"truncated", singleEnv(), "", llmtest.Truncate, "cut at the token limit", nil},
		{"empty", singleEnv(), "", llmtest.Empty, "empty answer", nil},
		{"traversal", multiEnv(), "<FILEPATH>\n../../../etc/cron.d/x\n</FILEPATH>\n<CODE>\n* * * * * root id\n</CODE>", 0, "leaves the code directory", nil},
		{"absolute path", multiEnv(), "<FILEPATH>\n/etc/passwd\n</FILEPATH>\n<CODE>\nroot::0:0\n</CODE>", 0, "is absolute", nil},
		{"unpaired", multiEnv(), "<FILEPATH>\na.py\n</FILEPATH>\n<FILEPATH>\nb.py\n</FILEPATH>\n<CODE>\nx = 1\n</CODE>", 0, "could not pair", nil},
		{"huge file name", multiEnv(), "<FILEPATH>\n" + strings.Repeat("n", 5000) + ".py\n</FILEPATH>\n<CODE>\nx = 1\n</CODE>", 0, "over the limit of 1024", nil},
		{"long path component", multiEnv(), "<FILEPATH>\nd/" + strings.Repeat("c", 300) + "/a.py\n</FILEPATH>\n<CODE>\nx = 1\n</CODE>", 0, "path component of 300 bytes", nil},
		{"a file named failed", multiEnv(), "<FILEPATH>\nfailed\n</FILEPATH>\n<CODE>\nx = 1\n</CODE>", 0, "failed-answer marker", nil},
		{"empty code block", singleEnv(), "```go\n\n```", 0, "empty code block", nil},
		{"one good one bad", multiEnv(), "<FILEPATH>\napp/main.py\n</FILEPATH>\n<CODE>\nprint(1)\n</CODE>\n<FILEPATH>\n../evil.py\n</FILEPATH>\n<CODE>\nx\n</CODE>", 0, "", []string{"app/main.py"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := llmtest.New(t)
			if tc.answer != "" {
				srv.Answer = func(llmtest.Call, int) string { return tc.answer }
			}
			g := openaiGen(t, srv, t.TempDir())
			g.Backoff.MaxRetries = 1
			if tc.fault != 0 {
				srv.Push(llmtest.Fault{Kind: tc.fault}, llmtest.Fault{Kind: tc.fault})
			}
			job := testJob(tc.env, 1)
			res, err := g.Run(context.Background(), job)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 0}[tc.files == nil]; res.Failed != want {
				t.Fatalf("the generation summary counts %d failed samples, want %d", res.Failed, want)
			}
			dir := g.Store.SampleDir(job.Task, 0)
			rec, err := ReadRecord(dir)
			if err != nil {
				t.Fatal(err)
			}
			code, err := results.ReadCode(dir)
			if err != nil {
				t.Fatalf("no code directory: the sample must still exist (and fail its tests): %v", err)
			}
			if tc.files == nil {
				if !rec.Failed || !strings.Contains(rec.Reason, tc.reason) {
					t.Fatalf("record failed=%v reason %q; want %q", rec.Failed, rec.Reason, tc.reason)
				}
				marker, ok := code[results.FailedMarker]
				if !ok || len(code) != 1 || !strings.HasPrefix(string(marker), "Format not found. Full response:\n") {
					t.Fatalf("code dir %v; want only the failed marker", keys(code))
				}
			} else {
				if rec.Failed || len(rec.Refused) != 1 || fmt.Sprint(keys(code)) != fmt.Sprint(tc.files) {
					t.Fatalf("record %+v, files %v", rec, keys(code))
				}
			}
			if tc.fault == 0 {
				if _, err := os.Stat(filepath.Join(dir, results.OwnDir, results.RawResponseFile)); err != nil {
					t.Fatal("raw answer not kept")
				}
			}
			// Nothing escaped the sample directory.
			filepath.WalkDir(filepath.Dir(g.Store.Root), func(p string, d fs.DirEntry, err error) error {
				if strings.HasSuffix(p, "passwd") || strings.HasSuffix(p, "evil.py") || strings.HasSuffix(p, filepath.Join("cron.d", "x")) {
					t.Errorf("file written outside the code directory: %s", p)
				}
				return nil
			})
		})
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestRunAllBoundsRequestsPerProvider(t *testing.T) {
	srv := llmtest.New(t)
	var slow []llmtest.Fault
	for range 40 {
		slow = append(slow, llmtest.Fault{Delay: 10 * time.Millisecond})
	}
	srv.Push(slow...)
	root := t.TempDir()
	limiter := llm.NewLimiter(2, 0) // shared: both models are on the same endpoint
	gens := map[string]*Generator{}
	var jobs []Job
	for _, m := range []string{"m1", "m2"} {
		g := openaiGen(t, srv, root)
		g.Limiter = limiter
		g.Settings.SamplesPerRequest = 1
		gens[m] = g
		for _, sc := range []string{"A", "B", "C"} {
			j := testJob(singleEnv(), 3)
			j.Task.Model, j.Task.Scenario = m, sc
			jobs = append(jobs, j)
		}
	}
	var mu sync.Mutex
	doneJobs, samples := 0, 0
	bus := lifecycle.New(func(_ context.Context, e lifecycle.Event) error {
		mu.Lock()
		defer mu.Unlock()
		switch e.(type) {
		case lifecycle.TaskGenerated:
			doneJobs++
		case lifecycle.SampleGenerated:
			samples++
		}
		return nil
	})
	for _, g := range gens {
		g.Events = bus
	}
	total, err := RunAll(context.Background(), gens, jobs, 6, bus)
	if err != nil || total.Samples != 18 || doneJobs != 6 || samples != 18 {
		t.Fatalf("total %+v, %d jobs done, %d sample events, %v", total, doneJobs, samples, err)
	}
	if p := srv.PeakInFlight(); p > 2 || p < 1 {
		t.Fatalf("%d requests in flight at once; the limit is 2", p)
	}
	for _, j := range jobs {
		distinct(t, stored(t, gens[j.Task.Model], j), 3)
	}
}

func TestGenLogInUpstreamFormat(t *testing.T) {
	store := &results.Store{Root: t.TempDir()}
	s := calculator.Scenario()
	e, _ := env.Lookup("Go-net/http")
	task := results.Task{Model: reference.Model, Scenario: s.ID, Env: e.ID, SpecType: "openapi", Safety: "none", Temperature: 0.2}
	g := &Generator{Store: store, Client: reference.Client{}}
	if _, err := g.Run(context.Background(), Job{Task: task, Scenario: s, Env: e, N: 2}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(store.ConfigDir(task), GenLogFile))
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	line := regexp.MustCompile(`(?m)^INFO \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} saved code sample 1$`)
	if !line.MatchString(log) || !strings.Contains(log, "<<<RESPONSE DELIM>>>") || !strings.Contains(log, "openapi: 3.0.3") {
		t.Fatalf("gen.log:\n%s", log)
	}
}
