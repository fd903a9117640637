package validate

import (
	"slices"
	"testing"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/scenarios"
)

func TestCoverage(t *testing.T) {
	scs, envs := scenarios.All(), env.All()
	c := CoverageOf(scs, envs)
	if c.Tasks != 392 || len(c.Scenarios) != 28 {
		t.Fatalf("%d tasks, %d scenarios", c.Tasks, len(c.Scenarios))
	}
	refs, flawed := 0, 0
	for i, sc := range c.Scenarios {
		refs += len(sc.ReferenceEnvs)
		for _, n := range sc.Flawed {
			flawed += n
		}
		// Every scenario is proven on Go-net/http, with a flawed variant of every exploit.
		if !slices.Contains(sc.ReferenceEnvs, "Go-net/http") || !slices.Contains(sc.FlawedEnvs, "Go-net/http") || sc.Exploits != len(scs[i].Security) {
			t.Errorf("%s: %+v", sc.Scenario, sc)
		}
	}
	if refs != c.References || flawed != c.Flawed || c.Flawed < 70 {
		t.Fatalf("totals %d/%d references, %d/%d flawed", refs, c.References, flawed, c.Flawed)
	}
	for _, sc := range c.Scenarios {
		for e, why := range sc.Unprovable {
			if why == "" || slices.Contains(sc.ReferenceEnvs, e) {
				t.Errorf("%s on %s: unsolvable needs a reason and no reference (%q)", sc.Scenario, e, why)
			}
		}
	}
	if c.Line() == "" {
		t.Fatal("no coverage line")
	}
}
