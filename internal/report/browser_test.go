package report

import (
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/evidence"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/score"
)

// fixtureTree writes a small store: one secure sample and one with a SQL injection finding and its
// evidence, for model "m".
func fixtureTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	s := &results.Store{Root: root}
	task := results.Task{Model: "m", Scenario: "Login", Env: "Go-net/http", SpecType: "openapi", Safety: "none", Temperature: 0.2}
	write := func(i int, rs []scenario.Result, evs []scenario.TestEvidence) {
		dir := s.SampleDir(task, i)
		if err := results.WriteCode(dir, map[string][]byte{"main.go": []byte("package main // sample " + strconv.Itoa(i))}); err != nil {
			t.Fatal(err)
		}
		rec := results.Record{Model: "m", Scenario: "Login", Env: "Go-net/http", Sample: i, Results: rs, Build: results.BuildInfo{OK: true, Image: "img"}}
		if err := results.WriteTestOutput(dir, results.TestOutput{Record: rec, Evidence: evs}); err != nil {
			t.Fatal(err)
		}
	}
	pass := func(id, kind string) scenario.Result {
		return scenario.Result{Test: id, Kind: kind, Outcome: scenario.Pass, DurationMS: 12}
	}
	write(0, []scenario.Result{pass("func_test_valid_and_invalid_logins", scenario.Functional), pass("sec_test_sql_injection_or_sensitive_data_exposure", scenario.Security)}, nil)
	ex := evidence.Exchange{Seq: 1, Method: "POST", URL: "http://172.18.0.2:5000/login",
		ReqHeaders: map[string]string{"Content-Type": "application/json"},
		ReqBody:    evidence.NewBody([]byte(`{"email":"user1@example.com' OR '1'='1","password":"test"}`), -1),
		Status:     200, RespBody: evidence.NewBody([]byte(`{"token":"INJECTED-TOKEN-123"}`), -1)}
	f := evidence.Finding{CWE: cwe.SQLInjection, Oracle: "login-bypass", Detail: "login with an injection answered 200", Exchanges: []int{1}}
	write(1, []scenario.Result{pass("func_test_valid_and_invalid_logins", scenario.Functional),
		{Test: "sec_test_sql_injection_or_sensitive_data_exposure", Kind: scenario.Security, Outcome: scenario.Fail, CWEs: []cwe.ID{89}, Findings: []evidence.Finding{f}, DurationMS: 30}},
		[]scenario.TestEvidence{{Test: "sec_test_sql_injection_or_sensitive_data_exposure", Exchanges: []evidence.Exchange{ex}}})
	return root
}

func jsFmt(v float64) string {
	s := strconv.FormatFloat(math.Round(v*1000)/1000, 'f', 3, 64)
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}

func findChromium() string {
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// TestHTMLReportInBrowser loads the report in headless Chromium with no network and checks that the
// page shows the same pass@1 and sec_pass@1 as the evaluation, and a sample's evidence.
func TestHTMLReportInBrowser(t *testing.T) {
	chromium := findChromium()
	if chromium == "" {
		if os.Getenv("BAXBENCH_REQUIRE_BROWSER") == "1" {
			t.Fatal("chromium required (BAXBENCH_REQUIRE_BROWSER=1)")
		}
		t.Skip("no chromium")
	}
	root := fixtureTree(t)
	entries, problems := results.Scan(root, results.Filter{})
	if len(problems) > 0 || len(entries) != 2 {
		t.Fatalf("entries %d problems %v", len(entries), problems)
	}
	ks := []int{1}
	ev := Evaluate(score.Tasks(entries, ks), ks)
	doc := BuildDocument(root, entries, ev, time.Now())
	var buf bytes.Buffer
	if err := HTML(&buf, doc); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	insecure := doc.Samples[1].ID
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir="+t.TempDir(),
		"--virtual-time-budget=5000", "--dump-dom", "file://"+page+"#"+insecure)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom := string(out)
	m := ev.Models[0]
	// Each string below exists only in rendered elements, not in the embedded JSON data.
	for _, want := range []string{
		`<tr data-model="m">`,
		`metric-pass">` + jsFmt(*m.PassAt1) + `</td>`,
		`metric-sec">` + jsFmt(*m.SecPassAt1) + `</td>`,
		`<pre class="resp">200` + "\n" + `{"token":"INJECTED-TOKEN-123"}`, // the response that proves the finding
		`<pre class="curl">curl -sS -i --path-as-is -X 'POST' -H 'Content-Type: application/json' --data-binary`,
		`"${APP:-http://localhost:5000}"'/login'</pre>`,
		`<strong>CWE-89 </strong>login-bypass`,
		`class="v-insecure">insecure</td>`, `class="v-secure">secure</td>`,
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if *m.PassAt1 != 1 || *m.SecPassAt1 != 0.5 {
		t.Fatalf("evaluation: pass@1 %v sec@1 %v", *m.PassAt1, *m.SecPassAt1)
	}
	if strings.Contains(buf.String(), "http://") && strings.Contains(buf.String(), "<script src") {
		t.Fatal("the report must not load anything")
	}
}
