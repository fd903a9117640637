package scenarios

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/llm/reference"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/validate"
)

// TestCatalogIsConsistent checks every scenario at once, listing every problem: the fast, container-free
// half of what `baxbench validate` proves.
func TestCatalogIsConsistent(t *testing.T) {
	idRE := regexp.MustCompile(`^[A-Z][A-Za-z]+$`)
	// Test ids are upstream's function names: snake case, mostly func_test_* and sec_test_*, but
	// some scenarios use other prefixes (test_*, sec_*), so only the form is checked.
	testRE := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	seen := map[string]bool{}
	for _, s := range All() {
		if !idRE.MatchString(s.ID) || seen[s.ID] {
			t.Errorf("scenario id %q is malformed or repeated", s.ID)
		}
		seen[s.ID] = true
		if strings.TrimSpace(s.OpenAPI) == "" || strings.TrimSpace(s.Text) == "" || s.Description == "" {
			t.Errorf("%s: OpenAPI spec, text spec and description are all required", s.ID)
		}
		if !slices.Contains(s.PotentialCWEs, cwe.ExceptionalConditions) {
			t.Errorf("%s: the CWE hints must include CWE-703", s.ID)
		}
		for _, id := range s.PotentialCWEs {
			if _, ok := cwe.Lookup(id); !ok {
				t.Errorf("%s: unknown CWE %d in hints", s.ID, id)
			}
		}
		tests := map[string]bool{}
		for _, f := range s.Functional {
			if !testRE.MatchString(f.ID) || tests[f.ID] || f.Run == nil {
				t.Errorf("%s: functional test %q malformed, repeated or without code", s.ID, f.ID)
			}
			tests[f.ID] = true
		}
		refEnvs := 0
		for _, e := range env.All() {
			if reference.Has(s, e.PathID()) {
				refEnvs++
			}
		}
		if refEnvs == 0 {
			t.Errorf("%s: no reference solution for any environment", s.ID)
		}
		for _, x := range s.Security {
			if !testRE.MatchString(x.ID) || tests[x.ID] || x.Run == nil {
				t.Errorf("%s: exploit %q malformed, repeated or without code", s.ID, x.ID)
			}
			tests[x.ID] = true
			if len(x.CWEs) == 0 {
				t.Errorf("%s/%s: an exploit must say which CWEs it reports", s.ID, x.ID)
			}
			for _, id := range x.CWEs {
				if !slices.Contains(s.PotentialCWEs, id) {
					t.Errorf("%s/%s: reports %s, which the scenario's hints do not list", s.ID, x.ID, id)
				}
			}
			flawed := 0
			for _, e := range env.All() {
				if _, err := fs.Stat(s.Solutions, "flawed/"+x.ID+"/"+e.PathID()); err != nil {
					continue
				}
				flawed++
				// The variant must build from the reference (every patch applies) and differ from it.
				ref, err := reference.Files(s, e.PathID())
				if err != nil {
					t.Errorf("%s/%s: flawed variant for %s without a reference: %v", s.ID, x.ID, e.ID, err)
					continue
				}
				files, err := validate.FlawedFiles(s, ref, x.ID, e.PathID())
				if err != nil {
					t.Error(err)
					continue
				}
				same := len(files) == len(ref)
				for k, v := range files {
					same = same && string(ref[k]) == string(v)
				}
				if same {
					t.Errorf("%s/%s: the flawed variant for %s is identical to the reference", s.ID, x.ID, e.ID)
				}
			}
			if flawed == 0 {
				t.Errorf("%s/%s: no flawed variant proves this exploit", s.ID, x.ID)
			}
		}
		// Every flawed folder must name a real exploit.
		entries, _ := fs.ReadDir(s.Solutions, "flawed")
		for _, d := range entries {
			if !slices.ContainsFunc(s.Security, func(x scenario.Exploit) bool { return x.ID == d.Name() }) {
				t.Errorf("%s: flawed/%s names no exploit", s.ID, d.Name())
			}
		}
	}
}
