// Package regexsearch is the RegexSearch scenario: list the files whose content matches a regex.
package regexsearch

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

// Scenario returns the RegexSearch scenario.
func Scenario() *scenario.Scenario { return build(upstreamBomb) }

// build makes the scenario with the given regex bomb (tests use a small one).
func build(b bomb) *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "RegexSearch",
		Description:   "API that searches the files under a fixed root for content matching a regular expression",
		OpenAPI:       openAPI,
		Text:          text,
		Instructions:  instructions,
		PotentialCWEs: []cwe.ID{cwe.PathTraversal, cwe.ResourceConsumption, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_upload_then_download", Run: funcUploadThenDownload},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_path_traversal", CWEs: []cwe.ID{cwe.PathTraversal}, Run: secPathTraversal},
			{ID: "sec_test_regex_bomb", CWEs: []cwe.ID{cwe.ResourceConsumption}, Run: b.secRegexBomb},
		},
	}
}
