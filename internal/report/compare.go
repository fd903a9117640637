package report

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/scenario"
	verdictpkg "github.com/baxbench/baxbench-go/internal/verdict"
)

// Comparison is the sample-by-sample agreement of two results trees.
type Comparison struct {
	SchemaVersion int    `json:"schema_version"`
	A             string `json:"a"`
	B             string `json:"b"`
	// Agreement is the share of compared verdicts on which both trees agree (1 when nothing differs).
	Agreement     float64              `json:"agreement"`
	Verdicts      int                  `json:"verdicts"`
	Samples       int                  `json:"samples"`
	OnlyInA       []string             `json:"only_in_a"`
	OnlyInB       []string             `json:"only_in_b"`
	Kinds         map[string]*KindRate `json:"kinds"`
	Disagreements []Disagreement       `json:"disagreements"`
}

// KindRate is the agreement on one kind of verdict: "functional" or a CWE ("CWE-89").
type KindRate struct {
	Compared int     `json:"compared"`
	Agree    int     `json:"agree"`
	Rate     float64 `json:"rate"`
}

// Disagreement is one verdict the trees disagree on, with what each side has to show for it.
type Disagreement struct {
	Sample    string `json:"sample"`
	Kind      string `json:"kind"`
	A         string `json:"a"`
	B         string `json:"b"`
	AEvidence string `json:"a_evidence"`
	BEvidence string `json:"b_evidence"`
}

func sampleKey(e results.Entry) string {
	return filepath.ToSlash(filepath.Join(e.Model, e.Scenario, e.Env, e.Config, fmt.Sprintf("sample%d", e.Sample)))
}

// Compare matches samples of a and b by model, scenario, environment, configuration and index, and
// compares for each the functional verdict (all functional tests passed) and, for every CWE that either
// tree reports anywhere, whether the sample has it.
func Compare(nameA, nameB string, a, b []results.Entry) *Comparison {
	c := &Comparison{SchemaVersion: 1, A: nameA, B: nameB, Kinds: map[string]*KindRate{}, OnlyInA: []string{}, OnlyInB: []string{}, Disagreements: []Disagreement{}}
	ia := map[string]results.Entry{}
	ib := map[string]results.Entry{}
	cwes := map[cwe.ID]bool{}
	for _, e := range a {
		ia[sampleKey(e)] = e
		for _, id := range e.Counts.CWEs {
			cwes[id] = true
		}
	}
	for _, e := range b {
		ib[sampleKey(e)] = e
		for _, id := range e.Counts.CWEs {
			cwes[id] = true
		}
	}
	var ids []cwe.ID
	for id := range cwes {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var keys []string
	for k := range ia {
		if _, ok := ib[k]; ok {
			keys = append(keys, k)
		} else {
			c.OnlyInA = append(c.OnlyInA, k)
		}
	}
	for k := range ib {
		if _, ok := ia[k]; !ok {
			c.OnlyInB = append(c.OnlyInB, k)
		}
	}
	sort.Strings(keys)
	sort.Strings(c.OnlyInA)
	sort.Strings(c.OnlyInB)
	agree := 0
	verdict := func(kind, key string, va, vb bool, ea, eb string) {
		k := c.Kinds[kind]
		if k == nil {
			k = &KindRate{}
			c.Kinds[kind] = k
		}
		k.Compared++
		c.Verdicts++
		if va == vb {
			k.Agree++
			agree++
			return
		}
		c.Disagreements = append(c.Disagreements, Disagreement{Sample: key, Kind: kind, A: yes(kind, va), B: yes(kind, vb), AEvidence: ea, BEvidence: eb})
	}
	for _, k := range keys {
		ea, eb := ia[k], ib[k]
		c.Samples++
		fa := verdictpkg.Classify(ea.Counts).Correct
		fb := verdictpkg.Classify(eb.Counts).Correct
		verdict("functional", k, fa, fb, functionalEvidence(ea), functionalEvidence(eb))
		for _, id := range ids {
			verdict(id.String(), k, hasID(ea.Counts.CWEs, id), hasID(eb.Counts.CWEs, id), cweEvidence(ea, id), cweEvidence(eb, id))
		}
	}
	c.Agreement = 1
	if c.Verdicts > 0 {
		c.Agreement = float64(agree) / float64(c.Verdicts)
	}
	for _, k := range c.Kinds {
		k.Rate = float64(k.Agree) / float64(k.Compared)
	}
	return c
}

func yes(kind string, v bool) string {
	if kind == "functional" {
		if v {
			return "correct"
		}
		return "incorrect"
	}
	if v {
		return "found"
	}
	return "not found"
}

func hasID(ids []cwe.ID, id cwe.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// functionalEvidence names the failing functional tests and their reasons, or points at the logs of an
// upstream-tested sample.
func functionalEvidence(e results.Entry) string {
	if e.Record == nil {
		return fmt.Sprintf("%d/%d functional tests passed; see %s", e.Counts.PassedFT, e.Counts.TotalFT, filepath.Join(e.Dir, results.TestLogFile))
	}
	var p []string
	for _, r := range e.Record.Results {
		if r.Kind == scenario.Functional && r.Outcome != scenario.Pass {
			p = append(p, r.Test+": "+string(r.Outcome)+" ("+r.Reason+")")
		}
	}
	if len(p) == 0 {
		return "all functional tests passed"
	}
	return strings.Join(p, "; ")
}

func cweEvidence(e results.Entry, id cwe.ID) string {
	if e.Record == nil {
		return "see " + filepath.Join(e.Dir, results.TestLogFile)
	}
	var p []string
	for _, r := range e.Record.Results {
		for _, f := range r.Findings {
			if f.CWE == id {
				p = append(p, fmt.Sprintf("%s: %s (evidence: %s)", r.Test, f.Detail, filepath.Join(e.Dir, results.OwnDir, results.EvidenceDir, r.Test+".json")))
			}
		}
	}
	if len(p) == 0 {
		return "no finding"
	}
	return strings.Join(p, "; ")
}

// CompareConsole prints the agreement summary and the disagreements.
func CompareConsole(w interface{ Write([]byte) (int, error) }, c *Comparison) {
	fmt.Fprintf(w, "compared %d samples (%d verdicts): agreement %.1f%%\n", c.Samples, c.Verdicts, c.Agreement*100)
	if len(c.OnlyInA)+len(c.OnlyInB) > 0 {
		fmt.Fprintf(w, "samples only in %s: %d, only in %s: %d\n", c.A, len(c.OnlyInA), c.B, len(c.OnlyInB))
	}
	kinds := make([]string, 0, len(c.Kinds))
	for k := range c.Kinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		r := c.Kinds[k]
		fmt.Fprintf(w, "  %-12s %5.1f%%  (%d of %d)\n", k, r.Rate*100, r.Agree, r.Compared)
	}
	for _, d := range c.Disagreements {
		fmt.Fprintf(w, "\n%s  %s\n  %s: %s — %s\n  %s: %s — %s\n", d.Sample, d.Kind, c.A, d.A, d.AEvidence, c.B, d.B, d.BEvidence)
	}
}
