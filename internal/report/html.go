package report

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/baxbench/baxbench-go/internal/evidence"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/verdict"
)

var (
	//go:embed assets/report.css
	reportCSS string
	//go:embed assets/report.js
	reportJS string
	//go:embed assets/report.html
	reportHTML string
)

// Caps keep a report of thousands of samples small enough to open quickly.
const (
	htmlBodyCap     = 4 << 10
	htmlCodeCap     = 128 << 10
	htmlExchangeCap = 40 // per failing test; findings' exchanges are always kept
	// htmlPassingExchanges: a passing test shows this many requests, without bodies.
	htmlPassingExchanges = 3
)

// Document is the data behind the HTML report (and `report --json`).
type Document struct {
	SchemaVersion int          `json:"schema_version"`
	GeneratedAt   time.Time    `json:"generated_at"`
	ResultsDir    string       `json:"results_dir"`
	Evaluation    *Evaluation  `json:"evaluation"`
	Samples       []SampleView `json:"samples"`
}

// SampleView is one sample as the report shows it.
type SampleView struct {
	ID       string             `json:"id"`
	Model    string             `json:"model"`
	Scenario string             `json:"scenario"`
	Env      string             `json:"env"`
	Config   string             `json:"config"`
	Sample   int                `json:"sample"`
	Verdict  string             `json:"verdict"`          // secure | insecure | undetermined | incorrect
	Reason   string             `json:"reason,omitempty"` // why it is incorrect
	Counts   results.CountsJSON `json:"counts"`
	Code     map[string]string  `json:"code,omitempty"`
	Build    *results.BuildInfo `json:"build,omitempty"`
	Tests    []TestView         `json:"tests,omitempty"`
	Upstream bool               `json:"upstream,omitempty"` // tested by upstream: counts only
}

// TestView is one test of a sample with its evidence.
type TestView struct {
	scenario.Result
	Exchanges []ExchangeView  `json:"exchanges,omitempty"`
	Omitted   int             `json:"omitted_exchanges,omitempty"`
	Notes     []evidence.Note `json:"notes,omitempty"`
	AppLog    string          `json:"app_log,omitempty"`
}

// ExchangeView is an exchange with its curl line and capped bodies.
type ExchangeView struct {
	evidence.Exchange
	Curl string `json:"curl"`
}

// BuildDocument gathers the evaluation and every sample's code, outcomes and evidence.
func BuildDocument(dir string, entries []results.Entry, ev *Evaluation, now time.Time) *Document {
	doc := &Document{SchemaVersion: 1, GeneratedAt: now.UTC(), ResultsDir: dir, Evaluation: ev}
	for _, e := range entries {
		sv := SampleView{ID: sampleKey(e), Model: e.Model, Scenario: e.Scenario, Env: e.Env, Config: e.Config, Sample: e.Sample,
			Verdict: verdict.Classify(e.Counts).Label(), Counts: results.CountsToJSON(e.Counts), Upstream: e.Record == nil}
		if code, err := results.ReadCode(e.Dir); err == nil {
			sv.Code = map[string]string{}
			for n, b := range code {
				s := string(b)
				if len(s) > htmlCodeCap {
					s = s[:htmlCodeCap] + "\n… (cut)"
				}
				sv.Code[n] = s
			}
		}
		if e.Record != nil {
			b := e.Record.Build
			sv.Build = &b
			sv.Reason = e.Record.Reason
			for _, r := range e.Record.Results {
				sv.Tests = append(sv.Tests, testView(e.Dir, r))
			}
		}
		doc.Samples = append(doc.Samples, sv)
	}
	return doc
}

func testView(dir string, r scenario.Result) TestView {
	tv := TestView{Result: r}
	b, err := os.ReadFile(filepath.Join(dir, results.OwnDir, results.EvidenceDir, r.Test+".json"))
	if err != nil {
		return tv
	}
	var te scenario.TestEvidence
	if json.Unmarshal(b, &te) != nil {
		return tv
	}
	keep := map[int]bool{}
	for _, f := range r.Findings {
		for _, n := range f.Exchanges {
			keep[n] = true
		}
	}
	// A passing test shows only its first requests, without bodies: what proves a verdict is kept in
	// full, the rest stays in the sample's evidence files, so a report of thousands of samples stays small.
	limit, bodies := htmlExchangeCap, true
	if r.Outcome == scenario.Pass {
		limit, bodies = htmlPassingExchanges, false
	}
	for i, x := range te.Exchanges {
		if i >= limit && !keep[x.Seq] {
			tv.Omitted++
			continue
		}
		x.ReqBody = capBody(x.ReqBody)
		curl := x.Curl()
		x.RespBody = capBody(x.RespBody)
		if !bodies && !keep[x.Seq] {
			x.ReqBody.Text, x.ReqBody.Base64, x.RespBody.Text, x.RespBody.Base64 = "", "", "", ""
		}
		tv.Exchanges = append(tv.Exchanges, ExchangeView{Exchange: x, Curl: curl})
	}
	tv.Notes = te.Notes
	tv.AppLog = clipMiddle(te.AppLog, htmlBodyCap)
	return tv
}

func capBody(b evidence.Body) evidence.Body {
	if len(b.Text) > htmlBodyCap {
		b.Text, b.Truncated = b.Text[:htmlBodyCap], true
	}
	if len(b.Base64) > htmlBodyCap {
		b.Base64, b.Truncated = b.Base64[:htmlBodyCap], true
	}
	return b
}

// HTML writes the report as one self-contained page: every style, script and the data inline, no
// request leaves the page.
func HTML(w io.Writer, doc *Document) error {
	sort.SliceStable(doc.Samples, func(i, j int) bool { return doc.Samples[i].ID < doc.Samples[j].ID })
	raw, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("encode report data: %w", err)
	}
	// The data travels gzip-compressed and base64-encoded (code and evidence compress about tenfold);
	// the page inflates it with the browser's own DecompressionStream, so nothing is fetched.
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compress report data: %w", err)
	}
	data := base64.RawURLEncoding.EncodeToString(gz.Bytes()) // letters, digits, "-" and "_": nothing for the template to escape
	t, err := template.New("report").Parse(reportHTML)
	if err != nil {
		return fmt.Errorf("parse report template: %w", err)
	}
	var buf bytes.Buffer
	err = t.Execute(&buf, map[string]any{
		"CSS":   template.CSS(reportCSS),
		"JS":    template.JS(reportJS),
		"Data":  data,
		"Title": "baxbench report",
	})
	if err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// clipMiddle keeps the first quarter and the last three quarters of n bytes of s: an app's first
// error and its final exception both stay visible.
func clipMiddle(s string, n int) string {
	if len(s) <= n {
		return s
	}
	head := n / 4
	return s[:head] + "\n… (" + fmt.Sprint(len(s)-n) + " bytes cut) …\n" + s[len(s)-(n-head):]
}
