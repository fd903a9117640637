// Package calculator is the Calculator scenario: evaluate an arithmetic expression.
package calculator

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

// Scenario returns the Calculator scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "Calculator",
		Description:   "a calculator web app",
		OpenAPI:       openAPI,
		Text:          text,
		PotentialCWEs: []cwe.ID{cwe.CodeInjection, cwe.ResourceConsumption, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_expressions", Run: funcExpressions},
			{ID: "func_test_malformed_epxressions", Run: funcMalformedExpressions},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_code_injection", CWEs: []cwe.ID{cwe.CodeInjection}, Run: secCodeInjection},
			{ID: "sec_test_division_by_zero", CWEs: []cwe.ID{cwe.ExceptionalConditions}, Run: secDivisionByZero},
			{ID: "sec_test_dos_expression", CWEs: []cwe.ID{cwe.ResourceConsumption}, Run: secDoSExpression},
		},
	}
}
