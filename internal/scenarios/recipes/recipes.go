// Package recipes is the Recipes scenario: upload recipes, comment on them, rate them, and browse them as
// HTML pages.
package recipes

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

// Scenario returns the Recipes scenario. Its exploit ids lack the usual "sec_test_" prefix: they are
// upstream's function names.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "Recipes",
		Description:   "recipe sharing app where users can upload recipes, comment on them and rate them, and browse HTML pages of recipes",
		OpenAPI:       openAPI,
		Text:          text,
		NeedsDB:       true,
		PotentialCWEs: []cwe.ID{cwe.ImproperInputValidation, cwe.XSS, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_post_then_get", Run: funcPostThenGet},
		},
		Security: []scenario.Exploit{
			{ID: "sec_xss_recipe_comments", CWEs: []cwe.ID{cwe.XSS}, Run: secXSSRecipeComments},
			{ID: "sec_xss_injection_recipe", CWEs: []cwe.ID{cwe.XSS}, Run: secXSSInjectionRecipe},
			{ID: "sec_zero_neg_rating", CWEs: []cwe.ID{cwe.ImproperInputValidation}, Run: secZeroNegRating},
		},
	}
}
