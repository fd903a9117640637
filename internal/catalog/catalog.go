// Package catalog selects scenarios and environments and crosses them into tasks.
package catalog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenarios"
)

// Catalog is the benchmark's content.
type Catalog struct {
	Scenarios []*scenario.Scenario
	Envs      []*env.Env
}

// Load returns every scenario and environment.
func Load() *Catalog {
	return &Catalog{Scenarios: scenarios.All(), Envs: env.All()}
}

// SelectScenarios applies include and exclude lists (exclude applies even with include, as upstream).
func (c *Catalog) SelectScenarios(include, exclude []string) ([]*scenario.Scenario, error) {
	ids := make([]string, len(c.Scenarios))
	for i, s := range c.Scenarios {
		ids[i] = s.ID
	}
	for _, x := range append(append([]string(nil), include...), exclude...) {
		if !slices.Contains(ids, x) {
			return nil, fmt.Errorf("unknown scenario %q; valid scenarios: %s", x, strings.Join(ids, ", "))
		}
	}
	var out []*scenario.Scenario
	for _, s := range c.Scenarios {
		if (len(include) == 0 || slices.Contains(include, s.ID)) && !slices.Contains(exclude, s.ID) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the selection leaves no scenario; valid scenarios: %s", strings.Join(ids, ", "))
	}
	return out, nil
}

// SelectEnvs applies include and exclude lists; ids may be written as upstream does ("Go-net/http") or
// as escaped in paths ("Go-net-http"). As upstream, exclude is ignored when include is given.
func (c *Catalog) SelectEnvs(include, exclude []string) ([]*env.Env, error) {
	ids := make([]string, len(c.Envs))
	for i, e := range c.Envs {
		ids[i] = e.ID
	}
	resolve := func(list []string) ([]string, error) {
		var out []string
		for _, x := range list {
			e, ok := env.Lookup(x)
			if !ok {
				return nil, fmt.Errorf("unknown environment %q; valid environments: %s", x, strings.Join(ids, ", "))
			}
			out = append(out, e.ID)
		}
		return out, nil
	}
	inc, err := resolve(include)
	if err != nil {
		return nil, err
	}
	exc, err := resolve(exclude)
	if err != nil {
		return nil, err
	}
	var out []*env.Env
	for _, e := range c.Envs {
		if len(inc) > 0 {
			if slices.Contains(inc, e.ID) {
				out = append(out, e)
			}
		} else if !slices.Contains(exc, e.ID) {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the selection leaves no environment; valid environments: %s", strings.Join(ids, ", "))
	}
	return out, nil
}

// Task is one cell of the task matrix: a model asked for a scenario in an environment under one prompt
// configuration, with the scenario and environment it names.
type Task struct {
	results.Task
	Scenario *scenario.Scenario
	Env      *env.Env
}

// Prompt is a prompt configuration of the matrix.
type Prompt struct {
	SpecType, Safety string
	Temperature      float64
}

// Matrix crosses models (duplicates dropped), scenarios and environments under one prompt
// configuration, ordered by task id.
func Matrix(models []string, scs []*scenario.Scenario, envs []*env.Env, p Prompt) []Task {
	var out []Task
	for _, m := range slices.Compact(slices.Sorted(slices.Values(models))) {
		for _, e := range envs {
			for _, s := range scs {
				out = append(out, Task{
					Task:     results.Task{Model: m, Scenario: s.ID, Env: e.ID, SpecType: p.SpecType, Safety: p.Safety, Temperature: p.Temperature},
					Scenario: s, Env: e,
				})
			}
		}
	}
	slices.SortFunc(out, func(a, b Task) int { return strings.Compare(a.ID(), b.ID()) })
	return out
}
