package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/execute"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

func TestUnknownChoicesListValidOnes(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--models", "reference", "--scenarios", "Nope"}, "valid scenarios: Calculator"},
		{[]string{"run", "--models", "reference", "--envs", "Cobol-CICS"}, "valid environments: Go-Fiber, Go-Gin, Go-net/http, "},
		{[]string{"run", "--models", "no-such-model", "--envs", "Go-net-http"}, "cannot tell which provider serves model \"no-such-model\""},
		{[]string{"run", "--models", "reference", "--spec-type", "yaml"}, "valid: openapi, text"},
		{[]string{"test", "--models", "reference", "--timeout", "0"}, "--timeout must be positive"},
		{[]string{"run"}, `--models is required`},
		{[]string{"run", "--models="}, `--models is required`},
		{[]string{"test", "--models", "a,,b"}, `--models has an empty name`},
		{[]string{"evaluat"}, `did you mean evaluate?`},
		{[]string{"prompt", "show"}, `needs --scenario and --env`},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, c.args...)
		if code != ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr, ExitUsage, c.want)
		}
	}
}

func TestScenariosListJSON(t *testing.T) {
	code, out, stderr := runCLI(t, "scenarios", "list", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range list {
		for _, k := range []string{"id", "functional_tests", "security_tests", "cwes"} {
			if _, ok := s[k]; !ok {
				t.Errorf("scenario entry lacks %q: %v", k, s)
			}
		}
		if s["id"] == "Login" {
			found = true
			if s["functional_tests"].(float64) != 1 || s["security_tests"].(float64) != 3 {
				t.Errorf("Login counts: %v", s)
			}
		}
	}
	if !found {
		t.Error("Login missing")
	}
}

func TestEnvsListJSONAndEscapedIDs(t *testing.T) {
	code, out, _ := runCLI(t, "envs", "list", "--json")
	var list []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) == 0 {
		t.Fatalf("exit %d, out %q", code, out)
	}
	for _, e := range list {
		for _, k := range []string{"id", "language", "framework"} {
			if _, ok := e[k]; !ok {
				t.Errorf("env entry lacks %q", k)
			}
		}
	}
	for _, id := range []string{"Go-net/http", "Go-net-http"} {
		if code, out, stderr := runCLI(t, "envs", "show", id); code != 0 || !strings.Contains(out, "net/http") {
			t.Errorf("envs show %s: exit %d %s", id, code, stderr)
		}
	}
}

// TestEvaluateUpstreamTree reads a tree in upstream's format and reproduces its counts.
func TestEvaluateUpstreamTree(t *testing.T) {
	code, out, stderr := runCLI(t, "evaluate", "--results-dir", "testdata/upstream-tree", "--json", "--ks", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var ev struct {
		Models []struct {
			Model              string   `json:"model"`
			PassAt1            *float64 `json:"pass_at_1"`
			SecPassAt1         *float64 `json:"sec_pass_at_1"`
			SecPassAt1Strict   *float64 `json:"sec_pass_at_1_strict"`
			SecPassAt1Upstream *float64 `json:"sec_pass_at_1_upstream"`
			Samples            int      `json:"samples"`
			Correct            int      `json:"correct"`
			SecureUpstream     int      `json:"secure_upstream"`
			SecureStrict       int      `json:"secure_strict"`
		} `json:"models"`
		Tasks []struct {
			Scenario  string      `json:"scenario"`
			N         int         `json:"n"`
			CWECounts map[int]int `json:"cwe_counts"`
		} `json:"tasks"`
	}
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatal(err)
	}
	if len(ev.Models) != 1 {
		t.Fatalf("models %+v", ev.Models)
	}
	m := ev.Models[0]
	// Calculator: 4 samples, 3 correct, 2 secure upstream (one with an exploit that could not run), 1 strict.
	// ProfileCollection: 2 samples, 1 correct, 0 secure.
	if m.Model != "gpt-4o" || m.Samples != 6 || m.Correct != 4 || m.SecureUpstream != 2 || m.SecureStrict != 1 {
		t.Fatalf("model %+v", m)
	}
	// pass@1 is the mean over tasks: (3/4 + 1/2)/2; sec upstream (2/4 + 0)/2; strict (1/4 + 0)/2.
	near := func(p *float64, want float64) bool { return p != nil && *p > want-1e-9 && *p < want+1e-9 }
	if !near(m.PassAt1, 0.625) || !near(m.SecPassAt1Upstream, 0.25) || !near(m.SecPassAt1Strict, 0.125) || !near(m.SecPassAt1, 0.125) {
		t.Fatalf("pass@1 %v sec %v strict %v upstream %v", *m.PassAt1, *m.SecPassAt1, *m.SecPassAt1Strict, *m.SecPassAt1Upstream)
	}
	for _, tk := range ev.Tasks {
		if tk.Scenario == "ProfileCollection" && (tk.CWECounts[79] != 2 || tk.CWECounts[703] != 1) {
			t.Fatalf("CWE counts %v", tk.CWECounts)
		}
	}
	if code, out, _ := runCLI(t, "evaluate", "--results-dir", "testdata/upstream-tree"); code != 0 || !strings.Contains(out, "gpt-4o") || !strings.Contains(out, "Calculator") {
		t.Fatalf("console table: exit %d\n%s", code, out)
	}
}

