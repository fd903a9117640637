package results

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Entry is one tested sample found in a store.
type Entry struct {
	Model, Scenario, Env string // as in the paths (escaped)
	Config               string // temp<T>-<spec>-<safety>
	Sample               int
	Dir                  string
	Counts               Counts
	Record               *Record // nil for samples tested by upstream
}

// Filter selects entries by escaped or raw names; empty lists select everything.
type Filter struct {
	Models, Scenarios, Envs, Configs []string
	Samples                          []int
}

func matches(list []string, v string) bool {
	if len(list) == 0 {
		return true
	}
	for _, x := range list {
		if x == v || Escape(x) == v {
			return true
		}
	}
	return false
}

// Scan walks a results tree in upstream's layout and returns every sample that has a test_results.json.
// Files it cannot parse are reported in the error list, not skipped silently.
func Scan(root string, f Filter) ([]Entry, []error) {
	var out []Entry
	var problems []error
	if _, err := os.Stat(root); err != nil {
		return nil, []error{fmt.Errorf("results directory %s: %w", root, err)}
	}
	models, _ := os.ReadDir(root)
	for _, m := range models {
		if !m.IsDir() || strings.HasPrefix(m.Name(), "_") || strings.HasPrefix(m.Name(), ".") || !matches(f.Models, m.Name()) {
			continue
		}
		scDirs, _ := os.ReadDir(filepath.Join(root, m.Name()))
		for _, sc := range scDirs {
			if !sc.IsDir() || !matches(f.Scenarios, sc.Name()) {
				continue
			}
			envDirs, _ := os.ReadDir(filepath.Join(root, m.Name(), sc.Name()))
			for _, e := range envDirs {
				if !e.IsDir() || !matches(f.Envs, e.Name()) {
					continue
				}
				cfgDirs, _ := os.ReadDir(filepath.Join(root, m.Name(), sc.Name(), e.Name()))
				for _, cfg := range cfgDirs {
					if !cfg.IsDir() || !strings.HasPrefix(cfg.Name(), "temp") || !matches(f.Configs, cfg.Name()) {
						continue
					}
					base := filepath.Join(root, m.Name(), sc.Name(), e.Name(), cfg.Name())
					samples, _ := os.ReadDir(base)
					for _, s := range samples {
						i, ok := sampleIndex(s.Name())
						if !s.IsDir() || !ok || !selected(f.Samples, i) {
							continue
						}
						dir := filepath.Join(base, s.Name())
						c, err := ReadCounts(filepath.Join(dir, TestResultsFile))
						if errors.Is(err, fs.ErrNotExist) {
							continue // not tested: upstream skips it too
						}
						if err != nil {
							problems = append(problems, fmt.Errorf("%s: %w", dir, err))
							continue
						}
						ent := Entry{Model: m.Name(), Scenario: sc.Name(), Env: e.Name(), Config: cfg.Name(), Sample: i, Dir: dir, Counts: c}
						if rec, err := ReadRecord(dir); err == nil {
							ent.Record = rec
						}
						out = append(out, ent)
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Model != b.Model {
			return a.Model < b.Model
		}
		if a.Scenario != b.Scenario {
			return a.Scenario < b.Scenario
		}
		if a.Env != b.Env {
			return a.Env < b.Env
		}
		if a.Config != b.Config {
			return a.Config < b.Config
		}
		return a.Sample < b.Sample
	})
	return out, problems
}

func sampleIndex(name string) (int, bool) {
	if !strings.HasPrefix(name, "sample") {
		return 0, false
	}
	i, err := strconv.Atoi(strings.TrimPrefix(name, "sample"))
	return i, err == nil && i >= 0
}

func selected(list []int, i int) bool {
	if len(list) == 0 {
		return true
	}
	for _, x := range list {
		if x == i {
			return true
		}
	}
	return false
}

// Contents is what a results tree holds, by the names in its paths (escaped).
type Contents struct {
	Models, Scenarios, Envs []string
}

// ErrNotATree says a directory holds no results in the layout <model>/<scenario>/<env>/temp*/sample<i>.
var ErrNotATree = errors.New("not a results tree: no <model>/<scenario>/<env>/temp<T>-<spec>-<safety>/sample<i> directories")

// Inventory lists the models, scenarios and environments that have at least one sample directory.
func Inventory(root string) (Contents, error) {
	if _, err := os.Stat(root); err != nil {
		return Contents{}, fmt.Errorf("results directory %s: %w", root, err)
	}
	seen := [3]map[string]bool{{}, {}, {}}
	matches, _ := filepath.Glob(filepath.Join(root, "*", "*", "*", "temp*", "sample*"))
	for _, m := range matches {
		rel, _ := filepath.Rel(root, m)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if len(parts) != 5 || strings.HasPrefix(parts[0], "_") || strings.HasPrefix(parts[0], ".") {
			continue
		}
		if _, ok := sampleIndex(parts[4]); !ok {
			continue
		}
		for i := range 3 {
			seen[i][parts[i]] = true
		}
	}
	var c Contents
	for i, dst := range []*[]string{&c.Models, &c.Scenarios, &c.Envs} {
		for k := range seen[i] {
			*dst = append(*dst, k)
		}
		sort.Strings(*dst)
	}
	if len(c.Models) == 0 {
		return c, fmt.Errorf("%s is %w", root, ErrNotATree)
	}
	return c, nil
}

// Unknown checks a filter against the tree: every model, scenario and environment it names must be
// in the tree (raw or escaped), else the error lists what the tree holds.
func (c Contents) Unknown(f Filter) error {
	for _, x := range []struct {
		what string
		want []string
		have []string
	}{{"model", f.Models, c.Models}, {"scenario", f.Scenarios, c.Scenarios}, {"environment", f.Envs, c.Envs}} {
		for _, w := range x.want {
			if !slices.Contains(x.have, w) && !slices.Contains(x.have, Escape(w)) {
				return fmt.Errorf("no %s %q in this results tree; it holds: %s", x.what, w, strings.Join(x.have, ", "))
			}
		}
	}
	return nil
}
