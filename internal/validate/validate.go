// Package validate proves every test both ways: the secure reference solution passes every functional
// test and no exploit fires on it; each flawed variant (the reference plus one weakness) still passes the
// functional tests and is caught by exactly the exploit it was made for.
package validate

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/llm/reference"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/testrun"
)

// AlsoFiresFile, inside flawed/<test>/, lists other exploits (one id a line) that the weakness
// unavoidably triggers too.
const AlsoFiresFile = "ALSO_FIRES"

// Check is one comparison of expected and observed outcome.
type Check struct {
	Scenario string   `json:"scenario"`
	Env      string   `json:"env"`
	Solution string   `json:"solution"` // "reference" or "flawed/<test>"
	Test     string   `json:"test"`
	Expected string   `json:"expected"`
	Observed string   `json:"observed"`
	CWEs     []cwe.ID `json:"cwes,omitempty"`
	Reason   string   `json:"reason,omitempty"`
	Mismatch bool     `json:"mismatch"`
}

// Report is the whole validation.
type Report struct {
	SchemaVersion int `json:"schema_version"`
	Checks        int `json:"checks"`
	Mismatches    int `json:"mismatches"`
	Solutions     int `json:"solutions"`
	// References and FlawedVariants count the solutions validated here.
	References     int     `json:"references"`
	FlawedVariants int     `json:"flawed_variants"`
	Entries        []Check `json:"entries"`
	// Coverage is what the whole catalog ships (every scenario, every environment).
	Coverage *Coverage `json:"coverage,omitempty"`
}

// Solution is one app to validate.
type Solution struct {
	Scenario *scenario.Scenario
	Env      *env.Env
	Name     string // reference | flawed/<test>
	Target   string // the exploit a flawed variant is made for
	Also     []string
	Files    map[string][]byte
}

// Solutions lists what there is to validate for the given scenarios and environments.
func Solutions(scs []*scenario.Scenario, envs []*env.Env) ([]Solution, error) {
	var out []Solution
	for _, s := range scs {
		for _, e := range envs {
			ref, err := reference.Files(s, e.PathID())
			if err != nil {
				continue // no reference for this environment
			}
			out = append(out, Solution{Scenario: s, Env: e, Name: "reference", Files: ref})
			for _, x := range s.Security {
				files, err := FlawedFiles(s, ref, x.ID, e.PathID())
				if err != nil {
					return nil, err
				}
				if files == nil {
					continue
				}
				var also []string
				if b, err := fs.ReadFile(s.Solutions, "flawed/"+x.ID+"/"+AlsoFiresFile); err == nil {
					for _, l := range strings.Split(string(b), "\n") {
						if l = strings.TrimSpace(l); l != "" {
							if _, ok := s.Find(l); !ok {
								return nil, fmt.Errorf("%s: %s of flawed/%s names unknown test %q", s.ID, AlsoFiresFile, x.ID, l)
							}
							also = append(also, l)
						}
					}
				}
				out = append(out, Solution{Scenario: s, Env: e, Name: "flawed/" + x.ID, Target: x.ID, Also: also, Files: files})
			}
		}
	}
	return out, nil
}

// FlawedFiles builds the flawed variant of exploit test for environment pathID: the reference files ref
// with the overlay in flawed/<test>/<env>/ on top, where a file named <name>.patch is a unified diff
// applied to the reference's <name>. It returns nil when there is no such variant.
func FlawedFiles(s *scenario.Scenario, ref map[string][]byte, test, pathID string) (map[string][]byte, error) {
	overlay, err := reference.SolutionFiles(s, "flawed/"+test+"/"+pathID)
	if err != nil {
		return nil, nil
	}
	files := map[string][]byte{}
	for k, v := range ref {
		files[k] = v
	}
	for k, v := range overlay {
		name, isPatch := strings.CutSuffix(k, PatchSuffix)
		if !isPatch {
			files[k] = v
			continue
		}
		base, ok := ref[name]
		if !ok {
			return nil, fmt.Errorf("%s: flawed/%s/%s/%s patches %s, which the reference does not have", s.ID, test, pathID, k, name)
		}
		patched, err := ApplyPatch(base, v)
		if err != nil {
			return nil, fmt.Errorf("%s: flawed/%s/%s/%s: %w", s.ID, test, pathID, k, err)
		}
		files[name] = patched
	}
	return files, nil
}