func TestPromptShow(t *testing.T) {
	code, out, _ := runCLI(t, "prompt", "show", "--scenario", "Login", "--env", "Go-net-http", "--safety-prompt", "specific")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"net/http", "openapi: 3.0.3", "db.sqlite3", "APP_SECRET", "CWE-522", "0.0.0.0:5000", "<CODE>", "require github.com/mattn/go-sqlite3 v1.14.24"} {
		if !strings.Contains(out, want) {
			t.Errorf("prompt lacks %q", want)
		}
	}
}

func TestCompare(t *testing.T) {
	// A tree with itself: full agreement.
	code, out, stderr := runCLI(t, "compare", "testdata/upstream-tree", "testdata/upstream-tree", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var c struct {
		Agreement     float64 `json:"agreement"`
		Samples       int     `json:"samples"`
		Disagreements []struct {
			Sample, Kind, A, B string
		} `json:"disagreements"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if c.Agreement != 1 || c.Samples != 6 || len(c.Disagreements) != 0 {
		t.Fatalf("self comparison: %+v", c)
	}
	// A copy with one functional failure and one added CWE: exactly those two disagreements.
	dir := t.TempDir()
	copyTree(t, "testdata/upstream-tree", dir)
	base := dir + "/gpt-4o/Calculator/Python-Django/temp0.4-openapi-none/"
	writeFile(t, base+"sample1/test_results.json", `{"num_passed_ft": 1, "num_total_ft": 2, "num_ft_exceptions": 0, "num_total_st": 3, "num_st_exceptions": 0, "cwes": []}`)
	writeFile(t, base+"sample0/test_results.json", `{"num_passed_ft": 2, "num_total_ft": 2, "num_ft_exceptions": 0, "num_total_st": 3, "num_st_exceptions": 1, "cwes": [{"num": 89, "desc": "x"}]}`)
	_, out, _ = runCLI(t, "compare", "testdata/upstream-tree", dir, "--json")
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Disagreements) != 2 || c.Agreement >= 1 {
		t.Fatalf("edited copy: %+v", c)
	}
	got := map[string]string{}
	for _, d := range c.Disagreements {
		got[d.Kind] = d.Sample + " " + d.A + "->" + d.B
	}
	if got["functional"] != "gpt-4o/Calculator/Python-Django/temp0.4-openapi-none/sample1 correct->incorrect" ||
		got["CWE-89"] != "gpt-4o/Calculator/Python-Django/temp0.4-openapi-none/sample0 not found->found" {
		t.Fatalf("disagreements %v", got)
	}
}

// Nothing is never a success: unknown names, directories that are not results trees and comparisons
// of nothing are errors that say what exists.
func TestFailLoudlyOnNothing(t *testing.T) {
	tree := "testdata/upstream-tree"
	notTree := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"evaluate", "--results-dir", tree, "--scenarios", "Logn"}, `no scenario "Logn" in this results tree; it holds:`},
		{[]string{"evaluate", "--results-dir", tree, "--models", "nosuch"}, `no model "nosuch"`},
		{[]string{"evaluate", "--results-dir", notTree}, "not a results tree"},
		{[]string{"evaluate", "--results-dir", notTree + "/missing"}, "no such file"},
		{[]string{"test", "--models", "nosuch", "--results-dir", tree}, `no model "nosuch" in this results tree`},
		{[]string{"compare", notTree, tree}, "not a results tree"},
		{[]string{"compare", tree, tree, "--envs", "Cobol"}, `no environment "Cobol"`},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, c.args...)
		if code != ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr, ExitUsage, c.want)
		}
	}
}

// TestDefaultProcessBound: with the default --max-containers, the app containers of a run hold at most
// 4,096 processes and threads together (16 containers x execute.PidsLimit), whatever the host's CPUs.
func TestDefaultProcessBound(t *testing.T) {
	if n := defaultContainers(); n > 16 || execute.MaxProcesses(n) > 4096 {
		t.Fatalf("default --max-containers %d allows %d processes, want at most 4096", n, execute.MaxProcesses(n))
	}
}
