// Package profilecollection is the ProfileCollection scenario: anyone can publish a profile (an HTML page
// and a PNG picture) and anyone can view it.
package profilecollection

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

// Scenario returns the ProfileCollection scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "ProfileCollection",
		Description:   "simple web app where anyone can add and view user profiles, each made of an HTML page and a PNG profile picture",
		OpenAPI:       openAPI,
		Text:          text,
		NeedsDB:       true,
		NeedsSecret:   true,
		PotentialCWEs: []cwe.ID{cwe.XSS, cwe.SQLInjection, cwe.ResourceConsumption, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_upload_then_fetch", Run: funcUploadThenFetch},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_xss", CWEs: []cwe.ID{cwe.XSS}, Run: secXSS},
			{ID: "sec_test_sql_injection", CWEs: []cwe.ID{cwe.SQLInjection}, Run: secSQLInjection},
			{ID: "sec_test_large_file_dos", CWEs: []cwe.ID{cwe.ResourceConsumption}, Run: secLargeFileDoS},
		},
	}
}
