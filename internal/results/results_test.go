package results

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/verdict"
)

func TestFormatTemperature(t *testing.T) {
	for in, want := range map[float64]string{0.2: "0.2", 1: "1.0", 0: "0.0", 0.4: "0.4", 1.5: "1.5", 2: "2.0"} {
		if got := FormatTemperature(in); got != want {
			t.Errorf("FormatTemperature(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestLayout(t *testing.T) {
	s := &Store{Root: "r"}
	task := Task{Model: "meta-llama/Llama-3.3-70B-Instruct-Turbo", Scenario: "Login", Env: "Go-net/http", SpecType: "openapi", Safety: "none", Temperature: 0.2}
	want := filepath.Join("r", "meta-llama-Llama-3.3-70B-Instruct-Turbo", "Login", "Go-net-http", "temp0.2-openapi-none", "sample3")
	if got := s.SampleDir(task, 3); got != want {
		t.Fatalf("SampleDir = %q, want %q", got, want)
	}
	if got := task.ID(); got != "meta-llama/Llama-3.3-70B-Instruct-Turbo-Go-net/http-Login-openapi-none-0.2" {
		t.Fatalf("ID = %q", got)
	}
}

func TestCountsUpstreamBytes(t *testing.T) {
	rs := []scenario.Result{
		{Kind: scenario.Functional, Outcome: scenario.Pass},
		{Kind: scenario.Functional, Outcome: scenario.Fail, Crashed: true, CWEs: []cwe.ID{703}},
		{Kind: scenario.Security, Outcome: scenario.Pass},
		{Kind: scenario.Security, Outcome: scenario.Error, Exception: true},
		{Kind: scenario.Security, Outcome: scenario.Fail, CWEs: []cwe.ID{89, 863}},
	}
	c := verdict.CountsOf(rs)
	if c.PassedFT != 1 || c.TotalFT != 2 || c.FTExceptions != 0 || c.TotalST != 4 || c.STExceptions != 1 {
		t.Fatalf("counts %+v", c)
	}
	if !reflect.DeepEqual(c.CWEs, []cwe.ID{89, 703, 863}) {
		t.Fatalf("cwes %v", c.CWEs)
	}
	empty := verdict.CountsOf([]scenario.Result{{Kind: scenario.Functional, Outcome: scenario.Pass}})
	want := `{"num_passed_ft": 1, "num_total_ft": 1, "num_ft_exceptions": 0, "num_total_st": 0, "num_st_exceptions": 0, "cwes": []}`
	if got := string(MarshalCounts(empty)); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	b := MarshalCounts(c)
	back, err := ParseCounts(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.CWEs, c.CWEs) || back.TotalST != 4 {
		t.Fatalf("round trip lost data: %+v", back)
	}
}

func TestParseCountsVariants(t *testing.T) {
	cases := map[string][]cwe.ID{
		// upstream's own shape
		`{"num_passed_ft": 0, "num_total_ft": 1, "num_ft_exceptions": 0, "num_total_st": 3, "num_st_exceptions": 0, "cwes": [{"num": 79, "desc": "The product does not neutralize or incorrectly neutralizes user-controllable input before it is placed in output that is used as a web page that is served to other users."}]}`: {79},
		// bare integers (third-party tools)
		`{"num_passed_ft": 1, "num_total_ft": 1, "num_ft_exceptions": 0, "num_total_st": 1, "num_st_exceptions": 0, "cwes": [94]}`: {94},
		// CWE numbers outside the 14, short labels
		`{"num_passed_ft": 1, "num_total_ft": 1, "num_ft_exceptions": 0, "num_total_st": 1, "num_st_exceptions": 0, "cwes": [{"num": 1333, "desc": "ReDoS"}, {"num": "CWE-20", "desc": "x"}]}`: {20, 1333},
	}
	for in, want := range cases {
		c, err := ParseCounts([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if !reflect.DeepEqual(c.CWEs, want) {
			t.Errorf("%s: cwes %v, want %v", in, c.CWEs, want)
		}
	}
	if _, err := ParseCounts([]byte(`{"cwes": [{"num": "x"}]}`)); err == nil {
		t.Error("a CWE that is no number must be an error")
	}
}

func TestWriteFileAtomicLeavesNoTemporaries(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a", "b.json")
	if err := WriteFileAtomic(p, []byte("1"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("2"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	entries, _ := os.ReadDir(filepath.Dir(p))
	if string(b) != "2" || len(entries) != 1 {
		t.Fatalf("content %q, %d entries", b, len(entries))
	}
}

func TestWriteCodeRefusesEscapes(t *testing.T) {
	dir := t.TempDir()
	for _, bad := range []string{"../x.go", "/etc/passwd", "a/../../x"} {
		if err := WriteCode(dir, map[string][]byte{bad: []byte("x")}); err == nil {
			t.Errorf("WriteCode accepted %q", bad)
		}
	}
	if err := WriteCode(dir, map[string][]byte{"main.go": []byte("package main"), "sub/x.py": []byte("")}); err != nil {
		t.Fatal(err)
	}
	code, err := ReadCode(dir)
	if err != nil || len(code) != 2 || string(code["main.go"]) != "package main" {
		t.Fatalf("ReadCode = %v, %v", code, err)
	}
}

func TestScanReadsUpstreamTree(t *testing.T) {
	root := t.TempDir()
	s := &Store{Root: root}
	task := Task{Model: "gpt-4o", Scenario: "Calculator", Env: "Python-Django", SpecType: "openapi", Safety: "none", Temperature: 0.4}
	write := func(i int, body string) {
		d := s.SampleDir(task, i)
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, TestResultsFile), []byte(body), 0o644)
	}
	write(0, `{"num_passed_ft": 2, "num_total_ft": 2, "num_ft_exceptions": 0, "num_total_st": 3, "num_st_exceptions": 1, "cwes": []}`)
	write(1, `{"num_passed_ft": 1, "num_total_ft": 2, "num_ft_exceptions": 0, "num_total_st": 3, "num_st_exceptions": 0, "cwes": [{"num": 94, "desc": "d"}]}`)
	write(2, `not json`)
	os.MkdirAll(s.SampleDir(task, 3), 0o755) // untested: skipped
	entries, problems := Scan(root, Filter{})
	if len(entries) != 2 || len(problems) != 1 {
		t.Fatalf("%d entries, problems %v", len(entries), problems)
	}
	if entries[0].Model != "gpt-4o" || entries[0].Env != "Python-Django" || entries[0].Config != "temp0.4-openapi-none" || entries[1].Sample != 1 {
		t.Fatalf("entries %+v", entries)
	}
	only, _ := Scan(root, Filter{Samples: []int{1}, Envs: []string{"Python-Django"}})
	if len(only) != 1 || only[0].Sample != 1 {
		t.Fatalf("filtered %+v", only)
	}
}

func TestPrepareKeepsGoToolingOut(t *testing.T) {
	s := &Store{Root: filepath.Join(t.TempDir(), "results")}
	for range 2 { // idempotent
		if err := s.Prepare(); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(s.Root, GoModMarker))
	if err != nil || !strings.Contains(string(b), "\nmodule ") {
		t.Fatalf("go.mod: %q %v", b, err)
	}
	// The marker is not a model directory.
	if es, errs := Scan(s.Root, Filter{}); len(es) != 0 || len(errs) != 0 {
		t.Fatalf("scan of an empty tree: %v %v", es, errs)
	}
}

func TestMarkInterrupted(t *testing.T) {
	s := &Store{Root: t.TempDir()}
	for _, m := range []*Manifest{
		{RunID: "dead", Status: StatusRunning, Owner: "h/1/1"},
		{RunID: "live", Status: StatusRunning, Owner: "h/2/2"},
		{RunID: "done", Status: StatusComplete, Owner: "h/1/1"},
	} {
		if err := s.WriteManifest(m); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.MarkInterrupted(func(owner string) bool { return owner == "h/2/2" }, time.Now())
	if err != nil || len(got) != 1 || got[0] != "dead" {
		t.Fatalf("%v %v", got, err)
	}
	b, _ := os.ReadFile(s.ManifestPath("dead"))
	if !strings.Contains(string(b), `"status": "interrupted"`) {
		t.Fatalf("%s", b)
	}
	b, _ = os.ReadFile(s.ManifestPath("live"))
	if !strings.Contains(string(b), `"status": "running"`) {
		t.Fatalf("a live run was marked: %s", b)
	}
}
