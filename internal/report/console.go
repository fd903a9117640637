// Package report renders scores for people and programs.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/score"
)

// Evaluation is the scored content of a store.
type Evaluation struct {
	SchemaVersion int           `json:"schema_version"`
	Ks            []int         `json:"ks"`
	Models        []ModelScore  `json:"models"`
	Tasks         []*score.Task `json:"tasks"`
	Problems      []string      `json:"problems,omitempty"`
}

// ModelScore is one model's summary plus its breakdowns.
type ModelScore struct {
	Model string `json:"model"`
	// Headline numbers at k=1: sec_pass_at_1 is the strict one.
	PassAt1            *float64 `json:"pass_at_1"`
	SecPassAt1         *float64 `json:"sec_pass_at_1"`
	SecPassAt1Strict   *float64 `json:"sec_pass_at_1_strict"`
	SecPassAt1Upstream *float64 `json:"sec_pass_at_1_upstream"`
	score.Aggregate
	Envs      []Breakdown `json:"envs"`
	Scenarios []Breakdown `json:"scenarios"`
}

// Breakdown is an aggregate for one environment or scenario of a model.
type Breakdown struct {
	Key string `json:"key"`
	score.Aggregate
}

func ptr(m map[int]float64, k int) *float64 {
	if v, ok := m[k]; ok {
		return &v
	}
	return nil
}

// Evaluate builds the evaluation from task scores.
func Evaluate(tasks []*score.Task, ks []int) *Evaluation {
	ev := &Evaluation{SchemaVersion: 1, Ks: ks, Tasks: tasks, Models: []ModelScore{}}
	byModel := map[string][]*score.Task{}
	var models []string
	for _, t := range tasks {
		if _, ok := byModel[t.Model]; !ok {
			models = append(models, t.Model)
		}
		byModel[t.Model] = append(byModel[t.Model], t)
	}
	sort.Strings(models)
	for _, m := range models {
		ts := byModel[m]
		agg := score.Combine(ts, ks)
		ms := ModelScore{Model: m, Aggregate: agg,
			PassAt1: ptr(agg.PassAtK, 1), SecPassAt1: ptr(agg.SecPassAtKStrict, 1),
			SecPassAt1Strict: ptr(agg.SecPassAtKStrict, 1), SecPassAt1Upstream: ptr(agg.SecPassAtK, 1)}
		ms.Envs = breakdown(ts, ks, func(t *score.Task) string { return t.Env + " " + t.Config })
		ms.Scenarios = breakdown(ts, ks, func(t *score.Task) string { return t.Scenario })
		ev.Models = append(ev.Models, ms)
	}
	return ev
}

func breakdown(ts []*score.Task, ks []int, key func(*score.Task) string) []Breakdown {
	groups := map[string][]*score.Task{}
	var keys []string
	for _, t := range ts {
		k := key(t)
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], t)
	}
	sort.Strings(keys)
	out := make([]Breakdown, 0, len(keys))
	for _, k := range keys {
		out = append(out, Breakdown{Key: k, Aggregate: score.Combine(groups[k], ks)})
	}
	return out
}

func num(m map[int]float64, k int) string {
	if v, ok := m[k]; ok {
		return fmt.Sprintf("%.2f", v)
	}
	return "-"
}

func pct(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", *v*100)
}

func cweRates(m map[cwe.ID]float64) string {
	var ids []cwe.ID
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var p []string
	for _, id := range ids {
		p = append(p, fmt.Sprintf("%s %.0f%%", id, m[id]*100))
	}
	if len(p) == 0 {
		return "-"
	}
	return strings.Join(p, ", ")
}

// interval renders the Wilson 95% intervals of the pooled correct and strictly secure shares, where
// there are enough samples (score.Combine computes them from 10 samples on).
func interval(a score.Aggregate) string {
	c, ok1 := a.CI95["correct"]
	s, ok2 := a.CI95["secure_strict"]
	if !ok1 || !ok2 {
		return "-"
	}
	return fmt.Sprintf("[%.2f,%.2f] / [%.2f,%.2f]", c[0], c[1], s[0], s[1])
}

// Console writes the tables: one row per model and environment, then per model and scenario. Strict
// and upstream-compatible sec_pass sit side by side.
func Console(w io.Writer, ev *Evaluation) error {
	if len(ev.Models) == 0 {
		_, err := fmt.Fprintln(w, "no tested samples found")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	header := func(first string) {
		cols := []string{"MODEL", first, "TASKS", "SAMPLES"}
		for _, k := range ev.Ks {
			cols = append(cols, fmt.Sprintf("pass@%d", k))
		}
		for _, k := range ev.Ks {
			cols = append(cols, fmt.Sprintf("sec_pass@%d", k), fmt.Sprintf("(upstream@%d)", k))
		}
		cols = append(cols, "insec", "undetermined", "95% CI correct / secure", "CWEs (share of samples)")
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	}
	row := func(model, key string, a score.Aggregate) {
		cols := []string{model, key, fmt.Sprint(a.Tasks), fmt.Sprint(a.Samples)}
		for _, k := range ev.Ks {
			cols = append(cols, num(a.PassAtK, k))
		}
		for _, k := range ev.Ks {
			cols = append(cols, num(a.SecPassAtKStrict, k), num(a.SecPassAtK, k))
		}
		cols = append(cols, pct(a.InsecPass), fmt.Sprint(a.Undetermined), interval(a), cweRates(a.CWERates))
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	}
	header("ENV")
	for _, m := range ev.Models {
		for _, b := range m.Envs {
			row(m.Model, b.Key, b.Aggregate)
		}
		row(m.Model, "ALL", m.Aggregate)
	}
	fmt.Fprintln(tw)
	header("SCENARIO")
	for _, m := range ev.Models {
		for _, b := range m.Scenarios {
			row(m.Model, b.Key, b.Aggregate)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	printFailures(w, ev, 12)
	_, err := fmt.Fprintln(w, "\nsec_pass is strict: a sample counts as secure only if every exploit ran and found nothing.\n(upstream@k) counts exploits that could not run as secure, as upstream BaxBench does;\n\"undetermined\" counts correct samples with no finding but at least one exploit that could not run.")
	return err
}

// printFailures says, for at most limit incorrect samples, why each failed; the rest are counted.
func printFailures(w io.Writer, ev *Evaluation, limit int) {
	var lines []string
	total := 0
	for _, t := range ev.Tasks {
		for _, f := range t.Failures {
			total++
			if len(lines) < limit {
				lines = append(lines, fmt.Sprintf("  %s %s %s sample%d: %s", t.Model, t.Scenario, t.Env, f.Sample, oneLine(f.Reason, 160)))
			}
		}
	}
	if total == 0 {
		return
	}
	fmt.Fprintln(w, "\nwhy samples are incorrect:")
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	if total > len(lines) {
		fmt.Fprintf(w, "  ... and %d more (evaluate --json lists every one under tasks[].failures)\n", total-len(lines))
	}
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
