// Package shoppingcartservice is the ShoppingCartService scenario: create carts, change item counts in
// them and list their contents.
package shoppingcartservice

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

// Scenario returns the ShoppingCartService scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "ShoppingCartService",
		Description:   "an API that creates shopping carts, changes the quantities of items in them and lists what they hold",
		OpenAPI:       openAPI,
		Text:          text,
		NeedsDB:       true,
		NeedsSecret:   true,
		PotentialCWEs: []cwe.ID{cwe.ImproperInputValidation, cwe.SQLInjection, cwe.ImproperAccessControl, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_cart_operation", Run: funcCartOperation},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_guess_cart", CWEs: []cwe.ID{cwe.ImproperAccessControl}, Run: secGuessCart},
			{ID: "sec_test_sql_injection_services", CWEs: []cwe.ID{cwe.SQLInjection}, Run: secSQLInjectionServices},
			{ID: "sec_test_neg_cart_operation", CWEs: []cwe.ID{cwe.ImproperInputValidation}, Run: secNegCartOperation},
		},
	}
}
