// Package scenarios lists every scenario the benchmark knows, in a stable order. Adding a scenario is its
// folder plus one line here.
package scenarios

import (
	"slices"
	"strings"

	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenarios/calculator"
	"github.com/baxbench/baxbench-go/internal/scenarios/login"
)

// All returns every scenario, sorted by id.
func All() []*scenario.Scenario {
	all := []*scenario.Scenario{
		calculator.Scenario(),
		login.Scenario(),
	}
	slices.SortFunc(all, func(a, b *scenario.Scenario) int { return strings.Compare(a.ID, b.ID) })
	return all
}
