package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/catalog"
	"github.com/baxbench/baxbench-go/internal/generate"
	"github.com/baxbench/baxbench-go/internal/llm"
	"github.com/baxbench/baxbench-go/internal/llm/llmtest"
	"github.com/baxbench/baxbench-go/internal/llm/reference"
	"github.com/baxbench/baxbench-go/internal/prompt"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/sandbox/sandboxtest"
)

func runCLIEnv(t *testing.T, environ map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(k string) string { return environ[k] }})
	return code, out.String(), errOut.String()
}

// referenceAnswers makes the fake answer every prompt of the given tasks with that task's reference
// solution, in the format the prompt asks for, so that the generated samples are worth testing.
func referenceAnswers(t *testing.T, srv *llmtest.Server, scenarioIDs []string, envID string) {
	t.Helper()
	cat := catalog.Load()
	scs, err := cat.SelectScenarios(scenarioIDs, nil)
	if err != nil {
		t.Fatal(err)
	}
	envs, err := cat.SelectEnvs([]string{envID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	byPrompt := map[string]string{}
	for _, s := range scs {
		user, err := prompt.Build(s, envs[0], prompt.Options{SpecType: prompt.SpecOpenAPI, Safety: prompt.SafetyNone})
		if err != nil {
			t.Fatal(err)
		}
		res, err := reference.Client{}.Complete(context.Background(), llm.Request{Scenario: s, Env: envs[0], N: 1})
		if err != nil {
			t.Fatal(err)
		}
		byPrompt[user] = res.Choices[0].Text
	}
	srv.Answer = func(c llmtest.Call, serial int) string {
		if a, ok := byPrompt[c.User]; ok {
			return a
		}
		return "no idea"
	}
}

// TestGenerateThenTestWithCompatibleServer is the stage's acceptance test: a model behind an
// OpenAI-compatible server on loopback writes 3 samples for each of 2 tasks, each with code and a
// generation record; then `baxbench test` tests them when a container engine is available.
func TestGenerateThenTestWithCompatibleServer(t *testing.T) {
	srv := llmtest.New(t)
	referenceAnswers(t, srv, []string{"Calculator", "Login"}, "Go-net/http")
	srv.Push(llmtest.Fault{Kind: llmtest.Throttle, RetryAfterMS: 10}, llmtest.Fault{Kind: llmtest.ServerError, Status: 502})
	dir := t.TempDir()
	sel := []string{"--models", "local-coder", "--scenarios", "Calculator,Login", "--envs", "Go-net/http", "--n-samples", "3", "--results-dir", dir}
	args := append([]string{"generate", "--base-url", srv.BaseURL(), "--base-delay", "0.001"}, sel...)
	code, _, stderr := runCLIEnv(t, nil, args...)
	if code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	store := &results.Store{Root: dir}
	for _, sc := range []string{"Calculator", "Login"} {
		task := results.Task{Model: "local-coder", Scenario: sc, Env: "Go-net/http", SpecType: "openapi", Safety: "none", Temperature: 0.2}
		for i := range 3 {
			sd := store.SampleDir(task, i)
			files, err := results.ReadCode(sd)
			if err != nil || files["main.go"] == nil {
				t.Fatalf("%s sample %d: code %v, %v", sc, i, files, err)
			}
			rec, err := generate.ReadRecord(sd)
			if err != nil || rec.Failed || rec.Provider != "compat" || rec.Endpoint != srv.BaseURL() || rec.Usage.OutputTokens == 0 || rec.Settings.MaxTokens != 8192 {
				t.Fatalf("%s sample %d: record %+v, %v", sc, i, rec, err)
			}
		}
		if _, err := os.Stat(store.SampleDir(task, 3)); err == nil {
			t.Fatalf("%s: a fourth sample was written", sc)
		}
	}
	if n := srv.Served(); n != 6 {
		t.Fatalf("the server served %d completions for 6 samples", n)
	}
	if !strings.Contains(stderr, "generation done") || !strings.Contains(stderr, "samples=6") {
		t.Fatalf("no summary in:\n%s", stderr)
	}
	// A second generate asks for nothing.
	if code, _, stderr := runCLIEnv(t, nil, append([]string{"generate", "--base-url", srv.BaseURL()}, sel...)...); code != 0 || srv.Served() != 6 {
		t.Fatalf("rerun: exit %d, served %d\n%s", code, srv.Served(), stderr)
	}

	sandboxtest.Need(t)
	code, _, stderr = runCLIEnv(t, nil, append([]string{"test"}, sel...)...)
	if code != 0 {
		t.Fatalf("test: exit %d\n%s", code, stderr)
	}
	for _, sc := range []string{"Calculator", "Login"} {
		task := results.Task{Model: "local-coder", Scenario: sc, Env: "Go-net/http", SpecType: "openapi", Safety: "none", Temperature: 0.2}
		for i := range 3 {
			rec, err := results.ReadRecord(store.SampleDir(task, i))
			if err != nil {
				t.Fatalf("%s sample %d not tested: %v", sc, i, err)
			}
			if rec.Counts.PassedFT != rec.Counts.TotalFT || rec.Counts.TotalFT == 0 {
				t.Errorf("%s sample %d (a reference solution) failed functional tests: %+v", sc, i, rec.Counts)
			}
		}
	}
}

func TestGenerateWithAnthropicThroughFake(t *testing.T) {
	srv := llmtest.New(t)
	srv.Thinking = "plan the handlers"
	dir := t.TempDir()
	code, _, stderr := runCLIEnv(t, map[string]string{"ANTHROPIC_API_KEY": "sk-ant-test"},
		"generate", "--models", "claude-sonnet-4-20250514", "--provider", "anthropic", "--base-url", srv.URL,
		"--scenarios", "Calculator", "--envs", "Go-net/http", "--n-samples", "2", "--results-dir", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	calls := srv.Calls()
	if len(calls) != 2 || !calls[0].Stream || calls[0].ThinkingBudget != 63999 || calls[0].Header.Get("X-Api-Key") != "sk-ant-test" {
		t.Fatalf("calls %+v", calls)
	}
	task := results.Task{Model: "claude-sonnet-4-20250514", Scenario: "Calculator", Env: "Go-net/http", SpecType: "openapi", Safety: "none", Temperature: 0.2}
	sd := (&results.Store{Root: dir}).SampleDir(task, 1)
	rec, err := generate.ReadRecord(sd)
	if err != nil || !rec.Thinking || rec.Provider != "anthropic" || rec.CostUSD == nil {
		t.Fatalf("record %+v %v", rec, err)
	}
	if b, _ := os.ReadFile(filepath.Join(sd, results.OwnDir, generate.ThinkingFile)); string(b) != "plan the handlers" {
		t.Fatalf("thinking file %q", b)
	}
	if strings.Contains(stderr, "sk-ant-test") {
		t.Fatal("the key leaked into the log")
	}
}

func TestMissingKeyFailsBeforeAnyWork(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"--models", "gpt-4o"}, "set OPENAI_API_KEY"},
		{nil, []string{"--models", "claude-3-5-sonnet-20241022"}, "set ANTHROPIC_API_KEY"},
		{nil, []string{"--models", "m", "--provider", "openrouter"}, "set OPENROUTER_API_KEY"},
		{nil, []string{"--models", "m", "--base-url", "https://llm.example.com/v1"}, "set OPENAI_API_KEY"},
		{map[string]string{"OPENAI_API_KEY": "x"}, []string{"--models", "m", "--base-url", "http://127.0.0.1:1/v1", "--api-key-env", "MY_KEY"}, "set MY_KEY"},
		{nil, []string{"--models", "m", "--provider", "nope"}, "unknown --provider \"nope\""},
		{nil, []string{"--models", "gpt-4o", "--reasoning-effort", "max"}, "unknown --reasoning-effort"},
	}
	for _, c := range cases {
		for _, cmd := range []string{"generate", "run"} {
			args := append([]string{cmd, "--scenarios", "Calculator", "--envs", "Go-net/http", "--results-dir", dir}, c.args...)
			code, _, stderr := runCLIEnv(t, c.env, args...)
			if code != ExitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("%v: exit %d, stderr %q; want usage error with %q", args, code, stderr, c.want)
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("work started before the key check: %v", entries)
	}
	// A local endpoint needs no key.
	srv := llmtest.New(t)
	if code, _, stderr := runCLIEnv(t, nil, "generate", "--models", "m", "--base-url", srv.BaseURL(), "--scenarios", "Calculator",
		"--envs", "Go-net/http", "--n-samples", "1", "--results-dir", dir); code != 0 {
		t.Fatalf("local endpoint without key: exit %d\n%s", code, stderr)
	}
}

func TestDryRunEstimatesWithoutSpending(t *testing.T) {
	dir := t.TempDir()
	pricing := filepath.Join(t.TempDir(), "prices.json")
	writeFile(t, pricing, `{"local-coder": {"input_per_mtok": 1000, "output_per_mtok": 0}}`)
	code, out, stderr := runCLIEnv(t, nil, "generate", "--dry-run", "--models", "gpt-4o,local-coder", "--base-url", "http://127.0.0.1:9/v1",
		"--model-config", writeModelConfig(t), "--pricing", pricing,
		"--scenarios", "Calculator,Login", "--envs", "Go-net/http", "--n-samples", "5", "--results-dir", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("want a header, two models and a total:\n%s", out)
	}
	gpt := strings.Fields(lines[1])
	// gpt-4o via OpenAI (from --model-config): 2 tasks, 10 samples in 2 requests (n=5), priced.
	if gpt[0] != "gpt-4o" || gpt[1] != "openai" || !strings.Contains(lines[1], "(no key: set OPENAI_API_KEY)") {
		t.Fatalf("gpt-4o row: %q", lines[1])
	}
	if !strings.Contains(lines[1], " 2  ") || !strings.Contains(lines[1], "10") || !strings.Contains(lines[1], "163840") {
		t.Fatalf("gpt-4o row lacks tasks, samples or the token limit: %q", lines[1])
	}
	local := lines[2]
	// local-coder via compat: one request per sample; priced from --pricing (input only).
	if !strings.HasPrefix(local, "local-coder") || !strings.Contains(local, "compat") || strings.Contains(local, "unknown price") {
		t.Fatalf("local row: %q", local)
	}
	if !strings.Contains(stderr, "nothing was sent") {
		t.Fatalf("stderr: %s", stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("dry run wrote %v", entries)
	}
}

func writeModelConfig(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "models.json")
	writeFile(t, p, `{"gpt-4o": {"provider": "openai", "base_url": "https://api.openai.com/v1/"}}`)
	return p
}
