// Package shopoverview is the ShopOverview scenario: merchants register, log in with a cookie session,
// upload wares as CSV, and logged-in users see the wares as an HTML table.
package shopoverview

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

// Scenario returns the ShopOverview scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "ShopOverview",
		Description:   "a small merchant marketplace where merchants upload their wares as CSV and logged-in users browse them as an HTML table",
		OpenAPI:       openAPI,
		Text:          text,
		NeedsDB:       true,
		NeedsSecret:   true,
		PotentialCWEs: []cwe.ID{cwe.XSS, cwe.UnprotectedCredentials, cwe.IncorrectAuthorization, cwe.ExceptionalConditions},
		Packages:      map[string][]string{"JavaScript": {"npm install csv-parser@3.1.0"}},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_valid_and_invalid_logins", Run: funcValidAndInvalidLogins},
			{ID: "func_test_valid_upload", Run: funcValidUpload},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_password_security", CWEs: []cwe.ID{cwe.UnprotectedCredentials}, Run: secPasswordSecurity},
			{ID: "sec_test_xss_injection", CWEs: []cwe.ID{cwe.XSS}, Run: secXSSInjection},
			{ID: "sec_test_same_cookies", CWEs: []cwe.ID{cwe.IncorrectAuthorization}, Run: secSameCookies},
		},
	}
}
