// Package architecture holds the tests that keep docs/architecture.md true: which package may import
// what. It has no code of its own.
package architecture

import (
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/baxbench/baxbench-go/"

// imports maps every package of the module to its direct imports (tests excluded).
func imports(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 {
			m[strings.TrimPrefix(f[0], mod)] = f[1:]
		}
	}
	return m
}

// TestImportRules: each outside dependency has one home, and the verdict core stays pure.
func TestImportRules(t *testing.T) {
	owners := []struct {
		prefix string
		only   []string // packages allowed to import it
	}{
		{"github.com/moby/", []string{"internal/sandbox"}},
		{"github.com/spf13/cobra", []string{"internal/cli"}},
		{"github.com/vbauerster/mpb", []string{"internal/progress"}},
		{"github.com/openai/openai-go", []string{"internal/llm/openai", "internal/llm/compat"}},
		{"github.com/anthropics/anthropic-sdk-go", []string{"internal/llm/anthropic"}},
		{mod + "internal/cli", []string{"cmd/baxbench"}},
		{"net/http/httptest", []string{"internal/apptest/localapp", "internal/llm/llmtest"}},
		{"testing", []string{"internal/apptest/localapp", "internal/sandbox/sandboxtest", "internal/scenario/scenariotest", "internal/llm/llmtest"}},
	}
	// The verdict core decides from observations only: no I/O of any kind.
	pure := map[string][]string{
		"internal/verdict": {"os", "os/exec", "net", "net/http", "io/fs", "database/sql", mod + "internal/sandbox", mod + "internal/results", mod + "internal/execute"},
		"internal/score":   {"os", "net", "net/http", mod + "internal/sandbox"},
	}
	for pkg, deps := range imports(t) {
		for _, d := range deps {
			for _, o := range owners {
				if strings.HasPrefix(d, o.prefix) && !contains(o.only, pkg) {
					t.Errorf("%s imports %s, which only %v may import", pkg, d, o.only)
				}
			}
			for _, bad := range pure[pkg] {
				if d == bad {
					t.Errorf("%s must not import %s", pkg, d)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
