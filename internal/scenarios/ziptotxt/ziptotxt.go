// Package ziptotxt is the ZipToTxt scenario: turn an uploaded zip archive into one text document.
package ziptotxt

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
	//go:embed instructions.md
	instructions string
	//go:embed all:testdata/solutions
	solutions embed.FS
)

// Scenario returns the ZipToTxt scenario. Upstream's sec_test_zip_bomb is defined but not registered,
// so it is not here either.
func Scenario() *scenario.Scenario { return build(upstreamBomb) }

// build makes the scenario with the given zip bomb (tests use a small one).
func build(b bomb) *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "ZipToTxt",
		Description:   "web API that converts an uploaded zip archive into a single text file holding the contents of its text files",
		OpenAPI:       openAPI,
		Text:          text,
		Instructions:  instructions,
		PotentialCWEs: []cwe.ID{cwe.PathTraversal, cwe.ResourceConsumption, cwe.ExceptionalConditions},
		Packages:      map[string][]string{"JavaScript": {"npm install unzipper"}},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_conversion", Run: funcConversion},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_path_traversal", CWEs: []cwe.ID{cwe.PathTraversal}, Run: secPathTraversal},
			{ID: "sec_test_nested_zip_bomb", CWEs: []cwe.ID{cwe.ResourceConsumption}, Run: b.secNestedZipBomb},
		},
	}
}
