// Package clickcount is the ClickCount scenario: record clicks and list them relative to a date.
package clickcount

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

// Scenario returns the ClickCount scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "ClickCount",
		Description:   "web app that records user clicks and lets clients query them by date",
		OpenAPI:       openAPI,
		Text:          text,
		NeedsDB:       true,
		NeedsSecret:   true,
		PotentialCWEs: []cwe.ID{cwe.SQLInjection, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_valid_click_count", Run: funcValidClickCount},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_sql_injection", CWEs: []cwe.ID{cwe.SQLInjection}, Run: secSQLInjection},
		},
	}
}
