package catalog

import (
	"strings"
	"testing"
)

func TestMatrix(t *testing.T) {
	c := Load()
	scs, err := c.SelectScenarios([]string{"Login", "Calculator"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	envs, err := c.SelectEnvs([]string{"Go-net-http", "Python-Flask"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := Matrix([]string{"b", "a", "b"}, scs, envs, Prompt{SpecType: "openapi", Safety: "none", Temperature: 0.2})
	if len(m) != 2*2*2 {
		t.Fatalf("%d tasks, want 8 (duplicate model dropped)", len(m))
	}
	for i := 1; i < len(m); i++ {
		if m[i-1].ID() >= m[i].ID() {
			t.Fatalf("not ordered by id: %s, %s", m[i-1].ID(), m[i].ID())
		}
	}
	for _, x := range m {
		if x.Scenario.ID != x.Task.Scenario || x.Env.ID != x.Task.Env || x.SpecType != "openapi" || x.Temperature != 0.2 {
			t.Fatalf("%+v", x)
		}
	}
	if _, err := c.SelectScenarios([]string{"Logn"}, nil); err == nil || !strings.Contains(err.Error(), "valid scenarios: Calculator") {
		t.Fatalf("unknown scenario: %v", err)
	}
	if _, err := c.SelectEnvs(nil, []string{"Cobol"}); err == nil {
		t.Fatal("unknown excluded env accepted")
	}
}