// Run validates every solution, at most parallel at a time; progress is called after each. With
// evidenceDir set, each solution's evidence, test log and results are written under
// <evidenceDir>/<scenario>/<env>/<solution>/ in the store's per-sample layout.
func Run(ctx context.Context, t *testrun.Tester, sols []Solution, parallel int, evidenceDir string, progress func(Solution, []Check)) (*Report, error) {
	if parallel <= 0 {
		parallel = 2
	}
	rep := &Report{SchemaVersion: 1, Solutions: len(sols)}
	for _, sol := range sols {
		if sol.Target == "" {
			rep.References++
		} else {
			rep.FlawedVariants++
		}
	}
	per := make([][]Check, len(sols))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for i, sol := range sols {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			label := "validate/" + sol.Scenario.ID + "/" + sol.Env.PathID() + "/" + sol.Name
			out, err := t.Evaluate(ctx, sol.Scenario, sol.Env, sol.Files, label)
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				return
			}
			per[i] = compare(sol, out.Report.Results)
			if evidenceDir != "" {
				dir := filepath.Join(evidenceDir, sol.Scenario.ID, sol.Env.PathID(), filepath.FromSlash(sol.Name))
				rec := results.Record{Scenario: sol.Scenario.ID, Env: sol.Env.ID, Model: "validate/" + sol.Name,
					CodeHash: results.HashCode(sol.Files), Build: out.Build, Results: out.Report.Results}
				if err := results.WriteTestOutput(dir, results.TestOutput{Record: rec, Evidence: out.Report.Evidence, Log: out.Log}); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
			if progress != nil {
				progress(sol, per[i])
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, cs := range per {
		for _, c := range cs {
			rep.Checks++
			if c.Mismatch {
				rep.Mismatches++
			}
			rep.Entries = append(rep.Entries, c)
		}
	}
	return rep, nil
}

func compare(sol Solution, rs []scenario.Result) []Check {
	var out []Check
	for _, r := range rs {
		c := Check{Scenario: sol.Scenario.ID, Env: sol.Env.ID, Solution: sol.Name, Test: r.Test,
			Observed: string(r.Outcome), CWEs: r.CWEs, Reason: r.Reason}
		want := scenario.Pass
		var wantCWEs []cwe.ID
		if r.Kind == scenario.Security && (r.Test == sol.Target || slices.Contains(sol.Also, r.Test)) {
			want = scenario.Fail
			for _, x := range sol.Scenario.Security {
				if x.ID == r.Test {
					wantCWEs = x.CWEs
				}
			}
		}
		c.Expected = string(want)
		if want == scenario.Fail {
			c.Expected = "fail " + cweList(wantCWEs)
		}
		switch {
		case r.Outcome != want:
			c.Mismatch = true
		case want == scenario.Fail && !intersects(r.CWEs, wantCWEs):
			c.Mismatch = true
			c.Reason = "reported " + cweList(r.CWEs) + ", none of which this exploit is for"
		case r.Kind == scenario.Functional && len(r.CWEs) > 0:
			c.Mismatch = true
			c.Reason = "the app crashed during a functional test"
		}
		if len(r.CWEs) > 0 {
			c.Observed += " " + cweList(r.CWEs)
		}
		out = append(out, c)
	}
	return out
}

func intersects(a, b []cwe.ID) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func cweList(ids []cwe.ID) string {
	var p []string
	for _, id := range ids {
		p = append(p, id.String())
	}
	return "[" + strings.Join(p, " ") + "]"
}

// UnprovableDir, inside a scenario's solutions, holds one file per environment (named by its path id)
// in which the scenario cannot be solved at all, saying why (an upstream limit of that environment).
const UnprovableDir = "unprovable"

// ScenarioCoverage says which environments a scenario is proven on.
type ScenarioCoverage struct {
	Scenario string `json:"scenario"`
	// Unprovable maps environments in which no app can pass to the reason.
	Unprovable map[string]string `json:"unprovable,omitempty"`
	// ReferenceEnvs have a secure reference; FlawedEnvs have a flawed variant of every exploit, and
	// PartialFlawedEnvs of some (with the number in Flawed).
	ReferenceEnvs     []string       `json:"reference_envs"`
	FlawedEnvs        []string       `json:"flawed_envs"`
	PartialFlawedEnvs []string       `json:"partial_flawed_envs,omitempty"`
	Flawed            map[string]int `json:"flawed_variants"` // env -> variants
	Exploits          int            `json:"exploits"`
}

// Coverage is how much of the task matrix the shipped solutions prove.
type Coverage struct {
	Tasks      int                `json:"tasks"`
	References int                `json:"references"`
	Unprovable int                `json:"unprovable"`
	Flawed     int                `json:"flawed_variants"`
	Scenarios  []ScenarioCoverage `json:"scenarios"`
}

// CoverageOf counts the references and flawed variants the scenarios ship for the environments.
func CoverageOf(scs []*scenario.Scenario, envs []*env.Env) Coverage {
	c := Coverage{Tasks: len(scs) * len(envs)}
	for _, s := range scs {
		sc := ScenarioCoverage{Scenario: s.ID, ReferenceEnvs: []string{}, FlawedEnvs: []string{}, Flawed: map[string]int{}, Exploits: len(s.Security)}
		for _, e := range envs {
			if s.Solutions != nil {
				if b, err := fs.ReadFile(s.Solutions, UnprovableDir+"/"+e.PathID()); err == nil {
					if sc.Unprovable == nil {
						sc.Unprovable = map[string]string{}
					}
					sc.Unprovable[e.ID] = strings.TrimSpace(string(b))
					c.Unprovable++
				}
			}
			if !reference.Has(s, e.PathID()) {
				continue
			}
			sc.ReferenceEnvs = append(sc.ReferenceEnvs, e.ID)
			c.References++
			n := 0
			for _, x := range s.Security {
				if s.Solutions == nil {
					break
				}
				if st, err := fs.Stat(s.Solutions, "flawed/"+x.ID+"/"+e.PathID()); err == nil && st.IsDir() {
					n++
				}
			}
			if n == 0 {
				continue
			}
			sc.Flawed[e.ID] = n
			c.Flawed += n
			if n == len(s.Security) {
				sc.FlawedEnvs = append(sc.FlawedEnvs, e.ID)
			} else {
				sc.PartialFlawedEnvs = append(sc.PartialFlawedEnvs, e.ID)
			}
		}
		c.Scenarios = append(c.Scenarios, sc)
	}
	return c
}

// Line is the one-line summary validate prints.
func (c Coverage) Line() string {
	line := fmt.Sprintf("coverage: references %d/%d tasks, flawed variants %d", c.References, c.Tasks, c.Flawed)
	if c.Unprovable > 0 {
		line += fmt.Sprintf(", %d tasks unsolvable in their environment (see scenarios show)", c.Unprovable)
	}
	return line
}
