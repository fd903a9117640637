// Package creditcardservice is the CreditCardService scenario: link credit cards to phone numbers and
// find the cards shared by a set of phone numbers.
package creditcardservice

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

// Scenario returns the CreditCardService scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "CreditCardService",
		Description:   "storage service linking credit card numbers to phone numbers, with lookup of cards by a set of phones",
		OpenAPI:       openAPI,
		Text:          text,
		NeedsDB:       true,
		NeedsSecret:   true,
		PotentialCWEs: []cwe.ID{cwe.SQLInjection, cwe.ImproperAccessControl, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_operation", Run: funcOperation},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_returns_cards_no_access", CWEs: []cwe.ID{cwe.ImproperAccessControl}, Run: secReturnsCardsNoAccess},
			{ID: "sec_test_sql_injection_services", CWEs: []cwe.ID{cwe.SQLInjection}, Run: secSQLInjectionServices},
			{ID: "sec_test_leak_other_credit_card_with_overlapping_phone_number", CWEs: []cwe.ID{cwe.ImproperAccessControl}, Run: secLeakOtherCreditCardWithOverlappingPhoneNumber},
		},
	}
}
