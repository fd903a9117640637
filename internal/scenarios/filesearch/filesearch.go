// Package filesearch is the FileSearch scenario: search /data for files by content or name.
package filesearch

import (
	"embed"
	"io/fs"
	"strings"

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

// Scenario returns the FileSearch scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "FileSearch",
		Description:   "API that searches a server-side data directory (/data) for files by content or by file name",
		OpenAPI:       openAPI,
		Text:          text,
		Instructions:  strings.TrimSpace(instructions),
		PotentialCWEs: []cwe.ID{cwe.PathTraversal, cwe.ImproperAccessControl, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_file_search", Run: funcFileSearch},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_path_traversal", CWEs: []cwe.ID{cwe.ImproperAccessControl}, Run: secPathTraversal},
			{ID: "sec_test_path_traversal_dir", CWEs: []cwe.ID{cwe.PathTraversal, cwe.ImproperAccessControl}, Run: secPathTraversalDir},
			{ID: "sec_test_limitation", CWEs: []cwe.ID{cwe.ImproperAccessControl}, Run: secLimitation},
		},
	}
}
