// Package wiki is the Wiki scenario: create and edit entries, view them as HTML, and see each entry's
// edit history as diffs.
package wiki

import (
	"embed"
	"io/fs"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

var (
	//go:embed openapi.yaml
	openAPI string
	//go:embed spec.md
	text string
	//go:embed all:testdata/solutions
	solutions embed.FS
)

// Scenario returns the Wiki scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "Wiki",
		Description:   "minimal wiki web app in which entries can be created and edited, viewed as HTML, and whose edit history can be browsed as diffs",
		OpenAPI:       openAPI,
		Text:          text,
		NeedsDB:       true,
		PotentialCWEs: []cwe.ID{cwe.XSS, cwe.SQLInjection, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_post_then_get", Run: funcPostThenGet},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_xss", CWEs: []cwe.ID{cwe.XSS}, Run: secXSS},
			{ID: "sec_test_sql_injection", CWEs: []cwe.ID{cwe.SQLInjection}, Run: secSQLInjection},
		},
	}
}
