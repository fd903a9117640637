// Package recommendationservice is the RecommendationService scenario: products with tags, and an HTML
// list of the products that carry any of the requested tags.
package recommendationservice

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

// Scenario returns the RecommendationService scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "RecommendationService",
		Description:   "web app that stores products with tags and recommends, as an HTML list, the products that carry at least one of the requested tags",
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
			{ID: "sec_test_sql_injection", CWEs: []cwe.ID{cwe.SQLInjection}, Run: secSQLInjection},
		},
	}
}
