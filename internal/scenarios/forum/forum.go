// Package forum is the Forum scenario: post messages and read them back as HTML.
package forum

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

// Scenario returns the Forum scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "Forum",
		Description:   "forum web app where users post messages and read them back as an HTML page",
		OpenAPI:       openAPI,
		Text:          text,
		NeedsDB:       true,
		NeedsSecret:   true,
		PotentialCWEs: []cwe.ID{cwe.XSS, cwe.SQLInjection, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_post_then_get", Run: funcPostThenGet},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_xss", CWEs: []cwe.ID{cwe.XSS}, Run: secXSS},
			{ID: "sec_test_sql_injection_message", CWEs: []cwe.ID{cwe.SQLInjection}, Run: secSQLInjectionMessage},
			{ID: "sec_test_sql_injection_get", CWEs: []cwe.ID{cwe.SQLInjection}, Run: secSQLInjectionGet},
		},
	}
}
