package report

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/score"
	"github.com/baxbench/baxbench-go/internal/verdict"
)

// BenchmarkHTMLThousands renders a report of 5000 samples (counts and code; no evidence files) and
// reports its size: the page must stay small enough to open quickly.
func BenchmarkHTMLThousands(b *testing.B) {
	var entries []results.Entry
	code := map[string]string{"main.go": string(bytes.Repeat([]byte("x"), 8<<10))}
	for m := 0; m < 5; m++ {
		for s := 0; s < 28; s++ {
			for e := 0; e < 7; e++ {
				for i := 0; i < 5; i++ {
					c := results.Counts{PassedFT: i % 2, TotalFT: 1, TotalST: 3}
					if i == 3 {
						c.CWEs = []cwe.ID{89}
					}
					entries = append(entries, results.Entry{Model: fmt.Sprint("model", m), Scenario: fmt.Sprint("S", s),
						Env: fmt.Sprint("E", e), Config: "temp0.2-openapi-none", Sample: i, Counts: c})
				}
			}
		}
	}
	ks := []int{1, 5}
	ev := Evaluate(score.Tasks(entries, ks), ks)
	doc := &Document{SchemaVersion: 1, GeneratedAt: time.Now(), Evaluation: ev}
	for _, e := range entries {
		doc.Samples = append(doc.Samples, SampleView{ID: sampleKey(e), Model: e.Model, Scenario: e.Scenario, Env: e.Env,
			Config: e.Config, Sample: e.Sample, Verdict: verdict.Classify(e.Counts).Label(), Counts: results.CountsToJSON(e.Counts), Code: code})
	}
	b.ResetTimer()
	var n int
	for range b.N {
		var cw countWriter
		if err := HTML(&cw, doc); err != nil {
			b.Fatal(err)
		}
		n = cw.n
	}
	b.ReportMetric(float64(n)/(1<<20), "MiB/page")
	b.ReportMetric(float64(len(doc.Samples)), "samples")
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
