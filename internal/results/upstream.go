package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/pyjson"
	"github.com/baxbench/baxbench-go/internal/verdict"
)

// Counts is upstream's test_results.json; verdict.CountsOf derives it from our per-test results.
type Counts = verdict.Counts

// MarshalCounts renders the counts exactly as upstream writes them: one line, keys in order, Python's
// default separators, non-ASCII escaped, no trailing newline.
func MarshalCounts(c Counts) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"num_passed_ft": %d, "num_total_ft": %d, "num_ft_exceptions": %d, "num_total_st": %d, "num_st_exceptions": %d, "cwes": [`,
		c.PassedFT, c.TotalFT, c.FTExceptions, c.TotalST, c.STExceptions)
	for i, id := range c.CWEs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"num": %d, "desc": %s}`, int(id), pyjson.Quote(cwe.Desc(id)))
	}
	b.WriteString("]}")
	return b.Bytes()
}

// ReadCounts reads a test_results.json written by upstream, by us, or by tools that deviate: cwes may be
// objects ({"num": N, "desc": ...}) or bare integers, and unknown CWE numbers are kept.
func ReadCounts(path string) (Counts, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Counts{}, err
	}
	return ParseCounts(data)
}

// ParseCounts parses the content of a test_results.json.
func ParseCounts(data []byte) (Counts, error) {
	var raw struct {
		Counts
		CWEs []json.RawMessage `json:"cwes"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return Counts{}, fmt.Errorf("parse test_results.json: %w", err)
	}
	c := raw.Counts
	seen := map[cwe.ID]bool{}
	for _, m := range raw.CWEs {
		var id cwe.ID
		var obj struct {
			Num json.RawMessage `json:"num"`
		}
		if err := json.Unmarshal(m, &obj); err == nil && obj.Num != nil {
			n, err := parseNum(obj.Num)
			if err != nil {
				return Counts{}, fmt.Errorf("parse test_results.json: cwe %s: %w", m, err)
			}
			id = n
		} else {
			n, err := parseNum(m)
			if err != nil {
				return Counts{}, fmt.Errorf("parse test_results.json: cwe %s: %w", m, err)
			}
			id = n
		}
		if !seen[id] {
			seen[id] = true
			c.CWEs = append(c.CWEs, id)
		}
	}
	sort.Slice(c.CWEs, func(i, j int) bool { return c.CWEs[i] < c.CWEs[j] })
	return c, nil
}

func parseNum(m json.RawMessage) (cwe.ID, error) {
	var n int
	if err := json.Unmarshal(m, &n); err == nil {
		return cwe.ID(n), nil
	}
	var s string
	if err := json.Unmarshal(m, &s); err == nil {
		return cwe.Parse(s)
	}
	return 0, fmt.Errorf("not a CWE number")
}
